/*
 * The RMP: one entry per 4 KiB guest page (assigned, validated, 2 MiB page size, VMSA, and the
 * VMPL1-3 permission masks; VMPL0 always has full access to an assigned page). Sources:
 * facts §4 (PVALIDATE/RMPADJUST inputs and result codes), APM vol. 2 "SEV-SNP" (RMP checks).
 *
 * A page whose assigned state flips (a page state change) has its contents scrambled: on
 * hardware the other side then sees ciphertext under a different key (or no key). The
 * scrambling is done lazily, when the page is first touched again (the nested tables leave
 * pending pages unmapped, see npt.c), so that converting hundreds of MiB stays cheap.
 */
#include "l1.h"

#define ENTRY_STATE_MASK (RMP_ASSIGNED | RMP_VALIDATED | RMP_VMSA | (0xfffU << 4))

/*
 * Replace the contents with a pattern derived from the page and the seed: deterministic, so
 * instruction counts stay reproducible, and never the zeros or old data a careless SVSM
 * might count on. (rep stosq: the cheapest way to touch a page under TCG.)
 */
static void scramble_page(u64 gpa)
{
	u64 *p = gpa_hva(gpa), n = 512;
	u64 k = ((gpa >> PAGE_SHIFT) * 0x9e3779b97f4a7c15ULL) ^ (cfg.seed * 0xbf58476d1ce4e5b9ULL) ^
		0xa5c3f00ddeadbeefULL;

	__asm__ volatile("rep stosq" : "+D"(p), "+c"(n) : "a"(k | 1) : "memory");
}

void rmp_settle(u64 gpa)
{
	u32 *e = rmp_entry(gpa);

	if (e && (*e & RMP_SCRAMBLE)) {
		scramble_page(ALIGN_DOWN(gpa, PAGE_SIZE));
		*e &= ~RMP_SCRAMBLE;
		npt_sync(ALIGN_DOWN(gpa, PAGE_SIZE), 1);
	}
}

void rmp_settle_chunk(u64 gpa)
{
	u64 base = ALIGN_DOWN(gpa, PAGE_2M_SIZE);

	struct region *r = region_of(gpa);
	u64 lo, hi;

	if (!r)
		return;
	lo = base > r->gpa ? base : r->gpa;
	hi = base + PAGE_2M_SIZE < r->gpa + r->size ? base + PAGE_2M_SIZE : r->gpa + r->size;
	for (u64 a = lo; a < hi; a += PAGE_SIZE) {
		u32 *e = rmp_entry(a);

		if (*e & RMP_SCRAMBLE) {
			scramble_page(a);
			*e &= ~RMP_SCRAMBLE;
		}
	}
	npt_sync(lo, (hi - lo) >> PAGE_SHIFT);
}

static bool range_ok(u64 gpa, u64 n)
{
	struct region *r = region_of(gpa);

	return r && gpa - r->gpa + n * PAGE_SIZE <= r->size;
}

/* Split a 2 MiB RMP entry covering @gpa into 4 KiB entries (the host's PSMASH). */
static void smash(u64 gpa)
{
	u64 base = ALIGN_DOWN(gpa, PAGE_2M_SIZE);

	if (!range_ok(base, PAGES_PER_2M))
		return;
	u32 *e = rmp_entry(base);
	if (!(*e & RMP_2M))
		return;
	for (u64 i = 0; i < PAGES_PER_2M; i++)
		e[i] &= ~RMP_2M;
}

/* A launch page: assigned, validated, full access for @vmpl (VMPL0 always has it). */
void rmp_launch_page(u64 gpa, int vmpl)
{
	u32 *e = rmp_entry(gpa);

	*e = RMP_ASSIGNED | RMP_VALIDATED;
	if (vmpl)
		*e |= RMP_PERM_ALL << RMP_PERM_SHIFT(vmpl);
}

