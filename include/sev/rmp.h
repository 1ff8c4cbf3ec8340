/* SPDX-License-Identifier: MIT */
/*
 * RMP helpers for SVSM-owned pages.
 */
#ifndef CSVSM_SEV_RMP_H
#define CSVSM_SEV_RMP_H

#include "lib/types.h"

/*
 * RMPADJUST one 4 KiB page of SVSM memory (e.g. to set a VMSA bit). Dynamic memory is
 * validated in 2 MiB pages, so its RMP entries may be 2 MiB ones: if the CPU answers
 * FAIL_SIZEMISMATCH, the host is asked to PSMASH the 2 MiB page (page state change
 * operation 3, GHCB spec #56421, "Page State Change"; the validated state survives the split) and
 * RMPADJUST is tried once more. Returns the RMPADJUST result (arch/insn.h RMPADJUST_*), or a
 * negative error if the PSMASH request failed (-EIO host error, -EPROTO broken progress rules).
 */
int rmp_adjust_4k(void *va, u64 attrs);

/* The same for a page outside SVSM memory mapped at @va (a guest page at GPA @gpa). */
int rmp_adjust_4k_at(void *va, u64 gpa, u64 attrs);

/* Ask the host to split the 2 MiB RMP entry at @gpa (2 MiB aligned) into 4 KiB entries:
 * 0, or the negative error of the page state change request. */
int rmp_psmash(u64 gpa);

#endif
