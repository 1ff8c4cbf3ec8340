/*
 * PVALIDATE of one guest page for the core PVALIDATE call (facts §7 "PVALIDATE request"):
 *
 *   validate: PVALIDATE(1); a page that was not validated before is zeroed (it came from the
 *             host: whatever is in it must not reach the guest), then VMPL1 gets RWX.
 *   rescind:  VMPL1-3 lose all access (RMPADJUST), PVALIDATE(0), then every vCPU's TLB is
 *             flushed (INVLPGB + TLBSYNC), so no vCPU keeps a translation of the page.
 *
 * The caller has claimed the page (guest_claim_entries, guest/vcpu.h): it is guest RAM
 * outside SVSM memory, not a registered VMSA or calling area, and no other vCPU works on it.
 * Pages of the ISA ROM range 0xc0000-0xfffff are not zeroed ([L], [C]: the host maps them
 * read-only, and a write would fault forever).
 */
#ifndef CSVSM_GUEST_PVALIDATE_H
#define CSVSM_GUEST_PVALIDATE_H

#include "protocol/pvalidate_req.h"

/* SVSM_SUCCESS, or the instructions' result (pvalidate_result, svsm_err_from_insn). */
u32 guest_pvalidate(const struct pvalidate_entry *e);
/* After the last entry of a request: the page slot unmapped, the TLBs of every CPU flushed
 * (rescinded pages unreachable from now on). */
void guest_pvalidate_done(void);

/* ISA ROM: not zeroed after validation. */
#define ISA_ROM_START 0xc0000ULL
#define ISA_ROM_END 0x100000ULL

#endif
