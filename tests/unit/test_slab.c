/* SLAB caches and kmalloc over the real page allocator: geometry, every size class,
 * alignment, reuse, bad frees, shrink, exhaustion of the page source, and two threads. */
/* unit-srcs: src/mm/buddy.c src/mm/page_alloc.c src/mm/slab.c src/mm/kmalloc.c src/mm/kmalloc_slab.c */
#include "unit.h"
#include <pthread.h>
#include "mm/kmalloc.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"

#define REGION (2UL * 1024 * 1024)

static u8 *region;
/* Free pages after kmalloc_init: kmalloc's page map holds the rest for good. */
static size_t base_free;

/* Each thread is one "CPU" of the per-CPU fast path: the main thread 0, workers their own. */
static __thread unsigned int cpu_id;

unsigned int kmalloc_cpu_id(void)
{
	return cpu_id;
}

/* Every test leaves the allocators as it found them: all pages back after a shrink. */
static void expect_all_pages_free(void)
{
	kmalloc_shrink();
	assert_int_equal(page_alloc_free_pages(), base_free);
}

static void test_cache_init_rejects(void **state)
{
	struct slab_cache c;

	(void)state;
	assert_int_equal(slab_cache_init(&c, "x", 0, 8), -EINVAL);
	assert_int_equal(slab_cache_init(&c, "x", SLAB_MAX_OBJECT + 1, 8), -EINVAL);
	assert_int_equal(slab_cache_init(&c, "x", 64, 3), -EINVAL);
	assert_int_equal(slab_cache_init(&c, "x", 64, 128), -EINVAL);
	assert_int_equal(slab_cache_init(&c, "x", 1, 0), 0);
	assert_int_equal(c.align, 8);
	assert_int_equal(c.obj_size, 16);
	assert_int_equal(slab_cache_init(&c, "x", 100, 32), 0);
	assert_int_equal(c.obj_size, 128);
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

/* Fill one slab of a cache completely and check where the objects went. */
static void check_geometry(size_t size, size_t align)
{
	struct slab_cache c;
	uintptr_t *objs;
	void *blk, *blk0 = NULL;
	unsigned int owner, i, n;

	assert_int_equal(slab_cache_init(&c, "geometry", size, align), 0);
	n = c.objs_per_slab;
	assert_true(n >= 1);
	objs = calloc(n, sizeof(*objs));
	assert_non_null(objs);
	for (i = 0; i < n; i++) {
		u8 *p = slab_alloc(&c);

		assert_non_null(p);
		objs[i] = (uintptr_t)p;
		assert_true(IS_ALIGNED(objs[i], c.align));
		/* Objects never span a page boundary... */
		assert_true((objs[i] & (PAGE_SIZE - 1)) + c.obj_size <= PAGE_SIZE);
		/* ...and all come from the one slab block, past its header. */
		assert_int_equal(page_find(p, &blk, &owner), (int)c.slab_order);
		assert_int_equal(owner, PAGE_OWNER_SLAB);
		if (!blk0)
			blk0 = blk;
		assert_ptr_equal(blk, blk0);
		assert_true(objs[i] >= (uintptr_t)blk + 64);
		memset(p, (int)i, c.obj_size);
	}
	assert_int_equal(c.nr_slabs, 1);
	assert_int_equal(c.nr_objects, n);
	qsort(objs, n, sizeof(*objs), cmp_ptr);
	for (i = 1; i < n; i++)
		assert_true(objs[i - 1] + c.obj_size <= objs[i]);
	/* At most an eighth of the slab is wasted unless the largest slab order is in use. */
	if (c.slab_order < 3)
		assert_true((PAGE_SIZE << c.slab_order) - n * c.obj_size <=
			    (PAGE_SIZE << c.slab_order) / 8);

	/* The next object needs a second slab. */
	blk = slab_alloc(&c);
	assert_non_null(blk);
	assert_int_equal(c.nr_slabs, 2);
	assert_int_equal(slab_free(&c, blk), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(slab_free(&c, (void *)objs[i]), 0);
	assert_int_equal(c.nr_objects, 0);
	assert_int_equal(slab_shrink(&c), (size_t)2 << c.slab_order);
	assert_int_equal(c.nr_slabs, 0);
	free(objs);
	expect_all_pages_free();
}

static void test_geometry(void **state)
{
	static const size_t sizes[][2] = {
		{ 1, 0 },    { 8, 8 },	   { 16, 16 },	 { 24, 8 },    { 48, 16 },   { 64, 64 },
		{ 100, 4 },  { 129, 64 },  { 256, 64 },	 { 500, 8 },   { 512, 64 },  { 700, 32 },
		{ 1000, 8 }, { 1024, 64 }, { 1500, 16 }, { 2000, 64 }, { 2048, 64 }, { 2047, 1 },
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		check_geometry(sizes[i][0], sizes[i][1]);
}

static size_t class_of(size_t size)
{
	size_t c = 16;

	while (c < size)
		c <<= 1;
	return c;
}

static void test_kmalloc_classes(void **state)
{
	static const size_t sizes[] = { 1,    15,   16,	  17,	 31,	32,	33,   63,   64,
					65,   127,  128,  129,	 255,	256,	257,  511,  512,
					513,  1000, 1024, 1025,	 2047,	2048,	2049, 4095, 4096,
					4097, 8192, 8193, 12288, 65536, 1 << 20 };
	void *p[ARRAY_SIZE(sizes)];
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t s = sizes[i];

		p[i] = kmalloc(s);
		assert_non_null(p[i]);
		if (s <= SLAB_MAX_OBJECT) {
			assert_int_equal(ksize(p[i]), class_of(s));
			assert_true(IS_ALIGNED((uintptr_t)p[i], MIN(class_of(s), 64)));
		} else {
			assert_true(IS_ALIGNED((uintptr_t)p[i], PAGE_SIZE));
			assert_true(ksize(p[i]) >= s && ksize(p[i]) / 2 < ALIGN_UP(s, PAGE_SIZE));
		}
		memset(p[i], 0x5a, ksize(p[i]));
	}
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		assert_int_equal(kfree(p[i]), 0);
	assert_null(kmalloc(0));
	assert_null(kmalloc((PAGE_SIZE << 10) + 1));
	assert_null(kmalloc(SIZE_MAX));
	assert_int_equal(kfree(NULL), 0);
	expect_all_pages_free();
}

static void test_reuse_and_kzalloc(void **state)
{
	u8 *p, *q;
	size_t i;

	(void)state;
	p = kmalloc(128);
	assert_non_null(p);
	memset(p, 0xff, 128);
	assert_int_equal(kfree(p), 0);
	q = kzalloc(100);
	assert_ptr_equal(q, p); /* the freed slot is the first free one again */
	for (i = 0; i < 100; i++)
		assert_int_equal(q[i], 0);
	assert_int_equal(kfree(q), 0);
	/* A freed slab stays in the cache until shrunk. */
	assert_true(page_alloc_free_pages() < page_alloc_total_pages());
	expect_all_pages_free();
}

/* A refused free changes nothing: the counters stay and the object can still be freed. */
static void expect_kfree_refused(void *p)
{
	size_t pages = page_alloc_free_pages();

	assert_int_equal(kfree(p), -EINVAL);
	assert_int_equal(page_alloc_free_pages(), pages);
}

static void test_bad_frees(void **state)
{
	struct slab_cache c1, c2;
	u8 *small, *big, *two, *pg, *o1, *o2, *other;
	void *blk;
	unsigned int owner;
	int local;

	(void)state;
	small = kmalloc(40);	      /* kmalloc-64 */
	big = kmalloc(3 * PAGE_SIZE); /* 4 pages */
	two = kmalloc(2048);	      /* kmalloc-2048: multi-page slabs */
	pg = page_alloc(0);
	other = malloc(64);
	assert_non_null(small);
	assert_non_null(big);
	assert_non_null(two);
	assert_non_null(pg);
	assert_non_null(other);

	expect_kfree_refused(&local);
	expect_kfree_refused(other);
	expect_kfree_refused(small + 1);
	expect_kfree_refused(small + 32);
	expect_kfree_refused(big + PAGE_SIZE);
	expect_kfree_refused(big + 8);
	expect_kfree_refused(two + 1024);
	expect_kfree_refused(pg);     /* page_alloc memory */
	expect_kfree_refused(region); /* page allocator metadata */
	assert_int_equal(page_find(small, &blk, &owner), 0);
	expect_kfree_refused(blk);		   /* the slab header */
	assert_int_equal(page_free(blk), -EINVAL); /* a slab page is not page_free's */
	assert_int_equal(page_free(big), -EINVAL);
	assert_int_equal(ksize(small + 1), 0);
	assert_int_equal(ksize(pg), 0);

	/* Objects of one cache are refused by another cache and by kfree. */
	assert_int_equal(slab_cache_init(&c1, "c1", 64, 64), 0);
	assert_int_equal(slab_cache_init(&c2, "c2", 64, 64), 0);
	o1 = slab_alloc(&c1);
	o2 = slab_alloc(&c2);
	assert_int_equal(slab_free(&c2, o1), -EINVAL);
	assert_int_equal(slab_free(&c1, small), -EINVAL);
	expect_kfree_refused(o1);
	assert_int_equal(c1.nr_objects, 1);
	assert_int_equal(slab_free(&c1, o1), 0);
	assert_int_equal(slab_free(&c1, o1), -EINVAL); /* double free */
	assert_int_equal(slab_free(&c2, o2), 0);
	slab_shrink(&c1);
	slab_shrink(&c2);

	/* A stride that is no power of two (the reciprocal path): inside an object, refused. */
	assert_int_equal(slab_cache_init(&c1, "c100", 100, 8), 0);
	o1 = slab_alloc(&c1);
	o2 = slab_alloc(&c1);
	assert_int_equal(slab_free(&c1, (u8 *)o1 + 8), -EINVAL);
	assert_int_equal(slab_free(&c1, (u8 *)o2 - 8), -EINVAL);
	assert_int_equal(slab_free(&c1, o2), 0);
	assert_int_equal(slab_free(&c1, o1), 0);
	slab_shrink(&c1);

	/* The real frees still work, once. */
	assert_int_equal(kfree(small), 0);
	expect_kfree_refused(small);
	assert_int_equal(kfree(big), 0);
	expect_kfree_refused(big);
	assert_int_equal(kfree(two), 0);
	expect_kfree_refused(two);
	assert_int_equal(page_free(pg), 0);
	free(other);
	expect_all_pages_free();
}

/* Objects from a SLAB cache or from kmalloc: the tail tests run on both. */
struct obj_source {
	struct slab_cache *cache; /* NULL: kmalloc(size) and kfree */
	size_t size;
};

static void *src_alloc(const struct obj_source *s)
{
	return s->cache ? slab_alloc(s->cache) : kmalloc(s->size);
}

static int src_free(const struct obj_source *s, void *p)
{
	return s->cache ? slab_free(s->cache, p) : kfree(p);
}

/*
 * A slab page's unused tail (past its last object) is no object, even where a pointer into it
 * is aligned to the object size: its index would name an object of the next page. With every
 * object of one slab in use (geometry @g: the cache itself or a twin of a kmalloc class),
 * freeing the tail must be refused and change nothing: the slab stays full and every object
 * frees exactly once.
 */
static void check_tail_refused(const struct obj_source *s, const struct slab_cache *g)
{
	unsigned int n = g->objs_per_slab, i, page, owner, tails = 0;
	void **objs = calloc(n + 1, sizeof(*objs));
	u8 *slab = NULL;

	assert_non_null(objs);
	for (i = 0; i < n; i++) {
		void *blk;

		objs[i] = src_alloc(s);
		assert_non_null(objs[i]);
		assert_int_equal(page_find(objs[i], &blk, &owner), (int)g->slab_order);
		if (!slab)
			slab = blk;
		assert_ptr_equal(blk, slab);
	}
	for (page = 0; page < (1U << g->slab_order); page++) {
		size_t first = page ? 0 : g->first_offset;
		size_t per_page = page ? PAGE_SIZE / g->obj_size : g->objs_first_page;
		u8 *tail = slab + (size_t)page * PAGE_SIZE + first + per_page * g->obj_size;

		if (tail >= slab + (size_t)(page + 1) * PAGE_SIZE)
			continue; /* no tail in this page */
		tails++;
		if (s->cache) {
			assert_int_equal(slab_free(s->cache, tail), -EINVAL);
			assert_int_equal(s->cache->nr_objects, n);
		} else {
			expect_kfree_refused(tail);
			assert_int_equal(ksize(tail), 0);
		}
	}
	assert_true(tails > 0);
	objs[n] = src_alloc(s);
	assert_non_null(objs[n]);
	for (i = 0; i < n; i++)
		assert_ptr_not_equal(objs[n], objs[i]);
	for (i = 0; i <= n; i++)
		assert_int_equal(src_free(s, objs[i]), 0);
	for (i = 0; i <= n; i++)
		assert_int_equal(src_free(s, objs[i]), -EINVAL);
	free(objs);
	if (s->cache)
		slab_shrink(s->cache);
	expect_all_pages_free();
}

static void test_slab_tail_refused(void **state)
{
	/* size, align, slab order */
	static const size_t geometries[][3] = {
		{ 2048, 64, 2 }, /* one object after the header in the first page, a tail at 2112 */
		{ 1100, 4, 3 },	 /* three objects and a 796-byte tail in every page */
		{ 40, 8, 0 },	 /* a 32-byte tail */
	};
	struct slab_cache c;
	struct obj_source s = { &c, 0 };
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(geometries); i++) {
		assert_int_equal(slab_cache_init(&c, "tail", geometries[i][0], geometries[i][1]),
				 0);
		assert_int_equal(c.slab_order, geometries[i][2]);
		check_tail_refused(&s, &c);
	}
}

/* The same through kmalloc, kfree and ksize: the kmalloc-2048 class (size 2048, align 64). */
static void test_kfree_tail_refused(void **state)
{
	struct slab_cache twin;
	struct obj_source s = { NULL, 2048 };

	(void)state;
	assert_int_equal(slab_cache_init(&twin, "twin", 2048, 64), 0);
	check_tail_refused(&s, &twin);
}

/* A pointer into a page-1 object of a multi-page slab (page aligned) is an object too. */
static void test_multipage_slab_objects(void **state)
{
	void *objs[16];
	unsigned int i, aligned = 0;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(objs); i++) {
		objs[i] = kmalloc(2048);
		assert_non_null(objs[i]);
		aligned += IS_ALIGNED((uintptr_t)objs[i], PAGE_SIZE);
		assert_int_equal(ksize(objs[i]), 2048);
	}
	assert_true(aligned > 0);
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		assert_int_equal(kfree(objs[i]), 0);
	expect_all_pages_free();
}

