/*
 * A local APIC for the guest's VMPLs (xAPIC registers through the MMIO NAE at 0xfee00000, AMD
 * APM vol 2 chapter 16 "Advanced Programmable Interrupt Controller"), what a KVM host gives a
 * firmware such as OVMF, whose LocalApicTimerDxe drives its timer tick with it.
 *
 * - Registers: ID, version, TPR, PPR, EOI, LDR, DFR, SVR, ISR/TMR/IRR, ESR, ICR, the six LVTs,
 *   timer initial/current count and divide configuration.
 * - Timer: one-shot, periodic and TSC-deadline (MSR 0x6e0, through guestmsr.c; CPUID 1
 *   ECX[24], with ARAT in CPUID 6: the timer runs in every C-state), on the guest clock: the
 *   L1's TSC, which -icount shift=0 makes one tick per nanosecond, the APIC bus rate
 *   (divide-by-1 count = 1 tick). It is QEMU's virtual clock, as are its HPET and ACPI PM timer
 *   that passthru.c and the MMIO NAE forward: the guest's clocks agree (a guest kernel's
 *   clocksource watchdog compares them), and the guest's RDTSC needs no TSC offset.
 * - IPIs: fixed and lowest-priority (delivered as fixed), physical or flat logical
 *   destinations and the three shorthands. INIT and SIPI are ignored: a firmware at VMPL1
 *   starts its APs through the SVSM (CREATE_VCPU) and the AP creation NAE, never by SIPI.
 * - Delivery: the highest pending vector above the PPR, by event injection (EVENTINJ) when
 *   the guest can take it: RFLAGS.IF set, no interrupt shadow, no event already being
 *   injected, and never into a VMSA with Restricted Injection (it stays pending there, as
 *   the host cannot inject: APM vol 2, SEV-SNP "Restricted Injection"). A virtual
 *   interrupt (V_IRQ) at VMRUN was seen to abort QEMU 7.2's TCG (an iothread-lock assertion
 *   in tcg_handle_interrupt), so no interrupt window is requested: while an interrupt is
 *   pending and not yet deliverable, or the timer is armed, the L1's own APIC timer forces
 *   a #VMEXIT then.
 * - HLT with IF set and a deliverable interrupt resumes at once. Otherwise the vCPU parks
 *   until an interrupt wakes it: an IPI from another vCPU, or its timer, for which its L1 CPU
 *   sleeps on its own APIC timer. When every L1 CPU sleeps, QEMU's -icount sleep=off moves the
 *   virtual clock to the next deadline at once, so a guest waiting for its tick costs no
 *   instructions and no wall time. Same inputs, same counts.
 *
 * The image's VMPL (the SVSM) keeps the old view (ID and version only): csvsm uses no APIC.
 */
#include "guestdev.h"

#define L1_LAPIC(off) (*(volatile u32 *)(0xfee00000UL + (off)))

#define APIC_ID 0x20
#define APIC_VERSION 0x30
#define APIC_TPR 0x80
#define APIC_APR 0x90
#define APIC_PPR 0xa0
#define APIC_EOI 0xb0
#define APIC_LDR 0xd0
#define APIC_DFR 0xe0
#define APIC_SVR 0xf0
#define APIC_ISR 0x100
#define APIC_TMR 0x180
#define APIC_IRR 0x200
#define APIC_ESR 0x280
#define APIC_ICR_LO 0x300
#define APIC_ICR_HI 0x310
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_ERROR 0x370
#define APIC_TIMER_INIT 0x380
#define APIC_TIMER_CUR 0x390
#define APIC_TIMER_DIV 0x3e0

#define VERSION 0x50014 /* version 0x14, six LVT entries (max LVT 5) */
#define SVR_ENABLE (1U << 8)
#define LVT_MASKED (1U << 16)
#define LVT_MODE(lvt) (((lvt) >> 17) & 3) /* timer: one-shot, periodic, TSC-deadline */
#define MODE_PERIODIC 1
#define MODE_DEADLINE 2
#define NR_LVT 6

#define RFLAGS_IF (1ULL << 9)
#define EVENTINJ_VALID (1ULL << 31)

/* A pending interrupt the guest cannot take yet is retried after this many ticks. */
#define RETRY_TICKS 20000

struct vlapic {
	u32 tpr, ldr, dfr, svr, esr, icr_lo, icr_hi, init, dcr;
	u32 lvt[NR_LVT]; /* timer, thermal, performance, LINT0, LINT1, error */
	u32 irr[8], isr[8];
	bool armed;
	u64 deadline, period; /* guest clock */
	bool halted;	      /* parked in HLT with IF set: an interrupt resumes it */
	int halted_vmpl;
};

