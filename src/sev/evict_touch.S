/* SPDX-License-Identifier: MIT */
/*
 * The eviction reads of snp_validate() (src/sev/evict.c): the first and the last byte of each
 * 4 KiB page, through the private mapping.
 *
 * int snp_evict_touch(const void *va, unsigned long pages): pages > 0. 0, or -EFAULT if a
 * read faulted. The loop is in the exception table (arch/extable.h): the host can take the
 * page's validated state away (RMPUPDATE) between the PVALIDATE and these reads, and the
 * #VC 0x404 that follows must fail the request that validated the page, not the SVSM.
 */
	.text
	.globl	snp_evict_touch
	.type	snp_evict_touch, @function
snp_evict_touch:
.Ltouch_start:
1:	movzbl	(%rdi), %eax
	movzbl	0xfff(%rdi), %eax
	addq	$0x1000, %rdi
	subq	$1, %rsi
	jnz	1b
.Ltouch_end:
	xorl	%eax, %eax
	ret
.Ltouch_fault:
	ret				/* RAX = -EFAULT, set by extable_fixup */
	.size	snp_evict_touch, . - snp_evict_touch

	.section .extable, "a"
	.balign	8
	.quad	.Ltouch_start, .Ltouch_end, .Ltouch_fault

	.section .note.GNU-stack, "", @progbits
