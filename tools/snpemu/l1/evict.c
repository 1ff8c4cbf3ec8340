/*
 * The eviction books (--evict-check; README "Statistics"). NOT part of the SNP model: a check
 * of the image against a software rule, kept like the TLB books in stats.c.
 *
 * The rule (CVE-2025-38560; Linux commit 7b306dfa326f "x86/sev: Evict cache lines during SNP
 * memory validation"): on a processor without COHERENCY_SFW_NO (CPUID Fn8000_001F EBX[31];
 * --coherency-sfw-no sets it), software that validates a page must read the first and the
 * last byte of each of its 4 KiB pages before it uses the page, so that cache lines from
 * before the page state change are evicted. snpemu has no such cache lines; it checks the
 * order of the accesses instead.
 *
 * A page the image's VMPL validates (PVALIDATE, CF = 0) becomes pending: its VMPL's private
 * view leaves it out, so each access faults. A read in its first 64-byte line and one in its
 * last (either order; a line, not only the byte, because the eviction works per cache line)
 * make it *evicted*, and it is mapped again. After the first of the two, the page is shown
 * for exactly one instruction (step_one) and hidden again. A page is *missed* when anything
 * else comes first (a write, an instruction fetch, a page-table walk, a read elsewhere in the
 * page, by any vCPU), when it is rescinded or changes state, when the vCPU that validated it
 * hands over to a lower VMPL (its call, or the boot, ends), or when the run ends.
 * Given up: another vCPU's access while the page is shown for one step goes unseen.
 *
 * The cost is three exits per evicted page (about 65,000 pages for 254 MiB of SVSM memory):
 * hence an option, not always on.
 */
#include "l1.h"

#define LINE 64
#define MAX_RANGES 1024 /* per vCPU: one call validates at most a page of entries */

static int region_index(u64 gpa)
{
	return region_of(gpa) == &regions[REG_SVSM] ? 0 : 1;
}

/* The page stops being pending; if it was, the nested tables need a sync. */
static bool settle(u32 *e)
{
	bool was = *e & RMP_EV_PENDING;

	*e &= ~RMP_EV_MASK;
	return was;
}

static void add_range(struct vcpu *v, u64 gpa, u64 n)
{
	struct ev_range *r;

	if (!v->ev_ranges)
		v->ev_ranges =
			pages_alloc(ALIGN_UP(MAX_RANGES * sizeof(*r), PAGE_SIZE) / PAGE_SIZE);
	if (v->nr_ev_ranges) {
		r = &v->ev_ranges[v->nr_ev_ranges - 1];
		if (r->gpa + r->n * PAGE_SIZE == gpa) {
			r->n += n;
			return;
		}
	}
	if (v->nr_ev_ranges == MAX_RANGES)
		panic("eviction books: more than %d page ranges validated in one call", MAX_RANGES);
	v->ev_ranges[v->nr_ev_ranges++] = (struct ev_range){ .gpa = gpa, .n = n };
}

void evict_pvalidated(struct vcpu *v, u64 gpa, u64 n, bool validate)
{
	if (!cfg.evict_check)
		return;
	for (u64 i = 0; i < n; i++) {
		u32 *e = rmp_entry(gpa + i * PAGE_SIZE);

		settle(e);
		if (validate)
			*e |= RMP_EV_PENDING;
	}
	if (validate) {
		st.ev_validated[region_index(gpa)] += n;
		add_range(v, gpa, n);
	}
}

bool evict_npf(struct vcpu *v, u64 info1, u64 info2)
{
	u64 gpa = info2 & GPA_MASK, page = ALIGN_DOWN(gpa, PAGE_SIZE), off = gpa & (PAGE_SIZE - 1);
	u32 *e = rmp_entry(gpa);
	bool other = info1 & ((1ULL << 33) | 0x10 | 2); /* a walk, a fetch, a write */

	if (!cfg.evict_check || !e || v->cur != launch.vmpl ||
	    (*e & (RMP_EV_PENDING | RMP_EV_SHOWN)) != RMP_EV_PENDING)
		return false;
	if (!other && off < LINE)
		*e |= RMP_EV_FIRST;
	else if (!other && off >= PAGE_SIZE - LINE)
		*e |= RMP_EV_LAST;
	else
		other = true;
	if (other || (*e & (RMP_EV_FIRST | RMP_EV_LAST)) == (RMP_EV_FIRST | RMP_EV_LAST)) {
		if (!other)
			st.ev_evicted[region_index(gpa)]++;
		settle(e);
		npt_sync(page, 1);
		return true; /* mapped again: the access is retried */
	}
	if (v->nr_ev_shown == (int)ARRAY_SIZE(v->ev_shown))
		panic("eviction books: one instruction touched more than %d pending pages",
		      v->nr_ev_shown);
	*e |= RMP_EV_SHOWN;
	v->ev_shown[v->nr_ev_shown++] = page;
	npt_sync(page, 1);
	step_one(v);
	return true;
}

void evict_stepped(struct vcpu *v)
{
	for (int i = 0; i < v->nr_ev_shown; i++) {
		u32 *e = rmp_entry(v->ev_shown[i]);

		if (*e & RMP_EV_SHOWN) {
			*e &= ~RMP_EV_SHOWN;
			npt_sync(v->ev_shown[i], 1);
		}
	}
	v->nr_ev_shown = 0;
}

void evict_window_end(struct vcpu *v)
{
	for (u32 i = 0; i < v->nr_ev_ranges; i++) {
		struct ev_range *r = &v->ev_ranges[i];
		bool any = false;

		for (u64 k = 0; k < r->n; k++)
			any |= settle(rmp_entry(r->gpa + k * PAGE_SIZE));
		if (any)
			npt_sync(r->gpa, r->n);
	}
	v->nr_ev_ranges = 0;
}
