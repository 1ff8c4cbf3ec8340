/* kmalloc's per-CPU fast path (include/mm/kmalloc.h): frees across CPUs, double frees seen from
 * either side, a CPU's slabs given back, a reference model driven over several simulated
 * CPUs, and two threads freeing each other's objects. */
/* unit-srcs: src/mm/buddy.c src/mm/page_alloc.c src/mm/slab.c src/mm/kmalloc.c src/mm/kmalloc_slab.c */
#include "unit.h"
#include <pthread.h>
#include <sched.h>
#include "mm/kmalloc.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"

#define REGION (16UL * 1024 * 1024)

static u8 *region;
/* Free pages after kmalloc_init: kmalloc's page map holds the rest for good. */
static size_t base_free;

/* The simulated CPU: tests switch it on one thread; each race thread has its own. */
static __thread unsigned int cpu_id;

unsigned int kmalloc_cpu_id(void)
{
	return cpu_id;
}

static void flush_cpus(unsigned int n)
{
	unsigned int saved = cpu_id, i;

	for (i = 0; i < n; i++) {
		cpu_id = i;
		kmalloc_cpu_flush();
	}
	cpu_id = saved;
}

static void expect_all_pages_free(unsigned int cpus)
{
	flush_cpus(cpus);
	kmalloc_shrink();
	assert_int_equal(page_alloc_free_pages(), base_free);
}

/* An object freed on another CPU is free once, on every CPU, and comes back to its owner. */
static void test_cross_cpu_free(void **state)
{
	void *p, *q, *objs[64];
	size_t free_before;
	unsigned int i;

	(void)state;
	cpu_id = 0;
	p = kmalloc(100);
	assert_non_null(p);
	cpu_id = 1;
	assert_int_equal(ksize(p), 128);
	assert_int_equal(kfree(p), 0);	     /* a remote free into CPU 0's slab */
	assert_int_equal(kfree(p), -EINVAL); /* again on the freeing CPU */
	assert_int_equal(ksize(p), 0);
	cpu_id = 0;
	assert_int_equal(kfree(p), -EINVAL); /* again on the owner, without the lock */
	assert_int_equal(kfree((u8 *)p + 8), -EINVAL);

	/* The other way round: freed by its owner, then again elsewhere. */
	q = kmalloc(100);
	assert_non_null(q);
	assert_int_equal(kfree(q), 0);
	cpu_id = 2;
	assert_int_equal(kfree(q), -EINVAL);

	/* CPU 0 fills slabs, CPU 1 frees every object: CPU 0 gets them all back. */
	cpu_id = 0;
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		assert_non_null(objs[i] = kmalloc(2048));
	cpu_id = 1;
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		assert_int_equal(kfree(objs[i]), 0);
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		assert_int_equal(kfree(objs[i]), -EINVAL);
	cpu_id = 0;
	/* The slabs CPU 0 still owns are folded back when it needs them: no new page. */
	free_before = page_alloc_free_pages();
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		assert_non_null(objs[i] = kmalloc(2048));
	assert_int_equal(page_alloc_free_pages(), free_before);
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		assert_int_equal(kfree(objs[i]), 0);
	expect_all_pages_free(3);
}

/* Owned slabs hold pages until their CPU gives them back; shrink alone cannot take them. */
static void test_flush_returns_pages(void **state)
{
	void *objs[200];
	size_t total = base_free;
	unsigned int i;

	(void)state;
	cpu_id = 1;
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		assert_non_null(objs[i] = kmalloc(256));
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		assert_int_equal(kfree(objs[i]), 0);
	cpu_id = 0;
	kmalloc_shrink(); /* CPU 0's: CPU 1 keeps one empty slab and its state */
	assert_true(page_alloc_free_pages() < total);
	assert_true(total - page_alloc_free_pages() <= 2);
	cpu_id = 1;
	kmalloc_cpu_flush();
	cpu_id = 0;
	kmalloc_shrink();
	assert_int_equal(page_alloc_free_pages(), total);
}

/* The per-CPU state is no kmalloc object: kfree and page_free refuse it. */
static void test_cpu_state_refused(void **state)
{
	void *p, *blk;
	unsigned int owner, found = 0;

	(void)state;
	cpu_id = 3;
	p = kmalloc(16); /* creates CPU 3's state, then its first slab */
	assert_non_null(p);
	assert_int_equal(page_find(p, &blk, &owner), 0);
	assert_int_equal(kfree(p), 0);
	/* CPU 3's state is the SLAB block other than p's slab: find it among the pages. */
	for (u8 *a = region; a < region + REGION; a += PAGE_SIZE) {
		void *b;

		if (page_find(a, &b, &owner) < 0 || owner != PAGE_OWNER_SLAB || b == blk)
			continue;
		assert_int_equal(kfree(b), -EINVAL);
		assert_int_equal(kfree((u8 *)b + 128), -EINVAL);
		assert_int_equal(page_free(b), -EINVAL);
		assert_int_equal(ksize(b), 0);
		found++;
	}
	assert_true(found > 0);
	expect_all_pages_free(4);
}

