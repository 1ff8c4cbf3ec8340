/*
 * svsm_main: the BSP's boot sequence, from start.S to every vCPU ready. Each step is a
 * module of its own; each failure inside one is a documented termination (README.md
 * "Termination reasons"), so a step that returns has succeeded.
 */
#include "arch/boot.h"
#include "arch/idt.h"
#include "arch/percpu.h"
#include "arch/smp.h"
#include "dev/platform.h"
#include "dev/serial.h"
#include "guest/launch.h"
#include "lib/log.h"
#include "mm/mem_init.h"
#include "mm/page_alloc.h"
#include "mm/paging.h"
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
	guest_launch(); /* 10. the guest firmware at VMPL1, the request loop */
}
