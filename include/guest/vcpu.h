/* SPDX-License-Identifier: MIT */
/*
 * The guest's VMPL1 vCPUs as the SVSM tracks them, behind one lock, the registry lock
 * (README.md "Lock order"):
 *
 * - per vCPU: the GPA of its VMPL1 VMSA (the boot VMSA, a copy in SVSM memory, for the BSP;
 *   one registered with CREATE_VCPU for an AP) and of its calling area;
 * - registered VMSAs and calling areas (guest/registry.h), which no claim may take
 *   (guest/claims.h).
 *
 * The operations behind the core protocol's vCPU calls are here; which call may use them,
 * and with which arguments, is the protocol's business (protocol/core.c). Errors are -errno,
 * or a positive RMPADJUST result (arch/insn.h) where that instruction failed.
 */
#ifndef CSVSM_GUEST_VCPU_H
#define CSVSM_GUEST_VCPU_H

#include "lib/types.h"
#include "sev/vmsa.h"

/* At launch, before any vCPU serves a call: state for percpu_count() vCPUs. */
void vcpu_init(void);

/* The BSP's VMPL1 state: @v is the boot VMSA (SVSM page, VMSA bit set, registered with the
 * host), @caa_gpa the firmware's calling area (validated). Then calls may be served. */
void vcpu_launch_boot(struct vmsa *v, u64 caa_gpa);

/* This vCPU's index; the index of the vCPU with APIC ID @apic_id, or -EINVAL; whether a
 * vCPU runs the boot VMSA. */
u32 vcpu_self(void);
int vcpu_of_apic(u32 apic_id);
bool vcpu_is_boot(u32 index);

/* This vCPU's page for page-list copies (PAGE_SIZE bytes; guest/claims.h). */
u64 *vcpu_entry_buffer(void);

/*
 * Make the page at @gpa this vCPU's calling area, [clear_off, clear_off + clear_len) zeroed
 * first. Its current calling area again: only the zeroing. -EFAULT (not guest RAM outside
 * SVSM memory, registered, not private and validated, the write faulted), -EBUSY.
 */
int vcpu_remap_caa(u64 gpa, u64 clear_off, u64 clear_len);

/* A new VMSA for a vCPU, in progress: vcpu_new_begin(), then vcpu_new_commit() or
 * vcpu_new_abort(). */
struct vcpu_new {
	u32 target;
	u64 vmsa_gpa, caa_gpa;
	u8 *vva, *cva;
	bool revoked;
};

/* The fields of a VMSA the caller checks before it may run. */
struct vcpu_new_fields {
	u8 vmpl;
	u64 efer, sev_features;
};

/*
 * Reserve a VMSA slot of vCPU @target (at most four VMSAs per vCPU: else -ENOSPC), claim both
 * pages (-EFAULT, -EBUSY), then take all VMPL1 access to the VMSA page and flush every TLB,
 * so that it cannot change under the caller's checks (-EFAULT: not private and validated;
 * another RMPADJUST failure: its result). Both GPAs are page aligned guest RAM. On failure
 * nothing is left to undo.
 */
int vcpu_new_begin(struct vcpu_new *n, u32 target, u64 vmsa_gpa, u64 caa_gpa);
/* The VMSA's fields as they are now: 0 or -EFAULT. */
int vcpu_new_read(const struct vcpu_new *n, struct vcpu_new_fields *f);
/* The boot VMPL1 VMSA's sev_features: a new VMSA must have the same. */
u64 vcpu_boot_features(void);
/*
 * The calling area proven private and validated (-EFAULT), the VMSA bit set with read access
 * for VMPL1 (-EFAULT, or the RMPADJUST result), both pages registered for the target. On
 * failure the call is undone as by vcpu_new_abort().
 */
int vcpu_new_commit(struct vcpu_new *n);
/* VMPL1 gets its access back, the claims and the slot go. */
void vcpu_new_abort(struct vcpu_new *n);

/*
 * Unregister the VMSA at @gpa (page aligned): its VMSA bit cleared, VMPL1 RWX again; the
 * calling area of the vCPU running it goes too. -EINVAL: not a registered VMSA; -ETXTBSY:
 * a vCPU is serving a call from it (EFER.SVME clear).
 */
int vcpu_delete(u64 gpa);

#endif
