; The last page of the firmware image (FW_TAIL_BASE .. 4 GiB): reset vector, real mode ->
; 32-bit -> long mode, the SEV metadata ("ASEV") and the OVMF-style footer GUID table.
;
; The host's BIOS BSP VMSA starts us in real mode at f000:fff0 with CS base 0xffff0000
; (README "Guest firmware (VMPL1)", facts §8). Until the C code has an IDT and a #VC handler,
; nothing here may raise #VC: no CPUID, no IN/OUT, no intercepted MSR. RDMSR/WRMSR of EFER and
; of the GHCB MSR, CR and GDT loads are fine. With paging off every access is private, so the
; SVSM-filled CPUID page can be read directly for the C-bit position.
;
; Everything is assembled into one section that the linker places at FW_TAIL_BASE; absolute
; addresses are computed from label differences, so the section needs no relocation except
; the payload symbols.

%include "layout.inc"

; Absolute address of a label in this page, and its offset from the reset CS base.
%define TAIL_ADDR(l) (FW_TAIL_BASE + ((l) - tail_start))
%define RESET_IP(l) (0xf000 + ((l) - tail_start))

%define MSR_GHCB 0xc0010130
%define MSR_EFER 0xc0000080
%define CPUID_TABLE_MAX 64
%define CPUID_TABLE_ENTRIES 0x10
%define CPUID_ENTRY_SIZE 0x30
%define CPUID_ENTRY_EBX 0x1c
%define PTE_PRESENT_RW 0x3
%define PDE_2M 0x83

; A GUID in UEFI byte order: first three fields little-endian, the rest bytes.
%macro GUID 11
	dd %1
	dw %2, %3
	db %4, %5, %6, %7, %8, %9, %10, %11
%endmacro

extern __payload_load, __payload_start, __payload_size, _start

section .tail progbits alloc exec nowrite align=4096
tail_start:

; ---- 16-bit: enter protected mode ----
bits 16
real_start:
	cli
	cld
	o32 lgdt [cs:RESET_IP(gdt_desc)]
	mov eax, cr0
	or al, 1				; PE
	mov cr0, eax
	jmp dword SEL_CODE32:TAIL_ADDR(prot32)

; SEV-ES AP reset address (footer entry below). This firmware starts its APs through the
; SVSM (CREATE_VCPU + AP creation NAE), never by INIT-SIPI, so an AP arriving here parks.
ap_reset:
	cli
.park:	hlt
	jmp .park

; ---- 32-bit: C-bit, payload copy, page tables, long mode ----
bits 32
prot32:
	mov ax, SEL_DATA
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov fs, ax
	mov gs, ax

	; The C-bit position is CPUID 0x8000001f EBX[5:0] in the SNP CPUID table (facts §7):
	; u32 count, then 0x30-byte entries from offset 0x10 (eax_in first, EBX output at 0x1c).
	mov esi, CPUID_PAGE_GPA
	mov ecx, [esi]
	cmp ecx, CPUID_TABLE_MAX
	ja no_cbit
	lea edi, [esi + CPUID_TABLE_ENTRIES]
.next:	test ecx, ecx
	jz no_cbit
	cmp dword [edi], 0x8000001f
	je .found
	add edi, CPUID_ENTRY_SIZE
	dec ecx
	jmp .next
.found:	mov ebx, [edi + CPUID_ENTRY_EBX]
	and ebx, 0x3f
	cmp ebx, 32				; the C-bit must lie in a PTE's high dword
	jb no_cbit
	cmp ebx, 51
	ja no_cbit
	sub ebx, 32
	xor ebp, ebp
	bts ebp, ebx				; ebp = C-bit within the high dword

	; Copy the payload (code and data) from the image to pre-validated RAM.
	mov esi, __payload_load
	mov edi, __payload_start
	mov ecx, __payload_size
	shr ecx, 2
	rep movsd

	; Identity-map 0-4 GiB with private 2 MiB pages: PML4[0] -> PDPT[0..3] -> 4 PDs.
	; Table entries carry the C-bit too (Linux and OVMF set it at every level).
	mov edi, PT_POOL_BASE
	mov ecx, PT_POOL_PAGES * 1024
	xor eax, eax
	rep stosd
	mov dword [PML4_GPA], PDPT_GPA | PTE_PRESENT_RW
	mov [PML4_GPA + 4], ebp
	xor ecx, ecx
.pdpt:	mov eax, ecx
	shl eax, 12
	add eax, PD_GPA | PTE_PRESENT_RW
	mov [PDPT_GPA + ecx * 8], eax
	mov [PDPT_GPA + ecx * 8 + 4], ebp
	inc ecx
	cmp ecx, 4
	jb .pdpt
	xor ecx, ecx
