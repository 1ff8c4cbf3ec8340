// SPDX-License-Identifier: MIT
/* SLAB caches and kmalloc (include/mm/slab.h). */
#include "mm/slab.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/buddy.h"
#include "mm/page_alloc.h"

#define SLAB_MIN_OBJECT 16
#define SLAB_MAX_ORDER 3 /* slabs of up to 8 pages */
#define SLAB_MAX_OBJS 256
#define SLAB_MAP_WORDS (SLAB_MAX_OBJS / 64)

/* Header at the start of every slab's first page. */
struct slab {
	struct slab_cache *cache;
	struct slab *prev;
	struct slab *next;
	u16 nr_objs;
	u16 nr_free;
	u32 unused;
	u64 used[SLAB_MAP_WORDS]; /* bit i set: object i allocated (or beyond nr_objs) */
};

_Static_assert(sizeof(struct slab) == 64, "slab header is one cache line");
/* The smallest stride in the first page cannot exceed the bitmap (see slab_cache_init). */
_Static_assert((PAGE_SIZE - sizeof(struct slab)) / SLAB_MIN_OBJECT <= SLAB_MAX_OBJS, "bitmap");

/* ---- slab lists ---- */

static void slab_list_add(void **head, struct slab *s)
{
	s->prev = NULL;
	s->next = *head;
	if (s->next)
		s->next->prev = s;
	*head = s;
}

static void slab_list_del(void **head, struct slab *s)
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
	return 0;
}

static void *obj_addr(const struct slab_cache *c, struct slab *s, unsigned int i)
{
	uintptr_t base = (uintptr_t)s;
	size_t per_page = PAGE_SIZE / c->obj_size;

	if (i < c->objs_first_page)
		return (void *)(base + c->first_offset + i * c->obj_size);
	i -= c->objs_first_page;
	return (void *)(base + PAGE_SIZE * (1 + i / per_page) + (i % per_page) * c->obj_size);
}

/* Index of the object starting exactly at p in slab s, or -1. */
static int obj_index(const struct slab_cache *c, const struct slab *s, uintptr_t p)
{
	uintptr_t off = p - (uintptr_t)s;
	size_t page = off >> PAGE_SHIFT, in = off & (PAGE_SIZE - 1);
	size_t per_page = PAGE_SIZE / c->obj_size, i;

	if (page == 0) {
		if (in < c->first_offset || (in - c->first_offset) % c->obj_size)
			return -1;
		i = (in - c->first_offset) / c->obj_size;
		if (i >= c->objs_first_page)
			return -1;
	} else {
		if (in % c->obj_size || in / c->obj_size >= per_page)
			return -1;
		i = c->objs_first_page + (page - 1) * per_page + in / c->obj_size;
	}
	return i < c->objs_per_slab ? (int)i : -1;
}

/* ---- allocation ---- */

static struct slab *slab_new(struct slab_cache *c)
{
	struct slab *s = page_alloc_owned(c->slab_order, PAGE_OWNER_SLAB);
	unsigned int i;

	if (!s)
		return NULL;
	memset(s, 0, sizeof(*s));
	s->cache = c;
	s->nr_objs = (u16)c->objs_per_slab;
	s->nr_free = s->nr_objs;
	/* Bits past the last object read as "in use", so the search never hands them out. */
	for (i = c->objs_per_slab; i < SLAB_MAX_OBJS; i++)
		s->used[i / 64] |= 1ULL << (i % 64);
	c->nr_slabs++;
	return s;
}

void *slab_alloc(struct slab_cache *c)
{
	struct slab *s;
	unsigned int w, i;

	spin_lock(&c->lock);
	s = c->partial;
	if (!s) {
		s = slab_new(c);
		if (!s) {
			spin_unlock(&c->lock);
			return NULL;
		}
		slab_list_add(&c->partial, s);
	}
	/* nr_free > 0 on the partial list, so a clear bit exists; the bound is belt and braces. */
	for (w = 0; w < SLAB_MAP_WORDS && ~s->used[w] == 0; w++)
		;
	if (w == SLAB_MAP_WORDS) {
		spin_unlock(&c->lock);
		return NULL;
	}
	i = w * 64 + (unsigned int)__builtin_ctzll(~s->used[w]);
	s->used[w] |= 1ULL << (i % 64);
	if (--s->nr_free == 0) {
		slab_list_del(&c->partial, s);
		slab_list_add(&c->full, s);
	}
	c->nr_objects++;
	spin_unlock(&c->lock);
	return obj_addr(c, s, i);
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
	int i;

	spin_lock(&c->lock);
	s = slab_of(c, obj);
	i = s ? obj_index(c, s, (uintptr_t)obj) : -1;
	if (i < 0 || !(s->used[i / 64] & (1ULL << (i % 64)))) {
		spin_unlock(&c->lock);
		return -EINVAL;
	}
	s->used[i / 64] &= ~(1ULL << (i % 64));
	if (s->nr_free++ == 0) {
		slab_list_del(&c->full, s);
		slab_list_add(&c->partial, s);
	}
	c->nr_objects--;
	spin_unlock(&c->lock);
	return 0;
}

