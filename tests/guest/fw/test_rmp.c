/*
 * The RMP state the SVSM leaves behind (README "Guest launch and the SVSM protocol"), read
 * through snpemu's test instrument (instrument.h). VMPL1 cannot see most of it for itself:
 * it cannot tell VMPL2's or VMPL3's permissions, a rescinded page faults the same whatever
 * permissions it kept, and a page it may read looks the same whether or not it may execute it.
 *
 * - the launch: VMPL1 RWX on the firmware and the pre-validated range, RW on the secrets,
 *   CPUID and calling-area pages, nothing for VMPL2/3 anywhere, nothing in SVSM memory, no
 *   other guest page made private;
 * - PVALIDATE: a validated page is VMPL1 RWX and VMPL2/3 nothing; a rescind takes VMPL1-3's
 *   access away before the page stops being validated (else a later validate would revive
 *   what the guest granted VMPL2/3), even access the guest granted VMPL2/3 itself;
 * - CREATE_VCPU / DELETE_VCPU: the SVSM reads the candidate VMSA only once VMPL1 cannot write
 *   it any more (RMP and TLBs; snpemu's read watch); a registered VMSA page has the VMSA bit
 *   and VMPL1 read-only; after DELETE_VCPU, and after a CREATE_VCPU refused once VMPL1 had
 *   lost access, it is an ordinary page again (VMPL1 RWX, no VMSA bit).
 *
 * Runs first, right after discovery, so that the launch state is still untouched.
 */
#include "check.h"
#include "console.h"
#include "hv.h"
#include "instrument.h"
#include "lib/string.h"
#include "tests.h"
#include "tlib/snp_insn.h"
#include "tlib/x86.h"
#include "vcpu.h"

/* Test pages of this group: test_page(RMP_PAGE0 + i). */
#define RMP_PAGE0 32
#define RMP_NR_RESCIND 3
#define RMP_CAA_UNVALIDATED (RMP_PAGE0 + RMP_NR_RESCIND)

#define VALID (SNPEMU_RMPQ_ASSIGNED | SNPEMU_RMPQ_VALIDATED)
#define RWX SNPEMU_PERM_RWX
#define RW (SNPEMU_PERM_R | SNPEMU_PERM_W)
#define RO SNPEMU_PERM_R

/* RMPADJUST attributes for VMPL1's own RMPADJUST (facts §4): target VMPL, permissions. */
#define ADJ(vmpl, perm) ((u64)(vmpl) | ((u64)(perm) << 8))

static u32 words[1024];

/* One check line: the page at gpa reads want. */
static void expect_rmp(u64 gpa, u32 want, const char *what)
{
	char got_s[80], want_s[80];
	u32 got = ti_rmp(gpa);

	if (!ti_rmp_is(got, want))
		note("page 0x%lx is %s, want %s", gpa, ti_rmp_str(got, got_s, sizeof(got_s)),
		     ti_rmp_str(want, want_s, sizeof(want_s)));
	check(ti_rmp_is(got, want), "%s (%s)", what, ti_rmp_str(got, got_s, sizeof(got_s)));
}

/* One check line: every page of [gpa, gpa + size) reads want. */
static void expect_rmp_range(u64 gpa, u64 size, u32 want, const char *what)
{
	u64 n = size / PAGE_SIZE, bad = 0, first = 0;
	u32 first_w = 0;
	char s[80];

	for (u64 i = 0; i < n; i += ARRAY_SIZE(words)) {
		u32 k = n - i < ARRAY_SIZE(words) ? (u32)(n - i) : ARRAY_SIZE(words);

		ti_rmp_range(gpa + i * PAGE_SIZE, words, k);
		for (u32 j = 0; j < k; j++) {
			if (ti_rmp_is(words[j], want))
				continue;
			if (!bad++) {
				first = gpa + (i + j) * PAGE_SIZE;
				first_w = words[j];
			}
		}
	}
	if (bad)
		note("%lu of %lu pages differ, the first 0x%lx is %s", bad, n, first,
		     ti_rmp_str(first_w, s, sizeof(s)));
	check(!bad, "%s: %lu pages %s", what, n, ti_rmp_str(want, s, sizeof(s)));
}

