/* Page-table builder: 2M/4K choice, C-bit on leaves and table pointers, shared pages, NX/RO,
 * splits, overlap, -ENOMEM without side effects, lookups, and random operations checked
 * against a page-by-page model. */
/* unit-srcs: src/mm/pgtable.c */
#include "unit.h"
#include "mm/pgtable.h"

#define POOL_PAGES 512
#define POOL_PA 0x100000ULL /* "physical" address of pool page 0 */
#define CBIT BIT_ULL(51)
#define M2 PAGE_2M_SIZE
#define K4 PAGE_SIZE

/* Table pages come from a fixed pool with made-up physical addresses, so that the test sees
 * every table and can fail an allocation on demand. */
struct pool {
	u8 (*pages)[PAGE_SIZE];
	bool used[POOL_PAGES];
	size_t live;
	size_t allocs;
	long fail_after; /* allocations left before one fails; < 0: never */
};

static struct pool pool;

static void *fake_alloc(void *ctx)
{
	unsigned int i;

	assert_ptr_equal(ctx, &pool);
	if (pool.fail_after == 0)
		return NULL;
	if (pool.fail_after > 0)
		pool.fail_after--;
	for (i = 0; i < POOL_PAGES; i++) {
		if (!pool.used[i]) {
			pool.used[i] = true;
			pool.live++;
			pool.allocs++;
			memset(pool.pages[i], 0, PAGE_SIZE);
			return pool.pages[i];
		}
	}
	return NULL;
}

static unsigned int pool_index(const void *va)
{
	uintptr_t off = (uintptr_t)va - (uintptr_t)pool.pages;

	assert_true(off < POOL_PAGES * PAGE_SIZE && IS_ALIGNED(off, PAGE_SIZE));
	return (unsigned int)(off / PAGE_SIZE);
}

static void fake_free(void *ctx, void *table)
{
	unsigned int i = pool_index(table);

	(void)ctx;
	assert_true(pool.used[i]);
	pool.used[i] = false;
	pool.live--;
	memset(table, 0x6b, PAGE_SIZE); /* a later use of a freed table reads garbage */
}

static u64 fake_v2p(void *ctx, const void *va)
{
	(void)ctx;
	return POOL_PA + (u64)pool_index(va) * PAGE_SIZE;
}

static void *fake_p2v(void *ctx, u64 pa)
{
	(void)ctx;
	assert_true(pa >= POOL_PA && pa < POOL_PA + POOL_PAGES * PAGE_SIZE);
	assert_true(IS_ALIGNED(pa, PAGE_SIZE));
	assert_true(pool.used[(pa - POOL_PA) / PAGE_SIZE]);
	return pool.pages[(pa - POOL_PA) / PAGE_SIZE];
}

static const struct pgtable_ops ops = {
	.alloc_table = fake_alloc,
	.free_table = fake_free,
	.virt_to_phys = fake_v2p,
	.phys_to_virt = fake_p2v,
	.ctx = &pool,
};

static int pool_setup(void **state)
{
	(void)state;
	pool.pages = test_alloc_aligned(PAGE_SIZE, POOL_PAGES * PAGE_SIZE);
	memset(pool.used, 0, sizeof(pool.used));
	pool.live = 0;
	pool.allocs = 0;
	pool.fail_after = -1;
	return 0;
}

static int pool_teardown(void **state)
{
	(void)state;
	assert_int_equal(pool.live, 0); /* every test destroys its tables */
	free(pool.pages);
	return 0;
}

/* A byte copy of every table page, to prove a failed call changed nothing. */
struct snapshot {
	u8 *pages;
	bool used[POOL_PAGES];
	size_t live;
};

static void snap_take(struct snapshot *s)
{
	s->pages = malloc(POOL_PAGES * PAGE_SIZE);
	assert_non_null(s->pages);
	memcpy(s->pages, pool.pages, POOL_PAGES * PAGE_SIZE);
	memcpy(s->used, pool.used, sizeof(s->used));
	s->live = pool.live;
}

static void snap_expect_same(struct snapshot *s)
{
	unsigned int i;

	assert_int_equal(pool.live, s->live);
	assert_memory_equal(s->used, pool.used, sizeof(s->used));
	for (i = 0; i < POOL_PAGES; i++)
		if (pool.used[i])
			assert_memory_equal(s->pages + (size_t)i * PAGE_SIZE, pool.pages[i],
					    PAGE_SIZE);
	free(s->pages);
}

