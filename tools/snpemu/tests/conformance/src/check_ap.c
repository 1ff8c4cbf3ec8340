/*
 * AP creation NAE 0x80000013 (facts §3 "AP creation", §4 VMSA placement, §8 CREATE_VCPU/APs).
 *
 * Refusals are tried for VMPL2 of the BSP, a slot nothing else uses, and backed by a positive
 * control with the same page. Then every AP (with --smp >= 2) gets a VMPL0 VMSA that runs
 * ap_park: it stores a token, which proves the VMSA's registers were honoured, and halts.
 */
#include "check.h"

#define AP_WAIT_LOOPS (1ULL << 28)
#define TOKEN(id) (0xa9a9000000000000ULL | (id))

static u64 ap_flag[MAX_APIC_IDS];

/* A refused creation; if the host accepted it after all, take it back. */
static void check_refused(const char *name, int vmpl, u32 apic, u64 vmsa, u64 features)
{
	struct nae n = ap_creation(AP_CREATE, vmpl, apic, vmsa, features);

	/* The facts give no specific code for a refusal: any exit_info_1 != 0 (facts §2). */
	check(n.info1 != 0, name, "expected a refusal (exit_info_1 != 0) got exit_info_1 0x%lx",
	      n.info1);
	if (n.info1 == 0)
		ap_creation(AP_DESTROY, vmpl, apic, vmsa, 0);
}

static u32 unknown_apic_id(void)
{
	u32 id = 0;
	unsigned int i;

	for (i = 0; i < nr_apic_ids; i++)
		id = MAX(id, apic_ids[i] + 1);
	return id;
}

static void check_refusals(void)
{
	u64 vmsa = pool_private_page(), cleared = pool_private_page(), resp;
	u64 region = pool_region_2m();
	struct nae n;

	vmsa_build(vmsa, 2, (u64)ap_park, 0);
	check_refused("ap creation: VMSA page without the VMSA bit -> refused", 2, bsp_apic_id,
		      vmsa, vm_sev_features());
	check_insn("ap creation: setup: set the VMSA bit",
		   rmpadjust(gpa_to_priv(vmsa), false, RMP_VMSA | RMP_R | 1), 0, CF_ANY);
	check_refused("ap creation: unknown APIC ID -> refused", 2, unknown_apic_id(), vmsa,
		      vm_sev_features());
	/* rax must equal the VM's SEV features (facts §3, KVM): rax differing from the VMSA's,
	 * and then VMSA and rax agreeing on features the VM was not launched with (DebugSwap,
	 * sev_features bit 5, facts §5). */
	check_refused("ap creation: rax differs from the VM's SEV features -> refused", 2,
		      bsp_apic_id, vmsa, vm_sev_features() ^ BIT_ULL(7));
	if (!(vm_sev_features() & BIT_ULL(5))) {
		u64 other = pool_private_page();

		vmsa_build(other, 2, (u64)ap_park, 0);
		vmsa_set(other, VMSA_SEV_FEATURES, vm_sev_features() | BIT_ULL(5));
		rmpadjust(gpa_to_priv(other), false, RMP_VMSA | RMP_R | 1);
		check_refused("ap creation: VMSA and rax with SEV features other than the VM's -> "
			      "refused",
			      2, bsp_apic_id, other, vm_sev_features() | BIT_ULL(5));
	}

	/* The VMSA bit set and cleared again (facts §4): the page is an ordinary page. */
	vmsa_build(cleared, 2, (u64)ap_park, 0);
	rmpadjust(gpa_to_priv(cleared), false, RMP_VMSA | RMP_R | 1);
	rmpadjust(gpa_to_priv(cleared), false, RMP_R | 1);
	check_refused("ap creation: VMSA bit set then cleared -> refused", 2, bsp_apic_id, cleared,
		      vm_sev_features());

	/* A VMSA on a 2 MiB boundary (facts §4: erratum #1467). */
	check(psc_range(region, 1, PSC_OP_PRIVATE, false), "ap creation: setup: PSC page private",
	      "%s", "PSC failed");
	pvalidate(gpa_to_priv(region), false, true);
	vmsa_build(region, 2, (u64)ap_park, 0);
	rmpadjust(gpa_to_priv(region), false, RMP_VMSA | RMP_R | 1);
	check_refused("ap creation: VMSA page on a 2 MiB boundary -> refused", 2, bsp_apic_id,
		      region, vm_sev_features());

	/* Positive control with the first page, then destroy (the VMSA never runs). */
	n = ap_creation(AP_CREATE, 2, bsp_apic_id, vmsa, vm_sev_features());
	check_nae_ok("ap creation: a correct VMPL2 VMSA for the BSP is accepted", n);
	n = ap_creation(AP_DESTROY, 2, bsp_apic_id, vmsa, 0);
	check_nae_ok("ap creation: destroy it", n);
	resp = msr_protocol(MSR_VMPL_REQ | (2ULL << 32));
	check(MSR_INFO(resp) == MSR_VMPL_RESP && (resp >> 32) != 0,
	      "ap creation: after destroy, run-VMPL(2) -> error", "response 0x%lx", resp);
}

static void start_ap(unsigned int idx)
{
	u32 id = apic_ids[idx];
	u64 vmsa = pool_private_page(), i;
	char name[96];
	struct nae n;

	vmsa_build(vmsa, 0, (u64)ap_park, 0);
	vmsa_set(vmsa, VMSA_RDI, TOKEN(id));
	vmsa_set(vmsa, VMSA_RSI, (u64)&ap_flag[idx]);
	rmpadjust(gpa_to_priv(vmsa), false, RMP_VMSA | 1); /* [L]: VMSA | 1 for a VMPL0 AP */
	fmt_snprintf(name, sizeof(name), "ap creation: create a VMPL0 VMSA for APIC ID %u", id);
	n = ap_creation(AP_CREATE, 0, id, vmsa, vm_sev_features());
	if (!check_nae_ok(name, n))
		return;
	for (i = 0; i < AP_WAIT_LOOPS && READ_ONCE(ap_flag[idx]) != TOKEN(id); i++)
		cpu_relax();
	fmt_snprintf(name, sizeof(name), "ap creation: AP %u runs its VMSA (stores its token)", id);
	check_eq(name, READ_ONCE(ap_flag[idx]), TOKEN(id));
	fmt_snprintf(name, sizeof(name), "ap creation: destroy AP %u's VMSA", id);
	check_nae_ok(name, ap_creation(AP_DESTROY, 0, id, vmsa, 0));
}

void check_ap(void)
{
	unsigned int i, started = 0;

	check_refusals();
	for (i = 0; i < nr_apic_ids; i++) {
		if (apic_ids[i] == bsp_apic_id)
			continue;
		start_ap(i);
		started++;
	}
	con_printf("# started %u APs\n", started);
}
