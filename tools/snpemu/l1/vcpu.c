/*
 * vCPUs. Each emulated vCPU runs on its own L1 CPU (APIC ID = vCPU index) and has one
 * context per VMPL. While a context does not run, its state lives in its VMSA page (guest
 * memory, or the L1 page of the launch VMPL0 BSP VMSA): that is the source of truth the
 * SVSM edits. The running context lives in this CPU's VMCB, GPR block and FPU.
 */
#include "l1.h"
#include "guestdev.h"

extern void svm_run(u64 vmcb, struct gprs *g, u64 tsc[2]);

struct vcpu vcpus[MAX_CPUS];
struct spinlock emu_lock;

static u8 iopm[3 * PAGE_SIZE] __aligned(4096);
static u8 msrpm[2 * PAGE_SIZE] __aligned(4096);
static u64 world_switch_cost;
static u64 hsave_area[MAX_CPUS][512] __aligned(4096);
static volatile int nr_idle;

/* MSRs the VMSA holds: the guest reads and writes them directly (no #VC). */
static const u32 passthrough_msrs[] = {
	0xc0000080, 0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084, 0xc0000100, 0xc0000101,
	0xc0000102, 0xc0000103, 0x174,	    0x175,	0x176,	    0x277,	0x1d9,
};

static void msrpm_clear(u32 msr)
{
	u32 base;

	if (msr < 0x2000)
		base = 0;
	else if (msr >= 0xc0000000 && msr < 0xc0002000)
		base = 0x800 * 8, msr -= 0xc0000000;
	else
		return;
	msrpm[(base + msr * 2) / 8] &= (u8) ~(3U << ((msr * 2) % 8));
}

static void intercepts_init(void)
{
	memset(iopm, 0xff, sizeof(iopm));
	memset(msrpm, 0xff, sizeof(msrpm));
	for (size_t i = 0; i < ARRAY_SIZE(passthrough_msrs); i++)
		msrpm_clear(passthrough_msrs[i]);
}

/* Intercept vectors (APM vol. 2 table B-1): word at 0x0c and word at 0x10. */
#define I3_INTR (1U << 0)
#define I3_NMI (1U << 1)
#define I3_CPUID (1U << 18)
#define I3_INVD (1U << 22)
#define I3_HLT (1U << 24)
#define I3_INVLPGA (1U << 26)
#define I3_IOIO (1U << 27)
#define I3_MSR (1U << 28)
#define I3_SHUTDOWN (1U << 31)
#define I4_VMRUN (1U << 0)
#define I4_VMMCALL (1U << 1)
#define I4_VMLOAD (1U << 2)
#define I4_VMSAVE (1U << 3)
#define I4_STGI (1U << 4)
#define I4_CLGI (1U << 5)
#define I4_SKINIT (1U << 6)
#define I4_WBINVD (1U << 9)
#define I4_MONITOR (1U << 10)
#define I4_MWAIT (1U << 11)

static void vmcb_control_init(u8 *vmcb)
{
	F32(vmcb, VMCB_EXC) = 1U << 6; /* #UD: PVALIDATE, RMPADJUST, INVLPGB, TLBSYNC */
	F32(vmcb, VMCB_ICPT3) = I3_INTR | I3_NMI | I3_CPUID | I3_INVD | I3_HLT | I3_INVLPGA |
				I3_IOIO | I3_MSR | I3_SHUTDOWN;
	F32(vmcb, VMCB_ICPT4) = I4_VMRUN | I4_VMMCALL | I4_VMLOAD | I4_VMSAVE | I4_STGI | I4_CLGI |
				I4_SKINIT | I4_WBINVD | I4_MONITOR | I4_MWAIT;
	F64(vmcb, VMCB_IOPM) = (u64)iopm;
	F64(vmcb, VMCB_MSRPM) = (u64)msrpm;
	F32(vmcb, VMCB_ASID) = 1;
	F32(vmcb, VMCB_INT_CTL) = 1U << 24; /* V_INTR_MASKING: host IF gates physical IRQs */
	F64(vmcb, VMCB_NP_ENABLE) = 1;
}

