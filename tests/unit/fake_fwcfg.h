/*
 * An in-memory fw_cfg device behind the port seam (fwcfg_port_select/read), for tests and
 * fuzzers. Items are byte strings; reading past an item's end gives zeros, as on QEMU. The
 * file directory (item 0x19) is built from fake_fwcfg_add_file and can be corrupted.
 */
#ifndef CSVSM_TESTS_FAKE_FWCFG_H
#define CSVSM_TESTS_FAKE_FWCFG_H

#include "dev/fwcfg.h"

#define FAKE_FWCFG_MAX_DIR (FW_CFG_MAX_FILES + 8)

struct fake_fwcfg_dirent {
	u8 size_be[4];
	u8 key_be[2];
	u8 reserved[2];
	char name[FW_CFG_NAME_LEN];
};

/* An empty device that answers the "QEMU" signature. */
void fake_fwcfg_reset(void);
/* Free everything the device holds (end of a test program). */
void fake_fwcfg_release(void);
/* Set item @key to a copy of data[0..len). */
void fake_fwcfg_set_item(u16 key, const void *data, size_t len);
/* Add a file (item @key, directory entry with @name copied into 56 bytes, not necessarily
 * NUL-terminated); returns the raw directory entry so a test can corrupt it. */
struct fake_fwcfg_dirent *fake_fwcfg_add_file(const char *name, u16 key, const void *data,
					      size_t len);
/* Make the directory claim @count entries (whatever was added). */
void fake_fwcfg_set_dir_count(u32 count);
/* Serve these bytes as the whole directory item instead (for fuzzing); NULL: back to the
 * built directory. The data must stay valid while in use. */
void fake_fwcfg_set_raw_dir(const void *data, size_t len);
/* Serve these bytes for every key that has no item of its own (NULL: zeros). */
void fake_fwcfg_set_default_item(const void *data, size_t len);
/* Make the Nth port access from now (1-based) fail with -EIO; 0 = never. */
void fake_fwcfg_fail_access(unsigned int n);

#endif
