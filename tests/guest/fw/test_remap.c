/*
 * REMAP_CA (core call 0; facts §7): move this vCPU's calling area and back, prove the old one
 * is no longer read, and refuse bad targets without changing the calling area.
 */
#include "check.h"
#include "lib/string.h"
#include "paging.h"
#include "percpu.h"
#include "tests.h"
#include "vcpu.h"

static u32 remap_ca(u64 gpa)
{
	struct svsm_regs r = { 0 };

	r.rcx = gpa;
	return svsm_core(SVSM_CORE_REMAP_CA, &r);
}

static void use_caa(u64 gpa)
{
	this_cpu()->caa_gpa = gpa;
	this_cpu()->caa = gpa_ptr(gpa);
}

static bool query_works(void)
{
	struct svsm_regs r = { 0 };

	r.rcx = SVSM_RAX(SVSM_CORE_PROTOCOL, 1);
	return svsm_core(SVSM_CORE_QUERY_PROTOCOL, &r) == SVSM_SUCCESS && r.rcx != 0;
}

/* vCPU 1's job: PVALIDATE (ignore_CF: harmless if allowed) of the page in job_arg. */
static void ap_validate(struct cpu *cpu)
{
	cpu->job_result = validate_4k(cpu->job_arg, true);
}

/* While this vCPU is between calls only the registry protects its calling area from the
 * others (README "Guest memory"): another vCPU's PVALIDATE of it is INVALID_ADDRESS. */
static void caa_guarded_from_others(u64 caa)
{
	u32 rc;

	if (env.ncpus < 2) {
		skip("REMAP_CA: the new calling area from another vCPU needs --smp 2 or more");
		return;
	}
	rc = vcpu_create(1, env.apic_id[1], ap_validate, caa);
	check_rc(rc, SVSM_SUCCESS, "CREATE_VCPU of vCPU 1 (to name our calling area)");
	if (rc != SVSM_SUCCESS)
		return;
	if (!vcpu_run(1) && vcpu_wait(1, CPU_DONE))
		check_rc(cpu_by_index(1)->job_result, SVSM_ERR_INVALID_ADDRESS,
			 "PVALIDATE from vCPU 1 of our new calling area");
	else
		check(false, "vCPU 1 ran its job");
	check_rc(vcpu_delete(1), SVSM_SUCCESS, "DELETE_VCPU of vCPU 1");
}

static void move_and_back(void)
{
	u64 old = this_cpu()->caa_gpa, new = scratch_gpa(SCR_CAA_NEW);
	struct svsm_caa *old_caa = gpa_ptr(old), *new_caa = gpa_ptr(new);
	struct svsm_regs r = { 0 };
	u8 pending;
	int exit_rc;
	u32 rc;

	/* Garbage in the new page: the SVSM must start it with call_pending = 0 (SPEC-T). */
	memset(new_caa, 0xa5, PAGE_SIZE);
	rc = remap_ca(new);
	check_rc(rc, SVSM_SUCCESS, "REMAP_CA to another page");
	if (rc != SVSM_SUCCESS)
		return;
	use_caa(new);
	pending = READ_ONCE(new_caa->call_pending);
	check(pending == 0, "REMAP_CA left call_pending = 0 in the new calling area (%u)", pending);

	/* A call announced only in the old calling area must be ignored. */
	__atomic_store_n(&old_caa->call_pending, 1, __ATOMIC_SEQ_CST);
	r.rax = SVSM_RAX(SVSM_CORE_PROTOCOL, SVSM_CORE_QUERY_PROTOCOL);
	r.rcx = SVSM_RAX(SVSM_CORE_PROTOCOL, 1);
	exit_rc = svsm_call_once(&r, false, &pending);
	check(exit_rc == 0 && READ_ONCE(old_caa->call_pending) == 1 &&
		      r.rax == SVSM_RAX(SVSM_CORE_PROTOCOL, SVSM_CORE_QUERY_PROTOCOL) &&
		      r.rcx == SVSM_RAX(SVSM_CORE_PROTOCOL, 1),
	      "after REMAP_CA the old calling area is no longer read");
	WRITE_ONCE(old_caa->call_pending, 0);
	check(query_works(), "calls through the new calling area work");
	/* The new calling area is protected like the boot one (README "PVALIDATE"). */
	check_rc(rescind_4k(new, false), SVSM_ERR_INVALID_ADDRESS,
		 "PVALIDATE rescind of the new calling area");
	caa_guarded_from_others(new);

	rc = remap_ca(old);
	check_rc(rc, SVSM_SUCCESS, "REMAP_CA back to the boot calling area");
	if (rc == SVSM_SUCCESS)
		use_caa(old);
	check(query_works(), "calls through the boot calling area work again");
	/* The page left behind is an ordinary page again: PVALIDATE may name it (validated
	 * already: CF = 1, ignored, content kept). */
	if (rc == SVSM_SUCCESS)
		check_rc(validate_4k(new, true), SVSM_SUCCESS,
			 "PVALIDATE (ignore_CF) of the former calling area");
}

static void refused(void)
{
	const struct svsm_info *s = &env.svsm;
	const struct {
		u64 gpa;
		u32 want;
		const char *what;
	} cases[] = {
		{ scratch_gpa(SCR_CAA_NEW) + 8, SVSM_ERR_INVALID_PARAMETER,
		  "a misaligned address" },
		{ s->base, SVSM_ERR_INVALID_ADDRESS, "SVSM memory (first page)" },
		{ s->base + s->size - PAGE_SIZE, SVSM_ERR_INVALID_ADDRESS,
		  "SVSM memory (last page)" },
		{ GPA_NO_RAM, SVSM_ERR_INVALID_ADDRESS, "a GPA without RAM" },
		{ GPA_MMIO, SVSM_ERR_INVALID_ADDRESS, "MMIO (the I/O APIC page)" },
		{ GPA_TOP, SVSM_ERR_INVALID_ADDRESS, "the highest page" },
		{ scratch_gpa(SCR_CAA_NEW) | paging_cbit_mask(), SVSM_ERR_INVALID_ADDRESS,
		  "a guest page with the C-bit set" },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++)
		check_rc(remap_ca(cases[i].gpa), cases[i].want, "REMAP_CA to %s", cases[i].what);
	check(query_works(), "after the refused REMAP_CA calls the calling area still works");
}

void test_remap_ca(void)
{
	note("REMAP_CA");
	move_and_back();
	refused();
}
