/* SPDX-License-Identifier: MIT */
/*
 * One guest page a request names, opened for the call: claimed (guest/claims.h; unless it is
 * the caller's own calling area, which is registered already), mapped through this vCPU's
 * window and proven private and validated (guest/gmem.h) before the first access.
 */
#ifndef CSVSM_GUEST_GPAGE_H
#define CSVSM_GUEST_GPAGE_H

#include "guest/gmem.h"
#include "lib/types.h"

struct gpage {
	u64 gpa;
	u8 *va;
	enum gmem_slot slot;
	bool claimed;
};

/* 0; -EFAULT (not page aligned, not guest RAM, SVSM memory, a VMSA, another vCPU's calling
 * area, not private and validated) or -EBUSY (another vCPU works on it). */
int gpage_open(struct gpage *p, enum gmem_slot slot, u64 gpa);
/* Bounds-checked copies at @off inside the page: 0 or -EFAULT. */
int gpage_read(const struct gpage *p, u64 off, void *dst, u64 len);
int gpage_write(const struct gpage *p, u64 off, const void *src, u64 len);
void gpage_close(struct gpage *p);

#endif
