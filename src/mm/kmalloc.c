// SPDX-License-Identifier: MIT
/* kmalloc: size classes on SLAB caches, with a per-CPU fast path (include/mm/kmalloc.h). */
#include "mm/kmalloc.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/buddy.h"
#include "slab_internal.h"

/* Set bits of x (the freestanding build has no libgcc for __builtin_popcountll). */
static unsigned int bits_set(u64 x)
{
	unsigned int n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

/* ---- kmalloc ---- */

#define KMALLOC_MIN_SHIFT 4  /* 16 bytes */
#define KMALLOC_MAX_SHIFT 12 /* SLAB_MAX_OBJECT */
#define KMALLOC_CLASSES (KMALLOC_MAX_SHIFT - KMALLOC_MIN_SHIFT + 1)

_Static_assert((1 << KMALLOC_MAX_SHIFT) == SLAB_MAX_OBJECT, "largest class");

static struct slab_cache kmalloc_caches[KMALLOC_CLASSES];
static bool kmalloc_ready;

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

/* ---- per-CPU state ---- */

/*
 * Which slabs a CPU owns, found from an object address alone: for each slab order, a hash
 * of slab base addresses, SLAB_CPU_WAYS entries per bucket. Only the CPU itself reads and
 * writes its struct slab_cpu; a slab is in its map exactly while its owner field names it.
 */
#define SLAB_CPU_BUCKETS 32
#define SLAB_CPU_WAYS 4

struct slab_cpu_class {
	struct slab *cur;		     /* where the fast path allocates; one of own[] */
	struct slab *own[KMALLOC_CPU_SLABS]; /* NULL: free slot */
	unsigned int next;		     /* own[] slot given back first when all are used */
};

struct slab_cpu {
	/*
	 * The block is a SLAB page (page_alloc_owned) starting with a slab header whose cache
	 * is NULL: kfree, slab_free and page_free all refuse it.
	 */
	struct slab hdr;
	unsigned int cpu;
	struct slab_cpu_class cls[KMALLOC_CLASSES];
	struct slab *map[SLAB_MAX_ORDER + 1][SLAB_CPU_BUCKETS][SLAB_CPU_WAYS];
};

static struct slab_cpu *slab_cpus[KMALLOC_MAX_CPUS];

static unsigned int slab_cpu_order(void)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < sizeof(struct slab_cpu))
		order++;
	return order;
}

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
static inline struct slab_cpu *cpu_state(void)
{
	unsigned int cpu = kmalloc_cpu_id();

	return cpu < KMALLOC_MAX_CPUS ? slab_cpus[cpu] : NULL;
}

/* The calling CPU's state, created on first use (no lock held: it takes page_alloc's). */
static struct slab_cpu *cpu_state_get(void)
{
	unsigned int cpu = kmalloc_cpu_id(), i;
	struct slab_cpu *pc;

	if (cpu >= KMALLOC_MAX_CPUS)
		return NULL;
	if (slab_cpus[cpu])
		return slab_cpus[cpu];
	pc = page_alloc_owned(slab_cpu_order(), PAGE_OWNER_SLAB);
	if (!pc)
		return NULL;
	memset(pc, 0, sizeof(*pc));
	pc->hdr.owner = SLAB_NO_OWNER;
	pc->cpu = cpu;
	for (i = 0; i < KMALLOC_CLASSES; i++)
		pc->cls[i].cur = NULL;
	slab_cpus[cpu] = pc;
	return pc;
}

static inline struct slab **map_bucket(struct slab_cpu *pc, unsigned int order, uintptr_t base)
{
	return pc->map[order][(base >> (PAGE_SHIFT + order)) % SLAB_CPU_BUCKETS];
}

/* The slab this CPU owns that p lies in, or NULL. Reads no memory but pc's. */
static inline struct slab *owned_slab_of(struct slab_cpu *pc, const void *p)
{
	unsigned int k, w;

	for (k = 0; k <= SLAB_MAX_ORDER; k++) {
		uintptr_t base = ALIGN_DOWN((uintptr_t)p, PAGE_SIZE << k);
		struct slab **b = map_bucket(pc, k, base);

		for (w = 0; w < SLAB_CPU_WAYS; w++)
			if ((uintptr_t)b[w] == base)
				return b[w];
	}
	return NULL;
}

/* Fold remote frees back into used[]: the owner, under c->lock. A bit freed twice (a racing
 * double free on two CPUs) is counted once. */
static void slab_fold_remote(struct slab *s)
{
	unsigned int w;

	for (w = 0; w < SLAB_MAP_WORDS; w++) {
		u64 used = map_read(&s->used[w]), back = used & s->remote[w];

		map_write(&s->used[w], used & ~back);
		s->nr_free = (u16)(s->nr_free + bits_set(back));
		s->remote[w] = 0;
	}
	s->remote_pending = 0;
}

