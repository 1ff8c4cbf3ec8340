/*
 * Per-vCPU state. Each vCPU's struct cpu sits at the bottom of its own STACK_SIZE-aligned
 * stack, so this_cpu() needs no MSR and works in every context, the #VC handler included
 * (exceptions run on the interrupted stack: no IST).
 */
#ifndef CSVSM_GUEST_PERCPU_H
#define CSVSM_GUEST_PERCPU_H

#include "layout.h"
#include "lib/types.h"
#include "sev/ghcb.h"
#include "tlib/x86.h"

struct svsm_caa;

enum cpu_state {
	CPU_OFF = 0,
	CPU_STARTED, /* the AP reached C and registered its GHCB */
	CPU_DONE,    /* the AP's job returned; it is parked in hlt */
	CPU_FAILED,  /* the AP could not register its GHCB */
};

struct cpu {
	u32 index; /* 0 = the BSP */
	u32 apic_id;
	struct ghcb *ghcb; /* mapped without the C-bit; VA == GPA */
	u64 ghcb_gpa;
	bool ghcb_registered;
	bool ghcb_busy;	      /* a GHCB request is being built or issued */
	struct svsm_caa *caa; /* current SVSM calling area; VA == GPA */
	u64 caa_gpa;

	/* AP work: set by the BSP before the AP starts; the AP runs job(cpu) once, then parks. */
	void (*job)(struct cpu *cpu);
	u64 job_arg;
	u32 state; /* enum cpu_state, written by the AP */
	u32 job_failures;
	u32 job_result;	 /* a result code the job reports back */
	u32 job_result2; /* and a second one */
};

_Static_assert(sizeof(struct cpu) < 512, "struct cpu eats into its stack");

static inline struct cpu *cpu_by_index(u32 index)
{
	return (struct cpu *)(uintptr_t)(STACK_BASE + (u64)index * STACK_SIZE);
}

static inline struct cpu *this_cpu(void)
{
	return (struct cpu *)(uintptr_t)(read_rsp() & ~(u64)(STACK_SIZE - 1));
}

static inline u64 cpu_stack_top(u32 index)
{
	return STACK_BASE + (u64)(index + 1) * STACK_SIZE;
}

#endif
