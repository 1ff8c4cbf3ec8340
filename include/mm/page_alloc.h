/* SPDX-License-Identifier: MIT */
/*
 * The SVSM's page allocator: one global buddy allocator over the SVSM's dynamic memory,
 * behind a spinlock (lock rank: see README.md).
 */
#ifndef CSVSM_MM_PAGE_ALLOC_H
#define CSVSM_MM_PAGE_ALLOC_H

#include "lib/types.h"

/*
 * Who allocated a block (buddy.h "owner"): each kind can only be freed through its own
 * function, so kfree() cannot release a page_alloc() block or a SLAB page, and page_free()
 * cannot release kmalloc() memory.
 */
#define PAGE_OWNER_PAGE 0    /* page_alloc / page_zalloc */
#define PAGE_OWNER_SLAB 1    /* SLAB slabs (slab.c) */
#define PAGE_OWNER_KMALLOC 2 /* kmalloc of more than SLAB_MAX_OBJECT bytes */

/* Hand [start, start + size) (mapped, validated, page aligned) to the allocator. -EINVAL as
 * buddy_init, -EBUSY if it was already initialised. */
int page_alloc_init(void *start, size_t size);

/* 2^order contiguous pages (uninitialised), or NULL. */
void *page_alloc(unsigned int order);
/* As page_alloc, zeroed. */
void *page_zalloc(unsigned int order);
/* Free a block from page_alloc/page_zalloc; NULL is ignored. -EINVAL for anything else. */
int page_free(void *p);

/* For the allocators layered on top (slab.c): allocate and free blocks of another owner. */
void *page_alloc_owned(unsigned int order, unsigned int owner);
int page_free_owned(void *p, unsigned int owner);
/* The allocated block containing @addr: start, owner, and order as return value; -ENOENT. */
int page_find(const void *addr, void **block, unsigned int *owner);

/* The managed range: first page and page count (kmalloc's page map covers it); -ENODEV before
 * page_alloc_init. */
int page_alloc_range(uintptr_t *base, size_t *npages);

size_t page_alloc_free_pages(void);
size_t page_alloc_total_pages(void);

#endif
