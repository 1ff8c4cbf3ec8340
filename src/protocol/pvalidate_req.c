// SPDX-License-Identifier: MIT
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

u32 pvalidate_req_check_entries(const u64 *raw, u32 n)
{
	struct pvalidate_entry e;
	u32 i;

	for (i = 0; i < n; i++)
		if (!pvalidate_entry_decode(raw[i], &e))
			return SVSM_ERR_INVALID_PARAMETER;
	return SVSM_SUCCESS;
}
