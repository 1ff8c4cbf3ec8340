/* Buddy allocator: layout, split and merge, exhaustion, bad frees, owners, and random
 * operations checked against a page-by-page reference model. */
/* unit-srcs: src/mm/buddy.c */
#include "unit.h"
#include "mm/buddy.h"

#define MiB (1024UL * 1024)

/* A region of @size bytes whose start is @misalign pages past a 4 MiB boundary. */
struct region {
	void *mem;
	void *start;
	size_t size;
};

static void region_get(struct region *r, size_t size, size_t misalign_pages)
{
	r->mem = test_alloc_aligned(4 * MiB, size + misalign_pages * PAGE_SIZE);
	r->start = (u8 *)r->mem + misalign_pages * PAGE_SIZE;
	r->size = size;
}

static void region_put(struct region *r)
{
	free(r->mem);
}

static void test_init_rejects(void **state)
{
	struct region r;
	struct buddy b;

	(void)state;
	region_get(&r, 1 * MiB, 0);
	assert_int_equal(buddy_init(&b, NULL, r.size), -EINVAL);
	assert_int_equal(buddy_init(&b, (u8 *)r.start + 8, r.size - PAGE_SIZE), -EINVAL);
	assert_int_equal(buddy_init(&b, r.start, r.size - 1), -EINVAL);
	assert_int_equal(buddy_init(&b, r.start, 0), -EINVAL);
	/* One page is all metadata: nothing would be left to manage. */
	assert_int_equal(buddy_init(&b, r.start, PAGE_SIZE), -EINVAL);
	assert_int_equal(buddy_init(&b, r.start, 2 * PAGE_SIZE), 0);
	assert_int_equal(b.npages, 1);
	assert_int_equal(buddy_check(&b), 0);
	region_put(&r);
}

/*
 * 16 MiB at a 4 MiB boundary: 8 metadata pages (4096 * 8 bytes), then blocks of orders
 * 3, 4, ..., 9 up to the first 4 MiB boundary and three order-10 blocks.
 */
static void test_layout_and_alignment(void **state)
{
	struct region r;
	struct buddy b;
	uintptr_t s;
	void *p[3];
	unsigned int k;

	(void)state;
	region_get(&r, 16 * MiB, 0);
	s = (uintptr_t)r.start;
	assert_int_equal(buddy_init(&b, r.start, r.size), 0);
	assert_int_equal(b.base, s + 8 * PAGE_SIZE);
	assert_int_equal(b.npages, 4096 - 8);
	assert_int_equal(buddy_free_pages(&b), 4096 - 8);
	assert_int_equal(buddy_check(&b), 0);

	for (k = 0; k < 3; k++) {
		p[k] = buddy_alloc(&b, 10);
		assert_non_null(p[k]);
		assert_true(IS_ALIGNED((uintptr_t)p[k], 4 * MiB));
		assert_true((uintptr_t)p[k] >= s + 4 * MiB);
	}
	assert_null(buddy_alloc(&b, 10));
	/* The only 2 MiB block left is the one at +2 MiB. */
	assert_ptr_equal(buddy_alloc(&b, 9), (void *)(s + 2 * MiB));
	assert_null(buddy_alloc(&b, 9));
	/* Then order 8 at +1 MiB, ..., order 3 right after the metadata. */
	for (k = 8; k >= 3; k--)
		assert_ptr_equal(buddy_alloc(&b, k), (void *)(s + (PAGE_SIZE << k)));
	assert_int_equal(buddy_free_pages(&b), 0);
	assert_null(buddy_alloc(&b, 0));
	assert_int_equal(buddy_check(&b), 0);
	region_put(&r);
}

