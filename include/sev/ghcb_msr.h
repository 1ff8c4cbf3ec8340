/* SPDX-License-Identifier: MIT */
/*
 * The GHCB MSR protocol (GHCB spec #56421, MSR protocol): a request in the GHCB MSR, VMGEXIT, the
 * response read back from the same MSR. Encodings are in sev/ghcb.h (pure, host-tested).
 */
#ifndef CSVSM_SEV_GHCB_MSR_H
#define CSVSM_SEV_GHCB_MSR_H

#include "lib/types.h"

/*
 * One exchange. The MSR's previous value (the registered GHCB GPA, once there is one) is
 * restored afterwards, as every user of the protocol must (GHCB spec #56421, MSR protocol).
 * Interrupts are off in VMPL0 and nothing between the wrmsr and the VMGEXIT can raise a #VC, so no
 * other GHCB user can see the request in the MSR.
 */
u64 ghcb_msr_protocol(u64 request);

#endif