static void expect_map(const struct pgtable *pt, u64 va, u64 pa, unsigned int attrs, u64 psize)
{
	u64 got_pa = 0, got_size = 0;
	unsigned int got_attrs = 0;

	assert_int_equal(pgt_lookup(pt, va, &got_pa, &got_attrs, &got_size), 0);
	assert_int_equal(got_pa, pa);
	assert_int_equal(got_attrs, attrs);
	assert_int_equal(got_size, psize);
}

static void expect_unmapped(const struct pgtable *pt, u64 va)
{
	u64 pa, size;
	unsigned int attrs;

	assert_int_equal(pgt_lookup(pt, va, &pa, &attrs, &size), -ENOENT);
}

/* Raw entry of va at @level (4 = PML4 entry), walking through present table pointers. */
static u64 raw_entry(const struct pgtable *pt, u64 va, int level)
{
	const u64 *t = pt->pml4;
	int l;

	for (l = 4;; l--) {
		u64 e = t[(va >> (12 + 9 * (l - 1))) & 511];

		if (l == level)
			return e;
		assert_true(e & PTE_P);
		assert_false(e & PTE_PS);
		t = fake_p2v(NULL, e & PTE_ADDR_MASK & ~CBIT);
	}
}

static void test_init_and_cr3(void **state)
{
	struct pgtable pt;

	(void)state;
	assert_int_equal(pgt_init(&pt, &ops, 0), -EINVAL);
	assert_int_equal(pgt_init(&pt, &ops, BIT_ULL(31)), -EINVAL);
	assert_int_equal(pgt_init(&pt, &ops, BIT_ULL(52)), -EINVAL);
	assert_int_equal(pgt_init(&pt, &ops, BIT_ULL(51) | BIT_ULL(47)), -EINVAL);
	assert_int_equal(pool.live, 0);
	pool.fail_after = 0;
	assert_int_equal(pgt_init(&pt, &ops, CBIT), -ENOMEM);
	pool.fail_after = -1;
	assert_int_equal(pgt_init(&pt, &ops, BIT_ULL(47)), 0);
	assert_int_equal(pgt_cr3(&pt), fake_v2p(NULL, pt.pml4) | BIT_ULL(47));
	pgt_destroy(&pt);
	assert_int_equal(pgt_init(&pt, &ops, CBIT), 0);
	assert_int_equal(pgt_cr3(&pt), fake_v2p(NULL, pt.pml4) | CBIT);
	assert_int_equal(pool.live, 1);
	pgt_destroy(&pt);
	assert_null(pt.pml4);
}

static void test_2m_and_4k_choice(void **state)
{
	struct pgtable pt;
	u64 off;

	(void)state;
	assert_int_equal(pgt_init(&pt, &ops, CBIT), 0);
	/* 2M-aligned va and pa, 4 MiB: two 2 MiB leaves; PML4 + PDPT + PD only. */
	assert_int_equal(pgt_map(&pt, 0x40000000, 0x80000000, 2 * M2, 0), 0);
	assert_int_equal(pool.live, 3);
	expect_map(&pt, 0x40000000, 0x80000000, 0, M2);
	expect_map(&pt, 0x40000000 + M2 + 0x1234, 0x80000000 + M2 + 0x1234, 0, M2);

	/* Unaligned head and tail around one aligned 2 MiB: 4K, 2M, 4K. */
	assert_int_equal(pgt_map(&pt, 0x601ff000, 0x1ff000, M2 + 2 * K4, PGT_WRITE), 0);
	expect_map(&pt, 0x601ff000, 0x1ff000, PGT_WRITE, K4);
	expect_map(&pt, 0x60200000, 0x200000, PGT_WRITE, M2);
	expect_map(&pt, 0x60400000, 0x400000, PGT_WRITE, K4);
	expect_unmapped(&pt, 0x60401000);
	expect_unmapped(&pt, 0x601fe000);

	/* va aligned but pa not: 4K throughout. */
	assert_int_equal(pgt_map(&pt, 0x80000000, 0x1000, M2, 0), 0);
	for (off = 0; off < M2; off += K4)
		expect_map(&pt, 0x80000000 + off, 0x1000 + off, 0, K4);

	/* PGT_4K forces 4K pages even where 2M would fit. */
	assert_int_equal(pgt_map(&pt, 0xc0000000, 0x40000000, M2, PGT_4K), 0);
	expect_map(&pt, 0xc0000000, 0x40000000, 0, K4);
	expect_map(&pt, 0xc0000000 + M2 - K4, 0x40000000 + M2 - K4, 0, K4);
	pgt_destroy(&pt);
}