/*
 * The instructions svm_run executes itself between its two TSC reads: measured on a guest
 * whose first instruction (HLT) is intercepted, so it executes nothing.
 */
static void calibrate(void)
{
	u8 *vmcb = page_alloc(), *code = page_alloc(), *s = vmcb + VMCB_SAVE;
	struct gprs g = { 0 };
	u64 tsc[2], best = ~0ULL;

	code[0] = 0xf4;
	F32(vmcb, VMCB_ICPT3) = I3_HLT;
	F32(vmcb, VMCB_ICPT4) = I4_VMRUN;
	F64(vmcb, VMCB_IOPM) = (u64)iopm;
	F64(vmcb, VMCB_MSRPM) = (u64)msrpm;
	F32(vmcb, VMCB_ASID) = 1;
	F32(vmcb, VMCB_INT_CTL) = 1U << 24;
	for (int off = VMSA_ES; off <= VMSA_GS; off += 16) {
		F16(s, off + 2) = 0x93;
		F32(s, off + 4) = 0xffff;
	}
	F16(s, VMSA_CS + 2) = 0x9b;
	F64(s, VMSA_CS + 8) = (u64)code;
	F16(s, VMSA_TR + 2) = 0x8b;
	F64(s, VMSA_CR0) = 0x10;
	F64(s, VMSA_EFER) = EFER_SVME;
	F64(s, VMSA_RFLAGS) = 2;
	F64(s, VMSA_DR6) = 0xffff0ff0;
	F64(s, VMSA_DR7) = 0x400;
	for (int i = 0; i < 3; i++) {
		F64(s, VMSA_RIP) = 0;
		svm_run((u64)vmcb, &g, tsc);
		if (F64(vmcb, VMCB_EXITCODE) != 0x78)
			panic("calibration guest exited with 0x%lx", F64(vmcb, VMCB_EXITCODE));
		if (tsc[1] - tsc[0] < best)
			best = tsc[1] - tsc[0];
	}
	world_switch_cost = best;
}

/* ---- VMSA <-> running state (facts §6 layout = VMCB save area at 0x400) ---- */
static const struct {
	u16 off, len;
} save_fields[] = {
	{ VMSA_ES, 0xa0 },  { VMSA_CPL, 1 },  { VMSA_EFER, 8 },	  { VMSA_XSS, 8 },
	{ VMSA_CR4, 0x38 }, { VMSA_RSP, 8 },  { VMSA_RAX, 8 },	  { VMSA_STAR, 0x40 },
	{ VMSA_CR2, 8 },    { VMSA_GPAT, 8 }, { VMSA_DBGCTL, 8 },
};

static const u16 gpr_offsets[14] = {
	/* rbx, rcx, rdx, rsi, rdi, rbp, r8..r15 as in struct gprs */
	0x318, 0x308, 0x310, 0x330, 0x338, 0x328, 0x340,
	0x348, 0x350, 0x358, 0x360, 0x368, 0x370, 0x378,
};

static u8 *ctx_vmsa(struct vctx *c)
{
	if (c->internal)
		return c->vmsa;
	rmp_settle(c->vmsa_gpa);
	return gpa_hva(c->vmsa_gpa);
}

void vmsa_export(struct vcpu *v)
{
	struct vctx *c = &v->ctx[v->cur];
	u8 *s = ctx_vmsa(c), *vs = v->vmcb + VMCB_SAVE;
	u64 *g = (u64 *)&v->g;
	u8 abr;

	for (size_t i = 0; i < ARRAY_SIZE(save_fields); i++)
		memcpy(s + save_fields[i].off, vs + save_fields[i].off, save_fields[i].len);
	for (int i = 0; i < 14; i++)
		F64(s, gpr_offsets[i]) = g[i];
	__asm__ volatile("fxsave64 %0" : "=m"(v->fx));
	F16(s, VMSA_X87_FCW) = *(u16 *)&v->fx[0];
	F16(s, VMSA_X87_FSW) = *(u16 *)&v->fx[2];
	abr = v->fx[4];
	{
		u16 ftw = 0;

		for (int i = 0; i < 8; i++)
			ftw |= (u16)((abr & (1 << i)) ? 0 : 3) << (2 * i);
		F16(s, VMSA_X87_FTW) = ftw;
	}
	F32(s, VMSA_MXCSR) = *(u32 *)&v->fx[24];
	for (int i = 0; i < 8; i++)
		memcpy(s + VMSA_X87_REGS + 10 * i, &v->fx[32 + 16 * i], 10);
	memcpy(s + VMSA_XMM, &v->fx[160], 256);
}

