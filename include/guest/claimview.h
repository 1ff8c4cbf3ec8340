/*
 * What the pages of one PVALIDATE request must not overlap (pure C, host-tested).
 *
 * A request names up to 510 pages. Checking each against the registry and against every
 * vCPU's claims one by one costs about as much as the PVALIDATE work itself, so guest/vcpu.c
 * gathers them once per request, under the registry lock, into a view, and checks each entry
 * against that: registered pages and the caller's own other claims (SVSM_ERR_INVALID_ADDRESS),
 * other vCPUs' claims (SVSM_ERR_BUSY), and the PVALIDATE entries other vCPUs have claimed
 * (SVSM_ERR_BUSY). The view is only valid while that lock is held (claims are taken under
 * it; one released meanwhile can only turn an answer into BUSY, which the guest retries).
 */
#ifndef CSVSM_GUEST_CLAIMVIEW_H
#define CSVSM_GUEST_CLAIMVIEW_H

#include "lib/types.h"

struct claim_range {
	u64 gpa, size;
	u32 res; /* the SVSM result code for an overlap */
};

struct claim_list {
	const u64 *entries; /* raw PVALIDATE entries (facts §7) claimed by another vCPU */
	u32 n;
};

struct claim_view {
	struct claim_range *r;
	struct claim_list *lists;
	u32 n, nr_lists;
	u32 cap, cap_lists;
};

/* Empty the view (keeps its storage). */
void claim_view_reset(struct claim_view *v);

/* Add a range or another vCPU's entry list; -ENOSPC when the storage is full (the caller
 * sized it for every registry entry and claim). Ranges are checked in the order added. */
int claim_view_add(struct claim_view *v, u64 gpa, u64 size, u32 res);
int claim_view_add_list(struct claim_view *v, const u64 *entries, u32 n);

/* SVSM_SUCCESS if [gpa, gpa + size) overlaps nothing in the view; else the result of the
 * first range it overlaps, or SVSM_ERR_BUSY for an overlap with a claimed entry list. */
u32 claim_view_check(const struct claim_view *v, u64 gpa, u64 size);

#endif
