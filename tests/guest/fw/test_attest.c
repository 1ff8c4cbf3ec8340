/*
 * The attestation protocol (protocol 1; SVSM spec #58019 "Attestation Protocol"):
 * SVSM_ATTEST_SERVICES with valid and hostile requests, SVSM_ATTEST_SINGLE_SERVICE, and the
 * sizes RCX (manifest), RDX (certificates), R8 (report) that every answer must carry.
 *
 * The report's signature and REPORT_DATA = SHA-512(nonce || manifest) are checked on the host
 * (tests/guest/attest.test.sh): the first report and the VCEK certificate from the table are
 * printed as "attest report OFF HEX" and "attest vcek OFF HEX" lines.
 *
 * Written from the spec's layouts, not from the SVSM's include/protocol/attest.h.
 */
#include "check.h"
#include "console.h"
#include "percpu.h"
#include "lib/string.h"
#include "tests.h"
#include "vcpu.h"

#define ATTEST_PROTOCOL 1
#define ATTEST_SERVICES 0
#define ATTEST_SINGLE_SERVICE 1
#define REPORT_LEN 1184 /* ATTESTATION_REPORT, SNP ABI #56860 */
#define MANIFEST_LEN 24 /* a services manifest without services */
#define NONCE_LEN 64

/* Pages of this group: test pages 16-24 */
#define REQ_PAGE test_page(16)
#define REQ (REQ_PAGE + 0x100) /* 8-byte aligned, not page aligned (Linux: CAA + 8) */
#define NONCE_PAGE test_page(17)
#define NONCE (NONCE_PAGE + PAGE_SIZE - NONCE_LEN) /* the last 64 bytes of the page */
#define REPORT test_page(18)
#define MANIFEST test_page(19)
#define CERTS test_page(20) /* 4 pages */
#define CERTS_SIZE 0x4000
#define SHARED test_page(24) /* never made private */
#define UNTOUCHED 0xa5

/* 63849ebb-3d92-4670-a1ff-58f9c94b87bb, UEFI byte order: the services manifest's GUID */
static const u8 manifest_guid[16] = { 0xbb, 0x9e, 0x84, 0x63, 0x92, 0x3d, 0x70, 0x46,
				      0xa1, 0xff, 0x58, 0xf9, 0xc9, 0x4b, 0x87, 0xbb };
/* the VCEK's certificate-table GUID, RFC 4122 byte order (GHCB spec #56421) */
static const u8 vcek_guid[16] = { 0x63, 0xda, 0x75, 0x8d, 0xe6, 0x64, 0x45, 0x64,
				  0xad, 0xc5, 0xf4, 0xb9, 0x3b, 0xe8, 0xac, 0xcd };
/* the vTPM service (SVSM spec #58019), UEFI byte order */
static const u8 vtpm_guid[16] = { 0xeb, 0xf1, 0x76, 0xc4, 0x01, 0x23, 0xa5, 0x45,
				  0x96, 0x41, 0xb4, 0xe7, 0xdd, 0xe5, 0xbf, 0xe3 };

static u8 *req(void)
{
	return gpa_ptr(REQ);
}

static void put64(u64 gpa, u64 v)
{
	memcpy(gpa_ptr(gpa), &v, 8);
}

static void put32(u64 gpa, u32 v)
{
	memcpy(gpa_ptr(gpa), &v, 4);
}

static u32 get32(u64 gpa)
{
	u32 v;

	memcpy(&v, gpa_ptr(gpa), 4);
	return v;
}

/* A valid request at @at (SVSM spec #58019 request layout); buffers filled with UNTOUCHED. */
static void request_at(u64 at, u32 report_size, u32 manifest_size, u32 certs_size)
{
	memset(gpa_ptr(at), 0, 0x58);
	put64(at + 0x00, REPORT);
	put32(at + 0x08, report_size);
	put64(at + 0x10, NONCE);
	put32(at + 0x18, NONCE_LEN);
	put64(at + 0x20, MANIFEST);
	put32(at + 0x28, manifest_size);
	put64(at + 0x30, CERTS);
	put32(at + 0x38, certs_size);
	memset(gpa_ptr(REPORT), UNTOUCHED, PAGE_SIZE);
	memset(gpa_ptr(MANIFEST), UNTOUCHED, PAGE_SIZE);
	memset(gpa_ptr(CERTS), UNTOUCHED, CERTS_SIZE);
}

