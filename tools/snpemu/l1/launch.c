/*
 * The launch, as QEMU's SVSM branch and the PSP do it: read svsm.bin's footer GUID table
 * (README "svsm.bin image format", facts §9), place the image and the VMPL1 firmware as
 * launch-measured memory (assigned, validated, VMPL0-only), fill the metadata pages (secrets,
 * CPUID, BIOS BSP VMSA) and build the VMPL0 BSP VMSA from SVSM INFO.
 */
#include "l1.h"

struct launch_info launch;

static const u8 guid_envelope[16] = { 0xea, 0x4f, 0x38, 0x81, 0x48, 0xad, 0xb6, 0x4e,
				      0xaf, 0x4f, 0x6a, 0xc4, 0x93, 0x16, 0xdf, 0x2b };
static const u8 guid_info[16] = { 0x12, 0xa6, 0x89, 0xa7, 0x97, 0x05, 0x4b, 0x4c,
				  0xa4, 0x9f, 0xcb, 0xb1, 0xfe, 0x9d, 0x1d, 0xdd };
static const u8 guid_meta[16] = { 0x9b, 0x18, 0x30, 0xbe, 0x44, 0xab, 0x97, 0x4a,
				  0x82, 0xdd, 0xea, 0x81, 0x39, 0x41, 0x04, 0x7e };

#define TAIL_MAX 0x10000
static u8 tail[TAIL_MAX];

__noreturn static void bad_image(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void bad_image(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	machine_stop("malformed svsm image", fmt, ap);
}

static u16 get16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}
static u32 get32(const u8 *p)
{
	return (u32)get16(p) | (u32)get16(p + 2) << 16;
}
static u64 get64(const u8 *p)
{
	return (u64)get32(p) | (u64)get32(p + 4) << 32;
}

/*
 * Find @guid in the table that ends at tail[len]; returns its data and length. The whole table
 * is checked first: every entry well formed and the walk ending exactly at the table start.
 */
static const u8 *guid_find(u32 len, const u8 *guid, u32 *dlen)
{
	u32 tlen, pos, start;
	const u8 *found = NULL;

	if (len < 18 || memcmp(tail + len - 16, guid_envelope, 16))
		bad_image("no footer GUID table (envelope 81384fea-... not at the end of the "
			  "file)");
	tlen = get16(tail + len - 18);
	if (tlen < 18 || tlen > len)
		bad_image("footer table length %u out of range", tlen);
	start = len - tlen;
	pos = len - 18; /* end of the last entry */
	while (pos > start) {
		u32 elen;

		if (pos - start < 18)
			bad_image("truncated GUID table entry");
		elen = get16(tail + pos - 18);
		if (elen < 18 || elen > pos - start)
			bad_image("GUID table entry length %u out of range", elen);
		if (!found && !memcmp(tail + pos - 16, guid, 16)) {
			*dlen = elen - 18;
			found = tail + pos - elen;
		}
		pos -= elen;
	}
	return found;
}

struct svsm_info {
	u64 load_gpa, mem_size, cr3, gdt_base;
	u16 gdt_limit;
	u64 idt_base;
	u16 idt_limit, cs_sel;
	u64 cs_desc, rip, efer, cr0, cr4;
};

static void seg(u8 *vmsa, int off, u16 sel, u16 attr, u32 limit, u64 base)
{
	F16(vmsa, off) = sel;
	F16(vmsa, off + 2) = attr;
	F32(vmsa, off + 4) = limit;
	F64(vmsa, off + 8) = base;
}

static void vmsa_common(u8 *vmsa, u64 sev_features, int vmpl)
{
	F64(vmsa, VMSA_DR6) = 0xffff0ff0;
	F64(vmsa, VMSA_DR7) = 0x400;
	F64(vmsa, VMSA_RFLAGS) = 2;
	F64(vmsa, VMSA_GPAT) = 0x0007040600070406ULL;
	F64(vmsa, VMSA_XCR0) = 1;
	F32(vmsa, VMSA_MXCSR) = 0x1f80;
	F16(vmsa, VMSA_X87_FTW) = 0x5555;
	F16(vmsa, VMSA_X87_FCW) = 0x40;
	F8(vmsa, VMSA_VMPL) = (u8)vmpl;
	F64(vmsa, VMSA_SEV_FEATURES) = sev_features;
}

