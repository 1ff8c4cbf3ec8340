/*
 * Second and further VMPL1 vCPUs, started the way OVMF does it under an SVSM (facts §7
 * "CREATE_VCPU", §3 "AP creation"): build a VMSA, register it with CREATE_VCPU (calling area
 * at VMSA + 4 KiB), then ask the hypervisor to run it (AP creation NAE, VMPL 1).
 *
 * An AP runs one job: it registers its own GHCB, runs cpu->job(cpu), marks itself done and
 * parks in hlt until the BSP deletes it.
 */
#ifndef CSVSM_GUEST_VCPU_H
#define CSVSM_GUEST_VCPU_H

#include "lib/types.h"
#include "percpu.h"
#include "vmsa.h"

/* This vCPU's sev_features: SEV_STATUS >> 2 (facts §5). */
u64 guest_sev_features(void);

/* A runnable 64-bit VMPL1 state entering ap_start on vCPU index's stack, RDI = index. */
void vmsa_init_ap(struct vmsa *v, u32 index);

/* The VMSA page of AP index (1..MAX_CPUS-1) and its calling area right after it. */
u64 vcpu_vmsa_gpa(u32 index);
u64 vcpu_caa_gpa(u32 index);

/* Set up struct cpu and the VMSA of AP index with job, and CREATE_VCPU it; returns the SVSM
 * result (SVSM_SUCCESS when registered). */
u32 vcpu_create(u32 index, u32 apic_id, void (*job)(struct cpu *), u64 arg);
/* Ask the hypervisor to run the registered VMSA. 0 or a negative error. */
int vcpu_run(u32 index);
/* Wait (bounded) until AP index reaches state (or fails). */
bool vcpu_wait(u32 index, enum cpu_state state);
/* DELETE_VCPU of AP index's VMSA; returns the SVSM result. */
u32 vcpu_delete(u32 index);

#endif
