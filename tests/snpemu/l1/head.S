/*
 * L1 entry. The reset ROM copies the L1 image to 1 MiB and jumps here in 32-bit protected
 * mode with flat segments and paging off. We enable 5-level paging (CR4.LA57): QEMU takes the
 * nested paging mode from the host's mode at VMRUN, and only a 5-level nested walk keeps GPA
 * bit 51 (the C-bit) apart from bits 47:0, so the shared and private views get separate trees.
 * Application processors come through the real-mode trampoline (copied to 0x8000).
 */
#define MSR_EFER 0xc0000080
#define L1_STACK_SIZE 0x8000
#define TRAMPOLINE 0x8000

	.section .text.entry, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	lgdt	gdt_desc
	ljmp	$0x08, $1f
1:	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	%ax, %fs
	movw	%ax, %gs

	movl	$__bss_start, %edi
	movl	$__bss_end, %ecx
	subl	%edi, %ecx
	xorl	%eax, %eax
	rep stosb

	/* identity map of the first 4 GiB, 2 MiB pages: pml5[0] -> pml4[0] -> pdpt[0..3] */
	movl	$boot_pml4, %eax
	orl	$3, %eax
	movl	%eax, boot_pml5
	movl	$boot_pdpt, %eax
	orl	$3, %eax
	movl	%eax, boot_pml4
	xorl	%ecx, %ecx
2:	movl	%ecx, %eax
	shll	$12, %eax
	addl	$boot_pd, %eax
	orl	$3, %eax
	movl	%eax, boot_pdpt(,%ecx,8)
	incl	%ecx
	cmpl	$4, %ecx
	jne	2b
	xorl	%ecx, %ecx
3:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$0x83, %eax
	movl	%eax, boot_pd(,%ecx,8)
	movl	%ecx, %eax
	shrl	$11, %eax
	movl	%eax, boot_pd+4(,%ecx,8)
	incl	%ecx
	cmpl	$2048, %ecx
	jne	3b

	xorl	%esi, %esi		/* CPU index 0 */
	jmp	enter_long

	.globl ap_entry32
ap_entry32:
	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	%ax, %fs
	movw	%ax, %gs
	movl	0xfee00020, %esi	/* our APIC ID (xAPIC, paging still off) */
	shrl	$24, %esi
enter_long:
	/* stack = l1_stacks + (index + 1) * L1_STACK_SIZE */
	movl	%esi, %eax
	incl	%eax
	imull	$L1_STACK_SIZE, %eax
	addl	$l1_stacks, %eax
	movl	%eax, %esp

	movl	$boot_pml5, %eax
	movl	%eax, %cr3
	movl	$0x1620, %eax		/* PAE | OSFXSR | OSXMMEXCPT | LA57 */
	movl	%eax, %cr4
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$0x900, %eax		/* LME | NXE */
	wrmsr
	movl	%cr0, %eax
	andl	$0x9fffffff, %eax	/* caches on */
	orl	$0x80010023, %eax	/* PG | WP | NE | MP | PE */
	movl	%eax, %cr0
	ljmp	$0x18, $long64

	.code64
long64:
	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	xorw	%ax, %ax
	movw	%ax, %fs
	movw	%ax, %gs
	movl	%esp, %esp
	movl	%esi, %edi
	fninit
	call	l1_main
1:	cli
	hlt
	jmp	1b

/* ---- exception and interrupt stubs ---- */
.macro ISR_NOERR n
	.globl isr\n
isr\n:	pushq	$0
	pushq	$\n
	jmp	isr_common
.endm
.macro ISR_ERR n
	.globl isr\n
isr\n:	pushq	$\n
	jmp	isr_common
.endm
	ISR_NOERR 0
	ISR_NOERR 1
	ISR_NOERR 2
	ISR_NOERR 3
	ISR_NOERR 4
	ISR_NOERR 5
	ISR_NOERR 6
	ISR_NOERR 7
	ISR_ERR   8
	ISR_NOERR 9
	ISR_ERR   10
	ISR_ERR   11
	ISR_ERR   12
	ISR_ERR   13
	ISR_ERR   14
	ISR_NOERR 15
	ISR_NOERR 16
	ISR_ERR   17
	ISR_NOERR 18
	ISR_NOERR 19
	ISR_NOERR 20
	ISR_ERR   21
	ISR_NOERR 22
	ISR_NOERR 23
	ISR_NOERR 24
	ISR_NOERR 25
	ISR_NOERR 26
	ISR_NOERR 27
	ISR_NOERR 28
	ISR_ERR   29
	ISR_ERR   30
	ISR_NOERR 31
	ISR_NOERR 240
	ISR_NOERR 255

isr_common:
	pushq	%rax
	pushq	%rcx
	pushq	%rdx
	pushq	%rbx
	pushq	%rbp
	pushq	%rsi
	pushq	%rdi
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, %rdi
	call	l1_interrupt
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rbp
	popq	%rbx
	popq	%rdx
	popq	%rcx
	popq	%rax
	addq	$16, %rsp
	iretq

	.section .rodata
	.globl isr_table
	.balign 8
isr_table:
	.irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad isr\n
	.endr
	.globl isr_ipi, isr_spurious
isr_ipi:	.quad isr240
isr_spurious:	.quad isr255

/* ---- AP trampoline: copied to TRAMPOLINE, started by SIPI vector TRAMPOLINE >> 12 ---- */
	.globl ap_tramp_start, ap_tramp_end
	.code16
ap_tramp_start:
	cli
	cld
	lgdtl	%cs:(ap_gdt_desc - ap_tramp_start)
	movl	%cr0, %eax
	orl	$1, %eax
	movl	%eax, %cr0
	ljmpl	$0x08, $(ap_pm32 - ap_tramp_start + TRAMPOLINE)
	.code32
ap_pm32:
	movl	$ap_entry32, %eax
	jmp	*%eax
	.balign 8
ap_gdt_desc:
	.word	gdt_end - gdt - 1
	.long	gdt
ap_tramp_end:

	.data
	.balign 16
gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x08 code32 */
	.quad	0x00cf92000000ffff	/* 0x10 data */
	.quad	0x00af9a000000ffff	/* 0x18 code64 */
gdt_end:
gdt_desc:
	.word	gdt_end - gdt - 1
	.long	gdt

	.bss
	.balign 4096
	.globl boot_pml5, boot_pml4, boot_pdpt, boot_pd
boot_pml5:	.skip 4096
boot_pml4:	.skip 4096
boot_pdpt:	.skip 4096
boot_pd:	.skip 4096 * 4
	.globl l1_stacks
	.balign 4096
l1_stacks:	.skip L1_STACK_SIZE * 16
