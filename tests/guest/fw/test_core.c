/*
 * Core protocol basics (facts §7): QUERY_PROTOCOL, unknown protocols and calls, the
 * call_pending handshake, and the calls the facts leave open (DEPOSIT_MEM, WITHDRAW_MEM,
 * CONFIGURE_VTOM).
 */
#include "check.h"
#include "lib/string.h"
#include "percpu.h"
#include "tests.h"

static u32 query(u32 protocol, u32 version, u64 *rcx)
{
	struct svsm_regs r = { 0 };
	u32 rc;

	r.rcx = ((u64)protocol << 32) | version;
	rc = svsm_core(SVSM_CORE_QUERY_PROTOCOL, &r);
	*rcx = r.rcx;
	return rc;
}

static void query_protocol(void)
{
	static const struct {
		u32 protocol, version;
		const char *what;
	} unsupported[] = {
		{ SVSM_CORE_PROTOCOL, 0, "core, version 0" },
		{ SVSM_CORE_PROTOCOL, 0xffffffff, "core, version 0xffffffff" },
		{ 0x1234, 1, "unknown protocol 0x1234" },
		{ 0xffffffff, 1, "unknown protocol 0xffffffff" },
	};
	u64 rcx;
	u32 rc;

	rc = query(SVSM_CORE_PROTOCOL, 1, &rcx);
	check_rc(rc, SVSM_SUCCESS, "QUERY_PROTOCOL(core, version 1)");
	/* RCX = max << 32 | min; the core protocol is version 1 (facts §7). */
	check(rc == SVSM_SUCCESS && (u32)rcx == 1 && (rcx >> 32) >= 1,
	      "QUERY_PROTOCOL(core, version 1): RCX = 0x%lx, min 1 and max >= 1", rcx);
	for (unsigned int i = 0; i < ARRAY_SIZE(unsupported); i++) {
		rc = query(unsupported[i].protocol, unsupported[i].version, &rcx);
		check(rc == SVSM_SUCCESS && rcx == 0,
		      "QUERY_PROTOCOL(%s): SUCCESS with RCX = 0 (got %s, RCX 0x%lx)",
		      unsupported[i].what, svsm_rc_name(rc), rcx);
	}
}

static void unknown_calls(void)
{
	static const u32 protocols[] = { 0x1234, 0x7fffffff, 0xffffffff };
	static const u32 calls[] = { 8, 0x80000000, 0xffffffff };
	struct svsm_regs r;

	for (unsigned int i = 0; i < ARRAY_SIZE(protocols); i++) {
		memset(&r, 0, sizeof(r));
		check_rc(svsm_request(protocols[i], 0, &r), SVSM_ERR_UNSUPPORTED_PROTOCOL,
			 "call 0 of unknown protocol 0x%x", protocols[i]);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(calls); i++) {
		memset(&r, 0, sizeof(r));
		check_rc(svsm_core(calls[i], &r), SVSM_ERR_UNSUPPORTED_CALL,
			 "unknown core call 0x%x", calls[i]);
	}
}

/* The SVSM acts only when call_pending is 1: an exit without it (as a spurious one would be)
 * must come back with the registers untouched. */
static void not_pending(void)
{
	struct svsm_regs r = { 0 };
	u8 pending = 0xff;
	int rc;

	r.rax = SVSM_RAX(SVSM_CORE_PROTOCOL, SVSM_CORE_QUERY_PROTOCOL);
	r.rcx = SVSM_RAX(SVSM_CORE_PROTOCOL, 1);
	rc = svsm_call_once(&r, false, &pending);
	check(rc == 0 && r.rax == SVSM_RAX(SVSM_CORE_PROTOCOL, SVSM_CORE_QUERY_PROTOCOL) &&
		      r.rcx == SVSM_RAX(SVSM_CORE_PROTOCOL, 1) && pending == 0,
	      "an exit to VMPL0 with call_pending = 0 is not processed as a call (RAX 0x%lx, "
	      "RCX 0x%lx)",
	      r.rax, r.rcx);
}

/* call_pending other than 0 or 1 is not a call: the SVSM answers INVALID_FORMAT without acting
 * (README "The request loop"; SVSM spec #58019 "Calling Area": call_pending is 0 or 1). */
