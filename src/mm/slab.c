// SPDX-License-Identifier: MIT
/* SLAB caches (include/mm/slab.h); kmalloc on top of them is kmalloc.c. */
#include "mm/slab.h"
#include "slab_internal.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/buddy.h"
#include "mm/page_alloc.h"

/* ---- geometry ---- */

static unsigned int objs_in_slab(size_t stride, size_t first_off, unsigned int order,
				 unsigned int *first_page)
{
	size_t n;

	*first_page = (unsigned int)((PAGE_SIZE - first_off) / stride);
	n = *first_page + (((size_t)1 << order) - 1) * (PAGE_SIZE / stride);
	return (unsigned int)MIN(n, (size_t)SLAB_MAX_OBJS);
}

int slab_cache_init(struct slab_cache *c, const char *name, size_t obj_size, size_t align)
{
	size_t stride, first_off;
	unsigned int order, n = 0, first = 0;

	if (align == 0)
		align = 8;
	if (obj_size == 0 || obj_size > SLAB_MAX_OBJECT || align > 64 || (align & (align - 1)))
		return -EINVAL;
	stride = ALIGN_UP(MAX(obj_size, (size_t)SLAB_MIN_OBJECT), align);
	first_off = ALIGN_UP(sizeof(struct slab), align);

	/* The smallest slab that wastes at most an eighth of itself (else the largest). */
	for (order = 0; order <= SLAB_MAX_ORDER; order++) {
		size_t bytes = PAGE_SIZE << order;

		n = objs_in_slab(stride, first_off, order, &first);
		if ((bytes - n * stride) * 8 <= bytes)
			break;
	}
	if (order > SLAB_MAX_ORDER)
		order = SLAB_MAX_ORDER;

	memset(c, 0, sizeof(*c));
	c->name = name;
	c->obj_size = stride;
	c->align = align;
	c->lock = (struct spinlock)SPINLOCK_INIT;
	c->slab_order = order;
	c->objs_per_slab = n;
	c->objs_first_page = first;
	c->first_offset = (unsigned int)first_off;
	c->objs_per_page = (unsigned int)(PAGE_SIZE / stride);
	/*
	 * Reciprocals, so that the hot paths divide by multiplying: for n < 2^12 and d <= 2^12,
	 * (n * ceil(2^32 / d)) >> 32 == n / d; for n < 2^8 and d <= 2^8, the same with 2^16.
	 */
	c->size_recip = (u32)((((u64)1 << 32) + stride - 1) / stride);
	c->per_page_recip = (((u32)1 << 16) + c->objs_per_page - 1) / c->objs_per_page;
	if (!(stride & (stride - 1)))
		c->obj_shift = (unsigned int)__builtin_ctzll(stride);
	return 0;
}

/* ---- allocation ---- */

struct slab *slab_new(struct slab_cache *c)
{
	struct slab *s = page_alloc_owned(c->slab_order, PAGE_OWNER_SLAB);
	unsigned int i;

	if (!s)
		return NULL;
	memset(s, 0, sizeof(*s));
	s->cache = c;
	s->nr_objs = (u16)c->objs_per_slab;
	s->nr_free = s->nr_objs;
	s->owner = SLAB_NO_OWNER;
	/* Bits past the last object read as "in use", so the search never hands them out. */
	for (i = c->objs_per_slab; i < SLAB_MAX_OBJS; i++)
		s->used[i / 64] |= 1ULL << (i % 64);
	c->nr_slabs++;
	return s;
}

/* An object of an unowned slab, under c->lock; NULL without memory. */
void *slab_alloc_locked(struct slab_cache *c)
{
	struct slab *s = c->partial;
	void *p;

	if (!s) {
		s = slab_new(c);
		if (!s)
			return NULL;
		slab_list_add(&c->partial, s);
	}
	p = slab_take(c, s);
	if (!p)
		return NULL;
	if (s->nr_free == 0) {
		slab_list_del(&c->partial, s);
		slab_list_add(&c->full, s);
	}
	c->nr_objects++;
	return p;
}

void *slab_alloc(struct slab_cache *c)
{
	void *p;

	spin_lock(&c->lock);
	p = slab_alloc_locked(c);
	spin_unlock(&c->lock);
	return p;
}

/* Free object i of unowned slab s, under c->lock; -EINVAL if it is not allocated. */
int slab_free_locked(struct slab_cache *c, struct slab *s, unsigned int i)
{
	u64 bit = 1ULL << (i % 64);

	if (!(s->used[i / 64] & bit))
		return -EINVAL;
	s->used[i / 64] &= ~bit;
	if (s->nr_free++ == 0) {
		slab_list_del(&c->full, s);
		slab_list_add(&c->partial, s);
	}
	c->nr_objects--;
	return 0;
}

/* The slab of cache c that obj lies in, or NULL. Called with c->lock held, so no slab of c
 * can be freed meanwhile and the header read belongs to a live slab of c. */
static struct slab *slab_of(struct slab_cache *c, const void *obj)
{
	void *block;
	unsigned int owner;
	int order = page_find(obj, &block, &owner);

	if (order < 0 || owner != PAGE_OWNER_SLAB || (unsigned int)order != c->slab_order)
		return NULL;
	if (((struct slab *)block)->cache != c)
		return NULL;
	return block;
}

int slab_free(struct slab_cache *c, void *obj)
{
	struct slab *s;
	int i, rc = -EINVAL;

	spin_lock(&c->lock);
	s = slab_of(c, obj);
	i = s ? obj_index(c, s, (uintptr_t)obj) : -1;
	/* Generic caches' slabs are never owned by a CPU (only kmalloc's are). */
	if (i >= 0 && s->owner == SLAB_NO_OWNER)
		rc = slab_free_locked(c, s, (unsigned int)i);
	spin_unlock(&c->lock);
	return rc;
}

size_t slab_shrink_cb(struct slab_cache *c, void (*gone)(struct slab *s))
{
	struct slab *s, *next;
	size_t pages = 0;

	spin_lock(&c->lock);
	/* Only unowned slabs are on the lists: a CPU's slabs stay with it. */
	for (s = c->partial; s; s = next) {
		next = s->next;
		/* A slab still queued for remote frees (kmalloc) is not freed under the queue. */
		if (s->nr_free != s->nr_objs || s->remote_pending)
			continue;
		slab_list_del(&c->partial, s);
		if (gone)
			gone(s);
		/* Cannot fail: s is a live SLAB block of this order (slab_new). */
		page_free_owned(s, PAGE_OWNER_SLAB);
		c->nr_slabs--;
		pages += (size_t)1 << c->slab_order;
	}
	spin_unlock(&c->lock);
	return pages;
}

size_t slab_shrink(struct slab_cache *c)
{
	return slab_shrink_cb(c, NULL);
}
