// SPDX-License-Identifier: MIT
/*
 * The IDT (APM vol. 2, 8.9.1: 16-byte 64-bit interrupt gates). Built once by the BSP and
 * shared: gates never change after idt_init except for the #DF IST index, set when the
 * BSP's TSS exists (before that a #DF would find no usable IST stack).
 */
#include "arch/idt.h"
#include "arch/exception.h"
#include "arch/insn.h"
#include "arch/layout.h"
#include "arch/x86.h"

struct idt_gate {
	u16 offset_lo;
	u16 selector;
	u8 ist;
	u8 type_attr;
	u16 offset_mid;
	u32 offset_hi;
	u32 reserved;
} __packed;

_Static_assert(sizeof(struct idt_gate) == 16, "64-bit IDT gate");

#define GATE_INTERRUPT_PRESENT 0x8e /* P, DPL 0, 64-bit interrupt gate (clears IF) */

static struct idt_gate idt[X86_NR_VECTORS] __aligned(16);

static void idt_set_gate(unsigned int vector, u64 handler)
{
	struct idt_gate *g = &idt[vector];

	g->offset_lo = (u16)handler;
	g->selector = GDT_SEL_CODE;
	g->ist = 0;
	g->type_attr = GATE_INTERRUPT_PRESENT;
	g->offset_mid = (u16)(handler >> 16);
	g->offset_hi = (u32)(handler >> 32);
	g->reserved = 0;
}

void idt_load(void)
{
	struct desc_ptr d = { .limit = idt_limit(), .base = idt_base() };

	lidt(&d);
}

void idt_init(void)
{
	unsigned int v;

	for (v = 0; v < X86_NR_VECTORS; v++) {
		if (exception_entries[v])
			idt_set_gate(v, exception_entries[v]);
	}
	idt_load();
}

void idt_set_ist(unsigned int vector, unsigned int ist)
{
	idt[vector].ist = (u8)(ist & 7);
}

u64 idt_base(void)
{
	return (u64)(uintptr_t)idt;
}

u16 idt_limit(void)
{
	return sizeof(idt) - 1;
}