static void fx_load_from(struct vcpu *v, u8 *s)
{
	u16 ftw = F16(s, VMSA_X87_FTW);
	u8 abr = 0;

	memset(v->fx, 0, sizeof(v->fx));
	*(u16 *)&v->fx[0] = F16(s, VMSA_X87_FCW);
	*(u16 *)&v->fx[2] = F16(s, VMSA_X87_FSW);
	for (int i = 0; i < 8; i++)
		if (((ftw >> (2 * i)) & 3) != 3)
			abr |= (u8)(1 << i);
	v->fx[4] = abr;
	*(u32 *)&v->fx[24] = F32(s, VMSA_MXCSR) & 0xffff;
	for (int i = 0; i < 8; i++)
		memcpy(&v->fx[32 + 16 * i], s + VMSA_X87_REGS + 10 * i, 10);
	memcpy(&v->fx[160], s + VMSA_XMM, 256);
	v->fx_load = true; /* loaded into the FPU by the vCPU's own L1 CPU before VMRUN */
}

/* Check that @c's VMSA may run at @vmpl, as VMRUN of an SNP guest checks it. */
static int vmsa_check(struct vctx *c, int vmpl, char *why, size_t n)
{
	u8 *s = ctx_vmsa(c);
	u64 feat;

	if (!c->present) {
		fmt_snprintf(why, n, "no VMSA registered for VMPL%d", vmpl);
		return -1;
	}
	if (!c->internal) {
		u32 *e = rmp_entry(c->vmsa_gpa);

		if (!e || (*e & (RMP_ASSIGNED | RMP_VALIDATED | RMP_VMSA)) !=
				  (RMP_ASSIGNED | RMP_VALIDATED | RMP_VMSA)) {
			fmt_snprintf(why, n,
				     "VMSA page 0x%lx is not assigned+validated with the RMP VMSA "
				     "bit",
				     c->vmsa_gpa);
			return -1;
		}
	}
	if (F8(s, VMSA_VMPL) != vmpl) {
		fmt_snprintf(why, n, "VMSA vmpl field is %u, not %d", F8(s, VMSA_VMPL), vmpl);
		return -1;
	}
	if (!(F64(s, VMSA_EFER) & EFER_SVME)) {
		fmt_snprintf(why, n, "VMSA EFER.SVME is clear (not runnable)");
		return -1;
	}
	feat = F64(s, VMSA_SEV_FEATURES);
	/* SNPActive, and nothing beyond what snpemu models or the VM was launched with */
	if (!(feat & SEVF_SNP) || (feat & ~(SEVF_SUPPORTED | (launch.sev_status >> 2)))) {
		fmt_snprintf(why, n,
			     "VMSA sev_features 0x%lx unsupported (SNPActive required; allowed "
			     "0x%llx)",
			     feat, SEVF_SUPPORTED | (launch.sev_status >> 2));
		return -1;
	}
	return 0;
}

int vmsa_import(struct vcpu *v, int vmpl, char *why, size_t n)
{
	struct vctx *c = &v->ctx[vmpl];
	u8 *s, *vs = v->vmcb + VMCB_SAVE;
	u64 *g = (u64 *)&v->g;

	if (vmsa_check(c, vmpl, why, n))
		return -1;
	s = ctx_vmsa(c);
	for (size_t i = 0; i < ARRAY_SIZE(save_fields); i++)
		memcpy(vs + save_fields[i].off, s + save_fields[i].off, save_fields[i].len);
	for (int i = 0; i < 14; i++)
		g[i] = F64(s, gpr_offsets[i]);
	fx_load_from(v, s);
	F64(v->vmcb, VMCB_EVENTINJ) = 0;
	v->cur = vmpl;
	c->parked = false;
	return 0;
}