static bool in_sections(u64 gpa)
{
	return (gpa >= PREVALIDATED_BASE && gpa < PREVALIDATED_BASE + PREVALIDATED_SIZE) ||
	       (gpa >= SECRETS_GPA && gpa < BOOT_CAA_GPA + PAGE_SIZE);
}

/* Guest RAM from 0 up to the first GPA that is not memory: only the metadata's sections may
 * be private (the launch made nothing else private). */
static void ram_untouched(void)
{
	u64 pages = 0, bad = 0, first = 0;
	u32 first_w = 0;
	bool end = false;
	char s[80];

	for (u64 gpa = 0; !end && gpa < FW_BASE; gpa += ARRAY_SIZE(words) * PAGE_SIZE) {
		ti_rmp_range(gpa, words, ARRAY_SIZE(words));
		for (u32 j = 0; j < ARRAY_SIZE(words); j++) {
			u64 p = gpa + (u64)j * PAGE_SIZE;

			if (!(words[j] & SNPEMU_RMPQ_MEMORY)) {
				end = true;
				break;
			}
			pages++;
			if (in_sections(p) || !(words[j] & SNPEMU_RMPQ_ASSIGNED))
				continue;
			if (!bad++) {
				first = p;
				first_w = words[j];
			}
		}
	}
	if (bad)
		note("%lu private pages, the first 0x%lx is %s", bad, first,
		     ti_rmp_str(first_w, s, sizeof(s)));
	check(pages && !bad,
	      "launch: guest RAM outside the metadata's sections is all shared (%lu pages)", pages);
}

/* SVSM memory: no page grants VMPL1-3 anything; the VMSA pages in it are counted. */
static void svsm_memory_closed(void)
{
	u64 base = env.svsm.base, n = env.svsm.size / PAGE_SIZE, bad = 0, first = 0;
	u64 vmsas = 0, private = 0;
	u32 first_w = 0;
	char s[80];

	for (u64 i = 0; i < n; i += ARRAY_SIZE(words)) {
		u32 k = n - i < ARRAY_SIZE(words) ? (u32)(n - i) : ARRAY_SIZE(words);

		ti_rmp_range(base + i * PAGE_SIZE, words, k);
		for (u32 j = 0; j < k; j++) {
			u32 w = words[j];

			private += !!(w & SNPEMU_RMPQ_ASSIGNED);
			vmsas += !!(w & SNPEMU_RMPQ_VMSA);
			if ((w & SNPEMU_RMPQ_MEMORY) &&
			    !(w & (0xfffU << SNPEMU_RMPQ_PERM_SHIFT(1))))
				continue;
			if (!bad++) {
				first = base + (i + j) * PAGE_SIZE;
				first_w = w;
			}
		}
	}
	if (bad)
		note("%lu pages grant something, the first 0x%lx is %s", bad, first,
		     ti_rmp_str(first_w, s, sizeof(s)));
	check(!bad, "launch: SVSM memory (%lu pages, %lu private) grants VMPL1-3 nothing", n,
	      private);
	/* The boot vCPU's VMPL1 VMSA lives there (README "Launch" step 6). */
	check(vmsas >= 1,
	      "launch: SVSM memory holds VMSA pages (%lu), VMPL1 without access to them", vmsas);
}

static void launch_grants(void)
{
	note("RMP after the launch (snpemu's test instrument)");
	expect_rmp_range(FW_BASE, FW_SIZE, ti_rmp_want(VALID, RWX, 0, 0),
			 "launch: the firmware image");
	expect_rmp_range(PREVALIDATED_BASE, PREVALIDATED_SIZE, ti_rmp_want(VALID, RWX, 0, 0),
			 "launch: the pre-validated range");
	expect_rmp(SECRETS_GPA, ti_rmp_want(VALID, RW, 0, 0), "launch: the secrets page");
	expect_rmp(CPUID_PAGE_GPA, ti_rmp_want(VALID, RW, 0, 0), "launch: the CPUID page");
	expect_rmp(BOOT_CAA_GPA, ti_rmp_want(VALID, RW, 0, 0), "launch: the calling area");
	ram_untouched();
	svsm_memory_closed();
}