static void request(u32 report_size, u32 manifest_size, u32 certs_size)
{
	request_at(REQ, report_size, manifest_size, certs_size);
}

static u32 call(u32 id, u64 req_gpa, struct svsm_regs *r)
{
	memset(r, 0, sizeof(*r));
	r->rcx = req_gpa;
	r->rdx = ~0ULL; /* as Linux: an output the SVSM did not write stays all ones */
	r->r8 = ~0ULL;
	return svsm_request(ATTEST_PROTOCOL, id, r);
}

static bool untouched(u64 gpa, u64 len)
{
	const u8 *p = gpa_ptr(gpa);

	for (u64 i = 0; i < len; i++)
		if (p[i] != UNTOUCHED)
			return false;
	return true;
}

/* The certificate table's extent: max(offset + length) before the all-zero entry. */
static u32 certs_extent(u64 *vcek_off, u32 *vcek_len)
{
	const u8 *t = gpa_ptr(CERTS), zero[24] = { 0 };
	u32 end = 0;

	*vcek_len = 0;
	for (u32 e = 0; (e + 1) * 24 <= CERTS_SIZE; e++, t += 24) {
		u32 off, len;

		if (!memcmp(t, zero, 24))
			return end;
		memcpy(&off, t + 16, 4);
		memcpy(&len, t + 20, 4);
		if (off > CERTS_SIZE || len > CERTS_SIZE - off)
			return ~0U;
		if (!memcmp(t, vcek_guid, 16)) {
			*vcek_off = off;
			*vcek_len = len;
		}
		if (off + len > end)
			end = off + len;
	}
	return ~0U;
}

static void print_hex(const char *what, u64 gpa, u32 len)
{
	const u8 *p = gpa_ptr(gpa);
	char line[2 * 32 + 1];

	for (u32 off = 0; off < len; off += 32) {
		u32 n = len - off < 32 ? len - off : 32;

		for (u32 i = 0; i < n; i++) {
			line[2 * i] = "0123456789abcdef"[p[off + i] >> 4];
			line[2 * i + 1] = "0123456789abcdef"[p[off + i] & 0xf];
		}
		line[2 * n] = 0;
		con_printf("attest %s 0x%03x %s", what, off, line);
	}
}

static void query(void)
{
	struct svsm_regs r = { 0 };
	u32 rc;

	r.rcx = ((u64)ATTEST_PROTOCOL << 32) | 1;
	rc = svsm_core(SVSM_CORE_QUERY_PROTOCOL, &r);
	check(rc == SVSM_SUCCESS && r.rcx == (((u64)1 << 32) | 1),
	      "QUERY_PROTOCOL(attestation, version 1): RCX = 1 << 32 | 1 (got 0x%lx)", r.rcx);
	memset(&r, 0, sizeof(r));
	r.rcx = ((u64)ATTEST_PROTOCOL << 32) | 2;
	rc = svsm_core(SVSM_CORE_QUERY_PROTOCOL, &r);
	check(rc == SVSM_SUCCESS && r.rcx == 0,
	      "QUERY_PROTOCOL(attestation, version 2): RCX = 0 (got 0x%lx)", r.rcx);
}

