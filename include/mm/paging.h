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

#endif
