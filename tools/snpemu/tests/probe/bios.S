/*
 * A 64 KiB VMPL1 "firmware" for the snpemu tests. From the reset state (real mode, CS base
 * 0xffff0000) it calls VMPL0 through the MSR form of run-VMPL: RAX = 0xb105, then
 * RAX = (VMPL0's answer) + 1; then it enters 32-bit protected mode with an IDT and runs
 * CPUID, whose #VC handler calls VMPL0 with RAX = 0x32000 | error code. Everything it
 * touches is private (paging stays off).
 */
#include "tlib/asm.inc"

#define BASE 0xffff0000
	.code16
	.text
start:
	movl	$0xc0010130, %ecx
	movl	$0x016, %eax
	xorl	%edx, %edx
	wrmsr
	movl	$0xb105, %eax
	rep; vmmcall
	movl	%eax, %ebx
	movl	$0xc0010130, %ecx
	movl	$0x016, %eax
	xorl	%edx, %edx
	wrmsr
	leal	1(%ebx), %eax
	rep; vmmcall

	lgdtl	%cs:(gdt_desc - start)
	lidtl	%cs:(idt_desc - start)
	ENTER_PROTECTED_MODE (BASE + pm32 - start)

	.code32
pm32:
	LOAD_DATA_SEGMENTS
	movl	$(BASE + 0x8000), %esp
	xorl	%eax, %eax
	cpuid				/* #VC 0x72 */
1:	hlt
	jmp	1b

vc32:
	movl	(%esp), %ebx		/* the error code */
	movl	$0xc0010130, %ecx
	movl	$0x016, %eax
	xorl	%edx, %edx
	wrmsr
	movl	%ebx, %eax
	orl	$0x32000, %eax
	rep; vmmcall
2:	hlt
	jmp	2b

	GDT32 (BASE + gdt - start)
idt:
	.fill	29, 8, 0
	.word	(vc32 - start) & 0xffff
	.word	0x08
	.word	0x8e00
	.word	BASE >> 16
	.fill	2, 8, 0
idt_end:
idt_desc:
	.word	idt_end - idt - 1
	.long	BASE + idt - start

	.org	0xfff0
	.code16
	jmp	start
	.org	0x10000