static void test_split_and_merge(void **state)
{
	struct region r;
	struct buddy b;
	uintptr_t s, big;
	void *x, *y, *z;
	unsigned int k;

	(void)state;
	/* 8 MiB at a 4 MiB boundary: 4 metadata pages, blocks of orders 2..9, one of order 10. */
	region_get(&r, 8 * MiB, 0);
	s = (uintptr_t)r.start;
	big = s + 4 * MiB;
	assert_int_equal(buddy_init(&b, r.start, r.size), 0);
	for (k = 9; k >= 2; k--)
		assert_ptr_equal(buddy_alloc(&b, k), (void *)(s + (PAGE_SIZE << k)));
	assert_int_equal(buddy_free_pages(&b), 1024);

	/* An order-0 request splits the 4 MiB block ten times and takes its first page; the
	 * next one gets that page's buddy. */
	x = buddy_alloc(&b, 0);
	assert_ptr_equal(x, (void *)big);
	y = buddy_alloc(&b, 0);
	assert_ptr_equal(y, (void *)(big + PAGE_SIZE));
	/* One free block of each order 1..9 is left over from the split. */
	z = buddy_alloc(&b, 1);
	assert_ptr_equal(z, (void *)(big + 2 * PAGE_SIZE));
	assert_int_equal(buddy_free(&b, z), 0);
	assert_int_equal(buddy_check(&b), 0);
	assert_null(buddy_alloc(&b, 10));

	/* Freeing both pages merges every piece back into the order-10 block. */
	assert_int_equal(buddy_free(&b, y), 0);
	assert_null(buddy_alloc(&b, 10)); /* x still holds it */
	assert_int_equal(buddy_check(&b), 0);
	assert_int_equal(buddy_free(&b, x), 0);
	assert_int_equal(buddy_check(&b), 0);
	assert_ptr_equal(buddy_alloc(&b, 10), (void *)big);
	assert_int_equal(buddy_free_pages(&b), 0);
	region_put(&r);
}

static void test_exhaustion(void **state)
{
	struct region r;
	struct buddy b;
	void **pages;
	size_t n = 0, i;

	(void)state;
	region_get(&r, 4 * MiB, 5);
	assert_int_equal(buddy_init(&b, r.start, r.size), 0);
	pages = calloc(b.npages + 1, sizeof(*pages));
	assert_non_null(pages);
	while ((pages[n] = buddy_alloc(&b, 0)) != NULL) {
		assert_true(n < b.npages);
		memset(pages[n], 0xa5, PAGE_SIZE); /* ASan: the page is inside the region */
		n++;
	}
	assert_int_equal(n, b.npages);
	assert_int_equal(buddy_free_pages(&b), 0);
	for (i = 0; i <= BUDDY_MAX_ORDER; i++)
		assert_null(buddy_alloc(&b, (unsigned int)i));
	assert_null(buddy_alloc(&b, BUDDY_MAX_ORDER + 1));
	assert_int_equal(buddy_check(&b), 0);
	/* Free in an interleaved order; everything merges back. */
	for (i = 0; i < n; i += 2)
		assert_int_equal(buddy_free(&b, pages[i]), 0);
	for (i = 1; i < n; i += 2)
		assert_int_equal(buddy_free(&b, pages[i]), 0);
	assert_int_equal(buddy_free_pages(&b), b.npages);
	assert_int_equal(buddy_check(&b), 0);
	free(pages);
	region_put(&r);
}

/* A failed free must leave every byte of the allocator as it was. */
static void expect_bad_free(struct buddy *b, void *p, unsigned int owner)
{
	size_t meta_bytes = b->npages * 8;
	struct buddy saved = *b;
	void *meta = malloc(meta_bytes);

	assert_non_null(meta);
	memcpy(meta, b->meta, meta_bytes);
	assert_int_equal(buddy_free_owned(b, p, owner), -EINVAL);
	assert_memory_equal(&saved, b, sizeof(saved));
	assert_memory_equal(meta, b->meta, meta_bytes);
	free(meta);
}

static void test_bad_frees(void **state)
{
	struct region r;
	struct buddy b;
	u8 *a, *c, *end;

	(void)state;
	region_get(&r, 2 * MiB, 0);
	assert_int_equal(buddy_init(&b, r.start, r.size), 0);
	end = (u8 *)b.base + b.npages * PAGE_SIZE;
	a = buddy_alloc(&b, 2);
	c = buddy_alloc(&b, 0);
	assert_non_null(a);
	assert_non_null(c);

	expect_bad_free(&b, NULL, 0);
	expect_bad_free(&b, r.start, 0); /* the metadata page */
	expect_bad_free(&b, (u8 *)r.start - PAGE_SIZE, 0);
	expect_bad_free(&b, end, 0);
	expect_bad_free(&b, end + 64 * PAGE_SIZE, 0);
	expect_bad_free(&b, (void *)UINTPTR_MAX, 0);
	expect_bad_free(&b, a + 1, 0);	       /* unaligned */
	expect_bad_free(&b, a + PAGE_SIZE, 0); /* inside an allocated block */
	expect_bad_free(&b, a + 3 * PAGE_SIZE, 0);
	expect_bad_free(&b, c + PAGE_SIZE, 0); /* a free page (c's buddy) */
	expect_bad_free(&b, a, 1);	       /* wrong owner */
	assert_int_equal(buddy_block_order(&b, a + PAGE_SIZE), -EINVAL);

	assert_int_equal(buddy_free(&b, a), 0);
	expect_bad_free(&b, a, 0); /* double free */
	assert_int_equal(buddy_free(&b, c), 0);
	expect_bad_free(&b, c, 0);
	assert_int_equal(buddy_free_pages(&b), b.npages);
	assert_int_equal(buddy_check(&b), 0);
	region_put(&r);
}

