/*
 * Lookups in the SNP CPUID page the SVSM filled for us (ASEV section type 3; facts §7 "SNP
 * CPUID table"). The #VC handler answers CPUID from it, as an SNP guest must: the
 * hypervisor's answers are not trusted.
 */
#ifndef CSVSM_GUEST_CPUID_PAGE_H
#define CSVSM_GUEST_CPUID_PAGE_H

#include "lib/types.h"
#include "sev/cpuid.h"

/* 0 if the table's count is 1..64, else -EPROTO. */
int cpuid_page_check(void);

/* The entry for leaf/subleaf (subleaf ignored for leaves without one), or -ENOENT. */
int cpuid_page_lookup(u32 leaf, u32 subleaf, struct cpuid_result *r);

/* C-bit position, leaf 0x8000001f EBX[5:0], or -ENOENT. */
int cpuid_page_cbit(void);

#endif
