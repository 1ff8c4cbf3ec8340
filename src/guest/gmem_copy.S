/* SPDX-License-Identifier: MIT */
/*
 * The guest-memory copy: the only SVSM code that reads or writes a guest page a request
 * named. A #VC 0x404 or #PF inside [.Lcopy_start, .Lcopy_end) resumes at .Lcopy_fault with
 * RAX = -EFAULT (arch/extable.h), so a page that stopped being validated fails the request
 * instead of the SVSM.
 *
 * int gmem_copy_raw(void *dst, const void *src, size_t len): 0 or -EFAULT.
 */
	.text
	.globl	gmem_copy_raw
	.type	gmem_copy_raw, @function
gmem_copy_raw:
	movq	%rdx, %rcx
	shrq	$3, %rcx
.Lcopy_start:
	rep movsq
	movl	%edx, %ecx
	andl	$7, %ecx
	rep movsb
.Lcopy_end:
	xorl	%eax, %eax
	ret
.Lcopy_fault:
	ret				/* RAX = -EFAULT, set by extable_fixup */
	.size	gmem_copy_raw, . - gmem_copy_raw

	.section .extable, "a"
	.balign	8
	.quad	.Lcopy_start, .Lcopy_end, .Lcopy_fault

	.section .note.GNU-stack, "", @progbits
