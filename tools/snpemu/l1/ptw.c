/*
 * Guest page-table walks and instruction fetches under QEMU TCG's nested paging.
 *
 * SNP treats the memory accesses of instruction fetches and of guest page-table walks as
 * private, whatever the C-bit of CR3 or of the entries says (AMD APM vol. 2, 15.34.5 "SEV
 * Encryption Behavior"; README "Walks and fetches"). QEMU's nested walk follows the C-bit
 * instead: a CR3 or table pointer without it (OVMF loads CR3 in 32-bit code), or code mapped
 * C=0, reaches the shared view, where private pages are not mapped. QEMU 7.2 flags a nested
 * fault of its page walker with EXITINFO1 bit 33 (the final access has bit 32) and reports the
 * GPA of the entry it was about to read in EXITINFO2.
 *
 * Aliases: a walk or fetch that reached the shared view and hit a private, validated page the
 * VMPL may read (walk) or execute (fetch) is an access hardware performs. snpemu maps that page
 * into the VMPL's shared view as in its private view (RMP_ALIAS) and lets the guest retry.
 * Given up: later C=0 *data* accesses of an aliased page by that VMPL are not stopped
 * (hardware: #NPF) until the page's state changes.
 *
 * Walker grants: QEMU 7.2's walker probes every table page for write access, whether or not it
 * will set an Accessed/Dirty bit, so a VMPL that may only read its page tables faults where
 * hardware, with A/D already set, writes nothing. snpemu stops at once if the entry lacks
 * Accessed (hardware would write it: VMPL write violation); otherwise it snapshots the page and
 * lets the VMPL's nested mapping write it (RMP_WGRANT). At the vCPU's next exit that is not a
 * nested fault the page must be unchanged (a walker A/D update or a guest store would have
 * faulted on hardware), and the grant is withdrawn. Given up: such a write is reported at that
 * exit instead of at once, and a write that leaves the page as it was goes unseen.
 */
#include "l1.h"

/*
 * Walks through shared pages. Hardware walks privately, so a table page that is shared (not
 * assigned) makes the walk an access to a hypervisor-owned page: #NPF (README "Walks and
 * fetches"). QEMU's walker reads such a page through the shared view, where it is mapped; but
 * it asks for write access to every table page, so snpemu maps shared pages read-only there:
 * the walk faults with EXITINFO1 bit 33 and handle_npf stops the machine. A data write to a
 * shared page faults too; it is let through by making the page writable (RMP_SHWRITE) until
 * that vCPU's next exit other than a nested fault. Given up: a walk through a shared page the
 * guest wrote within the same exit interval (a GHCB page between its writes and the VMGEXIT)
 * goes unseen. Cost: one nested fault per shared page written per exit interval.
 */
#define NR_SHWRITES 64

static struct {
	bool used;
	int vcpu;
	u64 gpa;
} shwrites[NR_SHWRITES];
static int nr_shwrites;

void ptw_shared_drop(struct vcpu *v)
{
	for (int i = 0; i < NR_SHWRITES && nr_shwrites; i++) {
		u32 *e;

		if (!shwrites[i].used || shwrites[i].vcpu != v->id)
			continue;
		shwrites[i].used = false;
		nr_shwrites--;
		e = rmp_entry(shwrites[i].gpa);
		if (*e & RMP_SHWRITE) {
			*e &= ~RMP_SHWRITE;
			npt_sync(shwrites[i].gpa, 1);
		}
	}
}

bool ptw_shared_write(struct vcpu *v, u64 gpa, u32 *ep)
{
	int i;

	if (*ep & RMP_SHWRITE)
		return false; /* writable already: an ordinary retry */
	if (nr_shwrites == NR_SHWRITES)
		ptw_shared_drop(v); /* cannot happen within one instruction: start afresh */
	for (i = 0; i < NR_SHWRITES && shwrites[i].used; i++)
		;
	if (i == NR_SHWRITES) {
		/* other vCPUs hold every slot: let this write through for good (lenient) */
		*ep |= RMP_SHWRITE;
		npt_sync(gpa, 1);
		return true;
	}
	shwrites[i].used = true;
	shwrites[i].vcpu = v->id;
	shwrites[i].gpa = gpa;
	nr_shwrites++;
	*ep |= RMP_SHWRITE;
	npt_sync(gpa, 1);
	return true;
}

#define NPF_WALK (1ULL << 33)
#define NPF_FETCH (1ULL << 4)
#define NPF_WRITE (1ULL << 1)
#define PTE_P 1U
#define PTE_A (1U << 5)
#define NR_GRANTS 32 /* a walk needs at most 5 table pages; an instruction a few walks */

