/* SPDX-License-Identifier: MIT */
/*
 * Step 1 of svsm_main: prove the SVSM runs where and how it must before it trusts anything.
 *   (VMPL0 is proven earlier, in start.S, before its first PVALIDATE: RMPADJUST of an own
 *   page for VMPL1 succeeds only at VMPL0 (AMD APM vol 3 #24594, RMPADJUST); FAIL_PERMISSION
 *   -> (15, TERM_NOT_VMPL0), any other failure -> (15, TERM_RMPADJUST).)
 *   - SEV_STATUS: required and forbidden features (sev/sev_status.h) -> (15, TERM_SEV_FEATURES).
 *   - the CPUID page is well formed -> (15, TERM_CPUID_PAGE).
 *   - image layout: SVSM_GPA/SVSM_MEM sane, and the image's own footer (INFO and metadata)
 *     names the addresses this code uses -> (15, TERM_LAYOUT).
 */
#ifndef CSVSM_SEV_BOOT_CHECKS_H
#define CSVSM_SEV_BOOT_CHECKS_H

#include "lib/types.h"

void boot_checks(void);

/* SEV_STATUS as read (and accepted) by boot_checks. */
u64 sev_status(void);

#endif
