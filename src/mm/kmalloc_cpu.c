// SPDX-License-Identifier: MIT
/* The SVSM's CPU index for kmalloc's per-CPU fast path (include/mm/kmalloc.h); host programs
 * that link kmalloc.c define kmalloc_cpu_id() themselves. With LTO this inlines into
 * kmalloc/kfree. */
#include "arch/layout.h"
#include "arch/percpu.h"
#include "mm/kmalloc.h"

_Static_assert(KMALLOC_MAX_CPUS >= SVSM_MAX_CPUS, "every vCPU gets the fast path");

unsigned int kmalloc_cpu_id(void)
{
	return this_cpu()->index;
}
