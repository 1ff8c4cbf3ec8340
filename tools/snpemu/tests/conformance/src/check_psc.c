/*
 * Page-state change NAE 0x80000010 (facts §3): 4K and 2M entries, both directions, progress
 * (cur_entry ends at end_entry + 1; re-issue while it is not), errors, PSMASH and UNSMASH,
 * and the entries' cur_page as KVM reads it (arch/x86/kvm/svm/sev.c snp_begin_psc).
 * With --fault psc-partial=N the host stops after N entries, with psc-page-partial=N after N
 * pages of a 2 MiB entry; psc_run (ghcb.c) re-issues and checks that every call made progress.
 */
#include "check.h"

static bool is_private_unvalidated(u64 gpa)
{
	struct insn_result r = pvalidate(gpa_to_priv(gpa), false, true);

	return r.vector < 0 && r.rax == 0 && !r.cf;
}

static bool is_shared(u64 gpa)
{
	struct insn_result r = pvalidate(gpa_to_priv(gpa), false, true);

	return r.vector < 0 && r.rax == FAIL_INPUT;
}

static bool psc_ok(const char *name, const u64 *e, unsigned int n)
{
	struct psc_result r;
	bool ok = psc_run(this_cpu(), e, n, &r);

	return check(ok, name,
		     "exit_info_1 0x%lx exit_info_2 0x%lx cur_entry %u end_entry %u calls %u "
		     "no_progress %d overrun %d moved_end %d moved_entries %d invalid %d",
		     r.last.info1, r.last.info2, r.cur_entry, r.end_entry, r.calls, r.no_progress,
		     r.overrun, r.moved_end, r.moved_entries, r.outputs_invalid);
}

static void check_basic(void)
{
	u64 page = pool_page(), region = pool_region_2m(), e;

	e = psc_entry(page, PSC_OP_PRIVATE, false);
	psc_ok("psc: one 4K entry private, cur_entry = end_entry + 1", &e, 1);
	check(is_private_unvalidated(page), "psc: the 4K page is private (PVALIDATE -> 0, CF=0)",
	      "%s", "PVALIDATE did not validate it");
	pvalidate(gpa_to_priv(page), false, false);
	e = psc_entry(page, PSC_OP_SHARED, false);
	psc_ok("psc: one 4K entry shared", &e, 1);
	check(is_shared(page), "psc: the 4K page is shared (PVALIDATE -> FAIL_INPUT)", "%s",
	      "PVALIDATE did not fail with FAIL_INPUT");

	e = psc_entry(region, PSC_OP_PRIVATE, true);
	psc_ok("psc: one 2M entry private", &e, 1);
	check_insn("psc: the 2M page is private (2M PVALIDATE -> 0, CF=0)",
		   pvalidate(gpa_to_priv(region), true, true), 0, 0);
	pvalidate(gpa_to_priv(region), true, false);
	e = psc_entry(region, PSC_OP_SHARED, true);
	psc_ok("psc: one 2M entry shared", &e, 1);
	check_insn("psc: the 2M page is shared (2M PVALIDATE -> FAIL_INPUT)",
		   pvalidate(gpa_to_priv(region), true, true), FAIL_INPUT, CF_ANY);
}

static void check_many(void)
{
	u64 e[PSC_MAX_ENTRIES];
	unsigned int i, bad = 0;

	for (i = 0; i < 8; i++)
		e[i] = psc_entry(pool_page(), PSC_OP_PRIVATE, false);
	psc_ok("psc: eight 4K entries in one descriptor", e, 8);

	/* The largest descriptor: 253 entries fill the shared buffer (facts §3). */
	for (i = 0; i < PSC_MAX_ENTRIES; i++)
		e[i] = psc_entry(pool_page(), PSC_OP_PRIVATE, false);
	psc_ok("psc: 253 entries (a full shared buffer) in one descriptor", e, PSC_MAX_ENTRIES);
	for (i = 0; i < PSC_MAX_ENTRIES; i++)
		bad += !is_private_unvalidated(e[i] & GENMASK_ULL(51, 12));
	check_eq("psc: all 253 pages are private", bad, 0);
}

