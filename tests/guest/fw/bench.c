/*
 * Bench mode (build/guest-bench.fd): SVSM calls in a fixed order, for
 * tests/bench/protocol.bench.sh to cost from snpemu's --stats "calls" list (VMPL0 instructions
 * per call) and "vmpl_switches". Nothing is printed between the calls of a group; each group
 * ends with one check line, so a wrong result still fails the run.
 *
 *   BENCH_QUERY x QUERY_PROTOCOL
 *   BENCH_ONE   x (PVALIDATE validate of one 4 KiB page, then rescind of it)
 *   BENCH_MANY  x (PVALIDATE validate of 510 4 KiB pages, then rescind of them)
 *   BENCH_HUGE  x (PVALIDATE validate of one 2 MiB page, then rescind of it)
 *   BENCH_MANY  x (PVALIDATE validate of BENCH_HUGE_PAGES 2 MiB pages, then rescind)
 *
 * Requests sit in the calling area at offset 8, where Linux puts them (510 entries fit).
 * The bench script relies on this order; change both together.
 */
#include "bench.h"
#include "check.h"
#include "hv.h"
#include "lib/string.h"
#include "percpu.h"
#include "tests.h"

#define BENCH_4K_BASE 0x02000000ULL /* 510 pages: 2 MiB - 8 KiB, shared at start */
#define BENCH_2M_BASE 0x04000000ULL /* BENCH_HUGE_PAGES 2 MiB pages, shared at start */
#define BENCH_MANY_ENTRIES 510

static u32 pvalidate_range(u64 base, u32 n, bool huge, bool validate)
{
	struct cpu *cpu = this_cpu();
	struct svsm_pvalidate_req *req = (struct svsm_pvalidate_req *)cpu->caa->buffer;
	u64 step = huge ? PAGE_2M_SIZE : PAGE_SIZE;

	req->entries = (u16)n;
	req->next = 0;
	for (u32 i = 0; i < n; i++)
		req->entry[i] = PVAL_ENTRY(base + i * step, huge ? PVAL_SIZE_2M : PVAL_SIZE_4K,
					   validate, false);
	return pvalidate_call(cpu->caa_gpa + 8);
}

/* rounds x (validate, rescind) of n pages; false at the first call that fails. */
static bool cycles(u32 rounds, u64 base, u32 n, bool huge)
{
	for (u32 r = 0; r < rounds; r++) {
		u32 rc = pvalidate_range(base, n, huge, true);

		if (rc == SVSM_SUCCESS)
			rc = pvalidate_range(base, n, huge, false);
		if (rc != SVSM_SUCCESS) {
			note("round %u of %u x %s: %s", r, n, huge ? "2 MiB" : "4 KiB",
			     svsm_rc_name(rc));
			return false;
		}
	}
	return true;
}

void bench_calls(void)
{
	struct svsm_regs r;
	bool ok = true;

	note("bench: %u QUERY_PROTOCOL, %u x 1 and %u x %u 4 KiB, %u x 1 and %u x %u 2 MiB "
	     "PVALIDATE cycles",
	     BENCH_QUERY, BENCH_ONE, BENCH_MANY, BENCH_MANY_ENTRIES, BENCH_HUGE, BENCH_MANY,
	     BENCH_HUGE_PAGES);
	if (!make_private(BENCH_4K_BASE, BENCH_MANY_ENTRIES) ||
	    hv_psc(BENCH_2M_BASE, BENCH_HUGE_PAGES, true, PSC_OP_PRIVATE)) {
		check(false, "bench: page state changes to private");
		return;
	}
	for (u32 i = 0; i < BENCH_QUERY; i++) {
		memset(&r, 0, sizeof(r));
		r.rcx = SVSM_RAX(SVSM_CORE_PROTOCOL, 1);
		ok &= svsm_core(SVSM_CORE_QUERY_PROTOCOL, &r) == SVSM_SUCCESS && r.rcx != 0;
	}
	check(ok, "bench: %u QUERY_PROTOCOL calls", BENCH_QUERY);
	check(cycles(BENCH_ONE, BENCH_4K_BASE, 1, false),
	      "bench: %u validate/rescind cycles of one 4 KiB page", BENCH_ONE);
	check(cycles(BENCH_MANY, BENCH_4K_BASE, BENCH_MANY_ENTRIES, false),
	      "bench: %u validate/rescind cycles of %u 4 KiB pages", BENCH_MANY,
	      BENCH_MANY_ENTRIES);
	check(cycles(BENCH_HUGE, BENCH_2M_BASE, 1, true),
	      "bench: %u validate/rescind cycles of one 2 MiB page", BENCH_HUGE);
	check(cycles(BENCH_MANY, BENCH_2M_BASE, BENCH_HUGE_PAGES, true),
	      "bench: %u validate/rescind cycles of %u 2 MiB pages", BENCH_MANY, BENCH_HUGE_PAGES);
}
