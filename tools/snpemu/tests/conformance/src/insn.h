/*
 * The instructions the conformance payload runs under its exception probe, and its SNP MSRs.
 * The plain instruction wrappers are the test programs' shared ones (tlib/x86.h).
 *
 * Instructions under test run "under probe": the exception handler, seeing the probe armed,
 * records the vector, error code and RIP and resumes after the instruction instead of handling
 * the exception. That is how the payload checks which #VC an instruction raises (and that an
 * SNP instruction raises none) without dying when the emulator gets it wrong.
 */
#ifndef CONF_INSN_H
#define CONF_INSN_H

#include "conf.h"
#include "tlib/x86.h"

#define MSR_GHCB 0xc0010130	  /* facts §1 */
#define MSR_SEV_STATUS 0xc0010131 /* facts §5 */

/* Outcome of one instruction run under probe. */
struct insn_result {
	u64 rax;      /* EAX of PVALIDATE/RMPADJUST; the value of a read */
	bool cf;      /* carry flag after the instruction (PVALIDATE "unchanged") */
	int vector;   /* exception raised, -1 for none */
	u64 error;    /* its error code (#VC: the exit code) */
	bool at_insn; /* the exception's RIP is the instruction itself */
};

/*
 * Arm the probe (resume address = label 1), note the instruction address (label 2), run the
 * instruction, capture CF and disarm. No code of the compiler's can run in between.
 */
#define PROBE_BEGIN                 \
	"leaq 1f(%%rip), %%r11\n\t" \
	"movq %%r11, %[resume]\n\t" \
	"leaq 2f(%%rip), %[insn]\n" \
	"2:\t"
#define PROBE_END              \
	"\n1:\tsetc %[cf]\n\t" \
	"movq $0, %[resume]\n\t"
#define PROBE_OUTPUTS(c, insn, cf) \
	[resume] "+m"((c)->probe.resume), [insn] "=&r"(insn), [cf] "=q"(cf)

static inline void probe_arm(struct cpu *c)
{
	c->probe.vector = -1;
	c->probe.error = 0;
	c->probe.rip = 0;
}

static inline struct insn_result probe_result(struct cpu *c, u64 rax, u8 cf, u64 insn)
{
	struct insn_result r;

	barrier();
	r.rax = rax;
	r.cf = cf;
	r.vector = READ_ONCE(c->probe.vector);
	r.error = READ_ONCE(c->probe.error);
	r.at_insn = r.vector >= 0 && READ_ONCE(c->probe.rip) == insn;
	return r;
}

/* PVALIDATE (F2 0F 01 FF; facts §4): RAX = VA, ECX = size (1 = 2M), EDX = 1 validate. */
static inline struct insn_result pvalidate(u64 va, bool is_2m, bool validate)
{
	struct cpu *c = this_cpu();
	u64 rax = va, insn;
	u8 cf;

	probe_arm(c);
	__asm__ volatile(PROBE_BEGIN ".byte 0xf2, 0x0f, 0x01, 0xff" PROBE_END
			 : PROBE_OUTPUTS(c, insn, cf), "+a"(rax)
			 : "c"((u64)is_2m), "d"((u64)validate)
			 : "r11", "memory", "cc");
	return probe_result(c, (u32)rax, cf, insn);
}

/* RMPADJUST (F3 0F 01 FE; facts §4): RAX = VA, RCX = size, RDX = attributes. */
static inline struct insn_result rmpadjust(u64 va, bool is_2m, u64 attrs)
{
	struct cpu *c = this_cpu();
	u64 rax = va, insn;
	u8 cf;

	probe_arm(c);
	__asm__ volatile(PROBE_BEGIN ".byte 0xf3, 0x0f, 0x01, 0xfe" PROBE_END
			 : PROBE_OUTPUTS(c, insn, cf), "+a"(rax)
			 : "c"((u64)is_2m), "d"(attrs)
			 : "r11", "memory", "cc");
	return probe_result(c, (u32)rax, cf, insn);
}

static inline struct insn_result probe_read64(u64 va)
{
	struct cpu *c = this_cpu();
	u64 v = 0, insn;
	u8 cf;

	probe_arm(c);
	__asm__ volatile(PROBE_BEGIN "movq (%[p]), %[v]" PROBE_END
			 : PROBE_OUTPUTS(c, insn, cf), [v] "+r"(v)
			 : [p] "r"(va)
			 : "r11", "memory", "cc");
	return probe_result(c, v, cf, insn);
}

