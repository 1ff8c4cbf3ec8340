/*
 * Which guest-physical addresses a request may name (pure C, host-tested): guest RAM as the
 * host's e820 map describes it, never SVSM memory, never an address range that wraps. MMIO
 * and everything else that is not RAM is refused because it is not in a RAM entry. The host
 * writes the e820 map, so the SVSM's own range is refused explicitly too, and the pages
 * themselves are still probed before the SVSM touches them (guest/gmem.h).
 */
#ifndef CSVSM_GUEST_MEMRANGE_H
#define CSVSM_GUEST_MEMRANGE_H

#include "dev/fwcfg.h"
#include "lib/types.h"

struct guest_ram {
	const struct e820_entry *map;
	size_t n;
	u64 svsm_start, svsm_size; /* excluded: SVSM memory */
};

/*
 * 0 if [gpa, gpa + len) (len > 0) is covered by RAM entries of the map (adjacent entries
 * count as one) and does not touch SVSM memory; -EOVERFLOW if it wraps past 2^64, -EFAULT
 * otherwise (not RAM, SVSM memory, len 0).
 */
int guest_ram_check(const struct guest_ram *r, u64 gpa, u64 len);

/* True if [a, a + alen) and [b, b + blen) overlap (lengths > 0, no wrap-around). */
static inline bool ranges_overlap(u64 a, u64 alen, u64 b, u64 blen)
{
	return a < b + blen && b < a + alen;
}

#endif
