/* SPDX-License-Identifier: MIT */
/*
 * CPU exceptions in the SVSM. Every vector but #VC is fatal: the handler prints the
 * registers, CR2 and a bounded, range-checked frame-pointer stack trace on the console (once
 * the console works), then terminates with (15, TERM_PANIC), or (15, TERM_DOUBLE_FAULT) for
 * #DF. #VC goes to sev/vc.c.
 */
#ifndef CSVSM_ARCH_EXCEPTION_H
#define CSVSM_ARCH_EXCEPTION_H

#include "lib/types.h"

/* What src/arch/entry.S saves, lowest address first. */
struct trap_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector;
	u64 error_code; /* 0 for vectors without one; the exit code for #VC */
	/* pushed by the CPU */
	u64 rip, cs, rflags, rsp, ss;
};

_Static_assert(sizeof(struct trap_frame) == 22 * 8, "entry.S frame layout");

/* Called from entry.S with interrupts off. Returns only for a handled #VC. */
void exception_dispatch(struct trap_frame *f);

/* Print @what, the registers, CR2 and a stack trace of @f, then terminate with (15, @code).
 * A second fatal exception on the same vCPU terminates at once, printing nothing. */
__noreturn void exception_fatal(struct trap_frame *f, unsigned int code, const char *what);

/* Print a frame-pointer stack trace starting at @rip / @rbp (bounded, range-checked). */
void stack_trace_print(u64 rip, u64 rbp);

/* Entry stubs, indexed by vector; NULL for vectors without a handler (entry.S). */
extern const u64 exception_entries[];

#endif
