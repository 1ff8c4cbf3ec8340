/* Fake hypervisor side of the PSC NAE (see fake_psc.h). */
#include "fake_psc.h"
#include <string.h>
#include "lib/errno.h"

struct fake_psc fake_psc;

void fake_psc_reset(void)
{
	memset(&fake_psc, 0, sizeof(fake_psc));
}

int psc_issue(struct psc_desc *d, u64 *host_err)
{
	struct psc_desc shared;
	unsigned int i, last;

	/* What the host sees is a copy (the GHCB shared buffer); only the header comes back. */
	memcpy(&shared, d, sizeof(shared));
	fake_psc.calls++;
	*host_err = 0;

	if (shared.hdr.end_entry >= PSC_MAX_ENTRIES || shared.hdr.cur_entry > shared.hdr.end_entry ||
	    shared.hdr.reserved)
		fake_psc.bad_request = true;
	if (shared.hdr.cur_entry == 0)
		fake_psc.descriptors++;
	if (shared.hdr.end_entry > fake_psc.max_end_entry)
		fake_psc.max_end_entry = shared.hdr.end_entry;

	if (fake_psc.fail_call == fake_psc.calls) {
		*host_err = 0x1234;
		return fake_psc.fail_rc;
	}

	last = shared.hdr.end_entry;
	if (fake_psc.per_call && shared.hdr.cur_entry + fake_psc.per_call - 1 < last)
		last = shared.hdr.cur_entry + fake_psc.per_call - 1;
	for (i = shared.hdr.cur_entry; i <= last && i < PSC_MAX_ENTRIES; i++) {
		u64 e = shared.entries[i];

		if (e & GENMASK_ULL(11, 0) || e & GENMASK_ULL(63, 57))
			fake_psc.bad_request = true; /* cur_page and reserved bits must be 0 */
		if (e & PSC_ENTRY_2M)
			fake_psc.entries_2m++;
		else
			fake_psc.entries_4k++;
		if (fake_psc.on_entry)
			fake_psc.on_entry(e);
	}
	shared.hdr.cur_entry = (u16)(last + 1);

	if (fake_psc.tamper)
		fake_psc.tamper(&shared.hdr, fake_psc.calls);
	d->hdr = shared.hdr;
	return 0;
}
