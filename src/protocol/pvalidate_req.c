/* The core PVALIDATE request (include/protocol/pvalidate_req.h). */
#include "protocol/pvalidate_req.h"
#include "protocol/svsm.h"

u32 pvalidate_req_check_gpa(u64 gpa)
{
	return IS_ALIGNED(gpa, 8) ? SVSM_SUCCESS : SVSM_ERR_INVALID_PARAMETER;
}

u32 pvalidate_req_check_hdr(u64 gpa, const struct pvalidate_hdr *h)
{
	u64 offset = gpa & (PAGE_SIZE - 1);
	u64 end = offset + PVALIDATE_HDR_SIZE + (u64)h->entries * PVALIDATE_ENTRY_SIZE;

	if (pvalidate_req_check_gpa(gpa) != SVSM_SUCCESS)
		return SVSM_ERR_INVALID_PARAMETER;
	if (h->entries == 0 || h->next >= h->entries || end > PAGE_SIZE)
		return SVSM_ERR_INVALID_PARAMETER;
	return SVSM_SUCCESS;
}

bool pvalidate_entry_decode(u64 raw, struct pvalidate_entry *e)
{
	u64 size = raw & PVALIDATE_E_SIZE_MASK;

	if (raw & PVALIDATE_E_RESERVED)
		return false;
	if (size != PVALIDATE_E_SIZE_4K && size != PVALIDATE_E_SIZE_2M)
		return false;
	e->gpa = raw & PVALIDATE_E_GFN_MASK;
	e->is_2m = size == PVALIDATE_E_SIZE_2M;
	if (e->is_2m && !IS_ALIGNED(e->gpa, PAGE_2M_SIZE))
		return false;
	e->validate = raw & PVALIDATE_E_VALIDATE;
	e->ignore_cf = raw & PVALIDATE_E_IGNORE_CF;
	return true;
}

u32 pvalidate_req_check_entries(const u64 *raw, u32 n)
{
	struct pvalidate_entry e;
	u32 i;

	for (i = 0; i < n; i++)
		if (!pvalidate_entry_decode(raw[i], &e))
			return SVSM_ERR_INVALID_PARAMETER;
	return SVSM_SUCCESS;
}

u32 pvalidate_result(int rc, bool cf, bool ignore_cf)
{
	if (rc)
		return svsm_err_from_insn(rc);
	if (cf && !ignore_cf)
		return SVSM_ERR_PVALIDATE_FAIL_NO_CHANGE;
	return SVSM_SUCCESS;
}
