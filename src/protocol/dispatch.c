// SPDX-License-Identifier: MIT
/* Routing of SVSM calls (include/protocol/dispatch.h). */
#include "protocol/dispatch.h"
#include "protocol/attest.h"

#define VTOM_QUERY BIT_ULL(0) /* CONFIGURE_VTOM: RCX bit 0 = query (SVSM spec #58019) */

u64 svsm_query_protocol(u64 rcx)
{
	u32 protocol = (u32)(rcx >> 32), version = (u32)rcx;

	if (protocol == SVSM_PROTOCOL_CORE && version >= SVSM_CORE_VERSION_MIN &&
	    version <= SVSM_CORE_VERSION_MAX)
		return ((u64)SVSM_CORE_VERSION_MAX << 32) | SVSM_CORE_VERSION_MIN;
	if (protocol == SVSM_PROTOCOL_ATTEST && version >= SVSM_ATTEST_VERSION_MIN &&
	    version <= SVSM_ATTEST_VERSION_MAX)
		return ((u64)SVSM_ATTEST_VERSION_MAX << 32) | SVSM_ATTEST_VERSION_MIN;
	return 0;
}

static u32 core_call(struct svsm_call *call)
{
	switch (svsm_call_id(call)) {
	case SVSM_CORE_REMAP_CA:
		return core_remap_ca(call);
	case SVSM_CORE_PVALIDATE:
		return core_pvalidate(call);
	case SVSM_CORE_CREATE_VCPU:
		return core_create_vcpu(call);
	case SVSM_CORE_DELETE_VCPU:
		return core_delete_vcpu(call);
	case SVSM_CORE_QUERY_PROTOCOL:
		call->rcx = svsm_query_protocol(call->rcx);
		return SVSM_SUCCESS;
	case SVSM_CORE_CONFIGURE_VTOM:
		if (call->rcx & VTOM_QUERY) {
			call->rcx = 0;
			return SVSM_SUCCESS;
		}
		return SVSM_ERR_INVALID_REQUEST;
	case SVSM_CORE_DEPOSIT_MEM:
	case SVSM_CORE_WITHDRAW_MEM:
	default:
		return SVSM_ERR_UNSUPPORTED_CALL;
	}
}

void svsm_dispatch(struct svsm_call *call)
{
	u32 rc;

	/* One case per protocol; each protocol's calls are served by a module of its own
	 * (the core protocol: core_call above, protocol/core.c). */
	switch (svsm_call_protocol(call)) {
	case SVSM_PROTOCOL_CORE:
		rc = core_call(call);
		break;
	case SVSM_PROTOCOL_ATTEST:
		rc = attest_call(call);
		break;
	default:
		rc = SVSM_ERR_UNSUPPORTED_PROTOCOL;
		break;
	}
	call->rax = rc;
}
