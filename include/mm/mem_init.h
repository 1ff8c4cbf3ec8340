/* SPDX-License-Identifier: MIT */
/*
 * Step 4 of svsm_main: SVSM memory after the image becomes the SVSM's own.
 *
 * Dynamic memory, [SVSM_GPA + 2 MiB, SVSM_GPA + SVSM_MEM), is hypervisor-owned at launch.
 * mem_init makes it private with page state changes through the GHCB (sev/psc: batched,
 * 2 MiB entries, progress checked), then PVALIDATEs it 2 MiB at a time (4 KiB pages when the
 * RMP says FAIL_SIZEMISMATCH) and hands it to the buddy page allocator and the SLAB caches.
 * It is not zeroed here: a conversion leaves ciphertext garbage, so users that need zeroes
 * take page_zalloc()/kzalloc() (zeroing only what is used); a private page must be zeroed
 * before it is ever shared again (see mem_init.c). The host only *claims* a PSC: the
 * PVALIDATE that follows is what proves it.
 *   PSC failure or broken progress rules -> (15, TERM_PSC)
 *   PVALIDATE failure, or "unchanged" (already validated) -> (15, TERM_PVALIDATE)
 *   allocator setup failure -> (15, TERM_NOMEM)
 *
 * The rest of the image's own first 2 MiB — after the image and its three metadata pages —
 * was never made private: those pages are hypervisor-owned, so they serve, without any PSC
 * or PVALIDATE, as the pool of shared pages (per-vCPU GHCBs, the APIC ID list). Pages of the
 * pool that are never handed out stay unused.
 */
#ifndef CSVSM_MM_MEM_INIT_H
#define CSVSM_MM_MEM_INIT_H

#include "lib/types.h"

void mem_init(void);

struct mem_stats {
	unsigned int psc_exits; /* PSC NAE exits spent on dynamic memory */
	unsigned int pvalidate_2m;
	unsigned int pvalidate_4k;
	u64 dyn_bytes; /* dynamic memory handed to the page allocator */
};

const struct mem_stats *mem_init_stats(void);

/* The shared pool's range (virtual addresses; page aligned). */
u64 shared_pool_start(void);
u64 shared_pool_end(void);

/* One zeroed page from the shared pool (mapped without the C-bit once mm/paging has run;
 * not before). NULL when the pool is used up. *gpa = its guest physical address. */
void *shared_page_alloc(u64 *gpa);

#endif