static void test_shrink(void **state)
{
	struct slab_cache c;
	void *objs[200];
	size_t pages_before = page_alloc_free_pages(), slabs;
	unsigned int i;

	(void)state;
	assert_int_equal(slab_cache_init(&c, "shrink", 256, 64), 0);
	assert_int_equal(c.slab_order, 0);
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		assert_non_null(objs[i] = slab_alloc(&c));
	assert_true(c.nr_slabs > 10);
	/* Keep the first object: its slab must survive the shrink. */
	for (i = 1; i < ARRAY_SIZE(objs); i++)
		assert_int_equal(slab_free(&c, objs[i]), 0);
	slabs = c.nr_slabs;
	assert_int_equal(slab_shrink(&c), slabs - 1); /* 256-byte objects: order-0 slabs */
	assert_int_equal(c.nr_slabs, 1);
	assert_int_equal(page_alloc_free_pages(), pages_before - 1);
	assert_int_equal(slab_shrink(&c), 0);
	assert_int_equal(slab_free(&c, objs[0]), 0);
	assert_int_equal(slab_shrink(&c), 1);
	assert_int_equal(page_alloc_free_pages(), pages_before);
	expect_all_pages_free();
}

static void test_shrink_returns_pages(void **state)
{
	struct slab_cache c;
	void *objs[64];
	size_t before = page_alloc_free_pages(), got;
	unsigned int i;

	(void)state;
	assert_int_equal(slab_cache_init(&c, "count", 1024, 64), 0); /* order-1 slabs of 7 */
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		assert_non_null(objs[i] = slab_alloc(&c));
	assert_int_equal(c.slab_order, 1);
	assert_int_equal(c.nr_slabs, (64 + 6) / 7);
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		assert_int_equal(slab_free(&c, objs[i]), 0);
	got = slab_shrink(&c);
	assert_int_equal(got, 2 * ((64 + 6) / 7));
	assert_int_equal(page_alloc_free_pages(), before);
}

