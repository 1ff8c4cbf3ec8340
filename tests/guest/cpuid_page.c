/* SNP CPUID page lookups (see cpuid_page.h). */
#include "cpuid_page.h"
#include "layout.h"
#include "lib/errno.h"

static const volatile struct snp_cpuid_table *table(void)
{
	return (const volatile struct snp_cpuid_table *)(uintptr_t)CPUID_PAGE_GPA;
}

int cpuid_page_check(void)
{
	u32 n = table()->count;

	return n >= 1 && n <= SNP_CPUID_MAX_ENTRIES ? 0 : -EPROTO;
}

/* Leaves whose output depends on ECX (the list in include/sev/cpuid.h). */
static bool has_subleaf(u32 leaf)
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

int cpuid_page_lookup(u32 leaf, u32 subleaf, struct cpuid_result *r)
{
	const volatile struct snp_cpuid_table *t = table();
	u32 n = t->count;

	if (n > SNP_CPUID_MAX_ENTRIES)
		return -ENOENT;
	for (u32 i = 0; i < n; i++) {
		const volatile struct snp_cpuid_fn *f = &t->fn[i];

		if (f->eax_in != leaf || (has_subleaf(leaf) && f->ecx_in != subleaf))
			continue;
		r->eax = f->eax;
		r->ebx = f->ebx;
		r->ecx = f->ecx;
		r->edx = f->edx;
		return 0;
	}
	return -ENOENT;
}

int cpuid_page_cbit(void)
{
	struct cpuid_result r;

	if (cpuid_page_lookup(0x8000001f, 0, &r))
		return -ENOENT;
	return (int)(r.ebx & 0x3f);
}
