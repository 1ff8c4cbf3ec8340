/*
 * x86 instruction wrappers of the test firmware. Like the SVSM's include/arch/ header, this is
 * the only file with inline asm (entry.asm and reset.asm hold the rest).
 *
 * Under SEV-ES/SNP rules, CPUID, IN/OUT and intercepted MSRs raise #VC (handled in vc.c);
 * RDMSR/WRMSR of the GHCB MSR and SEV_STATUS, CR and descriptor-table accesses do not.
 */
#ifndef CSVSM_GUEST_CPU_H
#define CSVSM_GUEST_CPU_H

#include "lib/types.h"

#define MSR_EFER 0xc0000080
#define EFER_SVME BIT_ULL(12)

struct desc_ptr {
	u16 limit;
	u64 base;
} __packed;

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr) : "memory");
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 val)
{
	__asm__ __volatile__("wrmsr" ::"c"(msr), "a"((u32)val), "d"((u32)(val >> 32)) : "memory");
}

/* VMGEXIT is "rep; vmmcall" (facts §1). Interrupts are always off in this firmware, so no
 * #VC or interrupt can change the GHCB MSR between the wrmsr and this instruction. */
static inline void vmgexit(void)
{
	__asm__ __volatile__("rep; vmmcall" ::: "memory");
}

static inline u64 read_cr0(void)
{
	u64 v;

	__asm__ __volatile__("mov %%cr0, %0" : "=r"(v));
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

/* Reloading CR3 flushes every non-global TLB entry of this vCPU. */
static inline void flush_tlb(void)
{
	__asm__ __volatile__("mov %%cr3, %%rax; mov %%rax, %%cr3" ::: "rax", "memory");
}

static inline u64 read_rsp(void)
{
	u64 v;

	__asm__ __volatile__("mov %%rsp, %0" : "=r"(v));
	return v;
}

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
	__asm__ __volatile__("lidt %0" ::"m"(*d));
}

static inline void cpu_relax(void)
{
	__builtin_ia32_pause();
}

static inline __noreturn void halt_forever(void)
{
	for (;;)
		__asm__ __volatile__("cli; hlt" ::: "memory");
}

/* Port I/O: each raises #VC, whose handler forwards it through the GHCB (IOIO NAE). */
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

/* String output: one #VC moves up to a GHCB shared buffer's worth of bytes. */
static inline void outsb(u16 port, const void *buf, size_t n)
{
	__asm__ __volatile__("rep outsb" : "+S"(buf), "+c"(n) : "d"(port) : "memory");
}

/* String input of 32-bit words (`rep insd`): one #VC per GHCB shared buffer's worth. */
static inline void insl(u16 port, u32 *buf, size_t n)
{
	__asm__ __volatile__("rep insl" : "+D"(buf), "+c"(n) : "d"(port) : "memory");
}

/*
 * RMPADJUST (F3 0F 01 FE; facts §4): RAX = the page's virtual address, RCX = page size
 * (0: 4 KiB, 1: 2 MiB), RDX = attributes (target VMPL [7:0], permissions [11:8]). At VMPL1 it
 * may change VMPL2's and VMPL3's permissions, never beyond VMPL1's own. Returns the result
 * code (0 success, 1 FAIL_INPUT, 2 FAIL_PERMISSION, 6 FAIL_SIZEMISMATCH).
 */
static inline u32 rmpadjust(u64 va, bool is_2m, u64 attrs)
{
	u64 rax = va;

	__asm__ __volatile__(".byte 0xf3, 0x0f, 0x01, 0xfe"
			     : "+a"(rax)
			     : "c"((u64)is_2m), "d"(attrs)
			     : "memory", "cc");
	return (u32)rax;
}

static inline void cpuid(u32 leaf, u32 subleaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ __volatile__("cpuid"
			     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			     : "a"(leaf), "c"(subleaf)
			     : "memory");
}

#endif
