/*
 * Fatal modes: one access that SNP hardware (snpemu) must stop, because the SVSM must never
 * have granted VMPL1 that access. If the access completes, the firmware reports failure.
 * The matching tests (tests/guest/fatal-*.test.sh) expect snpemu to exit with status 4.
 */
#include "check.h"
#include "console.h"
#include "paging.h"
#include "tests.h"
#include "vcpu.h"

/* SVSM memory: VMPL1 has no access to any of it (README "svsm.bin image format"). */
void fatal_svsm_read(void)
{
	u64 gpa = env.svsm.base;
	int rc = map_page(gpa, gpa, true);
	u64 v;

	if (rc) {
		check(false, "mapping SVSM memory at 0x%lx (%d)", gpa, rc);
		return;
	}
	con_printf("FATAL-MODE svsm-read: VMPL1 reads SVSM memory at 0x%lx, snpemu must stop "
		   "the guest",
		   gpa);
	v = *(volatile u64 *)gpa_ptr(gpa);
	check(false, "VMPL1 read SVSM memory at 0x%lx (0x%lx): the SVSM left it accessible", gpa,
	      v);
}

/* A VMSA the SVSM registered: VMPL1 keeps read access at most (facts §7 CREATE_VCPU step 4),
 * so it cannot change a vCPU's state behind the SVSM's checks. */
void fatal_vmsa_write(void)
{
	u64 vmsa = vcpu_vmsa_gpa(1);
	u32 rc;

	if (env.ncpus < 2) {
		check(false, "fatal mode vmsa-write needs --smp 2 or more");
		return;
	}
	rc = vcpu_create(1, env.apic_id[1], NULL, 0);
	check_rc(rc, SVSM_SUCCESS, "CREATE_VCPU of a valid VMSA");
	if (rc != SVSM_SUCCESS)
		return;
	con_printf("FATAL-MODE vmsa-write: VMPL1 writes the VMSA it registered at 0x%lx, snpemu "
		   "must stop the guest",
		   vmsa);
	((volatile struct vmsa *)gpa_ptr(vmsa))->rip = 0;
	check(false, "VMPL1 wrote a registered VMSA: the SVSM left it writable");
}
