/* SPDX-License-Identifier: MIT */
/*
 * The one mapping from what the SVSM's mechanisms return to SVSM result codes (RAX[31:0],
 * protocol/svsm.h). Below protocol/ every failure is a negative errno (lib/errno.h) or, where
 * PVALIDATE or RMPADJUST failed, that instruction's positive result; the protocol's own checks
 * answer with SVSM codes directly, and every other answer goes through svsm_result().
 */
#ifndef CSVSM_PROTOCOL_RESULT_H
#define CSVSM_PROTOCOL_RESULT_H

#include "lib/errno.h"
#include "protocol/svsm.h"

static inline u32 svsm_result(int rc)
{
	/* PVALIDATE/RMPADJUST result rc: 0x80001000 + rc for 1..0xf (SVSM spec #58019, PVALIDATE
	 * errors). */
	if (rc > 0)
		return rc <= 0xf ? SVSM_ERR_PROTOCOL_BASE + (u32)rc : SVSM_ERR_PVALIDATE_RANGE;
	switch (rc) {
	case 0:
		return SVSM_SUCCESS;
	case -EFAULT: /* not guest RAM, SVSM memory, registered, not validated, faulted */
		return SVSM_ERR_INVALID_ADDRESS;
	case -EINVAL:
		return SVSM_ERR_INVALID_PARAMETER;
	case -EBUSY: /* another vCPU works on the page: retry */
		return SVSM_ERR_BUSY;
	case -ENOSPC: /* no VMSA slot left for that vCPU */
		return SVSM_ERR_INVALID_REQUEST;
	case -EPROTO: /* the calling area announces a call it cannot hold */
		return SVSM_ERR_INVALID_FORMAT;
	case -EALREADY: /* PVALIDATE with CF = 1 */
		return SVSM_ERR_PVALIDATE_FAIL_NO_CHANGE;
	case -ETXTBSY: /* DELETE_VCPU of a VMSA a call is being served from */
		return SVSM_ERR_VCPU_IN_USE;
	default: /* an instruction result above 0xf, or a failure with no code of its own */
		return SVSM_ERR_PVALIDATE_RANGE;
	}
}

#endif
