/*
 * The test instrument (include/snpemu/instrument.h; README "The test instrument").
 *
 * NOT part of the SEV-SNP model: test equipment. It lets the VMPL1 test firmware read RMP
 * entries, which on hardware live in host memory (the host can read them; the guest has no
 * way to, and must never believe a host that claims to tell it). No real host offers such a
 * port, and an SVSM that used it would be trusting its adversary: so the image's own VMPL may
 * not touch it (exit 4). It never changes the RMP, and it answers every GPA, SVSM memory
 * included: the tests need to see that the SVSM granted the guest nothing there, and a test
 * harness has no secrets to keep from its own test firmware.
 *
 * The read watch counts how often the image reads each 8-byte word of one page: the page is
 * left out of the image VMPL's nested tables (RMP_TI_WATCH), so every access faults; the
 * fault is counted, the page mapped, and the guest single-stepped (RFLAGS.TF with the #DB
 * intercept) over the one instruction — under QEMU TCG, one iteration of a rep string
 * instruction — after which the page is unmapped again. That shows a double fetch (the same
 * request word read twice) deterministically, whatever the timing of the vCPUs, and whether a
 * read happened while the guest could still change the page (its VMPL had write access, or
 * the reader's call had taken access away without flushing the TLBs since).
 */
#include "l1.h"
#include "snpemu/instrument.h"

static struct {
	bool armed;
	u64 gpa;
	u32 reads, writes, reads_writable;
	u32 word_reads[PAGE_SIZE / 8];
} watch;

bool ti_port(u16 port)
{
	return port >= SNPEMU_TI_FIRST && port <= SNPEMU_TI_LAST;
}

static void refuse_image(struct vcpu *v, u16 port)
{
	if (v->cur == launch.vmpl)
		rule_violation("VMPL%d (the image) used port 0x%x: snpemu's test instrument, which "
			       "no real host has (tools/snpemu/README.md \"The test instrument\")",
			       v->cur, port);
}

/* The RMP word of the page at @gpa (instrument.h). */
static u32 rmp_word(u64 gpa)
{
	u32 *ep = rmp_entry(gpa), e, w = SNPEMU_RMPQ_MAGIC;

	if (!ep)
		return w;
	e = READ_ONCE(*ep);
	w |= SNPEMU_RMPQ_MEMORY;
	if (!(e & RMP_ASSIGNED))
		return w; /* hypervisor-owned: no VMPL permissions, whatever is left in the entry */
	w |= SNPEMU_RMPQ_ASSIGNED;
	if (e & RMP_VALIDATED)
		w |= SNPEMU_RMPQ_VALIDATED;
	if (e & RMP_2M)
		w |= SNPEMU_RMPQ_2M;
	if (e & RMP_VMSA)
		w |= SNPEMU_RMPQ_VMSA;
	for (int vmpl = 1; vmpl < NR_VMPLS; vmpl++)
		w |= rmp_perm(e, vmpl) << SNPEMU_RMPQ_PERM_SHIFT(vmpl);
	return w;
}

/* ---- the read watch ---- */

/* Hide (or show) the watched page from the image's VMPL. */
static void watch_hide(bool hide)
{
	u32 *e = rmp_entry(watch.gpa);

	if (!e)
		return;
	if (hide)
		*e |= RMP_TI_WATCH;
	else
		*e &= ~RMP_TI_WATCH;
	npt_sync(watch.gpa, 1);
}

static void watch_arm(u64 gpa)
{
	u32 *e = rmp_entry(gpa);

	if (watch.armed)
		watch_hide(false);
	memset(&watch, 0, sizeof(watch));
	if (!e || (*e & (RMP_ASSIGNED | RMP_VALIDATED)) != (RMP_ASSIGNED | RMP_VALIDATED)) {
		con_printf("snpemu: test instrument: watch of 0x%lx refused (not private and "
			   "validated)\n",
			   gpa);
		return;
	}
	watch.gpa = gpa;
	watch.armed = true;
	watch_hide(true);
}

static void watch_disarm(void)
{
	if (watch.armed)
		watch_hide(false);
	watch.armed = false;
}

static u32 watch_max(void)
{
	u32 m = 0;

	for (u32 i = 0; i < ARRAY_SIZE(watch.word_reads); i++)
		if (watch.word_reads[i] > m)
			m = watch.word_reads[i];
	return m;
}

bool ti_watch_npf(struct vcpu *v, u64 info1, u64 info2)
{
	u64 gpa = info2 & GPA_MASK;
	u32 *e = rmp_entry(gpa);

	/* Only a data access of the image to the watched page while it is hidden; anything
	 * else (a page that stopped being private and validated among them: a page state
	 * change drops the mark) takes the usual path. */
	if (!watch.armed || v->cur != launch.vmpl || ALIGN_DOWN(gpa, PAGE_SIZE) != watch.gpa ||
	    !e || !(*e & RMP_TI_WATCH) || (info1 & ((1ULL << 33) | 0x10)) ||
	    (*e & (RMP_ASSIGNED | RMP_VALIDATED)) != (RMP_ASSIGNED | RMP_VALIDATED))
		return false;
	if (info1 & 2) {
		watch.writes++;
	} else {
		bool writable = stats_call_stale(v);

		for (int vmpl = launch.vmpl + 1; vmpl < NR_VMPLS; vmpl++)
			writable |= !!(rmp_perm(*e, vmpl) & RMP_PERM_W);
		watch.reads++;
		watch.reads_writable += writable;
		watch.word_reads[(gpa & (PAGE_SIZE - 1)) / 8]++;
	}
	/* Let exactly this access through: map the page, trap after one instruction. */
	watch_hide(false);
	step_one(v);
	return true;
}

void ti_watch_stepped(struct vcpu *v)
{
	(void)v;
	if (watch.armed)
		watch_hide(true);
}

/* ---- ports ---- */

u64 ti_in(struct vcpu *v, u16 port, int size)
{
	u32 w;

	refuse_image(v, port);
	if (size != 4)
		return (1ULL << (8 * size)) - 1; /* as an unassigned port */
	switch (port) {
	case SNPEMU_TI_RMP:
		w = rmp_word(v->ti_gpa);
		v->ti_gpa += PAGE_SIZE;
		return w;
	case SNPEMU_TI_WATCH:
		return watch.armed;
	case SNPEMU_TI_WATCH_READS:
		return watch.reads;
	case SNPEMU_TI_WATCH_MAX:
		return watch_max();
	case SNPEMU_TI_WATCH_WRITES:
		return watch.writes;
	case SNPEMU_TI_WATCH_WRITABLE:
		return watch.reads_writable;
	default:
		return 0xffffffffULL;
	}
}

void ti_out(struct vcpu *v, u16 port, int size, u64 val)
{
	refuse_image(v, port);
	if (size != 4)
		return;
	switch (port) {
	case SNPEMU_TI_GPA_LO:
		v->ti_gpa = (v->ti_gpa & ~0xffffffffULL) | (u32)val;
		break;
	case SNPEMU_TI_GPA_HI:
		v->ti_gpa = (v->ti_gpa & 0xffffffffULL) | ((u64)(u32)val << 32);
		break;
	case SNPEMU_TI_WATCH:
		if ((u32)val == 1)
			watch_arm(ALIGN_DOWN(v->ti_gpa, PAGE_SIZE));
		else if ((u32)val == 0)
			watch_disarm();
		break;
	}
}
