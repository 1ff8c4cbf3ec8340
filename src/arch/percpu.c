// SPDX-License-Identifier: MIT
/*
 * Per-CPU data (include/arch/percpu.h): the BSP's static block and the table of every vCPU's.
 * Only accessors: setting a block up is arch/percpu_setup.c's, so that the log, the allocator
 * and the GHCB code can reach this_cpu() without depending on what sets it up.
 */
#include "arch/percpu.h"
#include "lib/errno.h"

extern char boot_stack_bottom[], boot_stack_top[]; /* start.S */

/* Static, so that GS can point at it before svsm_main runs (start.S). */
struct percpu bsp_percpu = {
	.self = &bsp_percpu,
	.index = 0,
	.stack_lo = (u64)(uintptr_t)boot_stack_bottom,
	.stack_hi = (u64)(uintptr_t)boot_stack_top,
};

static struct percpu *percpu_table[SVSM_MAX_CPUS] = { &bsp_percpu };
static unsigned int nr_percpu = 1;

unsigned int percpu_count(void)
{
	return READ_ONCE(nr_percpu);
}

struct percpu *percpu_get(unsigned int index)
{
	return index < percpu_count() ? percpu_table[index] : NULL;
}

int percpu_add(struct percpu *p)
{
	unsigned int index = percpu_count();

	if (index >= SVSM_MAX_CPUS || p->index != index)
		return -EINVAL;
	percpu_table[index] = p;
	WRITE_ONCE(nr_percpu, index + 1);
	return 0;
}
