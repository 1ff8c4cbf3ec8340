/*
 * Races between vCPUs calling the SVSM at once (issue 7). Each case is its own image
 * (build/guest-race-<case>.fd, README "Race images"), run by race-<case>.test.sh under
 * snpemu's seeded schedule (--sched), which switches vCPUs every few thousand instructions,
 * in the middle of the SVSM's calls too: the calls of two vCPUs overlap for real.
 *
 * Every answer is checked against what the SVSM protocol allows in that situation (SVSM spec
 * #58019, core protocol; the SVSM's README for BUSY), and the pages against snpemu's RMP
 * instrument where the guest cannot see the state itself. A worker never re-issues a BUSY
 * call on its own (svsm_call does): the answers are the observation. Calls go through
 * race_call, which does not touch the calling area after the call when it may have changed
 * owner meanwhile (a VMPL1 write to a page that became a VMSA would stop the run).
 */
#include "check.h"
#include "console.h"
#include "hv.h"
#include "instrument.h"
#include "lib/string.h"
#include "percpu.h"
#include "tests.h"
#include "vc.h"
#include "vcpu.h"

/* How long a waiting vCPU spins before it gives up (bounded: a lost vCPU fails the check). */
#define RACE_SPINS 20000000ULL

static u64 race_page(u32 i)
{
	return RACE_BASE + (u64)i * PAGE_SIZE;
}

/* entry.asm: the GPRs loaded from and stored back to this block around VMGEXIT. */
struct race_gprs {
	u64 rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15;
};
void svsm_vmgexit(struct race_gprs *g);

/*
 * One core call, exactly once (svsm.h: the MSR form of the run-VMPL request): call_pending = 1
 * in this vCPU's calling area, VMGEXIT, and — only if @own_caa_after (the calling area is
 * still ours after this call) — call_pending read back, which must be 0. RAX[31:0], or
 * SVSM_NO_ANSWER.
 */
static u32 race_call(u32 call, u64 rcx, u64 rdx, u64 r8, bool own_caa_after)
{
	struct cpu *cpu = this_cpu();
	struct race_gprs g = { 0 };
	u64 resp;

	g.rax = SVSM_RAX(SVSM_CORE_PROTOCOL, call);
	g.rcx = rcx;
	g.rdx = rdx;
	g.r8 = r8;
	__atomic_store_n(&cpu->caa->call_pending, 1, __ATOMIC_SEQ_CST);
	wrmsr(MSR_GHCB, ghcb_msr_vmpl_req(0));
	svsm_vmgexit(&g);
	resp = rdmsr(MSR_GHCB);
	wrmsr(MSR_GHCB, cpu->ghcb_gpa);
	if (resp != GHCB_MSR_VMPL_RESP)
		return SVSM_NO_ANSWER;
	if (own_caa_after && __atomic_load_n(&cpu->caa->call_pending, __ATOMIC_SEQ_CST))
		return SVSM_NO_ANSWER;
	return (u32)g.rax;
}

/* Spin until *flag >= want (bounded). */
static bool wait_for(const u32 *flag, u32 want)
{
	for (u64 i = 0; i < RACE_SPINS; i++) {
		if (__atomic_load_n(flag, __ATOMIC_ACQUIRE) >= want)
			return true;
		cpu_relax();
	}
	return false;
}

/* Private and validated through the SVSM, n pages from race page @first. */
static bool race_pages_ready(u32 first, u32 n)
{
	if (!make_private(race_page(first), n))
		return false;
	for (u32 i = 0; i < n; i++) {
		u32 rc = validate_4k(race_page(first + i), true);

		if (rc != SVSM_SUCCESS) {
			check_rc(rc, SVSM_SUCCESS, "PVALIDATE of race page %u", first + i);
			return false;
		}
	}
	return true;
}

/* Start AP @index with @job (its calling area right after its VMSA, vcpu.h). */
static bool start_worker(u32 index, void (*job)(struct cpu *))
{
	u32 rc = vcpu_create(index, env.apic_id[index], job, 0);

	if (rc != SVSM_SUCCESS) {
		check_rc(rc, SVSM_SUCCESS, "CREATE_VCPU of worker vCPU %u", index);
		return false;
	}
	if (vcpu_run(index) || !vcpu_wait(index, CPU_STARTED)) {
		check(false, "worker vCPU %u started", index);
		return false;
	}
	return true;
}

static bool page_validated(u64 gpa)
{
	return page_probe_read(gpa) == 0;
}

/* ---- a: BUSY — three vCPUs claim page P at once ---- */

/*
 * vCPU 0 validates/rescinds its own pages with P (validate, ignore_CF) as the last entry;
 * vCPU 1 moves its calling area to P and back (REMAP_CA); vCPU 2 registers P as a VMSA for
 * vCPU 3 and deletes it again (CREATE_VCPU, DELETE_VCPU). P is claimed by each call that
 * names it, so another call naming it meanwhile must answer BUSY; a call that finds P
 * registered (a calling area, a VMSA) answers INVALID_ADDRESS; anything else must succeed.
 */
#define BUSY_ITER 24
#define BUSY_OWN 8
#define BUSY_P 1
#define BUSY_Q 2
#define BUSY_OWN_FIRST 8

static u32 busy_go;