static struct grant {
	bool used;
	int vcpu, vmpl;
	u64 gpa;
	u8 *snap; /* the page's contents when granted (an L1 page, kept for reuse) */
} grants[NR_GRANTS];
static int nr_grants;

static void grant_drop(struct grant *g)
{
	u32 *e = rmp_entry(g->gpa);

	if (*e & RMP_WGRANT(g->vmpl)) {
		*e &= ~RMP_WGRANT(g->vmpl);
		npt_sync(g->gpa, 1);
	}
	g->used = false;
	nr_grants--;
}

void ptw_grants_check(struct vcpu *v)
{
	for (int i = 0; i < NR_GRANTS && nr_grants; i++) {
		struct grant *g = &grants[i];
		u32 e;

		if (!g->used || g->vcpu != v->id)
			continue;
		e = *rmp_entry(g->gpa);
		/* still a page the VMPL may only read (a state change or RMPADJUST ends it) */
		if ((e & RMP_WGRANT(g->vmpl)) && !(rmp_perm(e, g->vmpl) & RMP_PERM_W) &&
		    memcmp(gpa_hva(g->gpa), g->snap, PAGE_SIZE))
			rule_violation("VMPL%d changed page 0x%lx, which it may only read (RMP "
				       "VMPL%d "
				       "mask 0x%x): a store or an Accessed/Dirty update by its "
				       "page "
				       "walk (seen at the vCPU's next exit: README \"Walks and "
				       "fetches\")",
				       g->vmpl, g->gpa, g->vmpl, rmp_perm(e, g->vmpl));
		grant_drop(g);
	}
}

static void grant_add(struct vcpu *v, u64 gpa, u64 pte_gpa, u32 *ep)
{
	u32 pte = *(volatile u32 *)gpa_hva(pte_gpa & ~3ULL); /* P and A are in the low dword */
	struct grant *g = NULL;

	if ((pte & PTE_P) && !(pte & PTE_A))
		rule_violation("VMPL%d page-table walk must set the Accessed bit of the entry at "
			       "GPA "
			       "0x%lx, in a page it may only read (RMP VMPL%d mask 0x%x): a VMPL "
			       "write violation on hardware",
			       v->cur, pte_gpa, v->cur, rmp_perm(*ep, v->cur));
	if (nr_grants == NR_GRANTS)
		ptw_grants_check(v); /* cannot happen for one instruction: start afresh */
	for (int i = 0; i < NR_GRANTS && !g; i++)
		if (!grants[i].used)
			g = &grants[i];
	if (!g)
		panic("no free walker grant (other vCPUs hold %d)", nr_grants);
	if (!g->snap)
		g->snap = page_alloc();
	memcpy(g->snap, gpa_hva(gpa), PAGE_SIZE);
	*g = (struct grant){
		.used = true, .vcpu = v->id, .vmpl = v->cur, .gpa = gpa, .snap = g->snap
	};
	nr_grants++;
	*ep |= RMP_WGRANT(v->cur);
}

bool ptw_npf(struct vcpu *v, u64 info1, u64 info2, u32 *ep)
{
	u64 gpa = info2 & GPA_MASK & ~0xfffULL;
	u32 e = *ep, was = e;
	bool shared_view = !(info2 & CBIT) && v->root == ROOT_NORMAL;

	if (!(info1 & (NPF_WALK | NPF_FETCH)))
		return false;
	/* the caller has checked: assigned, validated, readable (walk) or executable (fetch) */
	if (shared_view)
		e |= RMP_ALIAS(v->cur);
	if ((info1 & NPF_WALK) && (info1 & NPF_WRITE) && !(rmp_perm(e, v->cur) & RMP_PERM_W) &&
	    !(e & RMP_WGRANT(v->cur))) {
		*ep = e;
		grant_add(v, gpa, info2 & GPA_MASK, ep);
		e = *ep;
	}
	if (e == was)
		return false; /* nothing to change: an ordinary retry */
	*ep = e;
	if (cfg.verbose)
		con_printf("snpemu: VMPL%d %s through page 0x%lx%s%s\n", v->cur,
			   (info1 & NPF_WALK) ? "walks" : "fetches", gpa,
			   (e & ~was & RMP_ALIAS(v->cur)) ? ", aliased into its C=0 view" : "",
			   (e & ~was & RMP_WGRANT(v->cur)) ? ", walker may write it" : "");
	npt_sync(gpa, 1);
	return true;
}
