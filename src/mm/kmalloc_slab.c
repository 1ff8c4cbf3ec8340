// SPDX-License-Identifier: MIT
/*
 * kmalloc's slabs and the CPUs that own them (include/mm/kmalloc.h): taking a slab for a
 * CPU, giving it back, frees from other CPUs queued to the owner, and shrinking. Everything
 * here runs under the class's cache lock; the lock-free paths are inline in kmalloc_slab.h.
 */
#include "kmalloc_slab.h"
#include "lib/errno.h"

struct slab_cache kmalloc_caches[KMALLOC_CLASSES];
struct kmalloc_cpu *kmalloc_cpus[KMALLOC_MAX_CPUS];
struct kmap kmap;

/* Set bits of x (the freestanding build has no libgcc for __builtin_popcountll). */
static unsigned int bits_set(u64 x)
{
	unsigned int n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

/* Name owner (a CPU or SLAB_NO_OWNER) in s and in the map entry of each of its pages. */
static void kslab_set_owner(unsigned int ci, struct slab *s, unsigned int owner)
{
	unsigned int pages = 1u << kmalloc_caches[ci].slab_order, k;
	u32 *ent = kmap_entry((uintptr_t)s);

	s->owner = (u16)owner;
	for (k = 0; k < pages; k++)
		kmap_write(&ent[k], kmap_make(KMAP_SLAB, ci, k, owner));
}

static void kslab_forget(struct slab *s)
{
	unsigned int pages = 1u << s->cache->slab_order, k;
	u32 *ent = kmap_entry((uintptr_t)s);

	for (k = 0; k < pages; k++)
		kmap_write(&ent[k], KMAP_NONE);
}

/* A new unowned slab of class ci on the cache's partial list, or NULL. */
static struct slab *kslab_new(unsigned int ci)
{
	struct slab_cache *c = &kmalloc_caches[ci];
	struct slab *s = slab_new(c);

	if (!s)
		return NULL;
	kslab_set_owner(ci, s, SLAB_NO_OWNER);
	slab_list_add(&c->partial, s);
	return s;
}

/* Give s, which pc owns, back to the cache's lists. s is on none of pc's queues: it is empty
 * (an empty slab has no remote-free bits, so it was drained), or pc's queue is drained. */
static void kslab_release(struct kmalloc_cpu *pc, unsigned int ci, struct slab *s)
{
	struct slab_cache *c = &kmalloc_caches[ci];
	struct kmalloc_cpu_class *cc = &pc->cls[ci];

	slab_list_del(s->nr_free ? &cc->partial : &cc->full, s);
	kslab_set_owner(ci, s, SLAB_NO_OWNER);
	c->nr_objects -= s->nr_free;
	slab_list_add(s->nr_free ? &c->partial : &c->full, s);
}

/* Under the lock: the head of pc's partial list is now s; give back the empty slab s
 * displaced. */
static void kslab_push_locked(struct kmalloc_cpu *pc, unsigned int ci, struct slab *s)
{
	struct slab *give = kslab_push(&pc->cls[ci], s);

	if (give)
		kslab_release(pc, ci, give);
}

/*
 * A slab on pc's queue that pc no longer owns. Only a double free racing on two CPUs gets
 * one there: the owner cleared the last used bit of an object another CPU had just freed
 * remotely, so the slab emptied and went back while it waited on the queue. Its remote bits
 * go to the slab's new owner's queue, or are folded here if it has none; never lost, never
 * written beside a lock-free owner.
 */
static void kslab_fold_other(unsigned int ci, struct slab *s)
{
	struct slab_cache *c = &kmalloc_caches[ci];
	unsigned int w, b;

	if (s->owner != SLAB_NO_OWNER) {
		struct kmalloc_cpu_class *occ = &kmalloc_cpus[s->owner]->cls[ci];

		s->remote_next = occ->remote;
		occ->remote = s;
		return;
	}
	for (w = 0; w < SLAB_MAP_WORDS; w++) {
		u64 back = map_read(&s->used[w]) & s->remote[w];

		for (; back; back &= back - 1) {
			b = (unsigned int)__builtin_ctzll(back);
			slab_free_locked(c, s, w * 64 + b);
		}
		map_write(&s->remote[w], 0);
	}
	s->remote_pending = 0;
}

/* Fold the other CPUs' frees into every slab on pc's queue of class ci, moving a slab that
 * was full back to the partial list; a slab they emptied goes back to the cache unless it is
 * the head. A bit freed twice (a double free racing on two CPUs) counts once. */
static void kslab_drain(struct kmalloc_cpu *pc, unsigned int ci)
{
	struct kmalloc_cpu_class *cc = &pc->cls[ci];
	struct slab *s;
	unsigned int w;

	while ((s = cc->remote) != NULL) {
		u16 before = s->nr_free;

		cc->remote = s->remote_next;
		s->remote_next = NULL;
		if (unlikely(s->owner != pc->cpu)) {
			kslab_fold_other(ci, s);
			continue;
		}
		s->remote_pending = 0;
		for (w = 0; w < SLAB_MAP_WORDS; w++) {
			u64 used = map_read(&s->used[w]), back = used & s->remote[w];

			map_write(&s->used[w], used & ~back);
			s->nr_free = (u16)(s->nr_free + bits_set(back));
			map_write(&s->remote[w], 0);
		}
		if (before == 0 && s->nr_free) {
			slab_list_del(&cc->full, s);
			kslab_push_locked(pc, ci, s);
		}
		if (kslab_empty(s) && s != cc->partial)
			kslab_release(pc, ci, s);
	}
}

/* Make the unowned slab s (on the cache's lists) pc's. */
static void kslab_claim(struct kmalloc_cpu *pc, unsigned int ci, struct slab *s)
{
	struct slab_cache *c = &kmalloc_caches[ci];

	slab_list_del(s->nr_free ? &c->partial : &c->full, s);
	kslab_set_owner(ci, s, pc->cpu);
	c->nr_objects += s->nr_free;
	if (s->nr_free)
		kslab_push_locked(pc, ci, s);
	else
		slab_list_add(&pc->cls[ci].full, s);
}

__attribute__((noinline)) void kslab_release_empty(struct kmalloc_cpu *pc, unsigned int ci,
						   struct slab *s)
{
	struct slab_cache *c = &kmalloc_caches[ci];

	spin_lock(&c->lock);
	kslab_release(pc, ci, s);
	spin_unlock(&c->lock);
}

__attribute__((noinline)) void *kslab_refill(struct kmalloc_cpu *pc, unsigned int ci)
{
	struct slab_cache *c = &kmalloc_caches[ci];
	struct slab *s;
	void *p = NULL;

	spin_lock(&c->lock);
	if (!pc) {
		/* No per-CPU state (none could be made): the shared lists, as slab_alloc. */
		if (c->partial || kslab_new(ci))
			p = slab_alloc_locked(c);
		goto out;
	}
	/* What other CPUs freed into this CPU's slabs first, then a shared slab, else a new one. */
	kslab_drain(pc, ci);
	s = pc->cls[ci].partial;
	if (!s) {
		s = c->partial ? c->partial : kslab_new(ci);
		if (!s)
			goto out;
		kslab_claim(pc, ci, s);
	}
	p = kslab_alloc_owned(pc, ci, s);
out:
	spin_unlock(&c->lock);
	return p;
}

/* Free object i of s, which another CPU owns: record it for the owner to fold back. */
static int kslab_free_remote(struct slab *s, unsigned int i)
{
	struct kmalloc_cpu *owner = kmalloc_cpus[s->owner];
	u64 bit = 1ULL << (i % 64);
	unsigned int ci = (unsigned int)(s->cache - kmalloc_caches);

	if (!obj_used(s, i) || (s->remote[i / 64] & bit))
		return -EINVAL;
	map_write(&s->remote[i / 64], s->remote[i / 64] | bit);
	if (!s->remote_pending) {
		/* After the bit: the owner's fast path reads remote[] only when this is set. */
		__atomic_store_n(&s->remote_pending, 1, __ATOMIC_RELEASE);
		s->remote_next = owner->cls[ci].remote;
		owner->cls[ci].remote = s;
	}
	return 0;
}

/*
 * The entry was read without the lock: read it again under the lock of the class it named.
 * A page that is no longer a slab of that class (freed, or another class's now) means p
 * was not a live object: refused.
 */
static struct slab *kslab_locked(u32 *ent, uintptr_t p, unsigned int ci, int *idx)
{
	u32 e = kmap_read(ent);
	struct slab *s;

	if (kmap_kind(e) != KMAP_SLAB || kmap_arg(e) != ci)
		return NULL;
	s = kmap_slab(e, p);
	*idx = kobj_index(ci, kmap_page(e), p & (PAGE_SIZE - 1));
	return *idx < 0 ? NULL : s;
}

__attribute__((noinline)) int kslab_free_slow(struct kmalloc_cpu *pc, u32 *ent, uintptr_t p)
{
	unsigned int ci = kmap_arg(kmap_read(ent));
	struct slab *s, *give = NULL;
	struct slab_cache *c;
	int i, rc = -EINVAL;

	if (ci >= KMALLOC_CLASSES)
		return -EINVAL;
	c = &kmalloc_caches[ci];
	spin_lock(&c->lock);
	s = kslab_locked(ent, p, ci, &i);
	if (!s)
		goto out;
	if (pc && s->owner == pc->cpu) {
		rc = kslab_free_owned(pc, ci, s, (unsigned int)i, &give);
	} else if (s->owner != SLAB_NO_OWNER) {
		rc = kslab_free_remote(s, (unsigned int)i);
	} else if (!obj_used(s, (unsigned int)i)) {
		rc = -EINVAL;
	} else if (pc) {
		/* The next frees into this slab (a batch freed in turn) take the fast path. */
		kslab_claim(pc, ci, s);
		rc = kslab_free_owned(pc, ci, s, (unsigned int)i, &give);
	} else {
		rc = slab_free_locked(c, s, (unsigned int)i);
	}
	if (give)
		kslab_release(pc, ci, give);
out:
	spin_unlock(&c->lock);
	return rc;
}

size_t kslab_size(u32 *ent, uintptr_t p)
{
	unsigned int ci = kmap_arg(kmap_read(ent));
	struct slab_cache *c;
	struct slab *s;
	size_t size = 0;
	int i;

	if (ci >= KMALLOC_CLASSES)
		return 0;
	c = &kmalloc_caches[ci];
	spin_lock(&c->lock);
	s = kslab_locked(ent, p, ci, &i);
	/* An owned slab's used[] may change under us, but not the bit of a live object. */
	if (s && obj_used(s, (unsigned int)i) && !(s->remote[i / 64] & (1ULL << (i % 64))))
		size = c->obj_size;
	spin_unlock(&c->lock);
	return size;
}

void kslab_flush(struct kmalloc_cpu *pc)
{
	unsigned int ci;

	for (ci = 0; ci < KMALLOC_CLASSES; ci++) {
		struct kmalloc_cpu_class *cc = &pc->cls[ci];

		spin_lock(&kmalloc_caches[ci].lock);
		kslab_drain(pc, ci);
		while (cc->partial)
			kslab_release(pc, ci, cc->partial);
		while (cc->full)
			kslab_release(pc, ci, cc->full);
		spin_unlock(&kmalloc_caches[ci].lock);
	}
}

size_t kslab_shrink(unsigned int ci)
{
	return slab_shrink_cb(&kmalloc_caches[ci], kslab_forget);
}
