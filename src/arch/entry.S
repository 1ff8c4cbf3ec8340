/* SPDX-License-Identifier: MIT */
/*
 * Exception entry stubs: each pushes a dummy error code where the CPU pushes none, then its
 * vector number, saves the general registers into a struct trap_frame (arch/exception.h)
 * and calls exception_dispatch. Only a handled #VC returns here (iretq); every other vector
 * terminates the SVSM.
 *
 * Vectors: #DE..#XM (0-19), #CP (21), #VC (29). Error codes: 8, 10-14, 17, 21, 29.
 */
#include "arch/x86.h"

.macro STUB vec, has_error
	.balign 16
.Lentry_\vec:
	.if \has_error == 0
	pushq	$0
	.endif
	pushq	$\vec
	jmp	exception_common
.endm

	.text
	STUB 0, 0
	STUB 1, 0
	STUB 2, 0
	STUB 3, 0
	STUB 4, 0
	STUB 5, 0
	STUB 6, 0
	STUB 7, 0
	STUB 8, 1
	STUB 9, 0
	STUB 10, 1
	STUB 11, 1
	STUB 12, 1
	STUB 13, 1
	STUB 14, 1
	STUB 15, 0
	STUB 16, 0
	STUB 17, 1
	STUB 18, 0
	STUB 19, 0
	STUB 21, 1
	STUB 29, 1

exception_common:
	/* The CPU aligned RSP to 16 before its pushes; 7 qwords so far + 15 below = 22, so the
	 * call below is made with RSP 16-byte aligned as the ABI requires. */
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	cld
	movq	%rsp, %rdi
	call	exception_dispatch
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp			/* vector, error code */
	iretq

	.section .rodata, "a"
	.balign 8
	.globl exception_entries
exception_entries:
	.quad	.Lentry_0, .Lentry_1, .Lentry_2, .Lentry_3, .Lentry_4, .Lentry_5, .Lentry_6
	.quad	.Lentry_7, .Lentry_8, .Lentry_9, .Lentry_10, .Lentry_11, .Lentry_12
	.quad	.Lentry_13, .Lentry_14, .Lentry_15, .Lentry_16, .Lentry_17, .Lentry_18
	.quad	.Lentry_19, 0, .Lentry_21, 0, 0, 0, 0, 0, 0, 0, .Lentry_29, 0, 0
	.if	(. - exception_entries) != X86_NR_VECTORS * 8
	.error	"exception_entries must have X86_NR_VECTORS entries"
	.endif

	.section .note.GNU-stack, "", @progbits
