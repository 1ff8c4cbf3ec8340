/*
 * void svm_run(u64 vmcb_pa, struct gprs *g, u64 tsc[2])
 *
 * Loads the guest GPRs (RAX and RSP live in the VMCB), VMLOADs the state VMRUN does not
 * switch (FS, GS, TR, LDTR, KernelGSBase, STAR/LSTAR/CSTAR/SFMASK, SYSENTER), runs the
 * guest, VMSAVEs it back. tsc[0] is read just before and tsc[1] just after: under
 * -icount shift=0 the difference is the number of instructions executed in between, of
 * which a fixed number are this routine's own (calibrated at boot, see vcpu.c).
 * Runs with GIF clear and RFLAGS.IF set, so that with V_INTR_MASKING a physical interrupt
 * (an L1 IPI) causes #VMEXIT(INTR) instead of being taken by the guest.
 */
	.text
	.code64
	.globl svm_run
svm_run:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushq	%rdx			/* tsc  at 16(%rsp) */
	pushq	%rsi			/* g    at 8(%rsp)  */
	pushq	%rdi			/* vmcb at 0(%rsp)  */
	clgi
	sti
	rdtsc
	movq	16(%rsp), %rcx
	movl	%eax, 0(%rcx)
	movl	%edx, 4(%rcx)
	movq	8(%rsp), %rax
	movq	0x00(%rax), %rbx
	movq	0x08(%rax), %rcx
	movq	0x10(%rax), %rdx
	movq	0x18(%rax), %rsi
	movq	0x20(%rax), %rdi
	movq	0x28(%rax), %rbp
	movq	0x30(%rax), %r8
	movq	0x38(%rax), %r9
	movq	0x40(%rax), %r10
	movq	0x48(%rax), %r11
	movq	0x50(%rax), %r12
	movq	0x58(%rax), %r13
	movq	0x60(%rax), %r14
	movq	0x68(%rax), %r15
	movq	(%rsp), %rax
	vmload	%rax
	vmrun	%rax
	vmsave	%rax
	pushq	%rax
	movq	16(%rsp), %rax		/* g */
	movq	%rbx, 0x00(%rax)
	movq	%rcx, 0x08(%rax)
	movq	%rdx, 0x10(%rax)
	movq	%rsi, 0x18(%rax)
	movq	%rdi, 0x20(%rax)
	movq	%rbp, 0x28(%rax)
	movq	%r8,  0x30(%rax)
	movq	%r9,  0x38(%rax)
	movq	%r10, 0x40(%rax)
	movq	%r11, 0x48(%rax)
	movq	%r12, 0x50(%rax)
	movq	%r13, 0x58(%rax)
	movq	%r14, 0x60(%rax)
	movq	%r15, 0x68(%rax)
	popq	%rax
	rdtsc
	movq	16(%rsp), %rcx
	movl	%eax, 8(%rcx)
	movl	%edx, 12(%rcx)
	cli
	stgi
	addq	$24, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
