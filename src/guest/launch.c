// SPDX-License-Identifier: MIT
/* The guest launch (include/guest/launch.h). */
#include "guest/launch.h"
#include "arch/extable.h"
#include "arch/insn.h"
#include "arch/layout.h"
#include "arch/percpu.h"
#include "arch/smp.h"
#include "dev/fwcfg.h"
#include "guest/fwmeta.h"
#include "guest/gmem.h"
#include "guest/vcpu.h"
#include "guest/vmpl.h"
#include "guest/vmsa_check.h"
#include "lib/errno.h"
#include "lib/log.h"
#include "lib/string.h"
#include "mm/page_alloc.h"
#include "sev/ghcb.h"
#include "sev/evict.h"
#include "sev/ghcb_nae.h"
#include "sev/psc.h"
#include "sev/rmp.h"
#include "sev/terminate.h"

/* Secrets page offsets (SNP ABI #56860, secrets page; SVSM spec #58019, the SVSM fields of the
 * secrets page). */
#define SECRETS_VMPCK0 0x20
#define SECRETS_VMPCK_SIZE 32
#define SECRETS_SVSM_BASE 0x140
#define SECRETS_SVSM_SIZE 0x148
#define SECRETS_SVSM_CAA 0x150
#define SECRETS_SVSM_MAX_VERSION 0x158
#define SECRETS_SVSM_GUEST_VMPL 0x15c
#define SVSM_MAX_VERSION 1

struct launch_stats {
	u64 validated, measured; /* pages newly validated (zeroed) / launch-measured */
	unsigned int psc_exits;
};

static struct launch_stats stats;

/* ---- fw_cfg and the firmware range ---- */

static void firmware_location(u64 *gpa, u64 *size)
{
	u64 end;
	int rc = fwcfg_read_u64("etc/bios_gpa", gpa);

	if (!rc)
		rc = fwcfg_read_u64("etc/bios_size", size);
	if (rc == -ENOENT)
		fatal(TERM_NO_FIRMWARE, "no guest firmware (fw_cfg etc/bios_gpa, etc/bios_size)");
	if (rc)
		fatal(TERM_FWCFG, "fw_cfg etc/bios_gpa or etc/bios_size unusable (%d)", rc);
	log_info("guest: firmware at %#llx, %llu KiB", (unsigned long long)*gpa,
		 (unsigned long long)(*size >> 10));
	if (!*size || check_add_overflow(*gpa, *size, &end))
		fatal(TERM_BAD_FIRMWARE, "guest firmware range [%#llx, +%#llx) is empty or wraps",
		      (unsigned long long)*gpa, (unsigned long long)*size);
	if (*gpa < SVSM_GPA + SVSM_MEM && SVSM_GPA < end)
		fatal(TERM_BAD_FIRMWARE, "guest firmware [%#llx, %#llx) overlaps SVSM memory",
		      (unsigned long long)*gpa, (unsigned long long)end);
	if (!IS_ALIGNED(*gpa, PAGE_SIZE) || !IS_ALIGNED(*size, PAGE_SIZE) || end > (1ULL << 32))
		fatal(TERM_BAD_FIRMWARE,
		      "guest firmware [%#llx, %#llx) is not whole pages below 4 GiB",
		      (unsigned long long)*gpa, (unsigned long long)end);
}

/* ---- Making guest ranges private, validated and VMPL1's ---- */

enum range_kind {
	RANGE_FIRMWARE, /* launch-measured: must already be validated; content kept */
	RANGE_RAM,	/* from the host: zeroed once validated (unless launch-measured) */
};

static void make_private(u64 gpa, u64 size, const char *what)
{
	u64 pages = size >> PAGE_SHIFT; /* a host may do one page per exit (as mem_init) */
	unsigned int max_issues = (unsigned int)(pages + pages / PSC_COMPAT_ENTRIES + 4);
	unsigned int issues = 0;
	int rc = psc_change_range(gpa, gpa + size, PSC_OP_PRIVATE, true, max_issues, &issues);

	stats.psc_exits += issues;
	if (rc)
		fatal(TERM_PSC, "page state change of the %s [%#llx, %#llx) to private failed (%d)",
		      what, (unsigned long long)gpa, (unsigned long long)(gpa + size), rc);
}

