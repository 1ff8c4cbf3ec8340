// SPDX-License-Identifier: MIT
/* Claims of guest pages during a call (include/guest/claims.h). */
#include "guest/claims.h"
#include "guest/gmem.h"
#include "guest/memrange.h"
#include "guest/pagelist.h"
#include "internal.h"
#include "lib/errno.h"

void take(enum claim_slot slot, u64 gpa, u64 size)
{
	struct vcpu_state *s = &vcpus[self()];

	s->claims[slot].gpa = gpa;
	s->claims[slot].size = size;
	__atomic_or_fetch(&s->claim_mask, 1U << slot, __ATOMIC_RELEASE);
}

void release(enum claim_slot slot)
{
	__atomic_and_fetch(&vcpus[self()].claim_mask, ~(1U << slot), __ATOMIC_RELEASE);
}

/* Does a claim of vCPU @s (its claim mask @mask) overlap [gpa, gpa + size)? */
static bool claims_overlap(const struct vcpu_state *s, u32 mask, u64 gpa, u64 size)
{
	u32 c, j;

	for (c = 0; mask; c++, mask >>= 1) {
		if (!(mask & 1))
			continue;
		if (c != CLAIM_ENTRIES) {
			if (ranges_overlap(gpa, size, s->claims[c].gpa, s->claims[c].size))
				return true;
			continue;
		}
		for (j = 0; j < s->nr_entries; j++)
			if (ranges_overlap(gpa, size, pagelist_gpa(s->entries[j]),
					   pagelist_size(s->entries[j])))
				return true;
	}
	return false;
}

/*
 * Under reg.lock: may this vCPU claim [gpa, gpa + size)? Registered VMSAs and calling areas
 * are -EFAULT, except the calling area of vCPU @caa_owner (NO_CAA_OWNER: none), *own = true:
 * it is protected already. Another vCPU's claim is -EBUSY (try again), one of this vCPU's own
 * -EFAULT (a request naming its own request page); @skip_own is a claim slot of this vCPU not
 * to count (NR_CLAIMS: none).
 */
static int may_claim(u64 gpa, u64 size, u32 caa_owner, bool *own, u32 skip_own)
{
	struct reg_entry *e = registry_find(&reg, gpa, size);
	u32 me = self(), i;

	*own = false;
	if (e) {
		if (caa_owner != NO_CAA_OWNER && e->kind == REG_CAA && e->owner == caa_owner &&
		    e->gpa == gpa && e->size == size) {
			*own = true;
			return 0;
		}
		return -EFAULT;
	}
	for (i = 0; i < nr_vcpus; i++) {
		u32 mask = __atomic_load_n(&vcpus[i].claim_mask, __ATOMIC_ACQUIRE);

		if (i == me)
			mask &= ~(1U << skip_own);
		if (mask && claims_overlap(&vcpus[i], mask, gpa, size))
			return i == me ? -EFAULT : -EBUSY;
	}
	return 0;
}

bool claim_is_call_locked(u64 gpa, u64 size)
{
	const struct vcpu_state *s = &vcpus[self()];
	u32 mask = __atomic_load_n(&s->claim_mask, __ATOMIC_ACQUIRE);

	return (mask & (1U << CLAIM_CALL)) && s->claims[CLAIM_CALL].gpa == gpa &&
	       s->claims[CLAIM_CALL].size == size;
}

int claim_locked(enum claim_slot slot, u64 gpa, u64 size, u32 caa_owner, bool *own)
{
	int rc = may_claim(gpa, size, caa_owner, own, NR_CLAIMS);

	if (!rc && !*own)
		take(slot, gpa, size);
	return rc;
}

/*
 * Under reg.lock: what this vCPU's page list, whose pages all lie in [lo, hi), must not
 * overlap, in the order may_claim() checks it (guest/claimview.h): registered pages, then
 * every vCPU's claims — this vCPU's own -EFAULT (its request page), the others' -EBUSY.
 * Only what meets [lo, hi) can overlap an entry, so the rest is left out: a list of pages
 * next to each other is then checked against the few ranges near it. The storage was sized
 * for all of them in vcpu_init, so an add cannot fail.
 */
static void view_build(struct claim_view *v, u32 me, u64 lo, u64 hi)
{
	u32 i, c;

	claim_view_reset(v);
	for (i = 0; i < reg.n; i++)
		if (ranges_overlap(lo, hi - lo, reg.e[i].gpa, reg.e[i].size))
			claim_view_add(v, reg.e[i].gpa, reg.e[i].size, -EFAULT);
	for (i = 0; i < nr_vcpus; i++) {
		u32 mask = __atomic_load_n(&vcpus[i].claim_mask, __ATOMIC_ACQUIRE);
		int res = i == me ? -EFAULT : -EBUSY;

		if (i == me)
			mask &= ~(1U << CLAIM_ENTRIES);
		for (c = 0; c < NR_CLAIMS; c++) {
			if (!(mask & (1U << c)))
				continue;
			if (c == CLAIM_ENTRIES)
				claim_view_add_list(v, vcpus[i].entries, vcpus[i].nr_entries);
			else if (ranges_overlap(lo, hi - lo, vcpus[i].claims[c].gpa,
						vcpus[i].claims[c].size))
				claim_view_add(v, vcpus[i].claims[c].gpa, vcpus[i].claims[c].size,
					       res);
		}
	}
}

int claims_entries(u32 n, u32 *claimed)
{
	u32 me = self(), i;
	struct vcpu_state *s = &vcpus[me];
	u64 lo = ~0ULL, hi = 0;
	bool all_ram;
	int rc = 0;

	/* The hull of the list's pages; an end past 2^64 (refused below) counts as 2^64 - 1. */
	for (i = 0; i < n; i++) {
		u64 gpa = pagelist_gpa(s->entries[i]), end = gpa + pagelist_size(s->entries[i]);

		lo = MIN(lo, gpa);
		hi = MAX(hi, end < gpa ? ~0ULL : end);
	}
	/* Pages of one run of guest RAM (the usual list): one check covers them all. */
	all_ram = n && gmem_check(lo, hi - lo) == 0;
	spin_lock(&reg.lock);
	view_build(&s->view, me, lo, hi);
	for (i = 0; i < n; i++) {
		u64 gpa = pagelist_gpa(s->entries[i]), size = pagelist_size(s->entries[i]);

		/* SVSM memory, no RAM, MMIO, wrap-around, a GFN with the C-bit (far beyond
		 * RAM): -EFAULT. Entries of this list may name the same page twice. */
		if (!all_ram && gmem_check(gpa, size))
			rc = -EFAULT;
		else
			rc = claim_view_check(&s->view, gpa, size);
		if (rc)
			break;
	}
	s->nr_entries = i;
	if (i)
		__atomic_or_fetch(&s->claim_mask, 1U << CLAIM_ENTRIES, __ATOMIC_RELEASE);
	spin_unlock(&reg.lock);
	*claimed = i;
	return rc;
}

void claims_release_entries(void)
{
	/* Under the lock: no vCPU is reading the entry buffer when it is reused. */
	spin_lock(&reg.lock);
	release(CLAIM_ENTRIES);
	spin_unlock(&reg.lock);
}
