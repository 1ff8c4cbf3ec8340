/*
 * Decoding of the port I/O instructions a #VC handler emulates (tests/tlib/README.md): IN and
 * OUT with an imm8 or DX port, INS and OUTS, with operand-size (66) and REP (F3) prefixes.
 * Plain x86 (APM vol. 3); what goes into the GHCB for them (the IOIO exit_info_1) each
 * program builds with its own constants.
 */
#ifndef TLIB_IO_INSN_H
#define TLIB_IO_INSN_H

#include "lib/types.h"

struct io_insn {
	u16 port;
	unsigned int size; /* bytes per element: 1, 2 or 4 */
	unsigned int len;  /* of the instruction, prefixes included */
	bool in;	   /* IN/INS: the port is read */
	bool string;	   /* INS/OUTS */
	bool rep;	   /* a string instruction with REP: RCX elements */
};

/* Decode the instruction at @insn; @dx is the DX register (the port of the DX forms). False
 * if it is no port I/O instruction. */
bool io_insn_decode(const u8 *insn, u64 dx, struct io_insn *io);

#endif