/*
 * PVALIDATE one 4 KiB or 2 MiB page, zero it if it is new RAM, grant @attrs to VMPL1.
 * Returns PVALIDATE_FAIL_SIZEMISMATCH (nothing done) for the caller to try the other size.
 */
static int validate_page(u64 gpa, bool is_2m, enum range_kind kind, u64 attrs, const char *what)
{
	u64 size = is_2m ? PAGE_2M_SIZE : PAGE_SIZE;
	u8 *va = is_2m ? gmem_map_2m(gpa, true) : gmem_map(GMEM_SLOT_LAUNCH, gpa, true);
	bool unchanged;
	int rc = snp_validate(va, is_2m, &unchanged);

	if (rc == PVALIDATE_FAIL_SIZEMISMATCH)
		goto out;
	if (rc)
		fatal(TERM_GUEST_LAUNCH, "PVALIDATE of the %s at %#llx failed (%d)", what,
		      (unsigned long long)gpa, rc);
	if (kind == RANGE_FIRMWARE && !unchanged)
		fatal(TERM_BAD_FIRMWARE,
		      "the %s at %#llx was not launch-measured (PVALIDATE changed it)", what,
		      (unsigned long long)gpa);
	if (unchanged) {
		stats.measured += size >> PAGE_SHIFT;
	} else {
		if (gmem_zero(va, size))
			fatal(TERM_GUEST_LAUNCH, "the %s at %#llx stopped being validated", what,
			      (unsigned long long)gpa);
		stats.validated += size >> PAGE_SHIFT;
	}
	rc = rmpadjust((u64)(uintptr_t)va, is_2m, attrs | GUEST_VMPL);
	if (rc)
		fatal(TERM_RMPADJUST, "RMPADJUST of the %s at %#llx for VMPL1 failed (%d)", what,
		      (unsigned long long)gpa, rc);
out:
	if (is_2m)
		gmem_unmap_2m();
	else
		gmem_unmap(GMEM_SLOT_LAUNCH);
	return rc;
}

static void validate_range(u64 gpa, u64 size, enum range_kind kind, u64 attrs, const char *what)
{
	u64 end = gpa + size, a = gpa;

	make_private(gpa, size, what);
	while (a < end) {
		bool fits_2m = IS_ALIGNED(a, PAGE_2M_SIZE) && end - a >= PAGE_2M_SIZE;

		/* RAM in 2 MiB pages where the page state change made 2 MiB RMP entries; launch
		 * pages are 4 KiB ones: 2 MiB only if 4 KiB does not match. */
		if (fits_2m && kind == RANGE_RAM &&
		    validate_page(a, true, kind, attrs, what) != PVALIDATE_FAIL_SIZEMISMATCH) {
			a += PAGE_2M_SIZE;
			continue;
		}
		if (validate_page(a, false, kind, attrs, what) != PVALIDATE_FAIL_SIZEMISMATCH) {
			a += PAGE_SIZE;
			continue;
		}
		if (!fits_2m || validate_page(a, true, kind, attrs, what))
			fatal(TERM_GUEST_LAUNCH, "PVALIDATE of the %s at %#llx: no page size fits",
			      what, (unsigned long long)a);
		a += PAGE_2M_SIZE;
	}
}

/* Copy [gpa, gpa + len) of validated guest memory into SVSM memory, page by page. */
static void copy_in(void *dst, u64 gpa, u64 len)
{
	u8 *d = dst;

	while (len) {
		u64 off = gpa & (PAGE_SIZE - 1), n = MIN(len, PAGE_SIZE - off);
		u8 *va = gmem_map(GMEM_SLOT_LAUNCH, gpa - off, false);
		int rc = gmem_read(d, va + off, n);

		gmem_unmap(GMEM_SLOT_LAUNCH);
		if (rc)
			fatal(TERM_GUEST_LAUNCH, "reading the firmware at %#llx faulted",
			      (unsigned long long)gpa);
		d += n;
		gpa += n;
		len -= n;
	}
}

