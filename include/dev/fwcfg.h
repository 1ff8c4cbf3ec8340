/* SPDX-License-Identifier: MIT */
/*
 * QEMU fw_cfg: reading items and files ([L] start_bios: fw_cfg etc/bios_gpa, etc/bios_size).
 *
 * Everything read from fw_cfg comes from the hypervisor and is checked: directory entries
 * bounded and NUL-terminated, file sizes against the caller's buffer, e820 entries for
 * size and overflow. The port access is a link-time seam (fwcfg_port_select/read), done
 * through the GHCB IOIO event on the SVSM and faked in the unit tests.
 */
#ifndef CSVSM_DEV_FWCFG_H
#define CSVSM_DEV_FWCFG_H

#include "lib/types.h"

#define FW_CFG_PORT_SEL 0x510
#define FW_CFG_PORT_DATA 0x511
#define FW_CFG_PORT_DMA_HI 0x514
#define FW_CFG_PORT_DMA_LO 0x518

#define FW_CFG_SIGNATURE 0x0000
#define FW_CFG_ID 0x0001
#define FW_CFG_NB_CPUS 0x0005
#define FW_CFG_FILE_DIR 0x0019

/* File items are selected by keys from FW_CFG_FILE_FIRST up, below the write-channel bit
 * 0x4000 (QEMU docs/specs/fw_cfg.rst, Linux uapi qemu_fw_cfg.h; not in the facts file). */
#define FW_CFG_FILE_FIRST 0x0020
#define FW_CFG_FILE_KEY_END 0x4000

#define FW_CFG_SIGNATURE_QEMU 0x554d4551 /* "QEMU", little-endian */
#define FW_CFG_MAX_FILES 1024
#define FW_CFG_NAME_LEN 56
#define FW_CFG_MAX_CPUS 256

/* Seam: select item @key; read @len bytes of the selected item's data. 0 or -EIO. */
int fwcfg_port_select(u16 key);
int fwcfg_port_read(void *buf, size_t len);

/* Every function below returns -EIO when the port seam reports an error. */

/* Check the signature: 0, or -ENODEV if there is no fw_cfg device. */
int fwcfg_init(void);

/*
 * Look a file up in the directory: -ENOENT if absent, -EINVAL for a name that cannot be in
 * a directory (56 bytes or longer), -EPROTO if the directory is malformed: more than
 * FW_CFG_MAX_FILES entries, a name not NUL-terminated, a key outside the file keys, or the
 * wanted name twice. The whole directory is checked whichever name is wanted.
 */
int fwcfg_find_file(const char *name, u16 *key, u32 *size);

/* Read a whole file into buf: -E2BIG if it is larger than bufsize (nothing read then).
 * *len = its size, in both cases. */
int fwcfg_read_file(const char *name, void *buf, size_t bufsize, size_t *len);

/* A file holding exactly one little-endian u64 (etc/bios_gpa, etc/bios_size); -EPROTO if its
 * size is not 8. */
int fwcfg_read_u64(const char *name, u64 *val);

/* Number of vCPUs (item 0x05): -EPROTO if 0 or above FW_CFG_MAX_CPUS. */
int fwcfg_nb_cpus(u16 *n);

struct e820_entry {
	u64 addr;
	u64 size;
	u32 type;
} __packed;

#define E820_TYPE_RAM 1
#define E820_TYPE_RESERVED 2

/* etc/e820 (little-endian entries): -EPROTO if its size is 0 or not a multiple of 20, or an
 * entry is empty or wraps past 2^64; -E2BIG if it has more than @max entries. On error the
 * contents of e[] are unspecified and *n is unchanged. */
int fwcfg_e820(struct e820_entry *e, size_t max, size_t *n);

#endif
