/*
 * The SVSM self-test module (tests/svsm/selftest/README.md). Linked into the self-test images
 * build/svsm-selftest*.bin in place of src/guest/launch.c — never into svsm.bin — it provides
 * guest_launch(), the last step of svsm_main: it runs once the real boot path is done and every
 * vCPU is ready, and exercises what a normal boot never reaches: the #VC handler through plain
 * instructions (CPUID, IN/OUT in every size and port form, INS/OUTS with and without REP,
 * RDMSR/WRMSR, a #VC while the GHCB is in use) and, one image per case, each fatal path
 * (exceptions, stack overflow, an unhandled #VC, a fault on an AP).
 *
 * SELFTEST_CASE (a string, from the build) picks what the image does:
 *   "checks"  every non-fatal check, one "ok - ..." / "not ok - ..." line each, then
 *             "selftest: done N ok M not ok" and a 32-bit OUT to port 0xf4 (snpemu's verdict:
 *             0x10 pass = exit status 0, 0x11 fail = exit status 1)
 *   others    one fatal path (table `cases` below): the SVSM must end the run itself
 * The expectations are snpemu's machine (tools/snpemu/README.md): its CPUID, MSRs, ports.
 */
#include <stdarg.h>

#include "arch/exception.h"
#include "arch/gdt.h"
#include "arch/idt.h"
#include "arch/insn.h"
#include "arch/layout.h"
#include "arch/percpu.h"
#include "arch/percpu_setup.h"
#include "arch/smp.h"
#include "arch/x86.h"
#include "dev/fwcfg.h"
#include "guest/launch.h"
#include "lib/format.h"
#include "lib/log.h"
#include "lib/string.h"
#include "mm/mem_init.h"
#include "mm/page_alloc.h"
#include "mm/paging.h"
#include "mm/pgtable.h"
#include "sev/boot_checks.h"
#include "sev/cpuid.h"
#include "sev/ghcb.h"
#include "sev/ghcb_msr.h"
#include "sev/ghcb_nae.h"
#include "sev/ghcb_setup.h"
#include "sev/rmp.h"
#include "sev/sev_status.h"
#include "sev/terminate.h"
#include "sev/vmsa.h"
#include "insn.h"

#ifndef SELFTEST_CASE
#error "build with -DSELFTEST_CASE='\"checks\"' or a fatal case (tests/svsm/selftest/selftest.mk)"
#endif

#define JUNK_HI 0x5a5a5a5a00000000ULL /* upper-half junk an instruction must ignore or clear */
#define VERDICT_PASS 0x10	      /* snpemu's verdict port values (tools/snpemu/README.md) */
#define VERDICT_FAIL 0x11

#define COM1 0x3f8
#define COM1_SCRATCH (COM1 + 7)

/* The #PF case reads here: the upper half's last PDPT entry, which the SVSM never maps
 * (SVSM memory is at most 1 GiB from SVSM_GVA, PDPT entry 510). */
#define PF_ADDR 0xffffffffc0de1238ULL
/* The #GP case reads here: not canonical. */
#define GP_ADDR 0x8000000000000000ULL

static unsigned int nr_ok, nr_not_ok;
static unsigned int msr_naes; /* MSR NAE exits this module caused, for the test's --stats check */

static __attribute__((format(printf, 2, 3))) bool check(bool ok, const char *fmt, ...)
{
	char what[LOG_LINE_MAX - 32];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (ok)
		nr_ok++;
	else
		nr_not_ok++;
	log_info("%s - %s", ok ? "ok" : "not ok", what);
	return ok;
}

/* ---- CPUID ---- */

static const struct snp_cpuid_table *cpuid_page(void)
{
	return (const struct snp_cpuid_table *)__cpuid_page;
}

/* The hypervisor's answer through the CPUID NAE, on the GHCB directly (no #VC). */
static int nae_cpuid(u32 leaf, u32 subleaf, u32 r[4])
{
	static const unsigned int out[4] = { GHCB_OFF_RAX, GHCB_OFF_RBX, GHCB_OFF_RCX,
					     GHCB_OFF_RDX };
	struct ghcb *g = ghcb_begin();
	unsigned int i;
	u64 v = 0;
	int rc;

	ghcb_set(g, GHCB_OFF_RAX, leaf);
	ghcb_set(g, GHCB_OFF_RCX, subleaf);
	ghcb_set(g, GHCB_OFF_XCR0, 1);
	rc = ghcb_nae(g, SVM_EXIT_CPUID, 0, 0, NULL);
	for (i = 0; !rc && i < 4; i++) {
		rc = ghcb_get(g, out[i], &v);
		r[i] = (u32)v;
	}
	ghcb_end(g);
	return rc;
}

/* The hypervisor's answer through the MSR protocol (no subleaf there: subleaf 0). */
static int msr_protocol_cpuid(u32 leaf, u32 r[4])
{
	unsigned int reg;

	for (reg = 0; reg < 4; reg++) {
		if (!ghcb_msr_cpuid_decode(ghcb_msr_protocol(ghcb_msr_cpuid_req(leaf, reg)), reg,
					   &r[reg]))
			return -EPROTO;
	}
	return 0;
}

static bool regs_equal(const u64 got[4], const u32 want[4])
{
	return got[0] == want[0] && got[1] == want[1] && got[2] == want[2] && got[3] == want[3];
}

