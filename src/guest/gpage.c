// SPDX-License-Identifier: MIT
/* Guest pages a request names (include/guest/gpage.h). */
#include "guest/gpage.h"
#include "guest/claims.h"
#include "internal.h"
#include "lib/errno.h"

static enum claim_slot claim_of(enum gmem_slot slot)
{
	return slot == GMEM_SLOT_REQ ? CLAIM_REQ : CLAIM_AUX;
}

int gpage_open(struct gpage *p, enum gmem_slot slot, u64 gpa)
{
	bool own;
	int rc;

	p->gpa = gpa;
	p->slot = slot;
	p->claimed = false;
	p->va = NULL;
	if (!IS_ALIGNED(gpa, PAGE_SIZE) || gmem_check(gpa, PAGE_SIZE))
		return -EFAULT;
	spin_lock(&reg.lock);
	/* The request may lie in the calling area the call came from: held by the call's claim
	 * even when another vCPU's CREATE_VCPU has replaced it in the registry meanwhile. */
	own = claim_is_call_locked(gpa, PAGE_SIZE);
	rc = own ? 0 : claim_locked(claim_of(slot), gpa, PAGE_SIZE, self(), &own);
	spin_unlock(&reg.lock);
	if (rc)
		return rc;
	p->claimed = !own;
	p->va = gmem_map(slot, gpa, true);
	/* The own calling area (or the call's) was probed when it was registered. */
	if (!own && gmem_probe(p->va, gpa)) {
		gpage_close(p);
		return -EFAULT;
	}
	return 0;
}

static bool in_page(u64 off, u64 len)
{
	u64 end;

	return !check_add_overflow(off, len, &end) && end <= PAGE_SIZE;
}

int gpage_read(const struct gpage *p, u64 off, void *dst, u64 len)
{
	if (!p->va || !in_page(off, len))
		return -EFAULT;
	return gmem_read(dst, p->va + off, len);
}

int gpage_write(const struct gpage *p, u64 off, const void *src, u64 len)
{
	if (!p->va || !in_page(off, len))
		return -EFAULT;
	return gmem_write(p->va + off, src, len);
}

void gpage_close(struct gpage *p)
{
	if (p->va)
		gmem_unmap(p->slot);
	if (p->claimed)
		release(claim_of(p->slot));
	p->va = NULL;
	p->claimed = false;
}
