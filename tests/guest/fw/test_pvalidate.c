/*
 * PVALIDATE (core call 1; facts §7 "PVALIDATE request"): what validate and rescind do to a
 * page, the ignore_CF flag, partial progress through `next`, the request format rules, page
 * sizes, and the addresses the SVSM must refuse.
 *
 * The test pages start shared; each is made private through the GHCB first (a page state
 * change is the guest's own business with the hypervisor, facts §3 "Ordering"), then only the
 * SVSM can validate it.
 */
#include "check.h"
#include "hv.h"
#include "instrument.h"
#include "lib/string.h"
#include "paging.h"
#include "tests.h"
#include "vc.h"

/* Test pages of this group: test_page(PV_x). PV_J is private and never validated: requests
 * that must be refused name it, and it must still be unvalidated at the end. */
enum {
	PV_A,
	PV_B,
	PV_C,
	PV_D,
	PV_E,
	PV_F,
	PV_G,
	PV_H,
	PV_I,
	PV_J,
	PV_K,
	PV_PAGES,
};

static u64 pg(u32 p)
{
	return test_page(p);
}

static bool not_validated(u64 gpa)
{
	return page_probe_read(gpa) == PROBE_NOT_VALIDATED;
}

static void effects(void)
{
	u64 a = pg(PV_A), fault;
	u16 next = 0xffff;

	note("PVALIDATE: effects of validate and rescind on one page");
	check_rc(pvalidate_one(PVAL_ENTRY(a, PVAL_SIZE_4K, true, false), &next), SVSM_SUCCESS,
		 "PVALIDATE validate of a private 4 KiB page");
	check(next == 1, "PVALIDATE: next = entries (1) after success (got %u)", next);
	check(page_usable(a), "after validate the page can be read and written");

	check_rc(rescind_4k(a, false), SVSM_SUCCESS, "PVALIDATE rescind of that page");
	fault = page_probe_read(a);
	check(fault == PROBE_NOT_VALIDATED,
	      "after rescind, reading the page raises #VC 0x404 (probe: 0x%lx)", fault);
	fault = probe_write(gpa_ptr(a), 0);
	check(fault == PROBE_NOT_VALIDATED,
	      "after rescind, writing the page raises #VC 0x404 (probe: 0x%lx)", fault);

	/* The page kept our data while unvalidated; validating it again must not reveal it. */
	check_rc(validate_4k(a, false), SVSM_SUCCESS, "PVALIDATE validate of the page again");
	check(page_probe_read(a) == 0 && page_is_zero(a), "validate zeroes the page: what was "
							  "written before the rescind is gone");

	page_fill(a, 7);
	check_rc(pvalidate_one(PVAL_ENTRY(a, PVAL_SIZE_4K, true, false), &next),
		 SVSM_ERR_PVALIDATE_FAIL_NO_CHANGE,
		 "PVALIDATE validate of a validated page without ignore_CF");
	check(next == 0, "the failed entry is not counted: next = 0 (got %u)", next);
	check(page_holds(a, 7), "the refused validate left the page's content alone");
	check_rc(pvalidate_one(PVAL_ENTRY(a, PVAL_SIZE_4K, true, true), &next), SVSM_SUCCESS,
		 "PVALIDATE validate of a validated page with ignore_CF");
	check(next == 1 && page_probe_read(a) == 0,
	      "with ignore_CF the entry counts (next = %u) and the page stays validated", next);
	check(page_holds(a, 7), "with ignore_CF the validated page keeps its content");

	check_rc(rescind_4k(a, false), SVSM_SUCCESS, "PVALIDATE rescind");
	check_rc(rescind_4k(a, false), SVSM_ERR_PVALIDATE_FAIL_NO_CHANGE,
		 "PVALIDATE rescind of a page that is not validated, without ignore_CF");
	check_rc(rescind_4k(a, true), SVSM_SUCCESS,
		 "PVALIDATE rescind of a page that is not validated, with ignore_CF");
	check(not_validated(a), "the page is still not validated");
}

static void set_req(struct svsm_pvalidate_req *req, u16 entries, u16 next)
{
	memset(req, 0, 8);
	req->entries = entries;
	req->next = next;
}