static void test_exhaustion(void **state)
{
	size_t cap = page_alloc_total_pages() * 8 + 16, n = 0, i;
	void **objs = calloc(cap, sizeof(void *));
	void *big;

	(void)state;
	assert_non_null(objs);
	while ((objs[n] = kmalloc(512)) != NULL) {
		assert_true(++n < cap);
	}
	/* The page source is dry: a new class and a large block both fail, without harm. */
	assert_int_equal(page_alloc_free_pages(), 0);
	assert_null(kmalloc(16));
	assert_null(kmalloc(PAGE_SIZE));
	assert_null(kzalloc(512));
	/* One free makes room for exactly one object again. */
	assert_int_equal(kfree(objs[n - 1]), 0);
	assert_non_null(objs[n - 1] = kmalloc(512));
	assert_null(kmalloc(512));

	/* Everything freed, nothing shrunk: kmalloc shrinks by itself for a large block. */
	for (i = 0; i < n; i++)
		assert_int_equal(kfree(objs[i]), 0);
	assert_int_equal(page_alloc_free_pages(), 0);
	big = kmalloc(64 * PAGE_SIZE);
	assert_non_null(big);
	assert_int_equal(kfree(big), 0);
	free(objs);
	expect_all_pages_free();
}

/* Two threads hammer kmalloc/kfree; ASan catches any overlap a broken lock would cause. */
static void *worker(void *arg)
{
	u64 seed = (uintptr_t)arg;
	void *held[32] = { 0 };
	unsigned int i;

	cpu_id = (unsigned int)(seed & 0xf);
	for (i = 0; i < 20000; i++) {
		unsigned int slot = (unsigned int)prng_below(&seed, ARRAY_SIZE(held));

		if (held[slot]) {
			if (*(u64 *)held[slot] != (uintptr_t)held[slot] || kfree(held[slot]))
				return (void *)1;
			held[slot] = NULL;
		} else {
			size_t size = 8 + prng_below(&seed, 3000);

			held[slot] = kmalloc(size);
			if (held[slot])
				*(u64 *)held[slot] = (uintptr_t)held[slot];
		}
	}
	for (i = 0; i < ARRAY_SIZE(held); i++)
		if (held[i] && kfree(held[i]))
			return (void *)1;
	kmalloc_cpu_flush(); /* this CPU's slabs back, so that every page can be freed */
	return NULL;
}