/* ---- scheduling ---- */
/* Make every other vCPU that may be in guest mode exit (its next VMRUN flushes QEMU's TLB).
 * An idle vCPU (cur < 0, checked under emu_lock like this) runs nothing until it is woken. */
void kick_all_others(struct vcpu *self)
{
	for (int i = 0; i < cfg.smp; i++)
		if (&vcpus[i] != self && vcpus[i].vmcb && vcpus[i].cur >= 0)
			lapic_send_ipi((u32)i, IPI_VECTOR);
}

static void go_idle(struct vcpu *v)
{
	v->cur = -1;
	if (__atomic_add_fetch(&nr_idle, 1, __ATOMIC_ACQ_REL) == cfg.smp && !vlapic_all_idle()) {
		con_printf("snpemu: every vCPU is halted and nothing can wake one: the guest never "
			   "reported a result\n");
		machine_exit(EXIT_TIMEOUT);
	}
}

static void wake(struct vcpu *t)
{
	__atomic_sub_fetch(&nr_idle, 1, __ATOMIC_ACQ_REL);
	if (t != &vcpus[this_cpu()])
		lapic_send_ipi((u32)t->id, IPI_VECTOR);
}

void vcpu_park(struct vcpu *v)
{
	vmsa_export(v);
	v->ctx[v->cur].parked = true;
	go_idle(v);
}

void vcpu_unpark(struct vcpu *v, int vmpl)
{
	char why[160];

	if (vmsa_import(v, vmpl, why, sizeof(why)))
		panic("VMPL%d of vCPU %d cannot resume: %s", vmpl, v->id, why);
	wake(v);
}

/*
 * Switch @v from its running VMPL to @target; the requester resumes later with @resp. @by_host:
 * the host's own doing (an AP creation that replaced the running VMSA, host.c), not a
 * run-VMPL request, so the requester's VMPL does not matter.
 */
static int vmpl_switch(struct vcpu *v, int target, enum resp_kind resp, u64 ghcb, char *why,
		       size_t n, bool by_host)
{
	struct vctx *from = &v->ctx[v->cur], *to;
	int cur = v->cur;

	if (target < 0 || target >= NR_VMPLS || target == cur) {
		fmt_snprintf(why, n, "target VMPL %d invalid from VMPL%d", target, cur);
		return -1;
	}
	if (target > cur && cur != 0 && !by_host) {
		fmt_snprintf(why, n, "only VMPL0 may run a lower VMPL");
		return -1;
	}
	to = &v->ctx[target];
	if (vmsa_check(to, target, why, n))
		return -1;
	if (cfg.fault[FAULT_VMPL_RUN_FAIL] && target > cur) {
		con_printf("snpemu: fault vmpl-run-fail: refusing to run VMPL%d\n", target);
		fmt_snprintf(why, n, "fault vmpl-run-fail");
		return -1;
	}
	/* the requester resumes, later, with the run-VMPL response */
	from->resp = resp;
	from->resp_ghcb = ghcb;
	vmsa_export(v);
	{
		u8 *s = ctx_vmsa(from);

		F64(s, VMSA_EXITCODE) = 0x403; /* VMGEXIT */
		F64(s, VMSA_EXITINFO1) = 0;
		F64(s, VMSA_EXITINFO2) = 0;
	}
	if (target == 0 && cur > 0)
		stats_call_begin(v, F64(v->vmcb + VMCB_SAVE, VMSA_RAX));
	if (vmsa_import(v, target, why, n))
		panic("VMSA of VMPL%d changed under a switch: %s", target, why);
	if (target > cur)
		evict_window_end(v);
	if (target > 0)
		stats_call_end(v);
	st.vmpl_switches++;
	ghcb_resume_response(v, to);
	return 0;
}

/* The GHCB run-VMPL request (MSR 0x016 or NAE 0x80000018) of the running context. */
int vcpu_run_vmpl(struct vcpu *v, int target, enum resp_kind resp, u64 ghcb, char *why, size_t n)
{
	return vmpl_switch(v, target, resp, ghcb, why, n, false);
}

