// SPDX-License-Identifier: MIT
/* Step 3 of svsm_main: GHCB protocol negotiation and registration (include/sev/ghcb_setup.h). */
#include "sev/ghcb_setup.h"
#include "arch/insn.h"
#include "arch/layout.h"
#include "arch/percpu.h"
#include "lib/log.h"
#include "sev/cpuid.h"
#include "sev/ghcb.h"
#include "sev/ghcb_msr.h"
#include "sev/terminate.h"

/* An SVSM needs SNP, AP creation (to start its APs) and multi-VMPL (GHCB spec #56421, MSR
 * protocol). */
#define HV_FEATURES_REQUIRED \
	(GHCB_HV_FT_SNP | GHCB_HV_FT_SNP_AP_CREATION | GHCB_HV_FT_SNP_MULTI_VMPL)

extern char early_ghcb[]; /* start.S */

/* The BSP's GHCB backup page (sev/ghcb_nae.c); APs get theirs from the page allocator. */
static struct ghcb bsp_ghcb_backup __aligned(PAGE_SIZE);

static u64 hv_features;
static unsigned int ghcb_version;

u64 sev_hv_features(void)
{
	return hv_features;
}

unsigned int sev_ghcb_version(void)
{
	return ghcb_version;
}

static void negotiate_protocol(void)
{
	u64 resp = ghcb_msr_protocol(ghcb_msr_sev_info_req());
	const struct snp_cpuid_table *t = (const struct snp_cpuid_table *)__cpuid_page;
	u16 max, min;
	u8 cbit;

	if (!ghcb_msr_sev_info_decode(resp, &max, &min, &cbit))
		fatal(TERM_BAD_HV_RESPONSE, "malformed SEV information response %#llx",
		      (unsigned long long)resp);
	if (min > GHCB_PROTOCOL_MAX || max < GHCB_PROTOCOL_MIN)
		fatal_set(SVSM_TERM_SET_GHCB, TERM_GHCB_PROTOCOL_RANGE,
			  "GHCB protocol versions %u..%u do not include %u", min, max,
			  GHCB_PROTOCOL_MAX);
	if ((int)cbit != snp_cpuid_cbit(t))
		fatal(TERM_CBIT_HV, "the hypervisor reports C-bit %u, the CPUID page %d", cbit,
		      snp_cpuid_cbit(t));
	ghcb_version = GHCB_PROTOCOL_MAX;
}

static void check_hv_features(void)
{
	u64 resp = ghcb_msr_protocol(ghcb_msr_hv_features_req());
	u64 features;

	if (!ghcb_msr_hv_features_decode(resp, &features))
		fatal(TERM_BAD_HV_RESPONSE, "malformed hypervisor features response %#llx",
		      (unsigned long long)resp);
	if ((features & HV_FEATURES_REQUIRED) != HV_FEATURES_REQUIRED)
		fatal_set(SVSM_TERM_SET_GHCB, TERM_GHCB_SNP_FEATURES,
			  "hypervisor features %#llx lack %#llx", (unsigned long long)features,
			  (unsigned long long)(HV_FEATURES_REQUIRED & ~features));
	hv_features = features;
}

void ghcb_register_this_cpu(void)
{
	struct percpu *p = this_cpu();
	u64 gfn = p->ghcb_gpa >> PAGE_SHIFT;
	u64 resp = ghcb_msr_protocol(ghcb_msr_register_req(gfn));

	if (!ghcb_msr_register_ok(resp, gfn))
		fatal(TERM_GHCB_REGISTER, "GHCB registration of GFN %#llx answered %#llx",
		      (unsigned long long)gfn, (unsigned long long)resp);
	/* From now on the MSR holds the GHCB's GPA between requests (GHCB spec #56421, MSR
	 * protocol). */
	wrmsr(MSR_GHCB, p->ghcb_gpa);
	p->ghcb_registered = 1;
}

void ghcb_setup_bsp(void)
{
	struct percpu *p = this_cpu();

	negotiate_protocol();
	check_hv_features();
	p->ghcb = (struct ghcb *)early_ghcb;
	p->ghcb_gpa = svsm_va_to_pa(early_ghcb);
	p->ghcb_backup = &bsp_ghcb_backup;
	ghcb_register_this_cpu();
	log_info("ghcb: protocol version %u, hypervisor features %#llx, GHCB at %#llx",
		 ghcb_version, (unsigned long long)hv_features, (unsigned long long)p->ghcb_gpa);
}
