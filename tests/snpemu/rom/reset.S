/*
 * snpemu reset ROM (QEMU -bios): [L1 image][this 64 KiB stub]. At reset the stub switches
 * to 32-bit protected mode, copies the L1 image from the ROM to 1 MiB and jumps to it.
 * Built with -DL1_SIZE (bytes, multiple of 4) and -DROM_SIZE (whole ROM).
 */
#define SEG_BASE 0xffff0000

	.code16
	.text
	.globl _start
_start:
	cli
	cld
	lgdtl	%cs:gdt_desc
	movl	%cr0, %eax
	orl	$1, %eax
	movl	%eax, %cr0
	ljmpl	$0x08, $(pm32 + SEG_BASE)
	.code32
pm32:
	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movl	$(0x100000000 - ROM_SIZE), %esi
	movl	$0x100000, %edi
	movl	$(L1_SIZE / 4), %ecx
	rep movsl
	movl	$0x100000, %eax
	jmp	*%eax

	.balign 8
gdt:
	.quad	0
	.quad	0x00cf9a000000ffff
	.quad	0x00cf92000000ffff
gdt_end:
gdt_desc:
	.word	gdt_end - gdt - 1
	.long	gdt + SEG_BASE

	.section .resetvec, "ax"
	.code16
	jmp	_start
	.balign 16, 0xf4