static void busy_pvalidate(struct cpu *cpu)
{
	struct svsm_pvalidate_req *req = (struct svsm_pvalidate_req *)cpu->caa->buffer;
	u64 req_gpa = cpu->caa_gpa + 8;

	for (u32 it = 0; it < BUSY_ITER; it++) {
		bool validate = it & 1; /* the pages start validated: rescind first */
		u32 rc, next, bad = 0;

		req->entries = BUSY_OWN + 1;
		req->next = 0;
		for (u32 i = 0; i < BUSY_OWN; i++)
			req->entry[i] = PVAL_ENTRY(race_page(BUSY_OWN_FIRST + i), PVAL_SIZE_4K,
						   validate, false);
		req->entry[BUSY_OWN] = PVAL_ENTRY(race_page(BUSY_P), PVAL_SIZE_4K, true, true);
		rc = race_call(SVSM_CORE_PVALIDATE, req_gpa, 0, 0, true);
		next = READ_ONCE(req->next);
		if (rc == SVSM_ERR_BUSY && next == BUSY_OWN)
			cpu->job_result++;
		else if (rc == SVSM_ERR_INVALID_ADDRESS && next == BUSY_OWN)
			cpu->job_result2++;
		else if (rc != SVSM_SUCCESS || next != BUSY_OWN + 1)
			bad++;
		for (u32 i = 0; i < BUSY_OWN; i++)
			bad += page_validated(race_page(BUSY_OWN_FIRST + i)) != validate;
		if (bad) {
			note("vCPU %u: PVALIDATE %u: %s, next %u, %u pages in the wrong state",
			     cpu->index, it, svsm_rc_name(rc), next, bad);
			cpu->job_failures++;
		}
	}
}

static void busy_remap(struct cpu *cpu)
{
	u64 home = cpu->caa_gpa, p = race_page(BUSY_P);

	wait_for(&busy_go, 1);
	for (u32 it = 0; it < BUSY_ITER; it++) {
		u32 rc = race_call(SVSM_CORE_REMAP_CA, p, 0, 0, false);

		if (rc == SVSM_SUCCESS) {
			cpu->caa_gpa = p;
			cpu->caa = gpa_ptr(p);
			/* P is ours now: nobody else may claim it, the way home must succeed. */
			rc = race_call(SVSM_CORE_REMAP_CA, home, 0, 0, false);
			if (rc != SVSM_SUCCESS) {
				note("vCPU %u: REMAP_CA back home: %s", cpu->index,
				     svsm_rc_name(rc));
				cpu->job_failures++;
				return;
			}
			cpu->caa_gpa = home;
			cpu->caa = gpa_ptr(home);
		} else if (rc == SVSM_ERR_BUSY) {
			cpu->job_result++;
		} else if (rc == SVSM_ERR_INVALID_ADDRESS) {
			cpu->job_result2++;
		} else {
			note("vCPU %u: REMAP_CA to P %u: %s", cpu->index, it, svsm_rc_name(rc));
			cpu->job_failures++;
		}
	}
}

static void busy_create(struct cpu *cpu)
{
	u64 p = race_page(BUSY_P), q = race_page(BUSY_Q);
	struct vmsa *vmsa = gpa_ptr(p);

	wait_for(&busy_go, 1);
	for (u32 it = 0; it < BUSY_ITER; it++) {
		u32 rc = race_call(SVSM_CORE_CREATE_VCPU, p, q, env.apic_id[3], true);

		if (rc == SVSM_SUCCESS) {
			rc = race_call(SVSM_CORE_DELETE_VCPU, p, 0, 0, true);
			if (rc != SVSM_SUCCESS) {
				note("vCPU %u: DELETE_VCPU of P: %s", cpu->index, svsm_rc_name(rc));
				cpu->job_failures++;
				return;
			}
			/* DELETE_VCPU cleared EFER.SVME (the runnable flag): runnable again for
			 * the next CREATE_VCPU. One field only: vCPU 1 may have P as its calling
			 * area by now, with call_pending in the first byte. */
			__atomic_or_fetch(&vmsa->efer, EFER_SVME, __ATOMIC_RELAXED);
		} else if (rc == SVSM_ERR_BUSY) {
			cpu->job_result++;
		} else if (rc == SVSM_ERR_INVALID_ADDRESS) {
			cpu->job_result2++;
		} else {
			note("vCPU %u: CREATE_VCPU of P %u: %s", cpu->index, it, svsm_rc_name(rc));
			cpu->job_failures++;
		}
	}
}

static void race_busy(void)
{
	struct cpu *bsp = this_cpu(), *b = cpu_by_index(1), *c = cpu_by_index(2);
	u32 busy, w = SNPEMU_PERM_RWX;
	char buf[80];

	note("race busy: PVALIDATE (vCPU 0), REMAP_CA (vCPU 1), CREATE_VCPU (vCPU 2) of one page");
	if (env.ncpus < 4) {
		skip("race busy: needs --smp 4");
		return;
	}
	if (!race_pages_ready(BUSY_P, 2) || !race_pages_ready(BUSY_OWN_FIRST, BUSY_OWN))
		return;
	vmsa_init_ap(gpa_ptr(race_page(BUSY_P)), 3); /* a VMSA CREATE_VCPU accepts */
	memset(gpa_ptr(race_page(BUSY_Q)), 0, PAGE_SIZE);
	if (!start_worker(1, busy_remap) || !start_worker(2, busy_create))
		return;
	__atomic_store_n(&busy_go, 1, __ATOMIC_RELEASE);
	bsp->job_failures = bsp->job_result = bsp->job_result2 = 0;
	busy_pvalidate(bsp);
	check(vcpu_wait(1, CPU_DONE) && vcpu_wait(2, CPU_DONE), "the workers finished");
	check(bsp->job_failures == 0,
	      "PVALIDATE naming P, %u times: every answer SUCCESS, BUSY or INVALID_ADDRESS at P, "
	      "the entries before P done (%u BUSY, %u INVALID_ADDRESS)",
	      BUSY_ITER, bsp->job_result, bsp->job_result2);
	check(b->job_failures == 0,
	      "REMAP_CA to P, %u times: SUCCESS (and back), BUSY or INVALID_ADDRESS (%u BUSY, %u "
	      "INVALID_ADDRESS)",
	      BUSY_ITER, b->job_result, b->job_result2);
	check(c->job_failures == 0,
	      "CREATE_VCPU of P, %u times: SUCCESS (then DELETE_VCPU), BUSY or INVALID_ADDRESS "
	      "(%u BUSY, %u INVALID_ADDRESS)",
	      BUSY_ITER, c->job_result, c->job_result2);
	busy = bsp->job_result + b->job_result + c->job_result;
	con_printf("race busy: BUSY answers %u (PVALIDATE %u, REMAP_CA %u, CREATE_VCPU "
		   "%u)\n",
		   busy, bsp->job_result, b->job_result, c->job_result);
	check(ti_rmp_is(ti_rmp(race_page(BUSY_P)),
			ti_rmp_want(SNPEMU_RMPQ_ASSIGNED | SNPEMU_RMPQ_VALIDATED, w, 0, 0)),
	      "P ends validated, VMPL1 RWX, no VMSA bit: %s",
	      ti_rmp_str(ti_rmp(race_page(BUSY_P)), buf, sizeof(buf)));
	check(b->caa_gpa == vcpu_caa_gpa(1), "vCPU 1 is back on its own calling area");
	check(page_usable(race_page(BUSY_P)) && page_usable(race_page(BUSY_Q)), "P and the calling "
										"area offered with "
										"it are ordinary "
										"guest pages");
	for (u32 i = 1; i < 3; i++)
		check_rc(vcpu_delete(i), SVSM_SUCCESS, "DELETE_VCPU of worker vCPU %u", i);
}

