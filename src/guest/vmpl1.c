// SPDX-License-Identifier: MIT
/* This vCPU's VMPL1 for the request loop (include/guest/vmpl1.h). */
#include "guest/vmpl1.h"
#include "arch/insn.h"
#include "guest/claims.h"
#include "guest/gmem.h"
#include "guest/vmpl.h"
#include "guest/vmsa_check.h"
#include "internal.h"
#include "lib/errno.h"
#include "lib/log.h"
#include "sev/ghcb.h"
#include "sev/ghcb_msr.h"
#include "sev/terminate.h"

#define VMGEXIT_EXIT_CODE \
	0x403 /* guest_exit_code after a VMGEXIT (SVM_EXIT_VMGEXIT, Linux uapi/asm/svm.h) */

int vmpl1_begin(struct vmpl1_ctx *c)
{
	struct vcpu_state *s;
	struct vmsa *v;
	u64 old;
	bool ok;

	if (!__atomic_load_n(&launched, __ATOMIC_ACQUIRE))
		return -ENOENT;
	s = &vcpus[self()];
	spin_lock(&reg.lock);
	if (!s->vmsa_gpa) {
		spin_unlock(&reg.lock);
		return -ENOENT;
	}
	if (s->boot) {
		v = boot_vmsa;
	} else {
		if (s->mapped_vmsa != s->vmsa_gpa) {
			s->vmsa = gmem_map(GMEM_SLOT_VMSA, s->vmsa_gpa, true);
			s->mapped_vmsa = s->vmsa_gpa;
		}
		v = s->vmsa;
	}
	if (s->mapped_caa != s->caa_gpa) {
		s->caa = gmem_map(GMEM_SLOT_CAA, s->caa_gpa, true);
		s->mapped_caa = s->caa_gpa;
	}
	/* EFER.SVME is the runnable flag: whoever clears it owns the VMSA (SVSM spec #58019;
	 * [L]). */
	old = __atomic_load_n(&v->efer, __ATOMIC_RELAXED);
	ok = (old & VMSA_EFER_SVME) &&
	     __atomic_compare_exchange_n(&v->efer, &old, old & ~VMSA_EFER_SVME, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
	c->v = v;
	c->caa = s->caa;
	c->vmsa_gpa = s->vmsa_gpa;
	c->efer = old;
	/* The calling area is registered to this vCPU, so nobody else holds it. */
	if (ok)
		take(CLAIM_CALL, s->caa_gpa, PAGE_SIZE);
	spin_unlock(&reg.lock);
	return ok ? 0 : -EBUSY;
}

bool vmpl1_vmgexit(const struct vmpl1_ctx *c)
{
	return READ_ONCE(c->v->guest_exit_code) == VMGEXIT_EXIT_CODE;
}

int vmpl1_caa_read(const struct vmpl1_ctx *c, u64 off, void *dst, u64 len)
{
	if (off >= PAGE_SIZE || len > PAGE_SIZE - off)
		return -EFAULT;
	return gmem_read(dst, c->caa + off, len);
}

int vmpl1_caa_write(const struct vmpl1_ctx *c, u64 off, const void *src, u64 len)
{
	if (off >= PAGE_SIZE || len > PAGE_SIZE - off)
		return -EFAULT;
	return gmem_write(c->caa + off, src, len);
}

void vmpl1_get_regs(const struct vmpl1_ctx *c, struct vmpl1_regs *r)
{
	r->rax = c->v->rax;
	r->rcx = c->v->rcx;
	r->rdx = c->v->rdx;
	r->r8 = c->v->r8;
	r->r9 = c->v->r9;
}

void vmpl1_set_regs(const struct vmpl1_ctx *c, const struct vmpl1_regs *r)
{
	c->v->rax = r->rax;
	c->v->rcx = r->rcx;
	c->v->rdx = r->rdx;
	c->v->r8 = r->r8;
	c->v->r9 = r->r9;
}

void vmpl1_end(const struct vmpl1_ctx *c)
{
	__atomic_store_n(&c->v->efer, c->efer, __ATOMIC_RELEASE);
	release(CLAIM_CALL); /* after the last write to the calling area */
}

int vmpl1_run(void)
{
	struct vcpu_state *s = &vcpus[self()];
	u64 resp = ghcb_msr_protocol(ghcb_msr_vmpl_req(GUEST_VMPL));
	u32 err;
	int rc = ghcb_msr_vmpl_decode(resp, &err);

	if (rc == -EPROTO)
		fatal(TERM_BAD_HV_RESPONSE, "malformed run-VMPL response %#llx",
		      (unsigned long long)resp);
	if (rc && !s->ran && s->boot)
		fatal(TERM_VMPL_RUN, "the hypervisor refused to run the guest firmware (%#x)", err);
	if (rc) {
		/* Later refusals can be the guest's doing (a VMSA deleted or replaced behind the
		 * host's back): this vCPU waits; the others go on. */
		log_warn("the hypervisor refused to run VMPL1 (%#x): vCPU parked", err);
		return -EIO;
	}
	s->ran = true;
	return 0;
}
