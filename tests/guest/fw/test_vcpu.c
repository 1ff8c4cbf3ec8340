/*
 * CREATE_VCPU and DELETE_VCPU (core calls 2 and 3; facts §7): hostile VMSAs and addresses are
 * refused and leave their pages ordinary guest pages; a VMSA the SVSM accepts really runs a
 * second VMPL1 vCPU; a registered VMSA and calling area are protected until DELETE_VCPU.
 */
#include "check.h"
#include "console.h"
#include "lib/string.h"
#include "percpu.h"
#include "tests.h"
#include "vcpu.h"

enum vmsa_defect {
	VMSA_OK,
	VMSA_VMPL0,
	VMSA_NO_SVME,
	VMSA_OTHER_FEATURES,
};

/* A VMSA in SCR_VMSA that would run, but for one defect. */
static void hostile_vmsa(enum vmsa_defect defect)
{
	struct vmsa *v = gpa_ptr(scratch_gpa(SCR_VMSA));

	vmsa_init_ap(v, 1);
	switch (defect) {
	case VMSA_VMPL0:
		v->vmpl = 0;
		break;
	case VMSA_NO_SVME:
		v->efer &= ~EFER_SVME;
		break;
	case VMSA_OTHER_FEATURES:
		v->sev_features ^= BIT_ULL(4); /* AlternateInjection (SEV_STATUS bit 6) */
		break;
	default:
		break;
	}
	memset(gpa_ptr(scratch_gpa(SCR_VMSA_CAA)), 0, PAGE_SIZE);
}

/* A refused CREATE_VCPU must give the pages back: RMPADJUST may have revoked VMPL1's access
 * while the SVSM checked the VMSA (facts §7 step 2). If it did not, the write below stops the
 * guest in snpemu (RMP violation) and the last line printed names the case. */
static void refused_create(enum vmsa_defect defect, u64 vmsa, u64 caa, u32 apic_id, u32 want,
			   const char *what)
{
	hostile_vmsa(defect);
	check_rc(svsm_create_vcpu(vmsa, caa, apic_id), want, "CREATE_VCPU with %s", what);
	check(page_usable(scratch_gpa(SCR_VMSA)) && page_usable(scratch_gpa(SCR_VMSA_CAA)),
	      "after the refused CREATE_VCPU (%s) its pages are ordinary guest pages", what);
}

