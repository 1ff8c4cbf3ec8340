/*
 * SNP CPUID table lookup over an arbitrary CPUID page: the input is the page (zero-padded
 * to 4 KiB), its last 24 bytes also the query. A hit must be an entry inside the table's
 * count that matches the query; every entry inside count must be found by its own key.
 */
/* fuzz-srcs: src/sev/cpuid.c */
#include <stdlib.h>
#include <string.h>
#include "lib/errno.h"
#include "sev/cpuid.h"

static bool same(const struct snp_cpuid_fn *fn, const struct cpuid_result *r)
{
	return fn->eax == r->eax && fn->ebx == r->ebx && fn->ecx == r->ecx && fn->edx == r->edx;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct snp_cpuid_table *t;
	struct cpuid_result r;
	u32 leaf = 0, subleaf = 0, i;
	u64 xcr0 = 0, xss = 0;
	int rc, check;

	if (!t && !(t = aligned_alloc(4096, 4096)))
		abort();
	memset(t, 0, 4096);
	memcpy(t, data, MIN(size, (size_t)4096));
	if (size >= 24) {
		const u8 *q = data + size - 24;

		memcpy(&leaf, q, 4);
		memcpy(&subleaf, q + 4, 4);
		memcpy(&xcr0, q + 8, 8);
		memcpy(&xss, q + 16, 8);
	}

	check = snp_cpuid_table_check(t);
	rc = snp_cpuid_lookup(t, leaf, subleaf, xcr0, xss, &r);
	if (check) {
		if (rc != -EPROTO || snp_cpuid_cbit(t) != -EPROTO)
			abort();
		return 0;
	}
	if (rc != 0 && rc != -ENOENT)
		abort();
	if (rc == 0) {
		for (i = 0; i < t->count; i++)
			if (t->fn[i].eax_in == leaf && same(&t->fn[i], &r))
				break;
		if (i == t->count)
			abort();
	}
	rc = snp_cpuid_cbit(t);
	if (rc != -ENOENT && (rc < 0 || rc > 63))
		abort();

	/* Each entry is found by its own key (possibly as an earlier duplicate). */
	for (i = 0; i < t->count; i++) {
		const struct snp_cpuid_fn *fn = &t->fn[i];

		if (snp_cpuid_lookup(t, fn->eax_in, fn->ecx_in, fn->xcr0_in, fn->xss_in, &r))
			abort();
	}
	return 0;
}
