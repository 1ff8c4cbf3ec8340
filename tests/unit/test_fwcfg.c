/* fw_cfg over an in-memory device: signature, directory walk (big-endian, bounds, names,
 * keys), file reads with size checks, u64 files, nb_cpus bounds, e820 parsing. */
/* unit-srcs: src/dev/fwcfg.c tests/unit/fake_fwcfg.c */
#include "unit.h"
#include "fake_fwcfg.h"

static const u8 bios_gpa[8] = { 0x00, 0x00, 0xc0, 0xff, 0, 0, 0, 0 }; /* 0xffc00000 LE */

static void standard_device(void)
{
	fake_fwcfg_reset();
	fake_fwcfg_add_file("bootorder", 0x20, "", 0);
	fake_fwcfg_add_file("etc/bios_gpa", 0x21, bios_gpa, 8);
	fake_fwcfg_add_file("etc/bios_size", 0x22, "\x00\x00\x40\x00\x00\x00\x00\x00", 8);
	fake_fwcfg_add_file("etc/odd", 0x23, "1234567", 7);
}

static int setup(void **state)
{
	(void)state;
	standard_device();
	return 0;
}

static void test_signature(void **state)
{
	(void)state;
	standard_device();
	assert_int_equal(fwcfg_init(), 0);
	fake_fwcfg_set_item(FW_CFG_SIGNATURE, "QEMX", 4);
	assert_int_equal(fwcfg_init(), -ENODEV);
	fake_fwcfg_set_item(FW_CFG_SIGNATURE, "", 0); /* reads as zeros */
	assert_int_equal(fwcfg_init(), -ENODEV);
	standard_device();
	fake_fwcfg_fail_access(1);
	assert_int_equal(fwcfg_init(), -EIO);
	fake_fwcfg_fail_access(2);
	assert_int_equal(fwcfg_init(), -EIO);
}

static void test_find_file(void **state)
{
	char name[FW_CFG_NAME_LEN + 1];
	u16 key = 0;
	u32 size = 0;

	(void)state;
	standard_device();
	assert_int_equal(fwcfg_find_file("etc/bios_size", &key, &size), 0);
	assert_int_equal(key, 0x22);
	assert_int_equal(size, 8);
	assert_int_equal(fwcfg_find_file("etc/bios_gp", &key, &size), -ENOENT);
	assert_int_equal(fwcfg_find_file("etc/bios_gpa/", &key, &size), -ENOENT);
	assert_int_equal(fwcfg_find_file("", &key, &size), -ENOENT);

	/* Names use up to 55 bytes plus the NUL; a longer name cannot be looked up. */
	memset(name, 'n', sizeof(name));
	name[FW_CFG_NAME_LEN - 1] = 0;
	fake_fwcfg_add_file(name, 0x3fff, "x", 1);
	assert_int_equal(fwcfg_find_file(name, &key, &size), 0);
	assert_int_equal(key, 0x3fff);
	name[FW_CFG_NAME_LEN - 1] = 'n';
	name[FW_CFG_NAME_LEN] = 0;
	assert_int_equal(fwcfg_find_file(name, &key, &size), -EINVAL);

	/* Big-endian size in the directory. */
	standard_device();
	{
		static u8 big[0x10203];

		fake_fwcfg_add_file("big", 0x30, big, sizeof(big));
	}
	assert_int_equal(fwcfg_find_file("big", &key, &size), 0);
	assert_int_equal(size, 0x10203);
}

static void expect_dir_malformed(const char *want)
{
	u16 key = 0x7777;
	u32 size = 0x7777;

	assert_int_equal(fwcfg_find_file(want, &key, &size), -EPROTO);
	assert_int_equal(key, 0x7777);
	assert_int_equal(size, 0x7777);
}

