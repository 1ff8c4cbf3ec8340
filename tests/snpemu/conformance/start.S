/*
 * start.S: entry, exception stubs, static page tables, descriptor tables and the footer that
 * makes the conformance payload an svsm.bin-format image (README "svsm.bin image format").
 *
 * The launcher starts the BSP at start64 in 64-bit mode with the CR3, GDT, IDT, CS, EFER, CR0
 * and CR4 given by the SVSM INFO block at the end of this file (facts §9).
 */
#include "conf.h"

#define CBIT (1 << CONF_CBIT_POS)
#define PTE_TABLE 0x23 /* present, writable, accessed */
#define PTE_2M 0xe3    /* present, writable, accessed, dirty, 2 MiB */
#define MSR_GHCB 0xc0010130

/* GUIDs in UEFI byte order: the first three fields little-endian. */
.macro GUID d1, d2, d3, b0, b1, b2, b3, b4, b5, b6, b7
	.long \d1
	.word \d2, \d3
	.byte \b0, \b1, \b2, \b3, \b4, \b5, \b6, \b7
.endm

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
.macro ISR n, has_error
isr\n:
	.if \has_error == 0
	pushq $0
	.endif
	pushq $\n
	jmp isr_common
.endm
	ISR 0, 0
	ISR 1, 0
	ISR 2, 0
	ISR 3, 0
	ISR 4, 0
	ISR 5, 0
	ISR 6, 0
	ISR 7, 0
	ISR 8, 1
	ISR 9, 0
	ISR 10, 1
	ISR 11, 1
	ISR 12, 1
	ISR 13, 1
	ISR 14, 1
	ISR 15, 0
	ISR 16, 0
	ISR 17, 1
	ISR 18, 0
	ISR 19, 0
	ISR 20, 0
	ISR 21, 1
	ISR 22, 0
	ISR 23, 0
	ISR 24, 0
	ISR 25, 0
	ISR 26, 0
	ISR 27, 0
	ISR 28, 0
	ISR 29, 1
	ISR 30, 1
	ISR 31, 0

isr_common:
	pushq %rax
	pushq %rcx
	pushq %rdx
	pushq %rbx
	pushq %rbp
	pushq %rsi
	pushq %rdi
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	cld
	movq %rsp, %rdi
	call exception_handler
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rdi
	popq %rsi
	popq %rbp
	popq %rbx
	popq %rdx
	popq %rcx
	popq %rax
	addq $16, %rsp
	iretq

	.section .rodata
	.balign 8
	.globl isr_table
isr_table:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad isr\n
	.endr

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

/*
 * Footer: the SVSM metadata, then the GUID table read backwards from the end of the file:
 *   [SVSM INFO data][u16 len][GUID] [u32 offset][u16 len][GUID] [u16 table len][GUID] <EOF>
 */
	.section .footer, "a"
svsm_metadata:
	.long 0x4d535653 /* "SVSM" */
	.long svsm_metadata_end - svsm_metadata
	.long 1
	.long 3
	.quad _image_end + CONF_VA_TO_GPA /* secrets page */
	.long 4096, 2
	.quad _image_end + 0x1000 + CONF_VA_TO_GPA /* CPUID page */
	.long 4096, 3
	.quad _image_end + 0x2000 + CONF_VA_TO_GPA /* BIOS BSP VMSA page */
	.long 4096, 5
svsm_metadata_end:

guid_table:
svsm_info:
	.quad SVSM_GPA
	.quad SVSM_MEM
	.quad vmpl0_pml4 + CONF_VA_TO_GPA + CBIT /* CR3 */
	.quad gdt
	.word gdt_end - gdt - 1
	.quad idt
	.word IDT_ENTRIES * 16 - 1
	.word CONF_CS_SEL
	.quad 0x00af9b000000ffff
	.quad start64
	.quad CONF_EFER
	.quad CONF_CR0
	.quad CONF_CR4
svsm_info_end:
	.word svsm_info_end - svsm_info + 18
	GUID 0xa789a612, 0x0597, 0x4c4b, 0xa4, 0x9f, 0xcb, 0xb1, 0xfe, 0x9d, 0x1d, 0xdd

	.long footer_end - svsm_metadata
	.word 4 + 18
	GUID 0xbe30189b, 0xab44, 0x4a97, 0x82, 0xdd, 0xea, 0x81, 0x39, 0x41, 0x04, 0x7e

	.word footer_end - guid_table
	GUID 0x81384fea, 0xad48, 0x4eb6, 0xaf, 0x4f, 0x6a, 0xc4, 0x93, 0x16, 0xdf, 0x2b
footer_end:
