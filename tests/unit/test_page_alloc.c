/* The global page allocator: init once, zeroing, owners, bad frees, counters. */
/* unit-srcs: src/mm/buddy.c src/mm/page_alloc.c */
#include "unit.h"
#include "mm/page_alloc.h"

#define REGION (2UL * 1024 * 1024)

static u8 *region;

/* Runs first: nothing works before page_alloc_init. */
static void test_before_init(void **state)
{
	(void)state;
	assert_null(page_alloc(0));
	assert_int_equal(page_free(region), -EINVAL);
	assert_int_equal(page_alloc_free_pages(), 0);
	assert_int_equal(page_alloc_total_pages(), 0);
}

static void test_init_once(void **state)
{
	(void)state;
	assert_int_equal(page_alloc_init(region + 1, REGION - PAGE_SIZE), -EINVAL);
	assert_int_equal(page_alloc_init(region, REGION), 0);
	assert_int_equal(page_alloc_total_pages(), REGION / PAGE_SIZE - 1); /* 1 metadata page */
	assert_int_equal(page_alloc_free_pages(), page_alloc_total_pages());
	assert_int_equal(page_alloc_init(region, REGION), -EBUSY);
}

static void test_zalloc_zeroes(void **state)
{
	u8 *p, *q;
	size_t i;

	(void)state;
	p = page_alloc(2);
	assert_non_null(p);
	assert_true(IS_ALIGNED((uintptr_t)p, 4 * PAGE_SIZE));
	memset(p, 0xcc, 4 * PAGE_SIZE);
	assert_int_equal(page_free(p), 0);
	q = page_zalloc(2);
	assert_ptr_equal(q, p); /* the same block comes back... */
	for (i = 0; i < 4 * PAGE_SIZE; i++) /* ...cleared */
		assert_int_equal(q[i], 0);
	assert_int_equal(page_free(q), 0);
	assert_int_equal(page_alloc_free_pages(), page_alloc_total_pages());
}

static void test_bad_frees_and_owners(void **state)
{
	size_t before = page_alloc_free_pages();
	u8 *p = page_alloc(1), *o;
	void *blk;
	unsigned int owner;

	(void)state;
	assert_non_null(p);
	assert_int_equal(page_free(NULL), 0);
	assert_int_equal(page_free(p + PAGE_SIZE), -EINVAL);
	assert_int_equal(page_free(p + 8), -EINVAL);
	assert_int_equal(page_free(region), -EINVAL); /* metadata */
	assert_int_equal(page_free(&owner), -EINVAL); /* not in the range at all */

	o = page_alloc_owned(0, PAGE_OWNER_SLAB);
	assert_non_null(o);
	assert_int_equal(page_free(o), -EINVAL); /* someone else's block */
	assert_int_equal(page_find(o + 100, &blk, &owner), 0);
	assert_ptr_equal(blk, o);
	assert_int_equal(owner, PAGE_OWNER_SLAB);
	assert_int_equal(page_find(p + PAGE_SIZE + 1, &blk, &owner), 1);
	assert_ptr_equal(blk, p);
	assert_int_equal(owner, PAGE_OWNER_PAGE);
	assert_int_equal(page_free_owned(o, PAGE_OWNER_KMALLOC), -EINVAL);
	assert_int_equal(page_free_owned(o, PAGE_OWNER_SLAB), 0);

	assert_int_equal(page_free(p), 0);
	assert_int_equal(page_free(p), -EINVAL);
	assert_int_equal(page_alloc_free_pages(), before);
}

static void test_exhaust(void **state)
{
	size_t total = page_alloc_total_pages(), n = 0, i;
	void **pages = calloc(total + 1, sizeof(void *));

	(void)state;
	assert_non_null(pages);
	while ((pages[n] = page_alloc(0)) != NULL)
		n++;
	assert_int_equal(n, total);
	assert_int_equal(page_alloc_free_pages(), 0);
	assert_null(page_zalloc(0));
	for (i = 0; i < n; i++)
		assert_int_equal(page_free(pages[i]), 0);
	assert_int_equal(page_alloc_free_pages(), total);
	assert_non_null(pages[0] = page_alloc(8));
	assert_int_equal(page_free(pages[0]), 0);
	free(pages);
}

static int setup(void **state)
{
	(void)state;
	region = test_alloc_aligned(REGION, REGION);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(region);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_before_init),
		cmocka_unit_test(test_init_once),
		cmocka_unit_test(test_zalloc_zeroes),
		cmocka_unit_test(test_bad_frees_and_owners),
		cmocka_unit_test(test_exhaust),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
