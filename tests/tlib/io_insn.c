/* Port I/O instruction decoding (tlib/io_insn.h). */
#include "tlib/io_insn.h"

bool io_insn_decode(const u8 *insn, u64 dx, struct io_insn *io)
{
	bool opsize16 = false, rep = false;
	unsigned int n;
	u8 op;

	for (n = 0; n < 4; n++) {
		if (insn[n] == 0x66)
			opsize16 = true;
		else if (insn[n] == 0xf3)
			rep = true;
		else
			break;
	}
	op = insn[n++];
	switch (op) {
	case 0xe4: /* in al, imm8 */
	case 0xe5: /* in eax, imm8 */
	case 0xe6: /* out imm8, al */
	case 0xe7: /* out imm8, eax */
		io->port = insn[n++];
		break;
	case 0xec: /* in al, dx */
	case 0xed:
	case 0xee: /* out dx, al */
	case 0xef:
	case 0x6c: /* insb */
	case 0x6d:
	case 0x6e: /* outsb */
	case 0x6f:
		io->port = (u16)dx;
		break;
	default:
		return false;
	}
	io->len = n;
	io->in = !(op & 2); /* E4 E5 EC ED 6C 6D read the port; E6 E7 EE EF 6E 6F write it */
	io->string = op >= 0x6c && op <= 0x6f;
	io->size = (op & 1) ? (opsize16 ? 2 : 4) : 1;
	io->rep = io->string && rep;
	return true;
}