/*
 * Blocks of 8 to 32 KiB: a CPU keeps the ones it frees for its next kmalloc of that size,
 * refuses a second free of a kept block, and gives them back on flush. A block freed on
 * another CPU goes back to the page allocator.
 */
static void test_block_cache(void **state)
{
	size_t before = page_alloc_free_pages();
	void *b[KMALLOC_CPU_BLOCKS + 1], *p;
	unsigned int i;

	(void)state;
	cpu_id = 0;
	for (i = 0; i < ARRAY_SIZE(b); i++) {
		assert_non_null(b[i] = kmalloc(3 * PAGE_SIZE));
		assert_int_equal(ksize(b[i]), 4 * PAGE_SIZE);
	}
	for (i = 0; i < ARRAY_SIZE(b); i++)
		assert_int_equal(kfree(b[i]), 0);
	/* KMALLOC_CPU_BLOCKS kept (and the CPU's state page); the one beyond went back. */
	assert_int_equal(before - page_alloc_free_pages(), KMALLOC_CPU_BLOCKS * 4 + 1);
	for (i = 0; i < ARRAY_SIZE(b); i++) {
		assert_int_equal(kfree(b[i]), -EINVAL);
		assert_int_equal(ksize(b[i]), 0);
	}
	cpu_id = 1;
	assert_int_equal(kfree(b[0]), -EINVAL);
	cpu_id = 0;
	/* The last block kept is the next one handed out, and is live again. */
	p = kmalloc(4 * PAGE_SIZE);
	assert_ptr_equal(p, b[KMALLOC_CPU_BLOCKS - 1]);
	assert_int_equal(ksize(p), 4 * PAGE_SIZE);
	assert_int_equal(kfree((u8 *)p + 64), -EINVAL);
	assert_int_equal(kfree((u8 *)p + PAGE_SIZE), -EINVAL);
	assert_int_equal(ksize((u8 *)p + 64), 0);
	/* Freed on another CPU: back to the page allocator, and only once. */
	cpu_id = 2;
	assert_int_equal(kfree(p), 0);
	assert_int_equal(kfree(p), -EINVAL);
	cpu_id = 0;
	assert_int_equal(kfree(p), -EINVAL);
	kmalloc_cpu_flush();
	assert_int_equal(page_alloc_free_pages(), before);
	expect_all_pages_free(3);
}

/*
 * Two CPUs free the same objects at the same moment, over and over: of each object's two
 * frees exactly one may succeed. The objects belong to a third CPU (a slab it owns, blocks
 * it allocated), so both frees take the paths other CPUs take: the cache lock, or the page
 * map entry's exchange. Each round they walk the same list from its two ends, so that they
 * cross somewhere whichever starts first.
 */
#define DOUBLE_ROUNDS 200
#define DOUBLE_OBJS 256

static void *double_objs[DOUBLE_OBJS];
static unsigned int double_round, double_done[2];
static int double_rc[2][DOUBLE_OBJS];

static void *double_freer(void *arg)
{
	unsigned int me = (unsigned int)(uintptr_t)arg, r, i;

	cpu_id = 1 + me;
	for (r = 1; r <= DOUBLE_ROUNDS; r++) {
		/* Spin, to start the moment the round opens; yield now and then, for three
		 * threads on as few as two host CPUs. */
		for (unsigned int n = 1; __atomic_load_n(&double_round, __ATOMIC_ACQUIRE) != r; n++)
			if (n % 4096 == 0)
				sched_yield();
			else
				__builtin_ia32_pause();
		for (i = 0; i < DOUBLE_OBJS; i++) {
			unsigned int k = me ? DOUBLE_OBJS - 1 - i : i;

			double_rc[me][k] = kfree(double_objs[k]);
		}
		__atomic_store_n(&double_done[me], r, __ATOMIC_RELEASE);
	}
	return NULL;
}

static void double_race(size_t size)
{
	unsigned int r, i, first = 0;
	pthread_t t[2];

	memset(double_done, 0, sizeof(double_done));
	double_round = 0;
	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, double_freer, (void *)(uintptr_t)i),
				 0);
	for (r = 1; r <= DOUBLE_ROUNDS; r++) {
		for (i = 0; i < DOUBLE_OBJS; i++)
			assert_non_null(double_objs[i] = kmalloc(size));
		__atomic_store_n(&double_round, r, __ATOMIC_RELEASE);
		for (i = 0; i < 2; i++)
			while (__atomic_load_n(&double_done[i], __ATOMIC_ACQUIRE) != r)
				sched_yield();
		for (i = 0; i < DOUBLE_OBJS; i++) {
			int a = double_rc[0][i], b = double_rc[1][i];

			assert_true((a == 0 && b == -EINVAL) || (a == -EINVAL && b == 0));
			first += a == 0;
		}
	}
	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	print_message("double free of %zu B: CPU 1 first for %u of %u objects\n", size, first,
		      DOUBLE_ROUNDS * DOUBLE_OBJS);
}

