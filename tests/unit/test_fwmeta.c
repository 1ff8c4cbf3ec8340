/* The guest firmware metadata parser (guest/fwmeta.h): well-formed images in the test
 * firmware's and Debian OVMF's layouts, then every defect the parser must refuse, and a sweep
 * of truncations and offsets under ASan (no read outside the buffers). */
/* unit-srcs: src/guest/fwmeta.c src/lib/guidtable.c */
#include "unit.h"
#include "guest/fwmeta.h"
#include "lib/guidtable.h"

#define FW_SIZE 0x10000ULL
#define FW_GPA (0x100000000ULL - FW_SIZE)
#define ASEV_OFF 0x800 /* ASEV at image end - ASEV_OFF */

struct sec {
	u32 gpa, size, type;
};

/* The test firmware's sections (tests/guest/fw/layout.h). */
static const struct sec guest_secs[] = {
	{ 0x800000, 0xe0000, FW_SECTION_PREVALIDATED },
	{ 0x8e0000, 0x1000, FW_SECTION_SECRETS },
	{ 0x8e1000, 0x1000, FW_SECTION_CPUID },
	{ 0x8e2000, 0x1000, FW_SECTION_SVSM_CAA },
};

/* Debian 13's OVMF (facts §10). */
static const struct sec ovmf_secs[] = {
	{ 0x800000, 0x9000, FW_SECTION_PREVALIDATED },
	{ 0x80a000, 0x3000, FW_SECTION_PREVALIDATED },
	{ 0x80d000, 0x1000, FW_SECTION_SECRETS },
	{ 0x80e000, 0x1000, FW_SECTION_CPUID },
	{ 0x80f000, 0x1000, FW_SECTION_SVSM_CAA },
	{ 0x810000, 0x10000, FW_SECTION_PREVALIDATED },
};

static u8 image[FW_SIZE];

static void put32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

/* The ASEV structure at image end - ASEV_OFF. */
static void put_asev(const struct sec *s, u32 n)
{
	u8 *a = image + FW_SIZE - ASEV_OFF;
	u32 i;

	put32(a, FWMETA_ASEV_SIGNATURE);
	put32(a + 4, FWMETA_ASEV_HDR_SIZE + n * FWMETA_SECTION_SIZE);
	put32(a + 8, FWMETA_ASEV_VERSION);
	put32(a + 12, n);
	for (i = 0; i < n; i++) {
		put32(a + 16 + i * 12, s[i].gpa);
		put32(a + 20 + i * 12, s[i].size);
		put32(a + 24 + i * 12, s[i].type);
	}
}

/* The footer table ending 0x20 bytes before the end: metadata offset and (optionally) the
 * SEV-ES reset block with @reset. */
static void put_footer(bool with_reset, u32 reset, u32 asev_off)
{
	static const struct guid footer = OVMF_FOOTER_GUID;
	static const struct guid rb = OVMF_SEV_ES_RESET_BLOCK_GUID;
	static const struct guid meta = OVMF_SEV_METADATA_GUID;
	struct guidtable_builder b;
	u8 tbl[256], v[4];
	int len;

	guidtable_begin(&b, tbl, sizeof(tbl));
	put32(v, asev_off);
	assert_int_equal(guidtable_add(&b, &meta, v, 4), 0);
	if (with_reset) {
		put32(v, reset);
		assert_int_equal(guidtable_add(&b, &rb, v, 4), 0);
	}
	len = guidtable_finish(&b, &footer);
	assert_true(len > 0);
	memset(image + FW_SIZE - 0x20 - 256, 0, 256 + 0x20);
	memcpy(image + FW_SIZE - 0x20 - (size_t)len, tbl, (size_t)len);
}

static void build(const struct sec *s, u32 n)
{
	memset(image, 0, sizeof(image));
	put_asev(s, n);
	put_footer(true, (u32)(FW_GPA + FW_SIZE - 0xfe7), ASEV_OFF);
}