/* A successful SVSM_ATTEST_SERVICES; returns the certificate size it reported. */
static u32 good_call(const char *what, bool print)
{
	struct svsm_regs r;
	u64 vcek_off = 0;
	u32 rc, extent, vcek_len;

	request(PAGE_SIZE, PAGE_SIZE, CERTS_SIZE);
	rc = call(ATTEST_SERVICES, REQ, &r);
	check_rc(rc, SVSM_SUCCESS, "%s", what);
	if (rc != SVSM_SUCCESS)
		return 0;
	extent = certs_extent(&vcek_off, &vcek_len);
	check(r.rcx == MANIFEST_LEN && r.r8 == REPORT_LEN && r.rdx == extent && extent > 0 &&
		      extent <= CERTS_SIZE,
	      "%s: RCX = %u (manifest), R8 = %u (report), RDX = the certificate table's extent "
	      "%u (got 0x%lx, 0x%lx, 0x%lx)",
	      what, MANIFEST_LEN, REPORT_LEN, extent, r.rcx, r.r8, r.rdx);
	check(!memcmp(gpa_ptr(MANIFEST), manifest_guid, 16) &&
		      get32(MANIFEST + 16) == MANIFEST_LEN && get32(MANIFEST + 20) == 0 &&
		      untouched(MANIFEST + MANIFEST_LEN, 64),
	      "%s: the manifest is a GUID table without services, nothing written after it", what);
	check(get32(REPORT + 0x30) == 0 && get32(REPORT + 0x34) == 1 &&
		      untouched(REPORT + REPORT_LEN, PAGE_SIZE - REPORT_LEN),
	      "%s: a VMPL0 report signed with ECDSA P-384 (VMPL %u, algorithm %u), %u bytes", what,
	      get32(REPORT + 0x30), get32(REPORT + 0x34), REPORT_LEN);
	check(vcek_len > 0, "%s: the certificate table holds a VCEK", what);
	if (print) {
		print_hex("report", REPORT, REPORT_LEN);
		if (vcek_len)
			print_hex("vcek", CERTS + vcek_off, vcek_len);
	}
	return extent;
}

/* One hostile request: @rc expected, sizes written, and nothing written to the buffers. */
static void refused(const char *what, u64 req_gpa, u32 want, u64 want_rcx)
{
	struct svsm_regs r;

	check_rc(call(ATTEST_SERVICES, req_gpa, &r), want, "%s", what);
	check(r.r8 == REPORT_LEN && r.rcx == want_rcx && r.rdx != ~0ULL,
	      "%s: sizes written (RCX 0x%lx, RDX 0x%lx, R8 0x%lx)", what, r.rcx, r.rdx, r.r8);
	check(untouched(REPORT, PAGE_SIZE) && untouched(MANIFEST, PAGE_SIZE) &&
		      untouched(CERTS, CERTS_SIZE),
	      "%s: no buffer written", what);
}

static void too_small(u32 extent)
{
	struct svsm_regs r;

	request(REPORT_LEN - 1, PAGE_SIZE, CERTS_SIZE);
	check_rc(call(ATTEST_SERVICES, REQ, &r), SVSM_ERR_INVALID_PARAMETER,
		 "report buffer of %u bytes", REPORT_LEN - 1);
	check(r.r8 == REPORT_LEN && r.rcx == MANIFEST_LEN && r.rdx == extent &&
		      untouched(REPORT, PAGE_SIZE),
	      "report buffer too small: the sizes needed (R8 0x%lx RCX 0x%lx RDX 0x%lx), nothing "
	      "written",
	      r.r8, r.rcx, r.rdx);
	request(PAGE_SIZE, MANIFEST_LEN - 1, CERTS_SIZE);
	check_rc(call(ATTEST_SERVICES, REQ, &r), SVSM_ERR_INVALID_PARAMETER,
		 "manifest buffer of %u bytes", MANIFEST_LEN - 1);
	check(r.rcx == MANIFEST_LEN && r.r8 == REPORT_LEN && untouched(MANIFEST, PAGE_SIZE),
	      "manifest buffer too small: RCX = %u (got 0x%lx), nothing written", MANIFEST_LEN,
	      r.rcx);
	if (extent > PAGE_SIZE) {
		request(PAGE_SIZE, PAGE_SIZE, PAGE_SIZE);
		check_rc(call(ATTEST_SERVICES, REQ, &r), SVSM_ERR_INVALID_PARAMETER,
			 "certificate buffer of one page for a %u-byte table", extent);
		check(r.rdx == extent && untouched(CERTS, CERTS_SIZE) &&
			      untouched(REPORT, PAGE_SIZE),
		      "certificate buffer too small: RDX = %u (got 0x%lx), nothing written", extent,
		      r.rdx);
	} else {
		skip("certificate buffer too small: the table fits one page");
	}
	/* no certificate buffer: a plain guest request, RDX = 0 */
	request(PAGE_SIZE, PAGE_SIZE, 0);
	check_rc(call(ATTEST_SERVICES, REQ, &r), SVSM_SUCCESS, "no certificate buffer");
	check(r.rdx == 0 && untouched(CERTS, CERTS_SIZE) && get32(REPORT + 0x30) == 0,
	      "no certificate buffer: RDX = 0 (got 0x%lx), a report, no certificates", r.rdx);
}