size_t slab_shrink(struct slab_cache *c)
{
	struct slab *s, *next;
	size_t pages = 0;

	spin_lock(&c->lock);
	for (s = c->partial; s; s = next) {
		next = s->next;
		if (s->nr_free != s->nr_objs)
			continue;
		slab_list_del(&c->partial, s);
		/* Cannot fail: s is a live SLAB block of this order (slab_new). */
		page_free_owned(s, PAGE_OWNER_SLAB);
		c->nr_slabs--;
		pages += (size_t)1 << c->slab_order;
	}
	spin_unlock(&c->lock);
	return pages;
}

/* ---- kmalloc ---- */

#define KMALLOC_MIN_SHIFT 4  /* 16 bytes */
#define KMALLOC_MAX_SHIFT 11 /* SLAB_MAX_OBJECT */
#define KMALLOC_CLASSES (KMALLOC_MAX_SHIFT - KMALLOC_MIN_SHIFT + 1)

_Static_assert((1 << KMALLOC_MAX_SHIFT) == SLAB_MAX_OBJECT, "largest class");

static struct slab_cache kmalloc_caches[KMALLOC_CLASSES];
static bool kmalloc_ready;

static const char *const kmalloc_names[KMALLOC_CLASSES] = {
	"kmalloc-16",  "kmalloc-32",  "kmalloc-64",   "kmalloc-128",
	"kmalloc-256", "kmalloc-512", "kmalloc-1024", "kmalloc-2048",
};

int slab_init(void)
{
	unsigned int i;
	int rc;

	if (kmalloc_ready)
		return -EBUSY;
	for (i = 0; i < KMALLOC_CLASSES; i++) {
		size_t size = (size_t)1 << (KMALLOC_MIN_SHIFT + i);

		rc = slab_cache_init(&kmalloc_caches[i], kmalloc_names[i], size, MIN(size, 64));
		if (rc)
			return rc;
	}
	kmalloc_ready = true;
	return 0;
}

size_t kmalloc_shrink(void)
{
	size_t pages = 0;
	unsigned int i;

	for (i = 0; kmalloc_ready && i < KMALLOC_CLASSES; i++)
		pages += slab_shrink(&kmalloc_caches[i]);
	return pages;
}

static void *kmalloc_once(size_t size)
{
	unsigned int i, order;

	if (size <= SLAB_MAX_OBJECT) {
		for (i = 0; ((size_t)1 << (KMALLOC_MIN_SHIFT + i)) < size; i++)
			;
		return slab_alloc(&kmalloc_caches[i]);
	}
	for (order = 0; (PAGE_SIZE << order) < size; order++)
		;
	return page_alloc_owned(order, PAGE_OWNER_KMALLOC);
}

void *kmalloc(size_t size)
{
	void *p;

	if (!kmalloc_ready || size == 0 || size > (PAGE_SIZE << BUDDY_MAX_ORDER))
		return NULL;
	p = kmalloc_once(size);
	if (!p) {
		/* Empty slabs of every class may be what keeps the pages away. */
		kmalloc_shrink();
		p = kmalloc_once(size);
	}
	return p;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

/*
 * What kmalloc memory p is: a large block (returns it, *cache NULL) or an object of a
 * kmalloc cache (*cache set, return the slab). NULL for anything else. The peek at the slab
 * header is unlocked; slab_free() checks the block again under that cache's lock, so a
 * racing shrink cannot make kfree accept a bad pointer.
 */
static void *kmalloc_lookup(const void *p, struct slab_cache **cache, unsigned int *order)
{
	void *block;
	unsigned int owner, i;
	struct slab_cache *c;
	int rc = page_find(p, &block, &owner);

	*cache = NULL;
	if (rc < 0)
		return NULL;
	*order = (unsigned int)rc;
	if (owner == PAGE_OWNER_KMALLOC)
		return block == p ? block : NULL;
	if (owner != PAGE_OWNER_SLAB)
		return NULL;
	c = READ_ONCE(((struct slab *)block)->cache);
	for (i = 0; i < KMALLOC_CLASSES; i++) {
		if (c == &kmalloc_caches[i]) {
			*cache = c;
			return block;
		}
	}
	return NULL;
}

int kfree(void *p)
{
	struct slab_cache *c;
	unsigned int order;

	if (!p)
		return 0;
	if (!kmalloc_lookup(p, &c, &order))
		return -EINVAL;
	return c ? slab_free(c, p) : page_free_owned(p, PAGE_OWNER_KMALLOC);
}

size_t ksize(const void *p)
{
	struct slab_cache *c;
	struct slab *s;
	unsigned int order;
	size_t size = 0;
	int i;

	if (!p)
		return 0;
	s = kmalloc_lookup(p, &c, &order);
	if (!s)
		return 0;
	if (!c)
		return PAGE_SIZE << order;
	spin_lock(&c->lock);
	if (slab_of(c, p) == s) {
		i = obj_index(c, s, (uintptr_t)p);
		if (i >= 0 && (s->used[i / 64] & (1ULL << (i % 64))))
			size = c->obj_size;
	}
	spin_unlock(&c->lock);
	return size;
}