/* Both steps, each on an exactly sized heap copy, for the image at @fw_gpa. */
static int parse_at(struct fwmeta *m, u64 fw_gpa)
{
	size_t tail = FWMETA_TAIL_MAX;
	u8 *t = malloc(tail), *a;
	size_t alen;
	int rc;

	memcpy(t, image + FW_SIZE - tail, tail);
	rc = fwmeta_parse_footer(t, tail, fw_gpa, FW_SIZE, m);
	free(t);
	if (rc)
		return rc;
	alen = fwmeta_asev_bytes(m);
	a = malloc(alen);
	memcpy(a, image + FW_SIZE - m->asev_offset, alen);
	rc = fwmeta_parse_asev(a, alen, m);
	free(a);
	return rc;
}

/* The image where the host puts OVMF: ending at 4 GiB. */
static int parse(struct fwmeta *m)
{
	return parse_at(m, FW_GPA);
}

static void test_guest_layout(void **state)
{
	struct fwmeta m;

	(void)state;
	build(guest_secs, 4);
	assert_int_equal(parse(&m), 0);
	assert_true(m.has_reset_block);
	assert_int_equal(m.ap_reset_addr, FW_GPA + FW_SIZE - 0xfe7);
	assert_int_equal(m.asev_offset, ASEV_OFF);
	assert_int_equal(m.nr_sections, 4);
	assert_int_equal(m.secrets, 1);
	assert_int_equal(m.cpuid, 2);
	assert_int_equal(m.caa, 3);
	assert_int_equal(m.sec[0].gpa, 0x800000);
	assert_int_equal(m.sec[0].size, 0xe0000);
	assert_int_equal(m.sec[3].type, FW_SECTION_SVSM_CAA);
	assert_int_equal(m.fw_gpa, FW_GPA);
	assert_int_equal(m.fw_size, FW_SIZE);
}

static void test_ovmf_layout(void **state)
{
	struct fwmeta m;

	(void)state;
	build(ovmf_secs, 6);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(m.nr_sections, 6);
	assert_int_equal(m.secrets, 2);
	assert_int_equal(m.cpuid, 3);
	assert_int_equal(m.caa, 4);
	assert_int_equal(m.sec[5].size, 0x10000);
}

static void test_reset_block(void **state)
{
	struct fwmeta m;

	(void)state;
	build(guest_secs, 4);
	put_footer(false, 0, ASEV_OFF);
	assert_int_equal(parse(&m), 0);
	assert_false(m.has_reset_block);
	/* Outside the image: OVMF 2025.02's AP reset code is in RAM (CS base 0x0080_0000, IP
	 * 0xb004); any 32-bit address is taken as given. */
	put_footer(true, 0x0080b004, ASEV_OFF);
	assert_int_equal(parse(&m), 0);
	assert_true(m.has_reset_block);
	assert_int_equal(m.ap_reset_addr, 0x0080b004);
	put_footer(true, 0, ASEV_OFF);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(m.ap_reset_addr, 0);
	/* but it is one u32 */
	{
		static const struct guid footer = OVMF_FOOTER_GUID;
		static const struct guid rb = OVMF_SEV_ES_RESET_BLOCK_GUID;
		static const struct guid meta = OVMF_SEV_METADATA_GUID;
		struct guidtable_builder b;
		u8 tbl[128], v[8] = { 0 };
		int len;

		guidtable_begin(&b, tbl, sizeof(tbl));
		put32(v, ASEV_OFF);
		assert_int_equal(guidtable_add(&b, &meta, v, 4), 0);
		assert_int_equal(guidtable_add(&b, &rb, v, 8), 0);
		len = guidtable_finish(&b, &footer);
		memset(image + FW_SIZE - 0x20 - 256, 0, 256 + 0x20);
		memcpy(image + FW_SIZE - 0x20 - (size_t)len, tbl, (size_t)len);
		assert_int_equal(parse(&m), -EPROTO);
	}
}

static void test_missing(void **state)
{
	struct fwmeta m;
	u8 *t;

	(void)state;
	build(guest_secs, 4);
	/* no footer GUID at end - 0x20 */
	t = image + FW_SIZE - 0x20 - 16;
	t[3] ^= 1;
	assert_int_equal(parse(&m), -ENOENT);
	/* a table without the metadata entry */
	{
		static const struct guid footer = OVMF_FOOTER_GUID;
		static const struct guid rb = OVMF_SEV_ES_RESET_BLOCK_GUID;
		struct guidtable_builder b;
		u8 tbl[64], v[4];
		int len;

		memset(image, 0, sizeof(image));
		guidtable_begin(&b, tbl, sizeof(tbl));
		put32(v, (u32)FW_GPA);
		assert_int_equal(guidtable_add(&b, &rb, v, 4), 0);
		len = guidtable_finish(&b, &footer);
		memcpy(image + FW_SIZE - 0x20 - (size_t)len, tbl, (size_t)len);
		assert_int_equal(parse(&m), -ENOENT);
	}
}

