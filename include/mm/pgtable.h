/* SPDX-License-Identifier: MIT */
/*
 * 4-level x86-64 page-table construction in plain C (no asm; TLB flushes are the caller's).
 *
 * Private mappings carry the C-bit (struct pgtable.cbit_mask) in the leaf and in every table
 * pointer; PGT_SHARED mappings do not (GHCB pages, pages shared with the hypervisor).
 * 2 MiB pages are used where va, pa and the remaining size allow it, unless PGT_4K.
 */
#ifndef CSVSM_MM_PGTABLE_H
#define CSVSM_MM_PGTABLE_H

#include "lib/types.h"

/* Long-mode page-table entry bits (APM vol. 2, 5.3). */
#define PTE_P BIT_ULL(0)
#define PTE_W BIT_ULL(1)
#define PTE_U BIT_ULL(2)
#define PTE_PWT BIT_ULL(3)
#define PTE_PCD BIT_ULL(4)
#define PTE_A BIT_ULL(5)
#define PTE_D BIT_ULL(6)
#define PTE_PS BIT_ULL(7)
#define PTE_G BIT_ULL(8)
#define PTE_NX BIT_ULL(63)
#define PTE_ADDR_MASK GENMASK_ULL(51, 12)

/* Mapping attributes. A mapping is read-only, non-executable and private unless told. */
#define PGT_WRITE BIT(0)
#define PGT_EXEC BIT(1)
#define PGT_SHARED BIT(2)   /* no C-bit */
#define PGT_UNCACHED BIT(3) /* PCD|PWT */
#define PGT_4K BIT(4)	    /* never use a 2 MiB page */
#define PGT_GLOBAL BIT(5)

struct pgtable_ops {
	/* One zeroed 4 KiB page for a table, or NULL. */
	void *(*alloc_table)(void *ctx);
	void (*free_table)(void *ctx, void *table);
	/* Physical (guest physical) address of a table page, without the C-bit. */
	u64 (*virt_to_phys)(void *ctx, const void *va);
	void *(*phys_to_virt)(void *ctx, u64 pa);
	void *ctx;
};

struct pgtable {
	u64 *pml4;
	u64 cbit_mask; /* 1ULL << C-bit position */
	const struct pgtable_ops *ops;
};

/* Allocate an empty top-level table. -ENOMEM, or -EINVAL for a cbit_mask that is not one bit
 * in 32..51. */
int pgt_init(struct pgtable *pt, const struct pgtable_ops *ops, u64 cbit_mask);

/*
 * Map [va, va + size) to [pa, pa + size). va, pa and size page aligned (size > 0), the range
 * canonical (inside one half), pa + size at most the C-bit (so pa never carries it), attrs
 * only PGT_* bits; -EINVAL otherwise. -EEXIST if any page in the range is already mapped,
 * -ENOMEM if the table pages cannot be allocated.
 *
 * Every function here that changes the tables either succeeds or changes nothing: the table
 * pages a change needs are counted and allocated before the first entry is written. Table
 * pages are only freed by pgt_destroy. -EPROTO means an entry this module never writes
 * (a 1 GiB leaf) was found.
 */
int pgt_map(struct pgtable *pt, u64 va, u64 pa, u64 size, unsigned int attrs);

/* Remove the mappings in the range (holes are fine); splits a 2 MiB page that the range
 * only partly covers. */
int pgt_unmap(struct pgtable *pt, u64 va, u64 size);

/* Change the attributes of a fully mapped range (-ENOENT on a hole, nothing changed); splits
 * as pgt_unmap. PGT_4K is ignored here: page sizes stay as they are. */
int pgt_protect(struct pgtable *pt, u64 va, u64 size, unsigned int attrs);

/* Translate va: -ENOENT if unmapped, -EINVAL if not canonical; else *pa (no C-bit), *attrs
 * (PGT_* bits, never PGT_4K), *page_size (4K or 2M). */
int pgt_lookup(const struct pgtable *pt, u64 va, u64 *pa, unsigned int *attrs, u64 *page_size);

/* The CR3 value for this table: root physical address with the C-bit. */
u64 pgt_cr3(const struct pgtable *pt);

/* Free every table page (not the mapped memory). */
void pgt_destroy(struct pgtable *pt);

#endif
