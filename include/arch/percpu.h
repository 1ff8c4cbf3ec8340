/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU data, reached through GS: GS_BASE (MSR 0xc0000101) holds the address of this
 * vCPU's struct percpu, whose first field points at itself. The BSP's is static (start.S
 * sets GS before any C runs, so this_cpu() works from the first line of svsm_main); each
 * AP's is allocated by the BSP (arch/smp.c) and reaches the AP through its VMSA's GS base.
 */
#ifndef CSVSM_ARCH_PERCPU_H
#define CSVSM_ARCH_PERCPU_H

#include "arch/gdt.h"
#include "arch/insn.h"
#include "arch/layout.h"
#include "lib/types.h"

struct ghcb;

struct percpu {
	struct percpu *self; /* %gs:0 */
	u32 index;	     /* 0 = BSP; the number printed as [cpuN] */
	u32 apic_id;

	/* This vCPU's GHCB (shared page, registered on this vCPU) and its nesting state. */
	struct ghcb *ghcb;
	u64 ghcb_gpa;
	struct ghcb *ghcb_backup; /* private page: the GHCB's contents while a #VC borrows it */
	u32 ghcb_depth;		  /* 0 free, 1 in use, 2 borrowed by a nested #VC */
	u32 ghcb_registered;	  /* the hypervisor echoed this vCPU's registration */

	u32 panicking; /* set on the first fatal exception: a second one terminates at once */

	/* Stack bounds, for range-checked stack traces. */
	u64 stack_lo, stack_hi;
	u64 ist_lo, ist_hi;

	void *vmsa; /* APs: the VMPL0 VMSA the BSP built (arch/smp.c) */
	u32 ready;  /* set by the vCPU itself once its setup is done */

	u64 gdt[GDT_ENTRIES] __aligned(16);
	struct tss tss __aligned(16);
};

extern struct percpu bsp_percpu;

static inline struct percpu *this_cpu(void)
{
	return (struct percpu *)(uintptr_t)gs_read_u64(offsetof(struct percpu, self));
}

/* The number of vCPUs set up so far and their per-CPU data, by index. */
unsigned int percpu_count(void);
struct percpu *percpu_get(unsigned int index);

/* Append an AP's block (its index the next one). -EINVAL if that is not its index or the
 * table is full. */
int percpu_add(struct percpu *p);

#endif
