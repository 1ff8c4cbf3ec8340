/*
 * Helpers shared by the check_*.c files.
 */
#ifndef CONF_CHECK_H
#define CONF_CHECK_H

#include "conf.h"
#include "ghcb.h"
#include "insn.h"
#include "vmsa.h"

#define VEC_VC 29
#define CF_ANY (-1)

/* PVALIDATE/RMPADJUST ran without exception with EAX = @eax and CF = @cf (or CF_ANY). */
bool check_insn(const char *name, struct insn_result r, u64 eax, int cf);
/* The instruction raised #VC with @code, at the instruction itself. */
bool check_vc_at(const char *name, struct insn_result r, u64 code);
/* The instruction raised no exception. */
bool check_no_fault(const char *name, struct insn_result r);
/* The NAE succeeded: exit_info_1 valid and 0. */
bool check_nae_ok(const char *name, struct nae n);

/* APIC IDs from NAE 0x80000017 (check_nae.c), used by check_ap.c. */
#define MAX_APIC_IDS 64
extern u32 apic_ids[MAX_APIC_IDS];
extern unsigned int nr_apic_ids;

#endif
