/* SNP CPUID table (facts §7 "SNP CPUID table"): structure, subleaf-indexed leaves, leaf 0xd by
 * XCR0/XSS, table bounds, C-bit, COHERENCY_SFW_NO. */
/* unit-srcs: src/sev/cpuid.c */
#include "unit.h"
#include "sev/cpuid.h"

static struct snp_cpuid_table *table;

static void add(u32 leaf, u32 subleaf, u64 xcr0, u64 xss, u32 eax, u32 ebx)
{
	struct snp_cpuid_fn *fn = &table->fn[table->count++];

	fn->eax_in = leaf;
	fn->ecx_in = subleaf;
	fn->xcr0_in = xcr0;
	fn->xss_in = xss;
	fn->eax = eax;
	fn->ebx = ebx;
	fn->ecx = ~eax;
	fn->edx = ~ebx;
}

static int setup(void **state)
{
	(void)state;
	table = test_alloc_aligned(PAGE_SIZE, PAGE_SIZE);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(table);
	return 0;
}

static void expect_hit(u32 leaf, u32 subleaf, u64 xcr0, u64 xss, u32 eax)
{
	struct cpuid_result r;

	assert_int_equal(snp_cpuid_lookup(table, leaf, subleaf, xcr0, xss, &r), 0);
	assert_int_equal(r.eax, eax);
	assert_int_equal(r.ecx, ~eax);
}

static void expect_miss(u32 leaf, u32 subleaf, u64 xcr0, u64 xss)
{
	struct cpuid_result r;

	assert_int_equal(snp_cpuid_lookup(table, leaf, subleaf, xcr0, xss, &r), -ENOENT);
}

static void test_layout_and_check(void **state)
{
	(void)state;
	/* Entries start at 0x10 and are 0x30 bytes (facts §7). */
	assert_int_equal(offsetof(struct snp_cpuid_table, fn), 0x10);
	assert_int_equal(offsetof(struct snp_cpuid_fn, eax), 0x18);
	assert_int_equal(offsetof(struct snp_cpuid_fn, edx), 0x24);
	table->count = 0;
	assert_int_equal(snp_cpuid_table_check(table), -EPROTO);
	table->count = 1;
	assert_int_equal(snp_cpuid_table_check(table), 0);
	table->count = SNP_CPUID_MAX_ENTRIES;
	assert_int_equal(snp_cpuid_table_check(table), 0);
	table->count = SNP_CPUID_MAX_ENTRIES + 1;
	assert_int_equal(snp_cpuid_table_check(table), -EPROTO);
	table->count = 0xffffffff;
	assert_int_equal(snp_cpuid_table_check(table), -EPROTO);
}

