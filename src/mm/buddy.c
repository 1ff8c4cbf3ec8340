// SPDX-License-Identifier: MIT
/*
 * Buddy page allocator (include/mm/buddy.h).
 *
 * Blocks are identified by the page frame number of their first page, so "aligned to its size"
 * and "buddy" are computed on addresses, not on indices into the range: the buddy of the
 * order-k block at frame f is the block at f ^ 2^k. The first page of every block (free or
 * allocated) is its head and records the order; every other page is a tail. Free blocks sit
 * on a doubly linked list per order, linked through the metadata (never through the free
 * memory itself, so a stray write into freed memory cannot corrupt the allocator).
 */
#include "mm/buddy.h"
#include "lib/errno.h"
#include "lib/string.h"

enum {
	PAGE_TAIL = 0,	/* not the first page of a block */
	PAGE_FREE = 1,	/* head of a free block, on free_head[order] */
	PAGE_ALLOC = 2, /* head of an allocated block */
};

#define NIL 0x3ffffffu /* "no page" in a 26-bit link */

struct buddy_page {
	unsigned int next : 26; /* free-list links: page indices, NIL at the ends */
	unsigned int order : 4;
	unsigned int state : 2;
	unsigned int prev : 26;
	unsigned int owner : 4; /* allocated blocks only */
	unsigned int unused : 2;
};

_Static_assert(sizeof(struct buddy_page) <= 8, "per-page metadata is at most 8 bytes");
/* Indices run to BUDDY_MAX_PAGES - 1, so none of them is NIL. */
_Static_assert(BUDDY_MAX_PAGES <= NIL, "page indices fit the links");
_Static_assert(BUDDY_MAX_ORDER < 16 && BUDDY_OWNERS <= 16, "order and owner fit 4 bits");

static uintptr_t pfn_of(const struct buddy *b, size_t idx)
{
	return (b->base >> PAGE_SHIFT) + idx;
}

static void *addr_of(const struct buddy *b, size_t idx)
{
	return (void *)(b->base + (idx << PAGE_SHIFT));
}

static void list_push(struct buddy *b, size_t idx, unsigned int order)
{
	struct buddy_page *m = &b->meta[idx];
	u32 head = b->free_head[order];

	m->state = PAGE_FREE;
	m->order = order;
	m->owner = 0;
	m->prev = NIL;
	m->next = head;
	if (head != NIL)
		b->meta[head].prev = idx;
	b->free_head[order] = idx;
}

static void list_del(struct buddy *b, size_t idx)
{
	struct buddy_page *m = &b->meta[idx];

	if (m->prev != NIL)
		b->meta[m->prev].next = m->next;
	else
		b->free_head[m->order] = m->next;
	if (m->next != NIL)
		b->meta[m->next].prev = m->prev;
	m->state = PAGE_TAIL;
	m->next = NIL;
	m->prev = NIL;
}

/*
 * Index of the buddy of the order-k block at idx if the buddy lies inside the range, else
 * false. A buddy below the range start has a frame number below base's.
 */
static bool buddy_of(const struct buddy *b, size_t idx, unsigned int k, size_t *bidx)
{
	uintptr_t bpfn = pfn_of(b, idx) ^ ((uintptr_t)1 << k);
	uintptr_t base_pfn = b->base >> PAGE_SHIFT;

	if (bpfn < base_pfn || bpfn - base_pfn >= b->npages)
		return false;
	*bidx = bpfn - base_pfn;
	return true;
}

int buddy_init(struct buddy *b, void *start, size_t size)
{
	uintptr_t s = (uintptr_t)start;
	size_t total, meta_pages, idx;
	unsigned int k;

	if (!IS_ALIGNED(s, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE) || !s)
		return -EINVAL;
	if (s + size < s)
		return -EINVAL;
	total = size >> PAGE_SHIFT;
	/* Metadata for every page of the range: a slight over-estimate, never too small. */
	meta_pages = (total * sizeof(struct buddy_page) + PAGE_SIZE - 1) >> PAGE_SHIFT;
	if (total <= meta_pages || total - meta_pages > BUDDY_MAX_PAGES)
		return -EINVAL;

	b->meta = start;
	b->npages = total - meta_pages;
	b->base = s + (meta_pages << PAGE_SHIFT);
	b->free_pages = 0;
	for (k = 0; k < BUDDY_ORDERS; k++)
		b->free_head[k] = NIL;
	memset(b->meta, 0, b->npages * sizeof(struct buddy_page));

	/* Cover the range with the largest blocks its address alignment allows. */
	for (idx = 0; idx < b->npages; idx += (size_t)1 << k) {
		for (k = BUDDY_MAX_ORDER; k > 0; k--) {
			size_t pages = (size_t)1 << k;

			if (IS_ALIGNED(pfn_of(b, idx), pages) && b->npages - idx >= pages)
				break;
		}
		list_push(b, idx, k);
		b->free_pages += (size_t)1 << k;
	}
	return 0;
}

void *buddy_alloc_owned(struct buddy *b, unsigned int order, unsigned int owner)
{
	unsigned int k;
	size_t idx;

	if (order > BUDDY_MAX_ORDER || owner >= BUDDY_OWNERS)
		return NULL;
	for (k = order; k <= BUDDY_MAX_ORDER && b->free_head[k] == NIL; k++)
		;
	if (k > BUDDY_MAX_ORDER)
		return NULL;

	idx = b->free_head[k];
	list_del(b, idx);
	/* Split: keep the lower half, free the upper half, down to the requested order. */
	while (k > order) {
		k--;
		list_push(b, idx + ((size_t)1 << k), k);
	}
	b->meta[idx].state = PAGE_ALLOC;
	b->meta[idx].order = order;
	b->meta[idx].owner = owner;
	b->free_pages -= (size_t)1 << order;
	return addr_of(b, idx);
}

