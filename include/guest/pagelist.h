/* SPDX-License-Identifier: MIT */
/*
 * A page list: the guest pages one call works on, one u64 each: bits 63:12 the page's GPA,
 * bits 1:0 its size (0: 4 KiB, 1: 2 MiB), the other bits ignored. It is the layout of the
 * SVSM core protocol's PVALIDATE entry (SVSM spec #58019, SVSM_CORE_PVALIDATE), so a
 * checked request is a page list as it stands (protocol/pvalidate_req.h asserts it).
 */
#ifndef CSVSM_GUEST_PAGELIST_H
#define CSVSM_GUEST_PAGELIST_H

#include "lib/types.h"

#define PAGELIST_GPA_MASK GENMASK_ULL(63, 12)
#define PAGELIST_SIZE_MASK 0x3ULL
#define PAGELIST_SIZE_2M 1

static inline u64 pagelist_gpa(u64 e)
{
	return e & PAGELIST_GPA_MASK;
}

static inline bool pagelist_is_2m(u64 e)
{
	return (e & PAGELIST_SIZE_MASK) == PAGELIST_SIZE_2M;
}

static inline u64 pagelist_size(u64 e)
{
	return pagelist_is_2m(e) ? PAGE_2M_SIZE : PAGE_SIZE;
}

#endif
