/*
 * Link script of the conformance payload (preprocessed with conf.h). Sections are grouped by
 * what VMPL1 may do with them, page aligned, because RMPADJUST grants per page:
 *   text       VMPL1 read + supervisor execute
 *   shared_ro  VMPL1 read: constants, GDT, TSS, IDT
 *   vmpl1      VMPL1 read + write: its stack, mailbox and page tables
 *   data       VMPL0 only, with VMPL0's page tables
 * The footer (metadata and GUID table) ends the file; the launcher's secrets, CPUID and BIOS
 * VMSA pages follow it, page aligned (README "svsm.bin image format").
 */
#include "conf.h"

OUTPUT_FORMAT("elf64-x86-64")
ENTRY(start64)

SECTIONS
{
	. = CONF_GVA;
	_image_start = .;
	_text_start = .;
	.text : { *(.text.entry) *(.text .text.*) }
	. = ALIGN(4096);
	_text_end = .;

	.rodata : { _shared_ro_start = .; *(.rodata .rodata.*) }
	. = ALIGN(4096);
	.shared_ro : { *(.shared_ro) }
	. = ALIGN(4096);
	_shared_ro_end = .;

	.vmpl1 : { _vmpl1_start = .; *(.vmpl1 .vmpl1.*) }
	. = ALIGN(4096);
	_vmpl1_end = .;

	.data : { *(.pgtable) *(.data .data.*) *(.bss .bss.*) *(COMMON) }
	.footer : { *(.footer) }
	. = ALIGN(4096);
	_image_end = .;
	conf_secrets_page = _image_end;
	conf_cpuid_page = _image_end + 0x1000;
	_meta_end = _image_end + 0x3000;

	/DISCARD/ : { *(.comment) *(.note .note.*) *(.eh_frame .eh_frame_hdr) }
}

ASSERT(SVSM_MEM <= 0x40000000, "the payload maps at most 1 GiB of SVSM memory")
ASSERT(SVSM_MEM >= 0x2000000, "the payload needs at least 32 MiB of SVSM memory")
ASSERT(SVSM_GPA % 0x200000 == 0, "SVSM_GPA must be 2 MiB aligned")
