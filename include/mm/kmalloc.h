/* SPDX-License-Identifier: MIT */
/*
 * kmalloc: power-of-two size classes (16 bytes up to SLAB_MAX_OBJECT), each a SLAB cache
 * (include/mm/slab.h), and larger sizes as whole pages. Allocation failure returns NULL;
 * nothing here panics.
 *
 * The per-CPU fast path: each CPU owns up to KMALLOC_CPU_SLABS slabs of every class. A CPU
 * allocates from, and frees into, the slabs it owns without a lock or an atomic instruction:
 * only the owner writes an owned slab's bitmap. A free on another CPU takes the cache lock
 * and records the object in the slab's remote-free bitmap, which the owner folds back under
 * the lock. Taking and giving back ownership happens under the cache lock.
 * kmalloc_cpu_flush() (and kmalloc_shrink(), for the calling CPU) gives a CPU's slabs back.
 */
#ifndef CSVSM_MM_KMALLOC_H
#define CSVSM_MM_KMALLOC_H

#include "lib/types.h"

/* CPU indices the per-CPU fast path serves (SVSM_MAX_CPUS); others always take the lock. */
#define KMALLOC_MAX_CPUS 256
/* Slabs a CPU owns per class, at most. */
#define KMALLOC_CPU_SLABS 8

/*
 * The calling CPU's index, for the per-CPU fast path. Not defined here: the SVSM's is
 * this_cpu()->index (src/mm/kmalloc_cpu.c); a host program linking kmalloc.c defines its own
 * (one index per thread that allocates; two threads must never share one).
 */
unsigned int kmalloc_cpu_id(void);

/* The size-class caches; call once after page_alloc_init (-EBUSY the second time). */
int kmalloc_init(void);
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
