// SPDX-License-Identifier: MIT
/* Port-I/O instruction decoding for the #VC handler (include/sev/vc_insn.h). */
#include "sev/vc_insn.h"
#include "lib/errno.h"

/* Opcode -> (in, string, byte-sized, imm8 port). */
static bool io_opcode(u8 op, struct io_insn *io)
{
	switch (op) {
	case 0xe4: /* in al, imm8 */
	case 0xe5: /* in eax, imm8 */
	case 0xe6: /* out imm8, al */
	case 0xe7: /* out imm8, eax */
		io->port_imm = true;
		io->in = op <= 0xe5;
		io->size = (op & 1) ? 4 : 1;
		return true;
	case 0xec: /* in al, dx */
	case 0xed: /* in eax, dx */
	case 0xee: /* out dx, al */
	case 0xef: /* out dx, eax */
		io->in = op <= 0xed;
		io->size = (op & 1) ? 4 : 1;
		return true;
	case 0x6c: /* insb */
	case 0x6d: /* insd */
	case 0x6e: /* outsb */
	case 0x6f: /* outsd */
		io->string = true;
		io->in = op <= 0x6d;
		io->size = (op & 1) ? 4 : 1;
		return true;
	default:
		return false;
	}
}

int io_insn_decode(const u8 *code, size_t avail, struct io_insn *io)
{
	bool opsize16 = false;
	size_t i;

	*io = (struct io_insn){ .addr_size = 8 };
	if (avail > X86_MAX_INSN_LEN)
		avail = X86_MAX_INSN_LEN;
	for (i = 0; i < avail; i++) {
		u8 b = code[i];

		switch (b) {
		case 0x66:
			opsize16 = true;
			continue;
		case 0x67:
			io->addr_size = 4;
			continue;
		case 0xf2:
		case 0xf3:
			io->rep = true;
			continue;
		case 0x26:
		case 0x2e:
		case 0x36:
		case 0x3e:
			continue; /* ES/CS/SS/DS overrides: no effect in 64-bit mode */
		case 0x64:
		case 0x65:
			return -ENOTSUP;
		default:
			break;
		}
		if ((b & 0xf0) == 0x40) { /* REX must come right before the opcode */
			if (++i >= avail)
				return -EINVAL;
			b = code[i];
		}
		if (!io_opcode(b, io))
			return -EINVAL;
		if (io->port_imm) {
			if (++i >= avail)
				return -EINVAL;
			io->port = code[i];
		}
		if (opsize16 && io->size == 4)
			io->size = 2;
		io->len = (unsigned int)i + 1;
		return 0;
	}
	return -EINVAL;
}