static inline struct insn_result probe_write64(u64 va, u64 v)
{
	struct cpu *c = this_cpu();
	u64 insn;
	u8 cf;

	probe_arm(c);
	__asm__ volatile(PROBE_BEGIN "movq %[v], (%[p])" PROBE_END
			 : PROBE_OUTPUTS(c, insn, cf)
			 : [p] "r"(va), [v] "r"(v)
			 : "r11", "memory", "cc");
	return probe_result(c, 0, cf, insn);
}

static inline struct insn_result probe_cpuid(u32 leaf)
{
	struct cpu *c = this_cpu();
	u64 a = leaf, b = 0, cx = 0, d = 0, insn;
	u8 cf;

	probe_arm(c);
	__asm__ volatile(PROBE_BEGIN "cpuid" PROBE_END
			 : PROBE_OUTPUTS(c, insn, cf), "+a"(a), "+b"(b), "+c"(cx), "+d"(d)
			 :
			 : "r11", "memory", "cc");
	return probe_result(c, a, cf, insn);
}

static inline struct insn_result probe_inb(u16 port)
{
	struct cpu *c = this_cpu();
	u64 v = 0, insn;
	u8 cf;

	probe_arm(c);
	__asm__ volatile(PROBE_BEGIN "inb %%dx, %%al" PROBE_END
			 : PROBE_OUTPUTS(c, insn, cf), "+a"(v)
			 : "d"(port)
			 : "r11", "memory", "cc");
	return probe_result(c, v, cf, insn);
}

static inline struct insn_result probe_outb(u16 port, u8 v)
{
	struct cpu *c = this_cpu();
	u64 insn;
	u8 cf;

	probe_arm(c);
	__asm__ volatile(PROBE_BEGIN "outb %%al, %%dx" PROBE_END
			 : PROBE_OUTPUTS(c, insn, cf)
			 : "a"(v), "d"(port)
			 : "r11", "memory", "cc");
	return probe_result(c, 0, cf, insn);
}

static inline struct insn_result probe_rdmsr(u32 msr)
{
	struct cpu *c = this_cpu();
	u64 lo = 0, hi = 0, insn;
	u8 cf;

	probe_arm(c);
	__asm__ volatile(PROBE_BEGIN "rdmsr" PROBE_END
			 : PROBE_OUTPUTS(c, insn, cf), "+a"(lo), "+d"(hi)
			 : "c"(msr)
			 : "r11", "memory", "cc");
	return probe_result(c, (hi << 32) | (u32)lo, cf, insn);
}

static inline struct insn_result probe_wrmsr(u32 msr, u64 v)
{
	struct cpu *c = this_cpu();
	u64 insn;
	u8 cf;

	probe_arm(c);
	__asm__ volatile(PROBE_BEGIN "wrmsr" PROBE_END
			 : PROBE_OUTPUTS(c, insn, cf)
			 : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32))
			 : "r11", "memory", "cc");
	return probe_result(c, 0, cf, insn);
}

/* VMMCALL without the F3 prefix: a plain hypercall, not a VMGEXIT (facts §3: #VC 0x81). */
static inline struct insn_result probe_vmmcall(void)
{
	struct cpu *c = this_cpu();
	u64 rax = 0, insn;
	u8 cf;

	probe_arm(c);
	__asm__ volatile(PROBE_BEGIN ".byte 0x0f, 0x01, 0xd9" PROBE_END
			 : PROBE_OUTPUTS(c, insn, cf), "+a"(rax)
			 :
			 : "r11", "rcx", "rdx", "memory", "cc");
	return probe_result(c, rax, cf, insn);
}

/*
 * INVLPGB of every address (RAX: no VA, no PCID, global entries too: bit 3) and TLBSYNC, which
 * waits for this vCPU's INVLPGBs to complete everywhere (AMD APM vol 3, INVLPGB, TLBSYNC).
 */
static inline void invlpgb_all(void)
{
	__asm__ volatile(".byte 0x0f, 0x01, 0xfe" : : "a"(8ULL), "c"(0ULL), "d"(0ULL) : "memory");
}

static inline void tlbsync(void)
{
	__asm__ volatile(".byte 0x0f, 0x01, 0xff" : : : "memory");
}

/* The plain instructions (a #VC they raise is emulated by the handler) are tlib/x86.h's. */

#endif