int rmp_make_private(u64 gpa, bool is_2m)
{
	u64 n = is_2m ? PAGES_PER_2M : 1;
	u32 *e;
	bool uniform = true;

	if ((is_2m && !IS_ALIGNED(gpa, PAGE_2M_SIZE)) || !range_ok(gpa, n))
		return -1;
	e = rmp_entry(gpa);
	for (u64 i = 0; i < n; i++) {
		if (e[i] & RMP_ASSIGNED) {
			uniform = false; /* already private: left as it is */
			continue;
		}
		e[i] = RMP_ASSIGNED | RMP_SCRAMBLE;
	}
	/* A 2 MiB RMP entry only where the host backs the range with a 2 MiB page (host.c) */
	if (is_2m && uniform && host->psc_2m_rmp)
		for (u64 i = 0; i < n; i++)
			e[i] |= RMP_2M;
	return 0;
}

/*
 * A 4 KiB PVALIDATE or RMPADJUST of a page inside a 2 MiB RMP entry: on hardware an RMP #NPF
 * with the size-mismatch bit, which a host with the RMP fault handler of KVM
 * (sev_handle_rmp_fault) answers with PSMASH, so that the instruction then succeeds. Under a
 * host without it (the spec profile) the instruction reports FAIL_SIZEMISMATCH.
 */
static void rmp_fault_psmash(u64 gpa)
{
	u64 base = ALIGN_DOWN(gpa, PAGE_2M_SIZE);

	if (!host->rmp_fault_psmash || !range_ok(base, PAGES_PER_2M) ||
	    !(*rmp_entry(base) & RMP_2M))
		return;
	smash(base);
	st.host_psmash++;
	if (cfg.verbose)
		con_printf("snpemu: host %s: RMP #NPF (size mismatch) at 0x%lx: PSMASH\n",
			   host->name, gpa);
}

int rmp_make_shared(u64 gpa, bool is_2m)
{
	u64 n = is_2m ? PAGES_PER_2M : 1;
	u32 *e;

	if ((is_2m && !IS_ALIGNED(gpa, PAGE_2M_SIZE)) || !range_ok(gpa, n))
		return -1;
	e = rmp_entry(gpa);
	for (u64 i = 0; i < n; i++)
		if (e[i] & RMP_VMSA)
			return -1; /* a VMSA page in use cannot be converted */
	if (!is_2m)
		smash(gpa);
	for (u64 i = 0; i < n; i++) {
		if (!(e[i] & RMP_ASSIGNED))
			continue;
		e[i] = RMP_SCRAMBLE;
	}
	return 0;
}

int rmp_psmash(u64 gpa)
{
	u32 *e;

	if (!IS_ALIGNED(gpa, PAGE_2M_SIZE) || !range_ok(gpa, PAGES_PER_2M))
		return -1;
	e = rmp_entry(gpa);
	if (!(e[0] & RMP_ASSIGNED) || !(e[0] & RMP_2M))
		return -1;
	smash(gpa);
	return 0;
}

int rmp_unsmash(u64 gpa)
{
	u32 *e;

	if (!IS_ALIGNED(gpa, PAGE_2M_SIZE) || !range_ok(gpa, PAGES_PER_2M))
		return -1;
	e = rmp_entry(gpa);
	if (!(e[0] & RMP_ASSIGNED) || (e[0] & RMP_VMSA))
		return -1;
	for (u64 i = 1; i < PAGES_PER_2M; i++)
		if ((e[i] & ENTRY_STATE_MASK) != (e[0] & ENTRY_STATE_MASK))
			return -1;
	for (u64 i = 0; i < PAGES_PER_2M; i++)
		e[i] |= RMP_2M;
	return 0;
}

/* PVALIDATE (facts §4): the caller has checked that it runs at VMPL0. */
int rmp_pvalidate(int vmpl, u64 gpa, bool is_2m, bool validate, bool *unchanged)
{
	u64 n = is_2m ? PAGES_PER_2M : 1;
	u32 *e;
	bool all_same = true;

	(void)vmpl;
	*unchanged = false;
	if (is_2m && !IS_ALIGNED(gpa, PAGE_2M_SIZE))
		return PVALIDATE_FAIL_INPUT;
	if (!range_ok(gpa, n))
		return PVALIDATE_FAIL_INPUT;
	e = rmp_entry(gpa);
	if (!(e[0] & RMP_ASSIGNED))
		return PVALIDATE_FAIL_INPUT;
	if (!is_2m)
		rmp_fault_psmash(gpa);
	if (is_2m != !!(e[0] & RMP_2M))
		return PVALIDATE_FAIL_SIZEMISMATCH;
	for (u64 i = 0; i < n; i++)
		if (!!(e[i] & RMP_VALIDATED) != validate)
			all_same = false;
	if (all_same) {
		*unchanged = true;
		return PVALIDATE_OK;
	}
	for (u64 i = 0; i < n; i++) {
		if (!validate && (e[i] & RMP_VALIDATED))
			for (int t = 1; t < NR_VMPLS; t++) /* translations may outlive it (tlb.c) */
				tlb_revoked(gpa + i * PAGE_SIZE, t, rmp_perm(e[i], t));
		e[i] = validate ? (e[i] | RMP_VALIDATED) : (e[i] & ~RMP_VALIDATED);
	}
	return PVALIDATE_OK;
}

