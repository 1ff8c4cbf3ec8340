// SPDX-License-Identifier: MIT
/*
 * kmalloc: the calls, the page map and large blocks (include/mm/kmalloc.h); a CPU's slabs
 * are kmalloc_slab.c.
 */
#include "kmalloc_slab.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/buddy.h"

static const char *const kmalloc_names[KMALLOC_CLASSES] = {
	"kmalloc-16",  "kmalloc-32",   "kmalloc-64",   "kmalloc-128",  "kmalloc-256",
	"kmalloc-512", "kmalloc-1024", "kmalloc-2048", "kmalloc-4096",
};

/* Class of a size 1..SLAB_MAX_OBJECT. */
static inline unsigned int kmalloc_class(size_t size)
{
	if (size <= ((size_t)1 << KMALLOC_MIN_SHIFT))
		return 0;
	return (unsigned int)(64 - __builtin_clzll(size - 1)) - KMALLOC_MIN_SHIFT;
}

/* Order of the smallest block of at least size bytes (size > 0). */
static inline unsigned int block_order(size_t size)
{
	if (size <= PAGE_SIZE)
		return 0;
	return (unsigned int)(64 - __builtin_clzll(size - 1)) - PAGE_SHIFT;
}

static unsigned int order_of_bytes(size_t bytes)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

int kmalloc_init(void)
{
	uintptr_t base;
	size_t npages;
	unsigned int i, order;
	u32 *e;
	int rc;

	if (kmap.bytes)
		return -EBUSY;
	for (i = 0; i < KMALLOC_CLASSES; i++) {
		size_t size = (size_t)1 << (KMALLOC_MIN_SHIFT + i);

		struct slab_cache *c = &kmalloc_caches[i];

		rc = slab_cache_init(c, kmalloc_names[i], size, MIN(size, 64));
		if (rc)
			return rc;
		/* The geometry the fast paths compute (kmalloc_slab.h) is the cache's. */
		if (c->obj_shift != kobj_shift(i) || c->first_offset != KOBJ_FIRST_OFFSET ||
		    c->objs_first_page != kobj_first_page(i) ||
		    c->objs_per_slab !=
			    c->objs_first_page + ((1u << c->slab_order) - 1) * c->objs_per_page)
			return -EINVAL;
	}
	rc = page_alloc_range(&base, &npages);
	if (rc)
		return rc;
	/* The map's own pages are SLAB pages (page_free refuses them) and KMAP_NONE (kfree). */
	order = order_of_bytes(npages * sizeof(u32));
	e = order <= BUDDY_MAX_ORDER ? page_alloc_owned(order, PAGE_OWNER_SLAB) : NULL;
	if (!e)
		return -ENOMEM;
	memset(e, 0, npages * sizeof(u32));
	kmap.base = base;
	kmap.e = e;
	kmap.bytes = npages << PAGE_SHIFT;
	return 0;
}

/* The calling CPU's state, created on first use (no lock held: it takes page_alloc's). */
static struct kmalloc_cpu *kmalloc_cpu_get(void)
{
	unsigned int cpu = kmalloc_cpu_id();
	struct kmalloc_cpu *pc;

	if (cpu >= KMALLOC_MAX_CPUS)
		return NULL;
	if (kmalloc_cpus[cpu])
		return kmalloc_cpus[cpu];
	/* A SLAB page that is KMAP_NONE: kfree, slab_free and page_free all refuse it. */
	pc = page_alloc_owned(order_of_bytes(sizeof(*pc)), PAGE_OWNER_SLAB);
	if (!pc)
		return NULL;
	memset(pc, 0, sizeof(*pc));
	pc->cpu = cpu;
	kmalloc_cpus[cpu] = pc;
	return pc;
}

/* ---- large blocks ---- */

/* A large block of 2^order pages from the page allocator, entered in the map for cpu. */
static void *large_new(unsigned int order, unsigned int cpu)
{
	void *b = page_alloc_owned(order, PAGE_OWNER_KMALLOC);

	if (b)
		kmap_write(kmap_entry((uintptr_t)b), kmap_make(KMAP_LARGE, order, 0, cpu));
	return b;
}

/* Free the large block b whose entry *ent held e (KMAP_LARGE): whoever changes the entry
 * first frees it, so of two CPUs freeing it at once one gets -EINVAL. */
static int large_free(u32 *ent, u32 e, void *b)
{
	if (!__atomic_compare_exchange_n(ent, &e, KMAP_NONE, false, __ATOMIC_RELAXED,
					 __ATOMIC_RELAXED))
		return -EINVAL;
	/* Cannot fail: the entry said b is a live KMALLOC block. */
	return page_free_owned(b, PAGE_OWNER_KMALLOC);
}

/* Give pc's cached blocks back to the page allocator. */
static void large_flush(struct kmalloc_cpu *pc)
{
	unsigned int k;

	for (k = 0; k < KMALLOC_BLOCK_MAX_ORDER; k++) {
		while (pc->nr_blocks[k]) {
			void *b = pc->blocks[k][--pc->nr_blocks[k]];

			kmap_write(kmap_entry((uintptr_t)b), KMAP_NONE);
			page_free_owned(b, PAGE_OWNER_KMALLOC);
		}
	}
}

/* ---- the calls ---- */