/* Give own[slot] of class ci back to its cache's lists: under the cache lock. */
static void cpu_release(struct slab_cpu *pc, unsigned int ci, unsigned int slot)
{
	struct slab_cache *c = &kmalloc_caches[ci];
	struct slab_cpu_class *cc = &pc->cls[ci];
	struct slab *s = cc->own[slot];
	struct slab **b = map_bucket(pc, c->slab_order, (uintptr_t)s);
	unsigned int w;

	slab_fold_remote(s);
	for (w = 0; w < SLAB_CPU_WAYS; w++)
		if (b[w] == s)
			b[w] = NULL;
	s->owner = SLAB_NO_OWNER;
	slab_list_add(s->nr_free ? &c->partial : &c->full, s);
	c->nr_objects -= s->nr_free;
	cc->own[slot] = NULL;
	if (cc->cur == s)
		cc->cur = NULL;
}

/*
 * Make the unowned slab s (on one of c's lists) the calling CPU's, under c->lock; giving
 * back the oldest slab of the class when all slots are taken. false when its map bucket is
 * full of other classes' slabs (whose locks are not held): s then stays shared.
 */
static bool cpu_claim(struct slab_cpu *pc, unsigned int ci, struct slab *s)
{
	struct slab_cache *c = &kmalloc_caches[ci];
	struct slab_cpu_class *cc = &pc->cls[ci];
	struct slab **b = map_bucket(pc, c->slab_order, (uintptr_t)s);
	unsigned int slot, w, way = SLAB_CPU_WAYS;

	for (slot = 0; slot < KMALLOC_CPU_SLABS && cc->own[slot]; slot++)
		;
	if (slot == KMALLOC_CPU_SLABS) {
		slot = cc->next;
		cc->next = (cc->next + 1) % KMALLOC_CPU_SLABS;
		cpu_release(pc, ci, slot);
	}
	for (w = 0; w < SLAB_CPU_WAYS && way == SLAB_CPU_WAYS; w++)
		if (!b[w])
			way = w;
	if (way == SLAB_CPU_WAYS)
		return false;
	slab_list_del(s->nr_free ? &c->partial : &c->full, s);
	s->owner = (u16)pc->cpu;
	c->nr_objects += s->nr_free;
	b[way] = s;
	cc->own[slot] = s;
	return true;
}

/* kmalloc of class ci when the current slab is empty (or there is none). */
static void *kmalloc_refill(unsigned int ci)
{
	struct slab_cache *c = &kmalloc_caches[ci];
	struct slab_cpu *pc = cpu_state_get();
	struct slab_cpu_class *cc;
	struct slab *s;
	unsigned int j;
	void *p = NULL;

	if (!pc)
		return slab_alloc(c);
	cc = &pc->cls[ci];
	spin_lock(&c->lock);
	/* A slab this CPU owns that still has (or got back from other CPUs) free objects... */
	for (j = 0; j < KMALLOC_CPU_SLABS; j++) {
		s = cc->own[j];
		if (!s)
			continue;
		if (s->remote_pending)
			slab_fold_remote(s);
		if (s->nr_free) {
			cc->cur = s;
			p = slab_take(c, s);
			goto out;
		}
	}
	/* ...else a shared slab (a new one if there is none), made this CPU's. */
	s = c->partial;
	if (!s) {
		s = slab_new(c);
		if (!s)
			goto out;
		slab_list_add(&c->partial, s);
	}
	if (cpu_claim(pc, ci, s)) {
		cc->cur = s;
		p = slab_take(c, s);
	} else {
		p = slab_alloc_locked(c);
	}
out:
	spin_unlock(&c->lock);
	return p;
}

/* Free object p (index i) of slab s, which the calling CPU owns. */
static inline int free_owned(struct slab *s, unsigned int i)
{
	u64 bit = 1ULL << (i % 64), used = map_read(&s->used[i / 64]);

	/* Not allocated, or already freed on another CPU: a double free. */
	if (!(used & bit) || (__atomic_load_n(&s->remote[i / 64], __ATOMIC_RELAXED) & bit))
		return -EINVAL;
	map_write(&s->used[i / 64], used & ~bit);
	s->nr_free++;
	return 0;
}

/* Free object i of slab s, which another CPU owns: under c->lock. */
static int free_remote(struct slab *s, unsigned int i)
{
	u64 bit = 1ULL << (i % 64);

	if (!obj_used(s, i) || (s->remote[i / 64] & bit))
		return -EINVAL;
	__atomic_store_n(&s->remote[i / 64], s->remote[i / 64] | bit, __ATOMIC_RELAXED);
	s->remote_pending = 1;
	return 0;
}