static void test_cbit_and_attrs(void **state)
{
	struct pgtable pt;
	unsigned int attrs;
	u64 va = 0xffff800000000000ULL, e;
	int level;

	(void)state;
	assert_int_equal(pgt_init(&pt, &ops, CBIT), 0);
	/* Every attribute combination round-trips through lookup, in 4K and 2M leaves. */
	for (attrs = 0; attrs < 32; attrs++) {
		unsigned int a = attrs & ~PGT_4K;

		if (attrs & PGT_4K)
			continue;
		assert_int_equal(pgt_map(&pt, va, 0x10000000, M2, a), 0);
		assert_int_equal(pgt_map(&pt, va + M2, 0x20000000, K4, a), 0);
		expect_map(&pt, va, 0x10000000, a, M2);
		expect_map(&pt, va + M2, 0x20000000, a, K4);

		e = raw_entry(&pt, va, 2);
		assert_true(e & PTE_PS);
		assert_int_equal(!!(e & CBIT), !(a & PGT_SHARED));
		assert_int_equal(!!(e & PTE_NX), !(a & PGT_EXEC));
		assert_int_equal(!!(e & PTE_W), !!(a & PGT_WRITE));
		assert_int_equal(!!(e & PTE_PCD) + !!(e & PTE_PWT), a & PGT_UNCACHED ? 2 : 0);
		assert_int_equal(!!(e & PTE_G), !!(a & PGT_GLOBAL));
		assert_int_equal(e & (GENMASK_ULL(50, 12)), 0x10000000);
		e = raw_entry(&pt, va + M2, 1);
		assert_false(e & PTE_PS);
		assert_int_equal(!!(e & CBIT), !(a & PGT_SHARED));
		assert_int_equal(e & (GENMASK_ULL(50, 12)), 0x20000000);
		/* Table pointers are private whatever the leaf is, and never NX or user. */
		for (level = 4; level >= 2; level--) {
			e = raw_entry(&pt, va + M2, level);
			assert_true((e & (PTE_P | PTE_W | CBIT)) == (PTE_P | PTE_W | CBIT));
			assert_false(e & (PTE_NX | PTE_U | PTE_PS));
		}
		assert_int_equal(pgt_unmap(&pt, va, 2 * M2), 0);
	}
	pgt_destroy(&pt);
}

static void test_split_on_unmap_and_protect(void **state)
{
	struct pgtable pt;
	size_t before;
	u64 off, va = 0x200000000ULL, pa = 0x3fe00000;

	(void)state;
	assert_int_equal(pgt_init(&pt, &ops, CBIT), 0);
	assert_int_equal(pgt_map(&pt, va, pa, 2 * M2, PGT_EXEC), 0);
	before = pool.live;

	/* Unmapping one page out of a 2 MiB leaf splits it: one new page table. */
	assert_int_equal(pgt_unmap(&pt, va + 5 * K4, K4), 0);
	assert_int_equal(pool.live, before + 1);
	expect_unmapped(&pt, va + 5 * K4);
	for (off = 0; off < M2; off += K4)
		if (off != 5 * K4)
			expect_map(&pt, va + off, pa + off, PGT_EXEC, K4);
	expect_map(&pt, va + M2, pa + M2, PGT_EXEC, M2); /* the other leaf is untouched */

	/* Protecting part of the second leaf splits it too. */
	assert_int_equal(pgt_protect(&pt, va + M2 + M2 - 2 * K4, 2 * K4, PGT_WRITE | PGT_SHARED),
			 0);
	assert_int_equal(pool.live, before + 2);
	expect_map(&pt, va + M2, pa + M2, PGT_EXEC, K4);
	expect_map(&pt, va + 2 * M2 - 3 * K4, pa + 2 * M2 - 3 * K4, PGT_EXEC, K4);
	expect_map(&pt, va + 2 * M2 - 2 * K4, pa + 2 * M2 - 2 * K4, PGT_WRITE | PGT_SHARED, K4);
	expect_map(&pt, va + 2 * M2 - K4, pa + 2 * M2 - K4, PGT_WRITE | PGT_SHARED, K4);
	assert_false(raw_entry(&pt, va + 2 * M2 - K4, 1) & CBIT);
	assert_true(raw_entry(&pt, va + 2 * M2 - K4, 2) & CBIT);

	/* A whole 2 MiB leaf is protected and unmapped in place, without a split. */
	assert_int_equal(pgt_map(&pt, va + 4 * M2, 0, M2, 0), 0);
	before = pool.live;
	assert_int_equal(pgt_protect(&pt, va + 4 * M2, M2, PGT_WRITE | PGT_4K), 0);
	expect_map(&pt, va + 4 * M2 + 8, 8, PGT_WRITE, M2);
	assert_int_equal(pgt_unmap(&pt, va + 4 * M2, M2), 0);
	expect_unmapped(&pt, va + 4 * M2);
	assert_int_equal(pool.live, before);

	/* Unmapping across holes is fine. */
	assert_int_equal(pgt_unmap(&pt, va - 4 * M2, 16 * M2), 0);
	for (off = 0; off < 2 * M2; off += K4)
		expect_unmapped(&pt, va + off);
	pgt_destroy(&pt);
}

