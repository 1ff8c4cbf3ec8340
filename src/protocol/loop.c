// SPDX-License-Identifier: MIT
/* The request loop (include/protocol/loop.h). */
#include "protocol/loop.h"
#include "arch/insn.h"
#include "guest/vmpl1.h"
#include "protocol/dispatch.h"
#include "protocol/result.h"

/*
 * Is a call pending? 1: VMGEXIT with call_pending 1; -EPROTO: another non-zero call_pending
 * value (SPEC-T: INVALID_FORMAT); 0 otherwise. A calling area that faults is one without a
 * call (the guest broke it).
 */
static int call_pending(const struct vmpl1_ctx *c)
{
	u8 pending;

	if (!vmpl1_vmgexit(c))
		return 0;
	if (vmpl1_caa_read(c, SVSM_CAA_CALL_PENDING, &pending, 1))
		return 0;
	return pending == 1 ? 1 : pending ? -EPROTO : 0;
}

/* Serve the pending call: its registers in, the results out, call_pending cleared. */
static void serve(const struct vmpl1_ctx *c, int pending)
{
	static const u8 zero;
	struct vmpl1_regs r;
	struct svsm_call call;

	vmpl1_get_regs(c, &r);
	call = (struct svsm_call){
		.rax = r.rax, .rcx = r.rcx, .rdx = r.rdx, .r8 = r.r8, .r9 = r.r9
	};
	if (pending > 0)
		svsm_dispatch(&call);
	else
		call.rax = svsm_result(pending);
	r = (struct vmpl1_regs){
		.rax = call.rax, .rcx = call.rcx, .rdx = call.rdx, .r8 = call.r8, .r9 = call.r9
	};
	vmpl1_set_regs(c, &r);
	vmpl1_caa_write(c, SVSM_CAA_CALL_PENDING, &zero, 1);
}

__noreturn void request_loop(void)
{
	for (;;) {
		struct vmpl1_ctx c;
		int pending;

		if (vmpl1_begin(&c)) {
			/* No runnable VMPL1 VMSA on this vCPU: wait until the host resumes us. */
			hlt();
			continue;
		}
		pending = call_pending(&c);
		if (pending)
			serve(&c, pending);
		vmpl1_end(&c);
		if (vmpl1_run())
			hlt();
	}
}
