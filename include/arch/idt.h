/* SPDX-License-Identifier: MIT */
/* The IDT: one table shared by every vCPU, exception vectors only (interrupts stay off). */
#ifndef CSVSM_ARCH_IDT_H
#define CSVSM_ARCH_IDT_H

#include "lib/types.h"

/* Step 2 of svsm_main: fill the IDT from arch/entry.S's stubs and load it on the BSP. */
void idt_init(void);

/* Load the IDT on the calling vCPU. */
void idt_load(void);

/* Let @vector run on IST stack @ist (1..7) once a TSS with that stack is loaded. */
void idt_set_ist(unsigned int vector, unsigned int ist);

/* The IDT's base and limit, for an AP's VMSA. */
u64 idt_base(void);
u16 idt_limit(void);

#endif
