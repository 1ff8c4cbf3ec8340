; 64-bit entry points and the few routines C cannot express: payload start (BSP) and AP start,
; exception stubs, the SVSM call's VMGEXIT with its register convention, and the probes that
; touch a page which may raise #VC.

bits 64
default rel

extern guest_main, ap_main, exception_dispatch
extern __bss_start, __bss_end

section .text.entry progbits alloc exec nowrite

; BSP, from reset.asm: long mode, RSP = vCPU 0's stack top. Zero .bss, then C.
global _start
_start:
	cld
	mov edi, __bss_start
	mov ecx, __bss_end
	sub ecx, edi
	xor eax, eax
	rep stosb
	call guest_main
	jmp park

; AP, from the VMSA the BSP built (vcpu.c): RSP = its stack top, RDI = its vCPU index.
global ap_start
ap_start:
	cld
	call ap_main
park:
	cli
	hlt
	jmp park

section .text

; ---- Exceptions: build struct regs (vc.h) and call exception_dispatch(regs) ----
%macro ISR_NOERR 1
isr_%1:
	push 0
	push %1
	jmp isr_common
%endmacro

%macro ISR_ERR 1
isr_%1:
	push %1
	jmp isr_common
%endmacro

%assign v 0
%rep 32
%if v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30
	ISR_ERR v
%else
	ISR_NOERR v
%endif
%assign v v + 1
%endrep

; The CPU aligned RSP to 16 before pushing its 5-qword frame; with vector, error code and
; 15 registers that is 22 qwords, so RSP is 16-byte aligned again at the call.
isr_common:
	push r15
	push r14
	push r13
	push r12
	push r11
	push r10
	push r9
	push r8
	push rbp
	push rdi
	push rsi
	push rdx
	push rcx
	push rbx
	push rax
	cld
	mov rdi, rsp
	call exception_dispatch
	pop rax
	pop rbx
	pop rcx
	pop rdx
	pop rsi
	pop rdi
	pop rbp
	pop r8
	pop r9
	pop r10
	pop r11
	pop r12
	pop r13
	pop r14
	pop r15
	add rsp, 16
	iretq

; ---- void svsm_vmgexit(struct gpr_state *r) ----
; Load every general-purpose register but RSP from *r, VMGEXIT, store them all back. The
; caller has already put the run-VMPL0 request in the GHCB MSR (facts §7 "Call convention").
; Loading and storing all of them lets the caller see whether the SVSM preserved the ones
; that are not part of the protocol.
%define GPR_RAX 0
%define GPR_RBX 8
%define GPR_RCX 16
%define GPR_RDX 24
%define GPR_RSI 32
%define GPR_RDI 40
%define GPR_RBP 48
%define GPR_R8 56
%define GPR_R9 64
%define GPR_R10 72
%define GPR_R11 80
%define GPR_R12 88
%define GPR_R13 96
%define GPR_R14 104
%define GPR_R15 112

global svsm_vmgexit
svsm_vmgexit:
	push rbx
	push rbp
	push r12
	push r13
	push r14
	push r15
	push rdi
	mov rax, [rdi + GPR_RAX]
	mov rbx, [rdi + GPR_RBX]
	mov rcx, [rdi + GPR_RCX]
	mov rdx, [rdi + GPR_RDX]
	mov rsi, [rdi + GPR_RSI]
	mov rbp, [rdi + GPR_RBP]
	mov r8, [rdi + GPR_R8]
	mov r9, [rdi + GPR_R9]
	mov r10, [rdi + GPR_R10]
	mov r11, [rdi + GPR_R11]
	mov r12, [rdi + GPR_R12]
	mov r13, [rdi + GPR_R13]
	mov r14, [rdi + GPR_R14]
	mov r15, [rdi + GPR_R15]
	mov rdi, [rdi + GPR_RDI]
	db 0xf3, 0x0f, 0x01, 0xd9		; VMGEXIT (rep vmmcall; nasm's "vmgexit" is another encoding)
	xchg rdi, [rsp]				; rdi = r, [rsp] = RDI after the call
	mov [rdi + GPR_RAX], rax
	mov [rdi + GPR_RBX], rbx
	mov [rdi + GPR_RCX], rcx
	mov [rdi + GPR_RDX], rdx
	mov [rdi + GPR_RSI], rsi
	mov [rdi + GPR_RBP], rbp
	mov [rdi + GPR_R8], r8
	mov [rdi + GPR_R9], r9
	mov [rdi + GPR_R10], r10
	mov [rdi + GPR_R11], r11
	mov [rdi + GPR_R12], r12
	mov [rdi + GPR_R13], r13
	mov [rdi + GPR_R14], r14
	mov [rdi + GPR_R15], r15
	pop rax
	mov [rdi + GPR_RDI], rax
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbp
	pop rbx
	ret

; ---- Probes: one access that may fault ----
; u64 probe_read(const volatile u64 *p, u64 *val)   0, or (vector << 32) | error code
; u64 probe_write(volatile u64 *p, u64 val)          0, or (vector << 32) | error code
; If the access faults, exception_dispatch finds the instruction in the table below, puts the
; fault in RAX and resumes at the fixup label, so the caller sees the fault as a value.
global probe_read, probe_write
probe_read:
.insn:	mov rax, [rdi]
	mov [rsi], rax
	xor eax, eax
.fixup:	ret

probe_write:
.insn:	mov [rdi], rsi
	xor eax, eax
.fixup:	ret

section .rodata

global isr_table
align 8
isr_table:
%assign v 0
%rep 32
	dq isr_ %+ v
%assign v v + 1
%endrep

global probe_table, probe_table_end
align 8
probe_table:					; struct probe_entry { insn, fixup }
	dq probe_read.insn, probe_read.fixup
	dq probe_write.insn, probe_write.fixup
probe_table_end:

section .note.GNU-stack noalloc noexec nowrite progbits