static void refused_creates(void)
{
	const struct svsm_info *s = &env.svsm;
	u64 v = scratch_gpa(SCR_VMSA), c = scratch_gpa(SCR_VMSA_CAA);
	u32 apic = env.apic_id[1];

	note("CREATE_VCPU: refused requests (APIC ID %u)", apic);
	refused_create(VMSA_VMPL0, v, c, apic, SVSM_ERR_INVALID_PARAMETER, "a VMSA for VMPL0");
	refused_create(VMSA_NO_SVME, v, c, apic, SVSM_ERR_INVALID_PARAMETER,
		       "a VMSA with EFER.SVME clear");
	refused_create(VMSA_OTHER_FEATURES, v, c, apic, SVSM_ERR_INVALID_PARAMETER,
		       "a VMSA with other sev_features than ours");
	refused_create(VMSA_OK, v + 8, c, apic, SVSM_ERR_INVALID_PARAMETER,
		       "a misaligned VMSA address");
	refused_create(VMSA_OK, v, c + 8, apic, SVSM_ERR_INVALID_PARAMETER,
		       "a misaligned calling-area address");
	refused_create(VMSA_OK, v, v, apic, SVSM_ERR_INVALID_ADDRESS,
		       "the same page as VMSA and calling area");
	refused_create(VMSA_OK, s->base, c, apic, SVSM_ERR_INVALID_ADDRESS,
		       "a VMSA in SVSM memory");
	refused_create(VMSA_OK, s->base + s->size - PAGE_SIZE, c, apic, SVSM_ERR_INVALID_ADDRESS,
		       "a VMSA in the last page of SVSM memory");
	refused_create(VMSA_OK, v, s->base, apic, SVSM_ERR_INVALID_ADDRESS,
		       "a calling area in SVSM memory");
	refused_create(VMSA_OK, BOOT_CAA_GPA, c, apic, SVSM_ERR_INVALID_ADDRESS,
		       "the boot calling area as VMSA");
	refused_create(VMSA_OK, v, BOOT_CAA_GPA, apic, SVSM_ERR_INVALID_ADDRESS,
		       "the boot vCPU's calling area as calling area");
	refused_create(VMSA_OK, GPA_NO_RAM, c, apic, SVSM_ERR_INVALID_ADDRESS,
		       "a VMSA at a GPA without RAM");
	refused_create(VMSA_OK, GPA_MMIO, c, apic, SVSM_ERR_INVALID_ADDRESS, "a VMSA in MMIO");
	refused_create(VMSA_OK, GPA_TOP, c, apic, SVSM_ERR_INVALID_ADDRESS,
		       "a VMSA at the highest page");
	/* "The APIC ID must exist" (facts §7); a bad input value is INVALID_PARAMETER. */
	refused_create(VMSA_OK, v, c, 0xfffe, SVSM_ERR_INVALID_PARAMETER, "an APIC ID no vCPU has");
	/* Pages the SVSM cannot use: shared (a private access would be an RMP violation), or
	 * private but not validated (facts §7: INVALID_ADDRESS). */
	refused_create(VMSA_OK, test_page(TEST_4K_PAGES - 3), c, apic, SVSM_ERR_INVALID_ADDRESS,
		       "a VMSA in a shared page");
	refused_create(VMSA_OK, v, test_page(TEST_4K_PAGES - 3), apic, SVSM_ERR_INVALID_ADDRESS,
		       "a calling area in a shared page");
	if (make_private(test_page(TEST_4K_PAGES - 4), 1)) {
		refused_create(VMSA_OK, test_page(TEST_4K_PAGES - 4), c, apic,
			       SVSM_ERR_INVALID_ADDRESS, "a VMSA in a page that is not validated");
		refused_create(VMSA_OK, v, test_page(TEST_4K_PAGES - 4), apic,
			       SVSM_ERR_INVALID_ADDRESS,
			       "a calling area in a page that is not validated");
	}
}

static void refused_deletes(void)
{
	const struct {
		u64 gpa;
		const char *what;
	} cases[] = {
		{ scratch_gpa(SCR_PLAIN), "an ordinary page" },
		{ BOOT_CAA_GPA, "the boot calling area" },
		{ env.svsm.base, "SVSM memory" },
		{ GPA_NO_RAM, "a GPA without RAM" },
		{ GPA_TOP, "the highest page" },
	};

	note("DELETE_VCPU: addresses that are not a registered VMSA");
	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++)
		check_rc(svsm_delete_vcpu(cases[i].gpa), SVSM_ERR_INVALID_PARAMETER,
			 "DELETE_VCPU of %s", cases[i].what);
}

/* ap_hello's CREATE_VCPU naming the boot vCPU's APIC ID and its PVALIDATE request in its own
 * VMSA page (set by the AP, read after its job). */
static volatile u32 ap_boot_create_rc, ap_own_vmsa_req_rc;

