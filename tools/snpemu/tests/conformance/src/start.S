/*
 * start.S: entry, exception stubs, static page tables, descriptor tables and the footer that
 * makes the conformance payload an svsm.bin-format image (README "svsm.bin image format").
 *
 * The launcher starts the BSP at start64 in 64-bit mode with the CR3, GDT, IDT, CS, EFER, CR0
 * and CR4 given by the SVSM INFO block at the end of this file (facts §9).
 */
#include "conf.h"
#include "tlib/asm.inc"

#define CBIT (1 << CONF_CBIT_POS)
#define PTE_TABLE 0x23 /* present, writable, accessed */
#define PTE_2M 0xe3    /* present, writable, accessed, dirty, 2 MiB */
#define MSR_GHCB 0xc0010130

	.section .text.entry, "ax"
	.code64
	.globl start64
start64:
	/* Keep the launch RSP and RFLAGS for check_launch (README: RSP 0, RFLAGS 2). */
	movq %rsp, %r12
	leaq bsp_stack + CPU_STACK_SIZE(%rip), %rsp
	pushfq
	popq %r13
	movq %r12, launch_rsp(%rip)
	movq %r13, launch_rflags(%rip)
	cld
	call conf_main
	ud2

/* VMPL1 starts here from the VMSA the payload builds (RSP = top of the VMPL1 stack). */
	.text
	.globl vmpl1_entry
vmpl1_entry:
	cld
	call vmpl1_main
	ud2

/* An AP started by the AP-creation NAE: store RDI at [RSI], then stay parked. */
	.globl ap_park
ap_park:
	movq %rdi, (%rsi)
1:	hlt
	jmp 1b

/*
 * u64 vmgexit_check_regs(u64 msr): VMGEXIT with a pattern in every GPR but RAX/RCX/RDX (the
 * MSR write needs them) and RSP; returns a bit per register the round trip changed.
 */
.macro LOADREG reg, n
	movabsq $REG_PATTERN(\n), \reg
.endm
.macro CHECKREG reg, n
	movabsq $REG_PATTERN(\n), %rcx
	cmpq %rcx, \reg
	je 1f
	orq $(1 << \n), %rax
1:
.endm
	.globl vmgexit_check_regs
vmgexit_check_regs:
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rdi, %rax
	movq %rdi, %rdx
	shrq $32, %rdx
	movl $MSR_GHCB, %ecx
	wrmsr
	LOADREG %rbx, 0
	LOADREG %rbp, 1
	LOADREG %rsi, 2
	LOADREG %rdi, 3
	LOADREG %r8, 4
	LOADREG %r9, 5
	LOADREG %r10, 6
	LOADREG %r11, 7
	LOADREG %r12, 8
	LOADREG %r13, 9
	LOADREG %r14, 10
	LOADREG %r15, 11
	.byte 0xf3, 0x0f, 0x01, 0xd9 /* VMGEXIT */
	xorl %eax, %eax
	CHECKREG %rbx, 0
	CHECKREG %rbp, 1
	CHECKREG %rsi, 2
	CHECKREG %rdi, 3
	CHECKREG %r8, 4
	CHECKREG %r9, 5
	CHECKREG %r10, 6
	CHECKREG %r11, 7
	CHECKREG %r12, 8
	CHECKREG %r13, 9
	CHECKREG %r14, 10
	CHECKREG %r15, 11
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	ret

/* ---- exception stubs: frame = GPRs, vector, error code, CPU frame (struct frame) ---- */
	ISR_STUBS isr_common
	ISR_COMMON isr_common, exception_handler

	.section .rodata
	.balign 8
	.globl isr_table
isr_table:
	ISR_TABLE

/*
 * Page tables: PML4[511] -> PDPT; PDPT[509] -> the shared view, PDPT[510] -> the private view,
 * each a PD of 2 MiB pages over SVSM memory. Accessed and dirty bits are preset, so a page
 * walk has nothing to write.
 */
.macro PAGE_TABLES name
	.balign 4096
	.globl \name\()_pml4
\name\()_pml4:
	.fill 511, 8, 0
	.quad \name\()_pdpt + CONF_VA_TO_GPA + CBIT + PTE_TABLE
\name\()_pdpt:
	.fill 509, 8, 0
	.quad \name\()_pd_shared + CONF_VA_TO_GPA + CBIT + PTE_TABLE /* CONF_SHARED_GVA */
	.quad \name\()_pd_private + CONF_VA_TO_GPA + CBIT + PTE_TABLE /* CONF_GVA */
	.quad 0
\name\()_pd_private:
	.set i, 0
	.rept 512
	.if i < (SVSM_MEM >> 21)
	.quad SVSM_GPA + (i << 21) + CBIT + PTE_2M
	.else
	.quad 0
	.endif
	.set i, i + 1
	.endr
\name\()_pd_shared:
	.set i, 0
	.rept 512
	.if i < (SVSM_MEM >> 21)
	.quad SVSM_GPA + (i << 21) + PTE_2M
	.else
	.quad 0
	.endif
	.set i, i + 1
	.endr
.endm

/* VMPL0's tables (the INFO CR3); VMPL1 has no access to them. */
	.section .pgtable, "aw", @progbits
	PAGE_TABLES vmpl0

/*
 * VMPL1's own copy, in memory it may write, as a real lower-VMPL guest's page tables are.
 * (Read-only tables would do on hardware with A/D preset, but QEMU TCG's page walker probes
 * page-table entries for write, so snpemu would see writes.)
 */
	.section .vmpl1.pgtable, "aw", @progbits
	PAGE_TABLES vmpl1

/* GDT, TSS and IDT: written by VMPL0 only before VMPL1 exists; VMPL1 reads them. */
	.section .shared_ro, "aw", @progbits
	.balign 16
	.globl gdt, gdt_end, tss, idt
gdt:
	.quad 0
	.quad 0x00af9b000000ffff /* CONF_CS_SEL: 64-bit code, accessed preset */
	.quad 0x00cf93000000ffff /* CONF_DS_SEL: data, accessed preset */
gdt_end:
	.balign 16
tss:
	.fill 104, 1, 0
	.balign 16
idt:
	.fill IDT_ENTRIES * 16, 1, 0

	.data
	.balign 8
	.globl launch_rsp, launch_rflags
launch_rsp:
	.quad 0
launch_rflags:
	.quad 0

/* The BSP's VMPL0 stack; its struct cpu sits at the bottom (this_cpu()). */
	.section .data.stack, "aw", @progbits
	.balign CPU_STACK_SIZE
bsp_stack:
	.fill CPU_STACK_SIZE, 1, 0

/* Footer: the SVSM metadata, then the GUID table with the SVSM INFO launch state. */
	.section .footer, "a"
	SVSM_FOOTER gpa=SVSM_GPA, mem=SVSM_MEM, cr3=(vmpl0_pml4 + CONF_VA_TO_GPA + CBIT), \
		gdt=gdt, gdt_limit=(gdt_end - gdt - 1), idt=idt, idt_limit=(IDT_ENTRIES * 16 - 1), \
		cs=CONF_CS_SEL, cs_desc=0x00af9b000000ffff, rip=start64, efer=CONF_EFER, \
		cr0=CONF_CR0, cr4=CONF_CR4, secrets=(_image_end + CONF_VA_TO_GPA), \
		cpuid=(_image_end + 0x1000 + CONF_VA_TO_GPA), \
		bios_vmsa=(_image_end + 0x2000 + CONF_VA_TO_GPA)