static void test_overlap_and_holes_change_nothing(void **state)
{
	struct pgtable pt;
	struct snapshot s;
	u64 va = 0x7f0000000000ULL;

	(void)state;
	assert_int_equal(pgt_init(&pt, &ops, CBIT), 0);
	assert_int_equal(pgt_map(&pt, va, 0, M2, 0), 0);
	assert_int_equal(pgt_map(&pt, va + 2 * M2 + 7 * K4, 0, K4, 0), 0);

	snap_take(&s);
	/* The range's last page is the only one mapped: detected before anything is written. */
	assert_int_equal(pgt_map(&pt, va + M2, 0x1000000, M2 + 8 * K4, 0), -EEXIST);
	assert_int_equal(pgt_map(&pt, va - 3 * M2, 0x1000000, 3 * M2 + K4, 0), -EEXIST);
	assert_int_equal(pgt_map(&pt, va + 4 * K4, 0x1000000, K4, 0), -EEXIST);
	/* A hole makes protect fail, also when the hole is at the end or in a missing table. */
	assert_int_equal(pgt_protect(&pt, va, M2 + K4, PGT_WRITE), -ENOENT);
	assert_int_equal(pgt_protect(&pt, va + 2 * M2 + 7 * K4, 2 * K4, PGT_WRITE), -ENOENT);
	assert_int_equal(pgt_protect(&pt, 0x1000, K4, PGT_WRITE), -ENOENT);
	snap_expect_same(&s);
	expect_map(&pt, va, 0, 0, M2);
	expect_unmapped(&pt, va + M2);
	pgt_destroy(&pt);
}

static void test_enomem_changes_nothing(void **state)
{
	struct pgtable pt;
	struct snapshot s;
	u64 va = 0x1000000000ULL;
	long n;

	(void)state;
	assert_int_equal(pgt_init(&pt, &ops, CBIT), 0);
	assert_int_equal(pgt_map(&pt, va + M2, 0, M2, 0), 0);

	/* A 4K mapping over three 1 GiB regions needs 3 PDs and several PTs: fail at each. */
	for (n = 0; n < 8; n++) {
		snap_take(&s);
		pool.fail_after = n;
		assert_int_equal(pgt_map(&pt, va + 0x3ffff000, 0x40000000, 0x80002000, PGT_4K),
				 -ENOMEM);
		pool.fail_after = -1;
		snap_expect_same(&s);
	}
	/* Split on unmap and protect fails cleanly too. */
	snap_take(&s);
	pool.fail_after = 0;
	assert_int_equal(pgt_unmap(&pt, va + M2, K4), -ENOMEM);
	assert_int_equal(pgt_protect(&pt, va + M2 + K4, K4, PGT_WRITE), -ENOMEM);
	pool.fail_after = -1;
	snap_expect_same(&s);
	expect_map(&pt, va + M2 + K4, K4, 0, M2);
	pgt_destroy(&pt);
}