/* The first AP's job: a call through its own calling area, proving the SVSM recorded it. */
static void ap_hello(struct cpu *cpu)
{
	struct svsm_regs r = { 0 };
	u32 rc;

	r.rcx = SVSM_RAX(SVSM_CORE_PROTOCOL, 1);
	rc = svsm_core(SVSM_CORE_QUERY_PROTOCOL, &r);
	note("vCPU %u (APIC ID %u) running at VMPL1: QUERY_PROTOCOL through its calling area "
	     "0x%lx gave %s",
	     cpu->index, cpu->apic_id, cpu->caa_gpa, svsm_rc_name(rc));
	if (rc != SVSM_SUCCESS || r.rcx == 0)
		cpu->job_failures++;
	/* A VMSA for itself: the host would go on running the current one (README "Where the
	 * facts are thin"). The BSP left a valid VMSA image in SCR_VMSA, so only that rule can
	 * refuse it; this is an AP, so the boot-vCPU rule does not apply. */
	cpu->job_result2 =
		svsm_create_vcpu(scratch_gpa(SCR_VMSA), scratch_gpa(SCR_VMSA_CAA), cpu->apic_id);
	/* A VMSA for the boot vCPU (the BSP keeps its boot VMSA: README "Where the facts are
	 * thin"). The calling area in SVSM memory would be INVALID_ADDRESS, so only the APIC ID
	 * rule answers INVALID_PARAMETER, and an SVSM without it registers nothing. */
	ap_boot_create_rc = svsm_create_vcpu(scratch_gpa(SCR_VMSA), env.svsm.base, env.apic_id[0]);
	/* A request page must not be a registered VMSA, its own included: only its own calling
	 * area is a page it may name unclaimed (README "Guest memory"). */
	r = (struct svsm_regs){ .rcx = vcpu_vmsa_gpa(cpu->index) };
	ap_own_vmsa_req_rc = svsm_core(SVSM_CORE_PVALIDATE, &r);
	/* Its own VMSA is the one the SVSM is serving this call from: in use (facts §7
	 * DELETE_VCPU step 2, [L] 0x80001003 = SPEC-T FAIL_INUSE). */
	rc = svsm_delete_vcpu(vcpu_vmsa_gpa(cpu->index));
	note("vCPU %u: DELETE_VCPU of its own VMSA gave %s", cpu->index, svsm_rc_name(rc));
	cpu->job_result = rc;
}

static void registered_vcpu(void)
{
	u64 v1 = vcpu_vmsa_gpa(1), c1 = vcpu_caa_gpa(1);
	u64 v = scratch_gpa(SCR_VMSA), c = scratch_gpa(SCR_VMSA_CAA);
	struct svsm_regs r = { 0 };
	int nae;
	u32 rc;

	note("CREATE_VCPU: a second VMPL1 vCPU (APIC ID %u)", env.apic_id[1]);
	rc = vcpu_create(1, env.apic_id[1], ap_hello, 0);
	check_rc(rc, SVSM_SUCCESS, "CREATE_VCPU of a valid VMSA, calling area at VMSA + 4 KiB");
	if (rc != SVSM_SUCCESS)
		return;
	hostile_vmsa(VMSA_OK); /* for ap_hello's CREATE_VCPU naming its own APIC ID */
	nae = vcpu_run(1);
	check(nae == 0, "the hypervisor accepted the AP creation request for it (%d)", nae);
	check(!nae && vcpu_wait(1, CPU_DONE), "the created VMSA runs: the new vCPU registered its "
					      "GHCB and finished its job");
	check(!nae && cpu_by_index(1)->job_failures == 0, "the new vCPU's call through its own "
							  "calling area worked");
	if (!nae) {
		check_rc((u32)cpu_by_index(1)->job_result, SVSM_ERR_VCPU_IN_USE,
			 "DELETE_VCPU of the VMSA the call comes from (in use)");
		check_rc(cpu_by_index(1)->job_result2, SVSM_ERR_INVALID_PARAMETER,
			 "CREATE_VCPU from an AP naming its own APIC ID");
		check_rc(ap_boot_create_rc, SVSM_ERR_INVALID_PARAMETER,
			 "CREATE_VCPU from an AP naming the boot vCPU's APIC ID");
		check_rc(ap_own_vmsa_req_rc, SVSM_ERR_INVALID_ADDRESS,
			 "PVALIDATE from an AP whose request is its own VMSA page");
		if (cpu_by_index(1)->job_result2 == SVSM_SUCCESS)
			svsm_delete_vcpu(v); /* leave the page ordinary for what follows */
		check(page_usable(v) && page_usable(c), "after that refusal the candidate pages "
							"are ordinary guest pages");
	}

	note("a registered VMSA and calling area are protected");
	hostile_vmsa(VMSA_OK);
	check_rc(svsm_create_vcpu(v1, c, env.apic_id[1]), SVSM_ERR_INVALID_ADDRESS,
		 "CREATE_VCPU with an existing VMSA");
	check_rc(svsm_create_vcpu(v, v1, env.apic_id[1]), SVSM_ERR_INVALID_ADDRESS,
		 "CREATE_VCPU with an existing VMSA as calling area");
	check_rc(svsm_create_vcpu(c1, c, env.apic_id[1]), SVSM_ERR_INVALID_ADDRESS,
		 "CREATE_VCPU with another vCPU's calling area as VMSA");
	check(page_usable(v) && page_usable(c), "after those refusals the candidate pages are "
						"ordinary guest pages");
	check_rc(rescind_4k(v1, false), SVSM_ERR_INVALID_ADDRESS,
		 "PVALIDATE rescind of a registered VMSA");
	check_rc(rescind_4k(c1, false), SVSM_ERR_INVALID_ADDRESS,
		 "PVALIDATE rescind of another vCPU's calling area");
	r.rcx = v1;
	check_rc(svsm_core(SVSM_CORE_REMAP_CA, &r), SVSM_ERR_INVALID_ADDRESS,
		 "REMAP_CA onto a registered VMSA");
	r = (struct svsm_regs){ .rcx = c1 };
	check_rc(svsm_core(SVSM_CORE_PVALIDATE, &r), SVSM_ERR_INVALID_ADDRESS,
		 "PVALIDATE whose request is another vCPU's calling area");
	check_rc(svsm_delete_vcpu(c1), SVSM_ERR_INVALID_PARAMETER, "DELETE_VCPU of a calling area");
	check_rc(svsm_delete_vcpu(v1 + 8), SVSM_ERR_INVALID_PARAMETER,
		 "DELETE_VCPU of a misaligned VMSA address");

	check_rc(svsm_delete_vcpu(v1), SVSM_SUCCESS, "DELETE_VCPU of the parked vCPU's VMSA");
	check(page_usable(v1), "after DELETE_VCPU the VMSA page is an ordinary guest page");
	check_rc(svsm_delete_vcpu(v1), SVSM_ERR_INVALID_PARAMETER, "DELETE_VCPU of a deleted VMSA");
}

