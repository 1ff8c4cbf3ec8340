/*
 * The seeded vCPU schedule (--sched SEED, --preempt N; README "vCPU scheduling").
 *
 * Without it every L1 CPU runs its vCPU whenever QEMU's TCG round robin gives it a turn,
 * which under -icount means slices of millions of instructions: a whole SVSM call of one
 * vCPU runs before another vCPU executes anything, and races between calls never show.
 *
 * With it exactly one L1 CPU may run its vCPU at a time: the holder of the token. The others
 * wait in HLT, so QEMU executes nothing of theirs and the interleaving is the schedule's
 * alone. The holder runs for a slice of guest instructions drawn from the seed (1..N, at
 * least SLICE_MIN), measured by the local APIC timer in one-shot mode: under -icount
 * shift=0 it counts one per instruction, so a slice can end between any two instructions of
 * any VMPL, the SVSM's included, with a #VMEXIT(INTR). Every #VMEXIT is a preemption point:
 * once the slice is used up (or the vCPU parked in HLT), the next holder is drawn from the
 * seed among the runnable vCPUs (possibly the same one) and woken by IPI. Every decision
 * depends only on the seed and on instruction counts, so a run is reproducible from its seed;
 * the switches are folded into a digest printed when the machine stops.
 */
#include "l1.h"

#define LAPIC_BASE 0xfee00000UL
#define LAPIC(off) (*(volatile u32 *)(LAPIC_BASE + (off)))
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3e0
#define LAPIC_DIV_1 0xb

/* A slice must leave the guest room to make progress past the world switch itself. */
#define SLICE_MIN 200

static struct {
	volatile int token; /* the vCPU that may run */
	u64 rng;
	u64 slice_left; /* guest instructions the holder may still run */
	u64 switches;
	u64 switches_in_image; /* of them, by the timer in the middle of the image's VMPL */
	u64 digest;
} sc;

/* Per L1 CPU: its timer is armed for the current VMRUN. */
static bool armed[MAX_CPUS];

/* splitmix64 (Steele, Lea, Flood: "Fast splittable pseudorandom number generators", 2014) */
static u64 rng_next(void)
{
	u64 z = (sc.rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u64 draw_slice(void)
{
	u64 n = cfg.preempt > SLICE_MIN ? cfg.preempt : SLICE_MIN;

	return SLICE_MIN + rng_next() % (n - SLICE_MIN + 1);
}

/* FNV-1a over one switch: the run's schedule as one number. */
static void digest_add(u64 v)
{
	for (int i = 0; i < 8; i++) {
		sc.digest ^= (v >> (8 * i)) & 0xff;
		sc.digest *= 0x100000001b3ULL;
	}
}

void sched_init(void)
{
	sc.token = 0;
	sc.rng = cfg.sched_seed;
	sc.digest = 0xcbf29ce484222325ULL;
	if (cfg.sched)
		sc.slice_left = draw_slice();
}

bool sched_may_run(const struct vcpu *v)
{
	return !cfg.sched || READ_ONCE(sc.token) == v->id;
}

void sched_arm(struct vcpu *v)
{
	/* No preemption in the middle of a single step (step_one): the page it shows for
	 * that one instruction must not be seen by another vCPU meanwhile. */
	if (!cfg.sched || v->step || !sc.slice_left)
		return;
	LAPIC(LAPIC_TIMER_DIV) = LAPIC_DIV_1;
	LAPIC(LAPIC_LVT_TIMER) = IPI_VECTOR; /* one-shot, unmasked; the IPI handler EOIs */
	LAPIC(LAPIC_TIMER_INIT) = (u32)(sc.slice_left < 0xffffffffULL ? sc.slice_left : ~0U);
	armed[v->id] = true;
}

bool sched_disarm(struct vcpu *v)
{
	bool expired;

	if (!armed[v->id])
		return false;
	armed[v->id] = false;
	expired = LAPIC(LAPIC_TIMER_CUR) == 0;
	LAPIC(LAPIC_TIMER_INIT) = 0; /* stop it */
	return expired;
}

/* Under emu_lock, after handle_exit: @w guest instructions ran, @expired the slice timer. */
void sched_exit(struct vcpu *v, u64 w, bool expired)
{
	int runnable[MAX_CPUS], n = 0, next;

	if (!cfg.sched)
		return;
	sc.slice_left = expired || w >= sc.slice_left ? 0 : sc.slice_left - w;
	if (v->cur >= 0 && (sc.slice_left || v->step))
		return;
	for (int i = 0; i < cfg.smp; i++)
		if (vcpus[i].cur >= 0)
			runnable[n++] = i;
	if (!n)
		return; /* every vCPU halted: go_idle has stopped the machine */
	next = runnable[rng_next() % (u64)n];
	sc.slice_left = draw_slice();
	if (next == v->id)
		return;
	sc.switches++;
	if (expired && v->cur == launch.vmpl)
		sc.switches_in_image++;
	digest_add(st.exits);
	digest_add((u64)v->id << 32 | (u64)next << 16 | (u64)(v->cur & 0xff));
	digest_add(sc.slice_left);
	WRITE_ONCE(sc.token, next);
	lapic_send_ipi((u32)next, IPI_VECTOR);
}

void sched_report(void)
{
	if (cfg.sched)
		con_printf("snpemu: schedule: seed %lu, slices up to %lu: %lu switches (%lu inside "
			   "VMPL%d), digest 0x%016lx\n",
			   cfg.sched_seed, cfg.preempt, sc.switches, sc.switches_in_image,
			   launch.vmpl, sc.digest);
}
