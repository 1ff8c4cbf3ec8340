// SPDX-License-Identifier: MIT
/* What one PVALIDATE request's pages must not overlap (include/guest/claimview.h). */
#include "guest/claimview.h"
#include "guest/memrange.h"
#include "guest/pagelist.h"
#include "lib/errno.h"

void claim_view_reset(struct claim_view *v)
{
	v->n = 0;
	v->nr_lists = 0;
}

int claim_view_add(struct claim_view *v, u64 gpa, u64 size, int res)
{
	if (v->n >= v->cap)
		return -ENOSPC;
	v->r[v->n++] = (struct claim_range){ .gpa = gpa, .size = size, .res = res };
	return 0;
}

int claim_view_add_list(struct claim_view *v, const u64 *entries, u32 n)
{
	struct claim_list *l;
	u32 i;

	if (v->nr_lists >= v->cap_lists)
		return -ENOSPC;
	l = &v->lists[v->nr_lists++];
	*l = (struct claim_list){ .entries = entries, .n = n, .lo = ~0ULL, .hi = 0 };
	for (i = 0; i < n; i++) {
		u64 gpa = pagelist_gpa(entries[i]), end = gpa + pagelist_size(entries[i]);

		if (gpa < l->lo)
			l->lo = gpa;
		if (end > l->hi)
			l->hi = end;
	}
	return 0;
}

static bool list_overlaps(const struct claim_list *l, u64 gpa, u64 size)
{
	u32 i;

	if (!l->n || !ranges_overlap(gpa, size, l->lo, l->hi - l->lo))
		return false;
	for (i = 0; i < l->n; i++)
		if (ranges_overlap(gpa, size, pagelist_gpa(l->entries[i]),
				   pagelist_size(l->entries[i])))
			return true;
	return false;
}

int claim_view_check(const struct claim_view *v, u64 gpa, u64 size)
{
	u32 i;

	for (i = 0; i < v->n; i++)
		if (ranges_overlap(gpa, size, v->r[i].gpa, v->r[i].size))
			return v->r[i].res;
	for (i = 0; i < v->nr_lists; i++)
		if (list_overlaps(&v->lists[i], gpa, size))
			return -EBUSY;
	return 0;
}
