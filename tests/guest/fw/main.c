/*
 * The VMPL1 test firmware's main line: bring the BSP up (IDT, C-bit, page tables, GHCB,
 * console), discover the SVSM, then run the test groups in order and report the verdict.
 *
 * GUEST_MODE selects a build: the normal suite, one fatal check that must end the guest in
 * snpemu, or the bench calls (tests/guest/README.md).
 */
#include "bench.h"
#include "check.h"
#include "console.h"
#include "hv.h"
#include "layout.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "paging.h"
#include "percpu.h"
#include "tests.h"
#include "vc.h"
#include "vcpu.h"

#define GUEST_MODE_NORMAL 0
#define GUEST_MODE_SVSM_READ 1
#define GUEST_MODE_VMSA_WRITE 2
#define GUEST_MODE_BENCH 3
#define GUEST_MODE_RACE 4 /* 4 and up: test_race.c's cases (enum race_case) */
#ifndef GUEST_MODE
#define GUEST_MODE GUEST_MODE_NORMAL
#endif

#define FW_CFG_PORT_SEL 0x510
#define FW_CFG_PORT_DATA 0x511
#define FW_CFG_NB_CPUS 0x05

/* What the BSP learned before its console worked; checked once it does. */
static struct {
	u16 ghcb_min, ghcb_max;
	u8 hv_cbit;
} boot;

static const char *mode_name(void)
{
	switch (GUEST_MODE) {
	case GUEST_MODE_SVSM_READ:
		return "fatal svsm-read";
	case GUEST_MODE_VMSA_WRITE:
		return "fatal vmsa-write";
	case GUEST_MODE_BENCH:
		return "bench";
	default:
		if (GUEST_MODE >= GUEST_MODE_RACE)
			return "race";
		return "normal";
	}
}

/* Up to the console: any failure here can only be reported through a GHCB termination. */
static void boot_bsp(void)
{
	struct cpu *cpu = this_cpu();
	int cbit;

	memset(cpu, 0, sizeof(*cpu));
	cpu->index = 0;
	cpu->caa_gpa = BOOT_CAA_GPA;
	cpu->caa = gpa_ptr(BOOT_CAA_GPA);
	idt_init();

	/* reset.asm found the same C-bit, or we would not be here. */
	cbit = snp_cpuid_cbit(cpuid_page());
	if (snp_cpuid_table_check(cpuid_page()) || cbit < 32 || cbit > 51)
		hv_terminate(GUEST_TERM_NO_CBIT);
	env.cbit = (unsigned int)cbit;
	paging_init(env.cbit);

	if (hv_negotiate(&boot.ghcb_min, &boot.ghcb_max, &boot.hv_cbit) ||
	    hv_features(&env.hv_features) || hv_prepare_shared_pages() || hv_register_ghcb(cpu))
		hv_terminate(GUEST_TERM_GHCB);
	con_printf("csvsm VMPL1 test firmware, %s mode", mode_name());
}

static u32 fw_cfg_nb_cpus(void)
{
	u16 n;

	outw(FW_CFG_PORT_SEL, FW_CFG_NB_CPUS);
	n = inb(FW_CFG_PORT_DATA);
	n |= (u16)inb(FW_CFG_PORT_DATA) << 8;
	return n;
}

/* The vCPUs' APIC IDs, the BSP's first. From the hypervisor's APIC-ID list when it offers one
 * (facts §3, NAE 0x80000017), else fw_cfg's CPU count with IDs 0..n-1. */
static void enumerate_cpus(void)
{
	u32 ids[MAX_CPUS], n = 0, own;
	struct cpuid_result leaf1;
	int rc = -ENOTSUP;

	if (env.hv_features & GHCB_HV_FT_APIC_ID_LIST)
		rc = hv_apic_ids(ids, MAX_CPUS, &n);
	if (rc) {
		note("no APIC-ID list from the hypervisor (%d): using fw_cfg's CPU count", rc);
		n = fw_cfg_nb_cpus();
		if (n > MAX_CPUS)
			n = MAX_CPUS;
		for (u32 i = 0; i < n; i++)
			ids[i] = i;
	}
	/* Our own APIC ID is not in the CPUID page (it differs per vCPU): ask the hypervisor. */
	own = hv_cpuid(1, 0, &leaf1) ? 0 : leaf1.ebx >> 24;
	env.ncpus = 1;
	env.apic_id[0] = own;
	for (u32 i = 0; i < n; i++)
		if (ids[i] != own && env.ncpus < MAX_CPUS)
			env.apic_id[env.ncpus++] = ids[i];
	this_cpu()->apic_id = own;
	note("%u vCPU%s, BSP APIC ID %u", env.ncpus, env.ncpus == 1 ? "" : "s", own);
}

