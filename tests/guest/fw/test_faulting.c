/*
 * Guest addresses that fault when the SVSM touches them: a page that is private but not
 * validated raises #VC 0x404 in VMPL0 too, and a private (C-bit) access to a shared page is
 * an RMP violation (snpemu stops the machine: exit 4). The SVSM must turn both into
 * INVALID_ADDRESS ("an input address that faults", facts §7 result codes) without touching
 * the page the wrong way, rather than die. Run last, so that an SVSM that does die still
 * leaves every other result in the log.
 */
#include "check.h"
#include "lib/string.h"
#include "tests.h"
#include "vc.h"

#define FAULT_PAGE test_page(TEST_4K_PAGES - 2)
#define SHARED_PAGE test_page(TEST_4K_PAGES - 3) /* never made private */

void test_faulting_addresses(void)
{
	struct svsm_regs r = { 0 };
	u16 next;

	note("requests naming a page that is private but not validated");
	if (!make_private(FAULT_PAGE, 1))
		return;
	r.rcx = FAULT_PAGE;
	check_rc(svsm_core(SVSM_CORE_REMAP_CA, &r), SVSM_ERR_INVALID_ADDRESS,
		 "REMAP_CA to a page that is not validated");
	check_rc(pvalidate_call(FAULT_PAGE), SVSM_ERR_INVALID_ADDRESS,
		 "PVALIDATE with its request in a page that is not validated");
	check(page_probe_read(FAULT_PAGE) == PROBE_NOT_VALIDATED, "the page is still not validated "
								  "afterwards");

	/* If the SVSM read these pages with the C-bit, snpemu would stop here, naming them. */
	note("requests naming a shared page (0x%lx)", (u64)SHARED_PAGE);
	memset(&r, 0, sizeof(r));
	r.rcx = SHARED_PAGE;
	check_rc(svsm_core(SVSM_CORE_REMAP_CA, &r), SVSM_ERR_INVALID_ADDRESS,
		 "REMAP_CA to a shared page");
	check_rc(pvalidate_call(SHARED_PAGE + 8), SVSM_ERR_INVALID_ADDRESS,
		 "PVALIDATE with its request in a shared page");
	/* The page itself as an entry: the PVALIDATE instruction refuses it (FAIL_INPUT, not
	 * assigned), and the SVSM passes its answer on, 0x80001000 + 1 (facts §7), for validate
	 * and rescind alike; a validate must not go on to zero or grant the page. */
	check_rc(pvalidate_one(PVAL_ENTRY(SHARED_PAGE, PVAL_SIZE_4K, true, false), &next),
		 SVSM_ERR_PVALIDATE_FAIL_INPUT, "PVALIDATE validate of a shared page");
	check(next == 0, "the refused validate is not counted: next = 0 (got %u)", next);
	check_rc(pvalidate_one(PVAL_ENTRY(SHARED_PAGE, PVAL_SIZE_4K, false, false), &next),
		 SVSM_ERR_PVALIDATE_FAIL_INPUT, "PVALIDATE rescind of a shared page");
	check(next == 0, "the refused rescind is not counted: next = 0 (got %u)", next);
}
