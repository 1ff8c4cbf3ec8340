/*
 * Allocator timings on the host: the SVSM's buddy allocator (raw and behind page_alloc's
 * lock) and SLAB/kmalloc, beside glibc malloc, in ns per operation. Run by
 * tests/bench/alloc.bench.sh (make bench). Times are the thread's CPU time, not wall time:
 * on a shared machine a descheduled thread would otherwise charge its wait to whichever
 * column was running. The columns of a row are measured in turn, round by round.
 *
 * Target (issue 8): every object row, kmalloc at or below malloc; a row that misses prints
 * a MISSED line (tests/bench/bench.mk).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "mm/buddy.h"
#include "mm/kmalloc.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"

#define MiB (1024UL * 1024)
#define REGION (128 * MiB)
#define LIVE 4096 /* objects held by the random mix */

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* One thread, one CPU for SLAB's per-CPU fast path. */
unsigned int kmalloc_cpu_id(void)
{
	return 0;
}

/* Keep the optimiser from dropping an allocation. */
static void *volatile sink;

static void die(const char *what)
{
	fprintf(stderr, "alloc_bench: %s\n", what);
	exit(1);
}

/* One allocator under test: alloc(size) / free(p); size is bytes (pages for the buddy). */
struct allocator {
	const char *name;
	void *(*alloc)(size_t size);
	void (*free)(void *p);
};

static struct buddy raw;

static unsigned int order_of(size_t size)
{
	unsigned int k = 0;

	while ((PAGE_SIZE << k) < size)
		k++;
	return k;
}

static void *a_buddy(size_t size)
{
	return buddy_alloc(&raw, order_of(size));
}

static void f_buddy(void *p)
{
	if (buddy_free(&raw, p))
		die("buddy_free");
}

static void *a_page(size_t size)
{
	return page_alloc(order_of(size));
}

static void f_page(void *p)
{
	if (page_free(p))
		die("page_free");
}

static void *a_kmalloc(size_t size)
{
	return kmalloc(size);
}

static void f_kmalloc(void *p)
{
	if (kfree(p))
		die("kfree");
}

static void *a_malloc(size_t size)
{
	return malloc(size);
}

static void f_malloc(void *p)
{
	free(p);
}

static const struct allocator page_allocs[] = {
	{ "buddy", a_buddy, f_buddy },
	{ "page_alloc", a_page, f_page },
	{ "malloc", a_malloc, f_malloc },
};

static const struct allocator obj_allocs[] = {
	{ "kmalloc", a_kmalloc, f_kmalloc },
	{ "malloc", a_malloc, f_malloc },
};

/* alloc+free of one size, back to back: ns per pair. */
static double pair(const struct allocator *a, size_t size, long n)
{
	double t = now_ns();
	long i;

	for (i = 0; i < n; i++) {
		void *p = a->alloc(size);

		if (!p)
			die("allocation failed");
		sink = p;
		a->free(p);
	}
	return (now_ns() - t) / n;
}

/* @count allocations, then as many frees: ns per alloc+free (splits and merges included). */
static double batch(const struct allocator *a, size_t size, int count, long rounds)
{
	static void *held[1000];
	double t = now_ns();
	long r;
	int i;

	for (r = 0; r < rounds; r++) {
		for (i = 0; i < count; i++)
			if (!(held[i] = a->alloc(size)))
				die("allocation failed");
		for (i = count - 1; i >= 0; i--)
			a->free(held[i]);
	}
	return (now_ns() - t) / ((double)rounds * count);
}

/* Random alloc/free with up to LIVE objects of random sizes in [lo, hi]: ns per op. */
static double mix(const struct allocator *a, size_t lo, size_t hi, long n)
{
	static void *held[LIVE];
	u64 s = 0x9e3779b97f4a7c15ULL;
	double t;
	long i;

	memset(held, 0, sizeof(held));
	t = now_ns();
	for (i = 0; i < n; i++) {
		unsigned int slot;

		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		slot = (unsigned int)(s % LIVE);
		if (held[slot]) {
			a->free(held[slot]);
			held[slot] = NULL;
		} else if (!(held[slot] = a->alloc(lo + (s >> 20) % (hi - lo + 1)))) {
			die("allocation failed");
		}
	}
	t = (now_ns() - t) / n;
	for (i = 0; i < LIVE; i++)
		if (held[i])
			a->free(held[i]);
	return t;
}