/* The VMPL1 firmware's reset state (facts §6 offsets; x86 reset values). */
static void build_bios_vmsa(u8 *vmsa)
{
	u32 r[4];

	memset(vmsa, 0, PAGE_SIZE);
	for (int off = VMSA_ES; off <= VMSA_GS; off += 16)
		seg(vmsa, off, 0, 0x93, 0xffff, 0);
	seg(vmsa, VMSA_CS, 0xf000, 0x9b, 0xffff, 0xffff0000);
	seg(vmsa, VMSA_GDTR, 0, 0, 0xffff, 0);
	seg(vmsa, VMSA_IDTR, 0, 0, 0xffff, 0);
	seg(vmsa, VMSA_LDTR, 0, 0x82, 0xffff, 0);
	seg(vmsa, VMSA_TR, 0, 0x8b, 0xffff, 0);
	F64(vmsa, VMSA_CR0) = 0x60000010;
	F64(vmsa, VMSA_EFER) = EFER_SVME;
	F64(vmsa, VMSA_RIP) = 0xfff0;
	emu_cpuid(1, 0, 0, r);
	F64(vmsa, VMSA_RCX + 8) = r[0]; /* RDX = family/model/stepping at reset */
	vmsa_common(vmsa, SEVF_SNP, 1);
}

/* The image's BSP VMSA from SVSM INFO; @vmpl is 0 unless --fault launch-vmpl. */
static void build_launch_vmsa(u8 *vmsa, const struct svsm_info *in, u64 sev_features, int vmpl)
{
	u64 d = in->cs_desc;
	u16 attr = (u16)(((d >> 40) & 0xff) | (((d >> 52) & 0xf) << 8));
	u32 limit = (u32)((d & 0xffff) | ((d >> 32) & 0xf0000));

	if (d & (1ULL << 55))
		limit = (limit << 12) | 0xfff;
	memset(vmsa, 0, PAGE_SIZE);
	seg(vmsa, VMSA_CS, in->cs_sel, attr, limit, 0);
	seg(vmsa, VMSA_GDTR, 0, 0, in->gdt_limit, in->gdt_base);
	seg(vmsa, VMSA_IDTR, 0, 0, in->idt_limit, in->idt_base);
	seg(vmsa, VMSA_TR, 0, 0x8b, 0xffff, 0);
	F64(vmsa, VMSA_EFER) = in->efer;
	F64(vmsa, VMSA_CR0) = in->cr0;
	F64(vmsa, VMSA_CR3) = in->cr3;
	F64(vmsa, VMSA_CR4) = in->cr4;
	F64(vmsa, VMSA_RIP) = in->rip;
	vmsa_common(vmsa, sev_features, vmpl);
}

/* ---- the emulated CPU ---- */
static u32 max_std, max_ext;

