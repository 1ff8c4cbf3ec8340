/* SPDX-License-Identifier: MIT */
/*
 * Zeroing guest pages after validation (guest/pvalidate.c, guest/launch.c): 16-byte SSE
 * stores, 256 bytes per loop. This is the one place csvsm uses an SSE register: the C code
 * is built with -mgeneral-regs-only, so no other code holds state in XMM0, and VMPL0's
 * register state is its own (its VMSA), so nothing reaches the guest. Half the instructions
 * of rep stosq, which executes one 8-byte store per iteration (and the benchmark counts
 * instructions: tests/bench/protocol.bench.sh).
 *
 * int gmem_zero(void *va, size_t bytes): va 16-byte aligned, bytes a non-zero multiple of
 * 256 (a 4 KiB or 2 MiB page). 0, or -EFAULT if a store faulted: like gmem_copy.S the loop is
 * in the exception table (arch/extable.h), because the page can stop being validated between
 * its PVALIDATE and the zeroing (the host can RMPUPDATE it at any time), and a #VC 0x404 here
 * must fail the request, not the SVSM.
 */
	.text
	.globl	gmem_zero
	.type	gmem_zero, @function
gmem_zero:
	pxor	%xmm0, %xmm0
.Lzero_start:
1:	movdqa	%xmm0, 0x00(%rdi)
	movdqa	%xmm0, 0x10(%rdi)
	movdqa	%xmm0, 0x20(%rdi)
	movdqa	%xmm0, 0x30(%rdi)
	movdqa	%xmm0, 0x40(%rdi)
	movdqa	%xmm0, 0x50(%rdi)
	movdqa	%xmm0, 0x60(%rdi)
	movdqa	%xmm0, 0x70(%rdi)
	movdqa	%xmm0, 0x80(%rdi)
	movdqa	%xmm0, 0x90(%rdi)
	movdqa	%xmm0, 0xa0(%rdi)
	movdqa	%xmm0, 0xb0(%rdi)
	movdqa	%xmm0, 0xc0(%rdi)
	movdqa	%xmm0, 0xd0(%rdi)
	movdqa	%xmm0, 0xe0(%rdi)
	movdqa	%xmm0, 0xf0(%rdi)
	addq	$0x100, %rdi
	subq	$0x100, %rsi
	jnz	1b
.Lzero_end:
	xorl	%eax, %eax
	ret
.Lzero_fault:
	ret				/* RAX = -EFAULT, set by extable_fixup */
	.size	gmem_zero, . - gmem_zero

	.section .extable, "a"
	.balign	8
	.quad	.Lzero_start, .Lzero_end, .Lzero_fault

	.section .note.GNU-stack, "", @progbits
