/*
 * PVALIDATE and RMPADJUST in their plain form, for the probe image and the test firmware
 * (tests/tlib/README.md). Encodings from facts §4, spelled as bytes. The conformance payload
 * runs these instructions under its exception probe instead
 * (tools/snpemu/tests/conformance/src/insn.h).
 *
 * Only the instructions are here: what the results mean (the result codes, the RMP rules) each
 * program states for itself, as the check it is.
 */
#ifndef TLIB_SNP_INSN_H
#define TLIB_SNP_INSN_H

#include "lib/types.h"

/*
 * PVALIDATE (F2 0F 01 FF): RAX = the page's virtual address, ECX = page size (0: 4 KiB,
 * 1: 2 MiB), EDX = 1 validate / 0 rescind. Returns EAX; *cf = CF (1: the RMP entry was
 * already in the requested state, nothing was done).
 */
static inline u32 pvalidate(u64 va, bool is_2m, bool validate, bool *cf)
{
	u64 rax = va;
	bool c;

	__asm__ __volatile__(".byte 0xf2, 0x0f, 0x01, 0xff"
			     : "+a"(rax), "=@ccc"(c)
			     : "c"((u64)is_2m), "d"((u64)validate)
			     : "memory");
	*cf = c;
	return (u32)rax;
}

/*
 * RMPADJUST (F3 0F 01 FE): RAX = the page's virtual address, RCX = page size (0: 4 KiB,
 * 1: 2 MiB), RDX = attributes (target VMPL [7:0], permissions [11:8], VMSA [16]). Returns EAX.
 */
static inline u32 rmpadjust(u64 va, bool is_2m, u64 attrs)
{
	u64 rax = va;

	__asm__ __volatile__(".byte 0xf3, 0x0f, 0x01, 0xfe"
			     : "+a"(rax)
			     : "c"((u64)is_2m), "d"(attrs)
			     : "memory", "cc");
	return (u32)rax;
}

#endif
