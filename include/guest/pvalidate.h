/* SPDX-License-Identifier: MIT */
/*
 * PVALIDATE of one guest page for the guest (SVSM spec #58019, the core PVALIDATE call):
 *
 *   validate: PVALIDATE(1); a page that was not validated before is zeroed (it came from the
 *             host: whatever is in it must not reach the guest), then VMPL1 gets RWX.
 *   rescind:  VMPL1-3 lose all access (RMPADJUST), PVALIDATE(0), then every vCPU's TLB is
 *             flushed (INVLPGB + TLBSYNC), so no vCPU keeps a translation of the page.
 *
 * The caller has claimed the page (claims_entries, guest/claims.h): it is guest RAM
 * outside SVSM memory, not a registered VMSA or calling area, and no other vCPU works on it.
 * Pages of the ISA ROM range 0xc0000-0xfffff are not zeroed ([L], [C]: the host maps them
 * read-only, and a write would fault forever).
 */
#ifndef CSVSM_GUEST_PVALIDATE_H
#define CSVSM_GUEST_PVALIDATE_H

#include "lib/types.h"

/*
 * Validate or rescind the 4 KiB or 2 MiB page at @gpa. 0; -EALREADY if PVALIDATE changed
 * nothing (CF = 1: already in that state) unless @unchanged_ok (then a validated page keeps
 * its content); -EFAULT if the page stopped being validated during the call (only the host
 * can do that); else the failing PVALIDATE or RMPADJUST result (1..).
 */
int guest_pvalidate(u64 gpa, bool is_2m, bool validate, bool unchanged_ok);
/* After the last entry of a request: the page slot unmapped, the TLBs of every CPU flushed
 * (rescinded pages unreachable from now on). */
void guest_pvalidate_done(void);

/* ISA ROM: not zeroed after validation. */
#define ISA_ROM_START 0xc0000ULL
#define ISA_ROM_END 0x100000ULL

#endif