void kmalloc_cpu_flush(void)
{
	unsigned int cpu = kmalloc_cpu_id();
	struct kmalloc_cpu *pc = kmalloc_cpu_state();

	if (!pc)
		return;
	kslab_flush(pc);
	large_flush(pc);
	kmalloc_cpus[cpu] = NULL;
	page_free_owned(pc, PAGE_OWNER_SLAB);
}

size_t kmalloc_shrink(void)
{
	size_t pages = 0;
	unsigned int i;

	if (!kmap.bytes)
		return 0;
	kmalloc_cpu_flush();
	for (i = 0; i < KMALLOC_CLASSES; i++)
		pages += kslab_shrink(i);
	return pages;
}

static void *kmalloc_once(size_t size)
{
	struct kmalloc_cpu *pc = kmalloc_cpu_get();

	if (size <= SLAB_MAX_OBJECT)
		return kslab_refill(pc, kmalloc_class(size));
	return large_new(block_order(size), pc ? pc->cpu : SLAB_NO_OWNER);
}

static __attribute__((noinline)) void *kmalloc_slow(size_t size)
{
	void *p;

	if (!kmap.bytes || size == 0 || size > (PAGE_SIZE << BUDDY_MAX_ORDER))
		return NULL;
	p = kmalloc_once(size);
	if (!p) {
		/* Empty slabs of every class may be what keeps the pages away. */
		kmalloc_shrink();
		p = kmalloc_once(size);
	}
	return p;
}

void *kmalloc(size_t size)
{
	struct kmalloc_cpu *pc = kmalloc_cpu_state();

	if (likely(pc != NULL)) {
		/* The fast paths: a slab of the class this CPU owns, or a block it cached. */
		if (likely(size - 1 < SLAB_MAX_OBJECT)) {
			unsigned int ci = kmalloc_class(size);
			struct slab *s = pc->cls[ci].partial;

			if (likely(s != NULL))
				return kslab_alloc_owned(pc, ci, s);
		} else if (size - 1 < (PAGE_SIZE << KMALLOC_BLOCK_MAX_ORDER)) {
			unsigned int order = block_order(size);

			if (pc->nr_blocks[order - 1]) {
				void *b = pc->blocks[order - 1][--pc->nr_blocks[order - 1]];

				kmap_write(kmap_entry((uintptr_t)b),
					   kmap_make(KMAP_LARGE, order, 0, pc->cpu));
				return b;
			}
		}
	}
	return kmalloc_slow(size);
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

/* kfree of p in a page whose entry is e (read without the lock), not by the CPU named. */
static __attribute__((noinline)) int kfree_slow(struct kmalloc_cpu *pc, u32 *ent, void *p)
{
	u32 e;

	if (!ent)
		return p ? -EINVAL : 0;
	e = kmap_read(ent);
	switch (kmap_kind(e)) {
	case KMAP_SLAB:
		return kslab_free_slow(pc, ent, (uintptr_t)p);
	case KMAP_LARGE:
		return IS_ALIGNED((uintptr_t)p, PAGE_SIZE) ? large_free(ent, e, p) : -EINVAL;
	default:
		/* Not kmalloc's, or a block already freed into a CPU's cache. */
		return -EINVAL;
	}
}

int kfree(void *p)
{
	struct kmalloc_cpu *pc = kmalloc_cpu_state();
	u32 *ent = kmap_entry((uintptr_t)p), e;

	/* The fast path: memory this CPU owns (the map entry names it). */
	if (likely(pc != NULL) && likely(ent != NULL) &&
	    likely(kmap_owner(e = kmap_read(ent)) == pc->cpu)) {
		if (likely(kmap_kind(e) == KMAP_SLAB)) {
			unsigned int ci = kmap_arg(e);
			struct slab *s = kmap_slab(e, (uintptr_t)p), *give;
			int i = kobj_index(ci, kmap_page(e), (uintptr_t)p & (PAGE_SIZE - 1)), rc;

			/* Anything but the start of an allocated object is refused. */
			if (i < 0)
				return -EINVAL;
			rc = kslab_free_owned(pc, ci, s, (unsigned int)i, &give);
			if (unlikely(give != NULL))
				kslab_release_empty(pc, ci, give);
			return rc;
		}
		if (kmap_kind(e) == KMAP_LARGE && IS_ALIGNED((uintptr_t)p, PAGE_SIZE)) {
			unsigned int order = kmap_arg(e);

			if (order - 1 < KMALLOC_BLOCK_MAX_ORDER &&
			    pc->nr_blocks[order - 1] < KMALLOC_CPU_BLOCKS) {
				kmap_write(ent, kmap_make(KMAP_CACHED, order, 0, pc->cpu));
				pc->blocks[order - 1][pc->nr_blocks[order - 1]++] = p;
				return 0;
			}
		}
	}
	return kfree_slow(pc, ent, p);
}

size_t ksize(const void *p)
{
	u32 *ent = kmap_entry((uintptr_t)p), e;

	if (!ent)
		return 0;
	e = kmap_read(ent);
	if (kmap_kind(e) == KMAP_SLAB)
		return kslab_size(ent, (uintptr_t)p);
	if (kmap_kind(e) == KMAP_LARGE && IS_ALIGNED((uintptr_t)p, PAGE_SIZE))
		return PAGE_SIZE << kmap_arg(e);
	return 0;
}
