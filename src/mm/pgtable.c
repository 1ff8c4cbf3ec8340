// SPDX-License-Identifier: MIT
/*
 * 4-level page-table construction (include/mm/pgtable.h; entry format: APM vol. 2, 5.3).
 *
 * Every change runs in two passes over the same walker: a check pass that touches nothing,
 * finds the errors (-EEXIST, -ENOENT) and counts the table pages the change needs, then,
 * once those pages are allocated, an apply pass that cannot fail. So a failing call,
 * including -ENOMEM, leaves the tables exactly as they were.
 *
 * Table pages are never freed while the table lives (only by pgt_destroy): another CPU's
 * paging-structure cache may still point at a table until the caller flushes, and that
 * page must not be reused before then.
 */
#include "mm/pgtable.h"
#include "lib/errno.h"

#define PT_ENTRIES 512
#define PGT_ALL_ATTRS (PGT_WRITE | PGT_EXEC | PGT_SHARED | PGT_UNCACHED | PGT_4K | PGT_GLOBAL)
#define PTE_2M_ADDR_MASK GENMASK_ULL(51, 21) /* bit 12 of a 2 MiB leaf is PAT, not address */

enum pgt_kind {
	PGT_OP_MAP,
	PGT_OP_UNMAP,
	PGT_OP_PROTECT
};

struct pgt_op {
	struct pgtable *pt;
	enum pgt_kind kind;
	bool apply; /* false: check and count only */
	u64 va0;    /* map: va0 maps to pa0 */
	u64 pa0;
	unsigned int attrs;
	size_t need; /* table pages the apply pass takes */
	void *stash; /* those pages, linked through their first qword */
};

static unsigned int level_shift(int level)
{
	return PAGE_SHIFT + 9 * (level - 1);
}

static u64 *table_at(const struct pgtable *pt, u64 entry)
{
	return pt->ops->phys_to_virt(pt->ops->ctx, entry & PTE_ADDR_MASK & ~pt->cbit_mask);
}

/* Table pointers are private (C-bit) and permissive; the leaf decides W and NX. */
static u64 table_entry(const struct pgtable *pt, const u64 *table)
{
	return pt->ops->virt_to_phys(pt->ops->ctx, table) | pt->cbit_mask | PTE_P | PTE_W | PTE_A;
}

/* A and D are preset so that the CPU never writes back into the tables. */
static u64 leaf_entry(const struct pgtable *pt, u64 pa, unsigned int attrs, bool is_2m)
{
	u64 e = pa | PTE_P | PTE_A | PTE_D;

	if (attrs & PGT_WRITE)
		e |= PTE_W;
	if (!(attrs & PGT_EXEC))
		e |= PTE_NX;
	if (!(attrs & PGT_SHARED))
		e |= pt->cbit_mask;
	if (attrs & PGT_UNCACHED)
		e |= PTE_PCD | PTE_PWT;
	if (attrs & PGT_GLOBAL)
		e |= PTE_G;
	if (is_2m)
		e |= PTE_PS;
	return e;
}

static unsigned int leaf_attrs(const struct pgtable *pt, u64 e)
{
	unsigned int attrs = 0;

	if (e & PTE_W)
		attrs |= PGT_WRITE;
	if (!(e & PTE_NX))
		attrs |= PGT_EXEC;
	if (!(e & pt->cbit_mask))
		attrs |= PGT_SHARED;
	if (e & PTE_PCD)
		attrs |= PGT_UNCACHED;
	if (e & PTE_G)
		attrs |= PGT_GLOBAL;
	return attrs;
}

static u64 leaf_pa(const struct pgtable *pt, u64 e, bool is_2m)
{
	return e & (is_2m ? PTE_2M_ADDR_MASK : PTE_ADDR_MASK) & ~pt->cbit_mask;
}

static bool is_canonical(u64 va)
{
	u64 top = va >> 47;

	return top == 0 || top == 0x1ffff;
}

/* [va, *last] is a non-empty, page-aligned range inside one canonical half. */
static int check_range(u64 va, u64 size, u64 *last)
{
	if (!size || !IS_ALIGNED(va, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE))
		return -EINVAL;
	if (check_add_overflow(va, size - 1, last))
		return -EINVAL;
	if (!is_canonical(va) || !is_canonical(*last) || (va >> 47) != (*last >> 47))
		return -EINVAL;
	return 0;
}

static void stash_put(struct pgt_op *op, void *page)
{
	*(void **)page = op->stash;
	op->stash = page;
}

