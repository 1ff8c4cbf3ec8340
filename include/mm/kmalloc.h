/* SPDX-License-Identifier: MIT */
/*
 * kmalloc: power-of-two size classes (16 bytes up to SLAB_MAX_OBJECT), each a SLAB cache
 * (include/mm/slab.h), and larger sizes as whole blocks of pages. Allocation failure returns
 * NULL; nothing here panics.
 *
 * The per-CPU fast path, no lock and no atomic instruction:
 * - A CPU owns any number of slabs of each class and allocates from and frees into them
 *   alone: only the owner writes an owned slab's bitmap. It keeps its owned slabs with free
 *   objects on a private list, and one empty slab per class at most: the one it allocates
 *   from next (other slabs go back to the cache when they empty).
 * - A page map (one word a page of the page allocator's range) names, for each page, the
 *   slab and class it belongs to and the CPU that owns it, so kfree finds its slab, and
 *   whether the calling CPU owns it, with one load.
 * - Freed blocks of 8 to 32 KiB stay in a per-CPU cache (KMALLOC_CPU_BLOCKS per size) for
 *   the CPU's next kmalloc of that size.
 * A CPU takes a slab of the class's cache (or a new one) under the cache lock when it has
 * none with a free object; a free on another CPU takes the cache lock, records the object in
 * the slab's remote-free bitmap and queues the slab to its owner, which folds the frees back
 * under the lock when it next runs out. Double frees and foreign pointers are refused on
 * every path; the one double free that may go unseen is the owning CPU and another freeing
 * the same object at the same moment (two other CPUs are serialised by the lock, or for a
 * block by a compare-exchange of its map entry). kmalloc_cpu_flush() (and kmalloc_shrink(),
 * for the calling CPU) gives a CPU's slabs and blocks back.
 */
#ifndef CSVSM_MM_KMALLOC_H
#define CSVSM_MM_KMALLOC_H

#include "lib/types.h"

/* CPU indices the per-CPU fast path serves (SVSM_MAX_CPUS); others always take the lock. */
#define KMALLOC_MAX_CPUS 256
/* Freed blocks of orders 1..KMALLOC_BLOCK_MAX_ORDER a CPU keeps, per order. */
#define KMALLOC_BLOCK_MAX_ORDER 3
#define KMALLOC_CPU_BLOCKS 4

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
