/*
 * The PSP (AMD Secure Processor) as far as SNP guest requests need it, and the host side
 * of those requests (GHCB spec #56421 NAE 0x80000011 / 0x80000012; message format SNP ABI
 * #56860 "Guest messages", MSG_REPORT_REQ and ATTESTATION_REPORT):
 *
 * - at launch it keeps its own copy of VMPCK0-3 (the launch wrote them into the secrets page)
 *   and computes the launch digest (SNP_LAUNCH_UPDATE's PAGE_INFO chain) of what was launched;
 * - per VMPCK a message counter: a request must carry exactly counter + 1, its response
 *   counter + 2, and only a request that was answered moves the counter (by 2);
 * - MSG_REPORT_REQ is answered with an ATTESTATION_REPORT signed (ECDSA P-384, SHA-384) with
 *   the VCEK that scripts/snpemu made for the run, passed in QEMU fw_cfg opt/snpemu/psp with
 *   the CHIP_ID and TCB of its certificate and the certificate table the host serves to the
 *   extended request.
 *
 * Every guest input is read once into L1 memory before it is checked.
 */
#include "l1.h"
#include "psp_crypto.h"

/* sev_ret_code values (SNP ABI #56860 "Status codes") */
#define PSP_INVALID_PARAM 0x16
#define PSP_AEAD_OFLOW 0x1d
#define PSP_INVALID_KEY 0x27
/* SW_EXITINFO2[63:32] from the host (GHCB spec #56421, extended guest request) */
#define VMM_ERR_INVALID_LEN (1ULL << 32)

/* Guest message header (SNP ABI #56860 "Guest messages") */
#define MSG_AUTHTAG 0x00
#define MSG_SEQNO 0x20
#define MSG_ALGO 0x30
#define MSG_HDR_VERSION 0x31
#define MSG_HDR_SIZE 0x32
#define MSG_TYPE 0x34
#define MSG_VERSION 0x35
#define MSG_SIZE 0x36
#define MSG_VMPCK 0x3c
#define MSG_HDR_LEN 0x60
#define MSG_AAD 0x30 /* the AAD is header bytes 0x30-0x5f */
#define MSG_AAD_LEN 0x30
#define MSG_MAX_PAYLOAD (PAGE_SIZE - MSG_HDR_LEN)

#define MSG_REPORT_REQ 5
#define MSG_REPORT_RSP 6
#define REPORT_REQ_LEN 0x60
#define REPORT_LEN 0x4a0
#define REPORT_RSP_LEN (0x20 + REPORT_LEN)
#define REPORT_SIGNED_LEN 0x2a0

/* opt/snpemu/psp, written by scripts/snpemu (README "Attestation") */
#define PSPIN_MAGIC 0x3130505350554d45ULL /* "EMUPSP01" */
#define PSPIN_VCEK 0x08
#define PSPIN_CHIP_ID 0x38
#define PSPIN_TCB 0x78
#define PSPIN_CERTS_LEN 0x80
#define PSPIN_CERTS 0x88
#define CERTS_MAX 0x4000

static struct {
	bool have_vcek;
	u8 vmpck[4][32];
	u64 count[4]; /* messages answered with that key, times 2 */
	u8 vcek[48];
	u8 chip_id[64];
	u64 tcb;
	u8 measurement[48];
	u8 report_id[32];
	u32 certs_len;
	u8 certs[CERTS_MAX];
} psp;

static u8 msg[PAGE_SIZE] __aligned(16);

/* ---- launch ---- */

enum {
	PAGE_NORMAL = 1,
	PAGE_VMSA = 2,
	PAGE_SECRETS = 5,
	PAGE_CPUID = 6
};
#define LAUNCH_VMSA_GPA 0xfffffffff000ULL /* where KVM measures the VMSAs */

/* One SNP_LAUNCH_UPDATE of a 4 KiB page: digest = SHA-384(PAGE_INFO) (SNP ABI #56860). */
static void measure(u64 gpa, const u8 *page, int type)
{
	u8 info[0x70];
	u32 *e = gpa == LAUNCH_VMSA_GPA ? NULL : rmp_entry(gpa);

	memset(info, 0, sizeof(info));
	memcpy(info, psp.measurement, 48);
	if (type == PAGE_NORMAL || type == PAGE_VMSA)
		pc_sha384(page, PAGE_SIZE, info + 0x30);
	F16(info, 0x60) = 0x70;
	F8(info, 0x62) = (u8)type;
	/* 0x63 IMI page, 0x64 reserved, 0x65-0x67 VMPL1-3 permissions */
	for (int l = 1; e && l < NR_VMPLS; l++)
		F8(info, 0x64 + l) = (u8)rmp_perm(*e, l);
	F64(info, 0x68) = gpa;
	pc_sha384(info, sizeof(info), psp.measurement);
}

