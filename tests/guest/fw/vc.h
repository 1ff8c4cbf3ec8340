/*
 * Exceptions and the #VC handler. Under SEV-ES rules CPUID, IN/OUT and intercepted MSR
 * accesses raise #VC (vector 29) with the exit code as error code; the handler emulates them
 * through the GHCB. A #VC 0x404 (access to a private page that is not validated) is expected
 * only inside a probe (probe_read/probe_write): the probe returns the fault as a value. Any
 * other exception is fatal: it is printed and the guest reports failure.
 */
#ifndef CSVSM_GUEST_VC_H
#define CSVSM_GUEST_VC_H

#include "layout.h"
#include "lib/types.h"
#include "sev/cpuid.h"

#define X86_TRAP_PF 14
#define X86_TRAP_VC 29

/* Saved by entry.asm's isr_common, lowest address first. */
struct regs {
	u64 rax, rbx, rcx, rdx, rsi, rdi, rbp;
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u64 vector, error_code;
	u64 rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

/* MSR the guest's #VC handler emulates: the current calling area's GPA (facts §7). */
#define MSR_SVSM_CAA 0xc001f000

/*
 * The SNP CPUID page the SVSM filled for us (ASEV section type 3; facts §7 "SNP CPUID
 * table"). The #VC handler answers CPUID from it with the SVSM's pure lookup (src/sev/cpuid.c),
 * as an SNP guest must: the hypervisor's answers are not trusted.
 */
static inline const struct snp_cpuid_table *cpuid_page(void)
{
	return (const struct snp_cpuid_table *)(uintptr_t)CPUID_PAGE_GPA;
}

/* Fill the IDT and load it on this vCPU (APs inherit it through their VMSA). */
void idt_init(void);

void exception_dispatch(struct regs *r);

/* A probe's result: 0, or the fault as (vector << 32) | error code. */
#define PROBE_FAULT(vector, error) (((u64)(vector) << 32) | (u32)(error))
#define PROBE_NOT_VALIDATED PROBE_FAULT(X86_TRAP_VC, 0x404)

u64 probe_read(const volatile u64 *p, u64 *val);
u64 probe_write(volatile u64 *p, u64 val);

#endif