.pd:	mov eax, ecx
	shl eax, 21
	or eax, PDE_2M
	mov [PD_GPA + ecx * 8], eax
	mov [PD_GPA + ecx * 8 + 4], ebp
	inc ecx
	cmp ecx, 2048
	jb .pd

	mov eax, GUEST_CR4
	mov cr4, eax
	mov eax, PML4_GPA
	mov cr3, eax
	mov ecx, MSR_EFER
	rdmsr
	or eax, GUEST_EFER & ~0x400		; LME, NXE, SVME (LMA is set by the CPU)
	wrmsr
	mov eax, GUEST_CR0
	mov cr0, eax
	jmp SEL_CODE64:TAIL_ADDR(long64)

; No usable C-bit: we cannot even reach the console. Ask the host to end the guest
; (GHCB MSR protocol termination, facts §1).
no_cbit:
	mov ecx, MSR_GHCB
	mov eax, 0x100 | (GUEST_TERM_SET << 12) | (GUEST_TERM_NO_CBIT << 16)
	xor edx, edx
	wrmsr
	db 0xf3, 0x0f, 0x01, 0xd9		; VMGEXIT (rep vmmcall)
.hang:	hlt
	jmp .hang

; ---- 64-bit: jump to the payload in RAM ----
bits 64
long64:
	; CR3 with the C-bit (as Linux loads it): the 32-bit load above could not set it.
	mov eax, ebp
	shl rax, 32
	or rax, PML4_GPA
	mov cr3, rax
	mov ax, SEL_DATA
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor eax, eax
	mov fs, ax
	mov gs, ax
	mov rsp, STACK_BASE + STACK_SIZE	; vCPU 0's stack
	mov eax, _start
	jmp rax

; Descriptors are pre-marked accessed so that the CPU never writes to this page.
align 8
gdt:
	dq 0
	dq 0x00cf9b000000ffff			; SEL_CODE32: 32-bit code, flat
	dq 0x00cf93000000ffff			; SEL_DATA: data, flat
	dq 0x00af9b000000ffff			; SEL_CODE64: 64-bit code
gdt_end:
gdt_desc:
	dw gdt_end - gdt - 1
	dd TAIL_ADDR(gdt)

; ---- SEV metadata (facts §8 step 3): found through the footer entry below ----
align 16
asev:
	dd 0x56455341				; "ASEV"
	dd asev_end - asev
	dd 1					; version
	dd (asev_end - asev_sections) / 12
asev_sections:					; u32 GPA, u32 size, u32 type
	dd PREVALIDATED_BASE, PREVALIDATED_SIZE, 1
	dd SECRETS_GPA, 0x1000, 2
	dd CPUID_PAGE_GPA, 0x1000, 3
	dd BOOT_CAA_GPA, 0x1000, 4
asev_end:

; ---- Footer GUID table, read backwards from 0x20 bytes before the end of the image ----
;   [data][u16 entry_len = data + 18][GUID] ... [u16 table_len][footer GUID]
%define TABLE_SIZE (22 + 22 + 18)
	times (0x1000 - 0x20 - TABLE_SIZE) - ($ - tail_start) db 0
table_start:
	dd 0x1000 - (asev - tail_start)		; SEV metadata: offset from the end of the image
	dw 22
	GUID 0xdc886566, 0x984a, 0x4798, 0xa7, 0x5e, 0x55, 0x85, 0xa7, 0xbf, 0x67, 0xcc
	dd TAIL_ADDR(ap_reset)			; SEV-ES reset block: AP reset address
	dw 22
	GUID 0x00f771de, 0x1a7e, 0x4fcb, 0x89, 0x0e, 0x68, 0xc7, 0x7e, 0x2f, 0xb4, 0x4e
	dw table_end - table_start
	GUID 0x96b582de, 0x1fb2, 0x45f7, 0xba, 0xea, 0xa3, 0x66, 0xc5, 0x5a, 0x08, 0x2d
table_end:
	times -((table_end - table_start) != TABLE_SIZE) db 0	; assert: TABLE_SIZE is right
	times 0x10 db 0

; ---- 4 GiB - 16: the reset vector ----
bits 16
reset_vector:
	jmp near real_start
	times 0x1000 - ($ - tail_start) db 0xf4
	times -((reset_vector - tail_start) != 0xff0) db 0	; assert: at 4 GiB - 16
section .note.GNU-stack noalloc noexec nowrite progbits
