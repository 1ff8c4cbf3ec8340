/*
 * The guest's VMPL1 vCPUs as the SVSM tracks them, and the registry that protects their pages
 * (guest/registry.h), behind one lock, the registry lock (README.md "Lock order"):
 *
 * - per vCPU: the GPA of its VMPL1 VMSA (the boot VMSA, a copy in SVSM memory, for the BSP;
 *   one registered with CREATE_VCPU for an AP) and of its calling area;
 * - registered VMSAs and calling areas (guest/registry.h);
 * - per vCPU, the pages it works on during a call (its claims: a request page, a page being
 *   validated or rescinded, CREATE_VCPU's candidate VMSA and calling area). A page that is
 *   registered or claimed cannot become a VMSA, be rescinded, or be claimed by another vCPU
 *   until it is released, so nothing the SVSM checked can change under it. A claim is taken
 *   under the lock (checked against the registry and every vCPU's claims) and released by
 *   its owner alone, with one store.
 *
 * Functions returning u32 return SVSM result codes (protocol/svsm.h).
 */
#ifndef CSVSM_GUEST_VCPU_H
#define CSVSM_GUEST_VCPU_H

#include "guest/gmem.h"
#include "lib/types.h"
#include "protocol/svsm.h"
#include "sev/vmsa.h"

/* At launch, before any vCPU serves a call: state for percpu_count() vCPUs. */
void vcpu_init(void);

/* The BSP's VMPL1 state: @v is the boot VMSA (SVSM page, VMSA bit set, registered with the
 * host), @caa_gpa the firmware's calling area (validated). Then calls may be served. */
void vcpu_launch_boot(struct vmsa *v, u64 caa_gpa);

/* ---- The request loop's view of this vCPU's VMPL1 (protocol/loop.c) ---- */

struct vmpl1_ctx {
	struct vmsa *v; /* mapped VMSA, EFER.SVME cleared while the SVSM inspects it */
	u8 *caa;	/* mapped calling area */
	u64 vmsa_gpa;
	u64 efer; /* the value to restore (SVME set) */
};

/*
 * Take this vCPU's VMPL1 VMSA for inspection: EFER.SVME cleared with cmpxchg (facts §6), so
 * that DELETE_VCPU on another vCPU sees it in use, and its calling area claimed (CLAIM_CALL)
 * until vmpl1_end(): the SVSM writes call_pending (and a PVALIDATE request inside the calling
 * area its `next`) at the end of the call, so the page must not change owner before that, even
 * if the call or another vCPU's CREATE_VCPU takes it out of the registry meanwhile.
 * -ENOENT: this vCPU has no VMPL1 VMSA (yet, or any more); -EBUSY: its VMSA is not runnable
 * (EFER.SVME already clear). Only 0 needs a vmpl1_end().
 */
int vmpl1_begin(struct vmpl1_ctx *c);

/* 1 if a call is pending: guest_exit_code 0x403 (VMGEXIT) and call_pending 1; -1 for another
 * non-zero call_pending value (SPEC-T: INVALID_FORMAT); 0 otherwise. */
int vmpl1_call_pending(const struct vmpl1_ctx *c);

void vmpl1_get_call(const struct vmpl1_ctx *c, struct svsm_call *call);
/* Write the result registers (RAX, RCX, RDX, R8, R9) and clear call_pending. */
void vmpl1_finish_call(const struct vmpl1_ctx *c, const struct svsm_call *call);

/* EFER.SVME set again: the VMSA may run; the calling area's claim released. */
void vmpl1_end(const struct vmpl1_ctx *c);

/* Run VMPL1 on this vCPU (GHCB MSR protocol 0x016); returns when VMPL1 requests VMPL0.
 * 0, or -EIO if the host refused (the caller parks the vCPU; the very first run of the boot
 * VMSA terminates instead: 15, TERM_VMPL_RUN). */
int vmpl1_run(void);

/* ---- Guest pages a request names ---- */

/* What a vCPU can hold at once during a call. */
enum claim_slot {
	CLAIM_REQ,     /* a request page */
	CLAIM_ENTRIES, /* the pages a PVALIDATE request names (the vCPU's entry buffer) */
	CLAIM_AUX,     /* CREATE_VCPU's VMSA, DELETE_VCPU's VMSA, REMAP_CA's new calling area */
	CLAIM_AUX2,    /* CREATE_VCPU's calling area */
	CLAIM_CALL,    /* the calling area of the call being served (vmpl1_begin..vmpl1_end) */
	NR_CLAIMS,
};

/* One guest page opened for a request: claimed (unless it is the caller's own calling area,
 * which is registered already), mapped and proven private and validated. */
struct gpage {
	u64 gpa;
	u8 *va;
	enum gmem_slot slot;
	bool claimed;
};

/* SUCCESS, INVALID_ADDRESS (not guest RAM, SVSM memory, a VMSA, another vCPU's calling area,
 * not private and validated) or BUSY (another vCPU works on it). @gpa page aligned. */
u32 gpage_open(struct gpage *p, enum gmem_slot slot, u64 gpa);
/* Bounds-checked copies at @off inside the page: 0 or -EFAULT. */
int gpage_read(const struct gpage *p, u64 off, void *dst, u64 len);
int gpage_write(const struct gpage *p, u64 off, const void *src, u64 len);
void gpage_close(struct gpage *p);

/*
 * Claim the pages of the first @n decoded entries of this vCPU's entry buffer
 * (vcpu_entry_buffer(), checked with pvalidate_req_check_entries) for the PVALIDATE call
 * being served, in one go. Claims entries in order until one cannot be: *claimed is how
 * many were, the result is that entry's answer — INVALID_ADDRESS (not guest RAM outside
 * SVSM memory, a VMSA, a calling area, this vCPU's request page) or BUSY (another vCPU holds
 * it) — or SUCCESS if all were. Released with guest_release_entries().
 */
u32 guest_claim_entries(u32 n, u32 *claimed);
void guest_release_entries(void);

/* This vCPU's page for copies of PVALIDATE entries (PAGE_SIZE bytes). */
u64 *vcpu_entry_buffer(void);

/* ---- Core calls on vCPUs (facts §7) ---- */
u32 guest_remap_caa(u64 gpa);
u32 guest_vcpu_create(u64 vmsa_gpa, u64 caa_gpa, u32 apic_id);
u32 guest_vcpu_delete(u64 vmsa_gpa);

#endif