static void check_cpuid_page_leaves(void)
{
	const struct snp_cpuid_table *t = cpuid_page();
	u32 n = t->count, i;

	check(n >= 1 && n <= SNP_CPUID_MAX_ENTRIES, "the CPUID page has %u entries", n);
	for (i = 0; i < n && i < SNP_CPUID_MAX_ENTRIES; i++) {
		const struct snp_cpuid_fn *fn = &t->fn[i];
		const u32 page[4] = { fn->eax, fn->ebx, fn->ecx, fn->edx };
		u32 hv[4] = { 0 }, msrp[4] = { 0 };
		bool use_msrp = !snp_cpuid_leaf_has_subleaf(fn->eax_in) || fn->ecx_in == 0;
		int rc_hv, rc_msrp = 0;
		u64 r[4];

		/* Junk in the upper halves of RAX and RCX (ignored by CPUID) and in RBX/RDX. */
		st_cpuid(JUNK_HI | fn->eax_in, JUNK_HI | fn->ecx_in, r);
		rc_hv = nae_cpuid(fn->eax_in, fn->ecx_in, hv);
		if (use_msrp)
			rc_msrp = msr_protocol_cpuid(fn->eax_in, msrp);
		if (!check(regs_equal(r, page), "CPUID %#x.%u by #VC = the CPUID page's entry %u",
			   fn->eax_in, fn->ecx_in, i))
			log_info("    #VC %#llx %#llx %#llx %#llx, page %#x %#x %#x %#x",
				 (unsigned long long)r[0], (unsigned long long)r[1],
				 (unsigned long long)r[2], (unsigned long long)r[3], page[0],
				 page[1], page[2], page[3]);
		/* snpemu builds the page from the CPU it emulates: for the BSP (APIC ID 0) they
		 * agree, so the #VC answer must be the hypervisor's too. */
		check(!rc_hv && regs_equal(r, hv),
		      "CPUID %#x.%u by #VC = the hypervisor's (NAE 0x72: rc %d, %#x %#x %#x %#x)",
		      fn->eax_in, fn->ecx_in, rc_hv, hv[0], hv[1], hv[2], hv[3]);
		if (use_msrp)
			check(!rc_msrp && regs_equal(r, msrp),
			      "CPUID %#x by #VC = the MSR protocol's (rc %d, %#x %#x %#x %#x)",
			      fn->eax_in, rc_msrp, msrp[0], msrp[1], msrp[2], msrp[3]);
	}
}

static bool in_cpuid_page(u32 leaf, u32 subleaf)
{
	const struct snp_cpuid_table *t = cpuid_page();
	u32 i;

	for (i = 0; i < t->count && i < SNP_CPUID_MAX_ENTRIES; i++) {
		if (t->fn[i].eax_in == leaf &&
		    (!snp_cpuid_leaf_has_subleaf(leaf) || t->fn[i].ecx_in == subleaf))
			return true;
	}
	return false;
}

/*
 * Leaves the page does not have read as zeros, whatever the hypervisor would say: the handler
 * never asks it. Among them must be one the hypervisor does answer (non-zero), or the check
 * could not tell "answered from the page" from "asked the hypervisor".
 */
static void check_cpuid_absent_leaves(void)
{
	static const u32 leaves[][2] = { { 2, 0 },	    { 5, 0 },	       { 7, 1 },
					 { 0xb, 2 },	    { 0x40000000, 0 }, { 0x8000000a, 0 },
					 { 0x80000019, 0 }, { 0x80000020, 0 } };
	unsigned int i, hv_nonzero = 0;

	for (i = 0; i < ARRAY_SIZE(leaves); i++) {
		u32 leaf = leaves[i][0], sub = leaves[i][1], hv[4] = { 0 };
		int rc = nae_cpuid(leaf, sub, hv);
		u64 r[4];

		if (in_cpuid_page(leaf, sub)) {
			check(false, "CPUID %#x.%u should be absent from the CPUID page", leaf,
			      sub);
			continue;
		}
		if (!rc && (hv[0] | hv[1] | hv[2] | hv[3]))
			hv_nonzero++;
		st_cpuid(leaf, sub, r);
		check(!r[0] && !r[1] && !r[2] && !r[3],
		      "CPUID %#x.%u (not in the CPUID page) by #VC = 0 0 0 0 (got %#llx %#llx "
		      "%#llx "
		      "%#llx; the hypervisor says %#x %#x %#x %#x)",
		      leaf, sub, (unsigned long long)r[0], (unsigned long long)r[1],
		      (unsigned long long)r[2], (unsigned long long)r[3], hv[0], hv[1], hv[2],
		      hv[3]);
	}
	check(hv_nonzero > 0,
	      "%u of the absent leaves have a non-zero answer from the hypervisor: the zeros "
	      "come from the page, not from asking it",
	      hv_nonzero);
}

/* ---- MSRs ---- */

static void check_msrs(void)
{
	const u32 apic_base = 0x1b, tsc = 0x10, mtrr_def_type = 0x2ff;
	u64 r[3], direct = 0, a, b, c;
	int rc;

	st_rdmsr(apic_base, r);
	msr_naes++;
	rc = ghcb_msr_read(apic_base, &direct);
	msr_naes++;
	check(!rc && r[0] == (u32)direct && r[1] == direct >> 32 && r[2] == apic_base,
	      "RDMSR %#x by #VC: RAX %#llx RDX %#llx = the MSR NAE's %#llx (rc %d), RCX kept",
	      apic_base, (unsigned long long)r[0], (unsigned long long)r[1],
	      (unsigned long long)direct, rc);

	/* The TSC through #VC, NAE, #VC: strictly increasing, so RDX:RAX is put together right. */
	st_rdmsr(tsc, r);
	a = r[1] << 32 | r[0];
	rc = ghcb_msr_read(tsc, &b);
	st_rdmsr(tsc, r);
	c = r[1] << 32 | r[0];
	msr_naes += 3;
	check(!rc && a < b && b < c && !(r[0] >> 32) && !(r[1] >> 32),
	      "RDMSR %#x (TSC) by #VC, NAE, #VC: %#llx < %#llx < %#llx", tsc, (unsigned long long)a,
	      (unsigned long long)b, (unsigned long long)c);

	/* snpemu takes the write (and forgets it); the count of MSR NAEs is checked in --stats. */
	st_wrmsr(mtrr_def_type, JUNK_HI | 0x806, JUNK_HI | 0x1, r);
	msr_naes++;
	check(r[0] == (JUNK_HI | 0x806) && r[1] == (JUNK_HI | 0x1) && r[2] == mtrr_def_type,
	      "WRMSR %#x by #VC: returns with RAX, RDX, RCX as they were", mtrr_def_type);
}

/* ---- port I/O ---- */

static void fwcfg_select_by_vc(u16 key)
{
	st_outw_dx(FW_CFG_PORT_SEL, JUNK_HI | key); /* 16-bit OUT, DX port */
}

