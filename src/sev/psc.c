// SPDX-License-Identifier: MIT
/*
 * Page state change batching and the re-issue loop (include/sev/psc.h; GHCB spec #56421, NAE "Page
 * State Change" descriptor"). The transport, psc_issue(), is the link-time seam to the GHCB.
 */
#include "sev/psc.h"
#include "lib/errno.h"
#include "lib/string.h"

/* GFNs are 40 bits in an entry ([51:12]). */
#define PSC_GPA_LIMIT BIT_ULL(52)

static unsigned int psc_limit = PSC_MAX_ENTRIES;

unsigned int psc_max_entries(void)
{
	return READ_ONCE(psc_limit);
}

void psc_reset_max_entries(void)
{
	WRITE_ONCE(psc_limit, PSC_MAX_ENTRIES);
}

int psc_build(struct psc_desc *d, u64 *gpa, u64 end, unsigned int op, bool allow_2m)
{
	u64 cur = *gpa;
	unsigned int n = 0, max = psc_max_entries();

	if (op != PSC_OP_PRIVATE && op != PSC_OP_SHARED)
		return -EINVAL;
	if (!IS_ALIGNED(cur, PAGE_SIZE) || !IS_ALIGNED(end, PAGE_SIZE) || cur >= end ||
	    end > PSC_GPA_LIMIT)
		return -EINVAL;

	/* 4 KiB and 2 MiB entries mix freely, so a descriptor is always filled to the end. */
	while (cur < end && n < max) {
		bool is_2m = allow_2m && IS_ALIGNED(cur, PAGE_2M_SIZE) && end - cur >= PAGE_2M_SIZE;

		d->entries[n++] = psc_entry(cur, op, is_2m);
		cur += is_2m ? PAGE_2M_SIZE : PAGE_SIZE;
	}
	d->hdr.cur_entry = 0;
	d->hdr.end_entry = (u16)(n - 1);
	d->hdr.reserved = 0;
	*gpa = cur;
	return (int)n;
}

int psc_check_progress(const struct psc_hdr *before, const struct psc_hdr *now)
{
	if (now->reserved || now->end_entry != before->end_entry)
		return -EPROTO;
	if (now->cur_entry < before->cur_entry || now->cur_entry > before->end_entry + 1)
		return -EPROTO;
	return 0;
}

static u16 entry_cur_page(const struct psc_desc *d, u16 idx)
{
	return idx <= d->hdr.end_entry ? (u16)(d->entries[idx] & PSC_ENTRY_CUR_PAGE) : 0;
}

int psc_take_cur_page(struct psc_desc *d, const struct psc_hdr *before, u16 page_before, u16 page)
{
	u16 idx = d->hdr.cur_entry;
	u64 e;

	if (idx > d->hdr.end_entry)
		return 0; /* every entry done: no page to take */
	e = d->entries[idx];
	if (page > ((e & PSC_ENTRY_2M) ? PAGES_PER_2M : 1))
		return -EPROTO;
	if (idx == before->cur_entry && page < page_before)
		return -EPROTO; /* backwards within the entry */
	d->entries[idx] = (e & ~PSC_ENTRY_CUR_PAGE) | page;
	return 0;
}

/*
 * Issue one built descriptor until the host reports every entry done. -E2BIG: the host refused
 * the header of a descriptor longer than PSC_COMPAT_ENTRIES before doing anything.
 */
static int psc_run(struct psc_desc *d, unsigned int *used, unsigned int max_issues)
{
	unsigned int stalls = 0;

	while (d->hdr.cur_entry <= d->hdr.end_entry) {
		struct psc_hdr before = d->hdr;
		u16 page_before = entry_cur_page(d, before.cur_entry), page;
		u64 host_err;
		int rc;

		if (*used == max_issues || stalls > PSC_MAX_STALLS)
			return -EPROTO; /* the host did not finish within the budget */
		(*used)++;
		rc = psc_issue(d, &host_err, &page);
		if (rc == -EIO && host_err == PSC_HOST_ERR_INVALID_HDR && before.cur_entry == 0 &&
		    page_before == 0 && d->hdr.cur_entry == 0 &&
		    before.end_entry >= PSC_COMPAT_ENTRIES)
			return -E2BIG;
		if (rc)
			return rc == -EIO ? -EIO : -EPROTO;
		if (psc_check_progress(&before, &d->hdr) ||
		    psc_take_cur_page(d, &before, page_before, page))
			return -EPROTO;
		if (d->hdr.cur_entry == before.cur_entry &&
		    entry_cur_page(d, d->hdr.cur_entry) == page_before)
			stalls++; /* neither cur_entry nor the entry's cur_page moved */
		else
			stalls = 0;
	}
	return 0;
}

int psc_run_desc(struct psc_desc *d, unsigned int max_issues, unsigned int *issues)
{
	unsigned int used = 0;
	int rc = -EINVAL;

	if (max_issues && d->hdr.end_entry < PSC_MAX_ENTRIES &&
	    d->hdr.cur_entry <= d->hdr.end_entry && !d->hdr.reserved)
		rc = psc_run(d, &used, max_issues);
	if (rc == -E2BIG)
		rc = -EIO;
	if (issues)
		*issues = used;
	return rc;
}

int psc_change_range(u64 start, u64 end, unsigned int op, bool allow_2m, unsigned int max_issues,
		     unsigned int *issues)
{
	struct psc_desc d; /* 2 KiB on the stack: one per caller, no lock needed */
	unsigned int used = 0;
	u64 cur = start;
	int rc = 0;

	if (issues)
		*issues = 0;
	if (!max_issues || start >= end)
		return -EINVAL;
	while (cur < end && rc >= 0) {
		u64 desc_start = cur;

		rc = psc_build(&d, &cur, end, op, allow_2m);
		if (rc > 0)
			rc = psc_run(&d, &used, max_issues);
		if (rc == -E2BIG && psc_max_entries() > PSC_COMPAT_ENTRIES) {
			/* the host takes no descriptor this long: shorter ones from here on */
			WRITE_ONCE(psc_limit, PSC_COMPAT_ENTRIES);
			cur = desc_start;
			rc = 0;
		} else if (rc == -E2BIG) {
			rc = -EIO;
		}
	}
	if (issues)
		*issues = used;
	return rc;
}
