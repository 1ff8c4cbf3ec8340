/* SPDX-License-Identifier: MIT */
/*
 * Exception fixups: code that may fault on purpose (guest-memory copies, src/guest/
 * gmem_copy.S) lists its instruction ranges in the .extable section with a fixup address.
 * A #VC 0x404 (page not validated) or #PF raised inside such a range resumes at the fixup
 * with RAX = -EFAULT instead of being fatal, the way Linux's uaccess exception table works.
 *
 * An entry is three quads: start, end (exclusive), fixup. linker.ld collects them between
 * __extable_start and __extable_end.
 */
#ifndef CSVSM_ARCH_EXTABLE_H
#define CSVSM_ARCH_EXTABLE_H

#include "lib/types.h"

struct extable_entry {
	u64 start, end, fixup;
};

struct trap_frame;

/* If @f's RIP lies in a listed range: RIP = its fixup, RAX = -EFAULT, true. */
bool extable_fixup(struct trap_frame *f);

/* How often a fixup was taken on this machine (all vCPUs). */
u64 extable_fixups_taken(void);

#endif
