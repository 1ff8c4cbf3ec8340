/*
 * PSC progress checking: psc_change_range against a host whose every answer comes from the
 * input. Input: [u32 start page][u16 pages][u8 flags][u8 max_issues] then, per NAE exit,
 * [u8 action][u16 cur][u16 end][u8 reserved]; when the input runs out the host is honest.
 * Honest answers complete whole entries, or part of a 2 MiB entry (cur_page written back), or
 * refuse a descriptor longer than 64 entries (an invalid header, as hosts before upstream KVM).
 * The SVSM must stay within its exit budget, send only well-formed descriptors, and succeed
 * only if the host's own answers completed every page of the range exactly once.
 */
/* fuzz-srcs: src/sev/psc.c */
#include <stdlib.h>
#include <string.h>
#include "lib/errno.h"
#include "sev/psc.h"

#define MAX_PAGES 0x4000 /* 64 MiB: up to 65 descriptors of 4 KiB entries */

static const u8 *in;
static size_t in_left;
static u64 r_start, r_end;
static unsigned int r_op;
static bool r_2m;
static u8 done[MAX_PAGES]; /* per page: times the host completed it */
static unsigned int exits;
static bool lied; /* an arbitrary header was returned */

static bool take(void *dst, size_t n)
{
	if (in_left < n)
		return false;
	memcpy(dst, in, n);
	in += n;
	in_left -= n;
	return true;
}

static unsigned int entry_pages(u64 e)
{
	return (e & PSC_ENTRY_2M) ? PAGES_PER_2M : 1;
}

static void check_request(const struct psc_desc *d)
{
	unsigned int i;

	if (d->hdr.end_entry >= PSC_MAX_ENTRIES || d->hdr.cur_entry > d->hdr.end_entry ||
	    d->hdr.reserved)
		abort();
	for (i = 0; i <= d->hdr.end_entry; i++) {
		u64 e = d->entries[i], gpa = e & PSC_ENTRY_GFN_MASK;
		u64 len = (e & PSC_ENTRY_2M) ? PAGE_2M_SIZE : PAGE_SIZE;
		unsigned int page = (unsigned int)(e & PSC_ENTRY_CUR_PAGE);

		/* cur_page: what the host left in the current entry, 0 in the ones after it */
		if (page > entry_pages(e) || (i > d->hdr.cur_entry && page))
			abort();
		if ((e & ~(PSC_ENTRY_CUR_PAGE | PSC_ENTRY_GFN_MASK | PSC_ENTRY_2M |
			   GENMASK_ULL(55, 52))) ||
		    ((e >> PSC_ENTRY_OP_SHIFT) & 0xf) != r_op)
			abort();
		if (gpa < r_start || gpa + len > r_end || !IS_ALIGNED(gpa, len) ||
		    ((e & PSC_ENTRY_2M) && !r_2m))
			abort();
	}
}

/* The host did pages [first, last) of entry @e. */
static void complete_pages(u64 e, unsigned int first, unsigned int last)
{
	u64 gpa = e & PSC_ENTRY_GFN_MASK;

	for (unsigned int p = first; p < last; p++)
		done[(gpa + (u64)p * PAGE_SIZE - r_start) / PAGE_SIZE]++;
}

/* Entries [from, to) done: the first from its cur_page (KVM's snp_begin_psc). */
static void complete(const struct psc_desc *d, unsigned int from, unsigned int to)
{
	unsigned int i;

	for (i = from; i < to && i <= d->hdr.end_entry; i++) {
		u64 e = d->entries[i];

		complete_pages(e, i == from ? (unsigned int)(e & PSC_ENTRY_CUR_PAGE) : 0,
			       entry_pages(e));
	}
}

int psc_issue(struct psc_desc *d, u64 *host_err, u16 *cur_page)
{
	struct {
		u8 action;
		u8 cur[2];
		u8 end[2];
		u8 reserved;
	} a;
	struct psc_hdr h = d->hdr;

	exits++;
	check_request(d);
	*host_err = 0;
	*cur_page = 0;
	if (!take(&a, sizeof(a))) {
		complete(d, h.cur_entry, h.end_entry + 1u);
		d->hdr.cur_entry = h.end_entry + 1;
		return 0;
	}
	switch (a.action % 8) {
	case 0:
		*host_err = 1;
		return -EIO;
	case 1:
		return -EPROTO;
	case 2: /* arbitrary header and cur_page */
		lied = true;
		d->hdr.cur_entry = (u16)(a.cur[0] | a.cur[1] << 8);
		d->hdr.end_entry = (u16)(a.end[0] | a.end[1] << 8);
		d->hdr.reserved = a.reserved;
		*cur_page = (u16)((a.end[1] << 8 | a.reserved) & PSC_ENTRY_CUR_PAGE);
		break;
	case 3: /* a host that takes at most 64 entries: an invalid header, nothing done */
		if (h.end_entry >= PSC_COMPAT_ENTRIES) {
			*host_err = PSC_HOST_ERR_INVALID_HDR;
			return -EIO;
		}
		break;
	case 4: { /* part of the current 2 MiB entry: cur_page back, cur_entry stays */
		u64 e = d->entries[h.cur_entry];
		unsigned int page = (unsigned int)(e & PSC_ENTRY_CUR_PAGE);
		unsigned int to = MIN(page + 1 + a.cur[0], entry_pages(e));

		complete_pages(e, page, to);
		if (to == entry_pages(e))
			d->hdr.cur_entry = h.cur_entry + 1;
		else
			*cur_page = (u16)to;
		break;
	}
	default: { /* honest progress by a few entries */
		unsigned int to = MIN((unsigned int)h.cur_entry + a.cur[0] % 8, h.end_entry + 1u);

		complete(d, h.cur_entry, to);
		d->hdr.cur_entry = (u16)to;
		break;
	}
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u32 start_page;
	u16 pages;
	u8 flags, max;
	unsigned int issues = 12345;
	int rc;
	u64 p;

	in = data;
	in_left = size;
	psc_reset_max_entries(); /* each input starts with a host never met */
	if (!take(&start_page, 4) || !take(&pages, 2) || !take(&flags, 1) || !take(&max, 1))
		return 0;
	r_start = (u64)(start_page % (1U << 24)) * PAGE_SIZE;
	r_end = r_start + (u64)(pages % MAX_PAGES) * PAGE_SIZE;
	r_op = flags & 1 ? PSC_OP_SHARED : PSC_OP_PRIVATE;
	r_2m = flags & 2;
	memset(done, 0, (size_t)(pages % MAX_PAGES));
	exits = 0;
	lied = false;

	rc = psc_change_range(r_start, r_end, r_op, r_2m, max, &issues);
	if (issues != exits || issues > max)
		abort();
	if (rc == -EINVAL) {
		if (max && r_start < r_end)
			abort();
		return 0;
	}
	if (rc != 0 && rc != -EIO && rc != -EPROTO)
		abort();
	if (rc == 0) {
		/* Arbitrary headers (action 2) can fake progress psc.c accepts; only honest
		 * answers are counted, so each page was done at most once, and all of them
		 * when no arbitrary header was involved. */
		for (p = r_start; p < r_end; p += PAGE_SIZE) {
			u8 n = done[(p - r_start) / PAGE_SIZE];

			if (n > 1 || (!lied && n != 1))
				abort();
		}
	}
	return 0;
}
