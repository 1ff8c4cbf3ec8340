/*
 * Concurrency: every vCPU validates and rescinds its own pages in a loop, all at once (core
 * PVALIDATE from several vCPUs; each request lives in the vCPU's own calling area, as Linux
 * places it). Each round checks the results, that validated pages read zero and keep what is
 * written, and that rescinded pages raise #VC 0x404.
 */
#include "check.h"
#include "console.h"
#include "hv.h"
#include "percpu.h"
#include "tests.h"
#include "vc.h"
#include "vcpu.h"

#define SMP_PAGES 8
#define SMP_ROUNDS 12

static u32 go;

static u64 range_of(const struct cpu *cpu)
{
	return SMP_TEST_BASE + (u64)cpu->index * SMP_TEST_STRIDE;
}

static bool pvalidate_range(struct cpu *cpu, bool validate)
{
	struct svsm_pvalidate_req *req = (struct svsm_pvalidate_req *)cpu->caa->buffer;
	u64 base = range_of(cpu);
	u32 rc;

	req->entries = SMP_PAGES;
	req->next = 0;
	for (u32 i = 0; i < SMP_PAGES; i++)
		req->entry[i] = PVAL_ENTRY(base + i * PAGE_SIZE, PVAL_SIZE_4K, validate, false);
	rc = pvalidate_call(cpu->caa_gpa + 8);
	if (rc == SVSM_SUCCESS && READ_ONCE(req->next) == SMP_PAGES)
		return true;
	note("vCPU %u: PVALIDATE %s of its %u pages: %s, next %u", cpu->index,
	     validate ? "validate" : "rescind", SMP_PAGES, svsm_rc_name(rc), READ_ONCE(req->next));
	return false;
}

static void pvalidate_worker(struct cpu *cpu)
{
	u64 base = range_of(cpu);

	while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
		cpu_relax();
	for (u32 round = 0; round < SMP_ROUNDS; round++) {
		u64 seed = ((u64)cpu->index << 32) | round;

		if (!pvalidate_range(cpu, true)) {
			cpu->job_failures++;
			return;
		}
		for (u32 i = 0; i < SMP_PAGES; i++) {
			u64 page = base + i * PAGE_SIZE;

			if (!page_is_zero(page))
				cpu->job_failures++;
			page_fill(page, seed + i);
		}
		for (u32 i = 0; i < SMP_PAGES; i++)
			if (!page_holds(base + i * PAGE_SIZE, seed + i))
				cpu->job_failures++;
		if (!pvalidate_range(cpu, false)) {
			cpu->job_failures++;
			return;
		}
		for (u32 i = 0; i < SMP_PAGES; i++)
			if (page_probe_read(base + i * PAGE_SIZE) != PROBE_NOT_VALIDATED)
				cpu->job_failures++;
		if (cpu->job_failures) {
			note("vCPU %u: round %u: wrong page contents or state", cpu->index, round);
			return;
		}
	}
}

void test_smp(void)
{
	u32 n = env.ncpus, started = 1;
	struct cpu *bsp = this_cpu();

	if (n < 2) {
		skip("PVALIDATE from several vCPUs at once: needs --smp 2 or more");
		return;
	}
	note("concurrency: %u vCPUs validate and rescind %u pages each, %u rounds", n, SMP_PAGES,
	     SMP_ROUNDS);
	for (u32 i = 0; i < n; i++)
		if (!make_private(SMP_TEST_BASE + (u64)i * SMP_TEST_STRIDE, SMP_PAGES))
			return;
	__atomic_store_n(&go, 0, __ATOMIC_RELEASE);
	for (u32 i = 1; i < n; i++) {
		u32 rc = vcpu_create(i, env.apic_id[i], pvalidate_worker, 0);

		check_rc(rc, SVSM_SUCCESS, "CREATE_VCPU of worker vCPU %u (APIC ID %u)", i,
			 env.apic_id[i]);
		if (rc != SVSM_SUCCESS)
			break;
		if (vcpu_run(i) || !vcpu_wait(i, CPU_STARTED)) {
			check(false, "worker vCPU %u started", i);
			vcpu_delete(i);
			break;
		}
		started++;
	}
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	bsp->job_failures = 0;
	pvalidate_worker(bsp);
	check(bsp->job_failures == 0, "vCPU 0: %u rounds of validate/rescind, all results correct",
	      SMP_ROUNDS);
	for (u32 i = 1; i < started; i++) {
		bool done = vcpu_wait(i, CPU_DONE);

		check(done && cpu_by_index(i)->job_failures == 0,
		      "vCPU %u: %u rounds of validate/rescind alongside the others, all results "
		      "correct",
		      i, SMP_ROUNDS);
		if (done)
			check_rc(vcpu_delete(i), SVSM_SUCCESS, "DELETE_VCPU of worker vCPU %u", i);
	}
}