/* ---- b: PVALIDATE validate and rescind of the same pages from two vCPUs ---- */

/*
 * vCPU 0 validates S0..S7, vCPU 1 rescinds S11..S4 (in that order), no ignore_CF, both at
 * once, from pages in a per-round mix of states. A request claims all its pages when it
 * starts: the one that comes second is BUSY at its first shared page (S4 for vCPU 0, S7 for
 * vCPU 1: index 4 either way) with the entries before it done, or runs after the first
 * finished. A page already in the requested state stops a request with FAIL_NO_CHANGE.
 */
#define PV_ROUNDS 24
#define PV_N 12
#define PV_EACH 8
#define PV_FIRST 32

static u32 pv_go, pv_done;
static u32 pv_rc[2], pv_next[2];

/* Request of vCPU @who (0 validates S0..S7, 1 rescinds S11..S4): entry @i's page index. */
static u32 pv_page(u32 who, u32 i)
{
	return who ? PV_N - 1 - i : i;
}

static void pv_request(struct cpu *cpu, u32 who)
{
	struct svsm_pvalidate_req *req = (struct svsm_pvalidate_req *)cpu->caa->buffer;

	req->entries = PV_EACH;
	req->next = 0;
	for (u32 i = 0; i < PV_EACH; i++)
		req->entry[i] = PVAL_ENTRY(race_page(PV_FIRST + pv_page(who, i)), PVAL_SIZE_4K,
					   who == 0, false);
	pv_rc[who] = race_call(SVSM_CORE_PVALIDATE, cpu->caa_gpa + 8, 0, 0, true);
	pv_next[who] = READ_ONCE(req->next);
}

static void pv_worker(struct cpu *cpu)
{
	for (u32 r = 1; r <= PV_ROUNDS; r++) {
		if (!wait_for(&pv_go, r))
			return;
		pv_request(cpu, 1);
		__atomic_store_n(&pv_done, r, __ATOMIC_RELEASE);
	}
}

/* Did request @who process page @j: done (before next), or refused there with
 * FAIL_NO_CHANGE (the page was in the requested state)? */
static bool pv_processed(u32 who, u32 j)
{
	for (u32 i = 0; i < PV_EACH; i++)
		if (pv_page(who, i) == j)
			return i < pv_next[who] ||
			       (i == pv_next[who] &&
				pv_rc[who] == SVSM_ERR_PVALIDATE_FAIL_NO_CHANGE);
	return false;
}

static bool pv_answer_ok(u32 who)
{
	u32 rc = pv_rc[who], next = pv_next[who];

	if (rc == SVSM_SUCCESS)
		return next == PV_EACH;
	if (rc == SVSM_ERR_BUSY)
		return next == PV_EACH - 4; /* its first page the other request names */
	/* Its first four pages are its own and start in the other state: the page that is
	 * already in the requested state can only be a shared one. */
	return rc == SVSM_ERR_PVALIDATE_FAIL_NO_CHANGE && next >= PV_EACH - 4 && next < PV_EACH;
}

