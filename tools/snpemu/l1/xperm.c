/*
 * User-execute and supervisor-execute: the VMPL permission bits 2 and 3 of an RMP entry. An
 * instruction fetch at CPL 3 needs UserExecute, one at CPL 0-2 SupervisorExecute (AMD APM vol 2,
 * "RMP and VMPL Access Checks"; the same split as the page tables' U/S for fetches).
 *
 * The nested page tables have one NX bit for both. A page whose two bits agree for a VMPL is
 * mapped executable or not (npt.c); one with exactly one of them is mapped NX, so each fetch
 * from it faults first: snpemu checks the fetch against the vCPU's CPL at that fault
 * (handle_npf) and, if allowed, maps the page executable (an exec grant, RMP_XGRANT) until
 * that vCPU's next exit other than a nested page fault. Given up: inside that window a fetch at
 * the other CPL (code on the same page after a SYSCALL or an interrupt), or by another vCPU of
 * the same VMPL, is not checked. Pages with both bits (csvsm grants RWX) cost nothing.
 */
#include "l1.h"

#define NR_XGRANTS 64

static struct {
	bool used;
	int vcpu;
	u64 gpa;
} xgrants[NR_XGRANTS];
static int nr_xgrants;

unsigned int xperm_need(const struct vcpu *v)
{
	return (F8(v->vmcb + VMCB_SAVE, VMSA_CPL) & 3) == 3 ? RMP_PERM_UX : RMP_PERM_SX;
}

bool xperm_exec_mapped(unsigned int perm, u32 e)
{
	unsigned int x = perm & (RMP_PERM_UX | RMP_PERM_SX);

	return x == (RMP_PERM_UX | RMP_PERM_SX) || (x && (e & RMP_XGRANT));
}

void xperm_drop(struct vcpu *v)
{
	for (int i = 0; i < NR_XGRANTS && nr_xgrants; i++) {
		if (!xgrants[i].used || xgrants[i].vcpu != v->id)
			continue;
		xgrants[i].used = false;
		nr_xgrants--;
		if (*rmp_entry(xgrants[i].gpa) & RMP_XGRANT) {
			*rmp_entry(xgrants[i].gpa) &= ~RMP_XGRANT;
			npt_sync(xgrants[i].gpa, 1);
		}
	}
}

bool xperm_npf(struct vcpu *v, u64 gpa, u32 *ep)
{
	int i;

	if (*ep & RMP_XGRANT)
		return false; /* granted already: an ordinary retry */
	if (nr_xgrants == NR_XGRANTS)
		xperm_drop(v); /* cannot happen within one instruction: start afresh */
	for (i = 0; i < NR_XGRANTS && xgrants[i].used; i++)
		;
	if (i == NR_XGRANTS)
		panic("no free exec grant (other vCPUs hold %d)", nr_xgrants);
	xgrants[i].used = true;
	xgrants[i].vcpu = v->id;
	xgrants[i].gpa = gpa;
	nr_xgrants++;
	*ep |= RMP_XGRANT;
	npt_sync(gpa, 1);
	return true;
}
