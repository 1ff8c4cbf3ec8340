/*
 * Every PVALIDATE outcome (facts §4): success, CF=1 "unchanged", FAIL_INPUT, FAIL_SIZEMISMATCH,
 * and #VC 0x404 for an access to a page that is not validated.
 */
#include "check.h"

#define MARK 0x0123456789abcdefULL

static void check_4k(void)
{
	u64 gpa = pool_page(), va = gpa_to_priv(gpa);
	struct insn_result r;

	/* Hypervisor-owned (shared) page: nothing to validate. Facts §4 lists FAIL_INPUT without
	 * saying when; this case is issue 2's reading (no other source checked). */
	check_insn("pvalidate: shared page -> FAIL_INPUT", pvalidate(va, false, true), FAIL_INPUT,
		   CF_ANY);
	check(psc_range(gpa, 1, PSC_OP_PRIVATE, false), "pvalidate: setup: PSC page private", "%s",
	      "PSC failed");
	check_vc_at("pvalidate: access to a private page not yet validated -> #VC 0x404",
		    probe_read64(va), NAE_NPF_UNVALIDATED);
	check_insn("pvalidate: validate a private page -> 0, CF=0", pvalidate(va, false, true), 0,
		   0);
	check_insn("pvalidate: validate it again -> 0, CF=1 (unchanged)",
		   pvalidate(va, false, true), 0, 1);
	r = probe_write64(va, MARK);
	check_no_fault("pvalidate: write to the validated page", r);
	r = probe_read64(va);
	check(r.vector < 0 && r.rax == MARK, "pvalidate: read of the validated page",
	      "vector %d value 0x%lx", r.vector, r.rax);
	check_insn("pvalidate: rescind -> 0, CF=0", pvalidate(va, false, false), 0, 0);
	check_insn("pvalidate: rescind again -> 0, CF=1 (unchanged)", pvalidate(va, false, false),
		   0, 1);
	check_vc_at("pvalidate: read after rescind -> #VC 0x404 at the access", probe_read64(va),
		    NAE_NPF_UNVALIDATED);
	check_vc_at("pvalidate: write after rescind -> #VC 0x404 at the access",
		    probe_write64(va, 1), NAE_NPF_UNVALIDATED);
	check_insn("pvalidate: validate again after rescind -> 0, CF=0", pvalidate(va, false, true),
		   0, 0);
}

static void check_2m(void)
{
	u64 small = pool_region_2m(), big = pool_region_2m();
	u64 inside = big + 0x1f0000;
	struct insn_result r;

	/* 512 4 KiB private RMP entries: a 2 MiB validate does not fit them. */
	check(psc_range(small, PAGES_PER_2M, PSC_OP_PRIVATE, false),
	      "pvalidate: setup: PSC 512 4K pages private", "%s", "PSC failed");
	check_insn("pvalidate: 2M on 4K RMP pages -> FAIL_SIZEMISMATCH",
		   pvalidate(gpa_to_priv(small), true, true), FAIL_SIZEMISMATCH, CF_ANY);
	check_insn("pvalidate: ... and left the 4K pages alone (4K validate -> 0, CF=0)",
		   pvalidate(gpa_to_priv(small), false, true), 0, 0);

	/* One 2 MiB private RMP entry. */
	check(psc_range(big, 1, PSC_OP_PRIVATE, true), "pvalidate: setup: PSC 2M page private",
	      "%s", "PSC failed");
	check_insn("pvalidate: 4K inside a 2M RMP page -> FAIL_SIZEMISMATCH",
		   pvalidate(gpa_to_priv(big + PAGE_SIZE), false, true), FAIL_SIZEMISMATCH, CF_ANY);
	check_insn("pvalidate: 2M at a misaligned address -> FAIL_INPUT",
		   pvalidate(gpa_to_priv(big + PAGE_SIZE), true, true), FAIL_INPUT, CF_ANY);
	check_insn("pvalidate: validate 2M -> 0, CF=0", pvalidate(gpa_to_priv(big), true, true), 0,
		   0);
	check_insn("pvalidate: validate 2M again -> 0, CF=1",
		   pvalidate(gpa_to_priv(big), true, true), 0, 1);
	r = probe_write64(gpa_to_priv(inside), MARK);
	check_no_fault("pvalidate: write inside the validated 2M page", r);
	r = probe_read64(gpa_to_priv(inside));
	check(r.vector < 0 && r.rax == MARK, "pvalidate: read inside the validated 2M page",
	      "vector %d value 0x%lx", r.vector, r.rax);
	check_insn("pvalidate: rescind 2M -> 0, CF=0", pvalidate(gpa_to_priv(big), true, false), 0,
		   0);
	check_vc_at("pvalidate: read inside the rescinded 2M page -> #VC 0x404",
		    probe_read64(gpa_to_priv(inside)), NAE_NPF_UNVALIDATED);
}

void check_pvalidate(void)
{
	check_4k();
	check_2m();
}
