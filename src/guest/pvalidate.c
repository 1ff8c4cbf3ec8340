// SPDX-License-Identifier: MIT
/* PVALIDATE of one guest page for the core call (include/guest/pvalidate.h). */
#include "guest/pvalidate.h"
#include "arch/insn.h"
#include "guest/gmem.h"
#include "guest/memrange.h"
#include "guest/vmpl.h"
#include "guest/vmsa_check.h"
#include "lib/errno.h"
#include "sev/evict.h"
#include "sev/rmp.h"

/* Zero a freshly validated page (or 2 MiB page), leaving out the ISA ROM range. 0, or -EFAULT
 * if the page stopped being validated meanwhile (only the host can do that: the page is
 * claimed). */
static int zero_validated(u8 *va, u64 gpa, u64 size)
{
	u64 off;

	if (!ranges_overlap(gpa, size, ISA_ROM_START, ISA_ROM_END - ISA_ROM_START))
		return gmem_zero(va, size);
	for (off = 0; off < size; off += PAGE_SIZE)
		if (!ranges_overlap(gpa + off, PAGE_SIZE, ISA_ROM_START,
				    ISA_ROM_END - ISA_ROM_START) &&
		    gmem_zero(va + off, PAGE_SIZE))
			return -EFAULT;
	return 0;
}

/* The instruction's outcome: its result, or -EALREADY for CF = 1 unless that is @unchanged_ok. */
static int outcome(int rc, bool cf, bool unchanged_ok)
{
	return rc ? rc : cf && !unchanged_ok ? -EALREADY : 0;
}

/*
 * A 4 KiB entry on a page inside a 2 MiB RMP entry (the guest's own page state change made
 * it 2 MiB) fails PVALIDATE and RMPADJUST with FAIL_SIZEMISMATCH (APM vol 3, PVALIDATE): the
 * host splits the RMP entry on request (PSMASH, page state change operation 3, GHCB spec
 * #56421 "Page State Change"; the state of every 4 KiB page survives) and the instruction is
 * retried once. True when it should be; a host that refuses leaves the first answer.
 */
static bool split_for_4k(u64 gpa, bool is_2m, int rc)
{
	return !is_2m && rc == PVALIDATE_FAIL_SIZEMISMATCH &&
	       rmp_psmash(ALIGN_DOWN(gpa, PAGE_2M_SIZE)) == 0;
}

static int do_validate(u64 gpa, bool is_2m, bool unchanged_ok, u8 *va, u64 size)
{
	bool cf;
	int rc = snp_validate(va, is_2m, &cf);

	if (split_for_4k(gpa, is_2m, rc))
		rc = snp_validate(va, is_2m, &cf);
	/* The host unvalidated the page between the PVALIDATE and the eviction reads: -EFAULT. */
	rc = outcome(rc, cf, unchanged_ok);
	if (rc)
		return rc;
	/* CF = 1 (already validated, allowed): the guest's own content stays. A page that
	 * cannot be zeroed is not given to VMPL1. */
	if (!cf && zero_validated(va, gpa, size))
		return -EFAULT;
	return rmpadjust((u64)(uintptr_t)va, is_2m, GUEST_RWX | GUEST_VMPL);
}

static int do_rescind(u64 gpa, bool is_2m, bool unchanged_ok, u8 *va)
{
	u64 addr = (u64)(uintptr_t)va;
	unsigned int vmpl;
	bool cf;
	int rc;

	/* VMPL1-3 lose all access first. FAIL_INPUT: not validated (or not private) — then the
	 * PVALIDATE below gives the answer (CF = 1 or FAIL_INPUT). */
	for (vmpl = 1; vmpl <= 3; vmpl++) {
		rc = rmpadjust(addr, is_2m, vmpl);
		if (rc == RMPADJUST_FAIL_SIZEMISMATCH && split_for_4k(gpa, is_2m, rc))
			rc = rmpadjust(addr, is_2m, vmpl);
		if (rc == RMPADJUST_FAIL_INPUT)
			break;
		if (rc)
			return rc;
	}
	rc = pvalidate(addr, is_2m, false, &cf);
	if (split_for_4k(gpa, is_2m, rc))
		rc = pvalidate(addr, is_2m, false, &cf);
	return outcome(rc, cf, unchanged_ok);
}

int guest_pvalidate(u64 gpa, bool is_2m, bool validate, bool unchanged_ok)
{
	u64 size = is_2m ? PAGE_2M_SIZE : PAGE_SIZE;
	u8 *va;
	int rc;

	va = is_2m ? gmem_map_2m(gpa, true) : gmem_map(GMEM_SLOT_PAGE, gpa, true);
	rc = validate ? do_validate(gpa, is_2m, unchanged_ok, va, size)
		      : do_rescind(gpa, is_2m, unchanged_ok, va);
	/* A 4 KiB mapping stays until the next entry replaces it (guest_pvalidate_done). */
	if (is_2m)
		gmem_unmap_2m();
	return rc;
}

/*
 * One broadcast TLB flush per request, not per entry (INVLPGB + TLBSYNC waits for every CPU:
 * microseconds on hardware). Until it, another vCPU of the guest may still reach a page this
 * request rescinded through a stale translation — the guest racing its own request on its
 * own page; the SVSM's memory is never at stake. The flush happens before the call returns,
 * so the guest sees every rescind in effect once its call completes.
 */
void guest_pvalidate_done(void)
{
	gmem_unmap(GMEM_SLOT_PAGE);
	invlpgb_all();
	tlbsync();
}
