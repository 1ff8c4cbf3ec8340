// SPDX-License-Identifier: MIT
/* The attestation protocol's request structure and services manifest
 * (include/protocol/attest.h): pure, host-tested. */
#include "protocol/attest.h"
#include "lib/string.h"

static u64 get64(const u8 *p)
{
	u64 v;

	memcpy(&v, p, 8);
	return v;
}

static u32 get32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, 4);
	return v;
}

u32 attest_req_decode(const u8 *raw, bool single, struct attest_req *r)
{
	u32 nonce_size = get32(raw + 0x18);

	r->report_gpa = get64(raw + 0x00);
	r->report_size = get32(raw + 0x08);
	r->nonce_gpa = get64(raw + 0x10);
	r->manifest_gpa = get64(raw + 0x20);
	r->manifest_size = get32(raw + 0x28);
	r->certs_gpa = get64(raw + 0x30);
	r->certs_size = get32(raw + 0x38);
	memset(r->service_guid, 0, sizeof(r->service_guid));
	r->manifest_version = 0;
	if (single) {
		memcpy(r->service_guid, raw + 0x40, 16);
		r->manifest_version = get32(raw + 0x50);
	}
	if (get32(raw + 0x0c) || get32(raw + 0x1c) || get32(raw + 0x2c) || get32(raw + 0x3c) ||
	    (single && get32(raw + 0x54)))
		return SVSM_ERR_INVALID_PARAMETER;
	if (nonce_size != ATTEST_NONCE_LEN ||
	    (r->nonce_gpa & (PAGE_SIZE - 1)) > PAGE_SIZE - ATTEST_NONCE_LEN)
		return SVSM_ERR_INVALID_PARAMETER;
	if (!IS_ALIGNED(r->report_gpa, PAGE_SIZE) || !IS_ALIGNED(r->manifest_gpa, PAGE_SIZE) ||
	    (r->certs_size && !IS_ALIGNED(r->certs_gpa, PAGE_SIZE)))
		return SVSM_ERR_INVALID_PARAMETER;
	if (r->manifest_version)
		return SVSM_ERR_INVALID_PARAMETER; /* only version 0 is defined */
	return SVSM_SUCCESS;
}

/* 63849ebb-3d92-4670-a1ff-58f9c94b87bb in UEFI byte order */
static const u8 services_manifest_guid[16] = { 0xbb, 0x9e, 0x84, 0x63, 0x92, 0x3d, 0x70, 0x46,
					       0xa1, 0xff, 0x58, 0xf9, 0xc9, 0x4b, 0x87, 0xbb };

void attest_services_manifest(u8 buf[ATTEST_SERVICES_MANIFEST_LEN])
{
	u32 len = ATTEST_SERVICES_MANIFEST_LEN, count = 0;

	memcpy(buf, services_manifest_guid, 16);
	memcpy(buf + 16, &len, 4);
	memcpy(buf + 20, &count, 4);
}