static bool ranges_overlap(u64 a, u64 alen, u64 b, u64 blen)
{
	return a < b + blen && b < a + alen;
}

void test_discovery(void)
{
	const volatile u8 *secrets = gpa_ptr(SECRETS_GPA);
	struct svsm_info *s = &env.svsm;
	u64 status, end;
	u32 r[4];
	bool vmpck0_zero = true;

	note("boot: GHCB, C-bit, SEV status, SVSM discovery");
	check(boot.ghcb_min <= 2 && boot.ghcb_max >= 2,
	      "GHCB protocol: the hypervisor's range [%u, %u] includes version 2", boot.ghcb_min,
	      boot.ghcb_max);
	check((env.hv_features &
	       (GHCB_HV_FT_SNP | GHCB_HV_FT_SNP_AP_CREATION | GHCB_HV_FT_SNP_MULTI_VMPL)) ==
		      (GHCB_HV_FT_SNP | GHCB_HV_FT_SNP_AP_CREATION | GHCB_HV_FT_SNP_MULTI_VMPL),
	      "hypervisor features 0x%lx include SNP, AP creation and multi-VMPL", env.hv_features);
	check(boot.hv_cbit == env.cbit, "C-bit: CPUID page (%u) and hypervisor (%u) agree",
	      env.cbit, boot.hv_cbit);
	cpuid(0x8000001f, 0, r);
	check((r[1] & 0x3f) == env.cbit,
	      "CPUID 0x8000001f through the #VC handler gives the CPUID page's C-bit (%u)",
	      r[1] & 0x3f);
	status = rdmsr(MSR_SEV_STATUS);
	env.sev_features = status >> 2;
	check((status & 0x7) == 0x7, "SEV_STATUS 0x%lx: SEV, SEV-ES and SNP active", status);

	svsm_read_secrets(s);
	for (int i = 0; i < SECRETS_VMPCK_SIZE; i++)
		vmpck0_zero &= secrets[SECRETS_VMPCK0 + i] == 0;
	note("secrets page: svsm_base 0x%lx svsm_size 0x%lx svsm_caa 0x%lx max_version %u "
	     "guest_vmpl %u",
	     s->base, s->size, s->caa, s->max_version, s->guest_vmpl);
	check(s->size != 0, "secrets page: an SVSM is present (svsm_size != 0)");
	check(s->guest_vmpl == 1, "secrets page: svsm_guest_vmpl is 1");
	check(IS_ALIGNED(s->caa, PAGE_SIZE) && s->caa == BOOT_CAA_GPA,
	      "secrets page: svsm_caa is our metadata's calling area (0x%x)", BOOT_CAA_GPA);
	check(s->max_version >= 1, "secrets page: svsm_max_version >= 1");
	check(IS_ALIGNED(s->base, PAGE_2M_SIZE) && IS_ALIGNED(s->size, PAGE_SIZE) &&
		      !check_add_overflow(s->base, s->size, &end),
	      "secrets page: SVSM memory is 2 MiB aligned, whole pages, no overflow");
	check(!ranges_overlap(s->base, s->size, PREVALIDATED_BASE, 0x01000000) &&
		      !ranges_overlap(s->base, s->size, FW_BASE, FW_SIZE),
	      "secrets page: SVSM memory does not overlap this firmware's memory");
	check(vmpck0_zero, "secrets page: VMPCK0 was cleared before the guest got it");
	if (!s->size || s->guest_vmpl != 1 || s->caa != BOOT_CAA_GPA) {
		check(false, "cannot go on without a usable SVSM");
		guest_finish();
	}
	enumerate_cpus();
}

void test_registers_preserved(void)
{
	u64 calls, clobbers;

	svsm_call_stats(&calls, &clobbers);
	check(clobbers == 0 && calls > 0,
	      "the SVSM preserved RBX, RSI, RDI, RBP and R10-R15 in all %lu calls (%lu changed "
	      "one)",
	      calls, clobbers);
}

__noreturn void guest_main(void);
__noreturn void guest_main(void)
{
	boot_bsp();
	test_discovery();
	switch (GUEST_MODE) {
	case GUEST_MODE_SVSM_READ:
		fatal_svsm_read();
		break;
	case GUEST_MODE_VMSA_WRITE:
		fatal_vmsa_write();
		break;
	case GUEST_MODE_BENCH:
		bench_calls();
		break;
	default:
		if (GUEST_MODE >= GUEST_MODE_RACE) {
			test_race((enum race_case)(GUEST_MODE - GUEST_MODE_RACE));
			break;
		}
		test_rmp();
		test_core();
		test_pvalidate();
		test_request_reads();
		test_remap_ca();
		test_vcpu();
		test_smp();
		test_attest();
		test_faulting_addresses();
		test_registers_preserved();
		break;
	}
	guest_finish();
}