static void test_argument_checks(void **state)
{
	struct pgtable pt;
	u64 pa, size;
	unsigned int attrs;

	(void)state;
	assert_int_equal(pgt_init(&pt, &ops, CBIT), 0);
	assert_int_equal(pgt_map(&pt, 0x1001, 0, K4, 0), -EINVAL);
	assert_int_equal(pgt_map(&pt, 0x1000, 0x10, K4, 0), -EINVAL);
	assert_int_equal(pgt_map(&pt, 0x1000, 0, 0, 0), -EINVAL);
	assert_int_equal(pgt_map(&pt, 0x1000, 0, 100, 0), -EINVAL);
	assert_int_equal(pgt_map(&pt, 0x1000, 0, K4, 1U << 6), -EINVAL);
	/* Non-canonical, running into the hole, wrapping past 2^64. */
	assert_int_equal(pgt_map(&pt, 0x0000800000000000ULL, 0, K4, 0), -EINVAL);
	assert_int_equal(pgt_map(&pt, 0xffff7ffffffff000ULL, 0, K4, 0), -EINVAL);
	assert_int_equal(pgt_map(&pt, 0x00007ffffffff000ULL, 0, 2 * K4, 0), -EINVAL);
	assert_int_equal(pgt_map(&pt, 0xfffffffffffff000ULL, 0, 2 * K4, 0), -EINVAL);
	/* Physical range reaching the C-bit. */
	assert_int_equal(pgt_map(&pt, 0x1000, CBIT, K4, 0), -EINVAL);
	assert_int_equal(pgt_map(&pt, 0x1000, CBIT - K4, 2 * K4, 0), -EINVAL);
	assert_int_equal(pgt_map(&pt, 0x1000, UINT64_MAX & ~0xfffULL, 2 * K4, 0), -EINVAL);
	assert_int_equal(pgt_unmap(&pt, 0x1000, 0), -EINVAL);
	assert_int_equal(pgt_protect(&pt, 0x1000, K4, 1U << 7), -EINVAL);
	assert_int_equal(pgt_lookup(&pt, 0x0000800000000000ULL, &pa, &attrs, &size), -EINVAL);
	assert_int_equal(pool.live, 1);

	/* The very last page of the address space and the last page below the hole. */
	assert_int_equal(pgt_map(&pt, 0xfffffffffffff000ULL, CBIT - K4, K4, 0), 0);
	expect_map(&pt, 0xffffffffffffffffULL, CBIT - 1, 0, K4);
	assert_int_equal(pgt_map(&pt, 0x00007ffffffff000ULL, 0, K4, 0), 0);
	expect_map(&pt, 0x00007ffffffff008ULL, 8, 0, K4);
	assert_int_equal(pgt_unmap(&pt, 0xffffffffffe00000ULL, M2), 0);
	expect_unmapped(&pt, 0xfffffffffffff000ULL);
	/* A 1 GiB leaf is never built here; finding one is reported, not followed. */
	assert_int_equal(pgt_map(&pt, 0x1000, 0, K4, 0), 0);
	((u64 *)fake_p2v(NULL, pt.pml4[0] & PTE_ADDR_MASK & ~CBIT))[3] = PTE_P | PTE_PS;
	assert_int_equal(pgt_lookup(&pt, 0xc0000000, &pa, &attrs, &size), -EPROTO);
	assert_int_equal(pgt_unmap(&pt, 0xc0000000, K4), -EPROTO);
	assert_int_equal(pgt_map(&pt, 0xc0000000, 0, K4, 0), -EEXIST);
	pgt_destroy(&pt);
}

/* ---- random operations against a model ---- */

#define WIN_PAGES 2048 /* an 8 MiB window */

struct model_page {
	bool mapped;
	u64 pa;
	unsigned int attrs;
};