/*
 * A free past the end of the managed range is refused by its address alone, whatever lies
 * where its metadata entry would be: here the metadata page's slack after the last entry
 * (buddy_init clears only the entries it uses) holds a copy of an allocated block's entry,
 * as memory handed to the allocator may (mutant buddy-index-bounds).
 */
static void test_free_past_end(void **state)
{
	struct region r;
	struct buddy b;
	size_t meta_bytes, idx;
	u8 *c, *end;

	(void)state;
	region_get(&r, 2 * MiB, 0);
	assert_int_equal(buddy_init(&b, r.start, r.size), 0);
	/* 512 pages: one metadata page of 512 entries for 511 pages, one entry of slack */
	assert_int_equal(b.npages, 511);
	assert_ptr_equal(b.meta, r.start);
	end = (u8 *)b.base + b.npages * PAGE_SIZE;
	c = buddy_alloc(&b, 0);
	assert_non_null(c);
	idx = (size_t)(c - (u8 *)b.base) >> PAGE_SHIFT;
	meta_bytes = b.npages * 8;
	memcpy((u8 *)b.meta + meta_bytes, (u8 *)b.meta + idx * 8, 8);

	expect_bad_free(&b, end, 0);
	assert_int_equal(buddy_block_order(&b, end), -EINVAL);
	assert_int_equal(buddy_free(&b, c), 0);
	assert_int_equal(buddy_free_pages(&b), b.npages);
	assert_int_equal(buddy_check(&b), 0);
	region_put(&r);
}

static void test_owners_and_find(void **state)
{
	struct region r;
	struct buddy b;
	void *blk;
	unsigned int owner;
	u8 *p, *q;

	(void)state;
	region_get(&r, 2 * MiB, 0);
	assert_int_equal(buddy_init(&b, r.start, r.size), 0);
	assert_null(buddy_alloc_owned(&b, 0, BUDDY_OWNERS));
	p = buddy_alloc_owned(&b, 3, 7);
	q = buddy_alloc(&b, 0);
	assert_non_null(p);
	assert_int_equal(buddy_block_order(&b, p), 3);

	assert_int_equal(buddy_find(&b, p, &blk, &owner), 3);
	assert_ptr_equal(blk, p);
	assert_int_equal(owner, 7);
	assert_int_equal(buddy_find(&b, p + 5 * PAGE_SIZE + 123, &blk, &owner), 3);
	assert_ptr_equal(blk, p);
	assert_int_equal(buddy_find(&b, p + 8 * PAGE_SIZE - 1, &blk, &owner), 3);
	assert_int_equal(buddy_find(&b, q + 17, &blk, &owner), 0);
	assert_ptr_equal(blk, q);
	assert_int_equal(owner, 0);
	/* Free memory, metadata and addresses outside are not blocks. */
	assert_int_equal(buddy_find(&b, q + PAGE_SIZE, &blk, &owner), -ENOENT);
	assert_int_equal(buddy_find(&b, r.start, &blk, &owner), -ENOENT);
	assert_int_equal(buddy_find(&b, (u8 *)r.start + r.size, &blk, &owner), -ENOENT);

	assert_int_equal(buddy_free(&b, p), -EINVAL);
	assert_int_equal(buddy_free_owned(&b, p, 7), 0);
	assert_int_equal(buddy_find(&b, p, &blk, &owner), -ENOENT);
	assert_int_equal(buddy_free(&b, q), 0);
	assert_int_equal(buddy_check(&b), 0);
	region_put(&r);
}

