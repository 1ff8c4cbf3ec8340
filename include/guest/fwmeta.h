/* SPDX-License-Identifier: MIT */
/*
 * The guest firmware's metadata (README "Guest firmware (VMPL1)"; [L] start_bios, edk2
 * OvmfPkg): pure C, host-tested and fuzzed. The firmware image comes from the host, so every
 * offset, length and count is checked before it is used.
 *
 * Two steps, because the SVSM reads the image through small mappings:
 *   1. fwmeta_parse_footer() on the image's last bytes: the footer GUID table (OVMF_FOOTER_GUID,
 *      ending OVMF_FOOTER_END_OFFSET bytes before the end of the image), the optional SEV-ES
 *      reset block (u32 AP reset address, CS base[31:16] | IP[15:0]: any address, in RAM for
 *      OVMF) and the SEV metadata offset (u32, from the end of the image back to the "ASEV"
 *      structure, inside the image);
 *   2. fwmeta_parse_asev() on the bytes from the "ASEV" structure on: u32 signature "ASEV",
 *      u32 length (header + sections), u32 version 1, u32 count, then count sections of
 *      u32 GPA, u32 size, u32 type.
 *
 * Sections must be page aligned, non-empty, not wrap past 4 GiB, not overlap each other or
 * the firmware image, and be of a known type; exactly one secrets page, one CPUID page and
 * one SVSM calling area (each at least one page). Whether a section lies in guest RAM and
 * outside SVSM memory is the launcher's check (it has the memory map).
 */
#ifndef CSVSM_GUEST_FWMETA_H
#define CSVSM_GUEST_FWMETA_H

#include "lib/types.h"

#define FWMETA_TAIL_MAX 4096		 /* the footer table must lie in the image's last page */
#define FWMETA_ASEV_SIGNATURE 0x56455341 /* "ASEV" */
#define FWMETA_ASEV_VERSION 1
#define FWMETA_ASEV_HDR_SIZE 16
#define FWMETA_SECTION_SIZE 12
#define FWMETA_MAX_SECTIONS 32
#define FWMETA_ASEV_MAX (FWMETA_ASEV_HDR_SIZE + FWMETA_MAX_SECTIONS * FWMETA_SECTION_SIZE)

/* Section types (edk2 OvmfPkg ResetVector OvmfSevMetadata.asm). */
#define FW_SECTION_PREVALIDATED 1
#define FW_SECTION_SECRETS 2
#define FW_SECTION_CPUID 3
#define FW_SECTION_SVSM_CAA 4
#define FW_SECTION_KERNEL_HASHES 0x10

struct fw_section {
	u64 gpa;
	u64 size;
	u32 type;
};

struct fwmeta {
	u64 fw_gpa, fw_size; /* the image: [fw_gpa, fw_gpa + fw_size) */
	bool has_reset_block;
	u32 ap_reset_addr;
	u32 asev_offset; /* from the end of the image */
	u32 nr_sections;
	struct fw_section sec[FWMETA_MAX_SECTIONS];
	int secrets, cpuid, caa; /* indexes into sec[] */
};

/*
 * Step 1. @tail holds the last @tail_len bytes of the image at [fw_gpa, fw_gpa + fw_size)
 * (tail_len = min(fw_size, FWMETA_TAIL_MAX)). Fills m->fw_*, the reset block and
 * asev_offset. 0; -EINVAL for an unusable image range (empty, not page aligned, wrapping,
 * beyond 4 GiB) or tail length; -ENOENT if the footer or the metadata entry is missing;
 * -EPROTO for a malformed table or entry.
 */
int fwmeta_parse_footer(const void *tail, size_t tail_len, u64 fw_gpa, u64 fw_size,
			struct fwmeta *m);

/* How many bytes step 2 needs from the "ASEV" structure on (at most FWMETA_ASEV_MAX, never
 * past the end of the image). */
size_t fwmeta_asev_bytes(const struct fwmeta *m);

/*
 * Step 2. @asev holds @len bytes of the image from the "ASEV" structure on. Fills the
 * sections. 0, or -EPROTO for a malformed structure or section list.
 */
int fwmeta_parse_asev(const void *asev, size_t len, struct fwmeta *m);

#endif