static u64 *stash_take(struct pgt_op *op)
{
	u64 *page = op->stash;

	op->stash = *(void **)page;
	page[0] = 0; /* the page came zeroed apart from the link */
	return page;
}

static void stash_free(struct pgt_op *op)
{
	while (op->stash)
		op->pt->ops->free_table(op->pt->ops->ctx, stash_take(op));
}

/* One walker per operation; each visits [va, last] below @table at @level (4 = PML4). */
typedef int (*pgt_walker)(struct pgt_op *op, u64 *table, int level, u64 va, u64 last);

/* Check pass, allocation, apply pass. */
static int pgt_run(struct pgt_op *op, pgt_walker walk, u64 va, u64 last)
{
	size_t i;
	int rc;

	op->apply = false;
	op->need = 0;
	op->stash = NULL;
	rc = walk(op, op->pt->pml4, 4, va, last);
	if (rc)
		return rc;
	for (i = 0; i < op->need; i++) {
		void *t = op->pt->ops->alloc_table(op->pt->ops->ctx);

		if (!t) {
			stash_free(op);
			return -ENOMEM;
		}
		stash_put(op, t);
	}
	op->apply = true;
	rc = walk(op, op->pt->pml4, 4, va, last);
	stash_free(op); /* empty unless the passes disagree */
	return rc;
}

static bool use_2m(const struct pgt_op *op, u64 va, u64 elast, u64 pa)
{
	return !(op->attrs & PGT_4K) && IS_ALIGNED(va, PAGE_2M_SIZE) &&
	       elast - va == PAGE_2M_SIZE - 1 && IS_ALIGNED(pa, PAGE_2M_SIZE);
}

/*
 * Map walker. @table is NULL in the check pass where the table does not exist yet: then
 * every entry below it reads as absent and each table it would need is counted.
 */
static int map_walk(struct pgt_op *op, u64 *table, int level, u64 va, u64 last)
{
	unsigned int shift = level_shift(level);

	for (;;) {
		u64 elast = MIN(va | ((1ULL << shift) - 1), last);
		u64 *e = table ? &table[(va >> shift) % PT_ENTRIES] : NULL;
		u64 v = e ? *e : 0;
		u64 pa = op->pa0 + (va - op->va0);

		if (level == 1 || (level == 2 && !(v & PTE_P) && use_2m(op, va, elast, pa))) {
			if (v & PTE_P)
				return -EEXIST;
			if (op->apply)
				*e = leaf_entry(op->pt, pa, op->attrs, level == 2);
		} else if ((v & PTE_P) && (v & PTE_PS)) {
			return -EEXIST;
		} else {
			u64 *child = NULL;
			int rc;

			if (v & PTE_P) {
				child = table_at(op->pt, v);
			} else if (!op->apply) {
				op->need++;
			} else {
				child = stash_take(op);
				*e = table_entry(op->pt, child);
			}
			rc = map_walk(op, child, level - 1, va, elast);
			if (rc)
				return rc;
		}
		if (elast == last)
			return 0;
		va = elast + 1;
	}
}

/* Replace the 2 MiB leaf *e by a table of 512 4 KiB leaves with the same translation. */
static u64 *split_2m(struct pgt_op *op, u64 *e)
{
	u64 *t = stash_take(op);
	u64 pa = leaf_pa(op->pt, *e, true);
	unsigned int attrs = leaf_attrs(op->pt, *e);
	unsigned int i;

	for (i = 0; i < PT_ENTRIES; i++)
		t[i] = leaf_entry(op->pt, pa + ((u64)i << PAGE_SHIFT), attrs, false);
	*e = table_entry(op->pt, t);
	return t;
}

