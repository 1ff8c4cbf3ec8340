/*
 * The VMPL1 side of the payload: a loop that runs one command from VMPL0, then returns to
 * VMPL0 with a run-VMPL(0) request (facts §7 call convention, §3 NAE 0x80000018).
 */
#ifndef CONF_VMPL1_H
#define CONF_VMPL1_H

#include "conf.h"
#include "insn.h"

enum vmpl1_cmd {
	V1_NOP,
	V1_READ,      /* arg0 = VA */
	V1_WRITE,     /* arg0 = VA, arg1 = value */
	V1_PVALIDATE, /* arg0 = VA, arg1 = 2 MiB, arg2 = validate */
	V1_RMPADJUST, /* arg0 = VA, arg1 = 2 MiB, arg2 = attributes */
	V1_CPUID,     /* arg0 = leaf */
	V1_SAY_OK,    /* print a check line from VMPL1 */
};

/* How VMPL1 asks for VMPL0: MSR protocol 0x016 or NAE 0x80000018. */
enum vmpl_form {
	FORM_MSR,
	FORM_NAE
};

/* In the VMPL1-writable section; VMPL0 writes a command, VMPL1 the results. */
struct vmpl1_mailbox {
	u32 cmd;
	u32 exit_form;
	u64 arg[3];
	struct insn_result res;
	u64 served;	   /* commands run, counted in a local of vmpl1_main */
	u64 reg_resp;	   /* VMPL1's own GHCB registration response */
	u64 resume_status; /* its last run-VMPL(0): MSR response or exit_info_1 */
	bool resume_valid; /* (NAE form) exit_info_1 was marked valid */
	u64 resume_regs;   /* registers its last VMGEXIT changed (vmgexit_check_regs) */
};

extern struct vmpl1_mailbox vmpl1_mailbox;
struct cpu *vmpl1_cpu(void);
u64 vmpl1_stack_top(void);
__noreturn void vmpl1_main(void);

#endif