static bool left_out(u64 gpa)
{
	return cfg.fault[FAULT_LAUNCH_UNVALIDATED] && gpa == cfg.launch_unvalidated;
}

static void psp_load_input(void)
{
	u32 size;
	u16 sel;
	u64 hdr[1];

	if (qfw_find("opt/snpemu/psp", &size, &sel)) {
		con_printf("snpemu: no opt/snpemu/psp: the PSP has no VCEK, report requests "
			   "fail\n");
		return;
	}
	if (size < PSPIN_CERTS)
		panic("opt/snpemu/psp: %u bytes, too short", size);
	qfw_read(sel, 0, hdr, 8);
	if (hdr[0] != PSPIN_MAGIC)
		panic("opt/snpemu/psp: bad magic");
	qfw_read(sel, PSPIN_VCEK, psp.vcek, 48);
	qfw_read(sel, PSPIN_CHIP_ID, psp.chip_id, 64);
	qfw_read(sel, PSPIN_TCB, &psp.tcb, 8);
	qfw_read(sel, PSPIN_CERTS_LEN, &psp.certs_len, 4);
	if (psp.certs_len > CERTS_MAX || psp.certs_len != size - PSPIN_CERTS)
		panic("opt/snpemu/psp: certificate table of %u bytes in a %u-byte file",
		      psp.certs_len, size);
	qfw_read(sel, PSPIN_CERTS, psp.certs, psp.certs_len);
	psp.have_vcek = true;
}

void psp_launch(const u64 metas[3], u64 image_end, const u8 *launch_vmsa)
{
	const u8 *secrets = gpa_hva(metas[0]);
	u8 seed[48];

	for (int k = 0; k < 4; k++)
		memcpy(psp.vmpck[k], secrets + 0x20 + 32 * k, 32);
	pc_sha384(&cfg.seed, sizeof(cfg.seed), seed);
	memcpy(psp.report_id, seed, 32);
	psp_load_input();

	/* README "Attestation": the order and page types the host tool reproduces */
	for (u64 a = launch.svsm_gpa; a < image_end; a += PAGE_SIZE)
		if (!left_out(a))
			measure(a, gpa_hva(a), PAGE_NORMAL);
	for (u64 a = launch.bios_gpa; launch.bios_size && a < (1ULL << 32); a += PAGE_SIZE)
		if (!left_out(a))
			measure(a, gpa_hva(a), PAGE_NORMAL);
	if (!left_out(metas[0]))
		measure(metas[0], NULL, PAGE_SECRETS);
	if (!left_out(metas[1]))
		measure(metas[1], NULL, PAGE_CPUID);
	if (!left_out(metas[2]))
		measure(metas[2], gpa_hva(metas[2]), PAGE_NORMAL);
	measure(LAUNCH_VMSA_GPA, launch_vmsa, PAGE_VMSA);
	if (cfg.verbose) {
		con_printf("snpemu: launch digest ");
		for (int i = 0; i < 48; i++)
			con_printf("%02x", psp.measurement[i]);
		con_printf("\n");
	}
}

/* ---- guest requests ---- */

static void put_le(u8 *dst, const u8 *be, int n)
{
	for (int i = 0; i < n; i++)
		dst[i] = be[n - 1 - i];
}

