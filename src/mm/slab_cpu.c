/* The SVSM's CPU index for SLAB's per-CPU fast path (include/mm/slab.h); host programs that
 * link slab.c define slab_cpu_id() themselves. With LTO this inlines into kmalloc/kfree. */
#include "arch/layout.h"
#include "arch/percpu.h"
#include "mm/slab.h"

_Static_assert(SLAB_MAX_CPUS >= SVSM_MAX_CPUS, "every vCPU gets the fast path");

unsigned int slab_cpu_id(void)
{
	return this_cpu()->index;
}