static void partial_progress(void)
{
	u64 req_gpa = scratch_gpa(SCR_REQ);
	struct svsm_pvalidate_req *req = pvalidate_req_at(req_gpa);
	u32 rc;

	note("PVALIDATE: several entries, progress through next");
	/* D validated beforehand, so that the third entry below fails (CF = 1, not ignored). */
	check_rc(validate_4k(pg(PV_D), false), SVSM_SUCCESS, "PVALIDATE validate (setup)");
	set_req(req, 4, 0);
	req->entry[0] = PVAL_ENTRY(pg(PV_B), PVAL_SIZE_4K, true, false);
	req->entry[1] = PVAL_ENTRY(pg(PV_C), PVAL_SIZE_4K, true, false);
	req->entry[2] = PVAL_ENTRY(pg(PV_D), PVAL_SIZE_4K, true, false);
	req->entry[3] = PVAL_ENTRY(pg(PV_E), PVAL_SIZE_4K, true, false);
	rc = pvalidate_call(req_gpa);
	check_rc(rc, SVSM_ERR_PVALIDATE_FAIL_NO_CHANGE, "PVALIDATE of 4 entries whose third fails");
	check(READ_ONCE(req->next) == 2, "next stops at the failing entry: 2 (got %u)",
	      READ_ONCE(req->next));
	check(page_usable(pg(PV_B)) && page_usable(pg(PV_C)), "the entries before the failing one "
							      "took effect");
	check(not_validated(pg(PV_E)), "the entry after the failing one did not");

	set_req(req, 3, 0);
	req->entry[0] = PVAL_ENTRY(pg(PV_F), PVAL_SIZE_4K, true, false);
	req->entry[1] = PVAL_ENTRY(env.svsm.base, PVAL_SIZE_4K, true, false);
	req->entry[2] = PVAL_ENTRY(pg(PV_G), PVAL_SIZE_4K, true, false);
	rc = pvalidate_call(req_gpa);
	check_rc(rc, SVSM_ERR_INVALID_ADDRESS,
		 "PVALIDATE of 3 entries whose second is SVSM memory");
	check(READ_ONCE(req->next) == 1 && page_usable(pg(PV_F)) && not_validated(pg(PV_G)),
	      "next = 1 (got %u): the first entry took effect, the third did not",
	      READ_ONCE(req->next));

	set_req(req, 2, 1);
	req->entry[0] = PVAL_ENTRY(pg(PV_H), PVAL_SIZE_4K, true, false);
	req->entry[1] = PVAL_ENTRY(pg(PV_I), PVAL_SIZE_4K, true, false);
	check_rc(pvalidate_call(req_gpa), SVSM_SUCCESS,
		 "PVALIDATE of 2 entries starting at next = 1");
	check(READ_ONCE(req->next) == 2 && page_usable(pg(PV_I)) && not_validated(pg(PV_H)),
	      "only the entries from next on are processed (next %u)", READ_ONCE(req->next));

	set_req(req, 5, 0);
	req->entry[0] = PVAL_ENTRY(pg(PV_B), PVAL_SIZE_4K, false, false);
	req->entry[1] = PVAL_ENTRY(pg(PV_C), PVAL_SIZE_4K, false, false);
	req->entry[2] = PVAL_ENTRY(pg(PV_D), PVAL_SIZE_4K, false, false);
	req->entry[3] = PVAL_ENTRY(pg(PV_F), PVAL_SIZE_4K, false, false);
	req->entry[4] = PVAL_ENTRY(pg(PV_I), PVAL_SIZE_4K, false, false);
	check_rc(pvalidate_call(req_gpa), SVSM_SUCCESS, "PVALIDATE rescind of 5 entries");
	check(READ_ONCE(req->next) == 5 && not_validated(pg(PV_B)) && not_validated(pg(PV_C)) &&
		      not_validated(pg(PV_D)) && not_validated(pg(PV_F)) && not_validated(pg(PV_I)),
	      "all 5 pages are rescinded, next = 5");
}

/* Malformed requests: INVALID_PARAMETER, and nothing validated (facts §7: entries != 0,
 * next < entries, the request within one page, reserved bits 0, valid sizes, 2 MiB GFNs
 * aligned, the request 8-byte aligned). */