/* One PVALIDATE request in SCR_REQ for n consecutive 4 KiB pages; *next afterwards. */
static u32 pvalidate_pages(u64 first, u32 n, bool validate, u16 *next)
{
	struct svsm_pvalidate_req *req = pvalidate_req_at(scratch_gpa(SCR_REQ));
	u32 rc;

	memset(req, 0, 8 + 8 * (size_t)n);
	req->entries = (u16)n;
	for (u32 i = 0; i < n; i++)
		req->entry[i] = PVAL_ENTRY(first + i * PAGE_SIZE, PVAL_SIZE_4K, validate, false);
	rc = pvalidate_call(scratch_gpa(SCR_REQ));
	*next = READ_ONCE(req->next);
	return rc;
}

/* What the guest grants VMPL2 and VMPL3 on each page before asking for the rescind. */
static const struct {
	u32 vmpl2, vmpl3;
} grants[RMP_NR_RESCIND] = {
	{ RWX, 0 },
	{ 0, RW },
	{ RO, RWX },
};

static void pvalidate_states(void)
{
	u64 p0 = test_page(RMP_PAGE0), p;
	char what[100];
	u16 next;
	u32 rc;

	note("RMP around PVALIDATE: %u pages at 0x%lx", RMP_NR_RESCIND, p0);
	if (!make_private(p0, RMP_NR_RESCIND))
		return;
	rc = pvalidate_pages(p0, RMP_NR_RESCIND, true, &next);
	check_rc(rc, SVSM_SUCCESS, "PVALIDATE validate of %u pages (next %u)", RMP_NR_RESCIND,
		 next);
	for (u32 i = 0; i < RMP_NR_RESCIND; i++) {
		p = p0 + i * PAGE_SIZE;
		fmt_snprintf(what, sizeof(what), "validated page %u: VMPL1 RWX, VMPL2/3 nothing",
			     i);
		expect_rmp(p, ti_rmp_want(VALID, RWX, 0, 0), what);
	}

	/* VMPL1 may hand VMPL2/3 up to what it has itself (facts §4 RMPADJUST). */
	for (u32 i = 0; i < RMP_NR_RESCIND; i++) {
		p = p0 + i * PAGE_SIZE;
		rc = rmpadjust(p, false, ADJ(2, grants[i].vmpl2));
		rc |= rmpadjust(p, false, ADJ(3, grants[i].vmpl3));
		fmt_snprintf(what, sizeof(what),
			     "VMPL1's RMPADJUST granted page %u to VMPL2/3 (rc %u)", i, rc);
		expect_rmp(p, ti_rmp_want(VALID, RWX, grants[i].vmpl2, grants[i].vmpl3), what);
	}

	rc = pvalidate_pages(p0, RMP_NR_RESCIND, false, &next);
	check_rc(rc, SVSM_SUCCESS, "PVALIDATE rescind of those pages (next %u)", next);
	for (u32 i = 0; i < RMP_NR_RESCIND; i++) {
		p = p0 + i * PAGE_SIZE;
		fmt_snprintf(what, sizeof(what),
			     "rescinded page %u: not validated, VMPL1-3 access revoked", i);
		expect_rmp(p, ti_rmp_want(SNPEMU_RMPQ_ASSIGNED, 0, 0, 0), what);
	}

	/* Validated again, nothing of the old grants comes back. */
	rc = pvalidate_pages(p0, RMP_NR_RESCIND, true, &next);
	check_rc(rc, SVSM_SUCCESS, "PVALIDATE validate of those pages again (next %u)", next);
	for (u32 i = 0; i < RMP_NR_RESCIND; i++) {
		p = p0 + i * PAGE_SIZE;
		fmt_snprintf(what, sizeof(what),
			     "validated again, page %u: VMPL1 RWX, VMPL2/3 nothing", i);
		expect_rmp(p, ti_rmp_want(VALID, RWX, 0, 0), what);
	}
	rc = pvalidate_pages(p0, RMP_NR_RESCIND, false, &next);
	check_rc(rc, SVSM_SUCCESS, "PVALIDATE rescind of those pages again (next %u)", next);
}