/* ---- The firmware ---- */

static void parse_firmware(struct fwmeta *m, u64 gpa, u64 size)
{
	u64 tail_len = MIN(size, (u64)FWMETA_TAIL_MAX);
	u8 *buf = page_alloc(0);
	size_t asev_len;
	int rc;

	if (!buf)
		fatal(TERM_NOMEM, "no memory to parse the guest firmware");
	copy_in(buf, gpa + size - tail_len, tail_len);
	rc = fwmeta_parse_footer(buf, tail_len, gpa, size, m);
	if (rc)
		fatal(TERM_BAD_FIRMWARE, "guest firmware footer GUID table unusable (%d)", rc);
	asev_len = fwmeta_asev_bytes(m);
	copy_in(buf, gpa + size - m->asev_offset, asev_len);
	rc = fwmeta_parse_asev(buf, asev_len, m);
	if (rc)
		fatal(TERM_BAD_FIRMWARE, "guest firmware SEV metadata (ASEV) unusable (%d)", rc);
	page_free(buf);
}

static const char *section_name(u32 type)
{
	switch (type) {
	case FW_SECTION_PREVALIDATED:
		return "pre-validated range";
	case FW_SECTION_SECRETS:
		return "secrets page";
	case FW_SECTION_CPUID:
		return "CPUID page";
	case FW_SECTION_SVSM_CAA:
		return "calling area";
	default:
		return "kernel hashes page";
	}
}

static void validate_sections(const struct fwmeta *m)
{
	u32 i;

	for (i = 0; i < m->nr_sections; i++) {
		const struct fw_section *s = &m->sec[i];
		bool data = s->type == FW_SECTION_SECRETS || s->type == FW_SECTION_CPUID ||
			    s->type == FW_SECTION_SVSM_CAA;

		if (gmem_check(s->gpa, s->size))
			fatal(TERM_BAD_FIRMWARE,
			      "guest firmware %s [%#llx, %#llx) is not guest RAM outside SVSM "
			      "memory",
			      section_name(s->type), (unsigned long long)s->gpa,
			      (unsigned long long)(s->gpa + s->size));
		validate_range(s->gpa, s->size, RANGE_RAM, data ? GUEST_RW : GUEST_RWX,
			       section_name(s->type));
	}
}

/* SVSM spec #58019: the guest's secrets page is the SVSM's with VMPCK0 cleared and the SVSM fields
 * filled in; its CPUID page a copy of the SVSM's; its calling area starts empty. */
static void fill_pages(const struct fwmeta *m)
{
	u64 caa = m->sec[m->caa].gpa;
	u8 *p = gmem_map(GMEM_SLOT_LAUNCH, m->sec[m->secrets].gpa, true);

	memcpy(p, __secrets_page, PAGE_SIZE);
	memset(p + SECRETS_VMPCK0, 0, SECRETS_VMPCK_SIZE);
	*(u64 *)(p + SECRETS_SVSM_BASE) = SVSM_GPA;
	*(u64 *)(p + SECRETS_SVSM_SIZE) = SVSM_MEM;
	*(u64 *)(p + SECRETS_SVSM_CAA) = caa;
	*(u32 *)(p + SECRETS_SVSM_MAX_VERSION) = SVSM_MAX_VERSION;
	p[SECRETS_SVSM_GUEST_VMPL] = GUEST_VMPL;
	gmem_unmap(GMEM_SLOT_LAUNCH);

	p = gmem_map(GMEM_SLOT_LAUNCH, m->sec[m->cpuid].gpa, true);
	memcpy(p, __cpuid_page, PAGE_SIZE); /* the section is at least a page (fwmeta) */
	gmem_unmap(GMEM_SLOT_LAUNCH);

	p = gmem_map(GMEM_SLOT_LAUNCH, caa, true);
	memset(p, 0, PAGE_SIZE);
	gmem_unmap(GMEM_SLOT_LAUNCH);
}

