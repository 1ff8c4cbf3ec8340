/* SPDX-License-Identifier: MIT */
/*
 * SLAB caches for objects of up to SLAB_MAX_OBJECT bytes, on pages from page_alloc()
 * (kmalloc's size classes are such caches: include/mm/kmalloc.h).
 *
 * Allocation failure returns NULL; nothing here panics. Thread-safe (each cache has its own
 * lock, taken after no other lock of the allocator; the page allocator's lock nests inside
 * it).
 *
 * A slab is one buddy block of 2^slab_order pages (PAGE_OWNER_SLAB) with its header at the
 * start; objects never span a page boundary. Which objects are in use is a bitmap in the
 * header, never a list threaded through the objects, so writes into freed objects cannot
 * corrupt the allocator, and a double free is always detected. Empty slabs stay in the
 * cache until slab_shrink() (kmalloc shrinks its caches by itself before it fails).
 * Generic caches (slab_cache_init) always take the lock.
 */
#ifndef CSVSM_MM_SLAB_H
#define CSVSM_MM_SLAB_H

#include "lib/spinlock.h"
#include "lib/types.h"

#define SLAB_MAX_OBJECT 4096

struct slab; /* private to mm/ (src/mm/slab_internal.h) */

struct slab_cache {
	const char *name;
	size_t obj_size; /* rounded up to the alignment, at least 16 */
	size_t align;
	struct spinlock lock;
	struct slab *partial; /* private to mm/: slabs with free objects, owned by no CPU */
	struct slab *full;    /* private to mm/: slabs without, owned by no CPU */
	size_t nr_slabs;
	/* Allocated objects, plus the free objects of slabs a CPU owns (kmalloc caches). */
	size_t nr_objects;
	/* Slab geometry, fixed by slab_cache_init (private to slab.c). */
	unsigned int slab_order;
	unsigned int objs_per_slab;
	unsigned int objs_first_page; /* objects in the first page, after the header */
	unsigned int first_offset;    /* of object 0 in the first page */
	unsigned int objs_per_page;   /* in every later page */
	u32 size_recip;		      /* ceil(2^32 / obj_size): offset / obj_size without div */
	u32 per_page_recip;	      /* ceil(2^16 / objects per later page) */
	unsigned int obj_shift;	      /* log2(obj_size) if it is a power of two, else 0 */
};

/* obj_size 1..SLAB_MAX_OBJECT, align a power of two <= 64 (0 = 8); -EINVAL otherwise.
 * Objects are aligned to align (kmalloc: to their size class, at most 64). */
int slab_cache_init(struct slab_cache *c, const char *name, size_t obj_size, size_t align);
void *slab_alloc(struct slab_cache *c);
/* -EINVAL if obj was not allocated from c (wrong cache, not an object start, double free). */
int slab_free(struct slab_cache *c, void *obj);
/* Return empty slabs to the page allocator; returns pages freed. */
size_t slab_shrink(struct slab_cache *c);

#endif
