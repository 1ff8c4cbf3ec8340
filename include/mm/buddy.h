/*
 * Buddy page allocator over one contiguous, mapped range of SVSM memory.
 *
 * Blocks are 2^order pages, order 0..BUDDY_MAX_ORDER, and a block of order k is aligned to
 * 2^k pages in *address* (so order-9 blocks are 2 MiB aligned when the range's addresses
 * are). The per-page metadata array (at most 8 bytes a page) is carved from the start of the
 * range itself. Not thread-safe: page_alloc.h wraps the global instance with a lock.
 * Nothing here panics: failures are NULL or a negative error code.
 */
#ifndef CSVSM_MM_BUDDY_H
#define CSVSM_MM_BUDDY_H

#include "lib/types.h"

#define BUDDY_MAX_ORDER 10 /* 4 MiB */
#define BUDDY_ORDERS (BUDDY_MAX_ORDER + 1)

struct buddy_page; /* per-page metadata, private to buddy.c */

struct buddy {
	uintptr_t base; /* address of page 0 of the managed range (after the metadata) */
	size_t npages; /* pages managed */
	struct buddy_page *meta; /* npages entries */
	size_t free_pages;
	u32 free_head[BUDDY_ORDERS]; /* private to buddy.c */
};

/*
 * Manage [start, start + size). start and size must be page aligned and leave at least one
 * page after the metadata; -EINVAL otherwise. All pages start free.
 */
int buddy_init(struct buddy *b, void *start, size_t size);

/* A block of 2^order pages, or NULL when none is free or order > BUDDY_MAX_ORDER. */
void *buddy_alloc(struct buddy *b, unsigned int order);

/*
 * Give back a block returned by buddy_alloc (its order is remembered). -EINVAL for a pointer
 * that is not the start of an allocated block (outside the range, unaligned, double free);
 * the allocator is then unchanged.
 */
int buddy_free(struct buddy *b, void *block);

/* Order of the allocated block at @block, or -EINVAL. */
int buddy_block_order(const struct buddy *b, const void *block);

static inline size_t buddy_free_pages(const struct buddy *b)
{
	return b->free_pages;
}

/* Internal consistency check for tests: 0 or -EPROTO (free lists, counters, buddies merged). */
int buddy_check(const struct buddy *b);

#endif