static void check_io_simple(void)
{
	const u64 keep = 0x1122334455667700ULL;
	const char sig[] = "QEMU";
	u64 v[3], e;
	unsigned int i;
	bool ok = true;

	/* fw_cfg signature: 16-bit OUT DX selects it, 8-bit IN DX reads it. */
	fwcfg_select_by_vc(FW_CFG_SIGNATURE);
	for (i = 0; i < 4; i++) {
		e = st_inb_dx(FW_CFG_PORT_DATA, keep);
		ok = ok && e == (keep | (u8)sig[i]);
	}
	check(ok,
	      "fw_cfg signature by #VC: OUT DX (16-bit) to %#x, IN DX (8-bit) from %#x: "
	      "\"QEMU\", RAX bits 63:8 kept",
	      FW_CFG_PORT_SEL, FW_CFG_PORT_DATA);

	/* imm8 forms while DX names fw_cfg's data port: they must read port 0x80 (all ones), and
	 * fw_cfg must still be at the second byte afterwards. */
	fwcfg_select_by_vc(FW_CFG_SIGNATURE);
	e = st_inb_dx(FW_CFG_PORT_DATA, 0);
	v[0] = st_inb_imm(FW_CFG_PORT_DATA, keep);
	v[1] = st_inw_imm(FW_CFG_PORT_DATA, keep);
	v[2] = st_inl_imm(FW_CFG_PORT_DATA, keep);
	check(e == 'Q' && v[0] == (keep | 0xff) && v[1] == (keep | 0xffff) && v[2] == 0xffffffffULL,
	      "IN imm8 (%#x) by #VC, 8/16/32-bit: %#llx %#llx %#llx (low part replaced, a 32-bit "
	      "IN zero-extends)",
	      ST_IMM_PORT, (unsigned long long)v[0], (unsigned long long)v[1],
	      (unsigned long long)v[2]);
	e = st_inb_dx(FW_CFG_PORT_DATA, 0);
	check(e == 'E', "IN imm8 by #VC used the immediate port, not DX (fw_cfg byte 1: %#llx)",
	      (unsigned long long)e);

	/* 16- and 32-bit IN with a DX port (fw_cfg's selector port reads all ones). */
	v[0] = st_inw_dx(FW_CFG_PORT_SEL, keep);
	v[1] = st_inl_dx(FW_CFG_PORT_SEL, keep);
	check(v[0] == (keep | 0xffff) && v[1] == 0xffffffffULL,
	      "IN DX by #VC, 16/32-bit from %#x: %#llx %#llx", FW_CFG_PORT_SEL,
	      (unsigned long long)v[0], (unsigned long long)v[1]);

	/* COM1's scratch register: written and read back through 8-bit OUT/IN DX. */
	st_outb_dx(COM1_SCRATCH, JUNK_HI | 0x5a);
	v[0] = st_inb_dx(COM1_SCRATCH, 0);
	st_outb_dx(COM1_SCRATCH, 0xa5);
	v[1] = st_inb_dx(COM1_SCRATCH, 0);
	check(v[0] == 0x5a && v[1] == 0xa5,
	      "COM1 scratch register (%#x) by #VC: OUT DX 0x5a, 0xa5 read back as %#llx, %#llx",
	      COM1_SCRATCH, (unsigned long long)v[0], (unsigned long long)v[1]);

	/* OUT imm8 while DX names the scratch register: the scratch register keeps 0xa5. */
	st_outb_imm(COM1_SCRATCH, 0x77);
	st_outw_imm(COM1_SCRATCH, 0x7777);
	v[0] = st_inb_dx(COM1_SCRATCH, 0);
	check(v[0] == 0xa5,
	      "OUT imm8 (%#x) by #VC, 8/16-bit, went to the immediate port, not DX (scratch %#llx)",
	      ST_IMM_PORT, (unsigned long long)v[0]);
}

/* 32-bit OUT DX: a fw_cfg DMA transfer (QEMU docs/specs/fw_cfg.rst: big-endian descriptor
 * and address halves) of the signature into a shared page. */
struct fwcfg_dma {
	u32 control;
	u32 length;
	u64 address;
} __packed;

#define FW_CFG_DMA_SELECT 0x08
#define FW_CFG_DMA_READ 0x02

static void check_io_dma(void)
{
	u64 gpa;
	u8 *page = shared_page_alloc(&gpa);
	struct fwcfg_dma *d = (struct fwcfg_dma *)page;
	u32 ctl;

	if (!check(page != NULL, "a shared page for a fw_cfg DMA descriptor"))
		return;
	d->control =
		__builtin_bswap32((FW_CFG_SIGNATURE << 16) | FW_CFG_DMA_SELECT | FW_CFG_DMA_READ);
	d->length = __builtin_bswap32(4);
	d->address = __builtin_bswap64(gpa + 0x100);
	st_outl_dx(FW_CFG_PORT_DMA_HI, __builtin_bswap32((u32)(gpa >> 32)));
	st_outl_dx(FW_CFG_PORT_DMA_LO, __builtin_bswap32((u32)gpa));
	ctl = READ_ONCE(d->control);
	check(ctl == 0 && !memcmp(page + 0x100, "QEMU", 4),
	      "OUT DX (32-bit) by #VC to %#x/%#x: fw_cfg DMA of the signature (control %#x)",
	      FW_CFG_PORT_DMA_HI, FW_CFG_PORT_DMA_LO, ctl);
}

#define BIG_READ 3000 /* more than one GHCB shared buffer (0x7f0 bytes) */

static u8 big[BIG_READ + 16], big_direct[BIG_READ];

