// SPDX-License-Identifier: MIT
/*
 * Setting up per-CPU data (include/arch/percpu_setup.h): the BSP's descriptor tables and #DF
 * stack, the AP blocks the BSP prepares, and the tables each vCPU loads for itself.
 */
#include "arch/percpu_setup.h"
#include "arch/idt.h"
#include "arch/x86.h"
#include "lib/errno.h"
#include "lib/log.h"
#include "mm/mem_init.h"
#include "mm/page_alloc.h"
#include "mm/paging.h"
#include "mm/kmalloc.h"
#include "sev/terminate.h"

/* The #DF stack: its own page with a guard below, so a stack overflow still gets a report. */
static int alloc_ist(struct percpu *p)
{
	u64 bottom;
	u64 top = paging_alloc_stack(IST_STACK_SIZE, &bottom);

	if (!top)
		return -ENOMEM;
	p->tss.ist[IST_DF - 1] = top;
	p->tss.iomap_base = sizeof(struct tss); /* no I/O permission bitmap */
	p->ist_lo = bottom;
	p->ist_hi = top;
	return 0;
}

void percpu_load_descriptors(struct percpu *p)
{
	struct desc_ptr gdtr = { .limit = sizeof(p->gdt) - 1, .base = (u64)(uintptr_t)p->gdt };

	lgdt(&gdtr);
	load_cs(GDT_SEL_CODE);
	ltr(GDT_SEL_TSS);
	idt_load();
}

void percpu_init_bsp(void)
{
	struct percpu *p = &bsp_percpu;

	if (alloc_ist(p))
		fatal(TERM_NOMEM, "no memory for the BSP's #DF stack");
	gdt_build(p->gdt, &p->tss);
	percpu_load_descriptors(p);
	/* GS already points here (start.S); make sure it still does. */
	wrmsr(MSR_GS_BASE, (u64)(uintptr_t)p);
	idt_set_ist(X86_TRAP_DF, IST_DF);
	p->ready = 1;
	log_info("percpu: GDT, TSS with #DF stack, GS base %p", (void *)p);
}

int percpu_prepare_ap(struct percpu **out, unsigned int index, u32 apic_id)
{
	struct percpu *p;
	u64 bottom, top;

	if (index >= SVSM_MAX_CPUS || index != percpu_count())
		return -EINVAL;
	p = kzalloc(sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->self = p;
	p->index = index;
	p->apic_id = apic_id;
	top = paging_alloc_stack(CPU_STACK_SIZE, &bottom);
	p->ghcb_backup = page_zalloc(0);
	p->ghcb = shared_page_alloc(&p->ghcb_gpa);
	if (!top || !p->ghcb_backup || !p->ghcb || alloc_ist(p))
		return -ENOMEM; /* fatal for the caller: nothing to give back */
	p->stack_lo = bottom;
	p->stack_hi = top;
	gdt_build(p->gdt, &p->tss);
	if (percpu_add(p))
		return -EINVAL;
	*out = p;
	return 0;
}