static void race_pvalidate(void)
{
	u32 busy = 0, nochange = 0, bad = 0;
	bool init[PV_N];

	note("race pvalidate: vCPU 0 validates S0..S7 while vCPU 1 rescinds S11..S4");
	if (env.ncpus < 2) {
		skip("race pvalidate: needs --smp 2");
		return;
	}
	if (!race_pages_ready(PV_FIRST, PV_N) || !start_worker(1, pv_worker))
		return;
	for (u32 r = 1; r <= PV_ROUNDS; r++) {
		u32 both_state = 2;
		char buf[80];

		/* Each request has work before the shared pages (S0..S3 to validate, S11..S8
		 * to rescind); the shared S4..S7 start in a different mix each round. */
		for (u32 j = 0; j < PV_N; j++) {
			u64 gpa = race_page(PV_FIRST + j);

			init[j] = j < 4 ? false : j >= 8 ? true : (r >> (j - 4)) & 1;
			if ((init[j] ? validate_4k(gpa, true) : rescind_4k(gpa, true)) !=
			    SVSM_SUCCESS)
				bad++;
		}
		__atomic_store_n(&pv_go, r, __ATOMIC_RELEASE);
		pv_request(this_cpu(), 0);
		if (!wait_for(&pv_done, r)) {
			check(false, "round %u: vCPU 1 answered", r);
			return;
		}
		busy += (pv_rc[0] == SVSM_ERR_BUSY) + (pv_rc[1] == SVSM_ERR_BUSY);
		nochange += (pv_rc[0] == SVSM_ERR_PVALIDATE_FAIL_NO_CHANGE) +
			    (pv_rc[1] == SVSM_ERR_PVALIDATE_FAIL_NO_CHANGE);
		if (!pv_answer_ok(0) || !pv_answer_ok(1) ||
		    (pv_rc[0] == SVSM_ERR_BUSY && pv_rc[1] == SVSM_ERR_BUSY)) {
			note("round %u: answers validate %s next %u, rescind %s next %u", r,
			     svsm_rc_name(pv_rc[0]), pv_next[0], svsm_rc_name(pv_rc[1]),
			     pv_next[1]);
			bad++;
		}
		/* The RMP agrees with the answers: a page only one request processed is in its
		 * state; the pages both processed were done by one request after the other, so
		 * they all end in the same (the later request's) state; others are untouched. */
		for (u32 j = 0; j < PV_N; j++) {
			u32 word = ti_rmp(race_page(PV_FIRST + j));
			bool v = word & SNPEMU_RMPQ_VALIDATED, a = pv_processed(0, j),
			     b = pv_processed(1, j), want = init[j];
			u32 perm = v ? SNPEMU_PERM_RWX : 0;
			u32 flags = SNPEMU_RMPQ_ASSIGNED | (v ? SNPEMU_RMPQ_VALIDATED : 0);

			if (a && b) {
				if (both_state == 2)
					both_state = v;
				want = both_state;
			} else if (a || b) {
				want = a; /* validate's page or rescind's */
			}
			if (v != want || !ti_rmp_is(word, ti_rmp_want(flags, perm, 0, 0))) {
				note("round %u: S%u is %s (start %s; processed by validate %d, "
				     "rescind %d)",
				     r, j, ti_rmp_str(word, buf, sizeof(buf)),
				     init[j] ? "validated" : "rescinded", a, b);
				bad++;
			}
		}
	}
	check(bad == 0,
	      "%u rounds of overlapping validate and rescind: every answer SUCCESS, BUSY at the "
	      "first shared page or FAIL_NO_CHANGE, and the RMP as the answers say",
	      PV_ROUNDS);
	con_printf("race pvalidate: BUSY answers %u, FAIL_NO_CHANGE answers %u\n", busy, nochange);
	check(vcpu_wait(1, CPU_DONE), "vCPU 1 finished");
	check_rc(vcpu_delete(1), SVSM_SUCCESS, "DELETE_VCPU of vCPU 1");
}

/* ---- c: CREATE_VCPU replaces vCPU X's calling area while X is in a call ---- */

/*
 * X (vCPU 1) makes one long call (PVALIDATE of 64 pages, the request in its calling area
 * C1 at +0x800). Once the SVSM has taken X's VMSA V1 (EFER.SVME clear: it serves the call),
 * vCPU 0 gives X a new VMSA and calling area (CREATE_VCPU: V2, C2), which takes C1 out of
 * the registry, and offers C1 as a VMSA for vCPU 2 (CREATE_VCPU: C1, C3). While X's call
 * runs the SVSM still writes C1 at its end (`next`, call_pending): C1 must stay claimed until
 * then, so the offer is BUSY, and a page that became a VMSA is never written by X's call.
 */
#define CA_ROUNDS 10
#define CA_V2 3
#define CA_C2 4
#define CA_C3 5
#define CA_PAGES_FIRST 64
#define CA_PAGES 64
#define CA_REQ_OFF 0x800

static u32 ca_go;
static u8 ca_snap[PAGE_SIZE];

static void ca_x_job(struct cpu *cpu)
{
	if (!wait_for(&ca_go, (u32)cpu->job_arg))
		return;
	/* C1 may be someone else's page once this call ends: do not read it back. */
	cpu->job_result = race_call(SVSM_CORE_PVALIDATE, cpu->caa_gpa + CA_REQ_OFF, 0, 0, false);
}

static bool x_in_call(const struct vmsa *v1)
{
	return !(READ_ONCE(v1->efer) & EFER_SVME) &&
	       __atomic_load_n(&cpu_by_index(1)->state, __ATOMIC_ACQUIRE) < CPU_DONE;
}