static void test_double_free_race(void **state)
{
	(void)state;
	cpu_id = 0;
	double_race(64);	    /* slabs CPU 0 owns: remote frees, under the cache lock */
	double_race(2 * PAGE_SIZE); /* blocks CPU 0 allocated: the map entry's exchange */
	expect_all_pages_free(3);
}

/*
 * Reference model: random kmalloc/kfree/ksize/flush on NCPU simulated CPUs, objects freed
 * on any CPU. The model knows which objects are live; every object carries its id in its
 * first, middle and last words, so memory handed out twice shows as a clobbered stamp.
 */
#define NCPU 4
#define LIVE 512

struct live {
	u64 *p;
	size_t size;
	u64 id;
};

static void stamp(struct live *o)
{
	size_t n = o->size / 8;

	o->p[0] = o->id;
	if (n > 2) {
		o->p[n / 2] = ~o->id;
		o->p[n - 1] = o->id * 3;
	}
}

static void check_stamp(const struct live *o)
{
	size_t n = o->size / 8;

	assert_int_equal(o->p[0], o->id);
	if (n > 2) {
		assert_int_equal(o->p[n / 2], ~o->id);
		assert_int_equal(o->p[n - 1], o->id * 3);
	}
}

static size_t class_of(size_t size)
{
	size_t c = 16;

	while (c < size)
		c <<= 1;
	return c;
}

static void test_model(void **state)
{
	static struct live objs[LIVE];
	u64 seed = 0x5eed5eedULL, id = 1;
	void *last_freed = NULL;
	unsigned int step, i, remote = 0, doubles = 0;

	(void)state;
	memset(objs, 0, sizeof(objs));
	for (step = 0; step < 60000; step++) {
		unsigned int op = (unsigned int)prng_below(&seed, 100);
		struct live *o = &objs[prng_below(&seed, LIVE)];

		cpu_id = (unsigned int)prng_below(&seed, NCPU);
		if (op < 2) {
			kmalloc_cpu_flush();
		} else if (op < 5 && last_freed) {
			/* A double free, unless the address is live again. */
			bool live = false;

			for (i = 0; i < LIVE && !live; i++)
				live = objs[i].p == last_freed;
			if (!live) {
				assert_int_equal(kfree(last_freed), -EINVAL);
				assert_int_equal(ksize(last_freed), 0);
				doubles++;
			}
		} else if (o->p) {
			unsigned int owner_cpu = (unsigned int)(o->id % NCPU);

			check_stamp(o);
			assert_true(ksize(o->p) >= o->size);
			if (o->size >= 32)
				assert_int_equal(kfree((u8 *)o->p + 16), -EINVAL);
			remote += owner_cpu != cpu_id;
			assert_int_equal(kfree(o->p), 0);
			last_freed = o->p;
			o->p = NULL;
		} else {
			size_t size = prng_below(&seed, 8)
					      ? 8 + prng_below(&seed, SLAB_MAX_OBJECT - 7)
					      : SLAB_MAX_OBJECT + 1 + prng_below(&seed, 12000);

			/* Ids name the allocating CPU (id % NCPU), for the remote-free count. */
			id += NCPU - (id % NCPU) + cpu_id;
			o->p = kmalloc(size);
			assert_non_null(o->p);
			o->size = size;
			o->id = id;
			if (size <= SLAB_MAX_OBJECT)
				assert_int_equal(ksize(o->p), class_of(size));
			stamp(o);
		}
	}
	/* Everything the model holds is intact; frees on the wrong CPU really happened. */
	assert_true(remote > 10000);
	assert_true(doubles > 100);
	for (i = 0; i < LIVE; i++) {
		if (!objs[i].p)
			continue;
		check_stamp(&objs[i]);
		cpu_id = i % NCPU;
		assert_int_equal(kfree(objs[i].p), 0);
	}
	cpu_id = 0;
	expect_all_pages_free(NCPU);
}

/*
 * Two threads, two CPUs: each allocates, stamps and hands objects to the other through a
 * ring; the other checks the stamp and frees them (remote frees into slabs the first owns,
 * while it keeps allocating from them without a lock; blocks it allocated, while it keeps
 * some in its block cache). A slab bitmap written by two CPUs
 * at once loses updates: an object handed out twice (a clobbered stamp) or never freed (a
 * page missing at the end).
 */
#define RING 8
#define RACE_OBJS 100000

