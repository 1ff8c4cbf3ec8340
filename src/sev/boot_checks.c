// SPDX-License-Identifier: MIT
/* Step 1 of svsm_main: the initial checks (include/sev/boot_checks.h). */
#include "sev/boot_checks.h"
#include "arch/insn.h"
#include "arch/layout.h"
#include "lib/guidtable.h"
#include "lib/log.h"
#include "lib/string.h"
#include "sev/cpuid.h"
#include "sev/evict.h"
#include "sev/ghcb.h"
#include "sev/sev_status.h"
#include "sev/terminate.h"

static u64 boot_sev_status;

u64 sev_status(void)
{
	return boot_sev_status;
}

static void check_sev_status(void)
{
	u64 status = rdmsr(MSR_SEV_STATUS);
	int rc = sev_status_check(status);

	if (rc == -EPERM)
		fatal(TERM_SEV_FEATURES, "SEV_STATUS %#llx lacks a required feature (need %#llx)",
		      (unsigned long long)status, (unsigned long long)SEV_STATUS_REQUIRED);
	if (rc)
		fatal(TERM_SEV_FEATURES, "SEV_STATUS %#llx has a feature forbidden at VMPL0",
		      (unsigned long long)status);
	boot_sev_status = status;
}

static void check_cpuid_page(void)
{
	const struct snp_cpuid_table *t = (const struct snp_cpuid_table *)__cpuid_page;

	/* start.S already matched its C-bit against the build's; here the whole table. */
	if (snp_cpuid_table_check(t) || snp_cpuid_cbit(t) != SVSM_CBIT)
		fatal(TERM_CPUID_PAGE, "the CPUID page is malformed");
}

/* SVSM INFO as laid out by src/arch/footer.S (README "svsm.bin image format"). */
struct svsm_info {
	u64 load_gpa;
	u64 mem_size;
	u64 cr3;
	u64 gdt_base;
	u16 gdt_limit;
	u64 idt_base;
	u16 idt_limit;
	u16 cs_sel;
	u64 cs_desc;
	u64 rip;
	u64 efer;
	u64 cr0;
	u64 cr4;
} __packed;

_Static_assert(sizeof(struct svsm_info) == 86, "SVSM INFO is 86 bytes");

struct svsm_meta_section {
	u64 gpa;
	u32 size;
	u32 type;
} __packed;

struct svsm_meta {
	u32 signature;
	u32 length;
	u32 version;
	u32 count;
	struct svsm_meta_section s[3];
} __packed;

#define SVSM_META_SIGNATURE 0x4d535653

static bool layout_constants_ok(void)
{
	u64 image_pages = (u64)(__image_pages_end - __image_start);

	return IS_ALIGNED(SVSM_GPA, PAGE_2M_SIZE) && IS_ALIGNED(SVSM_MEM, PAGE_2M_SIZE) &&
	       SVSM_MEM >= SVSM_MEM_MIN && SVSM_MEM <= SVSM_MEM_MAX &&
	       SVSM_GPA + SVSM_MEM > SVSM_GPA && SVSM_GPA + SVSM_MEM <= (1ULL << SVSM_CBIT) &&
	       image_pages <= SVSM_DYN_OFFSET &&
	       (u64)(__file_end - __image_start) <= SVSM_IMAGE_MAX &&
	       __secrets_page == (char *)ALIGN_UP((uintptr_t)__file_end, PAGE_SIZE);
}

static bool info_ok(const void *data, size_t len)
{
	struct svsm_info info;

	if (len != sizeof(info))
		return false;
	memcpy(&info, data, sizeof(info));
	return info.load_gpa == SVSM_GPA && info.mem_size == SVSM_MEM &&
	       (info.cr3 & ~0xfffULL) == (read_cr3() & ~0xfffULL);
}

static bool metadata_ok(const void *data, size_t len)
{
	static const u32 types[3] = { 2, 3, 5 };
	const char *pages[3] = { __secrets_page, __cpuid_page, __bios_vmsa_page };
	struct svsm_meta m;
	u32 offset;
	size_t file_len = (size_t)(__file_end - __image_start);
	unsigned int i;

	if (len != sizeof(offset))
		return false;
	memcpy(&offset, data, sizeof(offset));
	if (offset < sizeof(m) || offset > file_len)
		return false;
	memcpy(&m, __file_end - offset, sizeof(m));
	if (m.signature != SVSM_META_SIGNATURE || m.version != 1 || m.count != 3 ||
	    m.length != sizeof(m))
		return false;
	for (i = 0; i < 3; i++) {
		if (m.s[i].gpa != svsm_va_to_pa(pages[i]) || m.s[i].size != PAGE_SIZE ||
		    m.s[i].type != types[i])
			return false;
	}
	return true;
}

/* Read the image's own footer back: what the launcher used must be what this code uses. */
static bool footer_ok(void)
{
	static const struct guid envelope = SVSM_ENVELOPE_GUID;
	static const struct guid info = SVSM_INFO_GUID;
	static const struct guid meta = SVSM_METADATA_GUID;
	size_t file_len = (size_t)(__file_end - __image_start);
	const void *data;
	size_t len;

	if (guidtable_find(__image_start, file_len, file_len, &envelope, &info, &data, &len) ||
	    !info_ok(data, len))
		return false;
	if (guidtable_find(__image_start, file_len, file_len, &envelope, &meta, &data, &len) ||
	    !metadata_ok(data, len))
		return false;
	return true;
}

static void check_image_layout(void)
{
	if (!layout_constants_ok())
		fatal(TERM_LAYOUT, "invalid SVSM_GPA/SVSM_MEM or image layout");
	if (!footer_ok())
		fatal(TERM_LAYOUT, "the image footer does not describe this image");
}

void boot_checks(void)
{
	/* VMPL0 was proven in start.S, before its first PVALIDATE. */
	check_sev_status();
	check_cpuid_page();
	snp_evict_init();
	check_image_layout();
	log_info("csvsm: VMPL0, SEV_STATUS %#llx, image at %#llx, %llu MiB of SVSM memory",
		 (unsigned long long)boot_sev_status, (unsigned long long)SVSM_GPA,
		 (unsigned long long)(SVSM_MEM >> 20));
}
