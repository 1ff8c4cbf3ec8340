/* SPDX-License-Identifier: MIT */
/*
 * Buddy page allocator over one contiguous, mapped range of SVSM memory.
 *
 * Blocks are 2^order pages, order 0..BUDDY_MAX_ORDER, and a block of order k is aligned to
 * 2^k pages in *address* (so order-9 blocks are 2 MiB aligned when the range's addresses
 * are). The per-page metadata array (at most 8 bytes a page) is carved from the start of the
 * range itself. Not thread-safe: page_alloc.h wraps the global instance with a lock.
 * Nothing here panics: failures are NULL or a negative error code.
 *
 * Every allocated block carries an owner (0..BUDDY_OWNERS-1) chosen at allocation. A block
 * can only be freed by naming its owner, so memory handed out by one layer (e.g. SLAB pages)
 * cannot be released through another (e.g. page_free) by mistake.
 */
#ifndef CSVSM_MM_BUDDY_H
#define CSVSM_MM_BUDDY_H

#include "lib/types.h"

#define BUDDY_MAX_ORDER 10 /* 4 MiB */
#define BUDDY_ORDERS (BUDDY_MAX_ORDER + 1)
#define BUDDY_OWNERS 16
/* Page indices are 26-bit in the metadata: at most 2^26 - 1 pages (256 GiB) managed. */
#define BUDDY_MAX_PAGES ((1UL << 26) - 1)

struct buddy_page; /* per-page metadata, private to buddy.c */

struct buddy {
	uintptr_t base;		 /* address of page 0 of the managed range (after the metadata) */
	size_t npages;		 /* pages managed */
	struct buddy_page *meta; /* npages entries */
	size_t free_pages;
	u32 free_head[BUDDY_ORDERS]; /* private to buddy.c */
};

/*
 * Manage [start, start + size). start and size must be page aligned and leave at least one
 * page after the metadata, and at most BUDDY_MAX_PAGES; -EINVAL otherwise. All pages start
 * free.
 */
int buddy_init(struct buddy *b, void *start, size_t size);

/* A block of 2^order pages, or NULL when none is free or order > BUDDY_MAX_ORDER. Owner 0. */
void *buddy_alloc(struct buddy *b, unsigned int order);
/* As buddy_alloc, for @owner (< BUDDY_OWNERS, else NULL). */
void *buddy_alloc_owned(struct buddy *b, unsigned int order, unsigned int owner);

/*
 * Give back a block returned by buddy_alloc (its order is remembered). -EINVAL for a pointer
 * that is not the start of an allocated block of owner 0 (outside the range, unaligned,
 * double free, another owner's block); the allocator is then unchanged.
 */
int buddy_free(struct buddy *b, void *block);
/* As buddy_free, for a block of @owner. */
int buddy_free_owned(struct buddy *b, void *block, unsigned int owner);

/* Order of the allocated block at @block (any owner), or -EINVAL. */
int buddy_block_order(const struct buddy *b, const void *block);

/*
 * The allocated block that contains @addr (anywhere inside it): its start in *block, its
 * owner in *owner, and its order as the return value. -ENOENT if addr is outside the range
 * or in a free block.
 */
int buddy_find(const struct buddy *b, const void *addr, void **block, unsigned int *owner);

static inline size_t buddy_free_pages(const struct buddy *b)
{
	return b->free_pages;
}

/* Internal consistency check for tests: 0 or -EPROTO (free lists, counters, buddies merged). */
int buddy_check(const struct buddy *b);

#endif