static void test_lookup(void **state)
{
	struct cpuid_result r;

	(void)state;
	memset(table, 0, PAGE_SIZE);
	add(0x0, 0, 0, 0, 0x10, 0);
	add(0x1, 0x55, 0, 0, 0x11, 0); /* ecx_in of a plain leaf is ignored */
	add(0x7, 0, 0, 0, 0x70, 0);
	add(0x7, 1, 0, 0, 0x71, 0);
	add(0xd, 0, 0x1, 0, 0xd0, 576);
	add(0xd, 0, 0x7, 0, 0xd1, 832);
	add(0xd, 1, 0x7, 0, 0xd2, 832);
	add(0xd, 1, 0x7, 0x100, 0xd3, 848);
	add(0xd, 2, 0x1, 0, 0xd4, 256);
	add(0x8000001d, 3, 0, 0, 0x1d3, 0);
	add(0x80000008, 0, 0, 0, 0x808, 0);
	add(0x80000008, 0, 0, 0, 0x809, 0); /* duplicate: the first one wins */

	expect_hit(0x0, 0, 0, 0, 0x10);
	expect_hit(0x1, 0, 0, 0, 0x11);
	expect_hit(0x1, 0x1234, 0x7, 0x9, 0x11);
	expect_hit(0x7, 0, 0, 0, 0x70);
	expect_hit(0x7, 1, 0, 0, 0x71);
	expect_miss(0x7, 2, 0, 0);
	/* 0xd.0 by XCR0 (XSS does not matter), 0xd.1 by XCR0 and XSS, 0xd.n>1 by subleaf. */
	expect_hit(0xd, 0, 0x1, 0, 0xd0);
	expect_hit(0xd, 0, 0x7, 0x100, 0xd1);
	expect_miss(0xd, 0, 0x3, 0);
	expect_hit(0xd, 1, 0x7, 0, 0xd2);
	expect_hit(0xd, 1, 0x7, 0x100, 0xd3);
	expect_miss(0xd, 1, 0x7, 0x800);
	expect_miss(0xd, 1, 0x1, 0);
	expect_hit(0xd, 2, 0xe7, 0x100, 0xd4);
	expect_hit(0x8000001d, 3, 0, 0, 0x1d3);
	expect_miss(0x8000001d, 0, 0, 0);
	expect_hit(0x80000008, 0, 0, 0, 0x808);
	expect_miss(0x2, 0, 0, 0);
	expect_miss(0x40000000, 0, 0, 0);

	/* Entries past count are not part of the table. */
	table->count = 3;
	expect_miss(0x7, 1, 0, 0);
	/* A count out of range is refused, not trusted. */
	table->count = 0;
	assert_int_equal(snp_cpuid_lookup(table, 0, 0, 0, 0, &r), -EPROTO);
	table->count = 65;
	assert_int_equal(snp_cpuid_lookup(table, 0, 0, 0, 0, &r), -EPROTO);
	assert_int_equal(snp_cpuid_cbit(table), -EPROTO);
}

static void test_cbit(void **state)
{
	(void)state;
	memset(table, 0, PAGE_SIZE);
	add(0x80000000, 0, 0, 0, 0x80000021, 0);
	assert_int_equal(snp_cpuid_cbit(table), -ENOENT);
	add(0x8000001f, 0, 0, 0, 0x1b, 0x4173); /* EBX[5:0] = 51, [11:6] phys-bit reduction */
	assert_int_equal(snp_cpuid_cbit(table), 51);
}

/* EBX[31] of leaf 0x8000001f (sev/evict.h); without the leaf, or in a malformed table, the
 * bit counts as clear so that the eviction is done. */
static void test_coherency_sfw_no(void **state)
{
	(void)state;
	memset(table, 0, PAGE_SIZE);
	add(0x80000000, 0, 0, 0, 0x80000021, 0x80000000);
	assert_false(snp_cpuid_coherency_sfw_no(table));
	add(0x8000001f, 0, 0, 0, 0x1b, 0x7fffffff);
	assert_false(snp_cpuid_coherency_sfw_no(table));
	table->fn[1].ebx = 0x80004173;
	assert_true(snp_cpuid_coherency_sfw_no(table));
	table->count = 65;
	assert_false(snp_cpuid_coherency_sfw_no(table));
}

static void test_subleaf_leaves(void **state)
{
	static const u32 yes[] = { 0x4,	 0x7,  0xb,	   0xd,	       0xf,	  0x10, 0x12,
				   0x14, 0x17, 0x18,	   0x1d,       0x1e,	  0x1f, 0x20,
				   0x23, 0x24, 0x8000001d, 0x80000020, 0x80000026 };
	static const u32 no[] = { 0x0,	      0x1,	  0x2,	      0x3,	  0x5,
				  0x6,	      0x8,	  0xa,	      0xc,	  0xe,
				  0x11,	      0x15,	  0x16,	      0x19,	  0x1a,
				  0x21,	      0x22,	  0x25,	      0x80000000, 0x80000001,
				  0x80000008, 0x8000001e, 0x8000001f, 0x80000021, 0x80000027,
				  0x4000000d, 0xd0000000, 0xffffffff };
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(yes); i++)
		assert_true(snp_cpuid_leaf_has_subleaf(yes[i]));
	for (i = 0; i < ARRAY_SIZE(no); i++)
		assert_false(snp_cpuid_leaf_has_subleaf(no[i]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_and_check),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_cbit),
		cmocka_unit_test(test_coherency_sfw_no),
		cmocka_unit_test(test_subleaf_leaves),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
