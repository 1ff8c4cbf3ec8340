/* SPDX-License-Identifier: MIT */
/*
 * GDT and TSS (64-bit). Every vCPU has its own GDT (arch/percpu) with the same layout as
 * the boot GDT (arch/layout.h): null, 64-bit code, then its TSS descriptor.
 */
#ifndef CSVSM_ARCH_GDT_H
#define CSVSM_ARCH_GDT_H

#include "arch/layout.h"
#include "lib/types.h"

/* The 64-bit TSS (APM vol. 2, 12.2.5): only the IST pointers are used. */
struct tss {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __packed;

_Static_assert(sizeof(struct tss) == 104, "64-bit TSS");

#define TSS_LIMIT (sizeof(struct tss) - 1)
#define TSS_TYPE_AVAILABLE 0x9

/* IST slot numbers (1-based, as in the IDT gate). */
#define IST_DF 1

/* Fill @gdt (GDT_ENTRIES qwords): null, code, the 16-byte descriptor of @tss. */
void gdt_build(u64 *gdt, const struct tss *tss);

#endif
