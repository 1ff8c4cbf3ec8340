/*
 * GHCB MSR protocol (facts §1).
 */
#include "check.h"

static u64 sev_info_resp, hv_resp, reg_resp;

void ghcb_boot(void)
{
	struct cpu *c = this_cpu();
	u64 gpa = pool_page(); /* hypervisor-owned, so already shared */

	/* SEV information, HV features, then registration (facts §1 "Negotiation"). */
	sev_info_resp = msr_protocol(MSR_SEV_INFO_REQ);
	hv_resp = msr_protocol(MSR_HV_FT_REQ);
	hv_features_msr = hv_resp >> 12;
	memset(shared_ptr(gpa), 0, PAGE_SIZE);
	reg_resp = msr_protocol(MSR_REG_GPA_REQ | gpa);
	if (reg_resp != (MSR_REG_GPA_RESP | gpa))
		conf_terminate(CONF_TERM_NO_GHCB); /* no GHCB, no console */
	c->ghcb_gpa = gpa;
	c->ghcb = shared_ptr(gpa);
}

static bool psc_msr_ok(u64 resp)
{
	/* Response 0x015, [31:12] reserved, [63:32] error 0 (facts §1). */
	return resp == MSR_PSC_RESP;
}

static void check_msr_psc(void)
{
	u64 page = pool_page(), other = pool_page(), resp;

	resp = msr_protocol(MSR_PSC_REQ | page | ((u64)PSC_OP_PRIVATE << 52));
	check(psc_msr_ok(resp), "msr psc: make one page private (0x014 -> 0x015, error 0)",
	      "response 0x%lx", resp);
	check_insn("msr psc: the page is private now (PVALIDATE -> 0, CF=0)",
		   pvalidate(gpa_to_priv(page), false, true), 0, 0);
	check_insn("msr psc: rescind before making it shared",
		   pvalidate(gpa_to_priv(page), false, false), 0, 0);
	resp = msr_protocol(MSR_PSC_REQ | page | ((u64)PSC_OP_SHARED << 52));
	check(psc_msr_ok(resp), "msr psc: make it shared again", "response 0x%lx", resp);
	check_insn("msr psc: the page is shared now (PVALIDATE -> FAIL_INPUT)",
		   pvalidate(gpa_to_priv(page), false, true), FAIL_INPUT, CF_ANY);
	/* PSMASH/UNSMASH are not MSR-protocol operations (facts §1, confirmed EG). */
	resp = msr_protocol(MSR_PSC_REQ | other | ((u64)PSC_OP_PSMASH << 52));
	check(MSR_INFO(resp) == MSR_PSC_RESP && (resp >> 32) != 0,
	      "msr psc: operation 3 (PSMASH) is refused with an error", "response 0x%lx", resp);
}

void check_msr_protocol(void)
{
	u64 resp, min = (sev_info_resp >> 32) & 0xffff, max = sev_info_resp >> 48;
	int vmpl;

	check_eq("msr sev-info: response code 0x001", MSR_INFO(sev_info_resp), MSR_SEV_INFO_RESP);
	check(min <= 2 && max >= 2, "msr sev-info: protocol range includes version 2",
	      "min %lu max %lu", min, max);
	check_eq("msr sev-info: C-bit position 51", (sev_info_resp >> 24) & 0xff, CONF_CBIT_POS);

	check_eq("msr hv-features: response code 0x081", MSR_INFO(hv_resp), MSR_HV_FT_RESP);
	check(hv_features_msr & HV_FT_SNP, "msr hv-features: SEV-SNP (bit 0)", "features 0x%lx",
	      hv_features_msr);
	check(hv_features_msr & HV_FT_AP_CREATION, "msr hv-features: AP creation (bit 1)",
	      "features 0x%lx", hv_features_msr);
	check(hv_features_msr & HV_FT_APIC_ID_LIST, "msr hv-features: APIC ID list (bit 4)",
	      "features 0x%lx", hv_features_msr);
	check(hv_features_msr & HV_FT_MULTI_VMPL, "msr hv-features: multi-VMPL (bit 5)",
	      "features 0x%lx", hv_features_msr);

	check_eq("msr register-ghcb: response 0x013 echoes the GFN", reg_resp,
		 MSR_REG_GPA_RESP | this_cpu()->ghcb_gpa);

	/* CPUID 0x8000001f EBX (register 1 in [31:30]) through the MSR protocol. */
	resp = msr_protocol(MSR_CPUID_REQ | (1ULL << 30) | (0x8000001fULL << 32));
	check_eq("msr cpuid: response code 0x005", MSR_INFO(resp), MSR_CPUID_RESP);
	check_eq("msr cpuid: 0x8000001f EBX[5:0] is the C-bit 51", (resp >> 32) & 0x3f,
		 CONF_CBIT_POS);

	resp = msr_protocol(MSR_PREF_GPA_REQ);
	check_eq("msr preferred-gpa: response code 0x011", MSR_INFO(resp), MSR_PREF_GPA_RESP);
	con_printf("# preferred GHCB GFN: 0x%lx\n", resp >> 12);

	/* No VMSA exists yet for VMPL1-3: running one must fail (facts §1 0x016/0x017). */
	for (vmpl = 1; vmpl <= 3; vmpl++) {
		char name[96];

		resp = msr_protocol(MSR_VMPL_REQ | ((u64)vmpl << 32));
		fmt_snprintf(name, sizeof(name),
			     "msr run-vmpl: VMPL%d without a VMSA -> 0x017 with an error", vmpl);
		check(MSR_INFO(resp) == MSR_VMPL_RESP && (resp >> 32) != 0, name, "response 0x%lx",
		      resp);
	}
	check_msr_psc();
}
