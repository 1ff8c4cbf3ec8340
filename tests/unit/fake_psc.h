/*
 * A host for psc_issue() (the link-time seam of src/sev/psc.c): processes descriptors like
 * a hypervisor would, honestly or not, and records what it was asked to do.
 */
#ifndef CSVSM_TESTS_FAKE_PSC_H
#define CSVSM_TESTS_FAKE_PSC_H

#include "sev/psc.h"

struct fake_psc {
	/* Behaviour */
	unsigned int per_call;	/* entries processed per call; 0 = all that are left */
	unsigned int fail_call; /* 1-based call that reports an error; 0 = never */
	int fail_rc;		/* what that call returns: -EIO or -EPROTO */
	/* Called on the header about to be returned, to make the host lie. */
	void (*tamper)(struct psc_hdr *hdr, unsigned int call);
	/* Called for every entry the host processes. */
	void (*on_entry)(u64 entry);
	/* Pages of an entry done per call (0: whole entries), cur_page written back. */
	unsigned int pages_per_call;
	/* Descriptors of this many entries or more are refused (invalid header); 0 = none. */
	unsigned int max_entries;
	/* Called on the whole shared buffer about to be returned (cur_page lies). */
	void (*page_tamper)(struct psc_desc *shared, unsigned int call);

	/* Record */
	unsigned int calls;
	unsigned int descriptors; /* calls that started at cur_entry 0 */
	unsigned int max_end_entry;
	u64 entries_4k;
	u64 entries_2m;
	bool bad_request;     /* the SVSM sent something a host would reject */
	u64 pages_done;	      /* 4 KiB pages converted */
	unsigned int refused; /* descriptors refused for max_entries */
};

extern struct fake_psc fake_psc;

void fake_psc_reset(void);

#endif