/* ---- random operations against a reference model ---- */

struct model_block {
	u8 *p;
	unsigned int order;
	unsigned int owner;
	u8 fill;
};

/* Reference: can a block of order k be allocated? Yes iff some 2^k-aligned (in address)
 * run of free pages lies inside the range (the buddy merges fully, so it must find it). */
static bool model_can_alloc(const struct buddy *b, const u8 *used, unsigned int k)
{
	size_t pages = (size_t)1 << k, i, j;
	uintptr_t pfn0 = b->base >> PAGE_SHIFT;

	for (i = (ALIGN_UP(pfn0, pages) - pfn0); i + pages <= b->npages; i += pages) {
		for (j = 0; j < pages && !used[i + j]; j++)
			;
		if (j == pages)
			return true;
	}
	return false;
}

static void random_run(u64 seed, size_t size, size_t misalign, unsigned int ops)
{
	struct region r;
	struct buddy b;
	struct model_block *blocks;
	size_t nblocks = 0, used_pages = 0, i;
	u8 *used;

	region_get(&r, size, misalign);
	assert_int_equal(buddy_init(&b, r.start, r.size), 0);
	used = calloc(b.npages, 1);
	blocks = calloc(b.npages, sizeof(*blocks));
	assert_non_null(used);
	assert_non_null(blocks);

	while (ops--) {
		u64 dice = prng_below(&seed, 100);

		if (dice < 55) {
			/* Mostly small orders, sometimes large ones. */
			unsigned int k =
				dice < 40 ? (unsigned int)prng_below(&seed, 3)
					  : (unsigned int)prng_below(&seed, BUDDY_ORDERS + 1);
			unsigned int owner = (unsigned int)prng_below(&seed, 3);
			bool expect = k <= BUDDY_MAX_ORDER && model_can_alloc(&b, used, k);
			u8 *p = buddy_alloc_owned(&b, k, owner);
			size_t idx;

			assert_int_equal(p != NULL, expect);
			if (!p)
				continue;
			assert_true(IS_ALIGNED((uintptr_t)p, PAGE_SIZE << k));
			idx = ((uintptr_t)p - b.base) >> PAGE_SHIFT;
			assert_true(idx + ((size_t)1 << k) <= b.npages);
			for (i = 0; i < ((size_t)1 << k); i++) {
				assert_false(used[idx + i]);
				used[idx + i] = 1;
			}
			used_pages += (size_t)1 << k;
			blocks[nblocks] = (struct model_block){ p, k, owner, (u8)(dice + 1) };
			memset(p, blocks[nblocks].fill, PAGE_SIZE << k);
			nblocks++;
		} else if (dice < 95 && nblocks) {
			size_t which = prng_below(&seed, nblocks);
			struct model_block m = blocks[which];
			size_t idx = ((uintptr_t)m.p - b.base) >> PAGE_SHIFT;

			/* Nobody else wrote into this block while it was allocated. */
			for (i = 0; i < (PAGE_SIZE << m.order); i += 509)
				assert_int_equal(m.p[i], m.fill);
			if (m.owner)
				assert_int_equal(buddy_free_owned(&b, m.p, m.owner - 1), -EINVAL);
			assert_int_equal(buddy_free_owned(&b, m.p, m.owner), 0);
			for (i = 0; i < ((size_t)1 << m.order); i++)
				used[idx + i] = 0;
			used_pages -= (size_t)1 << m.order;
			blocks[which] = blocks[--nblocks];
			/* A double free is refused. */
			assert_int_equal(buddy_free_owned(&b, m.p, m.owner), -EINVAL);
		} else {
			/* A random page-aligned pointer that is not an allocated block start. */
			size_t idx = prng_below(&seed, b.npages);
			u8 *p = (u8 *)b.base + idx * PAGE_SIZE;
			void *blk;
			unsigned int owner;
			int order = buddy_find(&b, p, &blk, &owner);

			assert_int_equal(order >= 0, used[idx]);
			if (order >= 0 && blk != p)
				assert_int_equal(buddy_free_owned(&b, p, owner), -EINVAL);
		}
		assert_int_equal(buddy_free_pages(&b), b.npages - used_pages);
		assert_int_equal(buddy_check(&b), 0);
	}

	while (nblocks) {
		nblocks--;
		assert_int_equal(buddy_free_owned(&b, blocks[nblocks].p, blocks[nblocks].owner), 0);
	}
	assert_int_equal(buddy_free_pages(&b), b.npages);
	assert_int_equal(buddy_check(&b), 0);
	free(used);
	free(blocks);
	region_put(&r);
}

