/* SPDX-License-Identifier: MIT */
/*
 * What the pages of one page list (guest/pagelist.h: a PVALIDATE request's entries) must not
 * overlap (pure C, host-tested).
 *
 * A list names up to 511 pages. Checking each against the registry and against every vCPU's
 * claims one by one costs about as much as the PVALIDATE work itself, so guest/claims.c
 * gathers them once per list, under the registry lock, into a view, and checks each entry
 * against that: registered pages and the caller's own other claims (-EFAULT), other vCPUs'
 * claims (-EBUSY), and the page lists other vCPUs have claimed (-EBUSY). The view is only
 * valid while that lock is held (claims are taken under it; one released meanwhile can only
 * turn an answer into -EBUSY, which the guest retries).
 */
#ifndef CSVSM_GUEST_CLAIMVIEW_H
#define CSVSM_GUEST_CLAIMVIEW_H

#include "lib/types.h"

struct claim_range {
	u64 gpa, size;
	int res; /* the error for an overlap */
};

struct claim_list {
	const u64 *entries; /* a page list claimed by another vCPU */
	u32 n;
	/* [lo, hi): the hull of its pages. vCPUs validating at once mostly work on distinct
	 * regions, so most checks end here instead of comparing every pair of entries. */
	u64 lo, hi;
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
int claim_view_add(struct claim_view *v, u64 gpa, u64 size, int res);
int claim_view_add_list(struct claim_view *v, const u64 *entries, u32 n);

/* 0 if [gpa, gpa + size) overlaps nothing in the view; else the error of the first range it
 * overlaps, or -EBUSY for an overlap with a claimed page list. */
int claim_view_check(const struct claim_view *v, u64 gpa, u64 size);

#endif