/* ---- The boot VMSA ---- */

static struct vmsa *boot_vmsa(void)
{
	struct vmsa *v = smp_vmsa_alloc();
	const char *why;

	if (!v)
		fatal(TERM_NOMEM, "no memory for the guest's boot VMSA");
	memcpy(v, __bios_vmsa_page, sizeof(*v));
	if (vmsa_check_boot(v, &why))
		fatal(TERM_BIOS_VMSA,
		      "the host's BIOS VMSA is unacceptable: %s (vmpl %u, EFER %#llx, "
		      "sev_features %#llx)",
		      why, v->vmpl, (unsigned long long)v->efer,
		      (unsigned long long)v->sev_features);
	smp_vmsa_start(v, bsp_percpu.apic_id, GUEST_VMPL, "the guest's boot VMSA");
	return v;
}

/* ---- The fault path ---- */

/*
 * Guest-memory copies must survive a #VC 0x404 (guest/gmem.h). Requests never reach that
 * path in a well-behaved system (every page is probed first): only a race with the host can.
 * So prove it here, on one of the SVSM's own pages, made not validated for the purpose.
 */
static void fault_path_selftest(void)
{
	u8 *page = page_alloc(0);
	u64 probe, taken = extable_fixups_taken();
	bool unchanged;
	int rc, copy_rc;

	if (!page)
		fatal(TERM_NOMEM, "no page for the fault-path self-test");
	/* A 4 KiB RMP entry (a PSMASH if needed), target VMPL3 with no access: no change. */
	rc = rmp_adjust_4k(page, 3);
	if (!rc)
		rc = pvalidate((u64)(uintptr_t)page, false, false, &unchanged);
	if (rc || unchanged)
		fatal(TERM_GUEST_LAUNCH, "fault-path self-test: rescinding a page failed (%d)", rc);
	copy_rc = gmem_copy_raw(&probe, page, sizeof(probe));
	rc = snp_validate(page, false, &unchanged);
	if (rc || unchanged)
		fatal(TERM_PVALIDATE, "fault-path self-test: validating the page again failed (%d)",
		      rc);
	memset(page, 0, PAGE_SIZE);
	page_free(page);
	if (copy_rc != -EFAULT || extable_fixups_taken() != taken + 1)
		fatal(TERM_GUEST_LAUNCH,
		      "fault-path self-test: a copy from a page that is not "
		      "validated gave %d",
		      copy_rc);
}

void guest_launch(void)
{
	static struct fwmeta meta;
	struct fwmeta *m = &meta;
	struct vmsa *v;
	u64 gpa, size;

	firmware_location(&gpa, &size);
	gmem_init();
	vcpu_init();
	validate_range(gpa, size, RANGE_FIRMWARE, GUEST_RWX, "firmware");
	parse_firmware(m, gpa, size);
	validate_sections(m);
	fill_pages(m);
	v = boot_vmsa();
	fault_path_selftest();
	log_info("guest: %u metadata sections, %llu pages validated and zeroed, %llu "
		 "launch-measured, %u PSC exits",
		 m->nr_sections, (unsigned long long)stats.validated,
		 (unsigned long long)stats.measured, stats.psc_exits);
	log_info("guest: secrets %#llx, CPUID %#llx, calling area %#llx; boot VMSA RIP %#llx, "
		 "sev_features %#llx",
		 (unsigned long long)m->sec[m->secrets].gpa,
		 (unsigned long long)m->sec[m->cpuid].gpa, (unsigned long long)m->sec[m->caa].gpa,
		 (unsigned long long)v->rip, (unsigned long long)v->sev_features);
	vcpu_launch_boot(v, m->sec[m->caa].gpa);
	log_info("guest: running the firmware at VMPL1");
}
