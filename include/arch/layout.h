/* SPDX-License-Identifier: MIT */
/*
 * svsm.bin's memory map (README.md "Memory map"). SVSM_GPA, SVSM_MEM, SVSM_GVA and SVSM_CBIT
 * come from the build (build/svsm/config.h). All of SVSM memory is mapped at one offset:
 *
 *   VA = PA - SVSM_GPA + SVSM_GVA,   for PA in [SVSM_GPA, SVSM_GPA + SVSM_MEM)
 *
 *   SVSM_GPA  +0           image: .text | .rodata | .data + .bss | footer (launch-measured)
 *             file end↑    secrets page, CPUID page, BIOS VMSA page (launcher-filled, private)
 *             ...          shared pool: the rest of the first 2 MiB, hypervisor-owned
 *                          (per-vCPU GHCBs, the APIC ID list page; never PSC'd or validated)
 *             +2 MiB       dynamic memory: made private and validated by mem_init, then
 *                          the page allocator's (page tables, stacks, per-CPU data, VMSAs)
 *             +SVSM_MEM
 *
 * This header is shared by linker.ld, start.S and C.
 */
#ifndef CSVSM_ARCH_LAYOUT_H
#define CSVSM_ARCH_LAYOUT_H

#define SVSM_IMAGE_MAX 0x80000	 /* 512 KiB: also checked by the build */
#define SVSM_DYN_OFFSET 0x200000 /* dynamic memory starts at the second 2 MiB page */
#define SVSM_MEM_MIN 0x400000	 /* image region + at least one 2 MiB page of dynamic memory */
#define SVSM_MEM_MAX 0x40000000	 /* one page directory of 2 MiB mappings in the early tables */

/* GDT layout, the same in the boot GDT (README "SVSM INFO") and in every per-CPU GDT. */
#define GDT_SEL_CODE 0x08
#define GDT_SEL_TSS 0x10 /* 16-byte system descriptor: entries 2 and 3 */
#define GDT_ENTRIES 4
#define GDT_CODE64_DESC 0x00af9a000000ffff /* 64-bit code, DPL 0, present, readable */
#define BOOT_GDT_LIMIT 15		   /* null + code */

/* Stacks: every stack has an unmapped guard page below it (mm/paging). */
#define BOOT_STACK_SIZE 0x4000 /* the BSP's main stack, in .bss */
#define CPU_STACK_SIZE 0x4000  /* each AP's main stack, from the page allocator */
#define IST_STACK_SIZE 0x1000  /* each vCPU's #DF stack */

#define SVSM_MAX_CPUS 256 /* = FW_CFG_MAX_CPUS */

#ifndef __ASSEMBLY__

#include "lib/types.h"

/* Linker-script symbols (linker.ld). Declared as arrays: only their addresses matter. */
extern char __image_start[], __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __bss_start[], __bss_end[], __data_end[], __footer_start[];
extern char __file_end[], __secrets_page[], __cpuid_page[], __bios_vmsa_page[];
extern char __image_pages_end[];

static inline u64 svsm_va_to_pa(const void *va)
{
	return (u64)(uintptr_t)va - SVSM_GVA + SVSM_GPA;
}

static inline void *svsm_pa_to_va(u64 pa)
{
	return (void *)(uintptr_t)(pa - SVSM_GPA + SVSM_GVA);
}

/* True if [va, va + len) lies inside SVSM memory (len > 0, no wrap-around). */
static inline bool svsm_va_range_ok(u64 va, u64 len)
{
	u64 end;

	if (len == 0 || check_add_overflow(va, len, &end))
		return false;
	return va >= SVSM_GVA && end <= SVSM_GVA + SVSM_MEM;
}

static inline bool svsm_in_text(u64 va, u64 len)
{
	u64 end;

	if (check_add_overflow(va, len, &end))
		return false;
	return va >= (u64)(uintptr_t)__text_start && end <= (u64)(uintptr_t)__text_end;
}

#endif /* __ASSEMBLY__ */

#endif