static void pending_other(void)
{
	static const u8 values[] = { 2, 0x80, 0xff };
	struct svsm_caa *caa = this_cpu()->caa;

	for (unsigned int i = 0; i < ARRAY_SIZE(values); i++) {
		struct svsm_regs r = { 0 };
		u8 pending = 0xff;
		int rc;

		r.rax = SVSM_RAX(SVSM_CORE_PROTOCOL, SVSM_CORE_QUERY_PROTOCOL);
		r.rcx = SVSM_RAX(SVSM_CORE_PROTOCOL, 1);
		__atomic_store_n(&caa->call_pending, values[i], __ATOMIC_SEQ_CST);
		rc = svsm_call_once(&r, false, &pending);
		check(rc == 0 && (u32)r.rax == SVSM_ERR_INVALID_FORMAT &&
			      r.rcx == SVSM_RAX(SVSM_CORE_PROTOCOL, 1) && pending == 0,
		      "call_pending = %u: INVALID_FORMAT, the call not served, call_pending "
		      "cleared "
		      "(RAX 0x%lx, RCX 0x%lx, call_pending %u)",
		      values[i], r.rax, r.rcx, pending);
	}
}

/* The GHCB form of the run-VMPL request is as good a way to call as the MSR form. */
static void ghcb_form(void)
{
	struct svsm_regs r = { 0 };
	int rc;

	r.rax = SVSM_RAX(SVSM_CORE_PROTOCOL, SVSM_CORE_QUERY_PROTOCOL);
	r.rcx = SVSM_RAX(SVSM_CORE_PROTOCOL, 1);
	rc = svsm_call_ghcb_form(&r);
	check(rc == 0 && (u32)r.rax == SVSM_SUCCESS && r.rcx != 0,
	      "QUERY_PROTOCOL through the GHCB form of the call (NAE 0x80000018): %d, %s, RCX "
	      "0x%lx",
	      rc, svsm_rc_name((u32)r.rax), r.rcx);
}

/*
 * DEPOSIT_MEM / WITHDRAW_MEM: the request formats are SPEC-T only (facts §7); [L] and [C]
 * answer UNSUPPORTED_CALL, and so must csvsm until EXPECT_MEMORY_CALLS says otherwise. The
 * requests are well formed per SPEC-T so that a supporting SVSM would see valid input.
 */
static void memory_calls(void)
{
	struct svsm_pvalidate_req *req = gpa_ptr(scratch_gpa(SCR_REQ));
	struct svsm_regs r = { 0 };

	memset(req, 0, PAGE_SIZE);
	req->entries = 1;
	req->entry[0] = test_page(TEST_4K_PAGES - 1); /* 4 KiB, one page */
	r.rcx = scratch_gpa(SCR_REQ);
	check_rc(svsm_core(SVSM_CORE_DEPOSIT_MEM, &r), EXPECT_MEMORY_CALLS,
		 "DEPOSIT_MEM of one page");
	memset(&r, 0, sizeof(r));
	memset(req, 0, PAGE_SIZE);
	r.rcx = scratch_gpa(SCR_REQ);
	check_rc(svsm_core(SVSM_CORE_WITHDRAW_MEM, &r), EXPECT_MEMORY_CALLS,
		 "WITHDRAW_MEM into a page-sized buffer");
}

/* CONFIGURE_VTOM (facts §7): RCX bit 0 = query. An SVSM without vTOM support answers the
 * query with RCX = 0 and refuses the configure form (EXPECT_VTOM_* in tests.h). */
static void configure_vtom(void)
{
	struct svsm_regs r = { 0 };
	u32 rc;

	r.rcx = 1;
	rc = svsm_core(SVSM_CORE_CONFIGURE_VTOM, &r);
	check_rc(rc, EXPECT_VTOM_QUERY, "CONFIGURE_VTOM query");
	if (rc == SVSM_SUCCESS)
		check(r.rcx == 0,
		      "CONFIGURE_VTOM query reports vTOM unsupported: RCX = 0 (got 0x%lx)", r.rcx);
	memset(&r, 0, sizeof(r));
	r.rcx = 0x10000000000ULL | 2; /* enable, vTOM = 1 TiB */
	check_rc(svsm_core(SVSM_CORE_CONFIGURE_VTOM, &r), EXPECT_VTOM_CONFIGURE,
		 "CONFIGURE_VTOM configure (enable, vTOM = 1 TiB)");
}

void test_core(void)
{
	note("core protocol: QUERY_PROTOCOL, unknown protocols and calls, call_pending");
	query_protocol();
	unknown_calls();
	not_pending();
	pending_other();
	ghcb_form();
	memory_calls();
	configure_vtom();
}