/*
 * svsm-preview (host.c): an AP creation for the caller's own vCPU (at another VMPL) replaced
 * the VMSA the vCPU runs, so its next VMRUN runs the new one. The caller resumes, with the AP
 * creation's answer already in its GHCB, when that VMPL asks for the caller's.
 */
void vcpu_ap_create_switch(struct vcpu *v)
{
	char why[160];
	int target = v->ap_switch;

	v->ap_switch = -1;
	if (target < 0 || v->cur < 0 || target == v->cur)
		return;
	con_printf("snpemu: host %s: vCPU %d runs its new VMPL%d VMSA at once (AP creation for "
		   "its own vCPU)\n",
		   host->name, v->id, target);
	if (vmpl_switch(v, target, RESP_NONE, 0, why, sizeof(why), true))
		panic("AP creation switch to VMPL%d failed after its checks: %s", target, why);
}

/*
 * AP creation (NAE 0x80000013; facts §3): exit_info_1 [15:0] request, [19:16] VMPL,
 * [63:32] APIC ID; exit_info_2 the VMSA GPA; RAX the VMSA's sev_features.
 */
int vcpu_ap_create(struct vcpu *caller, u64 info1, u64 gpa, u64 features, char *why, size_t n)
{
	unsigned int req = info1 & 0xffff, vmpl = (info1 >> 16) & 0xf;
	u32 apic = (u32)(info1 >> 32);
	struct vcpu *t;
	struct vctx *c, nc;
	u8 *s;

	if ((info1 >> 20) & 0xfff) {
		fmt_snprintf(why, n, "reserved bits set in exit_info_1 0x%lx", info1);
		return -1;
	}
	if (apic >= (u32)cfg.smp) {
		fmt_snprintf(why, n, "APIC ID %u does not exist", apic);
		return -1;
	}
	if (vmpl >= NR_VMPLS || (int)vmpl < caller->cur) {
		fmt_snprintf(why, n, "VMPL%u below the caller's VMPL%d", vmpl, caller->cur);
		return -1;
	}
	t = &vcpus[apic];
	c = &t->ctx[vmpl];
	if (req == 2) { /* destroy */
		if (t->cur == (int)vmpl) {
			fmt_snprintf(why, n, "cannot destroy the running VMSA");
			return -1;
		}
		c->present = false;
		return 0;
	}
	if (req > 2) {
		fmt_snprintf(why, n, "unknown request %u", req);
		return -1;
	}
	if (cfg.fault[FAULT_AP_CREATE_FAIL]) {
		fmt_snprintf(why, n, "fault ap-create-fail");
		return -1;
	}
	/*
	 * KVM refuses RAX other than the VM's features (facts §3). With several VMPLs snpemu
	 * holds each VMPL to its own launch features (launch.c, README "AP creation").
	 */
	if (features != launch.vmpl_features[vmpl]) {
		fmt_snprintf(why, n, "RAX sev_features 0x%lx are not VMPL%u's (0x%lx)", features,
			     vmpl, launch.vmpl_features[vmpl]);
		return -1;
	}
	if (!IS_ALIGNED(gpa, PAGE_SIZE) || IS_ALIGNED(gpa, PAGE_2M_SIZE)) {
		fmt_snprintf(why, n,
			     "VMSA GPA 0x%lx not page aligned or 2 MiB aligned (erratum 1467)",
			     gpa);
		return -1;
	}
	nc = (struct vctx){ .present = true, .vmsa_gpa = gpa, .ghcb_reg = ~0ULL };
	if (vmsa_check(&nc, (int)vmpl, why, n))
		return -1;
	s = gpa_hva(gpa);
	if (F64(s, VMSA_SEV_FEATURES) != features) {
		fmt_snprintf(why, n, "RAX sev_features 0x%lx differ from the VMSA's 0x%lx",
			     features, F64(s, VMSA_SEV_FEATURES));
		return -1;
	}
	if (t->cur == (int)vmpl) {
		fmt_snprintf(why, n, "VMPL%u of vCPU %u is running", vmpl, apic);
		return -1;
	}
	/* KVM keeps the GHCB MSR and its registration per vCPU across AP creations: edk2's
	 * APs, re-created with the same GHCB, restore the MSR they find and use it */
	if (!c->internal) {
		nc.ghcb_reg = c->ghcb_reg;
		nc.ghcb_msr = c->ghcb_msr;
	}
	*c = nc;
	if (req == 1 && t == caller && host->ap_create_switch)
		caller->ap_switch = (int)vmpl; /* after the NAE's answer: vcpu_ap_create_switch */
	if (req == 1 && t->cur < 0 && t != caller) {
		/* idle target: it starts there */
		if (vmsa_import(t, (int)vmpl, why, n))
			panic("AP VMSA import failed after checks: %s", why);
		wake(t);
	}
	return 0;
}