static void check_io_ins(void)
{
	u8 buf[16];
	u64 out[2];
	unsigned int i;
	bool ok;

	/* rep insb: the signature, 4 bytes, one exit. */
	fwcfg_select_by_vc(FW_CFG_SIGNATURE);
	memset(buf, 0xcc, sizeof(buf));
	st_rep_insb(FW_CFG_PORT_DATA, buf, 4, out);
	check(!memcmp(buf, "QEMU", 4) && buf[4] == 0xcc && out[0] == (u64)(uintptr_t)(buf + 4) &&
		      out[1] == 0,
	      "rep insb by #VC: fw_cfg signature \"%.4s\", RDI + 4, RCX 0, nothing beyond", buf);

	/* insb without REP: one byte each, RCX untouched. */
	fwcfg_select_by_vc(FW_CFG_SIGNATURE);
	memset(buf, 0xcc, sizeof(buf));
	ok = true;
	for (i = 0; i < 4; i++) {
		st_insb(FW_CFG_PORT_DATA, buf + i, 7, out);
		ok = ok && out[0] == (u64)(uintptr_t)(buf + i + 1) && out[1] == 7;
	}
	check(ok && !memcmp(buf, "QEMU", 4) && buf[4] == 0xcc,
	      "insb (no REP) by #VC, 4 times: \"%.4s\", RDI + 1 each, RCX kept", buf);

	/* rep insb of more than a shared buffer: the fw_cfg directory and the zeros beyond it,
	 * compared with the same bytes read through the GHCB directly. */
	fwcfg_select_by_vc(FW_CFG_FILE_DIR);
	memset(big, 0xcc, sizeof(big));
	st_rep_insb(FW_CFG_PORT_DATA, big, BIG_READ, out);
	ok = !fwcfg_port_select(FW_CFG_FILE_DIR) && !fwcfg_port_read(big_direct, BIG_READ);
	check(ok && !memcmp(big, big_direct, BIG_READ) && big[3] != 0 && big[BIG_READ] == 0xcc &&
		      out[0] == (u64)(uintptr_t)(big + BIG_READ) && out[1] == 0,
	      "rep insb by #VC of %u bytes (more than one shared buffer): the fw_cfg directory "
	      "(%u files) as read directly, RDI + %u, RCX 0",
	      BIG_READ, big[3], BIG_READ);

	/* 16- and 32-bit elements (fw_cfg's selector port reads all ones). */
	memset(buf, 0xcc, sizeof(buf));
	st_rep_insw(FW_CFG_PORT_SEL, buf, 5, out);
	ok = out[0] == (u64)(uintptr_t)(buf + 10) && out[1] == 0 && buf[10] == 0xcc;
	for (i = 0; i < 10; i++)
		ok = ok && buf[i] == 0xff;
	check(ok, "rep insw by #VC: 5 words of all ones, RDI + 10, RCX 0");
	memset(buf, 0xcc, sizeof(buf));
	st_rep_insl(FW_CFG_PORT_SEL, buf, 3, out);
	ok = out[0] == (u64)(uintptr_t)(buf + 12) && out[1] == 0 && buf[12] == 0xcc;
	for (i = 0; i < 12; i++)
		ok = ok && buf[i] == 0xff;
	check(ok, "rep insl by #VC: 3 dwords of all ones, RDI + 12, RCX 0");
}

#define LONG_LINE_FILL 2100

static char long_line[LONG_LINE_FILL + 64];

static void check_io_outs(void)
{
	static const char line[] = "selftest: rep outsb to COM1\n";
	static const char bytes[] = "selftest: outsb to COM1, byte by byte\n";
	static const u32 words[4] = { 0x11111111, 0x22222222, 0x33333333, 0x44444444 };
	u64 out[2];
	size_t len, i;
	bool ok;

	/* The lines are checked on the console by the test script. */
	st_rep_outsb(COM1, line, sizeof(line) - 1, out);
	check(out[0] == (u64)(uintptr_t)(line + sizeof(line) - 1) && out[1] == 0,
	      "rep outsb by #VC: a line to COM1, RSI + %zu, RCX 0", sizeof(line) - 1);

	len = (size_t)fmt_snprintf(long_line, sizeof(long_line), "selftest: long rep outsb ");
	memset(long_line + len, '=', LONG_LINE_FILL);
	len += LONG_LINE_FILL;
	len += (size_t)fmt_snprintf(long_line + len, sizeof(long_line) - len, " end\n");
	st_rep_outsb(COM1, long_line, len, out);
	check(out[0] == (u64)(uintptr_t)(long_line + len) && out[1] == 0,
	      "rep outsb by #VC of %zu bytes (more than one shared buffer), RSI + %zu, RCX 0", len,
	      len);

	ok = true;
	for (i = 0; i < sizeof(bytes) - 1; i++) {
		st_outsb(COM1, bytes + i, 3, out);
		ok = ok && out[0] == (u64)(uintptr_t)(bytes + i + 1) && out[1] == 3;
	}
	check(ok, "outsb (no REP) by #VC, %zu times: RSI + 1 each, RCX kept", sizeof(bytes) - 1);

	st_rep_outsw(ST_IMM_PORT, words, 4, out);
	ok = out[0] == (u64)(uintptr_t)((const u8 *)words + 8) && out[1] == 0;
	st_rep_outsl(ST_IMM_PORT, words, 4, out);
	ok = ok && out[0] == (u64)(uintptr_t)(words + 4) && out[1] == 0;
	check(ok, "rep outsw / rep outsl by #VC: RSI + 8 / + 16, RCX 0");
}

/* ---- #VC register handling and nesting ---- */

static void check_vc_keeps_regs(void)
{
	static const char *const names[16] = { "rax", "rbx", "rcx", "rdx", "rsi", "rdi",
					       "rbp", "rsp", "r8",  "r9",  "r10", "r11",
					       "r12", "r13", "r14", "r15" };
	u64 r[16];
	unsigned int i, bad = 0;

	st_vc_keeps_regs(r);
	for (i = 1; i < 16; i++) {
		u64 want = i == 7 ? 0 : 0x1111111111111100ULL + i;

		if (r[i] != want) {
			bad++;
			log_info("    %s %#llx, expected %#llx", names[i], (unsigned long long)r[i],
				 (unsigned long long)want);
		}
	}
	check(!bad && r[0] == 0xff,
	      "a #VC (IN imm8) changes AL and nothing else (%u registers "
	      "differ, rax %#llx)",
	      bad, (unsigned long long)r[0]);
}

static u8 ghcb_snapshot[PAGE_SIZE];

/*
 * A #VC while this vCPU's GHCB is in use: the handler borrows the GHCB (sev/ghcb_nae.h) and
 * must give it back exactly as it was, so that the interrupted user's request still works.
 */
