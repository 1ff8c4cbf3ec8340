/*
 * The core PVALIDATE request checks (protocol/pvalidate_req.h) over arbitrary requests, the
 * way core_pvalidate runs them: input bytes 0-1 give the request's offset in its page (any
 * value: misaligned ones must be refused), the rest is the page content from that offset on.
 * The header is checked, then the entries next..entries-1 are read from the page and checked
 * and decoded. Accepted requests must lie within the page; decoded entries must be what the
 * format allows.
 *
 * Seeds (tests/fuzz/corpus/pvalidate_req): one 4 KiB validate at offset 0, Linux's form (the
 * calling area at offset 8, 510 entries), a 2 MiB rescind with ignore_CF.
 */
/* fuzz-srcs: src/protocol/pvalidate_req.c */
#include <stdlib.h>
#include <string.h>
#include "protocol/pvalidate_req.h"
#include "protocol/svsm.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static u8 page[PAGE_SIZE];
	struct pvalidate_hdr h;
	u64 off, gpa, raw[PVALIDATE_MAX_ENTRIES];
	u32 rc, n, i;

	if (size < 2)
		return 0;
	off = (data[0] | (u64)data[1] << 8) & (PAGE_SIZE - 1);
	gpa = 0x7000000 + off;
	memset(page, 0, sizeof(page));
	memcpy(page + off, data + 2, MIN(size - 2, (size_t)(PAGE_SIZE - off)));
	if (pvalidate_req_check_gpa(gpa) != SVSM_SUCCESS) {
		if (!(gpa & 7))
			abort();
		return 0;
	}
	if (off + sizeof(h) > PAGE_SIZE)
		abort(); /* an 8-aligned offset always leaves room for the header */
	memcpy(&h, page + off, sizeof(h));
	rc = pvalidate_req_check_hdr(gpa, &h);
	if (rc != SVSM_SUCCESS) {
		if (rc != SVSM_ERR_INVALID_PARAMETER)
			abort();
		return 0;
	}
	if (!h.entries || h.next >= h.entries ||
	    off + PVALIDATE_HDR_SIZE + (u64)h.entries * 8 > PAGE_SIZE)
		abort();
	n = h.entries - h.next;
	if (n > PVALIDATE_MAX_ENTRIES)
		abort();
	memcpy(raw, page + off + PVALIDATE_HDR_SIZE + (u64)h.next * 8, (size_t)n * 8);
	rc = pvalidate_req_check_entries(raw, n);
	for (i = 0; i < n; i++) {
		struct pvalidate_entry e;
		bool ok = pvalidate_entry_decode(raw[i], &e);

		if (!ok) {
			if (rc == SVSM_SUCCESS)
				abort();
			continue;
		}
		if ((raw[i] & PVALIDATE_E_RESERVED) || (raw[i] & 3) > 1 || (e.gpa & 0xfff) ||
		    (e.is_2m && (e.gpa & (PAGE_2M_SIZE - 1))) ||
		    e.gpa != (raw[i] & PVALIDATE_E_GFN_MASK) ||
		    e.validate != !!(raw[i] & PVALIDATE_E_VALIDATE) ||
		    e.ignore_cf != !!(raw[i] & PVALIDATE_E_IGNORE_CF))
			abort();
	}
	return 0;
}
