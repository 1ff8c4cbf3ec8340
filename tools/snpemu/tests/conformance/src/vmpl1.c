/*
 * Code that runs at VMPL1. It may touch only its own stack and mailbox (section .vmpl1),
 * read constants, and execute the payload's text: that is all VMPL0 grants it.
 */
#include "vmpl1.h"
#include "ghcb.h"

static u8 vmpl1_stack[CPU_STACK_SIZE] __aligned(CPU_STACK_SIZE) __section(".vmpl1.stack");
struct vmpl1_mailbox vmpl1_mailbox __aligned(PAGE_SIZE) __section(".vmpl1.mailbox");

struct cpu *vmpl1_cpu(void)
{
	return (struct cpu *)vmpl1_stack;
}

u64 vmpl1_stack_top(void)
{
	return (u64)vmpl1_stack + CPU_STACK_SIZE;
}

static void run_cmd(struct vmpl1_mailbox *mb)
{
	switch (mb->cmd) {
	case V1_READ:
		mb->res = probe_read64(mb->arg[0]);
		break;
	case V1_WRITE:
		mb->res = probe_write64(mb->arg[0], mb->arg[1]);
		break;
	case V1_PVALIDATE:
		mb->res = pvalidate(mb->arg[0], mb->arg[1], mb->arg[2]);
		break;
	case V1_RMPADJUST:
		mb->res = rmpadjust(mb->arg[0], mb->arg[1], mb->arg[2]);
		break;
	case V1_CPUID:
		mb->res = probe_cpuid((u32)mb->arg[0]);
		break;
	case V1_SAY_OK:
		check(true, "vmpl1: console output through its own GHCB", "%s", "-");
		break;
	default:
		break;
	}
}

/* Ask for VMPL0; returns when VMPL0 runs VMPL1 again. */
static void back_to_vmpl0(struct cpu *c, struct vmpl1_mailbox *mb)
{
	struct nae r;

	if (mb->exit_form == FORM_MSR) {
		mb->resume_regs = vmgexit_check_regs(MSR_VMPL_REQ); /* target VMPL 0 in [39:32] */
		mb->resume_status = rdmsr(MSR_GHCB);
		mb->resume_valid = true;
		return;
	}
	ghcb_clear(c);
	ghcb_prepare(c, NAE_RUN_VMPL, 0, 0); /* exit_info_1 = 0: VMPL0 (facts §3, §7) */
	mb->resume_regs = vmgexit_check_regs(c->ghcb_gpa);
	r = ghcb_result(c);
	mb->resume_status = r.info1;
	mb->resume_valid = r.info1_valid;
}

__noreturn void vmpl1_main(void)
{
	struct cpu *c = this_cpu();
	struct vmpl1_mailbox *mb = &vmpl1_mailbox;
	u64 served = 0;

	/* The GHCB MSR is per VMSA: VMPL1 registers its own GHCB (facts §1 0x012). */
	mb->reg_resp = msr_protocol(MSR_REG_GPA_REQ | c->ghcb_gpa);
	for (;;) {
		run_cmd(mb);
		mb->served = ++served;
		back_to_vmpl0(c, mb);
	}
}
