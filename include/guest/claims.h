/* SPDX-License-Identifier: MIT */
/*
 * Claims: the guest pages a vCPU works on during one call. A page that is registered
 * (guest/registry.h: a VMSA or calling area) or claimed cannot become a VMSA, be rescinded,
 * or be claimed by another vCPU until it is released, so nothing the SVSM checked can change
 * under it. A claim is taken under the registry lock, checked against the registry and every
 * vCPU's claims, and released by its owner alone, with one store.
 *
 * Errors: -EFAULT the page may not be claimed (not guest RAM outside SVSM memory, a
 * registered VMSA or calling area, a page this vCPU holds already); -EBUSY another vCPU holds
 * it (the guest may retry).
 */
#ifndef CSVSM_GUEST_CLAIMS_H
#define CSVSM_GUEST_CLAIMS_H

#include "lib/types.h"

/* What a vCPU can hold at once during a call. */
enum claim_slot {
	CLAIM_REQ,     /* a request page */
	CLAIM_ENTRIES, /* the pages of a page list (the vCPU's entry buffer) */
	CLAIM_AUX,     /* CREATE_VCPU's VMSA, DELETE_VCPU's VMSA, REMAP_CA's new calling area */
	CLAIM_AUX2,    /* CREATE_VCPU's calling area */
	CLAIM_CALL,    /* the calling area of the call being served (vmpl1_begin..vmpl1_end) */
	NR_CLAIMS,
};

/*
 * Claim the pages of the first @n entries of this vCPU's entry buffer (vcpu_entry_buffer(),
 * a page list: guest/pagelist.h) in one go, in order until one cannot be: *claimed is how
 * many were; the result is 0 if all were, else that entry's error (-EFAULT, -EBUSY). Entries
 * of the list may name the same page twice. Released with claims_release_entries().
 */
int claims_entries(u32 n, u32 *claimed);
void claims_release_entries(void);

#endif
