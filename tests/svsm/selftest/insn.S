/*
 * The instructions the SVSM self-test runs (tests/svsm/selftest/insn.h): each one that raises
 * a #VC or a fault, in the exact encoding under test (imm8 or DX port, operand size, REP or
 * not), with the registers it reads preset and the ones it writes returned, so that the C side
 * can check what the #VC handler did to every register. Each function keeps a frame pointer,
 * so that a fault inside one shows up in the panic report's stack trace with its caller.
 *
 * Written in GNU as rather than inline asm: the SVSM's one inline-asm header
 * (include/arch/insn.h) has no business holding instructions the SVSM itself must never run.
 */

#include "insn.h"

/* Junk for the register bits an instruction must not keep. */
#define JUNK 0x5a5a5a5a5a5a5a5a
/* The imm8 port, as a symbol: the instruction strings below are out of the preprocessor's
 * reach. */
	.equ	imm_port, ST_IMM_PORT

.macro FUNC name
	.text
	.globl \name
	.type \name, @function
	.balign 16
\name:
	pushq	%rbp
	movq	%rsp, %rbp
.endm

.macro ENDFUNC name
	popq	%rbp
	ret
	.size \name, . - \name
.endm

/* u64 st_in{b,w,l}_dx(u64 port, u64 rax): DX = @port, RAX = @rax; IN; returns RAX. */
.macro IN_DX name, insn
	FUNC \name
	movq	%rsi, %rax
	movq	%rdi, %rdx
	\insn
	ENDFUNC \name
.endm
	IN_DX st_inb_dx, "inb %dx, %al"
	IN_DX st_inw_dx, "inw %dx, %ax"
	IN_DX st_inl_dx, "inl %dx, %eax"

/* u64 st_in{b,w,l}_imm(u64 rdx, u64 rax): IN from port ST_IMM_PORT (imm8) with DX = @rdx, a
 * port the handler must not use; returns RAX. */
.macro IN_IMM name, insn
	FUNC \name
	movq	%rsi, %rax
	movq	%rdi, %rdx
	\insn
	ENDFUNC \name
.endm
	IN_IMM st_inb_imm, "inb $imm_port, %al"
	IN_IMM st_inw_imm, "inw $imm_port, %ax"
	IN_IMM st_inl_imm, "inl $imm_port, %eax"

/* void st_out{b,w,l}_dx(u64 port, u64 rax): DX = @port; OUT of the low part of @rax. */
.macro OUT_DX name, insn
	FUNC \name
	movq	%rsi, %rax
	movq	%rdi, %rdx
	\insn
	ENDFUNC \name
.endm
	OUT_DX st_outb_dx, "outb %al, %dx"
	OUT_DX st_outw_dx, "outw %ax, %dx"
	OUT_DX st_outl_dx, "outl %eax, %dx"

/* void st_out{b,w}_imm(u64 rdx, u64 rax): OUT to port ST_IMM_PORT with DX = @rdx (a decoy). */
.macro OUT_IMM name, insn
	FUNC \name
	movq	%rsi, %rax
	movq	%rdi, %rdx
	\insn
	ENDFUNC \name
.endm
	OUT_IMM st_outb_imm, "outb %al, $imm_port"
	OUT_IMM st_outw_imm, "outw %ax, $imm_port"

/* void st_verdict(u32 value): a 32-bit OUT to port 0xf4 (imm8), snpemu's verdict port. */
	FUNC st_verdict
	movl	%edi, %eax
	outl	%eax, $0xf4
	ENDFUNC st_verdict

/*
 * String I/O. void st_<insn>(u64 port, void *buf, u64 count, u64 out[2]): DX = @port, RDI or
 * RSI = @buf, RCX = @count; then out[0] = RDI or RSI, out[1] = RCX as the instruction left
 * them. The direction flag is clear (the ABI's state on entry).
 */
.macro STRING name, insn, ptr
	FUNC \name
	movq	%rcx, %r8
	movq	%rdx, %rcx
	movq	%rdi, %rdx
	movq	%rsi, \ptr
	\insn
	movq	\ptr, (%r8)
	movq	%rcx, 8(%r8)
	ENDFUNC \name
.endm
	STRING st_rep_insb, "rep insb %dx, (%rdi)", %rdi
	STRING st_rep_insw, "rep insw %dx, (%rdi)", %rdi
	STRING st_rep_insl, "rep insl %dx, (%rdi)", %rdi
	STRING st_insb, "insb %dx, (%rdi)", %rdi
	STRING st_rep_outsb, "rep outsb (%rsi), %dx", %rsi
	STRING st_rep_outsw, "rep outsw (%rsi), %dx", %rsi
	STRING st_rep_outsl, "rep outsl (%rsi), %dx", %rsi
	STRING st_outsb, "outsb (%rsi), %dx", %rsi

