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
#define SLAB_NO_OWNER 0xffff

/*
 * Header at the start of every slab's first page. While a CPU owns the slab (owner), only
 * that CPU writes used[] and nr_free, without the lock; other CPUs read used[] (under the
 * lock) and write remote[]/remote_pending under the lock only. Unowned slabs are written
 * under the lock only. used[] is accessed with single loads and stores (map_read and
 * map_write): the owner's read-modify-write of one word never races another writer.
 */
struct slab {
	struct slab_cache *cache;
	u16 nr_objs;
	u16 nr_free;
	u16 owner;		  /* CPU index or SLAB_NO_OWNER; changed under the lock */
	u16 remote_pending;	  /* remote[] has bits to fold back */
	u64 used[SLAB_MAP_WORDS]; /* bit i set: object i allocated (or beyond nr_objs) */
	struct slab *prev;
	struct slab *next;
	u64 remote[SLAB_MAP_WORDS]; /* owned slab: freed by another CPU, still set in used[] */
	u64 reserved[4];
};

_Static_assert(sizeof(struct slab) == 128, "slab header is two cache lines");
/* The smallest stride in the first page cannot exceed the bitmap (see slab_cache_init). */
_Static_assert((PAGE_SIZE - sizeof(struct slab)) / SLAB_MIN_OBJECT <= SLAB_MAX_OBJS, "bitmap");
_Static_assert(SLAB_MAX_CPUS <= SLAB_NO_OWNER, "owner field");

static inline u64 map_read(const u64 *w)
{
	return __atomic_load_n(w, __ATOMIC_RELAXED);
}

static inline void map_write(u64 *w, u64 v)
{
	__atomic_store_n(w, v, __ATOMIC_RELAXED);
}

/* Set bits of x (the freestanding build has no libgcc for __builtin_popcountll). */
static unsigned int bits_set(u64 x)
{
	unsigned int n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

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
	c->objs_per_page = (unsigned int)(PAGE_SIZE / stride);
	/*
	 * Reciprocals, so that the hot paths divide by multiplying: for n < 2^12 and d <= 2^12,
	 * (n * ceil(2^32 / d)) >> 32 == n / d; for n < 2^8 and d <= 2^8, the same with 2^16.
	 */
	c->size_recip = (u32)((((u64)1 << 32) + stride - 1) / stride);
	c->per_page_recip = (((u32)1 << 16) + c->objs_per_page - 1) / c->objs_per_page;
	return 0;
}

static inline void *obj_addr(const struct slab_cache *c, struct slab *s, unsigned int i)
{
	uintptr_t base = (uintptr_t)s;
	unsigned int per_page = c->objs_per_page, page;

	if (i < c->objs_first_page)
		return (void *)(base + c->first_offset + i * c->obj_size);
	i -= c->objs_first_page;
	page = (i * c->per_page_recip) >> 16;
	return (void *)(base + PAGE_SIZE * (1 + page) + (i - page * per_page) * c->obj_size);
}

/* Index of the object starting exactly at p in slab s, or -1. */
static inline int obj_index(const struct slab_cache *c, const struct slab *s, uintptr_t p)
{
	uintptr_t off = p - (uintptr_t)s;
	size_t page = off >> PAGE_SHIFT, in = off & (PAGE_SIZE - 1);
	size_t per_page = c->objs_per_page, i, q;

	if (page == 0) {
		if (in < c->first_offset)
			return -1;
		in -= c->first_offset;
		q = (in * c->size_recip) >> 32;
		if (q * c->obj_size != in || q >= c->objs_first_page)
			return -1;
		i = q;
	} else {
		q = (in * c->size_recip) >> 32;
		if (q * c->obj_size != in || q >= per_page)
			return -1;
		i = c->objs_first_page + (page - 1) * per_page + q;
	}
	return i < c->objs_per_slab ? (int)i : -1;
}

static bool obj_used(const struct slab *s, unsigned int i)
{
	return map_read(&s->used[i / 64]) & (1ULL << (i % 64));
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
	s->owner = SLAB_NO_OWNER;
	/* Bits past the last object read as "in use", so the search never hands them out. */
	for (i = c->objs_per_slab; i < SLAB_MAX_OBJS; i++)
		s->used[i / 64] |= 1ULL << (i % 64);
	c->nr_slabs++;
	return s;
}

/* Take the first free object of s (nr_free > 0): the lock is held or the caller owns s. */
static inline __attribute__((always_inline)) void *slab_take(struct slab_cache *c, struct slab *s)
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
		return NULL;
	i = w * 64 + (unsigned int)__builtin_ctzll(~m);
	map_write(&s->used[w], m | (1ULL << (i % 64)));
	s->nr_free--;
	return obj_addr(c, s, i);
}

/* An object of an unowned slab, under c->lock; NULL without memory. */
static void *slab_alloc_locked(struct slab_cache *c)
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

/* Free object i of unowned slab s, under c->lock; -EINVAL if it is not allocated. */
static int slab_free_locked(struct slab_cache *c, struct slab *s, unsigned int i)
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

size_t slab_shrink(struct slab_cache *c)
{
	struct slab *s, *next;
	size_t pages = 0;

	spin_lock(&c->lock);
	/* Only unowned slabs are on the lists: a CPU's slabs stay with it. */
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
	struct slab *cur;		  /* where the fast path allocates; one of own[] */
	struct slab *own[SLAB_CPU_SLABS]; /* NULL: free slot */
	unsigned int next;		  /* own[] slot given back first when all are used */
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

static struct slab_cpu *slab_cpus[SLAB_MAX_CPUS];

static unsigned int slab_cpu_order(void)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < sizeof(struct slab_cpu))
		order++;
	return order;
}

/*
 * The calling CPU's state, or NULL (not created yet, or an index beyond SLAB_MAX_CPUS).
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
	unsigned int cpu = slab_cpu_id();

	return cpu < SLAB_MAX_CPUS ? slab_cpus[cpu] : NULL;
}

/* The calling CPU's state, created on first use (no lock held: it takes page_alloc's). */
static struct slab_cpu *cpu_state_get(void)
{
	unsigned int cpu = slab_cpu_id(), i;
	struct slab_cpu *pc;

	if (cpu >= SLAB_MAX_CPUS)
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

	for (slot = 0; slot < SLAB_CPU_SLABS && cc->own[slot]; slot++)
		;
	if (slot == SLAB_CPU_SLABS) {
		slot = cc->next;
		cc->next = (cc->next + 1) % SLAB_CPU_SLABS;
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
	for (j = 0; j < SLAB_CPU_SLABS; j++) {
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

void kmalloc_cpu_flush(void)
{
	unsigned int cpu = slab_cpu_id(), ci, j;
	struct slab_cpu *pc = cpu_state();

	if (!pc)
		return;
	for (ci = 0; ci < KMALLOC_CLASSES; ci++) {
		spin_lock(&kmalloc_caches[ci].lock);
		for (j = 0; j < SLAB_CPU_SLABS; j++)
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
