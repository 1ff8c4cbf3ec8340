// SPDX-License-Identifier: MIT
/* SNP guest requests with VMPCK0 (include/sev/guest_request.h). */
#include "sev/guest_request.h"
#include "arch/layout.h"
#include "lib/crypto.h"
#include "lib/errno.h"
#include "lib/log.h"
#include "lib/spinlock.h"
#include "lib/string.h"
#include "mm/mem_init.h"
#include "sev/ghcb_nae.h"

/* Secrets page: VMPCK0 (SNP ABI #56860 "Secrets page") */
#define SECRETS_VMPCK0 0x20
#define VMPCK_LEN 32

/* Guest message header (SNP ABI #56860 "Guest messages"); AAD = bytes 0x30-0x5f */
#define MSG_AUTHTAG 0x00
#define MSG_SEQNO 0x20
#define MSG_ALGO 0x30
#define MSG_HDR_VERSION 0x31
#define MSG_HDR_SIZE 0x32
#define MSG_TYPE 0x34
#define MSG_VERSION 0x35
#define MSG_SIZE 0x36
#define MSG_VMPCK 0x3c
#define MSG_AAD 0x30
#define MSG_AAD_LEN 0x30
#define MSG_HDR_LEN 0x60
#define ALGO_AES_256_GCM 1
#define MSG_REPORT_REQ 5
#define MSG_REPORT_RSP 6
#define REPORT_REQ_LEN 0x60
#define REPORT_RSP_LEN (0x20 + SNP_REPORT_LEN)

/* SW_EXITINFO2 of a guest request: [63:32] host error, [31:0] PSP status (GHCB #56421) */
#define VMM_ERR(info2) ((u32)((info2) >> 32))
#define VMM_ERR_INVALID_LEN 1
#define VMM_ERR_BUSY 2
#define BUSY_RETRIES 8

#define CERT_PAGES (SNP_CERTS_MAX / PAGE_SIZE)
#define CERT_ENTRY_LEN 24

static struct spinlock lock; /* one message in flight: the sequence number is shared */
static bool disabled;
static u64 count;  /* sequence number of the last response (even), 0 before the first */
static u8 *shared; /* request page, response page, then the certificate buffer */
static u64 shared_gpa;
static u8 msg[PAGE_SIZE] __aligned(16); /* private staging */

static const u8 *vmpck0(void)
{
	return (const u8 *)__secrets_page + SECRETS_VMPCK0;
}

static void disable(const char *why)
{
	disabled = true;
	log_err("guest request: %s: VMPCK0 disabled", why);
}

/* The shared pages, contiguous, from the shared pool (first use; lock held). */
static int shared_setup(void)
{
	u64 gpa;

	if (shared)
		return 0;
	for (unsigned int i = 0; i < 2 + CERT_PAGES; i++) {
		u8 *p = shared_page_alloc(&gpa);

		if (!p || (i && (p != shared + i * PAGE_SIZE || gpa != shared_gpa + i * PAGE_SIZE)))
			return -ENOMEM; /* the pool is handed out in order: never expected */
		if (!i) {
			shared = p;
			shared_gpa = gpa;
		}
	}
	return 0;
}

static void iv_of(u64 seqno, u8 iv[AES_GCM_IV_LEN])
{
	memset(iv, 0, AES_GCM_IV_LEN);
	memcpy(iv, &seqno, sizeof(seqno)); /* little-endian, then 4 zero bytes */
}

/* MSG_REPORT_REQ for VMPL0 with @report_data, sealed with @seqno, into the request page. */
static void seal_request(const u8 *report_data, u64 seqno)
{
	u8 iv[AES_GCM_IV_LEN];

	memset(msg, 0, sizeof(msg));
	memcpy(msg + MSG_SEQNO, &seqno, 8);
	msg[MSG_ALGO] = ALGO_AES_256_GCM;
	msg[MSG_HDR_VERSION] = 1;
	msg[MSG_HDR_SIZE] = MSG_HDR_LEN;
	msg[MSG_TYPE] = MSG_REPORT_REQ;
	msg[MSG_VERSION] = 1;
	msg[MSG_SIZE] = REPORT_REQ_LEN;
	msg[MSG_VMPCK] = 0;
	/* payload: REPORT_DATA, VMPL 0, KEY_SEL 0 (VLEK if installed, else VCEK), reserved */
	memcpy(msg + MSG_HDR_LEN, report_data, SNP_REPORT_DATA_LEN);
	iv_of(seqno, iv);
	aes256_gcm_seal(vmpck0(), iv, msg + MSG_AAD, MSG_AAD_LEN, msg + MSG_HDR_LEN, REPORT_REQ_LEN,
			msg + MSG_AUTHTAG);
	memcpy(shared, msg, PAGE_SIZE);
	memset(shared + PAGE_SIZE, 0, PAGE_SIZE);
}

/* One NAE. 0 and *info2, or -EIO (the host refused the exit: exit_info_1 != 0). */
static int request_exit(bool ext, u64 *pages, u64 *info2)
{
	struct ghcb *g = ghcb_begin();
	u64 err = 0;
	int rc;

	if (ext) {
		ghcb_set(g, GHCB_OFF_RAX, shared_gpa + 2 * PAGE_SIZE);
		ghcb_set(g, GHCB_OFF_RBX, *pages);
	}
	rc = ghcb_nae(g, ext ? SVM_VMGEXIT_EXT_GUEST_REQUEST : SVM_VMGEXIT_GUEST_REQUEST,
		      shared_gpa, shared_gpa + PAGE_SIZE, &err);
	if (!rc && ghcb_get(g, GHCB_OFF_SW_EXIT_INFO_2, info2))
		rc = -EIO; /* the answer is in exit_info_2: a host that leaves it out failed */
	if (!rc && ext && VMM_ERR(*info2) == VMM_ERR_INVALID_LEN &&
	    ghcb_get(g, GHCB_OFF_RBX, pages))
		rc = -EIO;
	ghcb_end(g);
	return rc;
}

