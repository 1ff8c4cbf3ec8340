/* SPDX-License-Identifier: MIT */
/*
 * Step 5 of svsm_main: the SVSM's own page tables, built in C with mm/pgtable, replacing
 * start.S's static early tables (which are not used after the CR3 switch).
 *
 *   .text            read-only, executable          (private: C-bit)
 *   .rodata, footer  read-only, no-execute
 *   .data, .bss      read-write, no-execute; the early GHCB page shared (no C-bit); the
 *                    boot stack's guard page unmapped
 *   metadata pages   secrets, CPUID, BIOS VMSA: read-only, no-execute
 *   shared pool      read-write, no-execute, shared
 *   dynamic memory   read-write, no-execute (2 MiB pages)
 *
 * Stacks allocated later (paging_alloc_stack) get an unmapped guard page below them.
 * Table pages come from the page allocator. Edits after the switch hold paging_lock
 * (README.md "Lock order").
 */
#ifndef CSVSM_MM_PAGING_H
#define CSVSM_MM_PAGING_H

#include "lib/types.h"

void paging_init(void);

/* The CR3 value of the SVSM's page tables (for AP VMSAs). */
u64 paging_cr3(void);

/*
 * A stack of at least @size bytes (page multiple) with an unmapped guard page below it,
 * from the page allocator. Returns its top (exclusive) and *bottom, or 0 when out of memory.
 * Only the calling vCPU's TLB is flushed: call it before another vCPU can have used the
 * pages (stacks are allocated for vCPUs that have not started yet).
 */
u64 paging_alloc_stack(size_t size, u64 *bottom);

/*
 * Mapping windows for memory outside SVSM memory (guest pages), one per vCPU, in PML4 entry
 * 510: PAGING_WINDOW_SLOTS 4 KiB slots and one 2 MiB slot at fixed virtual addresses. The
 * page-table pages a window needs are allocated once by paging_window_init; afterwards a
 * slot is (un)mapped by writing its one entry. Only the owning vCPU maps through its window
 * and reads through it, so a change needs no lock and only that vCPU's invlpg (no other vCPU
 * ever holds a translation of it). Mappings are private (C-bit), non-executable; writable
 * with PGT_WRITE. The caller decides what may be mapped (src/guest/gmem.c).
 */
#define PAGING_WINDOW_BASE 0xffffff0000000000ULL
#define PAGING_WINDOW_STRIDE 0x400000ULL /* per vCPU: 2 MiB of 4 KiB slots, the 2 MiB slot */
#define PAGING_WINDOW_SLOTS 8

/* Allocate the tables of vCPU @cpu's window (any vCPU may call it; paging_lock). -ENOMEM,
 * -EINVAL for a CPU index of SVSM_MAX_CPUS or more. Idempotent. */
int paging_window_init(unsigned int cpu);

/* Map the page at @pa into slot @slot of this vCPU's window; returns its address. */
void *paging_window_map(unsigned int slot, u64 pa, unsigned int attrs);
void paging_window_unmap(unsigned int slot);
/* The same for the 2 MiB slot (@pa 2 MiB aligned). */
void *paging_window_map_2m(u64 pa, unsigned int attrs);
void paging_window_unmap_2m(void);

#endif
