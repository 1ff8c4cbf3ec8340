/* SPDX-License-Identifier: MIT */
/*
 * kmalloc's slabs, its page map and the per-CPU state, as kmalloc_slab.c keeps them and
 * kmalloc.c (the calls, large blocks) uses them: private to these two files, kmalloc.c above.
 * The design is in include/mm/kmalloc.h.
 */
#ifndef CSVSM_MM_KMALLOC_SLAB_H
#define CSVSM_MM_KMALLOC_SLAB_H

#include "lib/errno.h"
#include "mm/kmalloc.h"
#include "slab_internal.h"

#define KMALLOC_MIN_SHIFT 4  /* 16 bytes */
#define KMALLOC_MAX_SHIFT 12 /* SLAB_MAX_OBJECT */
#define KMALLOC_CLASSES (KMALLOC_MAX_SHIFT - KMALLOC_MIN_SHIFT + 1)

_Static_assert((1 << KMALLOC_MAX_SHIFT) == SLAB_MAX_OBJECT, "largest class");
_Static_assert(KMALLOC_MAX_CPUS <= SLAB_NO_OWNER, "owner field");

extern struct slab_cache kmalloc_caches[KMALLOC_CLASSES];

/*
 * The page map: one u32 per page of the page allocator's range, saying what kmalloc made of
 * the page. kfree and ksize find an object's slab (or a large block) with one load from it,
 * where a lookup in the buddy allocator would take its lock.
 *
 *   bits 0-1   kind: KMAP_NONE (not kmalloc's), KMAP_SLAB (a page of a kmalloc slab),
 *              KMAP_LARGE (the first page of a live large block), KMAP_CACHED (the first
 *              page of a free large block kept in its owner's block cache)
 *   bits 2-4   SLAB: the page's index in its slab
 *   bits 8-11  SLAB: the size class; LARGE, CACHED: the block's order
 *   bits 16-31 the owning CPU, or SLAB_NO_OWNER
 *
 * An entry naming CPU n changes only on CPU n (giving a slab or block back) or, for an
 * unowned slab, under its cache's lock. So an entry that names the calling CPU is true and
 * stays true while that CPU looks at it: that is all the fast path relies on. Every other
 * reader takes the cache lock and reads the entry again.
 */
#define KMAP_NONE 0u
#define KMAP_SLAB 1u
#define KMAP_LARGE 2u
#define KMAP_CACHED 3u

struct kmap {
	uintptr_t base; /* first page of the page allocator's range */
	size_t bytes;	/* size of the range; 0 until kmalloc_init */
	u32 *e;
};

extern struct kmap kmap;

static inline u32 kmap_make(u32 kind, u32 arg, u32 page, u32 owner)
{
	return kind | page << 2 | arg << 8 | owner << 16;
}

static inline u32 kmap_kind(u32 e)
{
	return e & 3;
}

static inline u32 kmap_page(u32 e)
{
	return (e >> 2) & 7;
}

static inline u32 kmap_arg(u32 e)
{
	return (e >> 8) & 0xf;
}

static inline u32 kmap_owner(u32 e)
{
	return e >> 16;
}

/* The entry of the page holding a, or NULL outside the range (or before kmalloc_init). */
static inline u32 *kmap_entry(uintptr_t a)
{
	uintptr_t off = a - kmap.base;

	return off < kmap.bytes ? &kmap.e[off >> PAGE_SHIFT] : NULL;
}

static inline u32 kmap_read(const u32 *e)
{
	return __atomic_load_n(e, __ATOMIC_RELAXED);
}

static inline void kmap_write(u32 *e, u32 v)
{
	__atomic_store_n(e, v, __ATOMIC_RELAXED);
}

/*
 * Object geometry of class ci, from constants: object size 2^(ci + KMALLOC_MIN_SHIFT),
 * the first page's objects after the 128-byte header, every later page full, no object past
 * the last page (kmalloc_init checks that each cache's own geometry is exactly this). The
 * fast paths then need nothing from the cache.
 */
#define KOBJ_FIRST_OFFSET 128u

static inline unsigned int kobj_shift(unsigned int ci)
{
	return ci + KMALLOC_MIN_SHIFT;
}

static inline unsigned int kobj_first_page(unsigned int ci)
{
	return (PAGE_SIZE - KOBJ_FIRST_OFFSET) >> kobj_shift(ci);
}

static inline void *kobj_addr(unsigned int ci, struct slab *s, unsigned int i)
{
	unsigned int shift = kobj_shift(ci), first = kobj_first_page(ci);
	uintptr_t base = (uintptr_t)s;

	if (i < first)
		return (void *)(base + KOBJ_FIRST_OFFSET + ((uintptr_t)i << shift));
	i -= first;
	return (void *)(base + (((uintptr_t)1 + (i >> (PAGE_SHIFT - shift))) << PAGE_SHIFT) +
			((uintptr_t)(i & ((PAGE_SIZE >> shift) - 1)) << shift));
}

/* Index of the object of class ci at byte in of the slab's page k, or -1 for anything but the
 * start of an object. */
static inline int kobj_index(unsigned int ci, unsigned int k, unsigned int in)
{
	unsigned int shift = kobj_shift(ci), first = kobj_first_page(ci);

	if (k == 0) {
		if (in < KOBJ_FIRST_OFFSET)
			return -1;
		in -= KOBJ_FIRST_OFFSET;
		if (in & ((1u << shift) - 1) || (in >> shift) >= first)
			return -1;
		return (int)(in >> shift);
	}
	if (in & ((1u << shift) - 1))
		return -1;
	return (int)(first + ((k - 1) << (PAGE_SHIFT - shift)) + (in >> shift));
}

