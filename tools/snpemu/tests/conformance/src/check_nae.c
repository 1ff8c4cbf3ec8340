/*
 * Other NAEs and GHCB rules (facts §2, §3, §8): HV features, APIC IDs, malformed requests,
 * port I/O to fw_cfg, MMIO, and run-VMPL by NAE for a VMPL without a VMSA.
 */
#include "check.h"

#define FW_CFG_SELECTOR 0x510
#define FW_CFG_DATA 0x511
#define FW_CFG_SIGNATURE 0x554d4551 /* "QEMU", item 0 (facts §8) */
#define HPET_BASE 0xfed00000ULL

u32 apic_ids[MAX_APIC_IDS];
unsigned int nr_apic_ids;

static void check_hv_features(void)
{
	struct nae n;

	ghcb_clear(this_cpu());
	n = ghcb_call(this_cpu(), NAE_HV_FEATURES, 0, 0);
	check_nae_ok("nae hv-features (0x8000fffd): success", n);
	check(n.info2_valid && n.info2 == hv_features_msr,
	      "nae hv-features: exit_info_2 equals the MSR-protocol bitmap",
	      "exit_info_2 0x%lx (valid %d), MSR protocol 0x%lx", n.info2, n.info2_valid,
	      hv_features_msr);
}

/* Two calls: the number of pages, then the list into a shared buffer ([L], EG; facts §3). */
static void check_apic_ids(void)
{
	struct cpu *c = this_cpu();
	u64 buf = pool_page(), pages = 0, got = 0;
	const volatile u32 *list = shared_ptr(buf);
	unsigned int i, j;
	bool unique = true, bsp = false, valid;
	struct nae n;

	ghcb_clear(c);
	ghcb_set(c, GHCB_RAX, 0);
	n = ghcb_call(c, NAE_GET_APIC_IDS, 0, 0);
	valid = ghcb_get(c, GHCB_RAX, &pages); /* before printing: the console uses the GHCB */
	check_nae_ok("nae apic-ids (0x80000017): size query succeeds", n);
	check(valid && pages >= 1, "nae apic-ids: size query returns a page count in rax",
	      "rax %lu (valid %d)", pages, valid);
	if (pages != 1) {
		check(false, "nae apic-ids: the list fits the one-page buffer", "%lu pages", pages);
		return;
	}
	ghcb_clear(c);
	ghcb_set(c, GHCB_RAX, pages);
	n = ghcb_call(c, NAE_GET_APIC_IDS, buf, 0);
	valid = ghcb_get(c, GHCB_RAX, &got);
	check_nae_ok("nae apic-ids: list query succeeds", n);
	/* the GHCB spec returns the page count in RAX on success too; edk2 (PlatformPei)
	 * drops the list unless it is there and equal to what it passed */
	check(valid && got == pages, "nae apic-ids: list query returns the page count in rax",
	      "rax %lu (valid %d)", got, valid);
	nr_apic_ids = MIN(list[0], (u32)MAX_APIC_IDS);
	check(list[0] >= 1 && list[0] <= MAX_APIC_IDS, "nae apic-ids: count is 1..64", "count %u",
	      list[0]);
	for (i = 0; i < nr_apic_ids; i++) {
		apic_ids[i] = list[1 + i];
		bsp |= apic_ids[i] == bsp_apic_id;
		for (j = 0; j < i; j++)
			unique &= apic_ids[j] != apic_ids[i];
	}
	check(unique, "nae apic-ids: the IDs are distinct", "%s", "duplicate APIC ID");
	check(bsp, "nae apic-ids: the BSP's APIC ID (CPUID 1 EBX[31:24]) is listed",
	      "BSP APIC ID %u not in the list", bsp_apic_id);
	con_printf("# smp: %u vCPUs reported by NAE 0x80000017\n", nr_apic_ids);
}

