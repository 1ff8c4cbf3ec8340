// SPDX-License-Identifier: MIT
/* Termination through the GHCB MSR protocol (include/sev/terminate.h). */
#include "sev/terminate.h"
#include "arch/insn.h"
#include "lib/format.h"
#include "lib/log.h"
#include "sev/ghcb.h"

__noreturn void svsm_terminate(unsigned int set, unsigned int code)
{
	/* No response comes back; the MSR's old value (the GHCB GPA) does not matter any more. */
	wrmsr(MSR_GHCB, ghcb_msr_term_req(set, code));
	vmgexit();
	for (;;)
		hlt();
}

__noreturn void fatal_set(unsigned int set, unsigned int code, const char *fmt, ...)
{
	char msg[LOG_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_err("fatal: %s (terminating: set %u code %#x)", msg, set, code);
	svsm_terminate(set, code);
}
