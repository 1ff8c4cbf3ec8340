// SPDX-License-Identifier: MIT
/*
 * The port side of fw_cfg (the seam of include/dev/fwcfg.h): selector writes and bulk data
 * reads through the GHCB IOIO NAE. Data is read with string IN (rep insb) into the GHCB's
 * shared buffer, up to 2032 bytes per exit. The parsing of what comes back is dev/fwcfg.c.
 */
#include "dev/fwcfg.h"
#include "lib/errno.h"
#include "sev/ghcb_nae.h"

int fwcfg_port_select(u16 key)
{
	return ghcb_io_out(FW_CFG_PORT_SEL, 2, key) ? -EIO : 0;
}

int fwcfg_port_read(void *buf, size_t len)
{
	if (!len)
		return 0;
	return ghcb_io_ins(FW_CFG_PORT_DATA, 1, buf, len) ? -EIO : 0;
}
