/* SPDX-License-Identifier: MIT */
/*
 * Step 3 of svsm_main: the GHCB protocol with the hypervisor.
 *   - SEV information (MSR protocol 0x002): the version range must include 2, else
 *     (0, TERM_GHCB_PROTOCOL_RANGE); the C-bit position it reports must equal the CPUID
 *     page's, else (15, TERM_CBIT_HV).
 *   - hypervisor features (0x080): SNP, AP creation and multi-VMPL are required, else
 *     (0, TERM_GHCB_SNP_FEATURES).
 *   - the BSP's GHCB (start.S's early_ghcb, already shared) registered (0x012), the echo
 *     checked, else (15, TERM_GHCB_REGISTER).
 * A response with the wrong response code is (15, TERM_BAD_HV_RESPONSE).
 * After this, GHCB NAE calls (sev/ghcb_nae.h) and the #VC handler work on the BSP.
 */
#ifndef CSVSM_SEV_GHCB_SETUP_H
#define CSVSM_SEV_GHCB_SETUP_H

#include "lib/types.h"

void ghcb_setup_bsp(void);

/* Register this vCPU's GHCB (this_cpu()->ghcb_gpa) with the hypervisor; checks the echo. */
void ghcb_register_this_cpu(void);

/* What the negotiation found. */
u64 sev_hv_features(void);
unsigned int sev_ghcb_version(void);

#endif
