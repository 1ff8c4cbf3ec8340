/*
 * svsmtest.efi: a UEFI application that finds the SVSM the way an operating system does and
 * makes two kinds of call to it, as a VMPL1 guest does.
 *
 * 1. Discovery. OVMF's AmdSevDxe installs, in an SEV-SNP guest only, an EFI configuration
 *    table with GUID 067b1f5f-cf26-44c5-8554-93d777912d42 (gConfidentialComputingSevSnpBlobGuid)
 *    holding the "confidential computing blob": the GPAs of the SNP secrets and CPUID pages
 *    (edk2 OvmfPkg/Include/Guid/ConfidentialComputingSevSnpBlob.h and
 *    OvmfPkg/AmdSevDxe/AmdSevDxe.c; Linux's struct cc_blob_sev_info in asm/sev.h is the same
 *    layout). The secrets page names the SVSM: svsm_size != 0 means one is present, svsm_caa
 *    is the boot vCPU's calling area, svsm_guest_vmpl our VMPL (facts §7 "Discovery").
 * 2. Calls (facts §7 "Call convention"): RAX = protocol << 32 | call, arguments in RCX, RDX,
 *    R8, R9; call_pending = 1 in the calling area; GHCB MSR = "run VMPL 0" (0x016); VMGEXIT;
 *    the MSR must answer 0x017 with error 0, and call_pending is taken back with an atomic
 *    exchange (still 1: the SVSM did not process the call). Interrupts stay off from the MSR
 *    write until the GHCB MSR holds OVMF's GHCB again.
 *
 * Checked: QUERY_PROTOCOL of the core protocol version 1 and of a protocol nobody defines,
 * then a PVALIDATE round trip on a page of our own: rescind (and again, which must fail with
 * "no change", so the first one really rescinded), validate (the SVSM must hand back a zeroed
 * page: our pattern must be gone), validate again (must fail with "no change"), and the page
 * must then hold what we write.
 *
 * Verdict: a 32-bit OUT to port 0xf4 (isa-debug-exit under QEMU, the test exit under
 * snpemu): 0x10 pass, 0x11 fail, 0x13 no SEV-SNP guest or no SVSM found. The reason is
 * printed on the console first.
 *
 * The protocol constants are written here from the facts file (/work/shared/reference),
 * deliberately not taken from the SVSM's headers, so that this program judges the SVSM
 * independently.
 */
#include <efi.h>
#include <efilib.h>

#define EXIT_PORT 0xf4
#define EXIT_PASS 0x10
#define EXIT_FAIL 0x11
#define EXIT_NO_SVSM 0x13

/* ConfidentialComputingSevSnpBlob.h: GUID, signature SIGNATURE_32('A','M','D','E'), layout. */
static EFI_GUID cc_blob_guid = {
	0x067b1f5f, 0xcf26, 0x44c5, { 0x85, 0x54, 0x93, 0xd7, 0x77, 0x91, 0x2d, 0x42 }
};
#define CC_BLOB_SIGNATURE 0x45444d41u

struct cc_blob {
	UINT32 header;
	UINT16 version;
	UINT16 reserved;
	UINT64 secrets_gpa;
	UINT32 secrets_size;
	UINT32 reserved1;
	UINT64 cpuid_gpa;
	UINT32 cpuid_size;
	UINT32 reserved2;
} __attribute__((packed));
_Static_assert(sizeof(struct cc_blob) == 40, "cc blob layout");

/* SNP secrets page, the SVSM fields (facts §7 "Secrets page offsets"). */
#define SECRETS_VERSION 0x000
#define SECRETS_SVSM_BASE 0x140
#define SECRETS_SVSM_SIZE 0x148
#define SECRETS_SVSM_CAA 0x150
#define SECRETS_SVSM_MAX_VERSION 0x158
#define SECRETS_SVSM_GUEST_VMPL 0x15c
#define SECRETS_MIN_SIZE 0x160

