/* Fake hypervisor side of the PSC NAE (see fake_psc.h). */
#include "fake_psc.h"
#include <string.h>
#include "lib/errno.h"

struct fake_psc fake_psc;

void fake_psc_reset(void)
{
	memset(&fake_psc, 0, sizeof(fake_psc));
}

/* KVM's snp_begin_psc on an entry's cur_page: above the page count is an invalid entry. */
static unsigned int entry_pages(u64 e)
{
	return (e & PSC_ENTRY_2M) ? 512 : 1;
}

int psc_issue(struct psc_desc *d, u64 *host_err, u16 *cur_page)
{
	struct psc_desc shared;
	unsigned int i, last;

	/* What the host sees is a copy (the GHCB shared buffer); only the header and the
	 * cur_page of the entry it names come back. */
	memcpy(&shared, d, sizeof(shared));
	fake_psc.calls++;
	*host_err = 0;
	*cur_page = 0;

	if (shared.hdr.end_entry >= PSC_MAX_ENTRIES ||
	    shared.hdr.cur_entry > shared.hdr.end_entry || shared.hdr.reserved)
		fake_psc.bad_request = true;
	if (shared.hdr.cur_entry == 0)
		fake_psc.descriptors++;
	if (shared.hdr.end_entry > fake_psc.max_end_entry)
		fake_psc.max_end_entry = shared.hdr.end_entry;

	if (fake_psc.fail_call == fake_psc.calls) {
		*host_err = 0x1234;
		return fake_psc.fail_rc;
	}
	if (fake_psc.max_entries && shared.hdr.end_entry >= fake_psc.max_entries) {
		fake_psc.refused++;
		*host_err = PSC_HOST_ERR_INVALID_HDR;
		return -EIO;
	}

	last = shared.hdr.end_entry;
	if (fake_psc.per_call && shared.hdr.cur_entry + fake_psc.per_call - 1 < last)
		last = shared.hdr.cur_entry + fake_psc.per_call - 1;
	for (i = shared.hdr.cur_entry; i <= last && i < PSC_MAX_ENTRIES; i++) {
		u64 e = shared.entries[i];
		unsigned int page = (unsigned int)(e & PSC_ENTRY_CUR_PAGE), n = entry_pages(e);

		if (page > n || e & GENMASK_ULL(63, 57))
			fake_psc.bad_request = true; /* a host would refuse the entry */
		if (i != shared.hdr.cur_entry && page)
			fake_psc.bad_request =
				true; /* only the entry the host left has pages done */
		if (page == n)
			continue; /* done already */
		if (fake_psc.pages_per_call && n - page > fake_psc.pages_per_call) {
			/* part of a 2 MiB entry: cur_page back, cur_entry stays on it */
			page += fake_psc.pages_per_call;
			fake_psc.pages_done += fake_psc.pages_per_call;
			shared.entries[i] = (e & ~PSC_ENTRY_CUR_PAGE) | page;
			last = i - 1;
			break;
		}
		fake_psc.pages_done += n - page;
		if (e & PSC_ENTRY_2M)
			fake_psc.entries_2m++;
		else
			fake_psc.entries_4k++;
		if (fake_psc.on_entry)
			fake_psc.on_entry(e);
		shared.entries[i] = (e & ~PSC_ENTRY_CUR_PAGE) | n;
	}
	shared.hdr.cur_entry = (u16)(last + 1);
	if (fake_psc.page_tamper)
		fake_psc.page_tamper(&shared, fake_psc.calls);

	if (fake_psc.tamper)
		fake_psc.tamper(&shared.hdr, fake_psc.calls);
	d->hdr = shared.hdr;
	if (shared.hdr.cur_entry <= shared.hdr.end_entry && shared.hdr.end_entry < PSC_MAX_ENTRIES)
		*cur_page = (u16)(shared.entries[shared.hdr.cur_entry] & PSC_ENTRY_CUR_PAGE);
	return 0;
}