static void test_two_threads(void **state)
{
	pthread_t t1, t2;
	void *r1, *r2;

	(void)state;
	assert_int_equal(pthread_create(&t1, NULL, worker, (void *)0x1111ULL), 0);
	assert_int_equal(pthread_create(&t2, NULL, worker, (void *)0x2222ULL), 0);
	assert_int_equal(pthread_join(t1, &r1), 0);
	assert_int_equal(pthread_join(t2, &r2), 0);
	assert_null(r1);
	assert_null(r2);
	expect_all_pages_free();
}

static int setup(void **state)
{
	(void)state;
	region = test_alloc_aligned(REGION, REGION);
	assert_null(kmalloc(16)); /* before slab_init */
	assert_int_equal(page_alloc_init(region, REGION), 0);
	assert_int_equal(kmalloc_init(), 0);
	base_free = page_alloc_free_pages();
	assert_true(base_free < page_alloc_total_pages());
	assert_int_equal(kmalloc_init(), -EBUSY);
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
		cmocka_unit_test(test_cache_init_rejects),
		cmocka_unit_test(test_geometry),
		cmocka_unit_test(test_kmalloc_classes),
		cmocka_unit_test(test_reuse_and_kzalloc),
		cmocka_unit_test(test_bad_frees),
		cmocka_unit_test(test_multipage_slab_objects),
		cmocka_unit_test(test_slab_tail_refused),
		cmocka_unit_test(test_kfree_tail_refused),
		cmocka_unit_test(test_shrink),
		cmocka_unit_test(test_shrink_returns_pages),
		cmocka_unit_test(test_exhaustion),
		cmocka_unit_test(test_two_threads),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
