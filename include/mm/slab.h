/*
 * SLAB caches for objects of up to SLAB_MAX_OBJECT bytes, on pages from page_alloc().
 *
 * kmalloc() serves sizes up to SLAB_MAX_OBJECT from power-of-two size classes (16 bytes up)
 * and larger sizes as whole pages. Allocation failure returns NULL; nothing here panics.
 * Thread-safe (each cache has its own lock, taken after no other lock of the allocator).
 */
#ifndef CSVSM_MM_SLAB_H
#define CSVSM_MM_SLAB_H

#include "lib/spinlock.h"
#include "lib/types.h"

#define SLAB_MAX_OBJECT 2048

struct slab_cache {
	const char *name;
	size_t obj_size; /* rounded up to the alignment */
	size_t align;
	struct spinlock lock;
	void *partial; /* private to slab.c: slabs with free objects */
	void *full; /* private to slab.c: slabs without */
	size_t nr_slabs;
	size_t nr_objects; /* allocated objects */
};

/* obj_size 1..SLAB_MAX_OBJECT, align a power of two <= 64 (0 = 8); -EINVAL otherwise. */
int slab_cache_init(struct slab_cache *c, const char *name, size_t obj_size, size_t align);
void *slab_alloc(struct slab_cache *c);
/* -EINVAL if obj was not allocated from c (wrong cache, not an object start, double free). */
int slab_free(struct slab_cache *c, void *obj);
/* Return empty slabs to the page allocator; returns pages freed. */
size_t slab_shrink(struct slab_cache *c);

/* Size-class caches for kmalloc; call once after page_alloc_init. */
int slab_init(void);
void *kmalloc(size_t size);
void *kzalloc(size_t size);
/* NULL is ignored; -EINVAL for a pointer kmalloc did not return. */
int kfree(void *p);

#endif