static void check_vc_nested(void)
{
	struct percpu *p = this_cpu();
	const struct snp_cpuid_fn *want = NULL;
	const struct snp_cpuid_table *t = cpuid_page();
	u32 depth_in, depth_after, i;
	u64 r[4] = { 0 }, out[2];
	u8 sig[4] = { 0 };
	bool same, valid = true;
	struct ghcb *g;
	int rc;

	for (i = 0; i < t->count && i < SNP_CPUID_MAX_ENTRIES; i++) {
		if (t->fn[i].eax_in == 0x8000001f)
			want = &t->fn[i];
	}
	if (!check(want != NULL, "CPUID page has leaf 0x8000001f"))
		return;

	g = ghcb_begin();
	depth_in = p->ghcb_depth;
	ghcb_set(g, GHCB_OFF_RAX, 0x8000001f);
	ghcb_set(g, GHCB_OFF_RCX, 0);
	ghcb_set(g, GHCB_OFF_XCR0, 1);
	memset(g->shared_buffer, 0xa5, sizeof(g->shared_buffer));
	memcpy(ghcb_snapshot, g, sizeof(ghcb_snapshot));
	/* Two #VCs that use the GHCB (and its shared buffer) themselves. */
	fwcfg_select_by_vc(FW_CFG_SIGNATURE);
	st_rep_insb(FW_CFG_PORT_DATA, sig, 4, out);
	same = !memcmp(ghcb_snapshot, g, sizeof(ghcb_snapshot));
	depth_after = p->ghcb_depth;
	rc = ghcb_nae(g, SVM_EXIT_CPUID, 0, 0, NULL);
	valid = !rc && !ghcb_get(g, GHCB_OFF_RAX, &r[0]) && !ghcb_get(g, GHCB_OFF_RBX, &r[1]) &&
		!ghcb_get(g, GHCB_OFF_RCX, &r[2]) && !ghcb_get(g, GHCB_OFF_RDX, &r[3]);
	ghcb_end(g);

	check(!memcmp(sig, "QEMU", 4),
	      "#VC while the GHCB is in use: rep insb still reads \"%.4s\"", sig);
	check(same, "#VC while the GHCB is in use: the GHCB page is given back byte for byte");
	check(depth_in == 1 && depth_after == 1 && p->ghcb_depth == 0,
	      "#VC while the GHCB is in use: GHCB depth %u, %u after the #VCs, %u after ghcb_end",
	      depth_in, depth_after, p->ghcb_depth);
	check(valid && r[0] == want->eax && r[1] == want->ebx && r[2] == want->ecx &&
		      r[3] == want->edx,
	      "#VC while the GHCB is in use: the interrupted CPUID NAE then succeeds (rc %d, "
	      "%#llx %#llx %#llx %#llx)",
	      rc, (unsigned long long)r[0], (unsigned long long)r[1], (unsigned long long)r[2],
	      (unsigned long long)r[3]);
}

/* ---- exception set-up ---- */

static void check_df_ist(void)
{
	const u8 *idt = (const u8 *)(uintptr_t)idt_base();
	unsigned int i, n = percpu_count(), bad = 0;

	/* Byte 4 of a 64-bit gate holds its IST index (APM vol. 2, 8.9.1). */
	for (i = 0; i < n; i++) {
		const struct percpu *c = percpu_get(i);

		if (!c || !c->ist_hi || c->tss.ist[IST_DF - 1] != c->ist_hi ||
		    c->ist_hi - c->ist_lo < IST_STACK_SIZE)
			bad++;
	}
	check((idt[X86_TRAP_DF * 16 + 4] & 7) == IST_DF && !bad,
	      "#DF gate on IST %u, each of the %u vCPUs' TSS points it at its own #DF stack",
	      idt[X86_TRAP_DF * 16 + 4] & 7, n);
}

/* ---- Page tables: the live ones, walked from CR3 (README "Memory map") ---- */

/* Entry bits, from APM vol. 2, 5.3.3 and 5.4 (on purpose not mm/pgtable.h's). */
#define PT_P BIT_ULL(0)
#define PT_W BIT_ULL(1)
#define PT_U BIT_ULL(2)
#define PT_PS BIT_ULL(7)
#define PT_NX BIT_ULL(63)
#define PT_CBIT BIT_ULL(SVSM_CBIT)
#define PT_ADDR (GENMASK_ULL(51, 12) & ~PT_CBIT)

extern char early_ghcb[], boot_stack_guard[]; /* start.S */

/* What the tables say about one virtual address. */
struct pt_map {
	bool broken;	    /* a table lies outside SVSM memory (cannot be read) */
	bool present;	    /* a leaf maps it */
	bool write, exec;   /* W at every level, NX at none */
	bool user;	    /* U/S at every level */
	bool private;	    /* the leaf has the C-bit */
	bool tables_priv;   /* CR3 and every table pointer on the way have it */
	unsigned int level; /* of the leaf: 1 = 4 KiB, 2 = 2 MiB, 3 = 1 GiB */
	u64 pa;
};

static const u64 *pt_table(u64 pa)
{
	if (pa < SVSM_GPA || pa >= SVSM_GPA + SVSM_MEM)
		return NULL;
	return svsm_pa_to_va(pa);
}

static unsigned int pt_shift(int level)
{
	return PAGE_SHIFT + 9 * (unsigned int)(level - 1);
}

static void pt_walk(u64 va, struct pt_map *m)
{
	u64 cr3 = read_cr3();
	const u64 *t = pt_table(cr3 & PT_ADDR);
	int level;

	*m = (struct pt_map){ .write = true, .exec = true, .user = true };
	m->tables_priv = cr3 & PT_CBIT;
	for (level = 4; level >= 1; level--) {
		u64 e, off;

		if (!t) {
			m->broken = true;
			return;
		}
		e = t[(va >> pt_shift(level)) & 511];
		if (!(e & PT_P))
			return;
		m->write &= !!(e & PT_W);
		m->exec &= !(e & PT_NX);
		m->user &= !!(e & PT_U);
		if (level > 1 && !(e & PT_PS)) {
			m->tables_priv &= !!(e & PT_CBIT);
			t = pt_table(e & PT_ADDR);
			continue;
		}
		off = va & (BIT_ULL(pt_shift(level)) - 1);
		m->present = true;
		m->private = e & PT_CBIT;
		m->level = (unsigned int)level;
		m->pa = (e & PT_ADDR & ~(BIT_ULL(pt_shift(level)) - 1)) + off;
		return;
	}
}

