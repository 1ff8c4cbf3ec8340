/* SPDX-License-Identifier: MIT */
/*
 * Non-automatic exits through this vCPU's GHCB (GHCB spec #56421, GHCB usage and NAE events).
 *
 * Usage: g = ghcb_begin(); fill inputs with ghcb_set(); ghcb_nae(g, exit code, info1,
 * info2, &err); read outputs with ghcb_get(); ghcb_end(g). ghcb_begin() resets the page
 * (protocol version 2, usage 0, empty valid bitmap), so no half-filled or stale GHCB ever
 * reaches the hypervisor.
 *
 * One GHCB per vCPU. A #VC taken while the GHCB is in use (depth 1) borrows it: ghcb_begin
 * saves the page to the vCPU's private backup page and ghcb_end restores it, so the
 * interrupted user finds its inputs or results intact. A third level terminates.
 *
 * Malformed responses (exit_info_1 not valid, or an undefined result) terminate with
 * (15, TERM_BAD_HV_RESPONSE); host-reported errors are returned as -EIO for the caller to
 * judge.
 */
#ifndef CSVSM_SEV_GHCB_NAE_H
#define CSVSM_SEV_GHCB_NAE_H

#include "lib/types.h"
#include "sev/ghcb.h"

/* True once this vCPU's GHCB is registered with the hypervisor (the echo checked). A GHCB
 * that is not must never be used: a host that did not register it would stop the VM at the
 * VMGEXIT, and the reason for a termination would be lost with it. */
bool ghcb_usable(void);

struct ghcb *ghcb_begin(void);
void ghcb_end(struct ghcb *g);

/* GPA of this vCPU's GHCB shared buffer (for sw_scratch). */
u64 ghcb_buffer_gpa(void);

/*
 * Issue NAE @exit_code with the inputs already in @g. 0 on success; -EIO if the host reported
 * an error (*host_err = exit_info_2 if valid, else 0). @host_err may be NULL.
 */
int ghcb_nae(struct ghcb *g, u64 exit_code, u64 info1, u64 info2, u64 *host_err);

/* IOIO exit_info_1 (GHCB spec #56421, NAE events): port, operand size 1/2/4, direction, string and
 * REP forms. */
static inline u64 ioio_exit_info1(u16 port, unsigned int size, bool in, bool string, bool rep)
{
	u64 info = IOIO_PORT(port) | IOIO_ADDR_64;

	info |= size == 1 ? IOIO_DATA_8 : size == 2 ? IOIO_DATA_16 : IOIO_DATA_32;
	if (in)
		info |= IOIO_TYPE_IN;
	if (string)
		info |= IOIO_STR | (in ? IOIO_SEG_ES : IOIO_SEG_DS);
	if (rep)
		info |= IOIO_REP;
	return info;
}

/* Port I/O through the IOIO NAE (size 1, 2 or 4). 0 or -EIO. */
int ghcb_io_out(u16 port, unsigned int size, u32 val);
int ghcb_io_in(u16 port, unsigned int size, u32 *val);
/* String forms (rep outs / rep ins) of @count elements through the shared buffer, in as many
 * exits as the buffer requires. 0, -EIO, or -EINVAL for a bad size or an overflowing count. */
int ghcb_io_outs(u16 port, unsigned int size, const void *buf, size_t count);
int ghcb_io_ins(u16 port, unsigned int size, void *buf, size_t count);

/* RDMSR/WRMSR through the MSR NAE (for #VC). 0 or -EIO. */
int ghcb_msr_read(u32 msr, u64 *val);
int ghcb_msr_write(u32 msr, u64 val);

/* AP creation NAE, request CREATE at VMPL0 (GHCB spec #56421, NAE events): rax = sev_features. 0 or
 * -EIO. */
int ghcb_ap_create(u32 apic_id, u64 vmsa_gpa, u64 sev_features, u64 *host_err);
/* The same for a VMSA of VMPL @vmpl (the guest's BSP VMSA at VMPL1). */
int ghcb_ap_create_vmpl(u32 apic_id, unsigned int vmpl, u64 vmsa_gpa, u64 sev_features,
			u64 *host_err);

/*
 * The hypervisor's APIC ID list (NAE 0x80000017; GHCB spec #56421, NAE events): first the number of
 * pages it needs, then the list into the shared page at @page (GPA @page_gpa). *count = entries.
 * -EIO if the host refuses, -E2BIG if it needs more than one page, -EPROTO if the list is
 * malformed (count 0 or more than fits).
 */
int ghcb_get_apic_ids(void *page, u64 page_gpa, u32 *ids, u32 max, u32 *count);

#endif
