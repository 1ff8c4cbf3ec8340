/*
 * Rules where snpemu used to be more lenient than the hardware (issue 9), one function each:
 *
 *   check_2m_through_4k  a 2 MiB PVALIDATE or RMPADJUST needs a guest mapping of at least
 *                        2 MiB (AMD APM vol 3, PVALIDATE and RMPADJUST: FAIL_SIZEMISMATCH);
 *                        snpemu used to act on the 2 MiB page behind the first GPA.
 *   fatal_walk_shared    a page-table walk is a private access whatever the C-bit says (APM
 *                        vol 2, 15.34.5): a table in a shared page makes it an access to a
 *                        hypervisor-owned page (#NPF); snpemu used to let QEMU walk it.
 * (User/supervisor execute and stale TLB translations need VMPL1: check_vmpl.c.)
 */
#include "check.h"

/*
 * A 4 KiB mapping of the 2 MiB region at @gpa, at VA MAP4K_GVA: PML4[511] -> PDPT[511] (unused
 * by start.S's tables) -> a PD and a PT in fresh private pages.
 */
#define MAP4K_GVA 0xffffffffc0000000ULL
#define PTE_4K 0x63ULL /* present, writable, accessed, dirty */
#define PTE_TBL 0x23ULL

static u64 map_4k(u64 gpa)
{
	u64 pd = pool_private_page(), pt = pool_private_page();
	u64 *pdv = priv_ptr(pd), *ptv = priv_ptr(pt);
	u64 *pdpt = (u64 *)(vmpl0_pml4 + PAGE_SIZE); /* start.S: the PDPT follows the PML4 */

	memset(pdv, 0, PAGE_SIZE);
	for (unsigned int i = 0; i < 512; i++)
		ptv[i] = (gpa + i * PAGE_SIZE) | CONF_CBIT | PTE_4K;
	pdv[0] = pt | CONF_CBIT | PTE_TBL;
	WRITE_ONCE(pdpt[511], pd | CONF_CBIT | PTE_TBL);
	flush_tlb();
	return MAP4K_GVA;
}

static void check_2m_through_4k(void)
{
	u64 region = pool_region_2m(), va4k = map_4k(region);

	check(psc_range(region, 1, PSC_OP_PRIVATE, true), "strict: setup: PSC a 2M page private",
	      "%s", "PSC failed");
	check_insn("strict: 2M PVALIDATE through a 4K mapping -> FAIL_SIZEMISMATCH",
		   pvalidate(va4k, true, true), FAIL_SIZEMISMATCH, CF_ANY);
	check_insn("strict: ... through the 2M mapping -> 0, CF=0",
		   pvalidate(gpa_to_priv(region), true, true), 0, 0);
	check_insn("strict: 2M RMPADJUST through a 4K mapping -> FAIL_SIZEMISMATCH",
		   rmpadjust(va4k, true, RMP_R | 1), FAIL_SIZEMISMATCH, CF_ANY);
	check_insn("strict: ... through the 2M mapping -> 0",
		   rmpadjust(gpa_to_priv(region), true, RMP_R | 1), 0, CF_ANY);
	check_insn("strict: 2M PVALIDATE rescind through a 4K mapping -> FAIL_SIZEMISMATCH",
		   pvalidate(va4k, true, false), FAIL_SIZEMISMATCH, CF_ANY);
	check_no_fault("strict: ... and the page stayed validated (read through the 4K mapping)",
		       probe_read64(va4k + 5 * PAGE_SIZE));
}

__noreturn void fatal_walk_shared(void)
{
	u64 pd = pool_page(), region = pool_region_2m(); /* pool pages are shared */
	u64 *pdv = shared_ptr(pd), *pdpt = (u64 *)(vmpl0_pml4 + PAGE_SIZE);
	struct insn_result r;

	check(psc_range(region, 1, PSC_OP_PRIVATE, true), "strict: setup: PSC a 2M page private",
	      "%s", "PSC failed");
	check_insn("strict: setup: validate it", pvalidate(gpa_to_priv(region), true, true), 0, 0);
	memset(pdv, 0, PAGE_SIZE);
	pdv[0] = region | CONF_CBIT | 0xe3;  /* a private 2 MiB page, through a shared table */
	WRITE_ONCE(pdpt[511], pd | PTE_TBL); /* C=0: the PD is in a shared page */
	flush_tlb();
	/* The console's VMGEXIT also ends snpemu's write window on the PD page (l1/ptw.c: a
	 * shared page the guest wrote stays writable for the walker until the next exit). */
	con_printf("# VMPL0 reads VA 0x%llx, whose page directory is the shared page 0x%lx: snpemu "
		   "must stop (exit 4)\n",
		   MAP4K_GVA, pd);
	r = probe_read64(MAP4K_GVA);
	check(false, "strict: a page-table walk through a shared page stops the machine",
	      "the read came back (vector %d, value 0x%lx)", r.vector, r.rax);
	verdict(VERDICT_FAIL);
}

void check_strict(void)
{
	check_2m_through_4k();
}
