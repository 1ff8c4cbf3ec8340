// SPDX-License-Identifier: MIT
/* Exception fixups (include/arch/extable.h). */
#include "arch/extable.h"
#include "arch/exception.h"
#include "lib/errno.h"

extern const struct extable_entry __extable_start[], __extable_end[];

static u64 taken;

bool extable_fixup(struct trap_frame *f)
{
	const struct extable_entry *e;

	for (e = __extable_start; e < __extable_end; e++) {
		if (f->rip >= e->start && f->rip < e->end) {
			f->rip = e->fixup;
			f->rax = (u64)(s64)-EFAULT;
			__atomic_fetch_add(&taken, 1, __ATOMIC_RELAXED);
			return true;
		}
	}
	return false;
}

u64 extable_fixups_taken(void)
{
	return __atomic_load_n(&taken, __ATOMIC_RELAXED);
}
