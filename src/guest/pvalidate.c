/* PVALIDATE of one guest page for the core call (include/guest/pvalidate.h). */
#include "guest/pvalidate.h"
#include "arch/insn.h"
#include "guest/gmem.h"
#include "guest/memrange.h"
#include "guest/vcpu.h"
#include "guest/vmsa_check.h"
#include "lib/errno.h"
#include "protocol/svsm.h"
#include "sev/evict.h"
#include "sev/rmp.h"

#define GUEST_RWX (RMP_ATTR_READ | RMP_ATTR_WRITE | RMP_ATTR_UEXEC | RMP_ATTR_SEXEC)

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

/*
 * A 4 KiB entry on a page inside a 2 MiB RMP entry (the guest's own page state change made
 * it 2 MiB) fails PVALIDATE and RMPADJUST with FAIL_SIZEMISMATCH (APM vol 3, PVALIDATE): the
 * host splits the RMP entry on request (PSMASH, page state change operation 3, GHCB spec
 * #56421 "Page State Change"; the state of every 4 KiB page survives) and the instruction is
 * retried once. True when it should be; a host that refuses leaves the first answer.
 */
static bool split_for_4k(const struct pvalidate_entry *e, int rc)
{
	return !e->is_2m && rc == PVALIDATE_FAIL_SIZEMISMATCH &&
	       rmp_psmash(ALIGN_DOWN(e->gpa, PAGE_2M_SIZE)) == 0;
}

static u32 do_validate(const struct pvalidate_entry *e, u8 *va, u64 size)
{
	bool cf;
	int rc = snp_validate(va, e->is_2m, &cf);
	u32 res;

	if (split_for_4k(e, rc))
		rc = snp_validate(va, e->is_2m, &cf);

	/* The host unvalidated the page between the PVALIDATE and the eviction reads. */
	if (rc == -EFAULT)
		return SVSM_ERR_INVALID_ADDRESS;
	res = pvalidate_result(rc, cf, e->ignore_cf);
	if (res)
		return res;
	/* CF = 1 (already validated, ignore_CF set): the guest's own content stays. A page that
	 * cannot be zeroed is not given to VMPL1. */
	if (!cf && zero_validated(va, e->gpa, size))
		return SVSM_ERR_INVALID_ADDRESS;
	rc = rmpadjust((u64)(uintptr_t)va, e->is_2m, GUEST_RWX | GUEST_VMPL);
	return rc ? svsm_err_from_insn(rc) : SVSM_SUCCESS;
}

static u32 do_rescind(const struct pvalidate_entry *e, u8 *va)
{
	u64 addr = (u64)(uintptr_t)va;
	unsigned int vmpl;
	bool cf;
	int rc;

	/* VMPL1-3 lose all access first. FAIL_INPUT: not validated (or not private) — then the
	 * PVALIDATE below gives the answer (CF = 1 or FAIL_INPUT). */
	for (vmpl = 1; vmpl <= 3; vmpl++) {
		rc = rmpadjust(addr, e->is_2m, vmpl);
		if (rc == RMPADJUST_FAIL_SIZEMISMATCH && split_for_4k(e, rc))
			rc = rmpadjust(addr, e->is_2m, vmpl);
		if (rc == RMPADJUST_FAIL_INPUT)
			break;
		if (rc)
			return svsm_err_from_insn(rc);
	}
	rc = pvalidate(addr, e->is_2m, false, &cf);
	if (split_for_4k(e, rc))
		rc = pvalidate(addr, e->is_2m, false, &cf);
	return pvalidate_result(rc, cf, e->ignore_cf);
}

u32 guest_pvalidate(const struct pvalidate_entry *e)
{
	u64 size = e->is_2m ? PAGE_2M_SIZE : PAGE_SIZE;
	u32 res;
	u8 *va;

	va = e->is_2m ? gmem_map_2m(e->gpa, true) : gmem_map(GMEM_SLOT_PAGE, e->gpa, true);
	res = e->validate ? do_validate(e, va, size) : do_rescind(e, va);
	/* A 4 KiB mapping stays until the next entry replaces it (guest_pvalidate_done). */
	if (e->is_2m)
		gmem_unmap_2m();
	return res;
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