/* Returns the best figure of each column in best[]. */
static void row(const char *label, const struct allocator *as, unsigned int na,
		double (*f)(const struct allocator *, size_t, size_t, long), size_t lo, size_t hi,
		long n, double *best)
{
	unsigned int i;
	int r;

	for (i = 0; i < na; i++)
		best[i] = 1e30;
	/* A warm-up round, then the best of three, the columns taking turns in each round. */
	for (r = 0; r < 4; r++) {
		for (i = 0; i < na; i++) {
			double v = f(&as[i], lo, hi, n);

			if (r && v < best[i])
				best[i] = v;
		}
	}
	printf("%-28s", label);
	for (i = 0; i < na; i++)
		printf(" %12.1f", best[i]);
	printf("\n");
	fflush(stdout);
}

/* An object row: kmalloc (column 0) must not be slower than malloc (column 1). */
static void obj_row(const char *label, double (*f)(const struct allocator *, size_t, size_t, long),
		    size_t lo, size_t hi, long n)
{
	double best[ARRAY_SIZE(obj_allocs)];

	row(label, obj_allocs, ARRAY_SIZE(obj_allocs), f, lo, hi, n, best);
	if (best[0] > best[1])
		printf("MISSED: %s: kmalloc %.1f ns > malloc %.1f ns\n", label, best[0], best[1]);
}

static double f_pair(const struct allocator *a, size_t lo, size_t hi, long n)
{
	(void)hi;
	return pair(a, lo, n);
}

/* hi: how many to hold at once */
static double f_batch(const struct allocator *a, size_t lo, size_t hi, long n)
{
	return batch(a, lo, (int)hi, n / (long)hi ? n / (long)hi : 1);
}

static double f_mix(const struct allocator *a, size_t lo, size_t hi, long n)
{
	return mix(a, lo, hi, n);
}

static void header(const char *title, const struct allocator *as, unsigned int na)
{
	unsigned int i;

	printf("\n%-28s", title);
	for (i = 0; i < na; i++)
		printf(" %12s", as[i].name);
	printf("\n");
}

int main(void)
{
	static const size_t obj_sizes[] = { 16, 64, 256, 1024, 2048, 4096, 16384 };
	static const unsigned int orders[] = { 0, 2, 4, 9 };
	void *r1 = aligned_alloc(4 * MiB, REGION), *r2 = aligned_alloc(4 * MiB, REGION);
	double best[ARRAY_SIZE(page_allocs)];
	char label[64];
	unsigned int i;

	if (!r1 || !r2)
		die("no memory for the regions");
	/* Touch the regions so that page faults are not measured. */
	memset(r1, 0, REGION);
	memset(r2, 0, REGION);
	if (buddy_init(&raw, r1, REGION) || page_alloc_init(r2, REGION) || kmalloc_init())
		die("init");

	printf("ns per operation (best of 3, thread CPU time: compare columns, not runs)\n");
	header("page blocks: alloc+free", page_allocs, ARRAY_SIZE(page_allocs));
	for (i = 0; i < ARRAY_SIZE(orders); i++) {
		snprintf(label, sizeof(label), "pair, order %u (%lu KiB)", orders[i],
			 (PAGE_SIZE << orders[i]) / 1024);
		row(label, page_allocs, ARRAY_SIZE(page_allocs), f_pair, PAGE_SIZE << orders[i], 0,
		    2000000, best);
	}
	for (i = 0; i < ARRAY_SIZE(orders); i++) {
		/* 32 order-9 blocks (64 MiB) fit the region; 1000 of the others. */
		size_t count = orders[i] == 9 ? 32 : 1000;

		snprintf(label, sizeof(label), "%zu then free, order %u", count, orders[i]);
		row(label, page_allocs, ARRAY_SIZE(page_allocs), f_batch, PAGE_SIZE << orders[i],
		    count, orders[i] == 9 ? 20000 : 1000000, best);
	}
	row("random mix, orders 0..4", page_allocs, ARRAY_SIZE(page_allocs), f_mix, PAGE_SIZE,
	    16 * PAGE_SIZE, 2000000, best);

	header("objects: alloc+free", obj_allocs, ARRAY_SIZE(obj_allocs));
	for (i = 0; i < ARRAY_SIZE(obj_sizes); i++) {
		snprintf(label, sizeof(label), "pair, %zu B", obj_sizes[i]);
		obj_row(label, f_pair, obj_sizes[i], 0, 2000000);
	}
	for (i = 0; i < ARRAY_SIZE(obj_sizes); i++) {
		snprintf(label, sizeof(label), "1000 then free, %zu B", obj_sizes[i]);
		obj_row(label, f_batch, obj_sizes[i], 1000, 1000000);
	}
	obj_row("random mix, 16..2048 B", f_mix, 16, 2048, 2000000);
	obj_row("random mix, 16..8192 B", f_mix, 16, 8192, 2000000);
	return 0;
}
