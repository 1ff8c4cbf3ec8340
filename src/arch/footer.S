/* SPDX-License-Identifier: MIT */
/*
 * The end of svsm.bin: the SVSM metadata structure and the GUID table the launcher reads
 * backwards from the end of the file (README.md "svsm.bin image format"; [L] image layout).
 *
 *   [SVSM metadata][INFO data (86)][u16][INFO GUID][u32 offset][u16][metadata GUID]
 *   [u16 table_len][envelope GUID] <EOF>
 *
 * Everything is assembled from symbols, so the numbers cannot drift from the code: the
 * linker resolves addresses, and linker.ld asserts that this table ends the file.
 * tests/svsm/footer.test.sh parses it back and compares it with the ELF symbols.
 */
#include "arch/layout.h"
#include "arch/x86.h"

#define GPA(sym) ((sym) - SVSM_GVA + SVSM_GPA)

/* A GUID in UEFI byte order: the first three fields little-endian, the rest as bytes. */
.macro GUID a, b, c, d0, d1, d2, d3, d4, d5, d6, d7
	.long	\a
	.word	\b, \c
	.byte	\d0, \d1, \d2, \d3, \d4, \d5, \d6, \d7
.endm

/* Section types of the SVSM metadata. */
#define SVSM_SECTION_SECRETS 2
#define SVSM_SECTION_CPUID 3
#define SVSM_SECTION_BIOS_VMSA 5

	.section .footer, "a"

svsm_metadata:
	.long	0x4d535653			/* "SVSM" */
	.long	.Lmetadata_end - svsm_metadata	/* header + sections */
	.long	1				/* version */
	.long	3				/* sections */
	.quad	GPA(__secrets_page)
	.long	4096, SVSM_SECTION_SECRETS
	.quad	GPA(__cpuid_page)
	.long	4096, SVSM_SECTION_CPUID
	.quad	GPA(__bios_vmsa_page)
	.long	4096, SVSM_SECTION_BIOS_VMSA
.Lmetadata_end:

.Ltable_start:
	/* SVSM INFO: 86 bytes, packed (field offsets in the README table). */
.Linfo:
	.quad	SVSM_GPA			/* 0x00 load GPA */
	.quad	SVSM_MEM			/* 0x08 SVSM memory size */
	.quad	GPA(early_pml4) + (1 << SVSM_CBIT) /* 0x10 initial CR3 */
	.quad	boot_gdt			/* 0x18 GDT base */
	.word	BOOT_GDT_LIMIT			/* 0x20 GDT limit */
	.quad	0				/* 0x22 IDT base: none until svsm_main sets one */
	.word	0				/* 0x2a IDT limit */
	.word	GDT_SEL_CODE			/* 0x2c CS selector */
	.quad	GDT_CODE64_DESC			/* 0x2e CS descriptor */
	.quad	svsm_start			/* 0x36 BSP RIP */
	.quad	SVSM_EFER			/* 0x3e EFER */
	.quad	SVSM_CR0			/* 0x46 CR0 */
	.quad	SVSM_CR4			/* 0x4e CR4 */
.Linfo_end:
	.if	.Linfo_end - .Linfo != 86
	.error	"SVSM INFO must be 86 bytes"
	.endif
	.word	.Linfo_end - .Linfo + 18
	GUID	0xa789a612, 0x0597, 0x4c4b, 0xa4, 0x9f, 0xcb, 0xb1, 0xfe, 0x9d, 0x1d, 0xdd

	/* SVSM metadata offset: from the end of the file back to svsm_metadata. */
	.long	svsm_footer_end - svsm_metadata
	.word	4 + 18
	GUID	0xbe30189b, 0xab44, 0x4a97, 0x82, 0xdd, 0xea, 0x81, 0x39, 0x41, 0x04, 0x7e

	/* Envelope: table_len counts every entry, this u16 and the envelope GUID. */
	.word	svsm_footer_end - .Ltable_start
	GUID	0x81384fea, 0xad48, 0x4eb6, 0xaf, 0x4f, 0x6a, 0xc4, 0x93, 0x16, 0xdf, 0x2b

	.globl	svsm_footer_end
svsm_footer_end:

	.section .note.GNU-stack, "", @progbits
