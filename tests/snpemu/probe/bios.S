/*
 * A 64 KiB VMPL1 "firmware" for the snpemu tests: from the reset state (real mode, CS base
 * 0xffff0000) it calls VMPL0 twice through the MSR form of run-VMPL: RAX = 0xb105, then
 * RAX = (VMPL0's answer) + 1. Everything it touches is private (paging is off).
 */
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
1:	hlt
	jmp	1b
	.org	0xfff0
	jmp	start
	.org	0x10000