static void malformed(void)
{
	static const u32 nonce_sizes[] = { 0, 32, 63, 65, 128 };
	static const unsigned int reserved[] = { 0x0c, 0x1c, 0x2c, 0x3c };

	for (unsigned int i = 0; i < ARRAY_SIZE(nonce_sizes); i++) {
		request(PAGE_SIZE, PAGE_SIZE, CERTS_SIZE);
		put32(REQ + 0x18, nonce_sizes[i]);
		refused("nonce size", REQ, SVSM_ERR_INVALID_PARAMETER, 0);
	}
	request(PAGE_SIZE, PAGE_SIZE, CERTS_SIZE);
	put64(REQ + 0x10, NONCE + 1);
	refused("nonce across a page boundary", REQ, SVSM_ERR_INVALID_PARAMETER, 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(reserved); i++) {
		request(PAGE_SIZE, PAGE_SIZE, CERTS_SIZE);
		put32(REQ + reserved[i], 1);
		refused("a reserved field set", REQ, SVSM_ERR_INVALID_PARAMETER, 0);
	}
	request(PAGE_SIZE, PAGE_SIZE, CERTS_SIZE);
	put64(REQ + 0x00, REPORT + 8);
	refused("report buffer not page aligned", REQ, SVSM_ERR_INVALID_PARAMETER, 0);
	request(PAGE_SIZE, PAGE_SIZE, CERTS_SIZE);
	put64(REQ + 0x20, MANIFEST + 0x800);
	refused("manifest buffer not page aligned", REQ, SVSM_ERR_INVALID_PARAMETER, 0);
	request(PAGE_SIZE, PAGE_SIZE, CERTS_SIZE);
	put64(REQ + 0x30, CERTS + 16);
	refused("certificate buffer not page aligned", REQ, SVSM_ERR_INVALID_PARAMETER, 0);
	/* the request itself: 8-byte aligned (a valid request, only misplaced) and within one
	 * page */
	request_at(REQ + 4, PAGE_SIZE, PAGE_SIZE, CERTS_SIZE);
	refused("request not 8-byte aligned", REQ + 4, SVSM_ERR_INVALID_PARAMETER, 0);
	request(PAGE_SIZE, PAGE_SIZE, CERTS_SIZE);
	refused("request across a page boundary", REQ_PAGE + PAGE_SIZE - 0x38,
		SVSM_ERR_INVALID_PARAMETER, 0);
}

static void addresses(void)
{
	const struct {
		unsigned int off;
		u64 gpa;
		const char *what;
	} bad[] = {
		{ 0x00, 0, "report buffer in SVSM memory" },
		{ 0x20, 0, "manifest buffer in SVSM memory" },
		{ 0x30, 0, "certificate buffer in SVSM memory" },
		{ 0x10, 0, "nonce in SVSM memory" },
		{ 0x00, GPA_NO_RAM, "report buffer without RAM" },
		{ 0x20, GPA_MMIO, "manifest buffer in MMIO" },
		{ 0x00, GPA_TOP, "report buffer overflowing the address space" },
		{ 0x30, SHARED, "certificate buffer in a shared page" },
		{ 0x00, SHARED, "report buffer in a shared page" },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		request(PAGE_SIZE * 2, PAGE_SIZE, CERTS_SIZE);
		put64(REQ + bad[i].off, bad[i].gpa ? bad[i].gpa : env.svsm.base + PAGE_SIZE);
		/* the request was read: the manifest size is known */
		refused(bad[i].what, REQ, SVSM_ERR_INVALID_ADDRESS, MANIFEST_LEN);
	}
	refused("request in SVSM memory", env.svsm.base + 0x100, SVSM_ERR_INVALID_ADDRESS, 0);
	refused("request in a shared page", SHARED + 0x100, SVSM_ERR_INVALID_ADDRESS, 0);
}