/* One round; false when something is wrong (noted). *busy counts BUSY answers. */
static bool ca_round(u32 r, u32 *busy, u32 *overlapped)
{
	struct cpu *x = cpu_by_index(1);
	u64 v1 = vcpu_vmsa_gpa(1), c1 = vcpu_caa_gpa(1);
	u64 v2 = race_page(CA_V2), c2 = race_page(CA_C2), c3 = race_page(CA_C3);
	const struct vmsa *v1p = gpa_ptr(v1);
	struct svsm_pvalidate_req *req = gpa_ptr(c1 + CA_REQ_OFF);
	bool ok = true, c1_vmsa = false, created = false;
	u32 rc = SVSM_NO_ANSWER;
	u64 i;

	/* X's state and calling area; C1 also holds a VMSA image CREATE_VCPU would accept
	 * (vmpl, EFER, sev_features: below the request). */
	memset(x, 0, sizeof(*x));
	x->index = 1;
	x->apic_id = env.apic_id[1];
	x->caa_gpa = c1;
	x->caa = gpa_ptr(c1);
	x->job = ca_x_job;
	x->job_arg = r;
	vmsa_init_ap(gpa_ptr(c1), 2);
	req->entries = CA_PAGES;
	req->next = 0;
	for (u32 j = 0; j < CA_PAGES; j++)
		req->entry[j] = PVAL_ENTRY(race_page(CA_PAGES_FIRST + j), PVAL_SIZE_4K, true, true);
	vmsa_init_ap(gpa_ptr(v1), 1);
	rc = svsm_create_vcpu(v1, c1, x->apic_id);
	if (rc != SVSM_SUCCESS || vcpu_run(1) || !vcpu_wait(1, CPU_STARTED)) {
		note("round %u: X did not start (%s)", r, svsm_rc_name(rc));
		return false;
	}
	__atomic_store_n(&ca_go, r, __ATOMIC_RELEASE);
	for (i = 0; i < RACE_SPINS && !x_in_call(v1p) &&
		    __atomic_load_n(&x->state, __ATOMIC_ACQUIRE) < CPU_DONE;
	     i++)
		cpu_relax();
	if (x_in_call(v1p)) {
		(*overlapped)++;
		vmsa_init_ap(gpa_ptr(v2), 1);
		memset(gpa_ptr(c2), 0, PAGE_SIZE);
		memset(gpa_ptr(c3), 0, PAGE_SIZE);
		rc = svsm_create_vcpu(v2, c2, x->apic_id);
		if (rc != SVSM_SUCCESS) {
			note("round %u: CREATE_VCPU of X's new VMSA: %s", r, svsm_rc_name(rc));
			return false;
		}
		created = true;
		for (i = 0; i < RACE_SPINS; i++) {
			rc = race_call(SVSM_CORE_CREATE_VCPU, c1, c3, env.apic_id[2], true);
			if (rc != SVSM_ERR_BUSY)
				break;
			(*busy)++;
		}
		if (rc == SVSM_SUCCESS) {
			c1_vmsa = true;
			if (x_in_call(v1p)) {
				note("round %u: C1 became a VMSA while X's call was still running",
				     r);
				ok = false;
			}
			memcpy(ca_snap, gpa_ptr(c1), PAGE_SIZE);
		} else {
			note("round %u: CREATE_VCPU of X's old calling area: %s", r,
			     svsm_rc_name(rc));
			ok = false;
		}
	}
	if (!vcpu_wait(1, CPU_DONE)) {
		note("round %u: X did not finish its call", r);
		return false;
	}
	if (x->job_result != SVSM_SUCCESS) {
		note("round %u: X's PVALIDATE: %s", r, svsm_rc_name(x->job_result));
		ok = false;
	}
	if (c1_vmsa) {
		if (memcmp(ca_snap, gpa_ptr(c1), PAGE_SIZE)) {
			note("round %u: the SVSM wrote C1 after it became vCPU 2's VMSA", r);
			ok = false;
		}
		if (svsm_delete_vcpu(c1) != SVSM_SUCCESS)
			ok = false;
	}
	if (svsm_delete_vcpu(v1) != SVSM_SUCCESS)
		ok = false;
	if (created && svsm_delete_vcpu(v2) != SVSM_SUCCESS)
		ok = false;
	if (!page_usable(c1) || !page_usable(v1) || !page_usable(v2) || !page_usable(c2) ||
	    !page_usable(c3)) {
		note("round %u: a page is not an ordinary guest page again", r);
		ok = false;
	}
	return ok;
}

static void race_caa(void)
{
	u32 busy = 0, overlapped = 0, bad = 0;

	note("race caa: CREATE_VCPU replaces vCPU 1's calling area during its call");
	if (env.ncpus < 3) {
		skip("race caa: needs --smp 3");
		return;
	}
	if (!race_pages_ready(CA_V2, 3) || !race_pages_ready(CA_PAGES_FIRST, CA_PAGES))
		return;
	for (u32 r = 1; r <= CA_ROUNDS; r++) {
		note("round %u", r);
		if (!ca_round(r, &busy, &overlapped))
			bad++;
	}
	check(bad == 0,
	      "%u rounds: X's old calling area is BUSY while X's call runs, never written once it "
	      "is a VMSA, every page ordinary again after DELETE_VCPU",
	      CA_ROUNDS);
	con_printf("race caa: %u of %u rounds caught X in its call, BUSY answers %u\n", overlapped,
		   CA_ROUNDS, busy);
}

/* ---- d: two CREATE_VCPU for a vCPU's last VMSA slot ---- */

/*
 * vCPU 0 fills vCPU 2's VMSA slots until CREATE_VCPU answers INVALID_REQUEST, deletes one,
 * then vCPU 0 and vCPU 1 both ask for the free slot at once. Exactly one may get it, the
 * other INVALID_REQUEST, and the SVSM must go on: two calls that both passed the limit would
 * overfill its registry.
 */
#define VS_ROUNDS 10
#define VS_MAX 10
#define VS_V_FIRST 130
#define VS_C_FIRST 150

static u32 vs_go, vs_done, vs_rc1;
static u64 vs_v1;

static void vs_worker(struct cpu *cpu)
{
	(void)cpu;
	for (u32 r = 1; r <= VS_ROUNDS; r++) {
		if (!wait_for(&vs_go, r))
			return;
		vs_rc1 = race_call(SVSM_CORE_CREATE_VCPU, vs_v1, race_page(VS_C_FIRST + 3),
				   env.apic_id[2], true);
		__atomic_store_n(&vs_done, r, __ATOMIC_RELEASE);
	}
}

