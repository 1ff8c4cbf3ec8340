/* SPDX-License-Identifier: MIT */
/*
 * The SNP CPUID page (SNP ABI #56860, CPUID page (SNP_CPUID)): the launch-validated list of CPUID
 * results the SVSM answers CPUID from, instead of asking the hypervisor.
 */
#ifndef CSVSM_SEV_CPUID_H
#define CSVSM_SEV_CPUID_H

#define SNP_CPUID_MAX_ENTRIES 64
/* Layout offsets for start.S, which reads the page before any C runs (checked below). */
#define SNP_CPUID_FN_OFFSET 0x10      /* the first entry, after count and reserved fields */
#define SNP_CPUID_FN_SIZE 0x30	      /* one entry */
#define SNP_CPUID_FN_EBX 0x1c	      /* an entry's EBX result */
#define SNP_CPUID_LEAF_SEV 0x8000001f /* EBX[5:0]: the C-bit position */

#ifndef __ASSEMBLY__

#include "lib/types.h"

struct snp_cpuid_fn {
	u32 eax_in;
	u32 ecx_in;
	u64 xcr0_in;
	u64 xss_in;
	u32 eax;
	u32 ebx;
	u32 ecx;
	u32 edx;
	u64 reserved;
} __packed;

struct snp_cpuid_table {
	u32 count;
	u32 reserved1;
	u64 reserved2;
	struct snp_cpuid_fn fn[SNP_CPUID_MAX_ENTRIES];
} __packed;

_Static_assert(sizeof(struct snp_cpuid_fn) == SNP_CPUID_FN_SIZE, "CPUID entry");
_Static_assert(__builtin_offsetof(struct snp_cpuid_fn, ebx) == SNP_CPUID_FN_EBX, "CPUID EBX");
_Static_assert(__builtin_offsetof(struct snp_cpuid_table, fn) == SNP_CPUID_FN_OFFSET, "CPUID fn");
_Static_assert(sizeof(struct snp_cpuid_table) <= 4096, "CPUID page");

struct cpuid_result {
	u32 eax;
	u32 ebx;
	u32 ecx;
	u32 edx;
};

/* Structural check: count 1..64. 0 or -EPROTO. */
int snp_cpuid_table_check(const struct snp_cpuid_table *t);

/* True for leaves whose result depends on the subleaf in ECX (4, 7, 0xb, 0xd, 0xf, 0x10, 0x12,
 * 0x14, 0x17, 0x18, 0x1d, 0x1e, 0x1f, 0x20, 0x23, 0x24, 0x8000001d, 0x80000020, 0x80000026). */
bool snp_cpuid_leaf_has_subleaf(u32 leaf);

/*
 * Look leaf/subleaf up; the first matching entry in table order is taken. The subleaf is
 * ignored for leaves without one. Leaf 0xd subleaves 0 and 1 report XSAVE sizes for the
 * features in use, so only an entry made for them matches: 0xd.0 needs xcr0_in == @xcr0,
 * 0xd.1 needs xcr0_in == @xcr0 and xss_in == @xss. -ENOENT if the table has no such entry,
 * -EPROTO if its count is out of range (the table is read, never trusted).
 */
int snp_cpuid_lookup(const struct snp_cpuid_table *t, u32 leaf, u32 subleaf, u64 xcr0, u64 xss,
		     struct cpuid_result *r);

/* C-bit position from leaf 0x8000001f EBX[5:0], or -ENOENT / -EPROTO as snp_cpuid_lookup. */
int snp_cpuid_cbit(const struct snp_cpuid_table *t);

/* Leaf 0x8000001f EBX[31], COHERENCY_SFW_NO (sev/evict.h); false if the table has no such
 * leaf or is malformed: then the mitigation is done. */
bool snp_cpuid_coherency_sfw_no(const struct snp_cpuid_table *t);

#endif /* __ASSEMBLY__ */

#endif