/* MSRs and the GHCB MSR protocol's VMPL switch (facts §1, §5). */
#define MSR_GHCB 0xc0010130u
#define MSR_SEV_STATUS 0xc0010131u
#define SEV_STATUS_SNP (1ull << 2)
#define GHCB_MSR_RUN_VMPL0 0x016ull
#define GHCB_MSR_RUN_VMPL_RESP 0x017ull

/* SVSM core protocol (facts §7). */
#define SVSM_CORE 0
#define SVSM_CORE_PVALIDATE 1
#define SVSM_CORE_QUERY_PROTOCOL 6
#define SVSM_SUCCESS 0x00000000u
#define SVSM_ERR_INCOMPLETE 0x80000000u
#define SVSM_ERR_UNSUPPORTED_PROTOCOL 0x80000001u
#define SVSM_ERR_BUSY 0x80000007u
#define SVSM_ERR_PVALIDATE_FAIL_NO_CHANGE 0x80001010u
/* A protocol number no source assigns (0-5 are taken, 0x80000000+ reserved for AMD). */
#define SVSM_UNDEFINED_PROTOCOL 0x7fffu
/* Not an SVSM answer: the call did not complete (never matches an expected result). */
#define SVSM_NO_ANSWER 0xffffffffu
#define SVSM_RETRIES 1000

/* Calling area (facts §7 "Calling area"): call_pending at 0, the buffer from 8. */
#define CAA_CALL_PENDING 0
#define CAA_BUFFER 8

/* PVALIDATE request: u16 entries, u16 next, u32 reserved, u64 entry[]; entry bits [1:0]
 * size (0 = 4 KiB), 2 validate, 3 ignore_CF, [63:12] GFN. */
struct pvalidate_req {
	UINT16 entries;
	UINT16 next;
	UINT32 reserved;
	UINT64 entry[1];
};
#define PVAL_VALIDATE (1ull << 2)

#define PAGE_SIZE 4096

static UINTN failures;

static void fail(CHAR16 *what)
{
	Print(L"svsmtest: FAIL: %s\n", what);
	failures++;
}

static UINT64 rdmsr(UINT32 msr)
{
	UINT32 lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((UINT64)hi << 32) | lo;
}

static void wrmsr(UINT32 msr, UINT64 val)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((UINT32)val), "d"((UINT32)(val >> 32))
			 : "memory");
}