bool emu_cpuid(u32 leaf, u32 sub, u32 apic, u32 r[4])
{
	if (!max_std) {
		u32 t[4];

		cpuid(0, 0, t);
		max_std = t[0] < 0xd ? t[0] : 0xd;
		cpuid(0x80000000, 0, t);
		max_ext = t[0];
	}
	r[0] = r[1] = r[2] = r[3] = 0;
	if (leaf <= max_std) {
		cpuid(leaf, sub, r);
	} else if (leaf >= 0x80000000 && leaf <= 0x8000001f) {
		if (leaf <= max_ext)
			cpuid(leaf, sub, r);
	} else {
		return false;
	}
	switch (leaf) {
	case 0:
		r[0] = max_std;
		break;
	case 1:
		r[1] = (r[1] & 0x0000ffff) | (apic << 24) | ((u32)cfg.smp << 16);
		r[2] |= 1U << 31; /* hypervisor present */
		r[2] |= 1U << 24; /* TSC-deadline timer: the guests' local APIC has it (vlapic.c) */
		r[2] &= ~(1U << 5); /* no VMX */
		break;
	case 6:
		r[0] |= 1U << 2; /* ARAT: the guests' APIC timer runs in every C-state (vlapic.c) */
		break;
	case 0xb:
		r[3] = apic;
		break;
	case 0xd:
		/* XSAVEC, as every SNP-capable CPU reports it: Linux's SNP CPUID code refuses
		 * 0xD:1 without XSAVEC or XSAVES (snp_cpuid_postprocess). Inert here: leaf 1 has
		 * no XSAVE, so the guest never executes XSAVEC. */
		if (sub == 1)
			r[0] |= 1U << 1;
		break;
	case 0x80000000:
		r[0] = 0x8000001f;
		break;
	case 0x80000001:
		r[2] &= ~(1U << 2); /* the guest gets no SVM */
		break;
	case 0x80000007:
		/* invariant TSC: the L1's TSC (QEMU's -icount clock) counts one tick per guest
		 * nanosecond whatever the guest does; a kernel then reuses the boot CPU's delay
		 * calibration on its APs instead of measuring each for a second */
		r[3] |= 1U << 8;
		break;
	case 0x8000000a:
		r[0] = r[1] = r[2] = r[3] = 0;
		break;
	case 0x8000001f:
		/* SEV, SEV-ES, SNP, VMPL; C-bit 51, 1 bit of physical address reduction, 4 VMPLs */
		r[0] = (1U << 1) | (1U << 3) | (1U << 4) | (1U << 5);
		r[1] = CBIT_POS | (1U << 6) | (4U << 12);
		/* EBX[31] COHERENCY_SFW_NO: no cache-line eviction needed after validation
		 * (CVE-2025-38560; Linux commit 7b306dfa326f). Clear unless asked for. */
		if (cfg.coherency_sfw_no)
			r[1] |= 1U << 31;
		r[2] = 509;
		r[3] = 1;
		break;
	}
	return true;
}

/* The SNP CPUID table (facts §7 "SNP CPUID table"). */
static void build_cpuid_page(u8 *page)
{
	static const u32 leaves[][2] = {
		{ 0, 0 },	   { 1, 0 },	      { 6, 0 },		 { 7, 0 },
		{ 0xb, 0 },	   { 0xb, 1 },	      { 0xd, 0 },	 { 0xd, 1 },
		{ 0x80000000, 0 }, { 0x80000001, 0 }, { 0x80000002, 0 }, { 0x80000003, 0 },
		{ 0x80000004, 0 }, { 0x80000005, 0 }, { 0x80000006, 0 }, { 0x80000007, 0 },
		{ 0x80000008, 0 }, { 0x8000001f, 0 },
	};
	u32 n = 0;

	memset(page, 0, PAGE_SIZE);
	for (size_t i = 0; i < ARRAY_SIZE(leaves); i++) {
		u8 *e = page + 16 + n * 0x30;
		u32 r[4];

		if (!emu_cpuid(leaves[i][0], leaves[i][1], 0, r))
			continue;
		F32(e, 0) = leaves[i][0];
		F32(e, 4) = leaves[i][1];
		F64(e, 8) = leaves[i][0] == 0xd ? 1 : 0; /* xcr0_in */
		F64(e, 16) = 0;				 /* xss_in */
		/* The page alone lies about the C-bit: CPUID itself and SEV information keep 51. */
		if (leaves[i][0] == 0x8000001f && cfg.fault[FAULT_CPUID_PAGE_CBIT])
			r[1] = (r[1] & ~0x3fU) | (u32)cfg.cpuid_page_cbit;
		F32(e, 24) = r[0];
		F32(e, 28) = r[1];
		F32(e, 32) = r[2];
		F32(e, 36) = r[3];
		n++;
	}
	F32(page, 0) = cfg.fault[FAULT_CPUID_PAGE_COUNT] ? (u32)cfg.cpuid_page_count : n;
}