enum pt_want {
	PT_ABSENT,
	PT_RX,	      /* read-only, executable, private */
	PT_RO,	      /* read-only, no-execute, private */
	PT_RW,	      /* read-write, no-execute, private */
	PT_RW_SHARED, /* read-write, no-execute, no C-bit */
};

static const char *const pt_want_name[] = {
	[PT_ABSENT] = "not mapped",
	[PT_RX] = "read-only, executable, private",
	[PT_RO] = "read-only, no-execute, private",
	[PT_RW] = "read-write, no-execute, private",
	[PT_RW_SHARED] = "read-write, no-execute, shared",
};

/* Does the page at va look as @want says, mapped at its own GPA (svsm_va_to_pa)? */
static bool pt_is(u64 va, enum pt_want want)
{
	struct pt_map m;

	pt_walk(va, &m);
	if (m.broken)
		return false;
	if (want == PT_ABSENT)
		return !m.present;
	return m.present && !m.user && m.tables_priv && m.pa == svsm_va_to_pa((void *)va) &&
	       m.write == (want == PT_RW || want == PT_RW_SHARED) && m.exec == (want == PT_RX) &&
	       m.private == (want != PT_RW_SHARED);
}

/* Every page of [start, end) is @want, except the @nskip pages listed (checked elsewhere). */
static void check_pt_range(const char *what, u64 start, u64 end, enum pt_want want, const u64 *skip,
			   unsigned int nskip)
{
	unsigned int bad = 0, pages = 0, i;
	u64 va, first_bad = 0;

	for (va = ALIGN_DOWN(start, PAGE_SIZE); va < end; va += PAGE_SIZE) {
		for (i = 0; i < nskip && skip[i] != va; i++)
			;
		if (i < nskip)
			continue;
		pages++;
		if (!pt_is(va, want) && !bad++)
			first_bad = va;
	}
	check(pages && !bad, "page tables: %s [%#llx, %#llx) %s (%u pages, %u not, first %#llx)",
	      what, (unsigned long long)start, (unsigned long long)end, pt_want_name[want], pages,
	      bad, (unsigned long long)first_bad);
}

static u64 va_of(const void *p)
{
	return (u64)(uintptr_t)p;
}

/* Every stack's guard page: the BSP's main stack in .bss, the rest from paging_alloc_stack. */
static unsigned int stack_guards(u64 *guards, unsigned int max)
{
	unsigned int i, n = 0;

	for (i = 0; i < percpu_count() && n + 2 <= max; i++) {
		const struct percpu *c = percpu_get(i);

		guards[n++] = c->stack_lo - PAGE_SIZE;
		guards[n++] = c->ist_lo - PAGE_SIZE;
	}
	return n;
}

struct pt_scan {
	unsigned int leaves, wx, user, exec_outside_text, shared_outside, broken;
};

/* Every leaf of the tree below @t (at @level, mapping from @va): W^X, no user pages, code
 * only in .text, no C-bit missing outside the early GHCB, the shared pool and the windows. */
static void pt_scan(const u64 *t, int level, u64 va, bool w, bool x, bool u, struct pt_scan *s)
{
	unsigned int i;

	for (i = 0; i < 512; i++) {
		u64 e = t[i], at = va + ((u64)i << pt_shift(level)), size;
		bool ew = w && (e & PT_W), ex = x && !(e & PT_NX), eu = u && (e & PT_U);

		if (level == 4)
			at = (i >= 256 ? 0xffff000000000000ULL : 0) | ((u64)i << pt_shift(4));
		if (!(e & PT_P))
			continue;
		if (level > 1 && !(e & PT_PS)) {
			const u64 *next = pt_table(e & PT_ADDR);

			if (next)
				pt_scan(next, level - 1, at, ew, ex, eu, s);
			else
				s->broken++; /* a table outside SVSM memory */
			continue;
		}
		size = BIT_ULL(pt_shift(level));
		s->leaves++;
		s->wx += ew && ex;
		s->user += eu;
		s->exec_outside_text += ex &&
					(at < va_of(__text_start) || at + size > va_of(__text_end));
		if (!(e & PT_CBIT) && at != va_of(early_ghcb) &&
		    (at < shared_pool_start() || at + size > shared_pool_end()))
			s->shared_outside++;
	}
}

static void check_page_tables_image(void)
{
	u64 guards[2 * SVSM_MAX_CPUS],
		data_skip[2] = { va_of(early_ghcb), va_of(boot_stack_guard) };
	unsigned int nguards = stack_guards(guards, ARRAY_SIZE(guards)), i, bad = 0;

	check((read_cr3() & PT_ADDR) == (paging_cr3() & PT_ADDR) && (read_cr3() & PT_CBIT),
	      "page tables: CR3 %#llx is paging_init's, private", (unsigned long long)read_cr3());
	check_pt_range(".text", va_of(__text_start), va_of(__text_end), PT_RX, NULL, 0);
	check_pt_range(".rodata", va_of(__rodata_start), va_of(__rodata_end), PT_RO, NULL, 0);
	check_pt_range(".data/.bss", va_of(__data_start), va_of(__bss_end), PT_RW, data_skip,
		       ARRAY_SIZE(data_skip));
	check_pt_range("the early GHCB", va_of(early_ghcb), va_of(early_ghcb) + PAGE_SIZE,
		       PT_RW_SHARED, NULL, 0);
	check_pt_range("the boot stack guard", va_of(boot_stack_guard),
		       va_of(boot_stack_guard) + PAGE_SIZE, PT_ABSENT, NULL, 0);
	check_pt_range("footer", va_of(__footer_start), va_of(__file_end), PT_RO, NULL, 0);
	check_pt_range("secrets, CPUID, BIOS VMSA pages", va_of(__secrets_page),
		       va_of(__image_pages_end), PT_RO, NULL, 0);
	check_pt_range("shared pool", shared_pool_start(), shared_pool_end(), PT_RW_SHARED, NULL,
		       0);
	check_pt_range("dynamic memory", SVSM_GVA + SVSM_DYN_OFFSET, SVSM_GVA + SVSM_MEM, PT_RW,
		       guards, nguards);
	for (i = 0; i < nguards; i++)
		bad += !pt_is(guards[i], PT_ABSENT);
	check(nguards == 2 * percpu_count() && !bad,
	      "page tables: the %u stack guard pages of %u vCPUs are not mapped (%u are)", nguards,
	      percpu_count(), bad);
	for (i = 0, bad = 0; i < percpu_count(); i++) {
		const struct percpu *c = percpu_get(i);
		u64 va;

		for (va = c->stack_lo; va < c->stack_hi; va += PAGE_SIZE)
			bad += !pt_is(va, PT_RW);
		for (va = c->ist_lo; va < c->ist_hi; va += PAGE_SIZE)
			bad += !pt_is(va, PT_RW);
	}
	check(!bad, "page tables: every vCPU's stack and #DF stack read-write, no-execute (%u not)",
	      bad);
}

