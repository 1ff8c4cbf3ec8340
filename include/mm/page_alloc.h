/*
 * The SVSM's page allocator: one global buddy allocator over the SVSM's dynamic memory,
 * behind a spinlock (lock rank: see README.md).
 */
#ifndef CSVSM_MM_PAGE_ALLOC_H
#define CSVSM_MM_PAGE_ALLOC_H

#include "lib/types.h"

/* Hand [start, start + size) (mapped, validated, page aligned) to the allocator. */
int page_alloc_init(void *start, size_t size);

/* 2^order contiguous pages (uninitialised), or NULL. */
void *page_alloc(unsigned int order);
/* As page_alloc, zeroed. */
void *page_zalloc(unsigned int order);
/* Free a block from page_alloc/page_zalloc; NULL is ignored. -EINVAL for anything else. */
int page_free(void *p);

size_t page_alloc_free_pages(void);
size_t page_alloc_total_pages(void);

#endif