static void single_service(void)
{
	struct svsm_regs r;

	request(PAGE_SIZE, PAGE_SIZE, CERTS_SIZE);
	memcpy(req() + 0x40, vtpm_guid, 16);
	/* csvsm offers no service; [C] answers an unknown GUID UNSUPPORTED_PROTOCOL */
	check_rc(call(ATTEST_SINGLE_SERVICE, REQ, &r), SVSM_ERR_UNSUPPORTED_PROTOCOL,
		 "SVSM_ATTEST_SINGLE_SERVICE for the vTPM (csvsm has none)");
	check(untouched(REPORT, PAGE_SIZE) && r.r8 == REPORT_LEN, "SVSM_ATTEST_SINGLE_SERVICE: no "
								  "report, R8 written");
	put32(REQ + 0x50, 1);
	check_rc(call(ATTEST_SINGLE_SERVICE, REQ, &r), SVSM_ERR_INVALID_PARAMETER,
		 "SVSM_ATTEST_SINGLE_SERVICE with manifest version 1");
	check_rc(call(2, REQ, &r), SVSM_ERR_UNSUPPORTED_CALL, "attestation call 2");
}

/*
 * Every vCPU asks for reports at once, each with its request in its own calling area (as
 * Linux places it) and its buffers in its own concurrency range (validated here first):
 * every answer complete, each vCPU's reports differ from round to round. In this image the
 * vCPUs seldom interleave inside one call (snpemu's round-robin TCG); the race image
 * `attest` (test_race.c, under snpemu --sched) switches them inside the SVSM.
 */
#define SMP_ATTEST_ROUNDS 3
static u32 smp_go;

static bool smp_attest_once(struct cpu *cpu, u32 round, u8 prev[64])
{
	u64 base = SMP_TEST_BASE + (u64)cpu->index * SMP_TEST_STRIDE;
	u64 rq = cpu->caa_gpa + 8, nonce = base, report = base + PAGE_SIZE;
	u64 manifest = base + 2 * PAGE_SIZE, certs = base + 4 * PAGE_SIZE;
	u8 *q = cpu->caa->buffer;
	struct svsm_regs r;
	u32 rc;
	bool ok;

	for (u32 i = 0; i < NONCE_LEN; i++)
		((u8 *)gpa_ptr(nonce))[i] = (u8)(cpu->index * 16 + round + i);
	memset(q, 0, 0x40);
	memcpy(q + 0x00, &report, 8);
	memcpy(q + 0x08, &(u32){ PAGE_SIZE }, 4);
	memcpy(q + 0x10, &nonce, 8);
	memcpy(q + 0x18, &(u32){ NONCE_LEN }, 4);
	memcpy(q + 0x20, &manifest, 8);
	memcpy(q + 0x28, &(u32){ PAGE_SIZE }, 4);
	memcpy(q + 0x30, &certs, 8);
	memcpy(q + 0x38, &(u32){ CERTS_SIZE }, 4);
	memset(gpa_ptr(report), 0, PAGE_SIZE);
	rc = call(ATTEST_SERVICES, rq, &r);
	ok = rc == SVSM_SUCCESS && r.rcx == MANIFEST_LEN && r.r8 == REPORT_LEN && r.rdx &&
	     get32(report + 0x30) == 0 && get32(report + 0x34) == 1 &&
	     memcmp(gpa_ptr(report + 0x50), prev, 64);
	if (!ok)
		note("vCPU %u round %u: %s, RCX 0x%lx RDX 0x%lx R8 0x%lx", cpu->index, round,
		     svsm_rc_name(rc), r.rcx, r.rdx, r.r8);
	memcpy(prev, gpa_ptr(report + 0x50), 64);
	return ok;
}