/* This vCPU's window: slots are mapped one entry at a time, private and never executable. */
static void check_page_tables_window(void)
{
	const u64 pa = 0x100000, pa_2m = 0x200000; /* guest RAM; mapped, never touched */
	unsigned int slot;
	struct pt_map m, r, big;
	u8 *va, *va_ro, *va_2m;
	bool absent = true;
	int rc = paging_window_init(this_cpu()->index);

	if (!check(rc == 0, "page tables: this vCPU's mapping window set up (%d)", rc))
		return;
	va = paging_window_map(0, pa, PGT_WRITE);
	va_ro = paging_window_map(1, pa, 0);
	va_2m = paging_window_map_2m(pa_2m, PGT_WRITE);
	pt_walk(va_of(va), &m);
	pt_walk(va_of(va_ro), &r);
	pt_walk(va_of(va_2m), &big);
	paging_window_unmap(0);
	paging_window_unmap(1);
	paging_window_unmap_2m();
	check(!m.broken && m.present && m.level == 1 && m.pa == pa && m.write && !m.exec &&
		      m.private && !m.user,
	      "page tables: a writable window slot maps its page read-write, no-execute, private");
	check(!r.broken && r.present && r.pa == pa && !r.write && !r.exec && r.private,
	      "page tables: a read-only window slot maps its page read-only, no-execute, private");
	check(!big.broken && big.present && big.level == 2 && big.pa == pa_2m && big.write &&
		      !big.exec && big.private,
	      "page tables: the 2 MiB window slot maps a 2 MiB page read-write, no-execute, "
	      "private");
	for (slot = 0; slot < PAGING_WINDOW_SLOTS; slot++) {
		pt_walk(va_of(va) + slot * PAGE_SIZE, &m);
		absent &= !m.broken && !m.present;
	}
	pt_walk(va_of(va_2m), &big);
	check(absent && !big.broken && !big.present, "page tables: every window slot is unmapped "
						     "again after use");
}

static void check_page_tables_scan(void)
{
	struct pt_scan s = { 0 };
	const u64 *pml4 = pt_table(read_cr3() & PT_ADDR);

	if (!check(pml4 != NULL, "page tables: the PML4 lies in SVSM memory"))
		return;
	pt_scan(pml4, 4, 0, true, true, true, &s);
	check(s.leaves && !s.wx && !s.user && !s.exec_outside_text && !s.shared_outside &&
		      !s.broken,
	      "page tables: %u leaves, none writable and executable (%u), none user (%u), "
	      "executable only in .text (%u outside), shared only the GHCB and the pool (%u "
	      "others), every table in SVSM memory (%u not)",
	      s.leaves, s.wx, s.user, s.exec_outside_text, s.shared_outside, s.broken);
}

static void check_page_tables(void)
{
	check_page_tables_image();
	check_page_tables_window();
	check_page_tables_scan();
}

static void run_checks(void)
{
	check_cpuid_page_leaves();
	check_cpuid_absent_leaves();
	check_msrs();
	check_io_simple();
	check_io_dma();
	check_io_ins();
	check_io_outs();
	check_vc_keeps_regs();
	check_vc_nested();
	check_df_ist();
	check_page_tables();
	log_info("selftest: MSR NAE exits: %u", msr_naes);
	log_info("selftest: done %u ok %u not ok", nr_ok, nr_not_ok);
	/* The verdict itself goes through the #VC handler: a 32-bit OUT imm8. */
	st_verdict(nr_not_ok ? VERDICT_FAIL : VERDICT_PASS);
}

/* ---- fatal cases: each must end the run in the SVSM's fault handling ---- */

static u64 volatile *volatile pf_ptr = (u64 *)PF_ADDR;
static u64 volatile *volatile gp_ptr = (u64 *)GP_ADDR;

/* Each fault comes before a call that is not the function's last (which may be a tail call,
 * made after the frame is gone): the frame is intact when it hits, and the stack trace goes
 * through it. */
__attribute__((noinline)) void selftest_fault_pf(void)
{
	u64 v;

	log_info("selftest: reading %#llx (not mapped)", (unsigned long long)PF_ADDR);
	v = *pf_ptr;
	log_info("selftest: read %#llx", (unsigned long long)v);
	log_info("selftest: the read did not fault");
}

__attribute__((noinline)) void selftest_fault_gp(void)
{
	u64 v;

	log_info("selftest: reading %#llx (not canonical)", (unsigned long long)GP_ADDR);
	v = *gp_ptr;
	log_info("selftest: read %#llx", (unsigned long long)v);
	log_info("selftest: the read did not fault");
}

__attribute__((noinline)) void selftest_fault_ud(void)
{
	log_info("selftest: ud2");
	__builtin_trap();
}

__attribute__((noinline)) void selftest_fault_de(void)
{
	log_info("selftest: dividing by zero");
	st_div0();
	log_info("selftest: divided by zero");
}

static volatile bool keep_recursing = true;

