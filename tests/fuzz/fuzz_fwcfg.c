/*
 * fw_cfg directory and e820 parsing over an arbitrary device. Input layout:
 *   [u16 dir_len][dir_len bytes: the directory item][2 bytes: nb_cpus][rest: every file]
 * (all files read the same bytes: whatever key the directory names). Whatever the device
 * says, the results must respect the documented bounds.
 */
/* fuzz-srcs: src/dev/fwcfg.c tests/unit/fake_fwcfg.c */
#include <stdlib.h>
#include <string.h>
#include "fake_fwcfg.h"
#include "lib/errno.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct e820_entry e[16];
	u8 buf[64];
	size_t dir_len, n = 0, len = 0, i;
	u16 key, cpus;
	u32 fsize;
	u64 v;
	int rc;

	if (size < 4)
		return 0;
	dir_len = MIN((size_t)(data[0] | data[1] << 8), size - 4);
	fake_fwcfg_reset();
	fake_fwcfg_set_raw_dir(data + 2, dir_len);
	fake_fwcfg_set_item(FW_CFG_NB_CPUS, data + 2 + dir_len, 2);
	fake_fwcfg_set_default_item(data + 4 + dir_len, size - 4 - dir_len);

	if (fwcfg_init())
		abort();
	rc = fwcfg_find_file("etc/e820", &key, &fsize);
	if (rc == 0 && (key < FW_CFG_FILE_FIRST || key >= FW_CFG_FILE_KEY_END))
		abort();
	if (rc != 0 && rc != -ENOENT && rc != -EPROTO)
		abort();

	rc = fwcfg_read_file("etc/bios_gpa", buf, sizeof(buf), &len);
	if (rc == 0 && len > sizeof(buf))
		abort();
	rc = fwcfg_read_u64("etc/bios_size", &v);
	if (rc != 0 && rc != -ENOENT && rc != -EPROTO)
		abort();
	rc = fwcfg_nb_cpus(&cpus);
	if (rc == 0 && (cpus == 0 || cpus > FW_CFG_MAX_CPUS))
		abort();

	rc = fwcfg_e820(e, ARRAY_SIZE(e), &n);
	if (rc == 0) {
		/* The file holds exactly n 20-byte entries. */
		if (n == 0 || n > ARRAY_SIZE(e) || fwcfg_find_file("etc/e820", &key, &fsize) ||
		    fsize != n * 20)
			abort();
		for (i = 0; i < n; i++)
			if (e[i].size == 0 || e[i].addr + e[i].size < e[i].addr ||
			    e[i].addr + e[i].size == 0)
				abort();
	} else if (rc != -ENOENT && rc != -EPROTO && rc != -E2BIG) {
		abort();
	}
	fake_fwcfg_release();
	return 0;
}
