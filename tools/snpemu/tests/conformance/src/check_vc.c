/*
 * #VC for intercepted instructions (facts §3): the error code is the exit code and RIP is the
 * instruction; SEV_STATUS and the GHCB MSR are read without any #VC (facts §1, §5).
 */
#include "check.h"

#define POST_PORT 0x80

static void check_nae_cpuid(void)
{
	struct cpu *c = this_cpu();
	u64 a, b, cx, d;
	bool valid;
	struct nae n;

	ghcb_clear(c);
	ghcb_set(c, GHCB_RAX, 0x8000001f);
	ghcb_set(c, GHCB_RCX, 0);
	ghcb_set(c, GHCB_XCR0, 1);
	n = ghcb_call(c, NAE_CPUID, 0, 0);
	/* Read the outputs before printing: the console uses the same GHCB. */
	valid = ghcb_get(c, GHCB_RAX, &a) & ghcb_get(c, GHCB_RBX, &b) & ghcb_get(c, GHCB_RCX, &cx) &
		ghcb_get(c, GHCB_RDX, &d);
	check_nae_ok("nae cpuid (0x72): success", n);
	check(valid, "nae cpuid (0x72): rax, rbx, rcx, rdx marked valid", "%s",
	      "an output is not valid");
	check_eq("nae cpuid (0x72): 0x8000001f EBX[5:0] is the C-bit 51", b & 0x3f, CONF_CBIT_POS);
}

static void check_nae_msr(void)
{
	struct cpu *c = this_cpu();
	u64 a, d;
	struct nae n;
	bool valid;

	ghcb_clear(c);
	ghcb_set(c, GHCB_RCX, MSR_APIC_BASE);
	n = ghcb_call(c, NAE_MSR, 0, 0);
	valid = ghcb_get(c, GHCB_RAX, &a) & ghcb_get(c, GHCB_RDX, &d);
	check_nae_ok("nae msr (0x7c): RDMSR APIC_BASE succeeds", n);
	check(valid, "nae msr (0x7c): rax and rdx marked valid", "%s", "an output is not valid");
}

void check_vc(void)
{
	struct insn_result r;
	u64 apic_base;
	u32 regs[4];

	check_vc_at("#vc: CPUID -> #VC 0x72 at the instruction", probe_cpuid(0), NAE_CPUID);
	check_vc_at("#vc: IN -> #VC 0x7b at the instruction", probe_inb(POST_PORT), NAE_IOIO);
	check_vc_at("#vc: OUT -> #VC 0x7b at the instruction", probe_outb(POST_PORT, 0), NAE_IOIO);
	check_vc_at("#vc: RDMSR APIC_BASE (not in the VMSA) -> #VC 0x7c at the instruction",
		    probe_rdmsr(MSR_APIC_BASE), NAE_MSR);
	apic_base = rdmsr(MSR_APIC_BASE); /* emulated: the value to write back unchanged */
	check_vc_at("#vc: WRMSR APIC_BASE -> #VC 0x7c at the instruction",
		    probe_wrmsr(MSR_APIC_BASE, apic_base), NAE_MSR);
	check_vc_at("#vc: VMMCALL without F3 -> #VC 0x81 at the instruction", probe_vmmcall(),
		    NAE_VMMCALL);

	r = probe_rdmsr(MSR_SEV_STATUS);
	check(r.vector < 0 && (r.rax & BIT_ULL(2)), "rdmsr SEV_STATUS: no #VC, SNP enabled (bit 2)",
	      "vector %d value 0x%lx", r.vector, r.rax);
	check_no_fault("rdmsr GHCB MSR: no #VC", probe_rdmsr(MSR_GHCB));

	check_nae_cpuid();
	check_nae_msr();
	/* The same leaf through the #VC handler (plain CPUID, emulated with NAE 0x72). */
	cpuid(0x8000001f, 0, regs);
	check_eq("#vc: emulated CPUID 0x8000001f EBX[5:0] is the C-bit 51", regs[1] & 0x3f,
		 CONF_CBIT_POS);
}
