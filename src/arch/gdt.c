// SPDX-License-Identifier: MIT
/* GDT construction (APM vol. 2, 4.8: 64-bit system-segment descriptors are 16 bytes). */
#include "arch/gdt.h"

void gdt_build(u64 *gdt, const struct tss *tss)
{
	u64 base = (u64)(uintptr_t)tss;
	u64 limit = TSS_LIMIT;

	gdt[0] = 0;
	gdt[GDT_SEL_CODE / 8] = GDT_CODE64_DESC;
	/* Low qword: limit[15:0], base[23:0], type, P, limit[19:16], base[31:24]. */
	gdt[GDT_SEL_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
			       ((u64)TSS_TYPE_AVAILABLE << 40) | BIT_ULL(47) |
			       (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	/* High qword: base[63:32]. */
	gdt[GDT_SEL_TSS / 8 + 1] = base >> 32;
}
