// SPDX-License-Identifier: MIT
/* PVALIDATE with the SNP cache-line eviction (include/sev/evict.h). */
#include "sev/evict.h"
#include "arch/insn.h"
#include "arch/layout.h"
#include "lib/log.h"
#include "sev/cpuid.h"

/* Set once at boot, before any other vCPU runs; read-only afterwards. */
static bool coherency_sfw_no;

void snp_evict_init(void)
{
	coherency_sfw_no = snp_cpuid_coherency_sfw_no((const struct snp_cpuid_table *)__cpuid_page);
	log_info("evict: CPUID 0x8000001f EBX[31] (COHERENCY_SFW_NO) %s",
		 coherency_sfw_no ? "set: validated pages are not touched"
				  : "clear: each validated 4 KiB page's first and last byte are "
				    "read");
}

bool snp_evict_needed(void)
{
	return !coherency_sfw_no;
}

int snp_validate(void *va, bool size_2m, bool *unchanged)
{
	int rc = pvalidate((u64)(uintptr_t)va, size_2m, true, unchanged);

	if (rc || *unchanged || coherency_sfw_no)
		return rc;
	/* Reads through the private mapping, with the guest key, before any other access. */
	return snp_evict_touch(va, size_2m ? PAGES_PER_2M : 1);
}
