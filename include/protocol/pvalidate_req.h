/* SPDX-License-Identifier: MIT */
/*
 * The core PVALIDATE request (SVSM spec #58019, PVALIDATE request): parsing and checking, pure C
 * (host-tested and fuzzed). The caller copies the request out of guest memory into SVSM memory
 * first (another vCPU can change it) and checks only the copy.
 *
 *   RCX = GPA of { u16 entries; u16 next; u8 reserved[4]; u64 entry[entries]; }, 8-byte
 *   aligned, header and entries within one 4 KiB page. Entry: [1:0] page size (0 4 KiB,
 *   1 2 MiB), bit 2 validate (else rescind), bit 3 ignore_CF, [11:4] reserved (0), [63:12]
 *   GFN (2 MiB entries: GFN bits [20:12] zero).
 *
 * Every malformed request is SVSM_ERR_INVALID_PARAMETER and nothing is done (SVSM spec #58019:
 * entries != 0, next < entries, the request within the page; [C] checks the reserved bits).
 */
#ifndef CSVSM_PROTOCOL_PVALIDATE_REQ_H
#define CSVSM_PROTOCOL_PVALIDATE_REQ_H

#include "guest/pagelist.h"
#include "lib/types.h"

struct pvalidate_hdr {
	u16 entries;
	u16 next;
	u8 reserved[4];
} __packed;

#define PVALIDATE_HDR_SIZE 8
#define PVALIDATE_NEXT_OFFSET 2
#define PVALIDATE_ENTRY_SIZE 8
/* Entries after a header at the start of a page: (4096 - 8) / 8. */
#define PVALIDATE_MAX_ENTRIES 511

#define PVALIDATE_E_SIZE_MASK 0x3ULL
#define PVALIDATE_E_SIZE_4K 0
#define PVALIDATE_E_SIZE_2M 1
#define PVALIDATE_E_VALIDATE BIT_ULL(2)
#define PVALIDATE_E_IGNORE_CF BIT_ULL(3)
#define PVALIDATE_E_RESERVED GENMASK_ULL(11, 4)
#define PVALIDATE_E_GFN_MASK GENMASK_ULL(63, 12)

/* A checked request's entries are a page list as they stand (guest/claims.h claims them). */
_Static_assert(PVALIDATE_E_GFN_MASK == PAGELIST_GPA_MASK &&
		       PVALIDATE_E_SIZE_MASK == PAGELIST_SIZE_MASK &&
		       PVALIDATE_E_SIZE_2M == PAGELIST_SIZE_2M,
	       "a PVALIDATE entry is a page-list entry");

struct pvalidate_entry {
	u64 gpa;
	bool is_2m;
	bool validate;
	bool ignore_cf;
};

/* The request address: 8-byte aligned (SPEC-T: misaligned input is INVALID_PARAMETER). */
u32 pvalidate_req_check_gpa(u64 gpa);

/*
 * The header copied from @gpa: entries != 0, next < entries, and header plus every entry
 * inside @gpa's page. SVSM_SUCCESS or SVSM_ERR_INVALID_PARAMETER.
 */
u32 pvalidate_req_check_hdr(u64 gpa, const struct pvalidate_hdr *h);

/* Decode one entry: false if its reserved bits are set, its size is not 4 KiB or 2 MiB, or a
 * 2 MiB entry's GFN is not 2 MiB aligned. (Inline: it runs several times per entry.) */
static inline bool pvalidate_entry_decode(u64 raw, struct pvalidate_entry *e)
{
	u64 size = raw & PVALIDATE_E_SIZE_MASK;

	e->gpa = raw & PVALIDATE_E_GFN_MASK;
	e->is_2m = size == PVALIDATE_E_SIZE_2M;
	e->validate = raw & PVALIDATE_E_VALIDATE;
	e->ignore_cf = raw & PVALIDATE_E_IGNORE_CF;
	if (raw & PVALIDATE_E_RESERVED)
		return false;
	if (size != PVALIDATE_E_SIZE_4K && size != PVALIDATE_E_SIZE_2M)
		return false;
	return !e->is_2m || IS_ALIGNED(e->gpa, PAGE_2M_SIZE);
}

/* Check @n copied entries: SVSM_SUCCESS if every one decodes, else INVALID_PARAMETER. */
u32 pvalidate_req_check_entries(const u64 *raw, u32 n);

#endif
