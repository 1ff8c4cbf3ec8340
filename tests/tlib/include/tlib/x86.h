/*
 * x86 instruction wrappers of the freestanding test programs (tests/tlib/README.md): port I/O,
 * MSRs, CPUID, control and descriptor-table registers, VMGEXIT, pause and halt.
 *
 * In the SNP guests among them (probe, conformance payload, test firmware) CPUID, IN/OUT/INS/
 * OUTS and intercepted MSRs raise #VC, which the program's own handler emulates through its
 * GHCB; the L1 hypervisor runs them natively. Every wrapper is a compiler barrier ("memory"),
 * so that a #VC handler or the host sees the memory the program wrote before it.
 *
 * The SVSM's own wrappers (include/arch/insn.h) stay out of the test programs: that header
 * also holds the SVSM's SNP instructions and result codes, which the emulator and the
 * conformance payload model for themselves.
 */
#ifndef TLIB_X86_H
#define TLIB_X86_H

#define MSR_EFER 0xc0000080
#define MSR_APIC_BASE 0x1b

#ifndef __ASSEMBLER__

#include "lib/types.h"

/* ---- port I/O ---- */
static inline void outb(u16 port, u8 v)
{
	__asm__ __volatile__("outb %0, %1" ::"a"(v), "Nd"(port) : "memory");
}

static inline void outw(u16 port, u16 v)
{
	__asm__ __volatile__("outw %0, %1" ::"a"(v), "Nd"(port) : "memory");
}

static inline void outl(u16 port, u32 v)
{
	__asm__ __volatile__("outl %0, %1" ::"a"(v), "Nd"(port) : "memory");
}

static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}

static inline u16 inw(u16 port)
{
	u16 v;

	__asm__ __volatile__("inw %1, %0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}

static inline u32 inl(u16 port)
{
	u32 v;

	__asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}

/* String forms: in an SNP guest one #VC moves up to a GHCB shared buffer's worth. */
static inline void outsb(u16 port, const void *buf, size_t n)
{
	__asm__ __volatile__("rep outsb" : "+S"(buf), "+c"(n) : "d"(port) : "memory");
}

static inline void insb(u16 port, void *buf, size_t n)
{
	__asm__ __volatile__("rep insb" : "+D"(buf), "+c"(n) : "d"(port) : "memory");
}

static inline void insl(u16 port, u32 *buf, size_t n)
{
	__asm__ __volatile__("rep insl" : "+D"(buf), "+c"(n) : "d"(port) : "memory");
}

/* ---- MSRs, CPUID, TSC ---- */
static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr) : "memory");
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ __volatile__("wrmsr" ::"c"(msr), "a"((u32)v), "d"((u32)(v >> 32)) : "memory");
}

/* r[] = EAX, EBX, ECX, EDX of leaf @leaf, subleaf @sub. */
static inline void cpuid(u32 leaf, u32 sub, u32 r[4])
{
	__asm__ __volatile__("cpuid"
			     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			     : "a"(leaf), "c"(sub)
			     : "memory");
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

/* VMGEXIT = REP VMMCALL (F3 0F 01 D9; facts §1), spelled as bytes for any assembler. */
static inline void vmgexit(void)
{
	__asm__ __volatile__(".byte 0xf3, 0x0f, 0x01, 0xd9" ::: "memory");
}

/* ---- control registers, stack, TLB ---- */
static inline u64 read_cr0(void)
{
	u64 v;

	__asm__ __volatile__("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline u64 read_cr2(void)
{
	u64 v;

	__asm__ __volatile__("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline u64 read_cr3(void)
{
	u64 v;

	__asm__ __volatile__("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline u64 read_cr4(void)
{
	u64 v;

	__asm__ __volatile__("mov %%cr4, %0" : "=r"(v));
	return v;
}

/* Loading CR3 also flushes every non-global TLB entry of this CPU. */
static inline void write_cr3(u64 v)
{
	__asm__ __volatile__("mov %0, %%cr3" ::"r"(v) : "memory");
}

static inline void flush_tlb(void)
{
	write_cr3(read_cr3());
}

static inline u16 read_cs(void)
{
	u16 v;

	__asm__ __volatile__("mov %%cs, %0" : "=r"(v));
	return v;
}

static inline u64 read_rsp(void)
{
	u64 v;

	__asm__ __volatile__("mov %%rsp, %0" : "=r"(v));
	return v;
}

/* ---- descriptor tables ---- */
struct desc_ptr {
	u16 limit;
	u64 base;
} __packed;

static inline void store_gdt(struct desc_ptr *d)
{
	__asm__ __volatile__("sgdt %0" : "=m"(*d));
}

static inline void store_idt(struct desc_ptr *d)
{
	__asm__ __volatile__("sidt %0" : "=m"(*d));
}

static inline void load_idt(const struct desc_ptr *d)
{
	__asm__ __volatile__("lidt %0" ::"m"(*d) : "memory");
}

/* ---- waiting ---- */
static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

static inline __noreturn void halt_forever(void)
{
	for (;;)
		__asm__ __volatile__("cli; hlt" ::: "memory");
}

#endif /* !__ASSEMBLER__ */
#endif