static void smp_attest_worker(struct cpu *cpu)
{
	u64 base = SMP_TEST_BASE + (u64)cpu->index * SMP_TEST_STRIDE;
	struct svsm_pvalidate_req *req = (struct svsm_pvalidate_req *)cpu->caa->buffer;
	u8 prev[64] = { 0 };
	u32 rc;

	/* The request lives in the vCPU's own calling area (the scratch request page is one for
	 * all vCPUs): its 8 pages, validated (again, if an earlier test left them so). */
	req->entries = 8;
	req->next = 0;
	for (u32 i = 0; i < 8; i++)
		req->entry[i] = PVAL_ENTRY(base + i * PAGE_SIZE, PVAL_SIZE_4K, true, true);
	rc = pvalidate_call(cpu->caa_gpa + 8);
	if (rc != SVSM_SUCCESS || READ_ONCE(req->next) != 8) {
		note("vCPU %u: PVALIDATE of its 8 pages: %s, next %u", cpu->index, svsm_rc_name(rc),
		     READ_ONCE(req->next));
		cpu->job_failures++;
		return;
	}
	while (!__atomic_load_n(&smp_go, __ATOMIC_ACQUIRE))
		cpu_relax();
	for (u32 round = 0; round < SMP_ATTEST_ROUNDS; round++)
		if (!smp_attest_once(cpu, round, prev))
			cpu->job_failures++;
}

static void smp_attest(void)
{
	u32 n = env.ncpus, started = 1;
	struct cpu *bsp = this_cpu();

	if (n < 2) {
		skip("attestation from several vCPUs at once: needs --smp 2 or more");
		return;
	}
	note("%u vCPUs ask for reports at once, %u rounds each", n, SMP_ATTEST_ROUNDS);
	__atomic_store_n(&smp_go, 0, __ATOMIC_RELEASE);
	for (u32 i = 1; i < n; i++) {
		if (vcpu_create(i, env.apic_id[i], smp_attest_worker, 0) != SVSM_SUCCESS ||
		    vcpu_run(i) || !vcpu_wait(i, CPU_STARTED)) {
			check(false, "attestation worker vCPU %u started", i);
			break;
		}
		started++;
	}
	__atomic_store_n(&smp_go, 1, __ATOMIC_RELEASE);
	bsp->job_failures = 0;
	smp_attest_worker(bsp);
	check(bsp->job_failures == 0, "vCPU 0: %u reports alongside the other vCPUs, each complete",
	      SMP_ATTEST_ROUNDS);
	for (u32 i = 1; i < started; i++) {
		bool done = vcpu_wait(i, CPU_DONE);

		check(done && cpu_by_index(i)->job_failures == 0,
		      "vCPU %u: %u reports alongside the other vCPUs, each complete", i,
		      SMP_ATTEST_ROUNDS);
		if (done)
			check_rc(vcpu_delete(i), SVSM_SUCCESS,
				 "DELETE_VCPU of attestation worker %u", i);
	}
}

void test_attest(void)
{
	u32 extent;

	note("the attestation protocol");
	for (u32 i = 0; i < 8; i++) {
		u16 next;

		if (!make_private(test_page(16 + i), 1) ||
		    pvalidate_one(PVAL_ENTRY(test_page(16 + i), PVAL_SIZE_4K, true, false), &next))
			return (void)check(false, "attestation test page %u made usable", 16 + i);
	}
	for (u32 i = 0; i < NONCE_LEN; i++)
		((u8 *)gpa_ptr(NONCE))[i] = (u8)(0x40 + i);

	query();
	extent = good_call("SVSM_ATTEST_SERVICES", true);
	too_small(extent);
	malformed();
	addresses();
	single_service();
	/* none of the guest's mistakes cost the SVSM its key: reports still come */
	good_call("SVSM_ATTEST_SERVICES after the refused requests", false);
	smp_attest();
}