static void check_model(const struct pgtable *pt, u64 base, const struct model_page *m)
{
	unsigned int i;

	for (i = 0; i < WIN_PAGES; i++) {
		u64 pa, size;
		unsigned int attrs;
		int rc = pgt_lookup(pt, base + (u64)i * K4, &pa, &attrs, &size);

		if (!m[i].mapped) {
			assert_int_equal(rc, -ENOENT);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(pa, m[i].pa);
		assert_int_equal(attrs, m[i].attrs);
	}
}

static void test_random_vs_model(void **state)
{
	static struct model_page m[WIN_PAGES];
	struct pgtable pt;
	u64 seed = 0x9e3779b97f4a7c15ULL, base = 0xffffc90000000000ULL + 0x40000000 - 2 * M2; /* crosses a 1 GiB line */
	unsigned int op, ok[3] = { 0 }, refused = 0, nomem = 0;

	(void)state;
	memset(m, 0, sizeof(m));
	assert_int_equal(pgt_init(&pt, &ops, CBIT), 0);
	for (op = 0; op < 3000; op++) {
		/* Tables are only freed by pgt_destroy: start afresh now and then, so that table
		 * allocation (and its failure) keeps happening. */
		if (op % 100 == 99) {
			pgt_destroy(&pt);
			assert_int_equal(pool.live, 0);
			memset(m, 0, sizeof(m));
			assert_int_equal(pgt_init(&pt, &ops, CBIT), 0);
		}
		/* Ranges often 2 MiB aligned and long, so both page sizes and splits happen. */
		bool big = prng_below(&seed, 3) == 0;
		unsigned int first = big ? (unsigned int)prng_below(&seed, 4) * 512 :
					   (unsigned int)prng_below(&seed, WIN_PAGES);
		unsigned int max = WIN_PAGES - first;
		unsigned int want = big ? 512 * (1 + (unsigned int)prng_below(&seed, 2)) :
					  1 + (unsigned int)prng_below(&seed, 40);
		unsigned int n = MIN(max, want);
		unsigned int attrs = (unsigned int)prng_below(&seed, 64) & ~(1U << 5);
		u64 va = base + (u64)first * K4, size = (u64)n * K4;
		u64 pa = big ? 0x40000000 + prng_below(&seed, 64) * M2 :
			       prng_below(&seed, 1 << 20) * K4;
		unsigned int kind = (unsigned int)prng_below(&seed, 3), i;
		bool any_mapped = false, all_mapped = true;
		int rc;

		attrs |= (unsigned int)prng_below(&seed, 2) << 5; /* PGT_GLOBAL */
		for (i = first; i < first + n; i++) {
			any_mapped |= m[i].mapped;
			all_mapped &= m[i].mapped;
		}
		if (prng_below(&seed, 4) == 0)
			pool.fail_after = (long)prng_below(&seed, 2);

		if (kind == 0) {
			rc = pgt_map(&pt, va, pa, size, attrs);
			if (rc != -ENOMEM)
				assert_int_equal(rc, any_mapped ? -EEXIST : 0);
			for (i = 0; rc == 0 && i < n; i++)
				m[first + i] = (struct model_page){ true, pa + (u64)i * K4,
								    attrs & ~PGT_4K };
		} else if (kind == 1) {
			rc = pgt_unmap(&pt, va, size);
			if (rc != -ENOMEM)
				assert_int_equal(rc, 0);
			for (i = 0; rc == 0 && i < n; i++)
				m[first + i].mapped = false;
		} else {
			rc = pgt_protect(&pt, va, size, attrs);
			if (rc != -ENOMEM)
				assert_int_equal(rc, all_mapped ? 0 : -ENOENT);
			for (i = 0; rc == 0 && i < n; i++)
				m[first + i].attrs = attrs & ~PGT_4K;
		}
		pool.fail_after = -1;
		ok[kind] += rc == 0;
		refused += rc == -EEXIST || rc == -ENOENT;
		nomem += rc == -ENOMEM;
		check_model(&pt, base, m);
	}
	printf("ok %u %u %u refused %u nomem %u\n", ok[0], ok[1], ok[2], refused, nomem);
	/* The run covered every outcome. */
	assert_true(ok[0] > 50 && ok[1] > 50 && ok[2] > 50 && refused > 100 && nomem > 20);
	pgt_destroy(&pt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init_and_cr3, pool_setup, pool_teardown),
		cmocka_unit_test_setup_teardown(test_2m_and_4k_choice, pool_setup, pool_teardown),
		cmocka_unit_test_setup_teardown(test_cbit_and_attrs, pool_setup, pool_teardown),
		cmocka_unit_test_setup_teardown(test_split_on_unmap_and_protect, pool_setup,
						pool_teardown),
		cmocka_unit_test_setup_teardown(test_overlap_and_holes_change_nothing, pool_setup,
						pool_teardown),
		cmocka_unit_test_setup_teardown(test_enomem_changes_nothing, pool_setup,
						pool_teardown),
		cmocka_unit_test_setup_teardown(test_argument_checks, pool_setup, pool_teardown),
		cmocka_unit_test_setup_teardown(test_random_vs_model, pool_setup, pool_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