int vcpu_current_vmpl(void)
{
	return vcpus[this_cpu()].cur;
}

/*
 * SEV_STATUS reflects the running context (its VMSA's sev_features in bits 2 and up, facts
 * §5), not the launch value: the BIOS VMSA's VMPL1 (features 0x1) reads 0x7. Bits 0-1 (SEV,
 * SEV-ES) as at launch, so that --fault sev-status=VALUE reads VALUE in the launch context.
 */
u64 vcpu_sev_status(struct vcpu *v)
{
	return (F64(ctx_vmsa(&v->ctx[v->cur]), VMSA_SEV_FEATURES) << 2) |
	       (launch.sev_status & (SEV_STATUS_SEV | SEV_STATUS_ES));
}

static int wanted_root(struct vcpu *v)
{
	u8 *s = v->vmcb + VMCB_SAVE;

	return ((F64(s, VMSA_CR0) & CR0_PG) && (F64(s, VMSA_CR4) & CR4_PAE)) ? ROOT_NORMAL
									     : ROOT_PRIVATE_ONLY;
}

/* On the BSP, before the other L1 CPUs start: every vCPU's VMCB, the BSP in VMPL0. */
void vcpus_init(void)
{
	char why[160];

	intercepts_init();
	for (int i = 0; i < cfg.smp; i++) {
		struct vcpu *v = &vcpus[i];

		v->id = i;
		v->vmcb = page_alloc();
		vmcb_control_init(v->vmcb);
		for (int l = 0; l < NR_VMPLS; l++)
			if (!v->ctx[l].present)
				v->ctx[l].ghcb_reg = ~0ULL;
		v->cur = -1;
		v->ap_switch = -1;
	}
	nr_idle = cfg.smp - 1;
	sched_init();
	if (vmsa_import(&vcpus[0], launch.vmpl, why, sizeof(why)))
		panic("launch VMSA unusable: %s", why);
}

__noreturn void vcpu_loop(int cpu)
{
	struct vcpu *v = &vcpus[cpu];

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(0xc0010117, (u64)hsave_area[cpu]); /* VM_HSAVE_PA */
	if (cpu == 0)
		calibrate();

	for (;;) {
		u64 w;
		int vmpl;
		bool expired;

		spin_lock(&emu_lock);
		while (v->cur < 0 || !sched_may_run(v)) {
			if (v->cur < 0 && vlapic_wake(v))
				continue; /* an interrupt resumed its halted guest VMPL */
			spin_unlock(&emu_lock);
			idle_wait();
			spin_lock(&emu_lock);
		}
		vmpl = v->cur;
		if (vmpl > launch.vmpl && !st.vmpl1_started)
			stats_vmpl1_first();
		v->root = wanted_root(v);
		F64(v->vmcb, VMCB_NCR3) = npt_root(vmpl, v->root);
		if (v->fx_load) {
			__asm__ volatile("fxrstor64 %0" ::"m"(v->fx));
			v->fx_load = false;
		}
		vlapic_enter(v);
		spin_unlock(&emu_lock);

		sched_arm(v);
		svm_run((u64)v->vmcb, &v->g, v->tsc);
		expired = sched_disarm(v);

		w = v->tsc[1] - v->tsc[0];
		w = w > world_switch_cost ? w - world_switch_cost : 0;
		spin_lock(&emu_lock);
		st.insns[vmpl] += w;
		v->insns[vmpl] += w;
		if (v->in_call && vmpl == 0)
			v->call_insns += w;
		handle_exit(v);
		sched_exit(v, w, expired);
		spin_unlock(&emu_lock);
	}
}