/* The slab whose page entry e describes, p lying in that page. */
static inline struct slab *kmap_slab(u32 e, uintptr_t p)
{
	return (struct slab *)(ALIGN_DOWN(p, PAGE_SIZE) - ((uintptr_t)kmap_page(e) << PAGE_SHIFT));
}

/*
 * One CPU's state. Only the CPU itself reads and writes it, except remote (other CPUs push
 * onto it, its owner drains it, both under that class's cache lock).
 */
struct kmalloc_cpu_class {
	struct slab *partial; /* owned slabs with free objects: the fast path allocates here */
	struct slab *full;    /* owned slabs without */
	struct slab *remote;  /* owned slabs other CPUs freed into (remote_next links them) */
};

struct kmalloc_cpu {
	unsigned int cpu;
	struct kmalloc_cpu_class cls[KMALLOC_CLASSES];
	/* Free large blocks of orders 1..KMALLOC_BLOCK_MAX_ORDER, still allocated in the buddy. */
	void *blocks[KMALLOC_BLOCK_MAX_ORDER][KMALLOC_CPU_BLOCKS];
	unsigned int nr_blocks[KMALLOC_BLOCK_MAX_ORDER];
};

extern struct kmalloc_cpu *kmalloc_cpus[KMALLOC_MAX_CPUS];

/*
 * The calling CPU's state, or NULL (not created yet, or an index beyond KMALLOC_MAX_CPUS).
 *
 * Why no lock and no atomic is needed: a CPU's state is used only by that CPU, and the
 * SVSM never runs two paths of one CPU at once. Interrupts are off, and the only exception
 * handlers that return to the interrupted code are #VC (vc_handle) and a #PF fixed up by
 * the exception table; neither allocates nor frees (no kmalloc anywhere under src/sev or
 * src/arch/extable.c). Every other exception, NMI included, is fatal and never returns
 * into the fast path (arch/exception.c). The fast path itself touches only private,
 * validated SVSM memory, so it raises no #VC. A handler that allocated would have to
 * disable this path first.
 */
static inline struct kmalloc_cpu *kmalloc_cpu_state(void)
{
	unsigned int cpu = kmalloc_cpu_id();

	return cpu < KMALLOC_MAX_CPUS ? kmalloc_cpus[cpu] : NULL;
}

/* ---- kmalloc_slab.c: a CPU's slabs ---- */

/* The slow paths: allocate when the CPU has no partial slab of class ci (pc may be NULL);
 * free p, which lies in a page entry *ent calls a slab of class ci, not the CPU's. */
void *kslab_refill(struct kmalloc_cpu *pc, unsigned int ci);
int kslab_free_slow(struct kmalloc_cpu *pc, u32 *ent, uintptr_t p);
/* Give the empty slab s back to its cache (kslab_free_owned's *give): takes the lock. */
void kslab_release_empty(struct kmalloc_cpu *pc, unsigned int ci, struct slab *s);
/* Give every slab pc owns back to the caches. */
void kslab_flush(struct kmalloc_cpu *pc);
/* Free the empty unowned slabs of class ci; pages freed. */
size_t kslab_shrink(unsigned int ci);
/* ksize of p in the slab page entry *ent describes: under the cache lock. */
size_t kslab_size(u32 *ent, uintptr_t p);

/* Take an object of s, which pc owns (the head of its partial list). */
static inline __attribute__((always_inline)) void *
kslab_alloc_owned(struct kmalloc_cpu *pc, unsigned int ci, struct slab *s)
{
	struct kmalloc_cpu_class *cc = &pc->cls[ci];
	void *p = kobj_addr(ci, s, (unsigned int)slab_take_index(s));

	if (unlikely(s->nr_free == 0)) {
		slab_list_del(&cc->partial, s);
		slab_list_add(&cc->full, s);
	}
	return p;
}

static inline bool kslab_empty(const struct slab *s)
{
	return s->nr_free == s->nr_objs;
}

/*
 * Put s at the head of pc's partial list: returns the slab that was the head if it is empty
 * (NULL otherwise), for the caller to give back. So a CPU keeps at most one empty slab per
 * class, the head, the one it allocates from next: a kmalloc/kfree pair in a loop keeps its
 * slab, a CPU that frees a thousand objects keeps one slab of them.
 */
static inline struct slab *kslab_push(struct kmalloc_cpu_class *cc, struct slab *s)
{
	struct slab *old = cc->partial;

	slab_list_add(&cc->partial, s);
	return old && kslab_empty(old) ? old : NULL;
}

/*
 * Free object i of s, which pc owns: -EINVAL if it is not allocated (or already freed on
 * another CPU, waiting in remote[]), else 0, with *give set to an empty slab that is not the
 * head of the partial list (s, or the head s displaced), or NULL: the caller gives it back.
 */
static inline __attribute__((always_inline)) int kslab_free_owned(struct kmalloc_cpu *pc,
								  unsigned int ci, struct slab *s,
								  unsigned int i,
								  struct slab **give)
{
	struct kmalloc_cpu_class *cc = &pc->cls[ci];
	u64 bit = 1ULL << (i % 64), used = map_read(&s->used[i / 64]);

	*give = NULL;
	/* remote[] only has bits while remote_pending is set (both written under the lock). */
	if (!(used & bit) || (__atomic_load_n(&s->remote_pending, __ATOMIC_RELAXED) &&
			      (map_read(&s->remote[i / 64]) & bit)))
		return -EINVAL;
	map_write(&s->used[i / 64], used & ~bit);
	if (s->nr_free++ == 0) {
		slab_list_del(&cc->full, s);
		*give = kslab_push(cc, s);
	} else if (unlikely(kslab_empty(s)) && s != cc->partial) {
		*give = s;
	}
	return 0;
}

#endif
