/* SPDX-License-Identifier: MIT */
/*
 * What slab.c and kmalloc.c share and nothing else may use: the slab header and the object
 * geometry (the design is in include/mm/slab.h and include/mm/kmalloc.h).
 */
#ifndef CSVSM_MM_SLAB_INTERNAL_H
#define CSVSM_MM_SLAB_INTERNAL_H

#include "mm/slab.h"
#include "mm/kmalloc.h"
#include "mm/page_alloc.h"

#define SLAB_MIN_OBJECT 16
#define SLAB_MAX_ORDER 3 /* slabs of up to 8 pages */
#define SLAB_MAX_OBJS 256
#define SLAB_MAP_WORDS (SLAB_MAX_OBJS / 64)
#define SLAB_NO_OWNER 0xffff

/*
 * Header at the start of every slab's first page. While a CPU owns the slab (owner, kmalloc
 * only), only that CPU writes used[], nr_free, prev and next, without the lock; other CPUs
 * read used[] (under the lock) and write remote[], remote_pending and remote_next under the
 * lock only. Unowned slabs are written under the lock only. used[] is accessed with single
 * loads and stores (map_read and map_write): the owner's read-modify-write of one word never
 * races another writer.
 */
struct slab {
	struct slab_cache *cache;
	u16 nr_objs;
	u16 nr_free;
	u16 owner;		  /* CPU index or SLAB_NO_OWNER; changed under the lock */
	u16 remote_pending;	  /* remote[] has bits to fold back; on the owner's queue */
	u64 used[SLAB_MAP_WORDS]; /* bit i set: object i allocated (or beyond nr_objs) */
	struct slab *prev;	  /* on the cache's lists, or the owner's private ones */
	struct slab *next;
	u64 remote[SLAB_MAP_WORDS]; /* owned slab: freed by another CPU, still set in used[] */
	struct slab *remote_next;   /* the owner's queue of slabs with remote frees */
	u64 reserved[3];
};

_Static_assert(sizeof(struct slab) == 128, "slab header is two cache lines");
/* The smallest stride in the first page cannot exceed the bitmap (see slab_cache_init). */
_Static_assert((PAGE_SIZE - sizeof(struct slab)) / SLAB_MIN_OBJECT <= SLAB_MAX_OBJS, "bitmap");
_Static_assert(KMALLOC_MAX_CPUS <= SLAB_NO_OWNER, "owner field");

static inline u64 map_read(const u64 *w)
{
	return __atomic_load_n(w, __ATOMIC_RELAXED);
}

static inline void map_write(u64 *w, u64 v)
{
	__atomic_store_n(w, v, __ATOMIC_RELAXED);
}

/*
 * Object i's address and the reverse. A power-of-two stride (every kmalloc class, obj_shift
 * set) takes shifts; any other stride multiplies by the reciprocals.
 */
static inline void *obj_addr(const struct slab_cache *c, struct slab *s, unsigned int i)
{
	uintptr_t base = (uintptr_t)s, off;
	unsigned int per_page = c->objs_per_page, shift = c->obj_shift, page;

	if (i < c->objs_first_page) {
		off = shift ? (uintptr_t)i << shift : (uintptr_t)i * c->obj_size;
		return (void *)(base + c->first_offset + off);
	}
	i -= c->objs_first_page;
	if (shift) {
		page = i >> (PAGE_SHIFT - shift);
		off = (uintptr_t)(i & (per_page - 1)) << shift;
	} else {
		page = (i * c->per_page_recip) >> 16;
		off = (uintptr_t)(i - page * per_page) * c->obj_size;
	}
	return (void *)(base + PAGE_SIZE * (1 + page) + off);
}

/* Index of the object starting exactly at p in slab s, or -1. */
static inline int obj_index(const struct slab_cache *c, const struct slab *s, uintptr_t p)
{
	uintptr_t off = p - (uintptr_t)s;
	size_t page = off >> PAGE_SHIFT, in = off & (PAGE_SIZE - 1), q;
	size_t per_page = c->objs_per_page, limit = per_page, i;
	unsigned int shift = c->obj_shift;

	if (page == 0) {
		if (in < c->first_offset)
			return -1;
		in -= c->first_offset;
		limit = c->objs_first_page;
	}
	if (shift) {
		q = in >> shift;
		if (in & (((size_t)1 << shift) - 1))
			return -1;
	} else {
		q = (in * c->size_recip) >> 32;
		if (q * c->obj_size != in)
			return -1;
	}
	if (q >= limit)
		return -1;
	i = page ? c->objs_first_page + (page - 1) * per_page + q : q;
	return i < c->objs_per_slab ? (int)i : -1;
}

static inline bool obj_used(const struct slab *s, unsigned int i)
{
	return map_read(&s->used[i / 64]) & (1ULL << (i % 64));
}

/* Take the first free object of s (nr_free > 0) and return its index, -1 if none is free:
 * the lock is held or the caller owns s. */
static inline __attribute__((always_inline)) int slab_take_index(struct slab *s)
{
	unsigned int w, i;
	u64 m = 0;

	/* nr_free > 0, so a clear bit exists; the bound is belt and braces. */
	for (w = 0; w < SLAB_MAP_WORDS; w++) {
		m = map_read(&s->used[w]);
		if (~m)
			break;
	}
	if (w == SLAB_MAP_WORDS)
		return -1;
	i = w * 64 + (unsigned int)__builtin_ctzll(~m);
	map_write(&s->used[w], m | (1ULL << (i % 64)));
	s->nr_free--;
	return (int)i;
}

static inline void *slab_take(struct slab_cache *c, struct slab *s)
{
	int i = slab_take_index(s);

	return i < 0 ? NULL : obj_addr(c, s, (unsigned int)i);
}

static inline void slab_list_add(struct slab **head, struct slab *s)
{
	s->prev = NULL;
	s->next = *head;
	if (s->next)
		s->next->prev = s;
	*head = s;
}

static inline void slab_list_del(struct slab **head, struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		*head = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->prev = NULL;
	s->next = NULL;
}

/* slab.c: a new slab, and the locked paths kmalloc shares with slab_alloc and slab_free
 * (c->lock held). */
struct slab *slab_new(struct slab_cache *c);
void *slab_alloc_locked(struct slab_cache *c);
int slab_free_locked(struct slab_cache *c, struct slab *s, unsigned int i);
/* slab_shrink, calling gone(s) (if not NULL) under the lock before each slab is freed. */
size_t slab_shrink_cb(struct slab_cache *c, void (*gone)(struct slab *s));

#endif