/* The same for a 2 MiB page: the revocation covers the whole page. */
static void pvalidate_states_2m(void)
{
	u64 gpa = RMP_TEST_2M_GPA;
	int psc;
	u32 rc;

	note("RMP around PVALIDATE of a 2 MiB page at 0x%lx", gpa);
	psc = hv_psc(gpa, 1, true, PSC_OP_PRIVATE);
	if (psc) {
		check(false, "page state change of a 2 MiB range to private (%d)", psc);
		return;
	}
	rc = pvalidate_one(PVAL_ENTRY(gpa, PVAL_SIZE_2M, true, false), NULL);
	/* FAIL_SIZEMISMATCH: the host gave the range 4 KiB RMP entries (facts §4). */
	check_rc2(rc, SVSM_SUCCESS, SVSM_ERR_PVALIDATE_FAIL_SIZEMISMATCH,
		  "PVALIDATE validate of the 2 MiB page");
	if (rc != SVSM_SUCCESS) {
		skip("RMP of a 2 MiB page: the host gave this range 4 KiB RMP entries");
		return;
	}
	check(ti_rmp(gpa) & SNPEMU_RMPQ_2M, "the page has a 2 MiB RMP entry");
	expect_rmp_range(gpa, PAGE_2M_SIZE, ti_rmp_want(VALID, RWX, 0, 0),
			 "validated 2 MiB page: VMPL1 RWX, VMPL2/3 nothing");
	rc = rmpadjust(gpa, true, ADJ(2, RWX)) | rmpadjust(gpa, true, ADJ(3, RO));
	expect_rmp_range(gpa, PAGE_2M_SIZE, ti_rmp_want(VALID, RWX, RWX, RO),
			 rc ? "VMPL1's RMPADJUST of the 2 MiB page failed"
			    : "VMPL1's RMPADJUST granted the 2 MiB page to VMPL2/3");
	check_rc(pvalidate_one(PVAL_ENTRY(gpa, PVAL_SIZE_2M, false, false), NULL), SVSM_SUCCESS,
		 "PVALIDATE rescind of the 2 MiB page");
	expect_rmp_range(gpa, PAGE_2M_SIZE, ti_rmp_want(SNPEMU_RMPQ_ASSIGNED, 0, 0, 0),
			 "rescinded 2 MiB page: not validated, VMPL1-3 access revoked");
}

/* Under the read watch of the VMSA page: every read the SVSM made of it came after VMPL1 lost
 * its write access and the TLBs were flushed (facts §7 CREATE_VCPU step 2). */
static void watch_begin(u64 vmsa)
{
	if (!ti_watch_arm(vmsa))
		check(false, "snpemu's read watch armed on the VMSA page 0x%lx", vmsa);
}

static void watch_end(const char *what)
{
	struct ti_watch_counts w;

	ti_watch_disarm(&w);
	check(w.reads >= 1 && w.reads_writable == 0,
	      "%s: the SVSM read the VMSA only once VMPL1 could not write it (%u reads, %u "
	      "before)",
	      what, w.reads, w.reads_writable);
}