static bool vs_round(u32 r, u32 *limit_seen)
{
	u32 t = env.apic_id[2], n = 0, rc, rc0;
	u64 v0;
	bool ok = true, reg[VS_MAX + 2] = { false };

	/* Fill: CREATE_VCPU until the limit (the calling areas alternate: the one the target has
	 * now is registered). */
	for (; n < VS_MAX; n++) {
		vmsa_init_ap(gpa_ptr(race_page(VS_V_FIRST + n)), 2);
		memset(gpa_ptr(race_page(VS_C_FIRST + n % 2)), 0, PAGE_SIZE);
		rc = svsm_create_vcpu(race_page(VS_V_FIRST + n), race_page(VS_C_FIRST + n % 2), t);
		if (rc == SVSM_ERR_INVALID_REQUEST)
			break;
		if (rc != SVSM_SUCCESS) {
			note("round %u: CREATE_VCPU %u for vCPU 2: %s", r, n, svsm_rc_name(rc));
			return false;
		}
		reg[n] = true;
	}
	if (!n || n == VS_MAX) {
		note("round %u: %u VMSAs registered for one vCPU without reaching a limit", r, n);
		return false;
	}
	*limit_seen = n;
	/* One slot free, then both ask for it. */
	if (svsm_delete_vcpu(race_page(VS_V_FIRST)) != SVSM_SUCCESS)
		return false;
	reg[0] = false;
	v0 = race_page(VS_V_FIRST + n);
	vs_v1 = race_page(VS_V_FIRST + n + 1);
	vmsa_init_ap(gpa_ptr(v0), 2);
	vmsa_init_ap(gpa_ptr(vs_v1), 2);
	memset(gpa_ptr(race_page(VS_C_FIRST + 2)), 0, PAGE_SIZE);
	memset(gpa_ptr(race_page(VS_C_FIRST + 3)), 0, PAGE_SIZE);
	__atomic_store_n(&vs_go, r, __ATOMIC_RELEASE);
	rc0 = race_call(SVSM_CORE_CREATE_VCPU, v0, race_page(VS_C_FIRST + 2), t, true);
	if (!wait_for(&vs_done, r)) {
		note("round %u: vCPU 1 did not answer", r);
		return false;
	}
	reg[n] = rc0 == SVSM_SUCCESS;
	reg[n + 1] = vs_rc1 == SVSM_SUCCESS;
	if (!((rc0 == SVSM_SUCCESS && vs_rc1 == SVSM_ERR_INVALID_REQUEST) ||
	      (rc0 == SVSM_ERR_INVALID_REQUEST && vs_rc1 == SVSM_SUCCESS))) {
		note("round %u: the two CREATE_VCPU for the last slot: %s and %s", r,
		     svsm_rc_name(rc0), svsm_rc_name(vs_rc1));
		ok = false;
	}
	for (u32 i = 0; i < n + 2; i++) {
		if (reg[i] && svsm_delete_vcpu(race_page(VS_V_FIRST + i)) != SVSM_SUCCESS)
			ok = false;
		if (!page_usable(race_page(VS_V_FIRST + i)))
			ok = false;
	}
	return ok;
}

static void race_vmsas(void)
{
	u32 bad = 0, limit = 0;

	note("race vmsas: vCPUs 0 and 1 both ask for vCPU 2's last VMSA slot");
	if (env.ncpus < 3) {
		skip("race vmsas: needs --smp 3");
		return;
	}
	if (!race_pages_ready(VS_V_FIRST, VS_MAX + 2) || !race_pages_ready(VS_C_FIRST, 4) ||
	    !start_worker(1, vs_worker))
		return;
	for (u32 r = 1; r <= VS_ROUNDS; r++) {
		note("round %u", r);
		if (!vs_round(r, &limit))
			bad++;
	}
	check(bad == 0,
	      "%u rounds: of two CREATE_VCPU for the last VMSA slot (limit %u) one succeeds, the "
	      "other is INVALID_REQUEST, and the SVSM goes on",
	      VS_ROUNDS, limit);
	check(vcpu_wait(1, CPU_DONE), "vCPU 1 finished");
	check_rc(vcpu_delete(1), SVSM_SUCCESS, "DELETE_VCPU of vCPU 1");
}

/* ---- e: REMAP_CA to a page another vCPU's PVALIDATE request is working on ---- */

/*
 * vCPU 0 makes PVALIDATE requests (until 16 ran) that rescind page P first, then validate or rescind its
 * own pages O0..O15, and validate P again last: while such a request runs, P is claimed (its
 * entries are) and not validated for most of it. vCPU 1 meanwhile moves its calling area to P
 * and back (REMAP_CA). Outside vCPU 0's requests P is validated and unclaimed, so REMAP_CA to
 * P must answer SUCCESS, or BUSY while a request holds P; never INVALID_ADDRESS, which only
 * the probe of a page another call made unvalidated would give. vCPU 0's requests must succeed
 * or, when they start while P is vCPU 1's calling area or being made so, be INVALID_ADDRESS or
 * BUSY at P (nothing done).
 */
#define ENT_ROUNDS 16	 /* requests that ran */
#define ENT_ATTEMPTS 200 /* requests made at most */
#define ENT_OWN 16
#define ENT_P 1
#define ENT_OWN_FIRST 16

static u32 ent_done;

static void ent_remap(struct cpu *cpu)
{
	u64 home = cpu->caa_gpa, p = race_page(ENT_P);

	while (!__atomic_load_n(&ent_done, __ATOMIC_ACQUIRE)) {
		u32 rc = race_call(SVSM_CORE_REMAP_CA, p, 0, 0, false);

		if (rc == SVSM_SUCCESS) {
			cpu->caa_gpa = p;
			cpu->caa = gpa_ptr(p);
			cpu->job_result2++;
			rc = race_call(SVSM_CORE_REMAP_CA, home, 0, 0, false);
			if (rc != SVSM_SUCCESS) {
				note("vCPU %u: REMAP_CA back home: %s", cpu->index,
				     svsm_rc_name(rc));
				cpu->job_failures++;
				return;
			}
			cpu->caa_gpa = home;
			cpu->caa = gpa_ptr(home);
		} else if (rc == SVSM_ERR_BUSY) {
			cpu->job_result++;
		} else {
			note("vCPU %u: REMAP_CA to P: %s", cpu->index, svsm_rc_name(rc));
			cpu->job_failures++;
		}
	}
}