/* void st_cpuid(u64 rax, u64 rcx, u64 out[4]): CPUID with RAX = @rax, RCX = @rcx (junk in
 * their upper halves is the caller's choice) and junk in RBX, RDX; out = RAX, RBX, RCX, RDX. */
	FUNC st_cpuid
	pushq	%rbx
	movq	%rdx, %r8
	movq	%rdi, %rax
	movq	%rsi, %rcx
	movabsq	$JUNK, %rbx
	movq	%rbx, %rdx
	cpuid
	movq	%rax, (%r8)
	movq	%rbx, 8(%r8)
	movq	%rcx, 16(%r8)
	movq	%rdx, 24(%r8)
	popq	%rbx
	ENDFUNC st_cpuid

/* void st_rdmsr(u64 rcx, u64 out[3]): RDMSR with junk in RAX and RDX; out = RAX, RDX, RCX. */
	FUNC st_rdmsr
	movq	%rsi, %r8
	movq	%rdi, %rcx
	movabsq	$JUNK, %rax
	movq	%rax, %rdx
	rdmsr
	movq	%rax, (%r8)
	movq	%rdx, 8(%r8)
	movq	%rcx, 16(%r8)
	ENDFUNC st_rdmsr

/* void st_wrmsr(u64 rcx, u64 rax, u64 rdx, u64 out[3]): WRMSR; out = RAX, RDX, RCX after. */
	FUNC st_wrmsr
	movq	%rcx, %r8
	movq	%rdi, %rcx
	movq	%rsi, %rax
	wrmsr
	movq	%rax, (%r8)
	movq	%rdx, 8(%r8)
	movq	%rcx, 16(%r8)
	ENDFUNC st_wrmsr

/*
 * void st_vc_keeps_regs(u64 out[16]): every general register but RAX (the IN's output) and
 * RSP set to a pattern of its own (0x1111111111111100 + register number), an `inb $0x80, %al`
 * (#VC), then all sixteen stored in out[] in the order RAX, RBX, RCX, RDX, RSI, RDI, RBP, RSP
 * (as the number of bytes RSP moved: 0), R8..R15. The callee-saved registers are given back.
 */
	FUNC st_vc_keeps_regs
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushq	%rbp
	pushq	%rdi			/* out[] */
	movq	%rsp, %r11
	pushq	%r11			/* RSP before the #VC */
	movabsq	$0x1111111111111101, %rbx
	movabsq	$0x1111111111111102, %rcx
	movabsq	$0x1111111111111103, %rdx
	movabsq	$0x1111111111111104, %rsi
	movabsq	$0x1111111111111105, %rdi
	movabsq	$0x1111111111111106, %rbp
	movabsq	$0x1111111111111108, %r8
	movabsq	$0x1111111111111109, %r9
	movabsq	$0x111111111111110a, %r10
	movabsq	$0x111111111111110b, %r11
	movabsq	$0x111111111111110c, %r12
	movabsq	$0x111111111111110d, %r13
	movabsq	$0x111111111111110e, %r14
	movabsq	$0x111111111111110f, %r15
	xorl	%eax, %eax
	inb	$imm_port, %al
	pushq	%rax
	movq	16(%rsp), %rax		/* out[] */
	popq	0(%rax)			/* RAX */
	movq	%rbx, 8(%rax)
	movq	%rcx, 16(%rax)
	movq	%rdx, 24(%rax)
	movq	%rsi, 32(%rax)
	movq	%rdi, 40(%rax)
	movq	%rbp, 48(%rax)
	leaq	8(%rsp), %rbx		/* RSP as it was before the pushq %r11 ... */
	subq	0(%rsp), %rbx		/* ... minus what it was then: 0 */
	movq	%rbx, 56(%rax)
	movq	%r8, 64(%rax)
	movq	%r9, 72(%rax)
	movq	%r10, 80(%rax)
	movq	%r11, 88(%rax)
	movq	%r12, 96(%rax)
	movq	%r13, 104(%rax)
	movq	%r14, 112(%rax)
	movq	%r15, 120(%rax)
	addq	$16, %rsp
	popq	%rbp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	ENDFUNC st_vc_keeps_regs

/* Fatal ones: none of them returns in the SVSM. */

/* void st_div0(void): DIV by zero (#DE). */
	FUNC st_div0
	movl	$0x1234, %eax
	xorl	%edx, %edx
	xorl	%ecx, %ecx
	divq	%rcx
	ENDFUNC st_div0

/* void st_wbinvd(void): WBINVD, a #VC (exit code 0x89) the SVSM does not handle. */
	FUNC st_wbinvd
	wbinvd
	ENDFUNC st_wbinvd

/* void st_vmmcall(void): VMMCALL without the F3 of VMGEXIT, a #VC (exit code 0x81). */
	FUNC st_vmmcall
	vmmcall
	ENDFUNC st_vmmcall

/* An AP's entry (its VMSA's RIP, RSP at the top of its stack): no frame to keep, as in
 * start.S's svsm_ap_start; the call aligns the stack as the ABI wants. */
	.text
	.globl st_ap_start
	.type st_ap_start, @function
st_ap_start:
	cli
	cld
	xorl	%ebp, %ebp
	call	selftest_ap_main
1:	hlt
	jmp	1b
	.size st_ap_start, . - st_ap_start

	.section .note.GNU-stack, "", @progbits
