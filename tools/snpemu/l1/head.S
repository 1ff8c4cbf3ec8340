/*
 * L1 entry. The reset ROM copies the L1 image to 1 MiB and jumps here in 32-bit protected
 * mode with flat segments and paging off. We enable 5-level paging (CR4.LA57): QEMU takes the
 * nested paging mode from the host's mode at VMRUN, and only a 5-level nested walk keeps GPA
 * bit 51 (the C-bit) apart from bits 47:0, so the shared and private views get separate trees.
 * Application processors come through the real-mode trampoline (copied to 0x8000).
 */
#include "tlib/asm.inc"
#include "tlib/x86.h" /* MSR_EFER */

#define L1_STACK_SIZE 0x8000
#define L1_MAX_CPUS 64 /* = l1.h MAX_CPUS (platform.c checks it) */
#define TRAMPOLINE 0x8000

	.section .text.entry, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	lgdt	gdt_desc
	ljmp	$0x08, $1f
1:	LOAD_DATA_SEGMENTS fs_gs=1

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
	LOAD_DATA_SEGMENTS fs_gs=1
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
	ISR_STUBS isr_common
	ISR_STUB 240, isr_common
	ISR_STUB 255, isr_common
	ISR_COMMON isr_common, l1_interrupt

	.section .rodata
	.globl isr_table
	.balign 8
isr_table:
	ISR_TABLE
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
	ENTER_PROTECTED_MODE (ap_pm32 - ap_tramp_start + TRAMPOLINE)
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
	.quad	GDT_CODE32		/* 0x08 */
	.quad	GDT_DATA		/* 0x10 */
	.quad	GDT_CODE64		/* 0x18 */
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
	.globl l1_stacks, l1_stacks_end
	.balign 4096
l1_stacks:	.skip L1_STACK_SIZE * L1_MAX_CPUS
l1_stacks_end:
