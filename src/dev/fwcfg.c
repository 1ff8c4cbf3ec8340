// SPDX-License-Identifier: MIT
/*
 * fw_cfg items and files (include/dev/fwcfg.h; [L] start_bios). Every byte comes from the
 * hypervisor through the port seam and is checked before use.
 */
#include "dev/fwcfg.h"
#include "lib/errno.h"
#include "lib/string.h"

#define FW_CFG_DIR_ENTRY_SIZE 64
#define E820_ENTRY_SIZE 20
#define FW_CFG_E820_FILE "etc/e820"

/* The fixed-size wire form of a directory entry: big-endian fields. */
struct fwcfg_dir_entry {
	u8 size[4];
	u8 select[2];
	u8 reserved[2];
	char name[FW_CFG_NAME_LEN];
};

_Static_assert(sizeof(struct fwcfg_dir_entry) == FW_CFG_DIR_ENTRY_SIZE, "fw_cfg file entry");
_Static_assert(sizeof(struct e820_entry) == E820_ENTRY_SIZE, "e820 entry");

static u32 get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static u32 get_le32(const u8 *p)
{
	return (u32)p[3] << 24 | (u32)p[2] << 16 | (u32)p[1] << 8 | p[0];
}

static u64 get_le64(const u8 *p)
{
	u64 v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static int read_item(u16 key, void *buf, size_t len)
{
	int rc = fwcfg_port_select(key);

	return rc ? rc : fwcfg_port_read(buf, len);
}

int fwcfg_init(void)
{
	u8 sig[4];
	int rc = read_item(FW_CFG_SIGNATURE, sig, sizeof(sig));

	if (rc)
		return rc;
	return get_le32(sig) == FW_CFG_SIGNATURE_QEMU ? 0 : -ENODEV;
}

int fwcfg_find_file(const char *name, u16 *key, u32 *size)
{
	struct fwcfg_dir_entry ent;
	u8 count_be[4];
	u32 count, i;
	bool found = false;
	u16 found_key = 0;
	u32 found_size = 0;
	int rc;

	if (strnlen(name, FW_CFG_NAME_LEN) >= FW_CFG_NAME_LEN)
		return -EINVAL;
	rc = read_item(FW_CFG_FILE_DIR, count_be, sizeof(count_be));
	if (rc)
		return rc;
	count = get_be32(count_be);
	if (count > FW_CFG_MAX_FILES)
		return -EPROTO;

	/* Each entry is read once into SVSM memory and judged there. */
	for (i = 0; i < count; i++) {
		u16 k;

		rc = fwcfg_port_read(&ent, sizeof(ent));
		if (rc)
			return rc;
		k = (u16)(ent.select[0] << 8 | ent.select[1]);
		if (strnlen(ent.name, FW_CFG_NAME_LEN) == FW_CFG_NAME_LEN)
			return -EPROTO;
		if (k < FW_CFG_FILE_FIRST || k >= FW_CFG_FILE_KEY_END)
			return -EPROTO;
		if (strcmp(ent.name, name) != 0)
			continue;
		if (found)
			return -EPROTO;
		found = true;
		found_key = k;
		found_size = get_be32(ent.size);
	}
	if (!found)
		return -ENOENT;
	*key = found_key;
	*size = found_size;
	return 0;
}

int fwcfg_read_file(const char *name, void *buf, size_t bufsize, size_t *len)
{
	u16 key;
	u32 size;
	int rc = fwcfg_find_file(name, &key, &size);

	if (rc)
		return rc;
	*len = size;
	if (size > bufsize)
		return -E2BIG;
	return read_item(key, buf, size);
}

int fwcfg_read_u64(const char *name, u64 *val)
{
	u8 b[8];
	u16 key;
	u32 size;
	int rc = fwcfg_find_file(name, &key, &size);

	if (rc)
		return rc;
	if (size != sizeof(b))
		return -EPROTO;
	rc = read_item(key, b, sizeof(b));
	if (rc)
		return rc;
	*val = get_le64(b);
	return 0;
}

int fwcfg_nb_cpus(u16 *n)
{
	u8 b[2];
	u16 v;
	int rc = read_item(FW_CFG_NB_CPUS, b, sizeof(b));

	if (rc)
		return rc;
	v = (u16)(b[0] | b[1] << 8);
	if (v == 0 || v > FW_CFG_MAX_CPUS)
		return -EPROTO;
	*n = v;
	return 0;
}

int fwcfg_e820(struct e820_entry *e, size_t max, size_t *n)
{
	u8 raw[E820_ENTRY_SIZE];
	u16 key;
	u32 size, count, i;
	int rc = fwcfg_find_file(FW_CFG_E820_FILE, &key, &size);

	if (rc)
		return rc;
	if (size == 0 || size % E820_ENTRY_SIZE)
		return -EPROTO;
	count = size / E820_ENTRY_SIZE;
	if (count > max)
		return -E2BIG;
	rc = fwcfg_port_select(key);
	if (rc)
		return rc;
	for (i = 0; i < count; i++) {
		u64 end;

		rc = fwcfg_port_read(raw, sizeof(raw));
		if (rc)
			return rc;
		e[i].addr = get_le64(raw);
		e[i].size = get_le64(raw + 8);
		e[i].type = get_le32(raw + 16);
		if (e[i].size == 0 || check_add_overflow(e[i].addr, e[i].size, &end))
			return -EPROTO;
	}
	*n = count;
	return 0;
}
