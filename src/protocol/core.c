/*
 * The core protocol calls that act on guest memory and vCPUs (include/protocol/dispatch.h):
 * argument decoding and the PVALIDATE request; the work is src/guest/'s.
 */
#include "guest/gmem.h"
#include "guest/pvalidate.h"
#include "guest/vcpu.h"
#include "protocol/dispatch.h"
#include "protocol/pvalidate_req.h"

u32 core_remap_ca(struct svsm_call *call)
{
	return guest_remap_caa(call->rcx);
}

u32 core_create_vcpu(struct svsm_call *call)
{
	return guest_vcpu_create(call->rcx, call->rdx, (u32)call->r8);
}

u32 core_delete_vcpu(struct svsm_call *call)
{
	return guest_vcpu_delete(call->rcx);
}

/*
 * facts §7 "PVALIDATE request": the request is copied into SVSM memory before it is checked
 * (another vCPU can change it); entries next..entries-1 are processed in order, stopping at
 * the first failure; `next` is written back as the index of the first entry not done.
 */
u32 core_pvalidate(struct svsm_call *call)
{
	u64 gpa = call->rcx, off = gpa & (PAGE_SIZE - 1);
	u64 *raw = vcpu_entry_buffer();
	struct pvalidate_hdr hdr;
	struct gpage page;
	u32 res, claim, claimed, i, n;
	u16 next;

	res = pvalidate_req_check_gpa(gpa);
	if (res)
		return res;
	res = gpage_open(&page, GMEM_SLOT_REQ, gpa - off);
	if (res)
		return res;
	if (gpage_read(&page, off, &hdr, sizeof(hdr))) {
		res = SVSM_ERR_INVALID_ADDRESS;
		goto out;
	}
	res = pvalidate_req_check_hdr(gpa, &hdr);
	if (res)
		goto out;
	n = hdr.entries - hdr.next;
	if (gpage_read(&page, off + PVALIDATE_HDR_SIZE + (u64)hdr.next * PVALIDATE_ENTRY_SIZE, raw,
		       (u64)n * PVALIDATE_ENTRY_SIZE)) {
		res = SVSM_ERR_INVALID_ADDRESS;
		goto out;
	}
	res = pvalidate_req_check_entries(raw, n);
	if (res)
		goto out;
	/* Entries up to the first one that names a page it must not (an error for that entry,
	 * after those before it are done) are claimed in one go. */
	claim = guest_claim_entries(n, &claimed);
	for (i = 0, res = SVSM_SUCCESS; i < claimed; i++) {
		struct pvalidate_entry e;

		pvalidate_entry_decode(raw[i], &e);
		res = guest_pvalidate(&e);
		if (res)
			break;
	}
	guest_pvalidate_done();
	guest_release_entries();
	if (!res)
		res = claim;
	if (i) {
		next = (u16)(hdr.next + i);
		if (gpage_write(&page, off + PVALIDATE_NEXT_OFFSET, &next, sizeof(next)) && !res)
			res = SVSM_ERR_INVALID_ADDRESS;
	}
out:
	gpage_close(&page);
	return res;
}