static void race_entries(void)
{
	struct cpu *bsp = this_cpu(), *b = cpu_by_index(1);
	struct svsm_pvalidate_req *req = (struct svsm_pvalidate_req *)bsp->caa->buffer;
	u64 p = race_page(ENT_P);
	u32 bad = 0, refused = 0, done = 0;
	bool own_valid = true;

	note("race entries: vCPU 0 rescinds and validates P in its requests, vCPU 1 moves its "
	     "calling area to P");
	if (env.ncpus < 2) {
		skip("race entries: needs --smp 2");
		return;
	}
	if (!race_pages_ready(ENT_P, 1) || !race_pages_ready(ENT_OWN_FIRST, ENT_OWN))
		return;
	__atomic_store_n(&ent_done, 0, __ATOMIC_RELEASE);
	b->job_failures = b->job_result = b->job_result2 = 0;
	if (!start_worker(1, ent_remap))
		return;
	for (u32 r = 1; done < ENT_ROUNDS && r <= ENT_ATTEMPTS; r++) {
		bool validate = !own_valid;
		u32 rc, next, wrong = 0;

		req->entries = ENT_OWN + 2;
		req->next = 0;
		req->entry[0] = PVAL_ENTRY(p, PVAL_SIZE_4K, false, false);
		for (u32 i = 0; i < ENT_OWN; i++)
			req->entry[1 + i] = PVAL_ENTRY(race_page(ENT_OWN_FIRST + i), PVAL_SIZE_4K,
						       validate, false);
		req->entry[ENT_OWN + 1] = PVAL_ENTRY(p, PVAL_SIZE_4K, true, false);
		rc = race_call(SVSM_CORE_PVALIDATE, bsp->caa_gpa + 8, 0, 0, true);
		next = READ_ONCE(req->next);
		if (rc == SVSM_SUCCESS && next == ENT_OWN + 2) {
			own_valid = validate;
			done++;
		} else if ((rc == SVSM_ERR_INVALID_ADDRESS || rc == SVSM_ERR_BUSY) && next == 0) {
			refused++; /* P was vCPU 1's calling area, or being made so: nothing done */
		} else {
			wrong++;
		}
		for (u32 i = 0; i < ENT_OWN; i++)
			wrong += page_validated(race_page(ENT_OWN_FIRST + i)) != own_valid;
		wrong += !page_validated(p);
		if (wrong) {
			note("round %u: PVALIDATE %s, next %u, %u pages in the wrong state", r,
			     svsm_rc_name(rc), next, wrong);
			bad++;
		}
	}
	__atomic_store_n(&ent_done, 1, __ATOMIC_RELEASE);
	check(vcpu_wait(1, CPU_DONE), "vCPU 1 finished");
	check(bad == 0 && done == ENT_ROUNDS,
	      "%u PVALIDATE requests rescinding and validating P done (%u), the others "
	      "INVALID_ADDRESS or BUSY at P with nothing done (%u); every page as the answers say",
	      ENT_ROUNDS, done, refused);
	check(b->job_failures == 0,
	      "REMAP_CA to P: SUCCESS (and back, %u times) or BUSY (%u times), never "
	      "INVALID_ADDRESS: P is only unvalidated while a request holds it",
	      b->job_result2, b->job_result);
	con_printf("race entries: BUSY answers %u, REMAP_CA to P %u, PVALIDATE refused %u\n",
		   b->job_result, b->job_result2, refused);
	check(b->caa_gpa == vcpu_caa_gpa(1), "vCPU 1 is back on its own calling area");
	check(page_usable(p), "P is an ordinary guest page");
	check_rc(vcpu_delete(1), SVSM_SUCCESS, "DELETE_VCPU of vCPU 1");
}

/* ---- f: attestation calls of two vCPUs at once; a request changed during its call ---- */

/*
 * The SVSM has one VMPCK0 message sequence, so attestation calls of two vCPUs must take turns
 * in it: in phase 1 vCPUs 0 and 1 ask for ATT_ROUNDS reports each at once, and every answer
 * must be SUCCESS with a VMPL0 report. And the SVSM reads a request once, then checks that copy
 * and uses only it: in phase 2, while vCPU 0 asks for ATT_ROUNDS reports, vCPU 1 keeps
 * switching the report buffer of vCPU 0's request between R (page aligned) and R + 0x800 (not
 * page aligned: INVALID_PARAMETER). Each answer must be SUCCESS with the report at R, or
 * INVALID_PARAMETER with nothing written; a report at R + 0x800 means the request was read
 * again after its checks. Requests live in the vCPUs' calling areas, without a certificate
 * buffer (plain guest requests: the cheaper calls).
 */
#define ATT_ROUNDS 8
#define ATT_FIRST 64 /* race pages ATT_FIRST + 4 * vCPU: nonce, report, manifest */
#define ATT_OFF 0x800
#define ATT_REPORT_LEN 1184
#define ATT_UNTOUCHED 0xa5

static u32 att_phase, att_p1_done;

static u64 att_page(u32 index, u32 which)
{
	return race_page(ATT_FIRST + 4 * index + which);
}

static u32 att_get32(u64 gpa)
{
	u32 v;

	memcpy(&v, gpa_ptr(gpa), 4);
	return v;
}

static bool att_untouched(u64 gpa, u64 len)
{
	const u8 *b = gpa_ptr(gpa);

	for (u64 i = 0; i < len; i++)
		if (b[i] != ATT_UNTOUCHED)
			return false;
	return true;
}

/* SVSM_ATTEST_SERVICES with this vCPU's request (in its calling area, report buffer at
 * @report unless @keep: then as the request has it). */