/*
 * A call comes with a VMGEXIT (README "The request loop": guest_exit_code 0x403). A
 * replacement VMSA registered while its vCPU runs has never exited: the registers and the
 * call_pending = 1 it comes with are no call, though the SVSM's loop on that vCPU takes it up
 * at the next exit of the running VMSA.
 */
static volatile u32 repl_go;

static void ap_call_on_signal(struct cpu *cpu)
{
	struct svsm_regs r = { 0 };
	u8 pending = 0;

	for (u64 i = 0; i < (1ULL << 28) && !__atomic_load_n(&repl_go, __ATOMIC_ACQUIRE); i++)
		cpu_relax();
	r.rax = SVSM_RAX(SVSM_CORE_PROTOCOL, SVSM_CORE_QUERY_PROTOCOL);
	r.rcx = SVSM_RAX(SVSM_CORE_PROTOCOL, 1);
	cpu->job_result = (u32)svsm_call_once(&r, true, &pending);
	cpu->job_result2 = pending;
}

static void replacement_never_ran(void)
{
	const u64 rax = SVSM_RAX(SVSM_CORE_PROTOCOL, SVSM_CORE_QUERY_PROTOCOL);
	const u64 rcx = SVSM_RAX(SVSM_CORE_PROTOCOL, 1);
	u64 v = scratch_gpa(SCR_VMSA), c = scratch_gpa(SCR_VMSA_CAA);
	struct svsm_caa *nc = gpa_ptr(c);
	struct vmsa *nv = gpa_ptr(v);
	u32 rc;

	note("a call needs a VMGEXIT: a replacement VMSA that never ran (APIC ID %u)",
	     env.apic_id[1]);
	__atomic_store_n(&repl_go, 0, __ATOMIC_RELEASE);
	rc = vcpu_create(1, env.apic_id[1], ap_call_on_signal, 0);
	check_rc(rc, SVSM_SUCCESS, "CREATE_VCPU of vCPU 1");
	if (rc != SVSM_SUCCESS)
		return;
	if (vcpu_run(1) || !vcpu_wait(1, CPU_STARTED)) {
		check(false, "vCPU 1 runs");
		vcpu_delete(1);
		return;
	}
	hostile_vmsa(VMSA_OK);
	nv->guest_exit_code = 0;
	nv->rax = rax;
	nv->rcx = rcx;
	nc->call_pending = 1;
	rc = svsm_create_vcpu(v, c, env.apic_id[1]);
	check_rc(rc, SVSM_SUCCESS, "CREATE_VCPU of a replacement VMSA for the running vCPU 1");
	__atomic_store_n(&repl_go, 1, __ATOMIC_RELEASE);
	check(vcpu_wait(1, CPU_DONE), "vCPU 1 exited to VMPL0 after the replacement");
	if (rc == SVSM_SUCCESS) {
		check(nc->call_pending == 1 && nv->rax == rax && nv->rcx == rcx,
		      "the replacement's registers and call_pending were not taken for a call "
		      "(call_pending %u, RAX 0x%lx, RCX 0x%lx)",
		      nc->call_pending, nv->rax, nv->rcx);
		check_rc(svsm_delete_vcpu(v), SVSM_SUCCESS, "DELETE_VCPU of the replacement VMSA");
	}
	check_rc(vcpu_delete(1), SVSM_SUCCESS, "DELETE_VCPU of vCPU 1's VMSA");
	check(page_usable(v) && page_usable(c) && page_usable(vcpu_vmsa_gpa(1)), "after the "
										 "deletes the "
										 "pages are "
										 "ordinary");
}