/* Unmap and protect walker: clears or rewrites leaves, splitting partly covered 2 MiB ones. */
static int edit_walk(struct pgt_op *op, u64 *table, int level, u64 va, u64 last)
{
	unsigned int shift = level_shift(level);

	for (;;) {
		u64 elast = MIN(va | ((1ULL << shift) - 1), last);
		u64 *e = &table[(va >> shift) % PT_ENTRIES];
		u64 v = *e;
		int rc = 0;

		if (!(v & PTE_P)) {
			if (op->kind == PGT_OP_PROTECT)
				return -ENOENT;
		} else if (level >= 3 && (v & PTE_PS)) {
			return -EPROTO; /* 1 GiB leaves are never built here */
		} else if (level == 2 && (v & PTE_PS) && elast - va != PAGE_2M_SIZE - 1) {
			if (!op->apply)
				op->need++;
			else
				rc = edit_walk(op, split_2m(op, e), 1, va, elast);
		} else if (level == 1 || (v & PTE_PS)) {
			if (op->apply && op->kind == PGT_OP_UNMAP)
				*e = 0;
			else if (op->apply)
				*e = leaf_entry(op->pt, leaf_pa(op->pt, v, level == 2), op->attrs,
						level == 2);
		} else {
			rc = edit_walk(op, table_at(op->pt, v), level - 1, va, elast);
		}
		if (rc)
			return rc;
		if (elast == last)
			return 0;
		va = elast + 1;
	}
}

int pgt_init(struct pgtable *pt, const struct pgtable_ops *ops, u64 cbit_mask)
{
	if (!cbit_mask || (cbit_mask & (cbit_mask - 1)) || cbit_mask < BIT_ULL(32) ||
	    cbit_mask > BIT_ULL(51))
		return -EINVAL;
	pt->ops = ops;
	pt->cbit_mask = cbit_mask;
	pt->pml4 = ops->alloc_table(ops->ctx);
	return pt->pml4 ? 0 : -ENOMEM;
}

int pgt_map(struct pgtable *pt, u64 va, u64 pa, u64 size, unsigned int attrs)
{
	struct pgt_op op = { .pt = pt, .kind = PGT_OP_MAP, .va0 = va, .pa0 = pa, .attrs = attrs };
	u64 last, pa_end;

	if (attrs & ~PGT_ALL_ATTRS)
		return -EINVAL;
	if (check_range(va, size, &last) || !IS_ALIGNED(pa, PAGE_SIZE))
		return -EINVAL;
	/* The whole physical range lies below the C-bit (so it never carries it). */
	if (check_add_overflow(pa, size, &pa_end) || pa_end > pt->cbit_mask)
		return -EINVAL;
	return pgt_run(&op, map_walk, va, last);
}

int pgt_unmap(struct pgtable *pt, u64 va, u64 size)
{
	struct pgt_op op = { .pt = pt, .kind = PGT_OP_UNMAP };
	u64 last;

	if (check_range(va, size, &last))
		return -EINVAL;
	return pgt_run(&op, edit_walk, va, last);
}

int pgt_protect(struct pgtable *pt, u64 va, u64 size, unsigned int attrs)
{
	struct pgt_op op = { .pt = pt, .kind = PGT_OP_PROTECT, .attrs = attrs & ~PGT_4K };
	u64 last;

	if ((attrs & ~PGT_ALL_ATTRS) || check_range(va, size, &last))
		return -EINVAL;
	return pgt_run(&op, edit_walk, va, last);
}

int pgt_lookup(const struct pgtable *pt, u64 va, u64 *pa, unsigned int *attrs, u64 *page_size)
{
	const u64 *table = pt->pml4;
	int level;

	if (!is_canonical(va))
		return -EINVAL;
	for (level = 4; level >= 1; level--) {
		unsigned int shift = level_shift(level);
		u64 v = table[(va >> shift) % PT_ENTRIES];

		if (!(v & PTE_P))
			return -ENOENT;
		if (level >= 3 && (v & PTE_PS))
			return -EPROTO;
		if (level == 1 || (v & PTE_PS)) {
			*pa = leaf_pa(pt, v, level == 2) + (va & ((1ULL << shift) - 1));
			*attrs = leaf_attrs(pt, v);
			*page_size = 1ULL << shift;
			return 0;
		}
		table = table_at(pt, v);
	}
	return -ENOENT; /* not reached: level 1 always returns */
}

u64 pgt_cr3(const struct pgtable *pt)
{
	return pt->ops->virt_to_phys(pt->ops->ctx, pt->pml4) | pt->cbit_mask;
}

static void free_tables(struct pgtable *pt, u64 *table, int level)
{
	unsigned int i;

	for (i = 0; level > 1 && i < PT_ENTRIES; i++) {
		u64 v = table[i];

		if ((v & PTE_P) && !(v & PTE_PS))
			free_tables(pt, table_at(pt, v), level - 1);
	}
	pt->ops->free_table(pt->ops->ctx, table);
}

void pgt_destroy(struct pgtable *pt)
{
	if (!pt->pml4)
		return;
	free_tables(pt, pt->pml4, 4);
	pt->pml4 = NULL;
}