static u32 att_call(struct cpu *cpu, u64 report, bool keep)
{
	u8 *q = cpu->caa->buffer;
	u64 nonce = att_page(cpu->index, 0), manifest = att_page(cpu->index, 2);
	struct svsm_regs r = { 0 };
	u32 size = PAGE_SIZE, nonce_len = 64;

	if (!keep) {
		memset(q, 0, 0x40);
		memcpy(q + 0x00, &report, 8);
		memcpy(q + 0x08, &size, 4);
		memcpy(q + 0x10, &nonce, 8);
		memcpy(q + 0x18, &nonce_len, 4);
		memcpy(q + 0x20, &manifest, 8);
		memcpy(q + 0x28, &size, 4);
	}
	memset(gpa_ptr(att_page(cpu->index, 1)), ATT_UNTOUCHED, PAGE_SIZE);
	r.rcx = cpu->caa_gpa + 8;
	return svsm_request(1, 0, &r);
}

/* A VMPL0 report at @gpa (VMPL 0, signature algorithm 1: ECDSA P-384). */
static bool att_report_at(u64 gpa)
{
	return att_get32(gpa + 0x30) == 0 && att_get32(gpa + 0x34) == 1;
}

/* Phase 1 on this vCPU: ATT_ROUNDS reports; false on a wrong answer (noted). */
static bool att_reports(struct cpu *cpu)
{
	u64 rep = att_page(cpu->index, 1);
	bool ok = true;

	for (u32 i = 0; i < ATT_ROUNDS; i++) {
		u32 rc = att_call(cpu, rep, false);

		if (rc != SVSM_SUCCESS || !att_report_at(rep)) {
			note("vCPU %u: report %u: %s", cpu->index, i, svsm_rc_name(rc));
			ok = false;
		}
	}
	return ok;
}

static void att_worker(struct cpu *cpu)
{
	struct cpu *x = cpu_by_index(0);
	u64 r0 = att_page(0, 1), *field;

	if (!wait_for(&att_phase, 1))
		return;
	if (!att_reports(cpu))
		cpu->job_failures++;
	__atomic_store_n(&att_p1_done, 1, __ATOMIC_RELEASE);
	if (!wait_for(&att_phase, 2))
		return;
	/* vCPU 0's request: its report buffer GPA, R and R + 0x800 in turn */
	field = (u64 *)(void *)x->caa->buffer;
	while (__atomic_load_n(&att_phase, __ATOMIC_ACQUIRE) == 2) {
		__atomic_store_n(field, r0 + ATT_OFF, __ATOMIC_RELAXED);
		__atomic_store_n(field, r0, __ATOMIC_RELAXED);
	}
}

static void race_attest(void)
{
	struct cpu *bsp = this_cpu(), *b = cpu_by_index(1);
	u64 r0 = att_page(0, 1);
	u32 reports = 0, refused = 0, bad = 0;
	bool p1;

	note("race attest: two vCPUs ask for reports at once; then vCPU 1 changes vCPU 0's "
	     "request during its calls");
	if (env.ncpus < 2) {
		skip("race attest: needs --smp 2");
		return;
	}
	if (!race_pages_ready(ATT_FIRST, 8))
		return;
	for (u32 c = 0; c < 2; c++)
		for (u32 i = 0; i < 64; i++)
			((u8 *)gpa_ptr(att_page(c, 0)))[i] = (u8)(c * 64 + i);
	__atomic_store_n(&att_phase, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&att_p1_done, 0, __ATOMIC_RELEASE);
	b->job_failures = 0;
	if (!start_worker(1, att_worker))
		return;

	__atomic_store_n(&att_phase, 1, __ATOMIC_RELEASE);
	p1 = att_reports(bsp);
	check(wait_for(&att_p1_done, 1), "vCPU 1 finished its reports");
	check(p1 && b->job_failures == 0,
	      "%u reports on each of two vCPUs at once: every answer SUCCESS with a VMPL0 report",
	      ATT_ROUNDS);

	att_call(bsp, r0, false); /* the request in place */
	__atomic_store_n(&att_phase, 2, __ATOMIC_RELEASE);
	for (u32 i = 0; i < ATT_ROUNDS; i++) {
		u32 rc = att_call(bsp, r0, true);

		if (rc == SVSM_SUCCESS && att_report_at(r0) &&
		    att_untouched(r0 + ATT_OFF, ATT_REPORT_LEN)) {
			reports++;
		} else if (rc == SVSM_ERR_INVALID_PARAMETER && att_untouched(r0, PAGE_SIZE)) {
			refused++;
		} else {
			note("call %u: %s, report at R %d, R + 0x800 untouched %d", i,
			     svsm_rc_name(rc), att_report_at(r0),
			     att_untouched(r0 + ATT_OFF, ATT_REPORT_LEN));
			bad++;
		}
	}
	__atomic_store_n(&att_phase, 3, __ATOMIC_RELEASE);
	check(vcpu_wait(1, CPU_DONE), "vCPU 1 finished");
	check(bad == 0,
	      "%u reports while the request's report buffer changes: each SUCCESS with the report "
	      "at R, or INVALID_PARAMETER with nothing written; never a report at R + 0x800",
	      ATT_ROUNDS);
	con_printf("race attest: reports %u, INVALID_PARAMETER %u\n", reports, refused);
	check_rc(vcpu_delete(1), SVSM_SUCCESS, "DELETE_VCPU of vCPU 1");
}

void test_race(enum race_case which)
{
	if (!ti_present()) {
		skip("races: they check pages through snpemu's test instrument");
		return;
	}
	switch (which) {
	case RACE_BUSY:
		race_busy();
		break;
	case RACE_PVALIDATE:
		race_pvalidate();
		break;
	case RACE_CAA:
		race_caa();
		break;
	case RACE_VMSAS:
		race_vmsas();
		break;
	case RACE_ENTRIES:
		race_entries();
		break;
	case RACE_ATTEST:
		race_attest();
		break;
	}
}