static void test_asev_offset(void **state)
{
	static const u32 bad[] = { 0, 1, 15, (u32)FW_SIZE + 1, 0xffffffff };
	struct fwmeta m;
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		build(guest_secs, 4);
		put_footer(true, (u32)FW_GPA, bad[i]);
		assert_int_equal(parse(&m), -EPROTO);
	}
	/* a metadata entry of the wrong size */
	{
		static const struct guid footer = OVMF_FOOTER_GUID;
		static const struct guid meta = OVMF_SEV_METADATA_GUID;
		struct guidtable_builder b;
		u8 tbl[64], v[8] = { 0 };
		int len;

		build(guest_secs, 4);
		memset(image + FW_SIZE - 0x20 - 64, 0, 64);
		guidtable_begin(&b, tbl, sizeof(tbl));
		put32(v, ASEV_OFF);
		assert_int_equal(guidtable_add(&b, &meta, v, 8), 0);
		len = guidtable_finish(&b, &footer);
		memcpy(image + FW_SIZE - 0x20 - (size_t)len, tbl, (size_t)len);
		assert_int_equal(parse(&m), -EPROTO);
	}
}

static void test_asev_header(void **state)
{
	u8 *a = image + FW_SIZE - ASEV_OFF;
	struct fwmeta m;

	(void)state;
	build(guest_secs, 4);
	put32(a, 0x56455342); /* not "ASEV" */
	assert_int_equal(parse(&m), -EPROTO);
	build(guest_secs, 4);
	put32(a + 8, 2); /* version */
	assert_int_equal(parse(&m), -EPROTO);
	build(guest_secs, 4);
	put32(a + 4, 16 + 4 * 12 + 1); /* length not header + sections */
	assert_int_equal(parse(&m), -EPROTO);
	build(guest_secs, 4);
	put32(a + 4, 16 + 3 * 12);
	assert_int_equal(parse(&m), -EPROTO);
	build(guest_secs, 4);
	put32(a + 12, 0); /* no sections */
	put32(a + 4, 16);
	assert_int_equal(parse(&m), -EPROTO);
	build(guest_secs, 4);
	put32(a + 12, FWMETA_MAX_SECTIONS + 1);
	put32(a + 4, 16 + (FWMETA_MAX_SECTIONS + 1) * 12);
	assert_int_equal(parse(&m), -EPROTO);
	build(guest_secs, 4);
	put32(a + 12, 0x80000000); /* count * 12 would wrap a u32 */
	put32(a + 4, 16);
	assert_int_equal(parse(&m), -EPROTO);
}

/* The ASEV structure near the end of the image: its length runs past the image end. */
static void test_asev_past_end(void **state)
{
	struct fwmeta m;
	u8 *a;

	(void)state;
	build(guest_secs, 4);
	a = image + FW_SIZE - 0x20 - 64 - 16; /* 16 bytes before the table area we cleared */
	put32(a, FWMETA_ASEV_SIGNATURE);
	put32(a + 4, 16 + 4 * 12);
	put32(a + 8, 1);
	put32(a + 12, 4);
	put_footer(true, (u32)FW_GPA, (u32)(image + FW_SIZE - a));
	assert_int_equal(parse(&m), -EPROTO);
}

static void one_bad_section(struct sec s, int want)
{
	struct sec secs[5];
	struct fwmeta m;

	memcpy(secs, guest_secs, sizeof(guest_secs));
	secs[4] = s;
	build(secs, 5);
	assert_int_equal(parse(&m), want);
}

