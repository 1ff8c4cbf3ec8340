/*
 * The request is read once (facts §7 "PVALIDATE request": it is copied into SVSM memory
 * before it is checked, because another vCPU of the guest can change it meanwhile). A
 * double fetch — checking a word, then reading it again to use it — lets a second vCPU swap
 * a good entry for a forbidden one in between. Racing for that window is timing luck; snpemu's
 * read watch (instrument.h) instead counts every read the SVSM makes of the request page, per
 * 8-byte word, so a second read of any word shows at once, deterministically.
 */
#include "check.h"
#include "instrument.h"
#include "lib/string.h"
#include "tests.h"

/* Test pages of this group: test_page(RF_PAGE0 + i). */
#define RF_PAGE0 40
#define RF_PAGES 4

static u64 pg(u32 i)
{
	return test_page(RF_PAGE0 + i);
}

/* A request at SCR_REQ + off: entries for pg(0).. (validate or rescind), starting at next. */
static u64 build(u32 off, u16 entries, u16 next, bool validate)
{
	u64 gpa = scratch_gpa(SCR_REQ) + off;
	struct svsm_pvalidate_req *req = pvalidate_req_at(gpa);

	memset(gpa_ptr(scratch_gpa(SCR_REQ)), 0, PAGE_SIZE);
	req->entries = entries;
	req->next = next;
	for (u32 i = 0; i < entries; i++)
		req->entry[i] = PVAL_ENTRY(pg(i % RF_PAGES), PVAL_SIZE_4K, validate, false);
	return gpa;
}

/* PVALIDATE of the request at req under the read watch: the result, and one read per word. */
static void watched(u64 req, u32 want, u16 want_next, const char *what)
{
	struct svsm_pvalidate_req *r = pvalidate_req_at(req);
	struct ti_watch_counts c;
	u32 rc;

	if (!ti_watch_arm(scratch_gpa(SCR_REQ))) {
		check(false, "%s: snpemu's read watch armed on the request page", what);
		return;
	}
	rc = pvalidate_call(req);
	ti_watch_disarm(&c);
	check_rc(rc, want, "%s (next %u, want %u)", what, READ_ONCE(r->next), want_next);
	check(c.reads >= 1 && c.max_word_reads == 1 && READ_ONCE(r->next) == want_next,
	      "%s: the SVSM read no word of the request twice (%u reads, at most %u of one word; "
	      "%u writes)",
	      what, c.reads, c.max_word_reads, c.writes);
}

void test_request_reads(void)
{
	u64 req;

	note("the PVALIDATE request is read once (snpemu's read watch on its page)");
	if (!ti_present()) {
		check(false, "snpemu's test instrument answers: the read-watch checks need it");
		return;
	}
	if (!make_private(pg(0), RF_PAGES))
		return;
	watched(build(0, RF_PAGES, 0, true), SVSM_SUCCESS, RF_PAGES, "validate of 4 pages");
	watched(build(0, RF_PAGES, 0, false), SVSM_SUCCESS, RF_PAGES, "rescind of 4 pages");
	watched(build(0x7c0, RF_PAGES, 2, true), SVSM_SUCCESS, RF_PAGES,
		"validate of entries 2-3 of 4, the request mid-page");
	req = build(0, RF_PAGES, 0, true);
	pvalidate_req_at(req)->entry[1] |= BIT_ULL(4); /* a reserved bit */
	watched(req, SVSM_ERR_INVALID_PARAMETER, 0, "a request with a reserved bit in entry 1");
	req = build(0, 3, 0, false);
	pvalidate_req_at(req)->entry[0] = PVAL_ENTRY(pg(2), PVAL_SIZE_4K, false, false);
	pvalidate_req_at(req)->entry[1] = PVAL_ENTRY(pg(3), PVAL_SIZE_4K, false, false);
	pvalidate_req_at(req)->entry[2] = PVAL_ENTRY(env.svsm.base, PVAL_SIZE_4K, false, false);
	watched(req, SVSM_ERR_INVALID_ADDRESS, 2, "rescind of 2 pages, then SVSM memory");
}
