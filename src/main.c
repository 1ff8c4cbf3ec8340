// SPDX-License-Identifier: MIT
/*
 * svsm_main: the BSP's boot sequence, from start.S to every vCPU ready, then the steady state:
 * the guest launched and the request loop. ap_main: the same for each AP. Each step is a
 * module of its own; each failure inside one is a documented termination (README.md
 * "Termination reasons"), so a step that returns has succeeded. Only this file calls both the
 * boot modules and the protocol (protocol/loop.h), so nothing below it calls up into protocol/.
 */
#include "arch/boot.h"
#include "arch/idt.h"
#include "arch/percpu.h"
#include "arch/percpu_setup.h"
#include "arch/smp.h"
#include "dev/platform.h"
#include "dev/serial.h"
#include "guest/launch.h"
#include "lib/log.h"
#include "mm/mem_init.h"
#include "mm/page_alloc.h"
#include "mm/paging.h"
#include "protocol/loop.h"
#include "sev/boot_checks.h"
#include "sev/ghcb_setup.h"
#include "sev/sev_status.h"
#include "sev/terminate.h"

static void boot_summary(void)
{
	const struct mem_stats *m = mem_init_stats();
	char features[160];

	sev_status_describe(sev_status(), features, sizeof(features));
	log_info("boot summary:");
	log_info("  memory: SVSM at %#llx, %llu MiB; %llu MiB dynamic, %zu KiB free",
		 (unsigned long long)SVSM_GPA, (unsigned long long)(SVSM_MEM >> 20),
		 (unsigned long long)(m->dyn_bytes >> 20), page_alloc_free_pages() * 4);
	log_info("  validation: %u PSC exits, %u PVALIDATE 2M, %u PVALIDATE 4K", m->psc_exits,
		 m->pvalidate_2m, m->pvalidate_4k);
	log_info("  vCPUs: %u", percpu_count());
	log_info("  SEV features: %#llx (%s)", (unsigned long long)sev_status(), features);
	log_info("  hypervisor features: %#llx, GHCB protocol %u",
		 (unsigned long long)sev_hv_features(), sev_ghcb_version());
}

__noreturn void svsm_main(void)
{
	boot_checks();	       /* 1. VMPL0, SEV features, image layout */
	idt_init();	       /* 2. exception handlers */
	ghcb_setup_bsp();      /* 3. GHCB protocol, the BSP's GHCB; #VC works */
	mem_init();	       /* 4. SVSM memory private, validated, allocatable */
	paging_init();	       /* 5. the SVSM's own page tables */
	percpu_init_bsp();     /* 6. GDT, TSS with IST stacks, GS */
	serial_console_init(); /* 7. the console (earlier lines were buffered) */
	platform_probe();      /* 8. fw_cfg: CPU count, e820 */
	smp_init();	       /* 9. every AP started, each reports ready */
	boot_summary();
	guest_launch(); /* 10. the guest firmware ready to run at VMPL1 */
	request_loop(); /* 11. its first run-VMPL starts the firmware */
}

/* The AP's C entry (start.S svsm_ap_start), on the stack and GS base smp_init gave it. */
__noreturn void ap_main(void)
{
	struct percpu *p = this_cpu();

	/* The GHCB first: the VMSA has loaded this vCPU's GDT, TSS and IDT already, so a fault
	 * from here on is reported, and the report goes through the GHCB, which must be
	 * registered (using an unregistered one, the host stops the guest instead). */
	ghcb_register_this_cpu();
	percpu_load_descriptors(p);
	smp_ap_ready(p);
	/* The request loop parks this vCPU (hlt) until its VMPL1 exists and calls. */
	request_loop();
}