static void test_sections(void **state)
{
	(void)state;
	one_bad_section((struct sec){ 0x900000, 0x1000, FW_SECTION_PREVALIDATED }, 0);
	one_bad_section((struct sec){ 0x900000, 0x1000, FW_SECTION_KERNEL_HASHES }, 0);
	one_bad_section((struct sec){ 0x900800, 0x1000, FW_SECTION_PREVALIDATED }, -EPROTO);
	one_bad_section((struct sec){ 0x900000, 0x800, FW_SECTION_PREVALIDATED }, -EPROTO);
	one_bad_section((struct sec){ 0x900000, 0, FW_SECTION_PREVALIDATED }, -EPROTO);
	one_bad_section((struct sec){ 0xfffff000, 0x2000, FW_SECTION_PREVALIDATED }, -EPROTO);
	one_bad_section((struct sec){ 0xfffff000, 0xfffff000, FW_SECTION_PREVALIDATED }, -EPROTO);
	/* overlapping the firmware image, another section */
	one_bad_section((struct sec){ (u32)FW_GPA - 0x1000, 0x2000, FW_SECTION_PREVALIDATED },
			-EPROTO);
	one_bad_section((struct sec){ 0x8df000, 0x2000, FW_SECTION_PREVALIDATED }, -EPROTO);
	one_bad_section((struct sec){ 0x7ff000, 0x2000, FW_SECTION_PREVALIDATED }, -EPROTO);
	/* unknown type, second secrets / CPUID / calling area */
	one_bad_section((struct sec){ 0x900000, 0x1000, 5 }, -EPROTO);
	one_bad_section((struct sec){ 0x900000, 0x1000, 0 }, -EPROTO);
	one_bad_section((struct sec){ 0x900000, 0x1000, FW_SECTION_SECRETS }, -EPROTO);
	one_bad_section((struct sec){ 0x900000, 0x1000, FW_SECTION_CPUID }, -EPROTO);
	one_bad_section((struct sec){ 0x900000, 0x1000, FW_SECTION_SVSM_CAA }, -EPROTO);
}

static void test_required_sections(void **state)
{
	struct fwmeta m;
	unsigned int drop;

	(void)state;
	/* Without the secrets page, the CPUID page or the calling area the SVSM cannot launch
	 * the firmware under itself. */
	for (drop = 1; drop < 4; drop++) {
		struct sec secs[3];
		unsigned int i, n = 0;

		for (i = 0; i < 4; i++)
			if (i != drop)
				secs[n++] = guest_secs[i];
		build(secs, 3);
		assert_int_equal(parse(&m), -EPROTO);
	}
}

/*
 * A firmware that ends below 4 GiB (FW_LOW_GPA + FW_SIZE = 4 GiB - 1 MiB): the checks that
 * an image ending at 4 GiB makes redundant: a section that ends above 4 GiB is refused, here
 * without overlapping the image (mutant fwmeta-section-4g). An AP reset address beyond the
 * image is accepted (the SEV-ES reset block's address may lie in RAM, as OVMF's does).
 */
#define FW_LOW_GPA (0x100000000ULL - 0x100000 - FW_SIZE)

static void build_low(const struct sec *s, u32 n)
{
	build(s, n);
	put_footer(true, (u32)(FW_LOW_GPA + FW_SIZE - 0xfe7), ASEV_OFF);
}

static void test_image_below_4g(void **state)
{
	struct sec secs[5];
	struct fwmeta m;

	(void)state;
	build_low(guest_secs, 4);
	assert_int_equal(parse_at(&m, FW_LOW_GPA), 0);
	assert_int_equal(m.ap_reset_addr, FW_LOW_GPA + FW_SIZE - 0xfe7);
	/* the reset address may lie outside the image (OVMF's is in RAM): recorded as given */
	put_footer(true, (u32)(FW_LOW_GPA + FW_SIZE), ASEV_OFF);
	assert_int_equal(parse_at(&m, FW_LOW_GPA), 0);
	assert_int_equal(m.ap_reset_addr, FW_LOW_GPA + FW_SIZE);
	put_footer(true, 0xfffffff0, ASEV_OFF);
	assert_int_equal(parse_at(&m, FW_LOW_GPA), 0);
	assert_int_equal(m.ap_reset_addr, 0xfffffff0);

	/* a section in the last page below 4 GiB is fine; one running a page past 4 GiB not */
	memcpy(secs, guest_secs, sizeof(guest_secs));
	secs[4] = (struct sec){ 0xfffff000, 0x1000, FW_SECTION_PREVALIDATED };
	build_low(secs, 5);
	assert_int_equal(parse_at(&m, FW_LOW_GPA), 0);
	secs[4] = (struct sec){ 0xfffff000, 0x2000, FW_SECTION_PREVALIDATED };
	build_low(secs, 5);
	assert_int_equal(parse_at(&m, FW_LOW_GPA), -EPROTO);
	secs[4] = (struct sec){ 0xfff00000, 0x101000, FW_SECTION_PREVALIDATED };
	build_low(secs, 5);
	assert_int_equal(parse_at(&m, FW_LOW_GPA), -EPROTO);
}

