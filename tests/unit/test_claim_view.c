/* What one PVALIDATE request's pages must not overlap (src/guest/claimview.c). */
/* unit-srcs: src/guest/claimview.c */
#include "unit.h"
#include "guest/claimview.h"
#include "protocol/pvalidate_req.h"
#include "protocol/svsm.h"

#define MiB (1ULL << 20)

static struct claim_range ranges[4];
static struct claim_list lists[2];
static struct claim_view view = { .r = ranges, .lists = lists, .cap = 4, .cap_lists = 2 };

static int setup(void **state)
{
	(void)state;
	claim_view_reset(&view);
	return 0;
}

static void test_empty(void **state)
{
	(void)state;
	assert_int_equal(claim_view_check(&view, 0x1000, PAGE_SIZE), 0);
	assert_int_equal(claim_view_check(&view, 0, PAGE_2M_SIZE), 0);
}

/* A registered page (or own claim) answers INVALID_ADDRESS, another vCPU's claim BUSY;
 * 4 KiB and 2 MiB requests overlap by range, neighbours do not. */
static void test_ranges(void **state)
{
	(void)state;
	assert_int_equal(claim_view_add(&view, 8 * MiB + 0x2000, PAGE_SIZE, -EFAULT), 0);
	assert_int_equal(claim_view_add(&view, 16 * MiB, PAGE_SIZE, -EBUSY), 0);
	assert_int_equal(claim_view_check(&view, 8 * MiB + 0x2000, PAGE_SIZE), -EFAULT);
	assert_int_equal(claim_view_check(&view, 8 * MiB + 0x1000, PAGE_SIZE), 0);
	assert_int_equal(claim_view_check(&view, 8 * MiB + 0x3000, PAGE_SIZE), 0);
	assert_int_equal(claim_view_check(&view, 8 * MiB, PAGE_2M_SIZE), -EFAULT);
	assert_int_equal(claim_view_check(&view, 16 * MiB, PAGE_SIZE), -EBUSY);
	assert_int_equal(claim_view_check(&view, 16 * MiB, PAGE_2M_SIZE), -EBUSY);
	assert_int_equal(claim_view_check(&view, 18 * MiB, PAGE_2M_SIZE), 0);
}

/* The first range added decides when several overlap (registry before claims). */
static void test_order(void **state)
{
	(void)state;
	assert_int_equal(claim_view_add(&view, 0x5000, PAGE_SIZE, -EFAULT), 0);
	assert_int_equal(claim_view_add(&view, 0x4000, 0x2000, -EBUSY), 0);
	assert_int_equal(claim_view_check(&view, 0x5000, PAGE_SIZE), -EFAULT);
	assert_int_equal(claim_view_check(&view, 0x4000, PAGE_SIZE), -EBUSY);
}

/* Another vCPU's claimed entries: any overlap is BUSY, by each entry's own size. */
static void test_lists(void **state)
{
	static const u64 other[] = { 0x100000 | PVALIDATE_E_SIZE_4K,
				     0x400000 | PVALIDATE_E_SIZE_2M };

	(void)state;
	assert_int_equal(claim_view_add_list(&view, other, ARRAY_SIZE(other)), 0);
	assert_int_equal(claim_view_check(&view, 0x100000, PAGE_SIZE), -EBUSY);
	assert_int_equal(claim_view_check(&view, 0x101000, PAGE_SIZE), 0);
	assert_int_equal(claim_view_check(&view, 0x400000 + 0x1ff000, PAGE_SIZE), -EBUSY);
	assert_int_equal(claim_view_check(&view, 0x600000, PAGE_2M_SIZE), 0);
	assert_int_equal(claim_view_check(&view, 0x000000, PAGE_2M_SIZE), -EBUSY);
	/* Inside the list's hull but on none of its pages: free (the hull only filters). */
	assert_int_equal(claim_view_check(&view, 0x200000, PAGE_2M_SIZE), 0);
	assert_int_equal(claim_view_check(&view, 0x3ff000, PAGE_SIZE), 0);
	/* An empty list (the other vCPU claimed nothing yet) overlaps nothing. */
	claim_view_reset(&view);
	assert_int_equal(claim_view_add_list(&view, other, 0), 0);
	assert_int_equal(claim_view_check(&view, 0x100000, PAGE_SIZE), 0);
}

/* The hull takes every entry, not only the first and last (lists are in the guest's order). */
static void test_list_hull(void **state)
{
	static const u64 other[] = { 0x500000 | PVALIDATE_E_SIZE_4K, 0x100000 | PVALIDATE_E_SIZE_4K,
				     0xa00000 | PVALIDATE_E_SIZE_2M,
				     0x300000 | PVALIDATE_E_SIZE_4K };

	(void)state;
	assert_int_equal(claim_view_add_list(&view, other, ARRAY_SIZE(other)), 0);
	assert_int_equal(claim_view_check(&view, 0x100000, PAGE_SIZE), -EBUSY);
	assert_int_equal(claim_view_check(&view, 0xbff000, PAGE_SIZE), -EBUSY);
	assert_int_equal(claim_view_check(&view, 0x500000, PAGE_SIZE), -EBUSY);
	assert_int_equal(claim_view_check(&view, 0xc00000, PAGE_SIZE), 0);
	assert_int_equal(claim_view_check(&view, 0x0ff000, PAGE_SIZE), 0);
}

static void test_capacity(void **state)
{
	u32 i;

	(void)state;
	for (i = 0; i < 4; i++)
		assert_int_equal(claim_view_add(&view, i * PAGE_SIZE, PAGE_SIZE, -EBUSY), 0);
	assert_int_equal(claim_view_add(&view, 99 * PAGE_SIZE, PAGE_SIZE, -EBUSY), -ENOSPC);
	assert_int_equal(claim_view_check(&view, 99 * PAGE_SIZE, PAGE_SIZE), 0);
	assert_int_equal(claim_view_add_list(&view, NULL, 0), 0);
	assert_int_equal(claim_view_add_list(&view, NULL, 0), 0);
	assert_int_equal(claim_view_add_list(&view, NULL, 0), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_empty, setup),
		cmocka_unit_test_setup(test_ranges, setup),
		cmocka_unit_test_setup(test_order, setup),
		cmocka_unit_test_setup(test_lists, setup),
		cmocka_unit_test_setup(test_list_hull, setup),
		cmocka_unit_test_setup(test_capacity, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