static void test_random_vs_model(void **state)
{
	(void)state;
	random_run(0x1234567, 4 * MiB, 0, 6000);
	random_run(0xfeedface, 6 * MiB, 3, 6000); /* range not 4 MiB aligned at either end */
	random_run(0xabcdef01, 9 * MiB + 5 * PAGE_SIZE, 511, 6000);
	random_run(0x5eed, 64 * PAGE_SIZE, 1, 3000); /* small: runs dry often */
}

/*
 * The last block's buddy lies past the end of the range. The metadata area has room for more
 * entries than the range has pages, and the slots past npages are never initialised: here each
 * holds a copy of a real free head of the last block's order. Freeing the last block must not
 * merge with that garbage, and nothing past the range may ever be handed out.
 */
static void check_no_merge_past_end(size_t npages, unsigned int last_order)
{
	struct region r;
	struct buddy b;
	size_t last = npages - ((size_t)1 << last_order), slots = PAGE_SIZE / 8, i, n = 0;
	u64 *meta, poison;
	u8 *end, *p, *q;

	/* One metadata page (npages < 511), then a range starting 4 MiB aligned: every block is as large as
	 * the range's size allows, and the last one's buddy is the block right after it. */
	region_get(&r, (npages + 1) * PAGE_SIZE, 1023);
	assert_int_equal(buddy_init(&b, r.start, r.size), 0);
	assert_int_equal(b.npages, npages);
	assert_true(IS_ALIGNED(b.base, 4 * MiB));
	end = (u8 *)b.base + npages * PAGE_SIZE;
	meta = (u64 *)b.meta;
	poison = meta[last];
	for (i = npages; i < slots; i++)
		meta[i] = poison;

	p = buddy_alloc(&b, last_order);
	assert_ptr_equal(p, (u8 *)b.base + last * PAGE_SIZE);
	assert_int_equal(buddy_free(&b, p), 0);
	assert_int_equal(buddy_check(&b), 0);
	assert_int_equal(buddy_free_pages(&b), npages);
	for (i = npages; i < slots; i++)
		assert_true(meta[i] == poison);

	/* Every page once, all inside the range. */
	while ((q = buddy_alloc(&b, 0)) != NULL) {
		assert_true(q >= (u8 *)b.base && q < end);
		n++;
	}
	assert_int_equal(n, npages);
	region_put(&r);
}

static void test_no_merge_past_end(void **state)
{
	(void)state;
	check_no_merge_past_end(5, 0); /* order 2, then order 0 whose buddy is page 5 */
	check_no_merge_past_end(6, 1); /* order 2, then order 1 whose buddy is pages 6-7 */
	check_no_merge_past_end(256 + 8,
				3); /* order 8, then order 3 whose buddy is pages 264-271 */
}

/* A corrupted free list or counter is what buddy_check exists to catch. */
static void test_check_detects_corruption(void **state)
{
	struct region r;
	struct buddy b;

	(void)state;
	region_get(&r, 2 * MiB, 0);
	assert_int_equal(buddy_init(&b, r.start, r.size), 0);
	assert_int_equal(buddy_check(&b), 0);
	b.free_pages--;
	assert_int_equal(buddy_check(&b), -EPROTO);
	b.free_pages++;
	((u64 *)b.meta)[0] = 0; /* the head of the first free block becomes a tail */
	assert_int_equal(buddy_check(&b), -EPROTO);
	region_put(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_rejects),
		cmocka_unit_test(test_layout_and_alignment),
		cmocka_unit_test(test_split_and_merge),
		cmocka_unit_test(test_exhaustion),
		cmocka_unit_test(test_bad_frees),
		cmocka_unit_test(test_free_past_end),
		cmocka_unit_test(test_owners_and_find),
		cmocka_unit_test(test_random_vs_model),
		cmocka_unit_test(test_no_merge_past_end),
		cmocka_unit_test(test_check_detects_corruption),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