static struct vlapic vl[MAX_CPUS];
static bool vl_reset_done[MAX_CPUS];
static bool l1_timer_on[MAX_CPUS];
static u64 nr_injected, ticks_skipped; /* --stats "guest_apic" */
static u64 all_idle_since;	       /* every vCPU idle, a halted one waiting for its timer */
static bool all_idle;

static u64 now(void)
{
	return rdtsc();
}

static struct vlapic *get(struct vcpu *v)
{
	struct vlapic *a = &vl[v->id];

	if (!vl_reset_done[v->id]) { /* the reset state (APM vol 2 16.3) */
		memset(a, 0, sizeof(*a));
		a->dfr = 0xffffffff;
		a->svr = 0xff;
		for (int i = 0; i < NR_LVT; i++)
			a->lvt[i] = LVT_MASKED;
		vl_reset_done[v->id] = true;
	}
	return a;
}

static bool guest_vmpl(struct vcpu *v)
{
	return v->cur >= 0 && v->cur != launch.vmpl;
}

static int highest(const u32 *bits)
{
	for (int w = 7; w >= 0; w--)
		if (bits[w])
			return w * 32 + 31 - __builtin_clz(bits[w]);
	return -1;
}

static u32 ppr(const struct vlapic *a)
{
	int isrv = highest(a->isr);
	u32 isr_class = isrv < 0 ? 0 : (u32)isrv & 0xf0;

	return (a->tpr & 0xf0) >= isr_class ? a->tpr : isr_class;
}

static u64 divisor(u32 dcr)
{
	u32 d = (dcr & 3) | ((dcr & 8) >> 1);

	return d == 7 ? 1 : 2ULL << d;
}

static void set_irr(struct vlapic *a, u8 vec)
{
	if (vec < 16) {
		a->esr |= 1U << 6; /* received illegal vector */
		return;
	}
	a->irr[vec / 32] |= 1U << (vec % 32);
}

/* The timer fired by @t: its vector pending, a periodic timer re-armed. */
static void expire(struct vlapic *a, u64 t)
{
	if (!a->armed || t < a->deadline)
		return;
	if (!(a->lvt[0] & LVT_MASKED))
		set_irr(a, (u8)a->lvt[0]);
	if (LVT_MODE(a->lvt[0]) == MODE_PERIODIC) {
		a->deadline += a->period;
		if (a->deadline <= t) /* missed periods collapse into one interrupt */
			a->deadline = t + a->period;
	} else {
		a->armed = false;
	}
}

static void arm(struct vlapic *a)
{
	if (LVT_MODE(a->lvt[0]) == MODE_DEADLINE)
		return; /* the initial count is ignored in TSC-deadline mode */
	a->armed = a->init != 0;
	if (a->armed) {
		a->period = (u64)a->init * divisor(a->dcr);
		a->deadline = now() + a->period;
	}
}

static void kick(struct vcpu *from, struct vcpu *t)
{
	/* a running target leaves VMRUN for vlapic_enter, a halted one wakes in vlapic_wake */
	if (t != from && t->vmcb)
		lapic_send_ipi((u32)t->id, IPI_VECTOR);
}

static bool logical_match(const struct vlapic *a, u8 dest)
{
	if ((a->dfr >> 28) == 0xf) /* flat model */
		return (a->ldr >> 24) & dest;
	return ((a->ldr >> 28) == (u32)(dest >> 4)) && ((a->ldr >> 24) & dest & 0xf); /* cluster */
}

static void send_ipi(struct vcpu *v, u32 lo, u32 hi)
{
	u32 mode = (lo >> 8) & 7, shorthand = (lo >> 18) & 3;
	u8 vec = (u8)lo, dest = (u8)(hi >> 24);
	bool logical = lo & (1U << 11);

	if (mode != 0 && mode != 1) /* SMI, NMI, INIT, SIPI, ExtINT: not modelled (above) */
		return;
	for (int i = 0; i < cfg.smp; i++) {
		struct vcpu *t = &vcpus[i];
		bool hit;

		switch (shorthand) {
		case 1:
			hit = t == v;
			break;
		case 2:
			hit = true;
			break;
		case 3:
			hit = t != v;
			break;
		default:
			hit = logical ? logical_match(get(t), dest) : dest == 0xff || dest == t->id;
		}
		if (hit) {
			set_irr(get(t), vec);
			kick(v, t);
		}
	}
}

