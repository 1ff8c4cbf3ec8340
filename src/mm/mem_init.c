// SPDX-License-Identifier: MIT
/* Step 4 of svsm_main: dynamic memory private, validated, allocatable
 * (include/mm/mem_init.h). */
#include "mm/mem_init.h"
#include "arch/insn.h"
#include "arch/layout.h"
#include "lib/log.h"
#include "lib/spinlock.h"
#include "lib/string.h"
#include "mm/kmalloc.h"
#include "mm/page_alloc.h"
#include "sev/evict.h"
#include "sev/ghcb.h"
#include "sev/psc.h"
#include "sev/terminate.h"

#define DYN_START_GPA (SVSM_GPA + SVSM_DYN_OFFSET)
#define DYN_END_GPA (SVSM_GPA + SVSM_MEM)

static struct mem_stats stats;

static struct spinlock pool_lock = SPINLOCK_INIT;
static u64 pool_next; /* next free page of the shared pool (VA); 0 until first use */

const struct mem_stats *mem_init_stats(void)
{
	return &stats;
}

u64 shared_pool_start(void)
{
	return (u64)(uintptr_t)__image_pages_end;
}

u64 shared_pool_end(void)
{
	return (u64)(uintptr_t)__image_start + SVSM_DYN_OFFSET;
}

void *shared_page_alloc(u64 *gpa)
{
	void *page = NULL;

	spin_lock(&pool_lock);
	if (!pool_next)
		pool_next = shared_pool_start();
	if (pool_next < shared_pool_end()) {
		page = (void *)(uintptr_t)pool_next;
		pool_next += PAGE_SIZE;
	}
	spin_unlock(&pool_lock);
	if (!page)
		return NULL;
	/* Whatever the hypervisor left there is of no interest. */
	memset(page, 0, PAGE_SIZE);
	*gpa = svsm_va_to_pa(page);
	return page;
}

/* PSC to private: one NAE exit carries up to 253 entries of 2 MiB (GHCB spec #56421, NAE events). A
 * host that keeps reporting partial progress gets a bounded number of retries: as many as
 * there are 4 KiB pages (a host may do one page of a 2 MiB entry per exit), plus one per
 * descriptor and one refused descriptor (sev/psc.h PSC_COMPAT_ENTRIES). */
static void make_private(u64 start, u64 end)
{
	u64 pages = (end - start) >> PAGE_SHIFT;
	unsigned int max_issues = (unsigned int)(pages + pages / PSC_COMPAT_ENTRIES + 4);
	unsigned int issues = 0;
	int rc = psc_change_range(start, end, PSC_OP_PRIVATE, true, max_issues, &issues);

	stats.psc_exits += issues;
	if (rc)
		fatal(TERM_PSC, "page state change of [%#llx, %#llx) to private failed (%d)",
		      (unsigned long long)start, (unsigned long long)end, rc);
}

static void validate_4k(u64 va)
{
	bool unchanged;
	int rc = snp_validate((void *)(uintptr_t)va, false, &unchanged);

	if (rc || unchanged)
		fatal(TERM_PVALIDATE, "PVALIDATE 4K of %#llx failed: rc %d%s",
		      (unsigned long long)svsm_va_to_pa((void *)(uintptr_t)va), rc,
		      unchanged ? ", already validated" : "");
	stats.pvalidate_4k++;
}

/* Validate one 2 MiB page; if the RMP holds it as 4 KiB pages, validate those. "Unchanged"
 * means it was validated before it was ours: a host replaying old pages. Never accept. */
static void validate_2m(u64 va)
{
	bool unchanged;
	int rc = snp_validate((void *)(uintptr_t)va, true, &unchanged);
	unsigned int i;

	if (rc == PVALIDATE_FAIL_SIZEMISMATCH) {
		for (i = 0; i < PAGES_PER_2M; i++)
			validate_4k(va + i * PAGE_SIZE);
		return;
	}
	if (rc || unchanged)
		fatal(TERM_PVALIDATE, "PVALIDATE 2M of %#llx failed: rc %d%s",
		      (unsigned long long)svsm_va_to_pa((void *)(uintptr_t)va), rc,
		      unchanged ? ", already validated" : "");
	stats.pvalidate_2m++;
}

/*
 * After a conversion to private a page reads as the decryption of whatever the host wrote
 * there. That is harmless inside the SVSM as long as nobody relies on it: page_alloc()
 * hands out uninitialised memory and every user that needs zeroes asks page_zalloc() or
 * kzalloc(), so memory is zeroed when (and only when) it is used — not all SVSM_MEM at boot,
 * which would cost one store per 8 bytes of memory the SVSM may never touch.
 * The one way such bytes could leak is by sharing the page again: the host would read the
 * decryption of plaintext it chose. Nothing in the SVSM makes a private page shared (GHCBs
 * come from the never-private shared pool); any future path that does must zero it first.
 */
static void validate(u64 start, u64 end)
{
	u64 pa;

	for (pa = start; pa < end; pa += PAGE_2M_SIZE)
		validate_2m((u64)(uintptr_t)svsm_pa_to_va(pa));
}

void mem_init(void)
{
	make_private(DYN_START_GPA, DYN_END_GPA);
	validate(DYN_START_GPA, DYN_END_GPA);
	stats.dyn_bytes = DYN_END_GPA - DYN_START_GPA;
	if (page_alloc_init(svsm_pa_to_va(DYN_START_GPA), stats.dyn_bytes))
		fatal(TERM_NOMEM, "the page allocator refused dynamic memory");
	if (kmalloc_init())
		fatal(TERM_NOMEM, "SLAB caches could not be set up");
	log_info("mem_init: %llu MiB private and validated (%u PSC exits, %u PVALIDATE 2M, "
		 "%u PVALIDATE 4K); %llu KiB of shared pool",
		 (unsigned long long)(stats.dyn_bytes >> 20), stats.psc_exits, stats.pvalidate_2m,
		 stats.pvalidate_4k,
		 (unsigned long long)((shared_pool_end() - shared_pool_start()) >> 10));
}
