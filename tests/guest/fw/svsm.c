/* SVSM discovery and the call convention (see svsm.h). */
#include "svsm.h"
#include "check.h"
#include "console.h"
#include "hv.h"
#include "layout.h"
#include "lib/errno.h"
#include "percpu.h"
#include "sev/ghcb.h"
#include "tlib/x86.h"

/* How often a call answered INCOMPLETE or BUSY is re-issued before we give up. */
#define SVSM_RETRIES 1000

/* entry.asm: load all GPRs from *g, VMGEXIT, store them back. */
struct gpr_state {
	u64 rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15;
};
void svsm_vmgexit(struct gpr_state *g);

static u64 stat_calls, stat_clobbers;

void svsm_call_stats(u64 *calls, u64 *clobbers)
{
	*calls = __atomic_load_n(&stat_calls, __ATOMIC_RELAXED);
	*clobbers = __atomic_load_n(&stat_clobbers, __ATOMIC_RELAXED);
}

void svsm_read_secrets(struct svsm_info *info)
{
	const volatile u8 *s = (const volatile u8 *)(uintptr_t)SECRETS_GPA;

	info->base = *(const volatile u64 *)(s + SECRETS_SVSM_BASE);
	info->size = *(const volatile u64 *)(s + SECRETS_SVSM_SIZE);
	info->caa = *(const volatile u64 *)(s + SECRETS_SVSM_CAA);
	info->max_version = *(const volatile u32 *)(s + SECRETS_SVSM_MAX_VERSION);
	info->guest_vmpl = s[SECRETS_SVSM_GUEST_VMPL];
}

/* Distinct values in the registers the SVSM must not change, so a clobber cannot go unseen. */
static void fill_preserved(struct gpr_state *g, u64 seed)
{
	u64 *regs[] = { &g->rbx, &g->rsi, &g->rdi, &g->rbp, &g->r10,
			&g->r11, &g->r12, &g->r13, &g->r14, &g->r15 };

	for (unsigned int i = 0; i < ARRAY_SIZE(regs); i++)
		*regs[i] = 0x5a5a000000000000ULL | (seed << 8) | i;
}

static bool preserved(const struct gpr_state *a, const struct gpr_state *b)
{
	return a->rbx == b->rbx && a->rsi == b->rsi && a->rdi == b->rdi && a->rbp == b->rbp &&
	       a->r10 == b->r10 && a->r11 == b->r11 && a->r12 == b->r12 && a->r13 == b->r13 &&
	       a->r14 == b->r14 && a->r15 == b->r15;
}

/*
 * One exit to VMPL0 in either form of the run-VMPL request (facts §7 step 3): the MSR form
 * (GHCB MSR = 0x016 with VMPL 0, answered in the MSR) or the GHCB form (NAE 0x80000018 with
 * exit_info_1 = exit_info_2 = 0, answered in exit_info_1). 0 or -EIO.
 */
static int call_once(struct svsm_regs *r, bool set_pending, bool ghcb_form, u8 *pending_after)
{
	struct cpu *cpu = this_cpu();
	struct svsm_caa *caa = cpu->caa;
	struct gpr_state g = { 0 }, before;
	struct ghcb *gh = NULL;
	u64 resp = 0, info2;
	int rc;
	u8 pending;

	g.rax = r->rax;
	g.rcx = r->rcx;
	g.rdx = r->rdx;
	g.r8 = r->r8;
	g.r9 = r->r9;
	fill_preserved(&g, __atomic_load_n(&stat_calls, __ATOMIC_RELAXED) & 0xffff);
	before = g;

	if (ghcb_form) {
		gh = ghcb_begin();
		ghcb_set(gh, GHCB_OFF_SW_EXIT_CODE, SVM_VMGEXIT_SNP_RUN_VMPL);
		ghcb_set(gh, GHCB_OFF_SW_EXIT_INFO_1, 0);
		ghcb_set(gh, GHCB_OFF_SW_EXIT_INFO_2, 0);
	}
	if (set_pending)
		__atomic_store_n(&caa->call_pending, 1, __ATOMIC_SEQ_CST);
	wrmsr(MSR_GHCB, ghcb_form ? cpu->ghcb_gpa : ghcb_msr_vmpl_req(0));
	svsm_vmgexit(&g);
	if (ghcb_form) {
		rc = ghcb_result(gh, &info2);
		ghcb_end();
	} else {
		resp = rdmsr(MSR_GHCB);
		wrmsr(MSR_GHCB, cpu->ghcb_gpa);
		/* Exactly 0x017 with error 0; [31:12] are reserved (facts §1). */
		rc = resp == GHCB_MSR_VMPL_RESP ? 0 : -EIO;
	}
	pending = __atomic_exchange_n(&caa->call_pending, 0, __ATOMIC_SEQ_CST);

	__atomic_fetch_add(&stat_calls, 1, __ATOMIC_RELAXED);
	if (!preserved(&before, &g) && !__atomic_fetch_add(&stat_clobbers, 1, __ATOMIC_RELAXED))
		note("vCPU %u: SVSM call 0x%lx changed a register it must preserve", cpu->index,
		     r->rax);
	r->rax = g.rax;
	r->rcx = g.rcx;
	r->rdx = g.rdx;
	r->r8 = g.r8;
	r->r9 = g.r9;
	if (pending_after)
		*pending_after = pending;
	return rc ? -EIO : 0;
}

int svsm_call_once(struct svsm_regs *r, bool set_pending, u8 *pending_after)
{
	return call_once(r, set_pending, false, pending_after);
}

int svsm_call_ghcb_form(struct svsm_regs *r)
{
	u8 pending;
	int rc = call_once(r, true, true, &pending);

	return rc ? rc : pending ? -EPROTO : 0;
}

int svsm_call(struct svsm_regs *r)
{
	const struct svsm_regs in = *r;
	u8 pending;
	int rc;

	for (int i = 0; i < SVSM_RETRIES; i++) {
		*r = in;
		rc = svsm_call_once(r, true, &pending);
		if (rc)
			return rc;
		if (pending)
			return -EPROTO;
		if ((u32)r->rax != SVSM_ERR_INCOMPLETE && (u32)r->rax != SVSM_ERR_BUSY)
			return 0;
	}
	return 0;
}

u32 svsm_request(u32 protocol, u32 call, struct svsm_regs *r)
{
	int rc;

	r->rax = SVSM_RAX(protocol, call);
	rc = svsm_call(r);
	if (rc == -EIO)
		note("SVSM call %u:%u: the VMPL switch response was not 0x017 with error 0",
		     protocol, call);
	else if (rc)
		note("SVSM call %u:%u: call_pending still 1, the SVSM did not process it", protocol,
		     call);
	return rc ? SVSM_NO_ANSWER : (u32)r->rax;
}

u32 svsm_create_vcpu(u64 vmsa, u64 caa, u32 apic_id)
{
	struct svsm_regs r = { 0 };

	r.rcx = vmsa;
	r.rdx = caa;
	r.r8 = apic_id;
	return svsm_core(SVSM_CORE_CREATE_VCPU, &r);
}

u32 svsm_delete_vcpu(u64 vmsa)
{
	struct svsm_regs r = { 0 };

	r.rcx = vmsa;
	return svsm_core(SVSM_CORE_DELETE_VCPU, &r);
}