/* MSG_REPORT_REQ -> MSG_REPORT_RSP payload in @rsp; returns its length. */
static u32 report(const u8 *req, u8 vmpck, u8 *rsp)
{
	u32 vmpl = F32(req, 0x40), flags = F32(req, 0x44), r[4];
	u8 *rep = rsp + 0x20, hash[48], sig[96];
	bool rsvd = false;

	memset(rsp, 0, REPORT_RSP_LEN);
	for (int i = 0x48; i < REPORT_REQ_LEN; i++)
		rsvd |= req[i] != 0;
	/* a report for a VMPL above the key's own only (SNP ABI #56860 MSG_REPORT_REQ) */
	if (vmpl > 3 || vmpl < vmpck || rsvd || (flags & ~3U)) {
		F32(rsp, 0) = PSP_INVALID_PARAM;
		return REPORT_RSP_LEN;
	}
	if ((flags & 3) > 1 || !psp.have_vcek) { /* KEY_SEL: only a VCEK here, no VLEK */
		F32(rsp, 0) = PSP_INVALID_KEY;
		return REPORT_RSP_LEN;
	}
	F32(rsp, 4) = REPORT_LEN;
	F32(rep, 0x000) = 3;	   /* VERSION */
	F64(rep, 0x008) = 0x30000; /* POLICY: SMT allowed, bit 17 (must be 1) */
	F32(rep, 0x030) = vmpl;
	F32(rep, 0x034) = 1; /* SIGNATURE_ALGO: ECDSA P-384 with SHA-384 */
	F64(rep, 0x038) = psp.tcb;
	F32(rep, 0x048) = 0; /* KEY_INFO: signed with the VCEK */
	memcpy(rep + 0x050, req, 64);
	memcpy(rep + 0x090, psp.measurement, 48);
	memcpy(rep + 0x140, psp.report_id, 32);
	F64(rep, 0x180) = psp.tcb;
	emu_cpuid(1, 0, 0, r);
	F8(rep, 0x188) = (u8)(((r[0] >> 8) & 0xf) + ((r[0] >> 20) & 0xff));
	F8(rep, 0x189) = (u8)(((r[0] >> 4) & 0xf) | ((r[0] >> 12) & 0xf0));
	F8(rep, 0x18a) = (u8)(r[0] & 0xf);
	memcpy(rep + 0x1a0, psp.chip_id, 64);
	F64(rep, 0x1e0) = psp.tcb; /* COMMITTED_TCB */
	F64(rep, 0x1f0) = psp.tcb; /* LAUNCH_TCB */
	pc_sha384(rep, REPORT_SIGNED_LEN, hash);
	if (pc_p384_sign(psp.vcek, hash, sig))
		panic("PSP: ECDSA signing failed (bad VCEK in opt/snpemu/psp?)");
	/* r and s little-endian in 72-byte fields (SNP ABI #56860 "Signature Format") */
	put_le(rep + 0x2a0, sig, 48);
	put_le(rep + 0x2e8, sig + 48, 48);
	return REPORT_RSP_LEN;
}

static void iv_of(u64 seqno, u8 iv[12])
{
	memset(iv, 0, 12);
	memcpy(iv, &seqno, 8);
}

/* The PSP's part: the request page's message -> the response page. A sev_ret_code. */
static u64 psp_message(u64 req_gpa, u64 resp_gpa)
{
	const u8 *req = host_shared_ptr(req_gpa, PAGE_SIZE);
	u8 *resp = host_shared_ptr(resp_gpa, PAGE_SIZE);
	u8 iv[12], key, type, payload[REPORT_RSP_LEN];
	u16 size;
	u64 seqno;
	u32 len;
	bool rsvd = false;

	/* the firmware only takes shared pages (the host hands it their physical pages) */
	if (!req || !resp)
		return PSP_INVALID_PARAM;
	memcpy(msg, req, PAGE_SIZE);
	seqno = F64(msg, MSG_SEQNO);
	key = F8(msg, MSG_VMPCK);
	type = F8(msg, MSG_TYPE);
	size = F16(msg, MSG_SIZE);
	for (int i = 0x28; i < MSG_HDR_LEN; i++) /* reserved: 0x28-0x2f, 0x38-0x3b, 0x3d-0x5f */
		if (i < 0x30 || (i >= 0x38 && i < 0x3c) || i > MSG_VMPCK)
			rsvd |= msg[i] != 0;
	if (F8(msg, MSG_ALGO) != 1 || F8(msg, MSG_HDR_VERSION) != 1 ||
	    F16(msg, MSG_HDR_SIZE) != MSG_HDR_LEN || key > 3 || rsvd || !size ||
	    size > MSG_MAX_PAYLOAD - 16)
		return PSP_INVALID_PARAM;
	if (psp.count[key] >= ~0ULL - 2)
		return PSP_AEAD_OFLOW;
	if (seqno != psp.count[key] + 1)
		return PSP_INVALID_PARAM;
	iv_of(seqno, iv);
	if (pc_gcm_open(psp.vmpck[key], iv, msg + MSG_AAD, MSG_AAD_LEN, msg + MSG_HDR_LEN, size,
			msg + MSG_AUTHTAG))
		return PSP_INVALID_PARAM;
	if (type != MSG_REPORT_REQ || F8(msg, MSG_VERSION) != 1 || size != REPORT_REQ_LEN)
		return PSP_INVALID_PARAM;
	len = report(msg + MSG_HDR_LEN, key, payload);

	/* the response: same key and message version, type + 1, sequence number + 1 */
	memset(msg, 0, PAGE_SIZE);
	F64(msg, MSG_SEQNO) = seqno + 1;
	F8(msg, MSG_ALGO) = 1;
	F8(msg, MSG_HDR_VERSION) = 1;
	F16(msg, MSG_HDR_SIZE) = MSG_HDR_LEN;
	F8(msg, MSG_TYPE) = (u8)(type + 1);
	F8(msg, MSG_VERSION) = 1;
	F16(msg, MSG_SIZE) = (u16)len;
	F8(msg, MSG_VMPCK) = key;
	memcpy(msg + MSG_HDR_LEN, payload, len);
	iv_of(seqno + 1, iv);
	pc_gcm_seal(psp.vmpck[key], iv, msg + MSG_AAD, MSG_AAD_LEN, msg + MSG_HDR_LEN, len,
		    msg + MSG_AUTHTAG);
	memcpy(resp, msg, PAGE_SIZE);
	psp.count[key] += 2;
	return 0;
}

