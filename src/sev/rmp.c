// SPDX-License-Identifier: MIT
/* RMP helpers for SVSM-owned pages (include/sev/rmp.h). */
#include "sev/rmp.h"
#include "arch/insn.h"
#include "arch/layout.h"
#include "lib/errno.h"
#include "sev/psc.h"

#define PSMASH_MAX_ISSUES 4 /* one entry: a host that needs more is stalling */

int rmp_psmash(u64 gpa)
{
	struct psc_desc d;

	d.hdr = (struct psc_hdr){ .cur_entry = 0, .end_entry = 0, .reserved = 0 };
	d.entries[0] = psc_entry(gpa, PSC_OP_PSMASH, true);
	return psc_run_desc(&d, PSMASH_MAX_ISSUES, NULL);
}

int rmp_adjust_4k_at(void *va, u64 gpa, u64 attrs)
{
	u64 addr = (u64)(uintptr_t)va;
	int rc = rmpadjust(addr, false, attrs);

	if (rc != RMPADJUST_FAIL_SIZEMISMATCH)
		return rc;
	rc = rmp_psmash(ALIGN_DOWN(gpa, PAGE_2M_SIZE));
	if (rc)
		return rc;
	return rmpadjust(addr, false, attrs);
}

int rmp_adjust_4k(void *va, u64 attrs)
{
	return rmp_adjust_4k_at(va, svsm_va_to_pa(va), attrs);
}