/*
 * A VMSA page on a 2 MiB boundary is refused (AMD erratum 1467: such a VMSA can be corrupted
 * by a 2 MiB-page access; README "Where the facts are thin"), even with valid contents in a
 * private, validated page.
 */
static void vmsa_on_2m_boundary(void)
{
	u64 v = VMSA_2M_TEST_GPA, c = scratch_gpa(SCR_VMSA_CAA);
	u32 rc;

	if (!make_private(v, 1))
		return;
	rc = validate_4k(v, false);
	check_rc(rc, SVSM_SUCCESS, "PVALIDATE of the page at 0x%lx (2 MiB aligned)", v);
	if (rc)
		return;
	vmsa_init_ap(gpa_ptr(v), 1);
	memset(gpa_ptr(c), 0, PAGE_SIZE);
	rc = svsm_create_vcpu(v, c, env.apic_id[1]);
	check_rc(rc, SVSM_ERR_INVALID_PARAMETER, "CREATE_VCPU of a valid VMSA on a 2 MiB boundary");
	if (rc == SVSM_SUCCESS)
		svsm_delete_vcpu(v);
	check(page_usable(v) && page_usable(c), "after that refusal both pages are ordinary");
	check_rc(rescind_4k(v, false), SVSM_SUCCESS, "PVALIDATE rescind of that page again");
}

/*
 * At most four registered VMSAs per vCPU (README "CREATE_VCPU"), counted per target: a fifth
 * for the same vCPU is INVALID_REQUEST while another vCPU can still get one.
 */
static void vmsa_limit_per_vcpu(void)
{
	static const enum scratch_page vp[] = { SCR_LIMIT_V0, SCR_LIMIT_V1, SCR_LIMIT_V2,
						SCR_LIMIT_V3, SCR_LIMIT_V4 };
	u64 v[ARRAY_SIZE(vp)], c[2] = { scratch_gpa(SCR_LIMIT_C0), scratch_gpa(SCR_LIMIT_C1) };
	u32 t = env.apic_id[2], other = env.apic_id[3];
	bool usable = true;
	unsigned int i;

	note("CREATE_VCPU: the VMSA limit is per vCPU (APIC IDs %u and %u)", t, other);
	for (i = 0; i < ARRAY_SIZE(vp); i++) {
		v[i] = scratch_gpa(vp[i]);
		vmsa_init_ap(gpa_ptr(v[i]), 2);
	}
	memset(gpa_ptr(c[0]), 0, PAGE_SIZE);
	memset(gpa_ptr(c[1]), 0, PAGE_SIZE);
	/* A page named by a PVALIDATE request is claimed only while that request runs. */
	check_rc(validate_4k(v[0], true), SVSM_SUCCESS,
		 "PVALIDATE (ignore_CF) of the first VMSA page");
	/* Each creation makes its calling area the vCPU's: the one before is free again. */
	check_rc(svsm_create_vcpu(v[0], c[0], t), SVSM_SUCCESS, "CREATE_VCPU: a first VMSA");
	for (i = 1; i < 4; i++)
		check_rc(svsm_create_vcpu(v[i], c[i % 2], t), SVSM_SUCCESS,
			 "CREATE_VCPU: replacement %u for the same vCPU", i);
	check_rc(svsm_create_vcpu(v[4], c[0], t), SVSM_ERR_INVALID_REQUEST,
		 "CREATE_VCPU: a fifth VMSA for the same vCPU");
	check(page_usable(v[4]) && page_usable(c[0]), "after that refusal its pages are ordinary");
	vmsa_init_ap(gpa_ptr(v[4]), 3); /* page_usable wrote over it */
	memset(gpa_ptr(c[0]), 0, PAGE_SIZE);
	check_rc(svsm_create_vcpu(v[4], c[0], other), SVSM_SUCCESS,
		 "CREATE_VCPU: another vCPU still gets its VMSA");
	for (i = 0; i < 4; i++)
		check_rc(svsm_delete_vcpu(v[i]), SVSM_SUCCESS, "DELETE_VCPU of VMSA %u", i);
	check_rc(svsm_delete_vcpu(v[4]), SVSM_SUCCESS, "DELETE_VCPU of the other vCPU's VMSA");
	for (i = 0; i < ARRAY_SIZE(vp); i++)
		usable = usable && page_usable(v[i]);
	check(usable && page_usable(c[0]) && page_usable(c[1]), "after the deletes every page is "
								"ordinary again");
}

