/*
 * Host profiles (--host NAME; README "Host profiles"): the ways real SNP hosts differ where the
 * GHCB spec #56421 lets them, so that csvsm is run against each host it must survive. The SNP
 * hardware rules do not change with the profile, only what the host does around them.
 *
 *   spec          (default) every option the GHCB spec gives a host, taken the way that asks
 *                 most of the guest: 2 MiB RMP entries for 2 MiB conversions, PSMASH and
 *                 UNSMASH done, descriptors of up to 253 entries, a 4 KiB PVALIDATE/RMPADJUST
 *                 inside a 2 MiB RMP entry answered FAIL_SIZEMISMATCH (the guest must ask
 *                 for PSMASH itself). No real host does all of it; it is the strict judge.
 *   upstream      upstream KVM (arch/x86/kvm/svm/sev.c) with guest_memfd: private memory in
 *                 4 KiB pages only, so a 2 MiB conversion makes 512 4 KiB RMP entries
 *                 (a 2 MiB PVALIDATE then gets FAIL_SIZEMISMATCH); snp_begin_psc completes
 *                 PSMASH/UNSMASH entries without doing anything; a 4 KiB PVALIDATE or
 *                 RMPADJUST inside a 2 MiB RMP entry takes an RMP #NPF with the size-mismatch
 *                 bit, which KVM (sev_handle_rmp_fault) answers with PSMASH, so it succeeds.
 *                 VMPL switching and AP creation for other VMPLs as the "planes" series adds
 *                 them (upstream alone has no VMPLs: it cannot run an SVSM).
 *   svsm-preview  AMD's SVSM-preview KVM: descriptors of at most 64 entries
 *                 (VMGEXIT_PSC_MAX_ENTRY of the SNP host patches it is based on; more is an
 *                 invalid header), PSMASH/UNSMASH entries refused, the RMP #NPF PSMASH as
 *                 upstream, and an AP creation for the caller's own vCPU replaces the running
 *                 VMSA at that vCPU's next VMRUN.
 */
#include "l1.h"

static const struct host_profile host_profiles[] = {
	{ .name = "spec",
	  .psc_max_entries = PSC_MAX_ENTRIES,
	  .smash = SMASH_DO,
	  .psc_2m_rmp = true },
	{ .name = "upstream",
	  .psc_max_entries = PSC_MAX_ENTRIES,
	  .smash = SMASH_SKIP,
	  .rmp_fault_psmash = true },
	{ .name = "svsm-preview",
	  .psc_max_entries = 64,
	  .smash = SMASH_REFUSE,
	  .psc_2m_rmp = true,
	  .rmp_fault_psmash = true,
	  .ap_create_switch = true },
};

const struct host_profile *host = &host_profiles[0];

void host_init(void)
{
	if (cfg.host < 0 || cfg.host >= (int)ARRAY_SIZE(host_profiles))
		panic("host profile %d unknown", cfg.host);
	host = &host_profiles[cfg.host];
	if (cfg.host)
		con_printf("snpemu: host profile %s\n", host->name);
}