/* 512 bytes a frame, no tail call: down into the stack's guard page. */
__attribute__((noinline)) void selftest_recurse(volatile u8 *up)
{
	volatile u8 frame[512];

	frame[0] = up ? up[0] + 1 : 0;
	if (keep_recursing)
		selftest_recurse(frame);
	frame[1] = frame[0];
}

__attribute__((noinline)) void selftest_fault_df(void)
{
	const struct percpu *p = this_cpu();

	log_info("selftest: recursing down the stack [%#llx, %#llx) into its guard page",
		 (unsigned long long)p->stack_lo, (unsigned long long)p->stack_hi);
	selftest_recurse(NULL);
}

__attribute__((noinline)) void selftest_fault_vc_wbinvd(void)
{
	log_info("selftest: wbinvd");
	st_wbinvd();
	log_info("selftest: wbinvd done");
}

__attribute__((noinline)) void selftest_fault_vc_vmmcall(void)
{
	log_info("selftest: vmmcall");
	st_vmmcall();
	log_info("selftest: vmmcall done");
}

/* An MSR snpemu's host refuses (IA32_FEATURE_CONTROL: a #GP from the host, as KVM answers
 * for an MSR it does not know): the #VC cannot be completed. */
__attribute__((noinline)) void selftest_fault_vc_msr_refused(void)
{
	u64 r[3];

	log_info("selftest: rdmsr 0x3a");
	st_rdmsr(0x3a, r);
	log_info("selftest: rdmsr 0x3a gave %#llx", (unsigned long long)r[0]);
}

/*
 * The AP cases: vCPU 1, parked in the request loop since it reported ready, is started again
 * at VMPL0 in a fresh VMSA (as arch/smp.c starts an AP, with the AP's own per-CPU data, stack
 * and TSS) whose RIP is st_ap_start, and meets the fault there. The BSP waits in hlt: the run
 * must end in the AP's fault report.
 */
static void (*ap_fault)(void);

extern char svsm_ap_start[]; /* start.S */

__noreturn void selftest_ap_main(void)
{
	struct percpu *p = this_cpu();

	percpu_load_descriptors(p);
	ghcb_register_this_cpu(); /* a new VMSA: its GHCB MSR starts empty */
	log_info("selftest: vCPU %u at VMPL0 again, in the self-test", p->index);
	ap_fault();
	check(false, "the fault on vCPU %u ended the run", p->index);
	svsm_terminate(SVSM_TERM_SET_CSVSM, TERM_MAIN_RETURNED);
}

static void run_on_ap(u64 rip, bool fresh_gdt)
{
	struct percpu *p = percpu_get(1);
	u8 *block = page_zalloc(1);
	struct vmsa *v;
	u64 err = 0;
	int rc;

	if (!check(p != NULL && block != NULL, "vCPU 1 exists (run with --smp 2 or more)"))
		return;
	/* The second page of an 8 KiB block is never 2 MiB aligned (erratum 1467). */
	v = (struct vmsa *)(block + PAGE_SIZE);
	/* Its first start left the TSS descriptor busy, and LTR of a busy TSS is a #GP: a fresh
	 * GDT, as for its first start (the parked vCPU does not use it meanwhile). */
	if (fresh_gdt)
		gdt_build(p->gdt, &p->tss);
	smp_build_ap_vmsa(v, p, rip);
	rc = rmp_adjust_4k(v, RMP_ATTR_VMSA | 1);
	if (!check(rc == 0, "VMSA bit on the new VMSA of vCPU 1 (%d)", rc))
		return;
	log_info("selftest: starting vCPU 1 (APIC ID %u) in the self-test", p->apic_id);
	rc = ghcb_ap_create(p->apic_id, svsm_va_to_pa(v), sev_status_to_features(sev_status()),
			    &err);
	if (!check(rc == 0, "AP creation for vCPU 1 (%d, %#llx)", rc, (unsigned long long)err))
		return;
	for (;;)
		hlt();
}

__attribute__((noinline)) void selftest_fault_ap_pf(void)
{
	ap_fault = selftest_fault_pf;
	run_on_ap((u64)(uintptr_t)st_ap_start, true);
}

__attribute__((noinline)) void selftest_fault_ap_df(void)
{
	ap_fault = selftest_fault_df;
	run_on_ap((u64)(uintptr_t)st_ap_start, true);
}

/*
 * The SVSM's own AP entry (start.S svsm_ap_start, then ap_main) with the TSS descriptor left
 * busy: its LTR faults (#GP, the selector as error code) early in ap_main, and the report
 * must still come out and end the run with (15, 0x01).
 */
__attribute__((noinline)) void selftest_fault_ap_early(void)
{
	run_on_ap((u64)(uintptr_t)svsm_ap_start, false);
}

struct selftest_case {
	const char *name;
	void (*run)(void);
};

static const struct selftest_case cases[] = {
	{ "checks", run_checks },
	{ "pf", selftest_fault_pf },
	{ "gp", selftest_fault_gp },
	{ "ud", selftest_fault_ud },
	{ "de", selftest_fault_de },
	{ "df", selftest_fault_df },
	{ "vc-wbinvd", selftest_fault_vc_wbinvd },
	{ "vc-vmmcall", selftest_fault_vc_vmmcall },
	{ "vc-msr-refused", selftest_fault_vc_msr_refused },
	{ "ap-pf", selftest_fault_ap_pf },
	{ "ap-df", selftest_fault_ap_df },
	{ "ap-early", selftest_fault_ap_early },
};

/* Returns only when the case did not end the run as it should. */
__attribute__((noinline)) void selftest_run(const struct selftest_case *c)
{
	log_info("selftest: case %s", c->name);
	c->run();
	check(false, "case %s ended the run", c->name);
}

__noreturn void guest_launch(void)
{
	const char *name = SELFTEST_CASE;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		if (!strcmp(cases[i].name, name))
			selftest_run(&cases[i]);
	}
	check(false, "case %s ended the run", name);
	log_info("selftest: done %u ok %u not ok", nr_ok, nr_not_ok);
	st_verdict(VERDICT_FAIL);
	svsm_terminate(SVSM_TERM_SET_CSVSM, TERM_MAIN_RETURNED);
}
