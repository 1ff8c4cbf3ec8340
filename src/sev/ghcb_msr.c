// SPDX-License-Identifier: MIT
/* GHCB MSR-protocol exchange (include/sev/ghcb_msr.h). */
#include "sev/ghcb_msr.h"
#include "arch/insn.h"
#include "sev/ghcb.h"

u64 ghcb_msr_protocol(u64 request)
{
	u64 saved = rdmsr(MSR_GHCB);
	u64 response;

	wrmsr(MSR_GHCB, request);
	vmgexit();
	response = rdmsr(MSR_GHCB);
	wrmsr(MSR_GHCB, saved);
	return response;
}