static void test_directory_malformed(void **state)
{
	struct fake_fwcfg_dirent *e;
	u16 key;
	u32 size;
	unsigned int i;

	(void)state;
	/* A name filling all 56 bytes, even in an entry nobody asked for. */
	standard_device();
	e = fake_fwcfg_add_file("x", 0x30, "", 0);
	memset(e->name, 'A', FW_CFG_NAME_LEN);
	expect_dir_malformed("etc/bios_gpa");

	/* Keys outside the file range. */
	standard_device();
	fake_fwcfg_add_file("low", 0x19, "", 0);
	expect_dir_malformed("etc/bios_gpa");
	standard_device();
	fake_fwcfg_add_file("write", 0x4000, "", 0);
	expect_dir_malformed("etc/bios_gpa");
	standard_device();
	fake_fwcfg_add_file("arch", 0x8003, "", 0);
	expect_dir_malformed("etc/bios_gpa");

	/* The wanted name twice. */
	standard_device();
	fake_fwcfg_add_file("etc/bios_gpa", 0x31, bios_gpa, 8);
	expect_dir_malformed("etc/bios_gpa");

	/* Too many entries claimed; more claimed than present (the rest reads as zeros). */
	standard_device();
	fake_fwcfg_set_dir_count(FW_CFG_MAX_FILES + 1);
	expect_dir_malformed("etc/bios_gpa");
	standard_device();
	fake_fwcfg_set_dir_count(0xffffffff);
	expect_dir_malformed("etc/bios_gpa");
	standard_device();
	fake_fwcfg_set_dir_count(5);
	expect_dir_malformed("etc/bios_gpa");

	/* Exactly FW_CFG_MAX_FILES entries are fine. */
	fake_fwcfg_reset();
	for (i = 0; i < FW_CFG_MAX_FILES; i++) {
		char name[16];

		snprintf(name, sizeof(name), "f%u", i);
		fake_fwcfg_add_file(name, (u16)(0x20 + i), "", 0);
	}
	assert_int_equal(fwcfg_find_file("f1023", &key, &size), 0);
	assert_int_equal(key, 0x20 + 1023);
	assert_int_equal(fwcfg_find_file("f1024", &key, &size), -ENOENT);
	/* One more, every entry well-formed: too many. */
	fake_fwcfg_add_file("f1024", 0x20 + 1024, "", 0);
	assert_int_equal(fwcfg_find_file("f1", &key, &size), -EPROTO);

	/* An empty directory has no files. */
	fake_fwcfg_reset();
	assert_int_equal(fwcfg_find_file("etc/bios_gpa", &key, &size), -ENOENT);

	/* Port errors anywhere in the walk. */
	for (i = 1; i <= 6; i++) {
		standard_device();
		fake_fwcfg_fail_access(i);
		assert_int_equal(fwcfg_find_file("etc/odd", &key, &size), -EIO);
	}
}

static void test_read_file(void **state)
{
	u8 buf[16];
	size_t len = 0;
	u64 v = 0;

	(void)state;
	standard_device();
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(fwcfg_read_file("etc/odd", buf, 7, &len), 0);
	assert_int_equal(len, 7);
	assert_memory_equal(buf, "1234567", 7);
	assert_int_equal(buf[7], 0xee); /* nothing past the file's size is written */

	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(fwcfg_read_file("etc/odd", buf, 6, &len), -E2BIG);
	assert_int_equal(len, 7);
	assert_int_equal(buf[0], 0xee);
	assert_int_equal(fwcfg_read_file("bootorder", buf, 0, &len), 0);
	assert_int_equal(len, 0);
	assert_int_equal(fwcfg_read_file("nope", buf, 16, &len), -ENOENT);

	assert_int_equal(fwcfg_read_u64("etc/bios_gpa", &v), 0);
	assert_int_equal(v, 0xffc00000);
	assert_int_equal(fwcfg_read_u64("etc/bios_size", &v), 0);
	assert_int_equal(v, 0x400000);
	v = 42;
	assert_int_equal(fwcfg_read_u64("etc/odd", &v), -EPROTO);
	assert_int_equal(fwcfg_read_u64("bootorder", &v), -EPROTO);
	assert_int_equal(fwcfg_read_u64("nope", &v), -ENOENT);
	assert_int_equal(v, 42);
	fake_fwcfg_add_file("nine", 0x40, "123456789", 9);
	assert_int_equal(fwcfg_read_u64("nine", &v), -EPROTO);
	/* Port errors after the lookup: select, count, 5 entries, then select and read. */
	fake_fwcfg_fail_access(8);
	assert_int_equal(fwcfg_read_u64("etc/bios_gpa", &v), -EIO);
	fake_fwcfg_fail_access(9);
	assert_int_equal(fwcfg_read_u64("etc/bios_gpa", &v), -EIO);
	assert_int_equal(v, 42);
	fake_fwcfg_fail_access(10);
	assert_int_equal(fwcfg_read_u64("etc/bios_gpa", &v), 0);
}