struct ring {
	void *slot[RING];
	unsigned int head; /* written by the producer */
	unsigned int tail; /* written by the consumer */
};

static struct ring rings[2]; /* rings[i]: from thread i to thread 1 - i */

static bool ring_put(struct ring *r, void *p)
{
	unsigned int h = __atomic_load_n(&r->head, __ATOMIC_RELAXED);

	if (h - __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE) == RING)
		return false;
	r->slot[h % RING] = p;
	__atomic_store_n(&r->head, h + 1, __ATOMIC_RELEASE);
	return true;
}

static void *ring_get(struct ring *r)
{
	unsigned int t = __atomic_load_n(&r->tail, __ATOMIC_RELAXED);
	void *p;

	if (t == __atomic_load_n(&r->head, __ATOMIC_ACQUIRE))
		return NULL;
	p = r->slot[t % RING];
	__atomic_store_n(&r->tail, t + 1, __ATOMIC_RELEASE);
	return p;
}

struct racer {
	unsigned int me;
	long sent, freed, bad;
	int done; /* this thread sends no more (also when it stopped early) */
};

static struct racer *racers[2];

static size_t race_size(u64 *seed)
{
	if (prng_below(seed, 16) == 0)
		return SLAB_MAX_OBJECT + 1 + prng_below(seed, 7 * PAGE_SIZE);
	return 16 + 16 * prng_below(seed, 2);
}

static bool take_one(struct racer *r, struct ring *in)
{
	u64 *p = ring_get(in);

	if (!p)
		return false;
	/* Stamp: the address itself, and the sender's index in the second word. */
	if (p[0] != (uintptr_t)p || p[1] != (1 - r->me) || kfree(p))
		r->bad++;
	r->freed++;
	return true;
}

static void *racer(void *arg)
{
	struct racer *r = arg;
	struct ring *out = &rings[r->me], *in = &rings[1 - r->me];
	u64 seed = 0x1234 + r->me, *local[8] = { 0 };

	cpu_id = 1 + r->me;
	while (r->sent < RACE_OBJS) {
		/* Mostly 16 and 32 bytes (64 objects share a bitmap word, the most contended
		 * case), some blocks of 8 to 32 KiB (the block cache and the map entry). */
		u64 *p = kmalloc(race_size(&seed));
		unsigned int j = (unsigned int)prng_below(&seed, ARRAY_SIZE(local));

		if (!p) {
			r->bad++;
			break;
		}
		p[0] = (uintptr_t)p;
		p[1] = r->me;
		while (!ring_put(out, p))
			take_one(r, in);
		r->sent++;
		/* Some objects stay on this CPU and are freed by it, in between. */
		if (local[j]) {
			if (local[j][0] != (uintptr_t)local[j] || kfree(local[j]))
				r->bad++;
			local[j] = NULL;
		} else if ((local[j] = kmalloc(race_size(&seed))) != NULL) {
			local[j][0] = (uintptr_t)local[j];
		}
		take_one(r, in);
	}
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	/* Drain until the peer sends no more and its ring is empty. */
	for (;;) {
		int peer_done = __atomic_load_n(&racers[1 - r->me]->done, __ATOMIC_ACQUIRE);

		if (take_one(r, in))
			continue;
		if (peer_done)
			break;
		__builtin_ia32_pause();
	}
	for (unsigned int j = 0; j < ARRAY_SIZE(local); j++)
		if (local[j] && kfree(local[j]))
			r->bad++;
	return NULL;
}

static void test_two_cpus_race(void **state)
{
	struct racer r[2] = { { .me = 0 }, { .me = 1 } };
	pthread_t t[2];
	unsigned int i;

	(void)state;
	memset(rings, 0, sizeof(rings));
	racers[0] = &r[0];
	racers[1] = &r[1];
	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, racer, &r[i]), 0);
	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	for (i = 0; i < 2; i++) {
		assert_int_equal(r[i].bad, 0);
		assert_int_equal(r[i].freed, RACE_OBJS);
	}
	/* The threads' CPUs are 1 and 2; their slabs come back here, then every page. */
	cpu_id = 0;
	expect_all_pages_free(3);
}

static int setup(void **state)
{
	(void)state;
	region = test_alloc_aligned(REGION, REGION);
	assert_int_equal(page_alloc_init(region, REGION), 0);
	assert_int_equal(kmalloc_init(), 0);
	base_free = page_alloc_free_pages();
	assert_true(base_free < page_alloc_total_pages());
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
		cmocka_unit_test(test_cross_cpu_free),
		cmocka_unit_test(test_flush_returns_pages),
		cmocka_unit_test(test_cpu_state_refused),
		cmocka_unit_test(test_block_cache),
		cmocka_unit_test(test_double_free_race),
		cmocka_unit_test(test_model),
		cmocka_unit_test(test_two_cpus_race),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