/*
 * --fault greq-tamper=N, greq-replay=N: the host changes the response of the Nth request (if
 * the PSP answered it) on its way to the guest: one bit of the authentication tag flipped, or
 * the page replaced by the previous answered response (a genuine message, sealed for an older
 * sequence number). The PSP's counter moved either way.
 */
static void host_tamper(u64 n, u64 resp_gpa)
{
	static u8 last[PAGE_SIZE], cur[PAGE_SIZE];
	static bool have_last;
	u8 *resp = host_shared_ptr(resp_gpa, PAGE_SIZE);

	memcpy(cur, resp, PAGE_SIZE);
	if (cfg.fault[FAULT_GREQ_TAMPER] && n == cfg.greq_tamper_at) {
		resp[MSG_AUTHTAG] ^= 1;
		con_printf("snpemu: fault greq-tamper: the response to guest request %lu has a "
			   "changed tag\n",
			   n);
	}
	if (cfg.fault[FAULT_GREQ_REPLAY] && n == cfg.greq_replay_at && have_last) {
		memcpy(resp, last, PAGE_SIZE);
		con_printf("snpemu: fault greq-replay: the response to guest request %lu is the "
			   "previous one\n",
			   n);
	}
	memcpy(last, cur, PAGE_SIZE);
	have_last = true;
}

u64 psp_guest_request(u64 req_gpa, u64 resp_gpa, bool ext, u64 certs_gpa, u64 *npages,
		      bool *bad_input)
{
	static u64 nr_requests;
	u64 rc;

	*bad_input = false;
	nr_requests++;
	/* --fault greq-fail=N: the firmware fails the Nth request (a message it never opened) */
	if (cfg.fault[FAULT_GREQ_FAIL] && nr_requests == cfg.greq_fail_at) {
		con_printf("snpemu: fault greq-fail: guest request %lu fails with 0x%x\n",
			   nr_requests, PSP_INVALID_PARAM);
		return PSP_INVALID_PARAM;
	}
	if (!IS_ALIGNED(req_gpa, PAGE_SIZE) || !IS_ALIGNED(resp_gpa, PAGE_SIZE)) {
		*bad_input = true;
		return 0;
	}
	if (ext) {
		/* the host's part (as KVM): the certificate table first, or how many pages */
		u64 need = ALIGN_UP((u64)psp.certs_len, PAGE_SIZE) / PAGE_SIZE, n = *npages;
		u8 *buf;

		if (!IS_ALIGNED(certs_gpa, PAGE_SIZE) || n > CERTS_MAX / PAGE_SIZE * 4) {
			*bad_input = true;
			return 0;
		}
		if (n < need) {
			*npages = need;
			return VMM_ERR_INVALID_LEN;
		}
		if (n) {
			buf = host_shared_ptr(certs_gpa, n * PAGE_SIZE);
			if (!buf) {
				*bad_input = true;
				return 0;
			}
			if (psp.certs_len)
				memcpy(buf, psp.certs, psp.certs_len);
			else
				memset(buf, 0, 24); /* no certificates: an empty table */
			/* --fault greq-cert-len=LEN: the table's first entry says LEN bytes */
			if (cfg.fault[FAULT_GREQ_CERT_LEN] && psp.certs_len)
				F32(buf, 20) = (u32)cfg.greq_cert_len;
		}
	}
	rc = psp_message(req_gpa, resp_gpa);
	if (!rc)
		host_tamper(nr_requests, resp_gpa);
	return rc;
}