static void request_format(void)
{
	u64 req_gpa = scratch_gpa(SCR_REQ), j = pg(PV_J), k = pg(PV_K);
	struct svsm_pvalidate_req *req = pvalidate_req_at(req_gpa);
	static const struct {
		u64 bits;
		const char *what;
	} bad_entries[] = {
		{ BIT_ULL(4), "reserved bit 4 set" },
		{ BIT_ULL(11), "reserved bit 11 set" },
		{ 2, "page size 2" },
		{ 3, "page size 3" },
	};
	struct svsm_pvalidate_req *odd;

	note("PVALIDATE: malformed requests");
	set_req(req, 0, 0);
	req->entry[0] = PVAL_ENTRY(j, PVAL_SIZE_4K, true, false);
	check_rc(pvalidate_call(req_gpa), SVSM_ERR_INVALID_PARAMETER, "PVALIDATE with entries = 0");
	set_req(req, 1, 1);
	check_rc(pvalidate_call(req_gpa), SVSM_ERR_INVALID_PARAMETER,
		 "PVALIDATE with next = entries");
	set_req(req, 1, 7);
	check_rc(pvalidate_call(req_gpa), SVSM_ERR_INVALID_PARAMETER,
		 "PVALIDATE with next > entries");

	odd = pvalidate_req_at(req_gpa + 4);
	set_req(odd, 1, 0);
	odd->entry[0] = PVAL_ENTRY(j, PVAL_SIZE_4K, true, false);
	check_rc(pvalidate_call(req_gpa + 4), SVSM_ERR_INVALID_PARAMETER,
		 "PVALIDATE request at an address that is not 8-byte aligned");

	odd = pvalidate_req_at(req_gpa + PAGE_SIZE - 8);
	set_req(odd, 1, 0);
	*(volatile u64 *)gpa_ptr(req_gpa + PAGE_SIZE) = PVAL_ENTRY(j, PVAL_SIZE_4K, true, false);
	check_rc(pvalidate_call(req_gpa + PAGE_SIZE - 8), SVSM_ERR_INVALID_PARAMETER,
		 "PVALIDATE request whose entry runs into the next page");

	/* 8 + 511 * 8 bytes fill a page exactly; 512 entries do not fit. Only the last entry is
	 * processed (next = entries - 1). */
	set_req(req, PVAL_MAX_ENTRIES_PER_PAGE + 1, PVAL_MAX_ENTRIES_PER_PAGE);
	*(volatile u64 *)gpa_ptr(req_gpa + PAGE_SIZE) = PVAL_ENTRY(j, PVAL_SIZE_4K, true, false);
	check_rc(pvalidate_call(req_gpa), SVSM_ERR_INVALID_PARAMETER,
		 "PVALIDATE with 512 entries (one more than fit in the page)");
	set_req(req, PVAL_MAX_ENTRIES_PER_PAGE, PVAL_MAX_ENTRIES_PER_PAGE - 1);
	req->entry[PVAL_MAX_ENTRIES_PER_PAGE - 1] = PVAL_ENTRY(k, PVAL_SIZE_4K, true, false);
	check_rc(pvalidate_call(req_gpa), SVSM_SUCCESS,
		 "PVALIDATE with 511 entries (exactly a page), from next = 510");
	check(READ_ONCE(req->next) == PVAL_MAX_ENTRIES_PER_PAGE && page_usable(k),
	      "the last entry of a full page took effect (next %u)", READ_ONCE(req->next));
	check_rc(rescind_4k(k, false), SVSM_SUCCESS, "PVALIDATE rescind (cleanup)");

	for (unsigned int i = 0; i < ARRAY_SIZE(bad_entries); i++) {
		u64 e = (PVAL_ENTRY(j, PVAL_SIZE_4K, true, false) & ~3ULL) | bad_entries[i].bits;

		check_rc(pvalidate_one(e, NULL), SVSM_ERR_INVALID_PARAMETER,
			 "PVALIDATE entry with %s", bad_entries[i].what);
	}
	check_rc(
		pvalidate_one(PVAL_ENTRY(TEST_2M_GPA + PAGE_SIZE, PVAL_SIZE_2M, true, false), NULL),
		SVSM_ERR_INVALID_PARAMETER, "PVALIDATE 2 MiB entry whose GFN is not 2 MiB aligned");
	check(not_validated(j), "none of the malformed requests validated its page");
}

/* Rescind @n 4 KiB pages from @gpa, as many a request as fit the request page. */
static u32 rescind_pages(u64 gpa, u32 n)
{
	struct svsm_pvalidate_req *req = pvalidate_req_at(scratch_gpa(SCR_REQ));
	u32 per = (PAGE_SIZE - 8) / 8, rc = SVSM_SUCCESS;

	for (u32 i = 0; i < n && rc == SVSM_SUCCESS; i += per) {
		u32 k = n - i < per ? n - i : per;

		memset(req, 0, 8);
		req->entries = (u16)k;
		for (u32 j = 0; j < k; j++)
			req->entry[j] = PVAL_ENTRY(gpa + (u64)(i + j) * PAGE_SIZE, PVAL_SIZE_4K,
						   false, false);
		rc = pvalidate_call(scratch_gpa(SCR_REQ));
	}
	return rc;
}