/* Send the sealed message until the host took it or gave up: 0 (answered, *info2 = 0), or
 * -ENOSPC (the certificates need *pages pages; the message was then sent as a plain request). */
static int send(bool ext, u64 *pages)
{
	u64 info2 = 0;

	for (unsigned int tries = 0;; tries++) {
		if (request_exit(ext, pages, &info2)) {
			disable("the host refused the request");
			return -EIO;
		}
		if (VMM_ERR(info2) == VMM_ERR_BUSY && tries < BUSY_RETRIES)
			continue; /* not sent: the identical message again */
		if (ext && info2 == (u64)VMM_ERR_INVALID_LEN << 32) {
			/* not sent either: consume the sequence number with the same message */
			int rc = send(false, NULL);

			return rc ? rc : -ENOSPC;
		}
		if (info2) {
			log_err("guest request: host/PSP error %#llx", (unsigned long long)info2);
			disable("the request failed");
			return -EIO;
		}
		return 0;
	}
}

/* The response page, copied before it is checked, opened in private memory. */
static int open_response(u64 seqno, u8 *report)
{
	u8 iv[AES_GCM_IV_LEN];
	u64 rseq;
	u16 size, hdr;

	memcpy(msg, shared + PAGE_SIZE, PAGE_SIZE);
	memcpy(&rseq, msg + MSG_SEQNO, 8);
	memcpy(&size, msg + MSG_SIZE, 2);
	memcpy(&hdr, msg + MSG_HDR_SIZE, 2);
	if (msg[MSG_ALGO] != ALGO_AES_256_GCM || msg[MSG_HDR_VERSION] != 1 || hdr != MSG_HDR_LEN ||
	    msg[MSG_TYPE] != MSG_REPORT_RSP || msg[MSG_VERSION] != 1 || msg[MSG_VMPCK] != 0 ||
	    rseq != seqno + 1 || size != REPORT_RSP_LEN)
		return -EPROTO;
	iv_of(rseq, iv);
	if (aes256_gcm_open(vmpck0(), iv, msg + MSG_AAD, MSG_AAD_LEN, msg + MSG_HDR_LEN, size,
			    msg + MSG_AUTHTAG))
		return -EPROTO;
	memcpy(report, msg + MSG_HDR_LEN + 0x20, SNP_REPORT_LEN);
	return 0;
}

/* The certificate table's extent: max(offset + length) over the entries before the all-zero
 * one; 0 for an empty table. -EPROTO if an entry leaves the buffer or there is no end. */
static int certs_extent(const u8 *t, u32 *len)
{
	u32 end = 0;

	for (u32 off = 0; off + CERT_ENTRY_LEN <= SNP_CERTS_MAX; off += CERT_ENTRY_LEN) {
		const u8 *e = t + off;
		u32 o, l;
		bool zero = true;

		for (int i = 0; i < CERT_ENTRY_LEN; i++)
			zero &= !e[i];
		if (zero) {
			*len = end;
			return 0;
		}
		memcpy(&o, e + 16, 4);
		memcpy(&l, e + 20, 4);
		if (o > SNP_CERTS_MAX || l > SNP_CERTS_MAX - o)
			return -EPROTO;
		if (o + l > end)
			end = o + l;
	}
	return -EPROTO;
}

int snp_guest_report(const u8 report_data[SNP_REPORT_DATA_LEN], u8 report[SNP_REPORT_LEN],
		     u8 *certs, u32 *certs_len)
{
	u64 seqno, pages = CERT_PAGES;
	u32 status, rsize;
	int rc;

	spin_lock(&lock);
	if (disabled) {
		rc = -EPERM;
		goto out;
	}
	rc = shared_setup();
	if (rc)
		goto out;
	if (count >= ~0ULL - 2) {
		disable("sequence numbers used up");
		rc = -EPERM;
		goto out;
	}
	seqno = count + 1;
	seal_request(report_data, seqno);
	if (certs)
		memset(shared + 2 * PAGE_SIZE, 0, SNP_CERTS_MAX);
	rc = send(certs != NULL, &pages);
	if (rc && rc != -ENOSPC)
		goto out;
	count += 2; /* the PSP answered: it moved to seqno + 1 */
	if (open_response(seqno, report)) {
		disable("malformed response");
		rc = -EPROTO;
		goto out;
	}
	/* MSG_REPORT_RSP: u32 STATUS, u32 REPORT_SIZE, reserved, the report */
	memcpy(&status, msg + MSG_HDR_LEN, 4);
	memcpy(&rsize, msg + MSG_HDR_LEN + 4, 4);
	if (status || rsize != SNP_REPORT_LEN) {
		log_err("guest request: PSP status %#x, report size %#x", status, rsize);
		rc = -EPROTO;
		goto out;
	}
	if (rc == -ENOSPC) {
		*certs_len = pages >= (1ULL << 20) ? ~0U : (u32)(pages * PAGE_SIZE);
		goto out;
	}
	if (certs) {
		memcpy(certs, shared + 2 * PAGE_SIZE, SNP_CERTS_MAX);
		rc = certs_extent(certs, certs_len);
	}
out:
	spin_unlock(&lock); /* msg holds ciphertext and the report: nothing secret */
	return rc;
}

u64 snp_guest_request_seqno(void)
{
	return count;
}
