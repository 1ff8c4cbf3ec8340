/* SPDX-License-Identifier: MIT */
/*
 * Which guest-physical addresses a request may name (pure C, host-tested): guest RAM as the
 * host's e820 map describes it, never SVSM memory, never an address range that wraps. MMIO
 * and everything else that is not RAM is refused because it is not in a RAM entry. The host
 * writes the e820 map, so the SVSM's own range is cut out explicitly too, and the pages
 * themselves are still probed before the SVSM touches them (guest/gmem.h).
 *
 * guest_ram_init() turns the map into sorted, merged ranges once (adjacent and overlapping RAM
 * entries become one range; entries that wrap past 2^64 are ignored); every check is then a
 * short scan (one range on a typical guest).
 */
#ifndef CSVSM_GUEST_MEMRANGE_H
#define CSVSM_GUEST_MEMRANGE_H

#include "dev/fwcfg.h"
#include "lib/types.h"

#define GUEST_RAM_MAX_RANGES 160

struct guest_ram {
	u32 n;
	struct {
		u64 start, end; /* [start, end) */
	} r[GUEST_RAM_MAX_RANGES];
};

/* 0, or -E2BIG if the map has more RAM ranges than fit. */
int guest_ram_init(struct guest_ram *ram, const struct e820_entry *map, size_t n, u64 svsm_start,
		   u64 svsm_size);

/*
 * 0 if [gpa, gpa + len) (len > 0) lies in one RAM range; -EOVERFLOW if it wraps past 2^64,
 * -EFAULT otherwise (not RAM, SVSM memory, len 0).
 */
int guest_ram_check(const struct guest_ram *ram, u64 gpa, u64 len);

/* True if [a, a + alen) and [b, b + blen) overlap (lengths > 0, no wrap-around). */
static inline bool ranges_overlap(u64 a, u64 alen, u64 b, u64 blen)
{
	return a < b + blen && b < a + alen;
}

#endif