static u64 prng_state;

static u64 prng(void)
{
	u64 x = prng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	prng_state = x;
	return x;
}

/* Secrets page (facts §7 offsets): version, FMS, VMPCK0-3 random. */
static void build_secrets_page(u8 *page)
{
	u32 r[4];

	memset(page, 0, PAGE_SIZE);
	emu_cpuid(1, 0, 0, r);
	F32(page, 0) = 2;
	F32(page, 8) = r[0];
	prng_state = cfg.seed * 0x2545f4914f6cdd1dULL + 0x1234567;
	for (int off = 0x20; off < 0xa0; off += 8)
		F64(page, off) = prng();
}

/* ---- launch faults ---- */

#define HOST_PATTERN 0x54534f4854534f48ULL /* "HOSTHOST": content the host chose */

static bool is_launch_page(u64 gpa, u64 image_end, const u64 metas[3])
{
	if (gpa >= launch.svsm_gpa && gpa < image_end)
		return true;
	if (launch.bios_size && gpa >= launch.bios_gpa && gpa < (1ULL << 32))
		return true;
	return gpa == metas[0] || gpa == metas[1] || gpa == metas[2];
}

/*
 * --fault prevalidated=N[:K]: a page of SVSM memory is private and validated before the image
 * ever validated it, holding what the host put there (on hardware: a page the host added to
 * the launch unmeasured, or one validated earlier and handed over again). A page state change
 * to private leaves it as it is; only PVALIDATE's CF = 1 (no change) tells.
 */
static void fault_prevalidated(u64 image_end, const u64 metas[3])
{
	u64 gpa = launch.svsm_gpa + cfg.prevalidated_2m * PAGE_2M_SIZE, n = PAGES_PER_2M;

	if (cfg.prevalidated_4k >= 0) {
		gpa += (u64)cfg.prevalidated_4k * PAGE_SIZE;
		n = 1;
	}
	if (cfg.prevalidated_2m >= launch.svsm_size / PAGE_2M_SIZE ||
	    gpa + n * PAGE_SIZE > launch.svsm_gpa + launch.svsm_size) {
		con_printf("snpemu: --fault prevalidated: page %lu is not in SVSM memory\n",
			   cfg.prevalidated_2m);
		machine_exit(EXIT_RULE);
	}
	for (u64 a = gpa; a < gpa + n * PAGE_SIZE; a += PAGE_SIZE) {
		u64 *p = gpa_hva(a);

		if (is_launch_page(a, image_end, metas)) {
			con_printf("snpemu: --fault prevalidated: page 0x%lx is a launch page\n",
				   a);
			machine_exit(EXIT_RULE);
		}
		rmp_launch_page(a, launch.vmpl);
		if (n > 1)
			*rmp_entry(a) |= RMP_2M;
		for (int i = 0; i < 512; i++)
			p[i] = HOST_PATTERN;
	}
	con_printf("snpemu: fault prevalidated: %s page 0x%lx of SVSM memory is private and "
		   "validated from the launch on, with host content\n",
		   n > 1 ? "2 MiB" : "4 KiB", gpa);
}

/*
 * --fault launch-unvalidated=GPA: the host leaves one launch page (image, metadata or
 * firmware) out of the launch: assigned to the guest, neither measured nor validated. Its
 * first private access raises #VC 0x404; PVALIDATE rescinding it reports CF = 1.
 */
static void fault_launch_unvalidated(u64 image_end, const u64 metas[3])
{
	u64 gpa = cfg.launch_unvalidated;

	if (!is_launch_page(gpa, image_end, metas)) {
		con_printf("snpemu: --fault launch-unvalidated: 0x%lx is not a launch page\n", gpa);
		machine_exit(EXIT_RULE);
	}
	*rmp_entry(gpa) &= ~RMP_VALIDATED;
	con_printf("snpemu: fault launch-unvalidated: launch page 0x%lx is assigned but not "
		   "validated\n",
		   gpa);
}

