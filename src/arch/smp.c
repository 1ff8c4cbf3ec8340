// SPDX-License-Identifier: MIT
/* Step 9 of svsm_main: start every AP (include/arch/smp.h). */
#include "arch/smp.h"
#include "arch/idt.h"
#include "arch/insn.h"
#include "arch/layout.h"
#include "arch/percpu.h"
#include "arch/percpu_setup.h"
#include "arch/x86.h"
#include "dev/platform.h"
#include "lib/format.h"
#include "lib/log.h"
#include "mm/mem_init.h"
#include "mm/page_alloc.h"
#include "mm/paging.h"
#include "sev/boot_checks.h"
#include "sev/ghcb_nae.h"
#include "sev/ghcb_setup.h"
#include "sev/rmp.h"
#include "sev/sev_status.h"
#include "sev/terminate.h"
#include "sev/vmsa.h"

extern char svsm_ap_start[]; /* start.S */

static u32 apic_ids[SVSM_MAX_CPUS];
static unsigned int nr_cpus;

static void log_ready(const struct percpu *p)
{
	log_info("vCPU %u ready (APIC ID %u)", p->index, p->apic_id);
}

static bool ids_unique(const u32 *ids, u32 n)
{
	u32 i, j;

	for (i = 0; i < n; i++) {
		for (j = i + 1; j < n; j++) {
			if (ids[i] == ids[j])
				return false;
		}
	}
	return true;
}

/* From the hypervisor's list when it offers one; it must agree with fw_cfg's count. */
static void collect_apic_ids(void)
{
	unsigned int expected = platform_nr_cpus();
	u64 gpa;
	void *page;
	u32 n, i;
	int rc;

	if (!(sev_hv_features() & GHCB_HV_FT_APIC_ID_LIST)) {
		for (i = 0; i < expected; i++)
			apic_ids[i] = i;
		nr_cpus = expected;
		return;
	}
	page = shared_page_alloc(&gpa);
	if (!page)
		fatal(TERM_NOMEM, "no shared page for the APIC ID list");
	rc = ghcb_get_apic_ids(page, gpa, apic_ids, SVSM_MAX_CPUS, &n);
	if (rc)
		fatal(TERM_BAD_HV_RESPONSE, "the hypervisor's APIC ID list is unusable (%d)", rc);
	if (n != expected || !ids_unique(apic_ids, n))
		fatal(TERM_BAD_HV_RESPONSE,
		      "the APIC ID list (%u entries) disagrees with fw_cfg (%u vCPUs) or repeats "
		      "an ID",
		      n, expected);
	nr_cpus = n;
}

/* Two pages, the VMSA in the second: an 8 KiB-aligned block's second page is never 2 MiB
 * aligned (AMD erratum 1467, as edk2 UefiCpuPkg MpInitLib notes). The first page stays unused. */
struct vmsa *smp_vmsa_alloc(void)
{
	u8 *block = page_zalloc(1);

	return block ? (struct vmsa *)(block + PAGE_SIZE) : NULL;
}

void smp_vmsa_start(struct vmsa *v, u32 apic_id, unsigned int vmpl, const char *what)
{
	u64 err;
	int rc;

	/* From here on the page belongs to the hardware: no more writes to it. RMPADJUST from
	 * VMPL0 targets a lower-privileged VMPL (1); the VMSA bit is the page's. */
	rc = rmp_adjust_4k(v, RMP_ATTR_VMSA | 1);
	if (rc < 0)
		fatal(TERM_PSC, "PSMASH for %s page failed (%d)", what, rc);
	if (rc)
		fatal(TERM_RMPADJUST, "RMPADJUST (VMSA) of %s failed (%d)", what, rc);
	rc = ghcb_ap_create_vmpl(apic_id, vmpl, svsm_va_to_pa(v), v->sev_features, &err);
	if (rc)
		fatal(TERM_AP_CREATE, "the hypervisor refused %s (APIC ID %u, VMPL %u): %#llx",
		      what, apic_id, vmpl, (unsigned long long)err);
}

void smp_build_ap_vmsa(struct vmsa *v, const struct percpu *p, u64 rip)
{
	struct vmsa_ap_params a = {
		.rip = rip,
		.rsp = p->stack_hi,
		.gs_base = (u64)(uintptr_t)p,
		.cr3 = paging_cr3(),
		.gdt_base = (u64)(uintptr_t)p->gdt,
		.gdt_limit = sizeof(p->gdt) - 1,
		.idt_base = idt_base(),
		.idt_limit = idt_limit(),
		.tss_base = (u64)(uintptr_t)&p->tss,
		.cs_sel = GDT_SEL_CODE,
		.tr_sel = GDT_SEL_TSS,
		.cs_desc = GDT_CODE64_DESC,
		.efer = SVSM_EFER,
		.cr0 = SVSM_CR0,
		.cr4 = SVSM_CR4,
		.sev_features = sev_status_to_features(sev_status()),
	};

	vmsa_init_ap(v, &a);
}

static void start_ap(unsigned int index, u32 apic_id)
{
	char what[32];
	struct percpu *p;
	struct vmsa *v;

	if (percpu_prepare_ap(&p, index, apic_id))
		fatal(TERM_NOMEM, "no memory for vCPU %u", index);
	v = smp_vmsa_alloc();
	if (!v)
		fatal(TERM_NOMEM, "no memory for vCPU %u's VMSA", index);
	smp_build_ap_vmsa(v, p, (u64)(uintptr_t)svsm_ap_start);
	p->vmsa = v;
	fmt_snprintf(what, sizeof(what), "vCPU %u's VMSA", index);
	smp_vmsa_start(v, apic_id, 0, what);
	/* The host may delay an AP, never skip it unnoticed: waiting is the only safe option. */
	while (!READ_ONCE(p->ready))
		cpu_relax();
}

void smp_init(void)
{
	unsigned int i;

	collect_apic_ids();
	bsp_percpu.apic_id = apic_ids[0];
	log_ready(&bsp_percpu);
	for (i = 1; i < nr_cpus; i++)
		start_ap(i, apic_ids[i]);
	log_info("smp: %u vCPU%s ready", nr_cpus, nr_cpus == 1 ? "" : "s");
}

void smp_ap_ready(struct percpu *p)
{
	log_ready(p);
	WRITE_ONCE(p->ready, 1);
}