static void vmsa_states(void)
{
	u64 v = vcpu_vmsa_gpa(1), c = vcpu_caa_gpa(1), bad_caa = test_page(RMP_CAA_UNVALIDATED);
	struct vmsa *vmsa = gpa_ptr(v);
	u32 ordinary = ti_rmp_want(VALID, RWX, 0, 0), apic = env.apic_id[1], rc;

	if (env.ncpus < 2) {
		skip("RMP around CREATE_VCPU/DELETE_VCPU: needs --smp 2 or more");
		return;
	}
	note("RMP around CREATE_VCPU and DELETE_VCPU (VMSA page 0x%lx, APIC ID %u)", v, apic);
	expect_rmp(v, ordinary, "before CREATE_VCPU the VMSA page is an ordinary page");

	/* Refusals after VMPL1 lost its access (facts §7 CREATE_VCPU step 2): the VMSA's
	 * content, then the calling area. */
	vmsa_init_ap(vmsa, 1);
	vmsa->vmpl = 0;
	memset(gpa_ptr(c), 0, PAGE_SIZE);
	watch_begin(v);
	check_rc(svsm_create_vcpu(v, c, apic), SVSM_ERR_INVALID_PARAMETER,
		 "CREATE_VCPU of a VMSA for VMPL0");
	watch_end("CREATE_VCPU of a VMSA for VMPL0");
	expect_rmp(v, ordinary, "after that refusal the VMSA page is VMPL1 RWX again, no VMSA bit");
	if (make_private(bad_caa, 1)) {
		vmsa_init_ap(vmsa, 1);
		check_rc(svsm_create_vcpu(v, bad_caa, apic), SVSM_ERR_INVALID_ADDRESS,
			 "CREATE_VCPU with a calling area that is not validated");
		expect_rmp(v, ordinary,
			   "after that refusal the VMSA page is VMPL1 RWX again, no "
			   "VMSA bit");
		expect_rmp(bad_caa, ti_rmp_want(SNPEMU_RMPQ_ASSIGNED, 0, 0, 0),
			   "the calling area that is not validated is left as it was");
	}

	watch_begin(v);
	rc = vcpu_create(1, apic, NULL, 0);
	watch_end("CREATE_VCPU of a valid VMSA");
	check_rc(rc, SVSM_SUCCESS, "CREATE_VCPU of a valid VMSA");
	if (rc != SVSM_SUCCESS)
		return;
	expect_rmp(v, ti_rmp_want(VALID | SNPEMU_RMPQ_VMSA, RO, 0, 0),
		   "a registered VMSA page: VMSA bit, VMPL1 read-only");
	expect_rmp(c, ordinary, "its calling area stays an ordinary page");
	check_rc(vcpu_delete(1), SVSM_SUCCESS, "DELETE_VCPU of that VMSA");
	expect_rmp(v, ordinary, "after DELETE_VCPU the VMSA page is VMPL1 RWX again, no VMSA bit");
}

/*
 * Launch RAM that was not launch-measured is zeroed once validated (README "Launch" step 4):
 * whatever the host left there must not reach the guest. The last scratch pages are
 * pre-validated RAM nothing has written yet; snpemu scrambles a page's contents when its page
 * state changes, so without the zeroing they would not read zero.
 */
static void launch_zeroed(void)
{
	u32 bad = 0, i;

	for (i = SCR_COUNT; i < SCRATCH_PAGES; i++)
		if (!page_is_zero(scratch_gpa(i)))
			bad++;
	check(bad == 0,
	      "launch: the %u pre-validated pages nothing wrote yet read zero (%u do not)",
	      SCRATCH_PAGES - SCR_COUNT, bad);
}

void test_rmp(void)
{
	char s[80];
	u32 w;

	launch_zeroed();

	if (!ti_present()) {
		check(false, "snpemu's test instrument answers (port 0x%x): the RMP checks need it",
		      SNPEMU_TI_RMP);
		return;
	}
	/* The instrument itself, on pages whose state this firmware knows. */
	w = ti_rmp(GHCB_BASE);
	check(ti_rmp_is(w, ti_rmp_want(0, 0, 0, 0)), "instrument: our GHCB page reads shared (%s)",
	      ti_rmp_str(w, s, sizeof(s)));
	w = ti_rmp(GPA_NO_RAM);
	check((w & ~SNPEMU_RMPQ_MAGIC_MASK) == 0 &&
		      (w & SNPEMU_RMPQ_MAGIC_MASK) == SNPEMU_RMPQ_MAGIC,
	      "instrument: a GPA without memory reads as no memory (%s)",
	      ti_rmp_str(w, s, sizeof(s)));
	launch_grants();
	pvalidate_states();
	pvalidate_states_2m();
	vmsa_states();
}
