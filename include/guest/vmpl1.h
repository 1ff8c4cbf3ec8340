/* SPDX-License-Identifier: MIT */
/*
 * This vCPU's VMPL1 as the request loop sees it: its VMSA taken for inspection, the
 * registers a call reads and writes, its calling area, and the run-VMPL request that hands
 * the vCPU back to VMPL1.
 */
#ifndef CSVSM_GUEST_VMPL1_H
#define CSVSM_GUEST_VMPL1_H

#include "lib/types.h"
#include "sev/vmsa.h"

struct vmpl1_ctx {
	struct vmsa *v; /* mapped VMSA, EFER.SVME cleared while the SVSM inspects it */
	u8 *caa;	/* mapped calling area */
	u64 vmsa_gpa;
	u64 efer; /* the value to restore (SVME set) */
};

/* The registers a call passes and gets back. */
struct vmpl1_regs {
	u64 rax, rcx, rdx, r8, r9;
};

/*
 * Take this vCPU's VMPL1 VMSA for inspection: EFER.SVME cleared with cmpxchg (the runnable
 * flag, SVSM spec #58019; [L]), so that DELETE_VCPU on another vCPU sees it in use, and its calling
 * area claimed (CLAIM_CALL) until vmpl1_end(): the SVSM writes the calling area (and a request
 * inside it) at the end of the call, so the page must not change owner before that, even if the
 * call or another vCPU's CREATE_VCPU takes it out of the registry meanwhile. -ENOENT: this vCPU has
 * no VMPL1 VMSA (yet, or any more); -EBUSY: its VMSA is not runnable (EFER.SVME already clear).
 * Only 0 needs a vmpl1_end().
 */
int vmpl1_begin(struct vmpl1_ctx *c);

/* Did VMPL1 leave with a VMGEXIT (guest_exit_code 0x403)? */
bool vmpl1_vmgexit(const struct vmpl1_ctx *c);

/* Copies at @off in the calling area: 0 or -EFAULT (the guest broke the page). */
int vmpl1_caa_read(const struct vmpl1_ctx *c, u64 off, void *dst, u64 len);
int vmpl1_caa_write(const struct vmpl1_ctx *c, u64 off, const void *src, u64 len);

void vmpl1_get_regs(const struct vmpl1_ctx *c, struct vmpl1_regs *r);
void vmpl1_set_regs(const struct vmpl1_ctx *c, const struct vmpl1_regs *r);

/* EFER.SVME set again: the VMSA may run; the calling area's claim released. */
void vmpl1_end(const struct vmpl1_ctx *c);

/* Run VMPL1 on this vCPU (GHCB MSR protocol 0x016); returns when VMPL1 requests VMPL0.
 * 0, or -EIO if the host refused (the caller parks the vCPU; the very first run of the boot
 * VMSA terminates instead: 15, TERM_VMPL_RUN). */
int vmpl1_run(void);

#endif
