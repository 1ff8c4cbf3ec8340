/*
 * Stale translations: the TLBs of the guest's VMPLs.
 *
 * PVALIDATE and RMPADJUST change the RMP, not the TLBs: a translation a vCPU cached before a
 * permission was taken away stays usable until a flush covers it, so software that takes
 * access away must follow with INVLPGB and TLBSYNC (AMD APM vol 3, PVALIDATE, RMPADJUST,
 * INVLPGB, TLBSYNC; facts §4). QEMU flushes its own TLB at every world switch, so snpemu keeps
 * the stale translation in the nested page tables instead: when a VMPL takes a permission
 * from a VMPL v above the image's (RMPADJUST), or the image rescinds a page v could use
 * (PVALIDATE), v's nested mapping of that page keeps the permissions it lost, for every vCPU
 * (any of them may hold the translation; the TLB is tagged by VMPL, so a VMPL switch keeps
 * it), until one of:
 *   - a TLBSYNC by a vCPU completes an INVLPGB of every address (RAX: no VA, no PCID, global
 *     entries included: bits 0 and 1 clear, bit 3 set) the same vCPU issued after the change.
 *     An INVLPGB of one VA covers nothing here: VMPL0 cannot name VMPL1's virtual address.
 *   - the host flushes the guest's TLBs: a page state change that changed the RMP (KVM zaps
 *     the range and flushes the guest's ASID, every VMPL of it).
 * So an SVSM that forgets a flush leaves the guest a page it can still use: the guest sees it
 * work where it must not (a wrong result), not only snpemu's --stats books.
 *
 * Not modelled: a translation the guest never cached would not be stale on hardware (here every
 * mapping is assumed cached); the image's own VMPL keeps no stale translations.
 */
#include "l1.h"

#define MAX_STALE (1U << 16)

struct stale_rec {
	u64 gpa;
	u64 gen; /* the revocation's number (tlb_gen) */
	u8 vmpl;
	u8 perm; /* permissions VMPL vmpl lost, RMP_PERM_* */
};

static struct stale_rec *recs;
static u32 nr_recs;
static u64 tlb_gen;
static u16 *stale[NR_REGIONS]; /* per page: 4 bits per VMPL 1..3, the union of its records */

static u16 *stale_word(u64 gpa)
{
	struct region *r = region_of(gpa);

	return r ? &stale[r - regions][(gpa - r->gpa) >> PAGE_SHIFT] : NULL;
}

void tlb_init(void)
{
	recs = pages_alloc((MAX_STALE * sizeof(*recs) + PAGE_SIZE - 1) >> PAGE_SHIFT);
	for (int i = 0; i < NR_REGIONS; i++)
		if (regions[i].size)
			stale[i] = pages_alloc(
				((regions[i].size >> PAGE_SHIFT) * sizeof(u16) + PAGE_SIZE - 1) >>
				PAGE_SHIFT);
}

unsigned int tlb_stale_perm(u64 gpa, int vmpl)
{
	u16 *w;

	if (vmpl < 1 || !recs)
		return 0;
	w = stale_word(gpa);
	return w ? (*w >> (4 * (vmpl - 1))) & RMP_PERM_ALL : 0;
}

void tlb_revoked(u64 gpa, int vmpl, unsigned int lost)
{
	u16 *w = stale_word(gpa);

	if (!lost || vmpl <= launch.vmpl || vmpl < 1 || vmpl >= NR_VMPLS || !w)
		return;
	if (nr_recs == MAX_STALE)
		panic("more than %u stale translations: the image never flushes its TLBs",
		      MAX_STALE);
	recs[nr_recs++] = (struct stale_rec){ .gpa = ALIGN_DOWN(gpa, PAGE_SIZE),
					      .gen = ++tlb_gen,
					      .vmpl = (u8)vmpl,
					      .perm = (u8)lost };
	*w |= (u16)(lost << (4 * (vmpl - 1)));
	/* the caller's npt_sync keeps the mapping (npt.c adds the stale permissions) */
}

/* Drop the records up to revocation @upto; rebuild the pages' unions, resync their mappings. */
static void flush_upto(u64 upto)
{
	u32 kept = 0;

	for (u32 i = 0; i < nr_recs; i++)
		*stale_word(recs[i].gpa) = 0;
	for (u32 i = 0; i < nr_recs; i++)
		if (recs[i].gen > upto)
			*stale_word(recs[i].gpa) |= (u16)(recs[i].perm << (4 * (recs[i].vmpl - 1)));
	for (u32 i = 0; i < nr_recs; i++)
		npt_sync(recs[i].gpa, 1); /* every page that had a record: mapped as now due */
	for (u32 i = 0; i < nr_recs; i++)
		if (recs[i].gen > upto)
			recs[kept++] = recs[i];
	nr_recs = kept;
}

void tlb_invlpgb(struct vcpu *v, u64 rax)
{
	if (!(rax & 1) && !(rax & 2) && (rax & 8)) {
		v->tlb_flush_gen = tlb_gen;
		v->tlb_flush_pending = true;
	}
}

void tlb_tlbsync(struct vcpu *v)
{
	if (!v->tlb_flush_pending)
		return;
	v->tlb_flush_pending = false;
	flush_upto(v->tlb_flush_gen);
}

void tlb_host_flush(void)
{
	if (nr_recs)
		flush_upto(tlb_gen);
}
