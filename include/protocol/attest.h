/* SPDX-License-Identifier: MIT */
/*
 * The attestation protocol (protocol 1, version 1; SVSM spec #58019 "Attestation Protocol"):
 * SVSM_ATTEST_SERVICES (call 0) and SVSM_ATTEST_SINGLE_SERVICE (call 1). The guest names a
 * request structure (RCX); csvsm builds the services manifest, sets REPORT_DATA =
 * SHA-512(nonce || manifest), gets a VMPL0 report signed by the PSP (sev/guest_request.h),
 * with the host's certificates when the guest gave a certificate buffer, and copies report,
 * manifest and certificates out. RCX = manifest size, RDX = certificate size, R8 = report
 * size are written on every answer, also "buffer too small" (INVALID_PARAMETER), so that the
 * guest can retry with the sizes it needs.
 *
 * Request structure (0x40 bytes; call 1 adds 0x18), little-endian:
 *   0x00 u64 report buffer GPA (page aligned)    0x08 u32 size   0x0c u32 reserved
 *   0x10 u64 nonce GPA (nonce within one page)   0x18 u32 nonce size (64)  0x1c u32 reserved
 *   0x20 u64 manifest buffer GPA (page aligned)  0x28 u32 size   0x2c u32 reserved
 *   0x30 u64 certificate buffer GPA (page aligned unless size 0)  0x38 u32 size  0x3c reserved
 *   call 1: 0x40 service GUID (UEFI byte order), 0x50 u32 manifest version (0), 0x54 reserved
 * The nonce size is read as a u32 (Linux) with the next 4 bytes reserved; a client that
 * writes it as a u16 with 6 reserved bytes sends the same bytes.
 */
#ifndef CSVSM_PROTOCOL_ATTEST_H
#define CSVSM_PROTOCOL_ATTEST_H

#include "protocol/svsm.h"

#define SVSM_PROTOCOL_ATTEST 1
#define SVSM_ATTEST_VERSION_MIN 1
#define SVSM_ATTEST_VERSION_MAX 1
#define SVSM_ATTEST_SERVICES 0
#define SVSM_ATTEST_SINGLE_SERVICE 1

#define ATTEST_REQ_LEN 0x40
#define ATTEST_SINGLE_REQ_LEN 0x58
#define ATTEST_NONCE_LEN 64
#define ATTEST_SERVICES_MANIFEST_LEN 24 /* a GUID table without entries: csvsm has no services */

struct attest_req {
	u64 report_gpa, nonce_gpa, manifest_gpa, certs_gpa;
	u32 report_size, manifest_size, certs_size;
	u8 service_guid[16];
	u32 manifest_version;
};

/* Decode @raw (ATTEST_REQ_LEN, or ATTEST_SINGLE_REQ_LEN if @single) into @r and check its
 * format: reserved fields zero, nonce size 64 and the nonce within one page, buffers page
 * aligned, manifest version 0. SVSM_SUCCESS or SVSM_ERR_INVALID_PARAMETER. Pure. */
u32 attest_req_decode(const u8 *raw, bool single, struct attest_req *r);

/* The services manifest (SVSM spec #58019: a GUID table, GUID
 * 63849ebb-3d92-4670-a1ff-58f9c94b87bb, total length, count, entries): ATTEST_SERVICES_
 * MANIFEST_LEN bytes into @buf. Pure. */
void attest_services_manifest(u8 buf[ATTEST_SERVICES_MANIFEST_LEN]);

/* Protocol 1's calls (protocol/attest.c). The result code; RCX, RDX, R8 in @call. */
u32 attest_call(struct svsm_call *call);

#endif
