/*
 * Test pages for the checks: SVSM memory above the image and its metadata pages, which the
 * launcher leaves hypervisor-owned (README "svsm.bin image format"). Each check takes fresh
 * pages, so no check depends on what an earlier one did to a page. VMPL0 only.
 */
#include "conf.h"
#include "ghcb.h"
#include "insn.h"

/* 4 KiB pages come from below POOL_2M_START, 2 MiB regions from above it. */
#define POOL_2M_START (SVSM_GPA + 0x800000)

extern char _meta_end[];

static u64 next_4k, next_2m;

void pool_init(void)
{
	next_4k = ALIGN_UP(va_to_gpa(_meta_end), PAGE_SIZE);
	next_2m = POOL_2M_START;
	if (next_4k >= POOL_2M_START) {
		check(false, "setup: image fits below the 2 MiB test regions",
		      "image and metadata end at GPA 0x%lx", next_4k);
		verdict(VERDICT_FAIL);
	}
}

u64 pool_page(void)
{
	/* Never hand out a 2 MiB-aligned page: a VMSA must not sit there (facts §4). */
	if (IS_ALIGNED(next_4k, PAGE_2M_SIZE))
		next_4k += PAGE_SIZE;
	if (next_4k >= POOL_2M_START) {
		check(false, "setup: 4 KiB test pages available", "pool exhausted");
		verdict(VERDICT_FAIL);
	}
	next_4k += PAGE_SIZE;
	return next_4k - PAGE_SIZE;
}

u64 pool_region_2m(void)
{
	if (next_2m + PAGE_2M_SIZE > SVSM_GPA + SVSM_MEM) {
		check(false, "setup: 2 MiB test regions available", "pool exhausted");
		verdict(VERDICT_FAIL);
	}
	next_2m += PAGE_2M_SIZE;
	return next_2m - PAGE_2M_SIZE;
}

u64 pool_private_page(void)
{
	u64 gpa = pool_page();
	struct insn_result r;

	/* Private first, then validate (facts §3 "Ordering"). */
	if (!psc_range(gpa, 1, PSC_OP_PRIVATE, false)) {
		check(false, "setup: PSC makes a test page private", "page 0x%lx", gpa);
		verdict(VERDICT_FAIL);
	}
	r = pvalidate(gpa_to_priv(gpa), false, true);
	if (r.vector >= 0 || r.rax != 0 || r.cf) {
		check(false, "setup: PVALIDATE of a fresh private page",
		      "page 0x%lx: eax %lu cf %d vector %d", gpa, r.rax, r.cf, r.vector);
		verdict(VERDICT_FAIL);
	}
	return gpa;
}
