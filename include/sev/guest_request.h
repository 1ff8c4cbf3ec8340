/* SPDX-License-Identifier: MIT */
/*
 * SNP guest requests with VMPCK0: attestation reports from the PSP for the SVSM itself (VMPL0),
 * through the host (GHCB spec #56421 NAE 0x80000011, extended 0x80000012; message format SNP
 * ABI #56860 "Guest messages", MSG_REPORT_REQ).
 *
 * VMPCK0 never leaves VMPL0: it is read from the SVSM's own secrets page (the guest's copy has
 * it cleared, guest/launch.c); messages are sealed and opened in private memory and only
 * ciphertext is copied to and from the shared pages. The message sequence number lives here:
 * each request uses the next odd number, and a number whose message the host has seen is never
 * used for another message (AES-GCM must never see an IV twice under one key): the identical
 * message is resent (host BUSY; INVALID_LEN of the extended request, then as a plain request),
 * and any other failure, or a response that fails its checks, disables VMPCK0 for good.
 */
#ifndef CSVSM_SEV_GUEST_REQUEST_H
#define CSVSM_SEV_GUEST_REQUEST_H

#include "lib/types.h"

#define SNP_REPORT_DATA_LEN 64
#define SNP_REPORT_LEN 0x4a0 /* ATTESTATION_REPORT */
#define SNP_CERTS_MAX 0x4000 /* the SVSM's certificate buffer (4 shared pages) */

/*
 * A report for VMPL0 with @report_data. With @certs, through the extended request: the host's
 * certificate table is copied to @certs (SNP_CERTS_MAX bytes, private) and *certs_len is its
 * extent (0: the host has none).
 *
 * 0; -ENOSPC if the host's table needs more than SNP_CERTS_MAX (*certs_len = what it needs; no
 * report); -EPERM if VMPCK0 is disabled (now or earlier); -EIO if the host or the PSP failed
 * the request (VMPCK0 is then disabled); -EPROTO if the response failed its checks (disabled
 * too) or the PSP refused the report (status in the response; VMPCK0 stays); -ENOMEM if the
 * shared pages could not be had.
 */
int snp_guest_report(const u8 report_data[SNP_REPORT_DATA_LEN], u8 report[SNP_REPORT_LEN],
		     u8 *certs, u32 *certs_len);

/* The sequence number of the last message answered (0: none); for tests. */
u64 snp_guest_request_seqno(void);

#endif