static UINT64 irq_save(void)
{
	UINT64 flags;

	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

static void irq_restore(UINT64 flags)
{
	__asm__ volatile("pushq %0; popfq" : : "r"(flags) : "memory", "cc");
}

static void outl(UINT16 port, UINT32 val)
{
	__asm__ volatile("outl %0, %1" : : "a"(val), "Nd"(port));
}

static void cpuid(UINT32 leaf, UINT32 *a, UINT32 *b, UINT32 *c, UINT32 *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

static __attribute__((noreturn)) void report(UINT32 code)
{
	Print(L"svsmtest: reporting 0x%x to port 0x%x\n", code, EXIT_PORT);
	outl(EXIT_PORT, code);
	/* Still running: nothing listens on the port. Power off so that the run ends. */
	Print(L"svsmtest: port 0x%x did not end the run; shutting down\n", EXIT_PORT);
	uefi_call_wrapper(RT->ResetSystem, 4, EfiResetShutdown, EFI_SUCCESS, 0, NULL);
	for (;;)
		__asm__ volatile("hlt");
}

struct svsm {
	UINT64 base, size, caa;
	UINT32 max_version;
	UINT8 guest_vmpl;
};

struct svsm_regs {
	UINT64 rax, rcx, rdx, r8, r9;
};

/*
 * One exit to VMPL0: 0 with the registers updated, or -1 (with the reason printed) when the
 * VMPL switch was refused or the SVSM left call_pending set.
 */
static int svsm_call_once(const struct svsm *s, struct svsm_regs *r)
{
	volatile UINT8 *pending = (volatile UINT8 *)(UINTN)(s->caa + CAA_CALL_PENDING);
	register UINT64 r8 __asm__("r8") = r->r8;
	register UINT64 r9 __asm__("r9") = r->r9;
	UINT64 rax = r->rax, rcx = r->rcx, rdx = r->rdx, flags, ghcb, resp;
	UINT8 left;

	flags = irq_save();
	ghcb = rdmsr(MSR_GHCB);
	__atomic_store_n(pending, 1, __ATOMIC_SEQ_CST);
	wrmsr(MSR_GHCB, GHCB_MSR_RUN_VMPL0);
	/* VMGEXIT (rep; vmmcall) */
	__asm__ volatile(".byte 0xf3, 0x0f, 0x01, 0xd9"
			 : "+a"(rax), "+c"(rcx), "+d"(rdx), "+r"(r8), "+r"(r9)
			 :
			 : "memory", "cc");
	resp = rdmsr(MSR_GHCB);
	wrmsr(MSR_GHCB, ghcb);
	left = __atomic_exchange_n(pending, 0, __ATOMIC_SEQ_CST);
	irq_restore(flags);

	if ((resp & 0xfff) != GHCB_MSR_RUN_VMPL_RESP || (resp >> 32) != 0) {
		Print(L"svsmtest: VMPL switch answered GHCB MSR 0x%lx, not 0x017 error 0\n", resp);
		return -1;
	}
	if (left) {
		Print(L"svsmtest: call_pending still 1 after the call: the SVSM did not take it\n");
		return -1;
	}
	r->rax = rax;
	r->rcx = rcx;
	r->rdx = rdx;
	r->r8 = r8;
	r->r9 = r9;
	return 0;
}

/* A complete call, re-issued while the SVSM answers INCOMPLETE or BUSY: RAX[31:0] or
 * SVSM_NO_ANSWER. */
static UINT32 svsm_call(const struct svsm *s, UINT32 protocol, UINT32 call, struct svsm_regs *r)
{
	const struct svsm_regs in = *r;

	for (int i = 0; i < SVSM_RETRIES; i++) {
		*r = in;
		r->rax = ((UINT64)protocol << 32) | call;
		if (svsm_call_once(s, r))
			return SVSM_NO_ANSWER;
		if ((UINT32)r->rax != SVSM_ERR_INCOMPLETE && (UINT32)r->rax != SVSM_ERR_BUSY)
			return (UINT32)r->rax;
	}
	Print(L"svsmtest: still INCOMPLETE or BUSY after %d tries\n", SVSM_RETRIES);
	return SVSM_NO_ANSWER;
}

static void check_rc(UINT32 got, UINT32 want, CHAR16 *what)
{
	if (got == want) {
		Print(L"svsmtest: ok: %s: 0x%x\n", what, got);
		return;
	}
	Print(L"svsmtest: %s: got 0x%x, want 0x%x\n", what, got, want);
	fail(what);
}

static void query_protocol(const struct svsm *s)
{
	struct svsm_regs r = { 0 };
	UINT32 rc;

	r.rcx = ((UINT64)SVSM_CORE << 32) | 1;
	rc = svsm_call(s, SVSM_CORE, SVSM_CORE_QUERY_PROTOCOL, &r);
	check_rc(rc, SVSM_SUCCESS, L"QUERY_PROTOCOL core v1");
	Print(L"svsmtest: core protocol versions %d..%d\n", (UINT32)r.rcx, (UINT32)(r.rcx >> 32));
	if (rc == SVSM_SUCCESS && ((UINT32)r.rcx > 1 || (UINT32)(r.rcx >> 32) < 1))
		fail(L"QUERY_PROTOCOL: core version 1 not within the range answered");

	r = (struct svsm_regs){ 0 };
	check_rc(svsm_call(s, SVSM_UNDEFINED_PROTOCOL, 0, &r), SVSM_ERR_UNSUPPORTED_PROTOCOL,
		 L"a call of an undefined protocol");
}

/* PVALIDATE of one 4 KiB entry, the request in the calling area's buffer. */
static UINT32 pvalidate(const struct svsm *s, UINT64 gpa, BOOLEAN validate, UINT16 *next)
{
	volatile struct pvalidate_req *req =
		(volatile struct pvalidate_req *)(UINTN)(s->caa + CAA_BUFFER);
	struct svsm_regs r = { 0 };
	UINT32 rc;

	req->entries = 1;
	req->next = 0;
	req->reserved = 0;
	req->entry[0] = gpa | (validate ? PVAL_VALIDATE : 0);
	r.rcx = s->caa + CAA_BUFFER;
	rc = svsm_call(s, SVSM_CORE, SVSM_CORE_PVALIDATE, &r);
	*next = req->next;
	return rc;
}

/* Two byte patterns that differ everywhere and from zero. */
static UINT8 pattern(UINTN i, UINT8 seed)
{
	return (UINT8)((i * 0x9d + seed) | 1);
}

static void pvalidate_round_trip(const struct svsm *s)
{
	EFI_PHYSICAL_ADDRESS page = 0;
	volatile UINT8 *p;
	EFI_STATUS st;
	UINT16 next;
	UINT32 rc;
	UINTN i;

	st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAnyPages, EfiLoaderData, 1, &page);
	if (EFI_ERROR(st)) {
		Print(L"svsmtest: AllocatePages: %r\n", st);
		fail(L"no page for the PVALIDATE round trip");
		return;
	}
	p = (volatile UINT8 *)(UINTN)page;
	Print(L"svsmtest: PVALIDATE round trip on page 0x%lx\n", page);
	for (i = 0; i < PAGE_SIZE; i++)
		p[i] = pattern(i, 0x5a);

	/* From here until the validate succeeds the page must not be touched: an access to
	 * a page that is not validated raises #VC 0x404, which OVMF cannot handle. */
	check_rc(pvalidate(s, page, FALSE, &next), SVSM_SUCCESS, L"PVALIDATE rescind");
	if (next != 1)
		fail(L"PVALIDATE rescind: next is not 1 after success");
	check_rc(pvalidate(s, page, FALSE, &next), SVSM_ERR_PVALIDATE_FAIL_NO_CHANGE,
		 L"PVALIDATE rescind of the rescinded page");
	if (next != 0)
		fail(L"PVALIDATE: the failed entry was counted in next");
	rc = pvalidate(s, page, TRUE, &next);
	check_rc(rc, SVSM_SUCCESS, L"PVALIDATE validate");
	if (rc != SVSM_SUCCESS || next != 1) {
		if (rc == SVSM_SUCCESS)
			fail(L"PVALIDATE validate: next is not 1 after success");
		/* The page may not be validated: leave it alone (and allocated) rather than
		 * give OVMF a #VC it cannot handle. */
		Print(L"svsmtest: page 0x%lx not known to be validated: left allocated\n", page);
		return;
	}

	for (i = 0; i < PAGE_SIZE && p[i] == 0; i++)
		;
	if (i < PAGE_SIZE) {
		Print(L"svsmtest: byte 0x%x of the validated page is 0x%x\n", (UINT32)i, p[i]);
		fail(L"the SVSM validated the page without zeroing it");
	} else {
		Print(L"svsmtest: ok: the validated page reads as zeros\n");
	}
	check_rc(pvalidate(s, page, TRUE, &next), SVSM_ERR_PVALIDATE_FAIL_NO_CHANGE,
		 L"PVALIDATE validate of the validated page");
	for (i = 0; i < PAGE_SIZE; i++)
		p[i] = pattern(i, 0xa6) ^ 0x80;
	for (i = 0; i < PAGE_SIZE && p[i] == (pattern(i, 0xa6) ^ 0x80); i++)
		;
	if (i < PAGE_SIZE)
		fail(L"the page does not keep what is written to it after the round trip");
	else
		Print(L"svsmtest: ok: the page keeps what is written to it\n");
	uefi_call_wrapper(BS->FreePages, 2, page, 1);
}

static const struct cc_blob *find_cc_blob(void)
{
	for (UINTN i = 0; i < ST->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &ST->ConfigurationTable[i];

		if (CompareGuid(&t->VendorGuid, &cc_blob_guid) == 0)
			return t->VendorTable;
	}
	return NULL;
}

/* Fill *s from the secrets page; report "no SVSM" (0x13) or a failure if there is none. */
static void discover(struct svsm *s)
{
	const struct cc_blob *blob = find_cc_blob();
	const volatile UINT8 *sec;
	UINT32 a, b, c, d;

	if (!blob) {
		cpuid(0x80000000, &a, &b, &c, &d);
		if (a >= 0x8000001f)
			cpuid(0x8000001f, &a, &b, &c, &d);
		else
			a = 0;
		Print(L"svsmtest: no SEV-SNP: the EFI configuration table has no confidential-"
		      L"computing blob (GUID %g); CPUID 0x8000001f EAX = 0x%x\n",
		      &cc_blob_guid, a);
		report(EXIT_NO_SVSM);
	}
	Print(L"svsmtest: CC blob: signature 0x%x version %d secrets 0x%lx (0x%x bytes) "
	      L"CPUID 0x%lx (0x%x bytes)\n",
	      blob->header, blob->version, blob->secrets_gpa, blob->secrets_size, blob->cpuid_gpa,
	      blob->cpuid_size);
	if (blob->header != CC_BLOB_SIGNATURE || blob->version < 1 || !blob->secrets_gpa ||
	    blob->secrets_gpa % PAGE_SIZE || blob->secrets_size < SECRETS_MIN_SIZE) {
		fail(L"malformed confidential-computing blob");
		report(EXIT_FAIL);
	}
	if (!(rdmsr(MSR_SEV_STATUS) & SEV_STATUS_SNP)) {
		fail(L"a CC blob, but SEV_STATUS says SEV-SNP is off");
		report(EXIT_FAIL);
	}

	sec = (const volatile UINT8 *)(UINTN)blob->secrets_gpa;
	s->base = *(const volatile UINT64 *)(sec + SECRETS_SVSM_BASE);
	s->size = *(const volatile UINT64 *)(sec + SECRETS_SVSM_SIZE);
	s->caa = *(const volatile UINT64 *)(sec + SECRETS_SVSM_CAA);
	s->max_version = *(const volatile UINT32 *)(sec + SECRETS_SVSM_MAX_VERSION);
	s->guest_vmpl = sec[SECRETS_SVSM_GUEST_VMPL];
	Print(L"svsmtest: secrets page v%d: svsm_base 0x%lx svsm_size 0x%lx svsm_caa 0x%lx "
	      L"max_version %d guest_vmpl %d\n",
	      *(const volatile UINT32 *)(sec + SECRETS_VERSION), s->base, s->size, s->caa,
	      s->max_version, s->guest_vmpl);
	if (!s->size) {
		Print(L"svsmtest: an SEV-SNP guest without an SVSM (svsm_size = 0)\n");
		report(EXIT_NO_SVSM);
	}
	if (s->guest_vmpl < 1 || s->guest_vmpl > 3 || !s->caa || s->caa % PAGE_SIZE ||
	    (s->caa >= s->base && s->caa - s->base < s->size) || s->max_version < 1) {
		fail(L"the secrets page's SVSM fields are inconsistent");
		report(EXIT_FAIL);
	}
	if (*(volatile UINT8 *)(UINTN)(s->caa + CAA_CALL_PENDING)) {
		fail(L"call_pending is already set in the calling area");
		report(EXIT_FAIL);
	}
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	struct svsm s;

	InitializeLib(image, systab);
	Print(L"svsmtest: looking for the SVSM\n");
	discover(&s);
	query_protocol(&s);
	pvalidate_round_trip(&s);
	if (failures) {
		Print(L"svsmtest: %d check(s) failed\n", (UINT32)failures);
		report(EXIT_FAIL);
	}
	Print(L"svsmtest: PASS\n");
	report(EXIT_PASS);
}
