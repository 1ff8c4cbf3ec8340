/*
 * conf_main: the order of the checks, and the payload modes (conf.h enum conf_mode).
 */
#include "check.h"
#include "vmpl1.h"

u64 sev_status;
u32 bsp_apic_id;
u64 hv_features_msr;

static const char *const mode_name[] = {
	[MODE_FULL] = "full",
	[MODE_CBIT0] = "cbit0",
	[MODE_VMPL1_NOACCESS] = "vmpl1-noaccess",
	[MODE_VMPL1_READONLY] = "vmpl1-readonly",
	[MODE_FAIL_VERDICT] = "fail-verdict",
	[MODE_TERMINATE] = "terminate",
	[MODE_TERMINATE_NAE] = "terminate-nae",
	[MODE_TLB_FLUSHED] = "tlb-flushed",
	[MODE_USER_SX] = "user-sx",
	[MODE_WALK_SHARED] = "walk-shared",
};

static __noreturn void finish(void)
{
	struct cpu *c = this_cpu(), *v1 = vmpl1_cpu();
	unsigned int checks = c->checks + v1->checks, failed = c->failures + v1->failures;

	con_printf("# psc: %u descriptors, %u calls\n", psc_descriptors, psc_calls);
	con_printf("# summary: %u checks, %u failed\n", checks, failed);
	verdict(failed ? VERDICT_FAIL : VERDICT_PASS);
}

__noreturn void conf_main(void)
{
	u32 regs[4];

	idt_init();
	pool_init();
	ghcb_boot();
	con_printf("# snpemu conformance payload, mode %s\n", mode_name[CONF_MODE]);
	sev_status = rdmsr(MSR_SEV_STATUS);
	cpuid(1, 0, regs);
	bsp_apic_id = regs[1] >> 24;
	con_printf("# SEV_STATUS 0x%lx, BSP APIC ID %u\n", sev_status, bsp_apic_id);

	switch (CONF_MODE) {
	case MODE_CBIT0:
		fatal_cbit0();
		break;
	case MODE_VMPL1_NOACCESS:
	case MODE_VMPL1_READONLY:
	case MODE_TLB_FLUSHED:
		fatal_vmpl1_access(CONF_MODE != MODE_VMPL1_NOACCESS, CONF_MODE == MODE_TLB_FLUSHED);
		break;
	case MODE_USER_SX:
		fatal_user_sx();
	case MODE_WALK_SHARED:
		fatal_walk_shared();
	case MODE_FAIL_VERDICT:
		con_printf("# reporting failure code 0x21 on purpose\n");
		verdict(0x21);
	case MODE_TERMINATE:
		con_printf("# requesting termination (set %d, code 0x%x) on purpose\n",
			   CONF_TERM_SET, CONF_TERM_MODE_TEST);
		conf_terminate(CONF_TERM_MODE_TEST);
	case MODE_TERMINATE_NAE:
		/* The GHCB form: exit_info_1[3:0] = set, [11:4] = code (facts §1, §3). */
		con_printf("# requesting termination by NAE (set %d, code 0x%x) on purpose\n",
			   CONF_TERM_SET, CONF_TERM_MODE_NAE);
		ghcb_clear(this_cpu());
		ghcb_call(this_cpu(), NAE_TERMINATE, CONF_TERM_SET | (CONF_TERM_MODE_NAE << 4), 0);
		check(false, "ghcb: the host ignored an NAE termination request", "%s", "-");
		verdict(VERDICT_FAIL);
	default:
		break;
	}
	check_launch();
	check_msr_protocol();
	check_vc();
	check_views();
	check_pvalidate();
	check_rmpadjust();
	check_strict();
	check_psc();
	check_nae();
	check_ap();
	check_vmpl();
	finish();
}
