// SPDX-License-Identifier: MIT
/*
 * The core protocol calls that act on guest memory and vCPUs (include/protocol/dispatch.h):
 * each call's arguments checked in the order the README gives, its work done by src/guest/,
 * and every answer that comes back from there mapped once (protocol/result.h).
 */
#include "guest/claims.h"
#include "guest/gmem.h"
#include "guest/gpage.h"
#include "guest/pvalidate.h"
#include "guest/vcpu.h"
#include "guest/vmsa_check.h"
#include "protocol/dispatch.h"
#include "protocol/pvalidate_req.h"
#include "protocol/result.h"

u32 core_remap_ca(struct svsm_call *call)
{
	u64 gpa = call->rcx;

	/* SVSM spec #58019: the new calling area is page aligned; SPEC-T: misaligned input is
	 * INVALID_PARAMETER, an address that cannot be used INVALID_ADDRESS. SPEC-T: the new
	 * calling area starts with call_pending = 0. */
	if (!IS_ALIGNED(gpa, PAGE_SIZE))
		return SVSM_ERR_INVALID_PARAMETER;
	return svsm_result(vcpu_remap_caa(gpa, SVSM_CAA_CALL_PENDING, 1));
}

u32 core_create_vcpu(struct svsm_call *call)
{
	u64 vmsa_gpa = call->rcx, caa_gpa = call->rdx;
	int target = vcpu_of_apic((u32)call->r8), rc;
	struct vcpu_new_fields f;
	struct vcpu_new n;

	/* SVSM spec #58019: both GPAs page aligned. */
	if (!IS_ALIGNED(vmsa_gpa, PAGE_SIZE) || !IS_ALIGNED(caa_gpa, PAGE_SIZE))
		return SVSM_ERR_INVALID_PARAMETER;
	/* The APIC ID must exist, and not be the caller's: its VMSA is the one running this
	 * call, and the host would go on running it. */
	if (target < 0 || (u32)target == vcpu_self())
		return SVSM_ERR_INVALID_PARAMETER;
	/* The boot vCPU keeps its boot VMSA (SPEC-T refuses to delete it, too). */
	if (vcpu_is_boot((u32)target))
		return SVSM_ERR_INVALID_PARAMETER;
	if (vmsa_gpa == caa_gpa || gmem_check(vmsa_gpa, PAGE_SIZE) ||
	    gmem_check(caa_gpa, PAGE_SIZE))
		return SVSM_ERR_INVALID_ADDRESS;
	/* A VMSA never on a 2 MiB boundary (AMD erratum 1467, as edk2 UefiCpuPkg MpInitLib notes;
	 * [C] refuses it too). */
	if (IS_ALIGNED(vmsa_gpa, PAGE_2M_SIZE))
		return SVSM_ERR_INVALID_PARAMETER;

	/* 1. The slot and both pages reserved; VMPL1 loses all access to the VMSA, so it cannot
	 *    change after the checks (SVSM spec #58019, CREATE_VCPU). */
	rc = vcpu_new_begin(&n, (u32)target, vmsa_gpa, caa_gpa);
	if (rc)
		return svsm_result(rc);
	/* 2. The contents. 3. The calling area usable, then the VMSA bit (vcpu_new_commit). */
	rc = vcpu_new_read(&n, &f);
	if (!rc)
		rc = vmsa_check_create(f.vmpl, f.efer, f.sev_features, vcpu_boot_features());
	if (rc)
		vcpu_new_abort(&n);
	else
		rc = vcpu_new_commit(&n);
	return svsm_result(rc);
}

u32 core_delete_vcpu(struct svsm_call *call)
{
	/* SVSM spec #58019: only a registered VMSA; anything else is INVALID_PARAMETER. */
	if (!IS_ALIGNED(call->rcx, PAGE_SIZE))
		return SVSM_ERR_INVALID_PARAMETER;
	return svsm_result(vcpu_delete(call->rcx));
}

/*
 * SVSM spec #58019, PVALIDATE request: the request is copied into SVSM memory before it is checked
 * (another vCPU can change it); entries next..entries-1 are processed in order, stopping at the
 * first failure; `next` is written back as the index of the first entry not done.
 */
u32 core_pvalidate(struct svsm_call *call)
{
	u64 gpa = call->rcx, off = gpa & (PAGE_SIZE - 1);
	u64 *raw = vcpu_entry_buffer();
	struct pvalidate_hdr hdr;
	struct gpage page;
	u32 res, claimed, i, n;
	int rc, claim;
	u16 next;

	res = pvalidate_req_check_gpa(gpa);
	if (res)
		return res;
	rc = gpage_open(&page, GMEM_SLOT_REQ, gpa - off);
	if (rc)
		return svsm_result(rc);
	rc = gpage_read(&page, off, &hdr, sizeof(hdr));
	if (rc) {
		res = svsm_result(rc);
		goto out;
	}
	res = pvalidate_req_check_hdr(gpa, &hdr);
	if (res)
		goto out;
	n = hdr.entries - hdr.next;
	rc = gpage_read(&page, off + PVALIDATE_HDR_SIZE + (u64)hdr.next * PVALIDATE_ENTRY_SIZE, raw,
			(u64)n * PVALIDATE_ENTRY_SIZE);
	if (rc) {
		res = svsm_result(rc);
		goto out;
	}
	res = pvalidate_req_check_entries(raw, n);
	if (res)
		goto out;
	/* Entries up to the first one that names a page it must not (an error for that entry,
	 * after those before it are done) are claimed in one go. */
	claim = claims_entries(n, &claimed);
	for (i = 0, rc = 0; i < claimed; i++) {
		struct pvalidate_entry e;

		pvalidate_entry_decode(raw[i], &e);
		rc = guest_pvalidate(e.gpa, e.is_2m, e.validate, e.ignore_cf);
		if (rc)
			break;
	}
	guest_pvalidate_done();
	claims_release_entries();
	if (!rc)
		rc = claim;
	res = svsm_result(rc);
	if (i) {
		next = (u16)(hdr.next + i);
		rc = gpage_write(&page, off + PVALIDATE_NEXT_OFFSET, &next, sizeof(next));
		if (rc && !res)
			res = svsm_result(rc);
	}
out:
	gpage_close(&page);
	return res;
}