/*
 * Fault unvalidate=N: right after the Nth PVALIDATE that validated a page while serving a
 * VMPL1 call, the host takes the page's validated state away, as its RMPUPDATE can at any
 * time (APM vol 2, 15.36.10: RMPUPDATE clears Validated). The SVSM's next access to the page
 * raises #VC 0x404; it must fail that call, not itself.
 */
void fault_unvalidate(u64 gpa, bool is_2m)
{
	static u64 seen;
	u32 *e = rmp_entry(gpa);

	if (!cfg.fault[FAULT_UNVALIDATE] ||
	    __atomic_add_fetch(&seen, 1, __ATOMIC_RELAXED) != cfg.unvalidate_at)
		return;
	for (u64 i = 0; i < (is_2m ? PAGES_PER_2M : 1); i++)
		e[i] &= ~RMP_VALIDATED;
	con_printf("snpemu: fault unvalidate: page 0x%lx is no longer validated\n", gpa);
}

/* RMPADJUST (facts §4): attrs [7:0] target VMPL, [11:8] permissions, bit 16 VMSA. *took: the
 * target VMPL lost a permission on some page (statistics: a TLB flush is due). */
int rmp_rmpadjust(int vmpl, u64 gpa, bool is_2m, u64 attrs, bool *took)
{
	u64 n = is_2m ? PAGES_PER_2M : 1;
	int target = (int)(attrs & 0xff);
	unsigned int perm = (attrs >> 8) & 0xf;
	bool vmsa = (attrs >> 16) & 1;
	u32 *e;

	*took = false;
	if (attrs & ~(0xffULL | 0xf00ULL | (1ULL << 16)))
		return PVALIDATE_FAIL_INPUT;
	if (target <= vmpl || target >= NR_VMPLS)
		return RMPADJUST_FAIL_PERMISSION;
	if (is_2m && !IS_ALIGNED(gpa, PAGE_2M_SIZE))
		return PVALIDATE_FAIL_INPUT;
	if (!range_ok(gpa, n))
		return PVALIDATE_FAIL_INPUT;
	e = rmp_entry(gpa);
	if ((e[0] & (RMP_ASSIGNED | RMP_VALIDATED)) != (RMP_ASSIGNED | RMP_VALIDATED))
		return PVALIDATE_FAIL_INPUT;
	if (!is_2m)
		rmp_fault_psmash(gpa);
	if (is_2m != !!(e[0] & RMP_2M))
		return PVALIDATE_FAIL_SIZEMISMATCH;
	/* The VMSA bit is honoured only at VMPL0 (facts §4) and only for 4 KiB pages. */
	if (vmpl != 0)
		vmsa = false;
	if (vmsa && is_2m)
		return PVALIDATE_FAIL_INPUT;
	for (u64 i = 0; i < n; i++)
		if ((perm & ~rmp_perm(e[i], vmpl)) != 0)
			return RMPADJUST_FAIL_PERMISSION; /* cannot grant more than it has */
	for (u64 i = 0; i < n; i++) {
		u32 v = e[i] & ~(0xfU << RMP_PERM_SHIFT(target));

		v |= perm << RMP_PERM_SHIFT(target);
		if (rmp_perm(e[i], target) & ~perm) {
			*took = true;
			tlb_revoked(gpa + i * PAGE_SIZE, target, rmp_perm(e[i], target) & ~perm);
		}
		if (vmpl == 0)
			v = vmsa ? (v | RMP_VMSA) : (v & ~RMP_VMSA);
		e[i] = v;
	}
	return PVALIDATE_OK;
}
