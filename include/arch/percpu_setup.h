/* SPDX-License-Identifier: MIT */
/*
 * Setting up per-CPU data (arch/percpu.h holds the data and its accessors): the BSP's GDT,
 * TSS and #DF stack (step 6 of svsm_main), each AP's block, prepared by the BSP, and the
 * descriptor tables each vCPU loads for itself.
 */
#ifndef CSVSM_ARCH_PERCPU_SETUP_H
#define CSVSM_ARCH_PERCPU_SETUP_H

#include "arch/percpu.h"

/* Step 6 of svsm_main: the BSP's GDT, TSS (IST stack for #DF) and GS. */
void percpu_init_bsp(void);

/* Prepare an AP's per-CPU data on the BSP: stacks, GDT, TSS, GHCB page. -ENOMEM. */
int percpu_prepare_ap(struct percpu **out, unsigned int index, u32 apic_id);

/* On the vCPU itself: load its GDT, CS, TSS and the IDT. */
void percpu_load_descriptors(struct percpu *p);

#endif