static u32 reg_read(struct vcpu *v, struct vlapic *a, u32 reg)
{
	if (reg >= APIC_ISR && reg < APIC_ISR + 0x80)
		return a->isr[(reg - APIC_ISR) / 16];
	if (reg >= APIC_TMR && reg < APIC_TMR + 0x80)
		return 0; /* edge-triggered only */
	if (reg >= APIC_IRR && reg < APIC_IRR + 0x80)
		return a->irr[(reg - APIC_IRR) / 16];
	if (reg >= APIC_LVT_TIMER && reg <= APIC_LVT_ERROR)
		return a->lvt[(reg - APIC_LVT_TIMER) / 16];
	switch (reg) {
	case APIC_ID:
		return (u32)v->id << 24;
	case APIC_VERSION:
		return VERSION;
	case APIC_TPR:
		return a->tpr;
	case APIC_APR:
		return 0;
	case APIC_PPR:
		return ppr(a);
	case APIC_LDR:
		return a->ldr;
	case APIC_DFR:
		return a->dfr;
	case APIC_SVR:
		return a->svr;
	case APIC_ESR:
		return a->esr;
	case APIC_ICR_LO:
		return a->icr_lo & ~(1U << 12); /* delivery is immediate: never "send pending" */
	case APIC_ICR_HI:
		return a->icr_hi;
	case APIC_TIMER_INIT:
		return a->init;
	case APIC_TIMER_CUR: {
		u64 t = now();

		if (LVT_MODE(a->lvt[0]) == MODE_DEADLINE)
			return 0;
		expire(a, t);
		return a->armed && a->deadline > t ? (u32)((a->deadline - t) / divisor(a->dcr)) : 0;
	}
	case APIC_TIMER_DIV:
		return a->dcr;
	}
	return 0;
}

static void reg_write(struct vcpu *v, struct vlapic *a, u32 reg, u32 val)
{
	static const u32 lvt_bits[NR_LVT] = { 0x700ff, 0x107ff, 0x107ff, 0x1a7ff, 0x1a7ff, 0x100ff };

	if (reg >= APIC_LVT_TIMER && reg <= APIC_LVT_ERROR) {
		u32 i = (reg - APIC_LVT_TIMER) / 16;

		/* a change of the timer mode disarms the timer (Intel SDM vol 3 10.5.4.1) */
		if (i == 0 && LVT_MODE(val) != LVT_MODE(a->lvt[0])) {
			a->armed = false;
			a->init = 0;
		}
		a->lvt[i] = val & lvt_bits[i];
		if (!(a->svr & SVR_ENABLE))
			a->lvt[i] |= LVT_MASKED;
		return;
	}
	switch (reg) {
	case APIC_TPR:
		a->tpr = val & 0xff;
		break;
	case APIC_EOI: {
		int vec = highest(a->isr);

		if (vec >= 0)
			a->isr[vec / 32] &= ~(1U << (vec % 32));
		break;
	}
	case APIC_LDR:
		a->ldr = val & 0xff000000;
		break;
	case APIC_DFR:
		a->dfr = val | 0x0fffffff;
		break;
	case APIC_SVR:
		a->svr = val & 0x3ff;
		if (!(val & SVR_ENABLE)) /* software disable masks every LVT */
			for (int i = 0; i < NR_LVT; i++)
				a->lvt[i] |= LVT_MASKED;
		break;
	case APIC_ESR:
		a->esr = 0;
		break;
	case APIC_ICR_HI:
		a->icr_hi = val & 0xff000000;
		break;
	case APIC_ICR_LO:
		a->icr_lo = val;
		send_ipi(v, val, a->icr_hi);
		break;
	case APIC_TIMER_INIT:
		a->init = val;
		arm(a);
		break;
	case APIC_TIMER_DIV:
		a->dcr = val & 0xb;
		break;
	}
}

bool vlapic_mmio(struct vcpu *v, u64 gpa, bool write, u64 *val, unsigned int len)
{
	struct vlapic *a;
	u32 reg = (u32)(gpa & 0xfff);

	if (!guest_vmpl(v))
		return false;
	a = get(v);
	/* registers are 32-bit at 16-byte strides; other accesses read 0 and write nothing */
	if (len != 4 || (reg & 0xf)) {
		if (!write)
			*val = 0;
		return true;
	}
	if (write)
		reg_write(v, a, reg, (u32)*val);
	else
		*val = reg_read(v, a, reg);
	return true;
}

/* The vector to deliver now, or -1: the highest pending above the PPR, APIC enabled. */
static int deliverable(struct vlapic *a)
{
	int vec = highest(a->irr);

	if (vec < 0 || !(a->svr & SVR_ENABLE) || ((u32)vec & 0xf0) <= (ppr(a) & 0xf0))
		return -1;
	return vec;
}

static bool can_inject(struct vcpu *v)
{
	return (F64(v->vmcb + VMCB_SAVE, VMSA_RFLAGS) & RFLAGS_IF) &&
	       !(F64(v->vmcb, VMCB_INT_STATE) & 1) &&
	       !(F64(v->vmcb, VMCB_EVENTINJ) & EVENTINJ_VALID) &&
	       !(vcpu_sev_status(v) & SEV_STATUS_RESTRICTED_INJ);
}

