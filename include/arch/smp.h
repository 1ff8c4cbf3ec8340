/* SPDX-License-Identifier: MIT */
/*
 * Step 9 of svsm_main: every vCPU up at VMPL0.
 *
 * APIC IDs come from the hypervisor's list (NAE 0x80000017) when it offers one (feature bit
 * 4), else they are 0..n-1 for the fw_cfg CPU count; the list must be consistent with that
 * count (15, TERM_BAD_HV_RESPONSE). Entry 0 is the BSP (QEMU and snpemu list vCPUs in
 * order). For each AP the BSP prepares per-CPU data and stacks, builds a VMPL0 VMSA (AMD
 * APM vol 2 #24593 table B-4; never on a 2 MiB-aligned page, AMD erratum 1467), sets its
 * VMSA bit with RMPADJUST (target VMPL1, attributes VMSA only, after a host PSMASH if the page
 * sits in a 2 MiB RMP entry — sev/rmp.h; failure 15, TERM_RMPADJUST / TERM_PSC) and starts it
 * with the AP creation NAE (refusal: 15, TERM_AP_CREATE). One AP at a time: the next starts
 * once the previous reported ready. Each AP registers its own GHCB (first: a fault report needs it), loads its
 * own GDT/TSS/IDT, reports ready and parks (hlt).
 */
#ifndef CSVSM_ARCH_SMP_H
#define CSVSM_ARCH_SMP_H

#include "lib/types.h"

void smp_init(void);

struct vmsa;
struct percpu;
/* Fill @v as the VMPL0 VMSA of vCPU @p starting at @rip: 64-bit, the SVSM's page tables,
 * p's GDT, TSS, stack and GS base, the shared IDT, sev_features as the BSP's (AMD APM vol 2 #24593,
 * appendix B, table B-4 (VMSA layout)). */
void smp_build_ap_vmsa(struct vmsa *v, const struct percpu *p, u64 rip);

/* A zeroed page for a VMSA, never 2 MiB aligned (AMD erratum 1467); NULL if out of memory. */
struct vmsa *smp_vmsa_alloc(void);

/*
 * Hand the filled VMSA @v to the hardware and the host for vCPU @apic_id at @vmpl: its VMSA
 * bit by RMPADJUST (after a host PSMASH if the page sits in a 2 MiB RMP entry), then the AP
 * creation NAE with v's sev_features. @v is not written after this. Any failure terminates
 * (15, TERM_PSC / TERM_RMPADJUST / TERM_AP_CREATE); @what names the VMSA in the message.
 */
void smp_vmsa_start(struct vmsa *v, u32 apic_id, unsigned int vmpl, const char *what);

/* On the AP itself, once its GHCB and descriptors are loaded: log it and report ready. */
void smp_ap_ready(struct percpu *p);

/* The AP's C entry (start.S svsm_ap_start; src/main.c). */
__attribute__((noreturn)) void ap_main(void);

#endif