void *buddy_alloc(struct buddy *b, unsigned int order)
{
	return buddy_alloc_owned(b, order, 0);
}

/* Index of the page at addr, if addr is a page inside the managed range. */
static bool index_of(const struct buddy *b, const void *addr, size_t *idx)
{
	uintptr_t a = (uintptr_t)addr;

	if (a < b->base || !IS_ALIGNED(a, PAGE_SIZE) || ((a - b->base) >> PAGE_SHIFT) >= b->npages)
		return false;
	*idx = (a - b->base) >> PAGE_SHIFT;
	return true;
}

int buddy_free_owned(struct buddy *b, void *block, unsigned int owner)
{
	size_t idx, bidx;
	unsigned int k;

	if (!index_of(b, block, &idx) || b->meta[idx].state != PAGE_ALLOC ||
	    b->meta[idx].owner != owner)
		return -EINVAL;

	k = b->meta[idx].order;
	b->free_pages += (size_t)1 << k;
	b->meta[idx].state = PAGE_TAIL;
	/* Merge with the buddy while it is a whole free block of the same order. */
	while (k < BUDDY_MAX_ORDER && buddy_of(b, idx, k, &bidx) &&
	       b->meta[bidx].state == PAGE_FREE && b->meta[bidx].order == k) {
		list_del(b, bidx);
		idx = MIN(idx, bidx);
		k++;
	}
	list_push(b, idx, k);
	return 0;
}

int buddy_free(struct buddy *b, void *block)
{
	return buddy_free_owned(b, block, 0);
}

int buddy_block_order(const struct buddy *b, const void *block)
{
	size_t idx;

	if (!index_of(b, block, &idx) || b->meta[idx].state != PAGE_ALLOC)
		return -EINVAL;
	return b->meta[idx].order;
}

int buddy_find(const struct buddy *b, const void *addr, void **block, unsigned int *owner)
{
	uintptr_t a = (uintptr_t)addr;
	size_t idx, head;
	unsigned int k;

	if (a < b->base || ((a - b->base) >> PAGE_SHIFT) >= b->npages)
		return -ENOENT;
	idx = (a - b->base) >> PAGE_SHIFT;
	/* The block holding idx is an order-k head at idx's frame rounded down to 2^k. */
	for (k = 0; k <= BUDDY_MAX_ORDER; k++) {
		uintptr_t hpfn = ALIGN_DOWN(pfn_of(b, idx), (uintptr_t)1 << k);
		const struct buddy_page *m;

		if (hpfn < (b->base >> PAGE_SHIFT))
			break;
		head = hpfn - (b->base >> PAGE_SHIFT);
		m = &b->meta[head];
		if (m->state == PAGE_TAIL || m->order != k)
			continue;
		if (m->state != PAGE_ALLOC)
			return -ENOENT;
		*block = addr_of(b, head);
		*owner = m->owner;
		return (int)k;
	}
	return -ENOENT;
}

/* Walk one free list: every entry a free head of this order, links consistent, no cycle. */
static int check_list(const struct buddy *b, unsigned int k, size_t *blocks)
{
	u32 idx = b->free_head[k], prev = NIL;
	size_t n = 0;

	while (idx != NIL) {
		const struct buddy_page *m;

		if (idx >= b->npages || ++n > b->npages)
			return -EPROTO;
		m = &b->meta[idx];
		if (m->state != PAGE_FREE || m->order != k || m->prev != prev)
			return -EPROTO;
		prev = idx;
		idx = m->next;
	}
	*blocks += n;
	return 0;
}

int buddy_check(const struct buddy *b)
{
	size_t listed = 0, heads = 0, free_pages = 0, idx, i, bidx;
	unsigned int k;

	for (k = 0; k < BUDDY_ORDERS; k++)
		if (check_list(b, k, &listed))
			return -EPROTO;

	/* The blocks must tile the range exactly, each aligned to its size in address. */
	for (idx = 0; idx < b->npages; idx += (size_t)1 << k) {
		const struct buddy_page *m = &b->meta[idx];
		size_t pages;

		if (m->state == PAGE_TAIL || m->order > BUDDY_MAX_ORDER)
			return -EPROTO;
		k = m->order;
		pages = (size_t)1 << k;
		if (!IS_ALIGNED(pfn_of(b, idx), pages) || b->npages - idx < pages)
			return -EPROTO;
		for (i = 1; i < pages; i++)
			if (b->meta[idx + i].state != PAGE_TAIL)
				return -EPROTO;
		if (m->state != PAGE_FREE)
			continue;
		if (m->owner)
			return -EPROTO;
		/* A free block whose buddy is free at the same order should have merged. */
		if (k < BUDDY_MAX_ORDER && buddy_of(b, idx, k, &bidx) &&
		    b->meta[bidx].state == PAGE_FREE && b->meta[bidx].order == k)
			return -EPROTO;
		heads++;
		free_pages += pages;
	}
	if (heads != listed || free_pages != b->free_pages)
		return -EPROTO;
	return 0;
}