static void region_setup(struct region *r, const char *name, u64 gpa, u64 size)
{
	u64 base = ALIGN_DOWN(gpa, PAGE_2M_SIZE), span = ALIGN_UP(gpa + size, PAGE_2M_SIZE) - base;
	u64 hbase = backing_alloc(span);

	if (!hbase) {
		con_printf("snpemu: not enough L1 memory for %s (0x%lx bytes)\n", name, size);
		machine_exit(EXIT_RULE);
	}
	r->name = name;
	r->gpa = gpa;
	r->size = size;
	r->hpa = hbase + (gpa - base);
	r->rmp = pages_alloc((size / PAGE_SIZE * sizeof(u32) + PAGE_SIZE - 1) / PAGE_SIZE);
}

void launch_svsm(void)
{
	struct svsm_info in;
	u32 fsize, bsize = 0, tlen, dlen, off, mlen, count;
	u16 fsel, bsel = 0;
	const u8 *d;
	u64 metas[3] = { 0, 0, 0 }, image_end, ram_low, ram_high;
	u8 *m;

	if (qfw_find("opt/snpemu/svsm", &fsize, &fsel))
		panic("no opt/snpemu/svsm in QEMU fw_cfg");
	tlen = fsize < TAIL_MAX ? fsize : TAIL_MAX;
	qfw_read(fsel, fsize - tlen, tail, tlen);

	d = guid_find(tlen, guid_info, &dlen);
	if (!d)
		bad_image("no SVSM INFO entry (a789a612-...)");
	if (dlen < 86)
		bad_image("SVSM INFO has %u bytes, needs 86", dlen);
	in = (struct svsm_info){ get64(d),	  get64(d + 8),	   get64(d + 0x10), get64(d + 0x18),
				 get16(d + 0x20), get64(d + 0x22), get16(d + 0x2a), get16(d + 0x2c),
				 get64(d + 0x2e), get64(d + 0x36), get64(d + 0x3e), get64(d + 0x46),
				 get64(d + 0x4e) };
	if (!IS_ALIGNED(in.load_gpa, PAGE_2M_SIZE) || !in.load_gpa)
		bad_image("load GPA 0x%lx is not 2 MiB aligned", in.load_gpa);
	if (!IS_ALIGNED(in.mem_size, PAGE_SIZE) || in.mem_size < (u64)fsize + 3 * PAGE_SIZE)
		bad_image("SVSM memory size 0x%lx is not page aligned or too small for the image",
			  in.mem_size);
	if (in.load_gpa + in.mem_size < in.load_gpa || in.load_gpa + in.mem_size > (1ULL << 48))
		bad_image("SVSM memory [0x%lx, +0x%lx) is above 2^48", in.load_gpa, in.mem_size);
	if (!(in.efer & EFER_SVME) || !(in.efer & (1 << 8)) || !(in.efer & EFER_LMA) ||
	    !(in.cr0 & CR0_PG) || !(in.cr0 & 1) || !(in.cr4 & CR4_PAE) ||
	    !(in.cs_desc & (1ULL << 53)) || (in.cs_desc & (1ULL << 54)))
		bad_image("SVSM INFO does not describe 64-bit paging (EFER 0x%lx CR0 0x%lx CR4 "
			  "0x%lx "
			  "CS 0x%lx)",
			  in.efer, in.cr0, in.cr4, in.cs_desc);
	if ((in.cr3 & GPA_MASK & ~0xfffULL) < in.load_gpa ||
	    (in.cr3 & GPA_MASK & ~0xfffULL) >= in.load_gpa + fsize)
		bad_image("initial CR3 0x%lx is not inside the image", in.cr3);

	d = guid_find(tlen, guid_meta, &dlen);
	if (!d || dlen < 4)
		bad_image("no SVSM metadata offset entry (be30189b-...)");
	off = get32(d);
	if (off < 16 || off > fsize)
		bad_image("metadata offset %u out of range", off);
	{
		u8 hdr[16];

		qfw_read(fsel, fsize - off, hdr, 16);
		if (get32(hdr) != 0x4d535653)
			bad_image("metadata signature is not \"SVSM\"");
		mlen = get32(hdr + 4);
		count = get32(hdr + 12);
		if (get32(hdr + 8) != 1 || mlen < 16 || mlen > off || count > 16 ||
		    16 + count * 16 > mlen)
			bad_image("metadata header invalid (version %u, length %u, %u sections)",
				  get32(hdr + 8), mlen, count);
	}
	image_end = in.load_gpa + ALIGN_UP((u64)fsize, PAGE_SIZE);
	for (u32 i = 0; i < count; i++) {
		u8 s[16];
		u64 gpa;
		u32 size, type;

		qfw_read(fsel, fsize - off + 16 + i * 16, s, 16);
		gpa = get64(s);
		size = get32(s + 8);
		type = get32(s + 12);
		if (type != 2 && type != 3 && type != 5)
			bad_image("metadata section %u has unknown type %u", i, type);
		if (size != PAGE_SIZE || !IS_ALIGNED(gpa, PAGE_SIZE) || gpa < image_end ||
		    gpa >= in.load_gpa + in.mem_size)
			bad_image("metadata section %u (type %u, GPA 0x%lx, size 0x%x) is not one "
				  "page "
				  "in SVSM memory after the image",
				  i, type, gpa, size);
		if (metas[type == 2 ? 0 : type == 3 ? 1 : 2])
			bad_image("metadata section type %u given twice", type);
		metas[type == 2 ? 0 : type == 3 ? 1 : 2] = gpa;
	}
	if (!metas[0] || !metas[1] || !metas[2])
		bad_image("metadata lacks the secrets, CPUID or BIOS VMSA section");
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < i; j++)
			if (metas[i] == metas[j])
				bad_image("two metadata sections share GPA 0x%lx", metas[i]);

	/* guest memory map */
	if (!cfg.mem || !IS_ALIGNED(cfg.mem, PAGE_2M_SIZE) || cfg.mem > GUEST_RAM_MAX) {
		con_printf("snpemu: --mem must be a multiple of 2 MiB up to %lu GiB\n",
			   GUEST_RAM_MAX >> 30);
		machine_exit(EXIT_RULE);
	}
	ram_low = cfg.mem < GUEST_RAM_LOW_MAX ? cfg.mem : GUEST_RAM_LOW_MAX;
	ram_high = cfg.mem - ram_low;
	if (cfg.have_bios) {
		if (qfw_find("opt/snpemu/bios", &bsize, &bsel))
			panic("no opt/snpemu/bios in QEMU fw_cfg");
		if (!bsize || !IS_ALIGNED(bsize, PAGE_SIZE) || bsize > (16U << 20)) {
			con_printf("snpemu: --bios size %u is not a multiple of 4 KiB up to 16 "
				   "MiB\n",
				   bsize);
			machine_exit(EXIT_RULE);
		}
	}
	if (in.load_gpa < GUEST_RAM_HIGH_BASE + ram_high) {
		con_printf("snpemu: SVSM load GPA 0x%lx overlaps guest RAM or firmware (must be >= "
			   "0x%lx)\n",
			   in.load_gpa, GUEST_RAM_HIGH_BASE + ram_high);
		machine_exit(EXIT_RULE);
	}
	/* Guest RAM first: 3 GiB of it does not fit the L1's own RAM below its 4 GiB hole (the
	 * L1's image and heap come first), so it goes above, and the firmware and SVSM memory
	 * fill what is left below (scripts/snpemu sizes the L1 machine for this). */
	region_setup(&regions[REG_RAM], "guest RAM", 0, ram_low);
	if (ram_high)
		region_setup(&regions[REG_RAM_HIGH], "guest RAM above 4 GiB", GUEST_RAM_HIGH_BASE,
			     ram_high);
	if (bsize)
		region_setup(&regions[REG_BIOS], "VMPL1 firmware", (1ULL << 32) - bsize, bsize);
	region_setup(&regions[REG_SVSM], "SVSM memory", in.load_gpa, in.mem_size);

	launch.svsm_gpa = in.load_gpa;
	launch.svsm_size = in.mem_size;
	launch.image_size = fsize;
	launch.bios_gpa = bsize ? (1ULL << 32) - bsize : 0;
	launch.bios_size = bsize;
	launch.secrets_gpa = metas[0];
	launch.cpuid_gpa = metas[1];
	launch.bios_vmsa_gpa = metas[2];
	launch.sev_status = cfg.fault[FAULT_SEV_STATUS]
				    ? cfg.sev_status
				    : SEV_STATUS_SEV | SEV_STATUS_ES | SEV_STATUS_SNP |
					      SEV_STATUS_RESTRICTED_INJ;
	/*
	 * --fault launch-vmpl=N: a host that keeps VMPL0 for itself launches the image at VMPL N
	 * and grants VMPL N full access to the image and metadata pages so that it can run.
	 */
	launch.vmpl = cfg.fault[FAULT_LAUNCH_VMPL] ? (int)cfg.launch_vmpl : 0;

	/* measured contents: DMA straight into the backing memory */
	qfw_read(fsel, 0, gpa_hva(in.load_gpa), fsize);
	for (u64 a = in.load_gpa; a < image_end; a += PAGE_SIZE)
		rmp_launch_page(a, launch.vmpl);
	if (bsize) {
		qfw_read(bsel, 0, gpa_hva(launch.bios_gpa), bsize);
		for (u64 a = launch.bios_gpa; a < (1ULL << 32); a += PAGE_SIZE)
			rmp_launch_page(a, 0);
	}
	build_secrets_page(gpa_hva(metas[0]));
	build_cpuid_page(gpa_hva(metas[1]));
	build_bios_vmsa(gpa_hva(metas[2]));
	for (int i = 0; i < 3; i++)
		rmp_launch_page(metas[i], launch.vmpl);
	if (cfg.fault[FAULT_PREVALIDATED])
		fault_prevalidated(image_end, metas);
	if (cfg.fault[FAULT_LAUNCH_UNVALIDATED])
		fault_launch_unvalidated(image_end, metas);
	tlb_init();
	npt_init();
	gfw_init();

	/*
	 * The SEV features of each VMPL (README "AP creation"): the image's VMPL has the launch
	 * VMSA's (SEV_STATUS >> 2), VMPL1 the BIOS VMSA's the host built, and VMPL2/3, which
	 * the host gave no VMSA, the VM's (the launch VMSA's, as KVM's single vmsa_features).
	 */
	for (int l = 0; l < NR_VMPLS; l++)
		launch.vmpl_features[l] = launch.sev_status >> 2;
	launch.vmpl_features[1] = F64(gpa_hva(metas[2]), VMSA_SEV_FEATURES);
	launch.vmpl_features[launch.vmpl] = launch.sev_status >> 2;

	/* the image's BSP VMSA lives in snpemu's memory: the guest never sees it */
	m = page_alloc();
	build_launch_vmsa(m, &in, launch.sev_status >> 2, launch.vmpl);
	psp_launch(metas, image_end, m);
	vcpus[0].ctx[launch.vmpl] =
		(struct vctx){ .present = true, .internal = true, .vmsa = m, .ghcb_reg = ~0ULL };
	if (cfg.verbose || launch.vmpl)
		con_printf("snpemu: launched %u-byte image at 0x%lx (memory 0x%lx) at VMPL%d, RIP "
			   "0x%lx, SEV_STATUS 0x%lx\n",
			   fsize, in.load_gpa, in.mem_size, launch.vmpl, in.rip, launch.sev_status);
}