int kmalloc_init(void)
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

void kmalloc_cpu_flush(void)
{
	unsigned int cpu = kmalloc_cpu_id(), ci, j;
	struct slab_cpu *pc = cpu_state();

	if (!pc)
		return;
	for (ci = 0; ci < KMALLOC_CLASSES; ci++) {
		spin_lock(&kmalloc_caches[ci].lock);
		for (j = 0; j < KMALLOC_CPU_SLABS; j++)
			if (pc->cls[ci].own[j])
				cpu_release(pc, ci, j);
		spin_unlock(&kmalloc_caches[ci].lock);
	}
	slab_cpus[cpu] = NULL;
	page_free_owned(pc, PAGE_OWNER_SLAB);
}

size_t kmalloc_shrink(void)
{
	size_t pages = 0;
	unsigned int i;

	kmalloc_cpu_flush();
	for (i = 0; kmalloc_ready && i < KMALLOC_CLASSES; i++)
		pages += slab_shrink(&kmalloc_caches[i]);
	return pages;
}

static void *kmalloc_once(size_t size)
{
	unsigned int order;

	if (size <= SLAB_MAX_OBJECT)
		return kmalloc_refill(kmalloc_class(size));
	for (order = 0; (PAGE_SIZE << order) < size; order++)
		;
	return page_alloc_owned(order, PAGE_OWNER_KMALLOC);
}

static __attribute__((noinline)) void *kmalloc_slow(size_t size)
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

void *kmalloc(size_t size)
{
	struct slab_cpu *pc;
	struct slab *s;

	/* The fast path: a free object in this CPU's current slab of the class. */
	if (likely(size - 1 < SLAB_MAX_OBJECT) && likely((pc = cpu_state()) != NULL)) {
		unsigned int ci = kmalloc_class(size);

		s = pc->cls[ci].cur;
		if (likely(s && s->nr_free))
			return slab_take(&kmalloc_caches[ci], s);
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

/*
 * What kmalloc memory p is: a large block (returns it, *cache NULL) or an object of a
 * kmalloc cache (*cache set, return the slab). NULL for anything else. The peek at the slab
 * header is unlocked; callers check the block again under that cache's lock, so a racing
 * shrink cannot make kfree accept a bad pointer.
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

/* kfree of anything but an object of a slab this CPU owns. */
static __attribute__((noinline)) int kfree_slow(void *p)
{
	struct slab_cache *c;
	struct slab_cpu *pc;
	struct slab *s;
	unsigned int order, ci;
	int i, rc = -EINVAL;

	/* A large block: one call, which refuses anything but the start of a live one. */
	if (IS_ALIGNED((uintptr_t)p, PAGE_SIZE) && page_free_owned(p, PAGE_OWNER_KMALLOC) == 0)
		return 0;
	if (!kmalloc_lookup(p, &c, &order) || !c)
		return -EINVAL;
	ci = (unsigned int)(c - kmalloc_caches);
	pc = cpu_state();
	spin_lock(&c->lock);
	s = slab_of(c, p);
	i = s ? obj_index(c, s, (uintptr_t)p) : -1;
	if (i < 0)
		goto out;
	if (s->owner != SLAB_NO_OWNER)
		/* Not this CPU's (those are found by kfree without the lock): another's. */
		rc = free_remote(s, (unsigned int)i);
	else if (!obj_used(s, (unsigned int)i))
		rc = -EINVAL;
	else if (pc && cpu_claim(pc, ci, s))
		/* The next frees into this slab (a batch freed in turn) take the fast path. */
		rc = free_owned(s, (unsigned int)i);
	else
		rc = slab_free_locked(c, s, (unsigned int)i);
out:
	spin_unlock(&c->lock);
	return rc;
}

int kfree(void *p)
{
	struct slab_cpu *pc;
	struct slab *s;
	int i;

	if (!p)
		return 0;
	/* The fast path: an object of a slab this CPU owns. */
	pc = cpu_state();
	if (likely(pc != NULL) && likely((s = owned_slab_of(pc, p)) != NULL)) {
		/* p lies in s: anything but the start of an allocated object is refused. */
		i = obj_index(s->cache, s, (uintptr_t)p);
		return i < 0 ? -EINVAL : free_owned(s, (unsigned int)i);
	}
	return kfree_slow(p);
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
		/* An owned slab's used[] may change under us, but not the bit of a live object. */
		if (i >= 0 && obj_used(s, (unsigned int)i) &&
		    !(s->remote[i / 64] & (1ULL << (i % 64))))
			size = c->obj_size;
	}
	spin_unlock(&c->lock);
	return size;
}
