/* In-memory fw_cfg device (see fake_fwcfg.h). */
#include "fake_fwcfg.h"
#include <stdlib.h>
#include <string.h>
#include "lib/errno.h"

struct item {
	u16 key;
	u8 *data;
	size_t len;
};

#define MAX_ITEMS (FAKE_FWCFG_MAX_DIR + 8)

static struct item items[MAX_ITEMS];
static unsigned int nitems;
static struct fake_fwcfg_dirent dir[FAKE_FWCFG_MAX_DIR];
static unsigned int ndir;
static u32 dir_count;
static u8 dir_bytes[4 + sizeof(dir)];
static const u8 *cur;
static size_t cur_left;
static unsigned int fail_at, accesses;
static const u8 *raw_dir, *default_data;
static size_t raw_dir_len, default_len;

static struct item *find_item(u16 key)
{
	unsigned int i;

	for (i = 0; i < nitems; i++)
		if (items[i].key == key)
			return &items[i];
	return NULL;
}

void fake_fwcfg_set_item(u16 key, const void *data, size_t len)
{
	struct item *it = find_item(key);

	if (!it) {
		if (nitems == MAX_ITEMS)
			abort();
		it = &items[nitems++];
		it->key = key;
	} else {
		free(it->data);
	}
	it->data = malloc(len ? len : 1);
	if (!it->data)
		abort();
	if (len)
		memcpy(it->data, data, len);
	it->len = len;
}

void fake_fwcfg_release(void)
{
	unsigned int i;

	for (i = 0; i < nitems; i++)
		free(items[i].data);
	nitems = 0;
}

void fake_fwcfg_reset(void)
{
	fake_fwcfg_release();
	ndir = 0;
	dir_count = 0;
	memset(dir, 0, sizeof(dir));
	cur = NULL;
	cur_left = 0;
	fail_at = 0;
	accesses = 0;
	raw_dir = NULL;
	default_data = NULL;
	fake_fwcfg_set_item(FW_CFG_SIGNATURE, "QEMU", 4);
}

struct fake_fwcfg_dirent *fake_fwcfg_add_file(const char *name, u16 key, const void *data,
					      size_t len)
{
	struct fake_fwcfg_dirent *e;
	size_t n = strlen(name);

	if (ndir == FAKE_FWCFG_MAX_DIR)
		abort();
	e = &dir[ndir++];
	dir_count = ndir;
	memset(e, 0, sizeof(*e));
	e->size_be[0] = (u8)(len >> 24);
	e->size_be[1] = (u8)(len >> 16);
	e->size_be[2] = (u8)(len >> 8);
	e->size_be[3] = (u8)len;
	e->key_be[0] = (u8)(key >> 8);
	e->key_be[1] = (u8)key;
	memcpy(e->name, name, n < FW_CFG_NAME_LEN ? n : FW_CFG_NAME_LEN);
	fake_fwcfg_set_item(key, data, len);
	return e;
}

void fake_fwcfg_set_dir_count(u32 count)
{
	dir_count = count;
}

void fake_fwcfg_set_raw_dir(const void *data, size_t len)
{
	raw_dir = data;
	raw_dir_len = len;
}

void fake_fwcfg_set_default_item(const void *data, size_t len)
{
	default_data = data;
	default_len = len;
}

void fake_fwcfg_fail_access(unsigned int n)
{
	fail_at = n ? accesses + n : 0;
}

int fwcfg_port_select(u16 key)
{
	struct item *it;

	if (++accesses == fail_at)
		return -EIO;
	if (key == FW_CFG_FILE_DIR && raw_dir) {
		cur = raw_dir;
		cur_left = raw_dir_len;
		return 0;
	}
	if (key == FW_CFG_FILE_DIR) {
		dir_bytes[0] = (u8)(dir_count >> 24);
		dir_bytes[1] = (u8)(dir_count >> 16);
		dir_bytes[2] = (u8)(dir_count >> 8);
		dir_bytes[3] = (u8)dir_count;
		memcpy(dir_bytes + 4, dir, ndir * sizeof(dir[0]));
		cur = dir_bytes;
		cur_left = 4 + ndir * sizeof(dir[0]);
		return 0;
	}
	it = find_item(key);
	cur = it ? it->data : default_data;
	cur_left = it ? it->len : default_data ? default_len : 0;
	return 0;
}

int fwcfg_port_read(void *buf, size_t len)
{
	size_t n = len < cur_left ? len : cur_left;

	if (++accesses == fail_at)
		return -EIO;
	if (n)
		memcpy(buf, cur, n);
	memset((u8 *)buf + n, 0, len - n);
	cur += n;
	cur_left -= n;
	return 0;
}
