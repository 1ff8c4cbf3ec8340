// SPDX-License-Identifier: MIT
/* GHCB request setup and result decoding (GHCB spec #56421, GHCB layout). Pure C: host-tested. */
#include "sev/ghcb.h"
#include "lib/string.h"

void ghcb_reset(struct ghcb *g)
{
	memset(&g->save, 0, sizeof(g->save));
	memset(g->valid_bitmap, 0, sizeof(g->valid_bitmap));
	g->protocol_version = GHCB_PROTOCOL_MAX;
	g->ghcb_usage = GHCB_USAGE_STANDARD;
}

int ghcb_result(const struct ghcb *g, u64 *info2)
{
	u64 info1;

	*info2 = 0;
	if (ghcb_get(g, GHCB_OFF_SW_EXIT_INFO_1, &info1))
		return -EPROTO;
	switch ((u32)info1) {
	case GHCB_RESULT_OK:
		return 0;
	case GHCB_RESULT_EXCEPTION:
	case GHCB_RESULT_MALFORMED:
		if (ghcb_get(g, GHCB_OFF_SW_EXIT_INFO_2, info2))
			*info2 = 0;
		return -EIO;
	default:
		return -EPROTO;
	}
}
