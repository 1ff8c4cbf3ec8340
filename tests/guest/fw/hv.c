/* The guest's GHCB client (see hv.h). */
#include "hv.h"
#include "layout.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "paging.h"

u64 hv_msr_protocol(u64 req)
{
	struct cpu *cpu = this_cpu();
	u64 resp;

	wrmsr(MSR_GHCB, req);
	vmgexit();
	resp = rdmsr(MSR_GHCB);
	if (cpu->ghcb_registered)
		wrmsr(MSR_GHCB, cpu->ghcb_gpa);
	return resp;
}

__noreturn void hv_terminate(unsigned int code)
{
	wrmsr(MSR_GHCB, ghcb_msr_term_req(GUEST_TERM_SET, code));
	vmgexit();
	halt_forever();
}

int hv_negotiate(u16 *min, u16 *max, u8 *cbit)
{
	if (!ghcb_msr_sev_info_decode(hv_msr_protocol(ghcb_msr_sev_info_req()), max, min, cbit))
		return -EPROTO;
	if (*min > GHCB_PROTOCOL_MAX || *max < GHCB_PROTOCOL_MIN)
		return -ENOTSUP;
	return 0;
}

int hv_features(u64 *features)
{
	if (!ghcb_msr_hv_features_decode(hv_msr_protocol(ghcb_msr_hv_features_req()), features))
		return -EPROTO;
	return 0;
}

static int make_shared_and_map(u64 gpa)
{
	u32 err;
	int rc;

	rc = ghcb_msr_psc_decode(
		hv_msr_protocol(ghcb_msr_psc_req(gpa >> PAGE_SHIFT, PSC_OP_SHARED)), &err);
	if (rc)
		return rc;
	rc = map_page(gpa, gpa, false);
	if (rc)
		return rc;
	memset((void *)(uintptr_t)gpa, 0, PAGE_SIZE);
	return 0;
}

int hv_prepare_shared_pages(void)
{
	int rc;

	for (u32 i = 0; i < MAX_CPUS; i++) {
		rc = make_shared_and_map(GHCB_BASE + (u64)i * PAGE_SIZE);
		if (rc)
			return rc;
	}
	return make_shared_and_map(APIC_ID_PAGE_GPA);
}

int hv_register_ghcb(struct cpu *cpu)
{
	u64 gpa = GHCB_BASE + (u64)cpu->index * PAGE_SIZE;

	cpu->ghcb = (struct ghcb *)(uintptr_t)gpa;
	cpu->ghcb_gpa = gpa;
	if (!ghcb_msr_register_ok(hv_msr_protocol(ghcb_msr_register_req(gpa >> PAGE_SHIFT)),
				  gpa >> PAGE_SHIFT))
		return -EPROTO;
	wrmsr(MSR_GHCB, gpa);
	cpu->ghcb_registered = true;
	return 0;
}

struct ghcb *ghcb_begin(void)
{
	struct cpu *cpu = this_cpu();

	if (!cpu->ghcb_registered)
		hv_terminate(GUEST_TERM_GHCB);
	if (cpu->ghcb_busy)
		hv_terminate(GUEST_TERM_NESTED_VC);
	cpu->ghcb_busy = true;
	ghcb_reset(cpu->ghcb);
	return cpu->ghcb;
}

void ghcb_end(void)
{
	this_cpu()->ghcb_busy = false;
}

int hv_nae(struct ghcb *g, u64 exit_code, u64 info1, u64 info2)
{
	u64 err;

	ghcb_set(g, GHCB_OFF_SW_EXIT_CODE, exit_code);
	ghcb_set(g, GHCB_OFF_SW_EXIT_INFO_1, info1);
	ghcb_set(g, GHCB_OFF_SW_EXIT_INFO_2, info2);
	wrmsr(MSR_GHCB, this_cpu()->ghcb_gpa);
	vmgexit();
	return ghcb_result(g, &err);
}

/* PSC descriptor in the shared buffer (facts §3): header, then u64 entries. */
struct psc_hdr {
	u16 cur_entry;
	u16 end_entry; /* inclusive */
	u32 reserved;
} __packed;

#define PSC_MAX_ENTRIES ((GHCB_SHARED_BUFFER_SIZE - sizeof(struct psc_hdr)) / 8)
#define PSC_ENTRY(gfn, op, huge) \
	(((u64)(gfn) << 12) | ((u64)(op) << 52) | ((u64)((huge) ? 1 : 0) << 56))

