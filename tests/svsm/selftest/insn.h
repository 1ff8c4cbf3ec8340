/*
 * The instructions of the SVSM self-test (insn.S): each raises a #VC (or a fault) in the SVSM
 * in one exact encoding, with its input registers preset and its output registers returned.
 */
#ifndef CSVSM_SELFTEST_INSN_H
#define CSVSM_SELFTEST_INSN_H

/* The port of the imm8 forms: nothing sits there under snpemu (reads all ones, writes go
 * nowhere), which is what the checks expect of it. */
#define ST_IMM_PORT 0x80

#ifndef __ASSEMBLY__

#include "lib/types.h"

/* IN with a DX port: RAX = @rax before, returns RAX after. */
u64 st_inb_dx(u64 port, u64 rax);
u64 st_inw_dx(u64 port, u64 rax);
u64 st_inl_dx(u64 port, u64 rax);
/* IN from ST_IMM_PORT (imm8) while DX holds @rdx. */
u64 st_inb_imm(u64 rdx, u64 rax);
u64 st_inw_imm(u64 rdx, u64 rax);
u64 st_inl_imm(u64 rdx, u64 rax);
/* OUT with a DX port / to ST_IMM_PORT while DX holds @rdx. */
void st_outb_dx(u64 port, u64 rax);
void st_outw_dx(u64 port, u64 rax);
void st_outl_dx(u64 port, u64 rax);
void st_outb_imm(u64 rdx, u64 rax);
void st_outw_imm(u64 rdx, u64 rax);
/* A 32-bit OUT of @value to port 0xf4 (imm8): snpemu's verdict, ends the run. */
void st_verdict(u32 value);

/* String I/O: out[0] = RDI (INS) or RSI (OUTS) and out[1] = RCX afterwards. */
void st_rep_insb(u64 port, void *buf, u64 count, u64 out[2]);
void st_rep_insw(u64 port, void *buf, u64 count, u64 out[2]);
void st_rep_insl(u64 port, void *buf, u64 count, u64 out[2]);
void st_insb(u64 port, void *buf, u64 rcx, u64 out[2]);
void st_rep_outsb(u64 port, const void *buf, u64 count, u64 out[2]);
void st_rep_outsw(u64 port, const void *buf, u64 count, u64 out[2]);
void st_rep_outsl(u64 port, const void *buf, u64 count, u64 out[2]);
void st_outsb(u64 port, const void *buf, u64 rcx, u64 out[2]);

/* CPUID with RAX = @rax, RCX = @rcx, junk in RBX/RDX: out = RAX, RBX, RCX, RDX after. */
void st_cpuid(u64 rax, u64 rcx, u64 out[4]);
/* RDMSR with junk in RAX/RDX; WRMSR of @rdx:@rax. out = RAX, RDX, RCX after. */
void st_rdmsr(u64 rcx, u64 out[3]);
void st_wrmsr(u64 rcx, u64 rax, u64 rdx, u64 out[3]);

/* An imm8 IN with every other register set to 0x1111111111111100 + its number (RBX 3 ... R15
 * 15; RCX 1, RDX 2, RSI 4, RDI 5, RBP 6): out = RAX, RBX, RCX, RDX, RSI, RDI, RBP, (RSP after
 * minus RSP before), R8..R15. */
void st_vc_keeps_regs(u64 out[16]);

/* Fatal: #DE, and #VCs with exit codes the SVSM does not handle (WBINVD 0x89, VMMCALL 0x81). */
void st_div0(void);
void st_wbinvd(void);
void st_vmmcall(void);

/* An AP's entry for the self-test (its VMSA's RIP): as start.S's svsm_ap_start, into
 * selftest_ap_main. */
void st_ap_start(void);
__attribute__((noreturn)) void selftest_ap_main(void);

#endif /* __ASSEMBLY__ */
#endif