static void huge_page(void)
{
	u64 first = TEST_2M_GPA, last = TEST_2M_GPA + PAGE_2M_SIZE - PAGE_SIZE;
	struct svsm_pvalidate_req *req;
	int psc;
	u32 rc;

	note("PVALIDATE: 2 MiB pages");
	psc = hv_psc(TEST_2M_GPA, 1, true, PSC_OP_PRIVATE);
	check(psc == 0, "page state change of a 2 MiB range to private (%d)", psc);
	if (psc)
		return;
	rc = pvalidate_one(PVAL_ENTRY(TEST_2M_GPA, PVAL_SIZE_2M, true, false), NULL);
	/* FAIL_SIZEMISMATCH is hardware's answer when the host backs the range with 4 KiB RMP
	 * entries (facts §4); both results are correct. */
	check_rc2(rc, SVSM_SUCCESS, SVSM_ERR_PVALIDATE_FAIL_SIZEMISMATCH,
		  "PVALIDATE validate of a 2 MiB page");
	if (rc != SVSM_SUCCESS) {
		skip("2 MiB page effects: the host gave this range 4 KiB RMP entries");
		return;
	}
	check(page_probe_read(first) == 0 && page_probe_read(last) == 0 && page_is_zero(first) &&
		      page_is_zero(last) && page_usable(first) && page_usable(last),
	      "after a 2 MiB validate its first and last 4 KiB pages read zero and are usable");
	/* A request in a page of a 2 MiB RMP entry: the SVSM proves it private and validated as
	 * that 2 MiB page (README "Guest memory"); its entry validates an ordinary page again
	 * (ignore_CF: content kept). */
	req = pvalidate_req_at(first + PAGE_SIZE);
	memset(req, 0, 16);
	req->entries = 1;
	req->entry[0] = PVAL_ENTRY(scratch_gpa(SCR_PLAIN), PVAL_SIZE_4K, true, true);
	check_rc(pvalidate_call(first + PAGE_SIZE), SVSM_SUCCESS,
		 "PVALIDATE whose request lies in a 2 MiB validated page");
	if (ti_rmp(first) & SNPEMU_RMPQ_2M) {
		check_rc(pvalidate_one(PVAL_ENTRY(TEST_2M_GPA, PVAL_SIZE_2M, false, false), NULL),
			 SVSM_SUCCESS, "PVALIDATE rescind of the 2 MiB page");
	} else {
		/* A host that answers the RMP size-mismatch #NPF with PSMASH (snpemu --host
		 * upstream, svsm-preview) split the entry at the SVSM's 4 KiB probe of the request
		 * page: a 2 MiB rescind is FAIL_SIZEMISMATCH, and the guest rescinds the 4 KiB
		 * pages (as Linux's svsm_pval_pages falls back). */
		note("the host split the 2 MiB RMP entry (PSMASH at the SVSM's 4 KiB probe)");
		check_rc(pvalidate_one(PVAL_ENTRY(TEST_2M_GPA, PVAL_SIZE_2M, false, false), NULL),
			 SVSM_ERR_PVALIDATE_FAIL_SIZEMISMATCH,
			 "PVALIDATE rescind of the 2 MiB page in 4 KiB RMP entries");
		check_rc(rescind_pages(TEST_2M_GPA, PAGES_PER_2M), SVSM_SUCCESS,
			 "PVALIDATE rescind of its 512 4 KiB pages");
	}
	check(not_validated(first) && not_validated(last), "after the 2 MiB rescind its first and "
							   "last pages raise #VC 0x404");
}