static void l1_timer(int cpu, u64 ticks)
{
	if (!ticks) {
		if (l1_timer_on[cpu])
			L1_LAPIC(APIC_TIMER_INIT) = 0;
		l1_timer_on[cpu] = false;
		return;
	}
	L1_LAPIC(APIC_TIMER_DIV) = 0xb; /* divide by 1 */
	L1_LAPIC(APIC_LVT_TIMER) = IPI_VECTOR;
	L1_LAPIC(APIC_TIMER_INIT) = ticks > 0xffffffffULL ? 0xffffffffU : (u32)ticks;
	l1_timer_on[cpu] = true;
}

void vlapic_enter(struct vcpu *v)
{
	struct vlapic *a;
	u64 t, wake = 0;
	int vec;

	if (!guest_vmpl(v)) {
		l1_timer(v->id, 0);
		return;
	}
	a = get(v);
	a->halted = false;
	t = now();
	expire(a, t);
	vec = deliverable(a);
	if (vec >= 0) {
		if (can_inject(v)) {
			/* accepted: IRR -> ISR; a delivery cut short by a #VMEXIT is redone from
			 * EXITINTINFO by handle_exit */
			a->irr[vec / 32] &= ~(1U << (vec % 32));
			a->isr[vec / 32] |= 1U << (vec % 32);
			F64(v->vmcb, VMCB_EVENTINJ) = (u64)vec | EVENTINJ_VALID; /* type 0: INTR */
			nr_injected++;
		} else if (!(vcpu_sev_status(v) & SEV_STATUS_RESTRICTED_INJ)) {
			wake = RETRY_TICKS;
		}
	}
	if (a->armed && (!wake || a->deadline - t < wake))
		wake = a->deadline > t ? a->deadline - t : 1;
	l1_timer(v->id, wake);
}

bool vlapic_hlt(struct vcpu *v)
{
	struct vlapic *a;

	if (!guest_vmpl(v) || !(F64(v->vmcb + VMCB_SAVE, VMSA_RFLAGS) & RFLAGS_IF) ||
	    (vcpu_sev_status(v) & SEV_STATUS_RESTRICTED_INJ))
		return false;
	a = get(v);
	expire(a, now());
	if (deliverable(a) >= 0)
		return true;
	a->halted = true; /* parks; vlapic_wake or vlapic_all_idle resumes it */
	a->halted_vmpl = v->cur;
	return false;
}

/* Does halted @a's timer fire at some point? */
static bool timer_pending(const struct vlapic *a)
{
	return a->armed && !(a->lvt[0] & LVT_MASKED);
}

bool vlapic_wake(struct vcpu *v)
{
	struct vlapic *a = get(v);
	u64 t;

	if (!a->halted || !v->ctx[a->halted_vmpl].parked) {
		a->halted = false;
		l1_timer(v->id, 0);
		return false;
	}
	t = now();
	expire(a, t);
	if (deliverable(a) < 0) {
		/* sleep on the L1's own timer until the deadline (or an IPI) */
		l1_timer(v->id, timer_pending(a) ? (a->deadline > t ? a->deadline - t : 1) : 0);
		return false;
	}
	if (all_idle) { /* the time QEMU's sleep=off jumped over */
		ticks_skipped += t - all_idle_since;
		all_idle = false;
	}
	a->halted = false;
	vcpu_unpark(v, a->halted_vmpl);
	return true;
}

bool vlapic_all_idle(void)
{
	for (int i = 0; i < cfg.smp; i++) {
		struct vlapic *a = &vl[i];

		if (vl_reset_done[i] && a->halted && vcpus[i].ctx[a->halted_vmpl].parked &&
		    timer_pending(a)) {
			all_idle = true;
			all_idle_since = now();
			return true;
		}
	}
	return false;
}

bool vlapic_tsc_deadline(struct vcpu *v, bool write, u64 *val)
{
	struct vlapic *a = get(v);

	if (LVT_MODE(a->lvt[0]) != MODE_DEADLINE) {
		/* outside TSC-deadline mode writes are ignored and reads are 0 (SDM 10.5.4.1) */
		if (!write)
			*val = 0;
		return true;
	}
	if (!write) {
		expire(a, now());
		*val = a->armed ? a->deadline : 0;
		return true;
	}
	a->armed = *val != 0;
	a->deadline = *val;
	return true;
}

void vlapic_stats(void)
{
	stats_printf(", \"guest_apic\": {\"injected\": %lu, \"hlt_skipped_ticks\": %lu}",
		     nr_injected, ticks_skipped);
}
