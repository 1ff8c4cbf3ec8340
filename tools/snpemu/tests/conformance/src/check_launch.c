/*
 * The state the launcher starts the image in (README "svsm.bin image format", facts §5, §7,
 * §9): registers from the SVSM INFO block, SEV_STATUS, launch-validated pages, and the
 * secrets and CPUID pages it fills.
 */
#include "check.h"

/* SNP CPUID table (facts §7): u32 count, reserved to 0x10, then 0x30-byte entries. */
#define CPUID_COUNT_MAX 64
#define CPUID_ENTRY(i) (0x10 + (i)*0x30)

static bool all_zero(const u8 *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

static void check_registers(void)
{
	struct desc_ptr d;
	u64 efer = rdmsr(MSR_EFER);

	check_eq("launch: RSP is 0", launch_rsp, 0);
	check_eq("launch: RFLAGS is 2", launch_rflags, 2);
	check_eq("launch: CS is the INFO selector", read_cs(), CONF_CS_SEL);
	check_eq("launch: CR0 is the INFO value", read_cr0(), CONF_CR0);
	check_eq("launch: CR4 is the INFO value", read_cr4(), CONF_CR4);
	check_eq("launch: EFER is the INFO value", efer, CONF_EFER);
	check_eq("launch: CR3 is the INFO value (PML4 GPA with the C-bit)", read_cr3(),
		 va_to_gpa(vmpl0_pml4) | CONF_CBIT);
	store_gdt(&d);
	check(d.base == (u64)gdt && d.limit == gdt_end - gdt - 1, "launch: GDTR is the INFO value",
	      "base 0x%lx limit 0x%x", d.base, d.limit);
	store_idt(&d);
	check(d.base == (u64)idt && d.limit == IDT_ENTRIES * 16 - 1,
	      "launch: IDTR is the INFO value", "base 0x%lx limit 0x%x", d.base, d.limit);
	/* SEV, SEV-ES and SNP enabled (facts §5). */
	check_eq("launch: SEV_STATUS has SEV, SEV-ES and SNP (bits 0-2)", sev_status & 7, 7);
}

/* The image and its metadata pages are private, validated and VMPL0's (README). */
static void check_launch_pages(void)
{
	check_insn("launch: first image page is validated (PVALIDATE: CF=1, unchanged)",
		   pvalidate((u64)_image_start, false, true), 0, 1);
	check_insn("launch: last image page is validated (PVALIDATE: CF=1, unchanged)",
		   pvalidate((u64)_image_end - PAGE_SIZE, false, true), 0, 1);
	check_insn("launch: secrets page is validated (PVALIDATE: CF=1, unchanged)",
		   pvalidate((u64)conf_secrets_page, false, true), 0, 1);
	check_insn("launch: CPUID page is validated (PVALIDATE: CF=1, unchanged)",
		   pvalidate((u64)conf_cpuid_page, false, true), 0, 1);
}

static void check_secrets_cpuid(void)
{
	const u8 *secrets = (const u8 *)conf_secrets_page;
	const u8 *cp = (const u8 *)conf_cpuid_page;
	u32 count = *(const u32 *)cp, i;
	bool found = false;
	u32 ebx = 0;

	/* VMPCK0..3 at 0x20, 0x40, 0x60, 0x80 (facts §7), filled by the launcher (README). */
	check(!all_zero(secrets + 0x20, 32) && !all_zero(secrets + 0x40, 32) &&
		      !all_zero(secrets + 0x60, 32) && !all_zero(secrets + 0x80, 32),
	      "launch: secrets page holds VMPCK0-3 (none all zero)", "%s", "a VMPCK is zero");

	check(count >= 1 && count <= CPUID_COUNT_MAX, "launch: CPUID page count is 1..64",
	      "count %u", count);
	for (i = 0; i < count && i < CPUID_COUNT_MAX; i++) {
		const u8 *e = cp + CPUID_ENTRY(i);

		if (*(const u32 *)e == 0x8000001f) {
			found = true;
			ebx = *(const u32 *)(e + 0x1c); /* eax_in, ecx_in, xcr0, xss, eax, ebx */
		}
	}
	check(found && (ebx & 0x3f) == CONF_CBIT_POS,
	      "launch: CPUID page leaf 0x8000001f gives C-bit 51 (EBX[5:0], facts §9)",
	      "found %d ebx 0x%x", found, ebx);
}

void check_launch(void)
{
	check_registers();
	check_launch_pages();
	check_secrets_cpuid();
}
