/* SPDX-License-Identifier: MIT */
/*
 * PVALIDATE to "validated", followed by the SNP cache-line eviction where the processor
 * needs it: every path of csvsm that validates a page does it through snp_validate().
 *
 * CVE-2025-38560 (AMD-SB-3022; Linux commit 7b306dfa326f "x86/sev: Evict cache lines during
 * SNP memory validation"): on a processor without COHERENCY_SFW_NO (CPUID Fn8000_001F
 * EBX[31]), cache lines of a page from before its page state change to private may outlive
 * the change. Software that validates the page must read the first and the last byte of each
 * of its 4 KiB pages through its private mapping before the page is used; rescinding needs
 * nothing. The bit is read from the SNP CPUID page (launch-validated, SNP ABI #56860, CPUID page),
 * never asked of the hypervisor; a page without the leaf means "not known to be safe": evict.
 */
#ifndef CSVSM_SEV_EVICT_H
#define CSVSM_SEV_EVICT_H

#include "lib/types.h"

/* Read COHERENCY_SFW_NO from the CPUID page (boot_checks, before the first validation). */
void snp_evict_init(void);

/* True when validated pages get the eviction reads (COHERENCY_SFW_NO clear). */
bool snp_evict_needed(void);

/*
 * PVALIDATE(validate) of the 4 KiB or 2 MiB page mapped at @va (arch/insn.h pvalidate()'s
 * results). If it validated the page (EAX 0, CF 0) and the processor needs it, the first and
 * last byte of each 4 KiB page are read before this returns: -EFAULT if a read faulted (the
 * host unvalidated the page meanwhile). A page that was validated already (CF 1) is not
 * touched.
 */
int snp_validate(void *va, bool size_2m, bool *unchanged);

/* The reads alone, under the exception table (src/sev/evict_touch.S): 0 or -EFAULT. */
int snp_evict_touch(const void *va, unsigned long pages);

#endif
