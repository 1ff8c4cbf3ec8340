/* SPDX-License-Identifier: MIT */
/*
 * SLAB caches for objects of up to SLAB_MAX_OBJECT bytes, on pages from page_alloc().
 *
 * kmalloc() serves sizes up to SLAB_MAX_OBJECT from power-of-two size classes (16 bytes up)
 * and larger sizes as whole pages. Allocation failure returns NULL; nothing here panics.
 * Thread-safe (each cache has its own lock, taken after no other lock of the allocator;
 * the page allocator's lock nests inside it).
 *
 * A slab is one buddy block of 2^slab_order pages (PAGE_OWNER_SLAB) with its header at the
 * start; objects never span a page boundary. Which objects are in use is a bitmap in the
 * header, never a list threaded through the objects, so writes into freed objects cannot
 * corrupt the allocator, and a double free is always detected. Empty slabs stay in the
 * cache until slab_shrink() (kmalloc shrinks its caches by itself before it fails).
 *
 * kmalloc's per-CPU fast path: each CPU owns up to SLAB_CPU_SLABS slabs of every kmalloc
 * class. A CPU allocates from, and frees into, the slabs it owns without a lock or an atomic
 * instruction: only the owner writes an owned slab's bitmap. A free on another CPU takes the
 * cache lock and records the object in the slab's remote-free bitmap, which the owner folds
 * back under the lock. Taking and giving back ownership happens under the cache lock.
 * kmalloc_cpu_flush() (and kmalloc_shrink(), for the calling CPU) gives a CPU's slabs back.
 * Generic caches (slab_cache_init) always take the lock.
 */
#ifndef CSVSM_MM_SLAB_H
#define CSVSM_MM_SLAB_H

#include "lib/spinlock.h"
#include "lib/types.h"

#define SLAB_MAX_OBJECT 4096
/* CPU indices the per-CPU fast path serves (SVSM_MAX_CPUS); others always take the lock. */
#define SLAB_MAX_CPUS 256
/* Slabs a CPU owns per kmalloc class, at most. */
#define SLAB_CPU_SLABS 8

struct slab_cache {
	const char *name;
	size_t obj_size; /* rounded up to the alignment, at least 16 */
	size_t align;
	struct spinlock lock;
	void *partial; /* private to slab.c: slabs with free objects, owned by no CPU */
	void *full;    /* private to slab.c: slabs without, owned by no CPU */
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
};

/*
 * The calling CPU's index, for the per-CPU fast path. Not defined here: the SVSM's is
 * this_cpu()->index (src/mm/slab_cpu.c); a host program linking slab.c defines its own
 * (one index per thread that allocates; two threads must never share one).
 */
unsigned int slab_cpu_id(void);

/* obj_size 1..SLAB_MAX_OBJECT, align a power of two <= 64 (0 = 8); -EINVAL otherwise.
 * Objects are aligned to align (kmalloc: to their size class, at most 64). */
int slab_cache_init(struct slab_cache *c, const char *name, size_t obj_size, size_t align);
void *slab_alloc(struct slab_cache *c);
/* -EINVAL if obj was not allocated from c (wrong cache, not an object start, double free). */
int slab_free(struct slab_cache *c, void *obj);
/* Return empty slabs to the page allocator; returns pages freed. */
size_t slab_shrink(struct slab_cache *c);

/* Size-class caches for kmalloc; call once after page_alloc_init (-EBUSY the second time). */
int slab_init(void);
/* NULL for size 0, above 2^BUDDY_MAX_ORDER pages, or when memory is exhausted. */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
/* NULL is ignored; -EINVAL for a pointer kmalloc did not return (nothing changed then). */
int kfree(void *p);
/* Usable size of a live kmalloc() allocation (its size class or whole pages), 0 for any
 * other pointer. */
size_t ksize(const void *p);
/* Give the calling CPU's slabs and per-CPU state back to the caches and the page allocator
 * (its next kmalloc takes new ones). */
void kmalloc_cpu_flush(void);
/* kmalloc_cpu_flush(), then return the empty slabs of every kmalloc cache to the page
 * allocator; pages freed. Slabs other CPUs own stay with them. */
size_t kmalloc_shrink(void);

#endif
