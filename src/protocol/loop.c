/* The request loop (include/protocol/loop.h). */
#include "protocol/loop.h"
#include "arch/insn.h"
#include "guest/vcpu.h"
#include "protocol/dispatch.h"

__noreturn void request_loop(void)
{
	for (;;) {
		struct vmpl1_ctx c;
		struct svsm_call call;
		int pending;

		if (vmpl1_begin(&c)) {
			/* No runnable VMPL1 VMSA on this vCPU: wait until the host resumes us. */
			hlt();
			continue;
		}
		pending = vmpl1_call_pending(&c);
		if (pending) {
			vmpl1_get_call(&c, &call);
			if (pending > 0)
				svsm_dispatch(&call);
			else
				call.rax = SVSM_ERR_INVALID_FORMAT; /* call_pending not 0 or 1 */
			vmpl1_finish_call(&c, &call);
		}
		vmpl1_end(&c);
		if (vmpl1_run())
			hlt();
	}
}
