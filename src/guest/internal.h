/* SPDX-License-Identifier: MIT */
/*
 * State shared by the files of src/guest/ that keep the guest's vCPUs (vcpu.c, vmpl1.c,
 * claims.c, gpage.c); nothing outside src/guest/ includes it. Everything here is under the
 * registry lock reg.lock unless a field says otherwise (README.md "Lock order").
 */
#ifndef CSVSM_GUEST_INTERNAL_H
#define CSVSM_GUEST_INTERNAL_H

#include "arch/percpu.h"
#include "guest/claimview.h"
#include "guest/claims.h"
#include "guest/registry.h"
#include "lib/types.h"
#include "sev/vmsa.h"

/* Registered VMSAs per vCPU. Per vCPU, so that no vCPU can starve the others. Four: the
 * firmware leaves one behind per phase that starts the APs (edk2's MpInitLib in PEI and again
 * in DXE, whose AP data does not know PEI's VMSAs, so nobody ever deletes them), and the OS
 * needs its current one and a replacement (Linux creates an AP's new VMSA before it deletes
 * the old one: wakeup_cpu_via_vmgexit). Debian's OVMF then Linux, README "Booting Debian's
 * Linux". */
#define VMSAS_PER_VCPU 4

struct vcpu_state {
	/* Under reg.lock. */
	u64 vmsa_gpa; /* 0: no VMPL1 VMSA */
	u64 caa_gpa;
	bool boot; /* the VMSA is the boot VMSA (SVSM memory) */
	/* VMSAs registered for this vCPU, or reserved by a CREATE_VCPU in progress for it: at
	 * most VMSAS_PER_VCPU. Reserved when the call's checks start, so two calls cannot both
	 * pass the limit. */
	u32 nr_vmsas;
	/* The vCPU's own: what its VMSA and calling-area slots map. */
	u64 mapped_vmsa, mapped_caa;
	struct vmsa *vmsa;
	u8 *caa;
	u64 *entries; /* page-list copies (guest/claims.h) */
	bool ran;     /* VMPL1 has run on this vCPU */
	/* Claims: taken by the vCPU under reg.lock, read by all under it, released by the vCPU
	 * alone (its bit in claim_mask cleared). */
	u32 claim_mask;
	struct {
		u64 gpa, size;
	} claims[NR_CLAIMS];
	u32 nr_entries; /* CLAIM_ENTRIES: entries[0..nr_entries) of the request being served */
	struct claim_view view; /* the vCPU's own: claims_entries' snapshot */
};

extern struct registry reg;
extern struct vcpu_state *vcpus;
extern unsigned int nr_vcpus;
extern struct vmsa *boot_vmsa;
extern u64 boot_features;
extern bool launched;

static inline u32 self(void)
{
	return this_cpu()->index;
}

/* Claims (claims.c). Under reg.lock: this vCPU's @slot holds [gpa, gpa + size) from now on. */
void take(enum claim_slot slot, u64 gpa, u64 size);
/* Release this vCPU's @slot: everything done on the page before is visible first. */
void release(enum claim_slot slot);
/*
 * Under reg.lock: claim [gpa, gpa + size) as this vCPU's @slot. Registered VMSAs and calling
 * areas are -EFAULT, except the calling area of vCPU @caa_owner (this vCPU's for a request
 * page or REMAP_CA, the target's for CREATE_VCPU; NO_CAA_OWNER: none): *own = true, nothing
 * taken, it is protected already. Another vCPU's claim is -EBUSY (try again), one of this
 * vCPU's own -EFAULT (a request naming its own request page).
 */
#define NO_CAA_OWNER ((u32)-1)
int claim_locked(enum claim_slot slot, u64 gpa, u64 size, u32 caa_owner, bool *own);
/*
 * Under reg.lock: is [gpa, gpa + size) exactly the calling area this vCPU's call came from
 * (its CLAIM_CALL claim)? It stays held, and proven (when it was registered), for the whole
 * call, even after another vCPU's CREATE_VCPU gave this vCPU a new calling area meanwhile.
 */
bool claim_is_call_locked(u64 gpa, u64 size);

#endif
