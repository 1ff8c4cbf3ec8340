/*
 * The test instrument (include/snpemu/instrument.h; README "The test instrument").
 *
 * NOT part of the SEV-SNP model: test equipment. It lets the VMPL1 test firmware read RMP
 * entries, which on hardware live in host memory (the host can read them; the guest has no
 * way to, and must never believe a host that claims to tell it). No real host offers such a
 * port, and an SVSM that used it would be trusting its adversary: so the image's own VMPL may
 * not touch it (exit 4). It changes nothing in the RMP, and it answers every GPA, SVSM memory
 * included: the tests need to see that the SVSM granted the guest nothing there, and a test
 * harness has no secrets to keep from its own test firmware.
 */
#include "l1.h"
#include "snpemu/instrument.h"

bool ti_port(u16 port)
{
	return port >= SNPEMU_TI_FIRST && port <= SNPEMU_TI_LAST;
}

static void refuse_image(struct vcpu *v, u16 port)
{
	if (v->cur == launch.vmpl)
		rule_violation("VMPL%d (the image) used port 0x%x: snpemu's test instrument, which "
			       "no real host has (tests/snpemu/README.md \"The test instrument\")",
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
	}
}