static void test_nb_cpus(void **state)
{
	static const struct {
		u8 raw[2];
		int rc;
		u16 n;
	} cases[] = {
		{ { 1, 0 }, 0, 1 },	  { { 4, 0 }, 0, 4 },	    { { 0, 1 }, 0, 256 },
		{ { 0, 0 }, -EPROTO, 0 }, { { 1, 1 }, -EPROTO, 0 }, { { 0xff, 0xff }, -EPROTO, 0 },
	};
	unsigned int i;
	u16 n;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		standard_device();
		fake_fwcfg_set_item(FW_CFG_NB_CPUS, cases[i].raw, 2);
		n = 0x5555;
		assert_int_equal(fwcfg_nb_cpus(&n), cases[i].rc);
		assert_int_equal(n, cases[i].rc ? 0x5555 : cases[i].n);
	}
	standard_device(); /* no item: reads as 0 */
	assert_int_equal(fwcfg_nb_cpus(&n), -EPROTO);
}

static void put_e820(u8 *p, u64 addr, u64 size, u32 type)
{
	int i;

	for (i = 0; i < 8; i++) {
		p[i] = (u8)(addr >> (8 * i));
		p[8 + i] = (u8)(size >> (8 * i));
	}
	for (i = 0; i < 4; i++)
		p[16 + i] = (u8)(type >> (8 * i));
}

static int e820_with(const u8 *raw, size_t len, struct e820_entry *e, size_t max, size_t *n)
{
	standard_device();
	fake_fwcfg_add_file("etc/e820", 0x30, raw, len);
	return fwcfg_e820(e, max, n);
}

static void test_e820(void **state)
{
	u8 raw[5 * 20];
	struct e820_entry e[4];
	size_t n = 99;

	(void)state;
	put_e820(raw, 0, 0xa0000, E820_TYPE_RAM);
	put_e820(raw + 20, 0x100000, 0x7ff00000, E820_TYPE_RAM);
	put_e820(raw + 40, 0xfeffc000, 0x4000, E820_TYPE_RESERVED);
	assert_int_equal(e820_with(raw, 60, e, 4, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(e[1].addr, 0x100000);
	assert_int_equal(e[1].size, 0x7ff00000);
	assert_int_equal(e[1].type, E820_TYPE_RAM);
	assert_int_equal(e[2].type, E820_TYPE_RESERVED);
	assert_int_equal(e820_with(raw, 60, e, 3, &n), 0);

	n = 99;
	assert_int_equal(e820_with(raw, 60, e, 2, &n), -E2BIG);
	assert_int_equal(e820_with(raw, 59, e, 4, &n), -EPROTO);
	assert_int_equal(e820_with(raw, 61, e, 4, &n), -EPROTO);
	assert_int_equal(e820_with(raw, 0, e, 4, &n), -EPROTO);
	put_e820(raw + 20, 0x100000, 0, E820_TYPE_RAM); /* empty entry */
	assert_int_equal(e820_with(raw, 60, e, 4, &n), -EPROTO);
	put_e820(raw + 20, 0xfffffffffffff000ULL, 0x2000, E820_TYPE_RAM); /* wraps */
	assert_int_equal(e820_with(raw, 60, e, 4, &n), -EPROTO);
	put_e820(raw + 20, 0xfffffffffffff000ULL, 0x1000, E820_TYPE_RAM); /* ends at 2^64 */
	assert_int_equal(e820_with(raw, 60, e, 4, &n), -EPROTO);
	put_e820(raw + 20, 0xffffffffffffe000ULL, 0x1000, E820_TYPE_RAM);
	assert_int_equal(n, 99);
	assert_int_equal(e820_with(raw, 60, e, 4, &n), 0);
	assert_int_equal(n, 3);

	standard_device(); /* no etc/e820 */
	assert_int_equal(fwcfg_e820(e, 4, &n), -ENOENT);
}

static int teardown(void **state)
{
	(void)state;
	fake_fwcfg_release();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signature),
		cmocka_unit_test(test_find_file),
		cmocka_unit_test(test_directory_malformed),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_nb_cpus),
		cmocka_unit_test(test_e820),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
