// SPDX-License-Identifier: MIT
/*
 * SNP CPUID table check and lookup (include/sev/cpuid.h; SNP ABI #56860, CPUID page (SNP_CPUID)).
 * The table is the launch-validated CPUID page in SVSM memory: nobody else writes it, but its
 * contents come from the host and are checked before use (count bounded).
 */
#include "sev/cpuid.h"
#include "lib/errno.h"

#define CPUID_LEAF_XSAVE 0xd
#define CPUID_LEAF_SEV SNP_CPUID_LEAF_SEV

int snp_cpuid_table_check(const struct snp_cpuid_table *t)
{
	u32 count = t->count;

	return count >= 1 && count <= SNP_CPUID_MAX_ENTRIES ? 0 : -EPROTO;
}

bool snp_cpuid_leaf_has_subleaf(u32 leaf)
{
	switch (leaf) {
	case 0x4:
	case 0x7:
	case 0xb:
	case 0xd:
	case 0xf:
	case 0x10:
	case 0x12:
	case 0x14:
	case 0x17:
	case 0x18:
	case 0x1d:
	case 0x1e:
	case 0x1f:
	case 0x20:
	case 0x23:
	case 0x24:
	case 0x8000001d:
	case 0x80000020:
	case 0x80000026:
		return true;
	default:
		return false;
	}
}

static bool entry_matches(const struct snp_cpuid_fn *fn, u32 leaf, u32 subleaf, u64 xcr0, u64 xss)
{
	if (fn->eax_in != leaf)
		return false;
	if (!snp_cpuid_leaf_has_subleaf(leaf))
		return true;
	if (fn->ecx_in != subleaf)
		return false;
	/* XSAVE area sizes: 0xd.0 depends on XCR0, 0xd.1 on XCR0 | XSS. */
	if (leaf == CPUID_LEAF_XSAVE && subleaf == 0)
		return fn->xcr0_in == xcr0;
	if (leaf == CPUID_LEAF_XSAVE && subleaf == 1)
		return fn->xcr0_in == xcr0 && fn->xss_in == xss;
	return true;
}

int snp_cpuid_lookup(const struct snp_cpuid_table *t, u32 leaf, u32 subleaf, u64 xcr0, u64 xss,
		     struct cpuid_result *r)
{
	u32 count = t->count, i;

	if (count < 1 || count > SNP_CPUID_MAX_ENTRIES)
		return -EPROTO;
	for (i = 0; i < count; i++) {
		const struct snp_cpuid_fn *fn = &t->fn[i];

		if (!entry_matches(fn, leaf, subleaf, xcr0, xss))
			continue;
		r->eax = fn->eax;
		r->ebx = fn->ebx;
		r->ecx = fn->ecx;
		r->edx = fn->edx;
		return 0;
	}
	return -ENOENT;
}

int snp_cpuid_cbit(const struct snp_cpuid_table *t)
{
	struct cpuid_result r;
	int rc = snp_cpuid_lookup(t, CPUID_LEAF_SEV, 0, 0, 0, &r);

	return rc ? rc : (int)(r.ebx & 0x3f);
}

bool snp_cpuid_coherency_sfw_no(const struct snp_cpuid_table *t)
{
	struct cpuid_result r;

	return !snp_cpuid_lookup(t, CPUID_LEAF_SEV, 0, 0, 0, &r) && (r.ebx & BIT(31));
}