/*
 * A section count whose count * 12 wraps around 32 bits to a plausible length: count
 * 0x15555556 gives 0x100000008, so length 16 + 8 = 24 would match. The structure is refused
 * for its count, before any section is read past the 24 bytes (ASan would report the read;
 * mutant fwmeta-count-max).
 */
static void test_count_wraps(void **state)
{
	struct fwmeta m;
	u8 *a;

	(void)state;
	build(guest_secs, 4);
	assert_int_equal(parse(&m), 0);
	a = malloc(24);
	memset(a, 0, 24);
	put32(a, FWMETA_ASEV_SIGNATURE);
	put32(a + 4, 24);
	put32(a + 8, FWMETA_ASEV_VERSION);
	put32(a + 12, 0x15555556);
	assert_int_equal(fwmeta_parse_asev(a, 24, &m), -EPROTO);
	free(a);
}

static void test_image_range(void **state)
{
	struct fwmeta m;
	u8 tail[FWMETA_TAIL_MAX] = { 0 };

	(void)state;
	assert_int_equal(fwmeta_parse_footer(tail, sizeof(tail), FW_GPA, 0, &m), -EINVAL);
	assert_int_equal(fwmeta_parse_footer(tail, sizeof(tail), FW_GPA + 1, FW_SIZE, &m), -EINVAL);
	assert_int_equal(fwmeta_parse_footer(tail, sizeof(tail), FW_GPA, FW_SIZE + 1, &m), -EINVAL);
	assert_int_equal(fwmeta_parse_footer(tail, sizeof(tail), FW_GPA + 0x1000, FW_SIZE, &m),
			 -EINVAL);
	assert_int_equal(fwmeta_parse_footer(tail, sizeof(tail), 0xfffffffffffff000ULL, 0x2000, &m),
			 -EINVAL);
	/* the tail must be min(size, FWMETA_TAIL_MAX) bytes */
	assert_int_equal(fwmeta_parse_footer(tail, 100, FW_GPA, FW_SIZE, &m), -EINVAL);
	/* a one-page image is read whole */
	assert_int_equal(fwmeta_parse_footer(tail, 0x1000, 0xfffff000, 0x1000, &m), -ENOENT);
}

/* Every ASEV length the SVSM could pass (truncation) and every metadata offset: no crash,
 * and success only for the right ones. */
static void test_sweep(void **state)
{
	struct fwmeta m0, m;
	u32 off;
	size_t len;

	(void)state;
	build(guest_secs, 4);
	assert_int_equal(parse(&m0), 0);
	for (len = 0; len <= fwmeta_asev_bytes(&m0); len++) {
		u8 *a = malloc(len ? len : 1);
		int rc;

		memcpy(a, image + FW_SIZE - ASEV_OFF, len);
		m = m0;
		rc = fwmeta_parse_asev(a, len, &m);
		assert_int_equal(rc, len >= 16 + 4 * 12 ? 0 : -EPROTO);
		free(a);
	}
	for (off = 0; off <= 0x1100; off++) {
		put_footer(true, (u32)FW_GPA, off);
		if (parse(&m) == 0)
			assert_int_equal(off, ASEV_OFF);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guest_layout),
		cmocka_unit_test(test_ovmf_layout),
		cmocka_unit_test(test_reset_block),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_asev_offset),
		cmocka_unit_test(test_asev_header),
		cmocka_unit_test(test_asev_past_end),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_required_sections),
		cmocka_unit_test(test_image_below_4g),
		cmocka_unit_test(test_count_wraps),
		cmocka_unit_test(test_image_range),
		cmocka_unit_test(test_sweep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