static void check_errors(void)
{
	struct cpu *c = this_cpu();
	volatile struct psc_desc *d = (volatile struct psc_desc *)(c->ghcb + GHCB_BUFFER);
	u64 a = pool_page(), b = pool_page(), cc = pool_page(), e[3];
	struct psc_result r;
	struct nae n;
	unsigned int i;

	/* An invalid operation stops the host at that entry (facts §3 invalid entry). */
	e[0] = psc_entry(a, PSC_OP_PRIVATE, false);
	e[1] = psc_entry(b, 7, false);
	e[2] = psc_entry(cc, PSC_OP_PRIVATE, false);
	psc_run(c, e, 3, &r);
	check_eq("psc: bad operation -> exit_info_2 (1 << 32) | 2", r.last.info2,
		 PSC_ERR_INVALID_ENTRY);
	check_eq("psc: bad operation -> cur_entry at the bad entry", r.cur_entry, 1);
	check(is_private_unvalidated(a), "psc: the entry before the bad one was done", "%s",
	      "page not private");
	check(is_shared(b) && is_shared(cc), "psc: the bad entry and the ones after were not done",
	      "%s", "page changed");

	/* end_entry 253 names 254 entries: more than the buffer holds (facts §3). */
	d->cur_entry = 0;
	d->end_entry = PSC_MAX_ENTRIES;
	d->reserved = 0;
	for (i = 0; i < PSC_MAX_ENTRIES; i++)
		d->entry[i] = psc_entry(b, PSC_OP_PRIVATE, false);
	n = psc_call(c);
	check_eq("psc: end_entry 253 -> exit_info_2 (1 << 32) | 1 (invalid header)", n.info2,
		 PSC_ERR_INVALID_HDR);
	check(is_shared(b), "psc: the invalid header changed nothing", "%s", "page changed");

	/* KVM's snp_begin_psc reads cur_entry and end_entry only: a non-zero reserved word
	 * (edk2 leaves stale bytes there) is no error. */
	d->cur_entry = 0;
	d->end_entry = 0;
	d->reserved = 0xa5a5a5a5;
	d->entry[0] = psc_entry(b, PSC_OP_PRIVATE, false);
	n = psc_call(c);
	check_eq("psc: a non-zero reserved header word is ignored (exit_info_2 0)", n.info2, 0);
	check(is_private_unvalidated(b), "psc: ... and the entry was done", "%s",
	      "page not private");
}

static void check_smash(void)
{
	u64 smashed = pool_region_2m(), rejoined = pool_region_2m(), e;

	/* PSMASH/UNSMASH entries name the 2 MiB page: size bit set, 2 MiB-aligned GFN. The size
	 * bit for these operations is not in the facts (UNCONFIRMED); 2 MiB is the natural one. */
	e = psc_entry(smashed, PSC_OP_PRIVATE, true);
	psc_ok("psc: setup: a 2M page private", &e, 1);
	check_insn("psc: before PSMASH a 4K PVALIDATE inside is FAIL_SIZEMISMATCH",
		   pvalidate(gpa_to_priv(smashed + PAGE_SIZE), false, true), FAIL_SIZEMISMATCH,
		   CF_ANY);
	e = psc_entry(smashed, PSC_OP_PSMASH, true);
	psc_ok("psc: PSMASH the 2M page", &e, 1);
	check_insn("psc: after PSMASH a 4K PVALIDATE inside works (0, CF=0)",
		   pvalidate(gpa_to_priv(smashed + PAGE_SIZE), false, true), 0, 0);

	e = psc_entry(rejoined, PSC_OP_PRIVATE, true);
	psc_ok("psc: setup: another 2M page private", &e, 1);
	e = psc_entry(rejoined, PSC_OP_PSMASH, true);
	psc_ok("psc: PSMASH it", &e, 1);
	e = psc_entry(rejoined, PSC_OP_UNSMASH, true);
	psc_ok("psc: UNSMASH it", &e, 1);
	check_insn("psc: after UNSMASH a 4K PVALIDATE inside is FAIL_SIZEMISMATCH again",
		   pvalidate(gpa_to_priv(rejoined + PAGE_SIZE), false, true), FAIL_SIZEMISMATCH,
		   CF_ANY);
	check_insn("psc: after UNSMASH a 2M PVALIDATE works (0, CF=0)",
		   pvalidate(gpa_to_priv(rejoined), true, true), 0, 0);
}

/*
 * cur_page (entry bits 11:0), KVM's snp_begin_psc: an entry whose cur_page equals its page
 * count (1 or 512) is done already and skipped, one above it is an invalid entry, a 2 MiB entry
 * with 0 < cur_page < 512 has only its remaining pages converted, as 4 KiB pages.
 */
static void check_cur_page(void)
{
	u64 done = pool_page(), over = pool_page(), half = pool_region_2m(), e[2];
	struct psc_result r;

	e[0] = psc_entry(done, PSC_OP_PRIVATE, false) | 1;
	psc_ok("psc: a 4K entry with cur_page 1 (complete) is accepted", e, 1);
	check(is_shared(done), "psc: ... and skipped: the page stays shared", "%s",
	      "the host converted a page whose entry said it was done");

	e[0] = psc_entry(over, PSC_OP_PRIVATE, false) | 2;
	psc_run(this_cpu(), e, 1, &r);
	check_eq("psc: a 4K entry with cur_page 2 (above its 1 page) -> invalid entry",
		 r.last.info2, PSC_ERR_INVALID_ENTRY);
	check(is_shared(over), "psc: ... and the page stays shared", "%s", "page changed");

	e[0] = psc_entry(half, PSC_OP_PRIVATE, true) | 256;
	psc_ok("psc: a 2M entry with cur_page 256 (half done)", e, 1);
	check(is_shared(half) && is_shared(half + 255 * PAGE_SIZE),
	      "psc: ... its pages below cur_page are left alone (shared)", "%s",
	      "the host converted pages the entry said were done");
	check(is_private_unvalidated(half + 256 * PAGE_SIZE) &&
		      is_private_unvalidated(half + 511 * PAGE_SIZE),
	      "psc: ... the rest are private as 4K RMP entries (4K PVALIDATE -> 0, CF=0)", "%s",
	      "a page from cur_page on is not a private 4K page");
}

void check_psc(void)
{
	check_basic();
	check_many();
	check_errors();
	check_cur_page();
	check_smash();
}