/* Addresses no PVALIDATE may touch: INVALID_ADDRESS, next unchanged (facts §7, design §3). */
static void guarded_addresses(void)
{
	const struct svsm_info *s = &env.svsm;
	u64 last = s->base + s->size - PAGE_SIZE, j = pg(PV_J);
	const struct {
		u64 entry;
		const char *what;
	} cases[] = {
		{ PVAL_ENTRY(s->base, PVAL_SIZE_4K, true, false), "validate of SVSM memory (first "
								  "page)" },
		{ PVAL_ENTRY(s->base, PVAL_SIZE_4K, false, false), "rescind of SVSM memory (first "
								   "page)" },
		{ PVAL_ENTRY(last, PVAL_SIZE_4K, true, false), "validate of SVSM memory (last "
							       "page)" },
		{ PVAL_ENTRY(last, PVAL_SIZE_4K, false, false), "rescind of SVSM memory (last "
								"page)" },
		{ PVAL_ENTRY(s->base, PVAL_SIZE_2M, false, false), "2 MiB rescind at the SVSM "
								   "base" },
		{ PVAL_ENTRY(GPA_NO_RAM, PVAL_SIZE_4K, true, false), "a GPA without RAM" },
		{ PVAL_ENTRY(GPA_MMIO, PVAL_SIZE_4K, true, false), "MMIO (the I/O APIC page)" },
		{ PVAL_ENTRY(GPA_TOP, PVAL_SIZE_4K, true, false), "the highest GFN" },
		{ PVAL_ENTRY(0xffffffffffe00000ULL, PVAL_SIZE_2M, true, false), "a 2 MiB page at "
										"the top of the "
										"address space" },
		{ PVAL_ENTRY(j | paging_cbit_mask(), PVAL_SIZE_4K, true, false), "a guest page "
										 "with the C-bit "
										 "set in its GFN" },
		{ PVAL_ENTRY(BOOT_CAA_GPA, PVAL_SIZE_4K, false, false), "rescind of the boot "
									"calling area" },
		{ PVAL_ENTRY(PREVALIDATED_BASE, PVAL_SIZE_2M, true, false), "a 2 MiB page that "
									    "covers the boot "
									    "calling area" },
		/* README "Where the facts are thin": the request page itself is INVALID_ADDRESS
		 * (validated already and ignore_CF: nothing else would refuse it). */
		{ PVAL_ENTRY(scratch_gpa(SCR_REQ), PVAL_SIZE_4K, true, true), "validate "
									      "(ignore_CF) "
									      "of its own request "
									      "page" },
	};
	const struct {
		u64 gpa;
		const char *what;
	} requests[] = {
		{ s->base, "SVSM memory (first page)" },
		{ last, "SVSM memory (last page)" },
		{ GPA_NO_RAM, "a GPA without RAM" },
	};
	struct svsm_regs r = { 0 };
	u16 next;

	note("PVALIDATE: addresses the SVSM must refuse");
	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		u32 rc = pvalidate_one(cases[i].entry, &next);

		check_rc(rc, SVSM_ERR_INVALID_ADDRESS, "PVALIDATE %s", cases[i].what);
		if (next != 0)
			check(false, "PVALIDATE %s: next moved to %u", cases[i].what, next);
	}
	check(not_validated(j), "the refused C-bit request did not validate the page");
	/* The request itself must be guest RAM outside SVSM memory: the SVSM never reads its own
	 * memory as a guest's request (README "Guest memory"). */
	for (unsigned int i = 0; i < ARRAY_SIZE(requests); i++)
		check_rc(pvalidate_call(requests[i].gpa), SVSM_ERR_INVALID_ADDRESS,
			 "PVALIDATE request in %s", requests[i].what);
	r.rcx = SVSM_RAX(SVSM_CORE_PROTOCOL, 1);
	check_rc(svsm_core(SVSM_CORE_QUERY_PROTOCOL, &r), SVSM_SUCCESS,
		 "the boot calling area still works after the refused rescind");
}

/* Pages of the ISA ROM range 0xc0000-0xfffff are validated but not zeroed (README
 * "PVALIDATE", as linux-svsm and coconut-svsm do): what the guest wrote there before a rescind
 * is still there after the next validate. */
static void isa_rom_kept(void)
{
	const u64 a = 0xc0000;

	note("PVALIDATE: the ISA ROM range is not zeroed (page 0x%lx)", a);
	if (!make_private(a, 1))
		return;
	check_rc(validate_4k(a, false), SVSM_SUCCESS, "PVALIDATE validate of the ISA ROM page");
	page_fill(a, 9);
	check_rc(rescind_4k(a, false), SVSM_SUCCESS, "PVALIDATE rescind of the ISA ROM page");
	check_rc(validate_4k(a, false), SVSM_SUCCESS,
		 "PVALIDATE validate of the ISA ROM page again");
	check(page_holds(a, 9), "the ISA ROM page kept its content across rescind and validate");
	check_rc(rescind_4k(a, false), SVSM_SUCCESS, "PVALIDATE rescind of the ISA ROM page again");
}

void test_pvalidate(void)
{
	if (!make_private(pg(0), PV_PAGES))
		return;
	effects();
	partial_progress();
	request_format();
	huge_page();
	guarded_addresses();
	isa_rom_kept();
}
