/* SPDX-License-Identifier: MIT */
/*
 * Decoding the port-I/O instruction that raised a #VC with exit code IOIO (0x7b): the
 * hardware gives only the exit code, so the SVSM reads the instruction bytes itself. Pure C.
 *
 * Accepted: IN/OUT with imm8 or DX port (E4-E7, EC-EF) and INS/OUTS (6C-6F), with the
 * prefixes 66 (16-bit operand), 67 (32-bit addressing), F3/F2 (REP), the null segment
 * overrides 26/2E/36/3E and REX (40-4F, last before the opcode, ignored: I/O is at most
 * 32-bit). FS/GS overrides (64/65) are refused: the SVSM never needs them on OUTS.
 */
#ifndef CSVSM_SEV_VC_INSN_H
#define CSVSM_SEV_VC_INSN_H

#include "lib/types.h"

#define X86_MAX_INSN_LEN 15

struct io_insn {
	unsigned int len;	/* instruction length in bytes */
	unsigned int size;	/* operand size: 1, 2 or 4 */
	unsigned int addr_size; /* string forms: 8 (64-bit) or 4 (67 prefix) */
	bool in;		/* IN/INS, else OUT/OUTS */
	bool string;		/* INS/OUTS */
	bool rep;		/* F3/F2 prefix (meaningful for string forms) */
	bool port_imm;		/* port is the imm8 below, else DX */
	u8 port;
};

/* Decode @code[0..avail). 0, or -EINVAL if it is not such an instruction (or is cut off),
 * -ENOTSUP for an FS/GS override. */
int io_insn_decode(const u8 *code, size_t avail, struct io_insn *io);

#endif