static int psc_batch(u64 gpa, u32 n, bool huge, unsigned int op)
{
	u64 step = huge ? PAGE_2M_SIZE : PAGE_SIZE, info2;
	struct cpu *cpu = this_cpu();
	struct ghcb *g = ghcb_begin();
	struct psc_hdr *hdr = (struct psc_hdr *)g->shared_buffer;
	u64 *entry = (u64 *)(g->shared_buffer + sizeof(*hdr));
	int rc = 0;

	hdr->cur_entry = 0;
	hdr->end_entry = (u16)(n - 1);
	hdr->reserved = 0;
	for (u32 i = 0; i < n; i++)
		entry[i] = PSC_ENTRY((gpa + i * step) >> PAGE_SHIFT, op, huge);

	/* The hypervisor may stop early: re-issue while cur_entry <= end_entry, the descriptor as
	 * the host left it (it may have done part of a 2 MiB entry and written its cur_page), but
	 * never more often than there are pages (each issue must make progress). */
	for (u32 issue = 0;; issue++) {
		if (issue > n * (huge ? PAGES_PER_2M : 1)) {
			rc = -EPROTO;
			break;
		}
		ghcb_reset(g);
		ghcb_set(g, GHCB_OFF_SW_SCRATCH, cpu->ghcb_gpa + GHCB_OFF_SHARED_BUFFER);
		rc = hv_nae(g, SVM_VMGEXIT_PSC, 0, 0);
		if (rc)
			break;
		if (!ghcb_get(g, GHCB_OFF_SW_EXIT_INFO_2, &info2) && info2) {
			rc = -EIO;
			break;
		}
		if (READ_ONCE(hdr->end_entry) != n - 1) {
			rc = -EPROTO;
			break;
		}
		if (READ_ONCE(hdr->cur_entry) > n - 1)
			break;
	}
	ghcb_end();
	return rc;
}

int hv_psc(u64 gpa, u32 count, bool huge, unsigned int op)
{
	u64 step = huge ? PAGE_2M_SIZE : PAGE_SIZE;

	while (count) {
		u32 n = count < PSC_MAX_ENTRIES ? count : (u32)PSC_MAX_ENTRIES;
		int rc = psc_batch(gpa, n, huge, op);

		if (rc)
			return rc;
		gpa += n * step;
		count -= n;
	}
	return 0;
}

int hv_ap_create(u32 apic_id, u64 vmsa_gpa, u64 sev_features)
{
	struct ghcb *g = ghcb_begin();
	int rc;

	/* RAX = the new VMSA's sev_features (facts §3 "AP creation"). */
	ghcb_set(g, GHCB_OFF_RAX, sev_features);
	rc = hv_nae(g, SVM_VMGEXIT_AP_CREATION,
		    ghcb_ap_creation_info1(SVM_VMGEXIT_AP_CREATE, 1, apic_id), vmsa_gpa);
	ghcb_end();
	return rc;
}

int hv_apic_ids(u32 *ids, u32 max, u32 *count)
{
	const volatile u32 *page = (const volatile u32 *)(uintptr_t)APIC_ID_PAGE_GPA;
	struct ghcb *g;
	u64 pages;
	u32 n;
	int rc;

	/* First ask how many pages the list needs (RAX = 0), then fetch it (facts §3). */
	g = ghcb_begin();
	ghcb_set(g, GHCB_OFF_RAX, 0);
	rc = hv_nae(g, SVM_VMGEXIT_GET_APIC_IDS, 0, 0);
	if (!rc)
		rc = ghcb_get(g, GHCB_OFF_RAX, &pages);
	ghcb_end();
	if (rc)
		return rc;
	if (pages != 1)
		return -E2BIG;

	g = ghcb_begin();
	ghcb_set(g, GHCB_OFF_RAX, 1);
	rc = hv_nae(g, SVM_VMGEXIT_GET_APIC_IDS, APIC_ID_PAGE_GPA, 0);
	ghcb_end();
	if (rc)
		return rc;
	n = page[0];
	if (n == 0 || n > (PAGE_SIZE - 4) / 4)
		return -EPROTO;
	*count = n < max ? n : max;
	for (u32 i = 0; i < *count; i++)
		ids[i] = page[1 + i];
	return 0;
}

int hv_cpuid(u32 leaf, u32 subleaf, struct cpuid_result *r)
{
	struct ghcb *g = ghcb_begin();
	u64 a, b, c, d;
	int rc;

	ghcb_set(g, GHCB_OFF_RAX, leaf);
	ghcb_set(g, GHCB_OFF_RCX, subleaf);
	ghcb_set(g, GHCB_OFF_XCR0, 1); /* CR4.OSXSAVE is clear (facts §3) */
	rc = hv_nae(g, SVM_EXIT_CPUID, 0, 0);
	if (!rc && (ghcb_get(g, GHCB_OFF_RAX, &a) || ghcb_get(g, GHCB_OFF_RBX, &b) ||
		    ghcb_get(g, GHCB_OFF_RCX, &c) || ghcb_get(g, GHCB_OFF_RDX, &d)))
		rc = -EPROTO;
	ghcb_end();
	if (rc)
		return rc;
	r->eax = (u32)a;
	r->ebx = (u32)b;
	r->ecx = (u32)c;
	r->edx = (u32)d;
	return 0;
}
