/*
 * The firmware's page tables. reset.asm identity-maps 0-4 GiB with private 2 MiB pages; this
 * module adds 4 KiB mappings at run time (shared GHCB pages, the SVSM page the fatal mode
 * reads), splitting a 2 MiB mapping when needed. Page-table pages come from the pool in
 * pre-validated RAM (layout.h). Only the BSP changes mappings, and only before the APs start.
 */
#ifndef CSVSM_GUEST_PAGING_H
#define CSVSM_GUEST_PAGING_H

#include "lib/types.h"

/* Record the C-bit position (from the CPUID page). */
void paging_init(unsigned int cbit);
u64 paging_cbit_mask(void);

/* Map va -> gpa as one 4 KiB page, private (C-bit set) or shared. 0, -EINVAL for a misaligned
 * or non-canonical address, -ENOMEM when the pool is empty. */
int map_page(u64 va, u64 gpa, bool private);

#endif
