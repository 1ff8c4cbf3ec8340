// SPDX-License-Identifier: MIT
/*
 * Exception dispatch and the fatal-exception report (include/arch/exception.h).
 */
#include "arch/exception.h"
#include "arch/extable.h"
#include "arch/insn.h"
#include "arch/layout.h"
#include "arch/percpu.h"
#include "arch/x86.h"
#include "lib/log.h"
#include "sev/terminate.h"
#include "sev/vc.h"

#define STACK_TRACE_MAX 16

static const char *const vector_names[X86_NR_VECTORS] = {
	[X86_TRAP_DE] = "#DE divide error",
	[X86_TRAP_DB] = "#DB debug",
	[X86_TRAP_NMI] = "NMI",
	[X86_TRAP_BP] = "#BP breakpoint",
	[X86_TRAP_OF] = "#OF overflow",
	[X86_TRAP_BR] = "#BR bound range",
	[X86_TRAP_UD] = "#UD invalid opcode",
	[X86_TRAP_NM] = "#NM device not available",
	[X86_TRAP_DF] = "#DF double fault",
	[X86_TRAP_OLD_MF] = "coprocessor segment overrun",
	[X86_TRAP_TS] = "#TS invalid TSS",
	[X86_TRAP_NP] = "#NP segment not present",
	[X86_TRAP_SS] = "#SS stack fault",
	[X86_TRAP_GP] = "#GP general protection",
	[X86_TRAP_PF] = "#PF page fault",
	[X86_TRAP_SPURIOUS] = "reserved vector 15",
	[X86_TRAP_MF] = "#MF x87 error",
	[X86_TRAP_AC] = "#AC alignment check",
	[X86_TRAP_MC] = "#MC machine check",
	[X86_TRAP_XF] = "#XM SIMD error",
	[X86_TRAP_CP] = "#CP control protection",
	[X86_TRAP_VC] = "#VC VMM communication",
};

/* Is [addr, addr + len) inside one of this vCPU's stacks? */
static bool on_stack(const struct percpu *p, u64 addr, u64 len)
{
	u64 end;

	if (check_add_overflow(addr, len, &end))
		return false;
	return (addr >= p->stack_lo && end <= p->stack_hi) ||
	       (addr >= p->ist_lo && end <= p->ist_hi);
}

/*
 * Walk the frame-pointer chain: [rbp] = the caller's rbp, [rbp + 8] = the return address.
 * Each frame must lie on this vCPU's stacks, be aligned and above the previous one (so the
 * walk ends), and return into the SVSM's text; at most STACK_TRACE_MAX frames.
 */
void stack_trace_print(u64 rip, u64 rbp)
{
	const struct percpu *p = this_cpu();
	unsigned int i;

	log_err("  stack trace (addr2line -e build/svsm/svsm.elf):");
	log_err("    #0 %#llx", (unsigned long long)rip);
	for (i = 1; i < STACK_TRACE_MAX; i++) {
		const u64 *frame = (const u64 *)(uintptr_t)rbp;
		u64 next, ret;

		if (!rbp || !IS_ALIGNED(rbp, 8) || !on_stack(p, rbp, 16))
			return;
		next = frame[0];
		ret = frame[1];
		if (!svsm_in_text(ret, 1))
			return;
		log_err("    #%u %#llx", i, (unsigned long long)ret);
		if (next <= rbp)
			return;
		rbp = next;
	}
	log_err("    ...");
}

static void dump_registers(const struct trap_frame *f)
{
	log_err("  rip 0x%016llx cs %#llx rflags %#llx rsp 0x%016llx ss %#llx",
		(unsigned long long)f->rip, (unsigned long long)f->cs,
		(unsigned long long)f->rflags, (unsigned long long)f->rsp,
		(unsigned long long)f->ss);
	log_err("  rax 0x%016llx rbx 0x%016llx rcx 0x%016llx rdx 0x%016llx",
		(unsigned long long)f->rax, (unsigned long long)f->rbx, (unsigned long long)f->rcx,
		(unsigned long long)f->rdx);
	log_err("  rsi 0x%016llx rdi 0x%016llx rbp 0x%016llx r8  0x%016llx",
		(unsigned long long)f->rsi, (unsigned long long)f->rdi, (unsigned long long)f->rbp,
		(unsigned long long)f->r8);
	log_err("  r9  0x%016llx r10 0x%016llx r11 0x%016llx r12 0x%016llx",
		(unsigned long long)f->r9, (unsigned long long)f->r10, (unsigned long long)f->r11,
		(unsigned long long)f->r12);
	log_err("  r13 0x%016llx r14 0x%016llx r15 0x%016llx", (unsigned long long)f->r13,
		(unsigned long long)f->r14, (unsigned long long)f->r15);
	log_err("  cr2 0x%016llx (faulting address) cr3 %#llx", (unsigned long long)read_cr2(),
		(unsigned long long)read_cr3());
}

__noreturn void exception_fatal(struct trap_frame *f, unsigned int code, const char *what)
{
	struct percpu *p = this_cpu();
	const char *name = f->vector < X86_NR_VECTORS ? vector_names[f->vector] : NULL;

	/* A fault while reporting a fault: report nothing more. */
	if (p->panicking++)
		svsm_terminate(SVSM_TERM_SET_CSVSM, code);
	log_err("fatal: %s: vector %llu (%s), error code %#llx", what,
		(unsigned long long)f->vector, name ? name : "?",
		(unsigned long long)f->error_code);
	dump_registers(f);
	stack_trace_print(f->rip, f->rbp);
	fatal(code, "%s", what);
}

void exception_dispatch(struct trap_frame *f)
{
	switch (f->vector) {
	case X86_TRAP_VC:
		vc_handle(f);
		return;
	case X86_TRAP_DF:
		exception_fatal(f, TERM_DOUBLE_FAULT, "double fault");
	case X86_TRAP_PF:
		if (extable_fixup(f)) /* a guest-memory copy that faulted (arch/extable.h) */
			return;
		exception_fatal(f, TERM_PANIC, "unexpected exception");
	default:
		exception_fatal(f, TERM_PANIC, "unexpected exception");
	}
}