/*
 * A replacement VMSA with the calling area the vCPU has (Linux brings an AP back online so:
 * a new VMSA, the AP's per-CPU calling area) is accepted; another vCPU's calling area stays
 * INVALID_ADDRESS.
 */
static void replacement_same_caa(void)
{
	u64 v0 = scratch_gpa(SCR_LIMIT_V0), v1 = scratch_gpa(SCR_LIMIT_V1);
	u64 v2 = scratch_gpa(SCR_LIMIT_V2), c = scratch_gpa(SCR_LIMIT_C0);
	u32 t = env.apic_id[1], other = env.apic_id[2];

	note("CREATE_VCPU: a replacement with the vCPU's own calling area (APIC ID %u)", t);
	vmsa_init_ap(gpa_ptr(v0), 1);
	vmsa_init_ap(gpa_ptr(v1), 1);
	vmsa_init_ap(gpa_ptr(v2), 2);
	memset(gpa_ptr(c), 0, PAGE_SIZE);
	check_rc(svsm_create_vcpu(v0, c, t), SVSM_SUCCESS, "CREATE_VCPU: a first VMSA");
	check_rc(svsm_create_vcpu(v1, c, t), SVSM_SUCCESS,
		 "CREATE_VCPU: a replacement with the same calling area");
	check_rc(svsm_create_vcpu(v2, c, other), SVSM_ERR_INVALID_ADDRESS,
		 "CREATE_VCPU of another vCPU with that calling area");
	check_rc(svsm_delete_vcpu(v0), SVSM_SUCCESS, "DELETE_VCPU of the first VMSA");
	check_rc(svsm_delete_vcpu(v1), SVSM_SUCCESS, "DELETE_VCPU of the replacement");
	check(page_usable(v0) && page_usable(v1) && page_usable(v2) && page_usable(c), "after the "
										       "deletes "
										       "every page "
										       "is "
										       "ordinary "
										       "again");
}

void test_vcpu(void)
{
	refused_deletes();
	/* Refused creations name an AP's APIC ID: the BSP's has a running VMPL1 VMSA, and what
	 * an SVSM answers for that (before or after the defect under test) is not specified. */
	if (env.ncpus < 2) {
		skip("CREATE_VCPU refusals: they need a vCPU without a VMPL1 VMSA (--smp 2 or "
		     "more)");
		skip("CREATE_VCPU runs a second vCPU: needs --smp 2 or more");
		return;
	}
	refused_creates();
	vmsa_on_2m_boundary();
	registered_vcpu();
	replacement_never_ran();
	if (env.ncpus < 3)
		skip("CREATE_VCPU with the vCPU's own calling area needs --smp 3 or more");
	else
		replacement_same_caa();
	if (env.ncpus < 4)
		skip("CREATE_VCPU: the per-vCPU VMSA limit needs --smp 4 or more");
	else
		vmsa_limit_per_vcpu();
}
