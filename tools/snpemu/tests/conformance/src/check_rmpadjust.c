/*
 * RMPADJUST from VMPL0 (facts §4). What the granted permissions let VMPL1 do, and RMPADJUST
 * from VMPL1, are in check_vmpl.c; whether the VMSA bit took effect is in check_ap.c.
 */
#include "check.h"

void check_rmpadjust(void)
{
	u64 page = gpa_to_priv(pool_private_page());
	u64 unvalidated = pool_page(), small = pool_region_2m(), big = pool_region_2m();
	u64 vmsa = gpa_to_priv(pool_private_page());

	check_insn("rmpadjust: grant VMPL1 R -> 0", rmpadjust(page, false, RMP_R | 1), 0, CF_ANY);
	check_insn("rmpadjust: grant VMPL1 RW -> 0", rmpadjust(page, false, RMP_R | RMP_W | 1), 0,
		   CF_ANY);
	check_insn("rmpadjust: grant VMPL1 RWX -> 0", rmpadjust(page, false, RMP_RWX | 1), 0,
		   CF_ANY);
	check_insn("rmpadjust: revoke VMPL1 (attributes 0) -> 0", rmpadjust(page, false, 1), 0,
		   CF_ANY);
	check_insn("rmpadjust: grant VMPL3 RWX -> 0", rmpadjust(page, false, RMP_RWX | 3), 0,
		   CF_ANY);
	/* Only a numerically higher VMPL than the caller's (facts §4, confirmed KSEV). */
	check_insn("rmpadjust: target VMPL0 from VMPL0 -> FAIL_PERMISSION",
		   rmpadjust(page, false, RMP_RWX | 0), FAIL_PERMISSION, CF_ANY);

	check(psc_range(unvalidated, 1, PSC_OP_PRIVATE, false),
	      "rmpadjust: setup: PSC a page private", "%s", "PSC failed");
	/* As for PVALIDATE on a shared page: the FAIL_INPUT case is issue 2's reading. */
	check_insn("rmpadjust: private page not validated -> FAIL_INPUT",
		   rmpadjust(gpa_to_priv(unvalidated), false, RMP_R | 1), FAIL_INPUT, CF_ANY);

	/* Size mismatch both ways, as for PVALIDATE (facts §4 result 6). */
	check(psc_range(small, PAGES_PER_2M, PSC_OP_PRIVATE, false),
	      "rmpadjust: setup: PSC 512 4K pages private", "%s", "PSC failed");
	check_insn("rmpadjust: setup: validate the first 4K page",
		   pvalidate(gpa_to_priv(small), false, true), 0, 0);
	check_insn("rmpadjust: 2M on a 4K RMP page -> FAIL_SIZEMISMATCH",
		   rmpadjust(gpa_to_priv(small), true, RMP_R | 1), FAIL_SIZEMISMATCH, CF_ANY);
	check(psc_range(big, 1, PSC_OP_PRIVATE, true), "rmpadjust: setup: PSC a 2M page private",
	      "%s", "PSC failed");
	check_insn("rmpadjust: setup: validate the 2M page",
		   pvalidate(gpa_to_priv(big), true, true), 0, 0);
	check_insn("rmpadjust: 4K inside a 2M RMP page -> FAIL_SIZEMISMATCH",
		   rmpadjust(gpa_to_priv(big + PAGE_SIZE), false, RMP_R | 1), FAIL_SIZEMISMATCH,
		   CF_ANY);
	check_insn("rmpadjust: 2M on the 2M page -> 0",
		   rmpadjust(gpa_to_priv(big), true, RMP_R | 1), 0, CF_ANY);

	/* The VMSA bit (facts §4: READ|VMSA|vmpl); its effect is checked with AP creation. */
	check_insn("rmpadjust: set the VMSA bit -> 0", rmpadjust(vmsa, false, RMP_VMSA | RMP_R | 1),
		   0, CF_ANY);
	check_insn("rmpadjust: clear the VMSA bit -> 0", rmpadjust(vmsa, false, RMP_R | 1), 0,
		   CF_ANY);
}
