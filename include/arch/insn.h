/* SPDX-License-Identifier: MIT */
/*
 * The hardware boundary: every privileged or SEV-SNP instruction svsm.bin executes from C is
 * one of the static inline wrappers below, and so is every other instruction C cannot express
 * (rep stosq). No other C file contains inline asm (docs/design.md section 3).
 *
 * Encodings come from AMD APM vol 3 #24594 (VMGEXIT, PVALIDATE, RMPADJUST, INVLPGB, TLBSYNC); they
 * are spelled as bytes so that the assembler's knowledge of SNP mnemonics does not matter.
 */
#ifndef CSVSM_ARCH_INSN_H
#define CSVSM_ARCH_INSN_H

#include "lib/types.h"

/* ---- MSRs ---- */

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr) : "memory");
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 val)
{
	__asm__ __volatile__("wrmsr" : : "c"(msr), "a"((u32)val), "d"((u32)(val >> 32)) : "memory");
}

/* ---- SEV-SNP ---- */

/* VMGEXIT = rep; vmmcall (F3 0F 01 D9). The hypervisor may have changed any shared memory. */
static inline void vmgexit(void)
{
	__asm__ __volatile__(".byte 0xf3, 0x0f, 0x01, 0xd9" : : : "memory");
}

#define PVALIDATE_OK 0
#define PVALIDATE_FAIL_INPUT 1
#define PVALIDATE_FAIL_SIZEMISMATCH 6

/*
 * PVALIDATE (F2 0F 01 FF): rax = virtual address, ecx = size (0 4 KiB, 1 2 MiB), edx = 1
 * validate / 0 rescind. Returns eax; *unchanged = CF, captured by the asm itself (CF = 1
 * means the RMP entry already was in the requested state: nothing was done).
 */
static inline int pvalidate(u64 va, bool size_2m, bool validate, bool *unchanged)
{
	int rc;
	bool cf;

	__asm__ __volatile__(".byte 0xf2, 0x0f, 0x01, 0xff"
			     : "=a"(rc), "=@ccc"(cf)
			     : "a"(va), "c"((u32)size_2m), "d"((u32)validate)
			     : "memory");
	*unchanged = cf;
	return rc;
}

#define RMPADJUST_OK 0
#define RMPADJUST_FAIL_INPUT 1
#define RMPADJUST_FAIL_PERMISSION 2
#define RMPADJUST_FAIL_SIZEMISMATCH 6

/* RMPADJUST attributes (AMD APM vol 3 #24594, RMPADJUST): target VMPL in [7:0], permissions, VMSA
 * bit. */
#define RMP_ATTR_READ BIT_ULL(8)
#define RMP_ATTR_WRITE BIT_ULL(9)
#define RMP_ATTR_UEXEC BIT_ULL(10)
#define RMP_ATTR_SEXEC BIT_ULL(11)
#define RMP_ATTR_VMSA BIT_ULL(16)

/* RMPADJUST (F3 0F 01 FE): rax = virtual address, rcx = size, rdx = attributes. Returns eax. */
static inline int rmpadjust(u64 va, bool size_2m, u64 attrs)
{
	int rc;

	__asm__ __volatile__(".byte 0xf3, 0x0f, 0x01, 0xfe"
			     : "=a"(rc)
			     : "a"(va), "c"((u64)size_2m), "d"(attrs)
			     : "memory");
	return rc;
}

/*
 * INVLPGB (0F 01 FE) of the whole ASID including global entries (rax bit 3), then TLBSYNC
 * (0F 01 FF): used after reducing a lower VMPL's permissions on pages whose guest virtual
 * addresses the SVSM does not know (AMD APM vol 3 #24594, INVLPGB and TLBSYNC).
 */
static inline void invlpgb_all(void)
{
	__asm__ __volatile__(".byte 0x0f, 0x01, 0xfe"
			     :
			     : "a"(8ULL), "c"(0ULL), "d"(0ULL)
			     : "memory");
}

static inline void tlbsync(void)
{
	__asm__ __volatile__(".byte 0x0f, 0x01, 0xff" : : : "memory");
}

/* ---- Control registers and TLB ---- */

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

/* Loading CR3 also flushes every non-global TLB entry (csvsm maps nothing global). */
static inline void write_cr3(u64 v)
{
	__asm__ __volatile__("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline void flush_tlb_all(void)
{
	write_cr3(read_cr3());
}

static inline void invlpg(u64 va)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
}

/* ---- Descriptor tables ---- */

struct desc_ptr {
	u16 limit;
	u64 base;
} __packed;

static inline void lgdt(const struct desc_ptr *d)
{
	__asm__ __volatile__("lgdt %0" : : "m"(*d) : "memory");
}

static inline void lidt(const struct desc_ptr *d)
{
	__asm__ __volatile__("lidt %0" : : "m"(*d) : "memory");
}

static inline void ltr(u16 sel)
{
	__asm__ __volatile__("ltr %0" : : "r"(sel) : "memory");
}

/* Reload CS with @sel (a far return to the next instruction), after loading a new GDT. */
static inline void load_cs(u16 sel)
{
	__asm__ __volatile__("pushq %q0\n\t"
			     "leaq 1f(%%rip), %%rax\n\t"
			     "pushq %%rax\n\t"
			     "lretq\n"
			     "1:"
			     :
			     : "r"((u64)sel)
			     : "rax", "memory");
}

/* ---- Per-CPU base ---- */

/* The qword at %gs:@off (per-CPU data; GS_BASE points at this vCPU's struct percpu). */
static inline u64 gs_read_u64(unsigned long off)
{
	u64 v;

	__asm__ __volatile__("movq %%gs:(%1), %0" : "=r"(v) : "r"(off));
	return v;
}

/* ---- Bulk stores ---- */

/* rep stosq: @count qwords of @val at @dst (DF is always clear in the SVSM). The fastest way
 * to fill memory without vector registers, which the SVSM does not use. */
static inline void rep_stosq(void *dst, u64 val, size_t count)
{
	__asm__ __volatile__("rep stosq" : "+D"(dst), "+c"(count) : "a"(val) : "memory");
}

/* ---- Processor state ---- */

static inline void cpu_relax(void)
{
	__builtin_ia32_pause();
}

/* Interrupts stay disabled in VMPL0: hlt only returns for NMI/INIT-class events. */
static inline void hlt(void)
{
	__asm__ __volatile__("hlt" : : : "memory");
}

static inline u64 read_rflags(void)
{
	u64 v;

	__asm__ __volatile__("pushfq\n\tpopq %0" : "=r"(v));
	return v;
}

#endif
