/*
 * snpemu reset ROM (QEMU -bios): [L1 image][this 64 KiB stub]. At reset the stub switches
 * to 32-bit protected mode, copies the L1 image from the ROM to 1 MiB and jumps to it.
 * Built with -DL1_SIZE (bytes, multiple of 4) and -DROM_SIZE (whole ROM).
 */
#include "tlib/asm.inc"

#define SEG_BASE 0xffff0000

	.code16
	.text
	.globl _start
_start:
	cli
	cld
	lgdtl	%cs:gdt_desc
	ENTER_PROTECTED_MODE (pm32 + SEG_BASE)
	.code32
pm32:
	LOAD_DATA_SEGMENTS
	movl	$(0x100000000 - ROM_SIZE), %esi
	movl	$0x100000, %edi
	movl	$(L1_SIZE / 4), %ecx
	rep movsl
	movl	$0x100000, %eax
	jmp	*%eax

	GDT32 (gdt + SEG_BASE)

	.section .resetvec, "ax"
	.code16
	jmp	_start
	.balign 16, 0xf4
