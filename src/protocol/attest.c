// SPDX-License-Identifier: MIT
/*
 * The attestation protocol's calls (include/protocol/attest.h): guest buffers checked and
 * copied through guest/ (claimed, mapped, proven private and validated, as the core calls'),
 * the report from sev/guest_request.
 */
#include "protocol/attest.h"
#include "guest/gmem.h"
#include "guest/gpage.h"
#include "lib/crypto.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/page_alloc.h"
#include "protocol/result.h"
#include "sev/guest_request.h"

/* Per call, from the page allocator (calls on several vCPUs run at once; no lock may be held
 * across guest/'s claims): the report, then the certificate table. */
#define WORK_ORDER 3 /* 32 KiB */
#define WORK_CERTS PAGE_SIZE

_Static_assert(SNP_REPORT_LEN <= WORK_CERTS, "report fits the first page");
_Static_assert(WORK_CERTS + SNP_CERTS_MAX <= (PAGE_SIZE << WORK_ORDER), "work area");

/* Copy [gpa, gpa + len) of guest memory, page by page, in (@out) or out; with @buf NULL only
 * open each page (claimed, mapped, proven private and validated) and close it again.
 * Returns 0 or -errno (protocol/result.h maps it). */
static int guest_copy(u64 gpa, void *buf, u64 len, bool out)
{
	u8 *b = buf;
	u64 last;

	if (len && (check_add_overflow(gpa, len - 1, &last) || gmem_check(gpa, len)))
		return -EFAULT; /* not guest RAM outside SVSM memory, or wraps */
	while (len) {
		u64 off = gpa & (PAGE_SIZE - 1), n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
		struct gpage p;
		int err = gpage_open(&p, GMEM_SLOT_AUX, gpa - off);

		if (err)
			return err;
		if (b)
			err = out ? gpage_write(&p, off, b, n) : gpage_read(&p, off, b, n);
		gpage_close(&p);
		if (err)
			return err;
		gpa += n;
		if (b)
			b += n;
		len -= n;
	}
	return 0;
}

static u32 read_request(u64 gpa, bool single, struct attest_req *r)
{
	u8 raw[ATTEST_SINGLE_REQ_LEN];
	u64 len = single ? ATTEST_SINGLE_REQ_LEN : ATTEST_REQ_LEN, off = gpa & (PAGE_SIZE - 1);
	struct gpage p;
	int err;

	/* 8-byte aligned and within one page, as the core protocol's PVALIDATE request */
	if (!IS_ALIGNED(gpa, 8) || off + len > PAGE_SIZE)
		return SVSM_ERR_INVALID_PARAMETER;
	err = gpage_open(&p, GMEM_SLOT_REQ, gpa - off);
	if (err)
		return svsm_result(err);
	/* copied once, then checked: the guest cannot change what is checked */
	err = gpage_read(&p, off, raw, len);
	gpage_close(&p);
	return err ? svsm_result(err) : attest_req_decode(raw, single, r);
}

static u32 attest(struct svsm_call *call, u64 req_gpa, bool single, u8 *work)
{
	u8 nonce[ATTEST_NONCE_LEN], manifest[ATTEST_SERVICES_MANIFEST_LEN], rd[SHA512_LEN];
	u8 *report = work, *certs = work + WORK_CERTS;
	struct sha512_ctx h;
	struct attest_req r;
	u32 certs_len = 0, rc;
	int err;

	rc = read_request(req_gpa, single, &r);
	if (rc)
		return rc;
	/* csvsm offers no service (no vTPM): every service GUID is unknown ([C] answers this) */
	if (single)
		return SVSM_ERR_UNSUPPORTED_PROTOCOL;
	attest_services_manifest(manifest);
	call->rcx = sizeof(manifest);
	/* Every page of every buffer is checked before the PSP is asked: a refused buffer costs
	 * no message, and no buffer is written unless all can be. */
	err = guest_copy(r.nonce_gpa, nonce, sizeof(nonce), false);
	if (!err)
		err = guest_copy(r.report_gpa, NULL, MIN(r.report_size, SNP_REPORT_LEN), true);
	if (!err)
		err = guest_copy(r.manifest_gpa, NULL, MIN(r.manifest_size, sizeof(manifest)),
				 true);
	if (!err)
		err = guest_copy(r.certs_gpa, NULL, MIN(r.certs_size, SNP_CERTS_MAX), true);
	if (err)
		return svsm_result(err);

	/* REPORT_DATA = SHA-512(nonce || manifest) (SVSM spec #58019) */
	sha512_init(&h);
	sha512_update(&h, nonce, sizeof(nonce));
	sha512_update(&h, manifest, sizeof(manifest));
	sha512_final(&h, rd);
	err = snp_guest_report(rd, report, r.certs_size ? certs : NULL, &certs_len);
	if (err == -ENOSPC) {
		call->rdx = certs_len; /* what the host's table needs */
		return SVSM_ERR_INVALID_PARAMETER;
	}
	if (err)
		return SVSM_ERR_INVALID_REQUEST; /* no report to be had (VMPCK0 may be disabled) */
	call->rdx = certs_len;
	if (r.report_size < SNP_REPORT_LEN || r.manifest_size < sizeof(manifest) ||
	    r.certs_size < certs_len)
		return SVSM_ERR_INVALID_PARAMETER; /* too small: the sizes tell what is needed */
	err = guest_copy(r.report_gpa, report, SNP_REPORT_LEN, true);
	if (!err)
		err = guest_copy(r.manifest_gpa, manifest, sizeof(manifest), true);
	if (!err && certs_len)
		err = guest_copy(r.certs_gpa, certs, certs_len, true);
	return svsm_result(err);
}

u32 attest_call(struct svsm_call *call)
{
	u32 id = svsm_call_id(call), rc;
	u64 req_gpa = call->rcx;
	u8 *work;

	if (id != SVSM_ATTEST_SERVICES && id != SVSM_ATTEST_SINGLE_SERVICE)
		return SVSM_ERR_UNSUPPORTED_CALL;
	/* The sizes go out with every answer (Linux keeps its own for a register left as it
	 * was): the report's is known, the others once the request got that far, else 0. */
	call->rcx = 0;
	call->rdx = 0;
	call->r8 = SNP_REPORT_LEN;
	work = page_alloc(WORK_ORDER);
	if (!work)
		return SVSM_ERR_BUSY;
	rc = attest(call, req_gpa, id == SVSM_ATTEST_SINGLE_SERVICE, work);
	page_free(work); /* a report and certificates: nothing secret to wipe */
	return rc;
}