/* A request that breaks the GHCB rules gets exit_info_1 = 2 and a reason (facts §2). */
static void check_malformed(void)
{
	struct cpu *c = this_cpu();
	struct nae n;

	ghcb_clear(c);
	ghcb_set(c, GHCB_EXIT_CODE, NAE_HV_FEATURES);
	ghcb_set(c, GHCB_EXIT_INFO1, 0);
	ghcb_set(c, GHCB_EXIT_INFO2, 0);
	n = ghcb_vmgexit(c, 1);
	check(n.info1 == GHCB_RESULT_MALFORMED && n.info2 == GHCB_ERR_INVALID_USAGE,
	      "ghcb: usage != 0 -> exit_info_1 2, exit_info_2 2 (invalid usage)",
	      "exit_info_1 0x%lx exit_info_2 0x%lx", n.info1, n.info2);

	/* KVM's sev_es_validate_vmgexit checks the usage, not protocol_version: edk2's SEC
	 * GHCB carries 0 there, and KVM serves it. */
	ghcb_clear(c);
	ghcb_set(c, GHCB_EXIT_CODE, NAE_HV_FEATURES);
	ghcb_set(c, GHCB_EXIT_INFO1, 0);
	ghcb_set(c, GHCB_EXIT_INFO2, 0);
	n = ghcb_vmgexit_version(c, 0, 0);
	check(n.info1 == 0 && n.info2_valid && n.info2 != 0,
	      "ghcb: protocol_version 0 is served as KVM does (features in exit_info_2)",
	      "exit_info_1 0x%lx exit_info_2 0x%lx", n.info1, n.info2);

	/* RDMSR without RCX marked valid. */
	ghcb_clear(c);
	*(volatile u64 *)(c->ghcb + GHCB_RCX) = MSR_APIC_BASE;
	n = ghcb_call(c, NAE_MSR, 0, 0);
	check(n.info1 == GHCB_RESULT_MALFORMED && n.info2 == GHCB_ERR_MISSING_INPUT,
	      "ghcb: input without its valid bit -> exit_info_1 2, exit_info_2 4 (missing input)",
	      "exit_info_1 0x%lx exit_info_2 0x%lx", n.info1, n.info2);

	/* sw_exit_code itself not marked valid. */
	ghcb_clear(c);
	*(volatile u64 *)(c->ghcb + GHCB_EXIT_CODE) = NAE_HV_FEATURES;
	ghcb_set(c, GHCB_EXIT_INFO1, 0);
	ghcb_set(c, GHCB_EXIT_INFO2, 0);
	n = ghcb_vmgexit(c, 0);
	check(n.info1 == GHCB_RESULT_MALFORMED && n.info2 == GHCB_ERR_MISSING_INPUT,
	      "ghcb: sw_exit_code without its valid bit -> exit_info_1 2, exit_info_2 4",
	      "exit_info_1 0x%lx exit_info_2 0x%lx", n.info1, n.info2);
}

static void check_fw_cfg(void)
{
	u8 sig[4];
	unsigned int i;

	/* Plain IN/OUT through #VC (IOIO 0x7b): 16-bit OUT, 8-bit INs. */
	outw(FW_CFG_SELECTOR, 0);
	for (i = 0; i < 4; i++)
		sig[i] = inb(FW_CFG_DATA);
	check_eq("ioio: fw_cfg signature read with IN is \"QEMU\"", *(u32 *)sig, FW_CFG_SIGNATURE);
	/* String IN: REP INSB, the data comes back in the shared buffer. */
	outw(FW_CFG_SELECTOR, 0);
	memset(sig, 0, sizeof(sig));
	insb(FW_CFG_DATA, sig, 4);
	check_eq("ioio: fw_cfg signature read with REP INSB is \"QEMU\"", *(u32 *)sig,
		 FW_CFG_SIGNATURE);
}

static void check_mmio(void)
{
	struct cpu *c = this_cpu();
	volatile u64 *buf = (volatile u64 *)(c->ghcb + GHCB_BUFFER);
	u64 caps;
	struct nae n;

	buf[0] = 0;
	ghcb_clear(c);
	ghcb_set(c, GHCB_SCRATCH, c->ghcb_gpa + GHCB_BUFFER);
	n = ghcb_call(c, NAE_MMIO_READ, HPET_BASE, 8);
	caps = buf[0]; /* before printing: the console uses the shared buffer */
	check_nae_ok("nae mmio read (0x80000001) of the HPET capabilities: success", n);
	check((caps & 0xff) != 0 && ((caps >> 16) & 0xffff) != 0,
	      "nae mmio read: HPET revision and vendor fields are non-zero", "caps 0x%lx", caps);
}

static void check_run_vmpl_nae(void)
{
	struct nae n;

	ghcb_clear(this_cpu());
	n = ghcb_call(this_cpu(), NAE_RUN_VMPL, 2, 0);
	check(n.info1 != 0, "nae run-vmpl (0x80000018): VMPL2 without a VMSA -> error",
	      "exit_info_1 0x%lx", n.info1);
}

void check_nae(void)
{
	check_hv_features();
	check_apic_ids();
	check_malformed();
	check_fw_cfg();
	check_mmio();
	check_run_vmpl_nae();
}
