/*
 * snpemu probe: a small VMPL0 image (svsm.bin format) that exercises the emulated host and
 * prints what it was told, so tests can check that each --fault really made the host
 * misbehave. What it runs comes from the guest fw_cfg file "opt/probe/mode" (snpemu
 * --fw-cfg opt/probe/mode=FILE): words, run in order (see tools/snpemu/README.md).
 *
 * Its GHCB and VMSA accesses use the facts' offsets as plain numbers, on purpose not shared
 * with the conformance payload (the other check of snpemu) nor with the SVSM. Printing, string
 * functions and instruction wrappers are the test programs' shared ones (tests/tlib/README.md).
 */
#include "lib/string.h"
#include "lib/types.h"
#include "tlib/console.h"
#include "tlib/snp_insn.h"
#include "tlib/x86.h"
#include "psp_crypto.h" /* BearSSL glue shared with the emulated PSP */

#define P 0x8000000000ULL
#define SHARED_ALIAS (1ULL << 30)
#define CBIT (1ULL << 51)
#define MSR_GHCB 0xc0010130
#define MSR_SEV_STATUS 0xc0010131

extern u64 pt_priv[1024], pt_shared[1024], pml4[512], gdt[3];
extern char _image_end[], vmpl1_entry[], ap_entry[], vc_stub[], exc_stub[];
extern char vmpl1_gp_stub[], vmpl1_ud_stub[];

static u64 msr_proto(u64 req)
{
	u64 saved = rdmsr(MSR_GHCB), resp;

	wrmsr(MSR_GHCB, req);
	vmgexit();
	resp = rdmsr(MSR_GHCB);
	wrmsr(MSR_GHCB, saved);
	return resp;
}
static void term(unsigned int set, unsigned int code)
{
	msr_proto(((u64)code << 16) | ((u64)set << 12) | 0x100);
	halt_forever();
}

/* ---- GHCB ---- */
static u8 ghcb_page[4096] __aligned(4096);
static u8 *ghcb; /* shared alias */
static u64 ghcb_gpa;

static void gset(unsigned int off, u64 v)
{
	*(volatile u64 *)(ghcb + off) = v;
	ghcb[0x3f0 + off / 64] |= (u8)(1 << ((off / 8) % 8));
}
static u64 gget(unsigned int off)
{
	return *(volatile u64 *)(ghcb + off);
}
static int gvalid(unsigned int off)
{
	return (ghcb[0x3f0 + off / 64] >> ((off / 8) % 8)) & 1;
}
static void ghcb_begin(u64 code, u64 info1, u64 info2)
{
	memset(ghcb, 0, 0x400);
	*(u16 *)(ghcb + 0xffa) = 2;
	*(u32 *)(ghcb + 0xffc) = 0;
	gset(0x390, code);
	gset(0x398, info1);
	gset(0x3a0, info2);
}
/* Returns exit_info_1 (0 = ok); *info2 gets exit_info_2. */
static u64 ghcb_call(u64 *info2)
{
	wrmsr(MSR_GHCB, ghcb_gpa);
	vmgexit();
	if (info2)
		*info2 = gget(0x3a0);
	return gget(0x398) & 0xffffffff;
}

static void io_str_out(u16 port, const char *s, u64 n)
{
	while (n) {
		u64 chunk = n > 2000 ? 2000 : n;

		ghcb_begin(0x7b, ((u64)port << 16) | (1 << 9) | (1 << 4) | (1 << 3) | (1 << 2),
			   chunk);
		memcpy(ghcb + 0x800, s, chunk);
		gset(0x3a8, ghcb_gpa + 0x800);
		ghcb_call(NULL);
		s += chunk;
		n -= chunk;
	}
}
static void io_out(u16 port, int size, u32 v)
{
	ghcb_begin(0x7b,
		   ((u64)port << 16) | (1 << 9) |
			   (size == 4	? 0x40
			    : size == 2 ? 0x20
					: 0x10),
		   0);
	gset(0x1f8, v);
	ghcb_call(NULL);
}
static u32 io_in(u16 port, int size)
{
	ghcb_begin(0x7b,
		   ((u64)port << 16) | (1 << 9) | 1 |
			   (size == 4	? 0x40
			    : size == 2 ? 0x20
					: 0x10),
		   0);
	ghcb_call(NULL);
	return (u32)gget(0x1f8);
}

/* ---- printing: con_printf (tlib/console.h) into a line buffer, one string IOIO a line ---- */
static char line[256];
static int line_len;

static void flush(void)
{
	io_str_out(0x3f8, line, (u64)line_len);
	line_len = 0;
}
static void putc_(char c)
{
	if (line_len < (int)sizeof(line))
		line[line_len++] = c;
	if (c == '\n' || line_len == (int)sizeof(line))
		flush();
}
/* One message of con_printf (tlib/console.h), through the line buffer. */
void con_emit(const char *msg, size_t len)
{
	while (len--)
		putc_(*msg++);
}
static void exit_with(u32 v)
{
	io_out(0xf4, 4, v);
	halt_forever();
}

/* ---- exceptions ---- */
struct vc_frame {
	u64 r11, r10, r9, r8, rdi, rsi, rbp, rbx, rdx, rcx, rax;
	u64 err, rip, cs, rflags, rsp, ss;
};
static volatile u64 vc_expect_skip; /* instruction length to skip on an expected #VC */
static volatile u64 vc_last;
static volatile int vc_count;

void vc_handler(struct vc_frame *f)
{
	vc_count++;
	vc_last = f->err;
	if (f->err == 0x72 && *(u16 *)f->rip == 0xa20f) {
		/* CPUID through the GHCB */
		ghcb_begin(0x72, 0, 0);
		gset(0x1f8, f->rax);
		gset(0x308, f->rcx);
		gset(0x3e8, 1);
		if (ghcb_call(NULL) || !gvalid(0x1f8))
			term(15, 0x0c);
		f->rax = gget(0x1f8);
		f->rbx = gget(0x318);
		f->rcx = gget(0x308);
		f->rdx = gget(0x310);
		f->rip += 2;
		return;
	}
	if (vc_expect_skip) {
		f->rip += vc_expect_skip;
		vc_expect_skip = 0;
		return;
	}
	con_printf("probe: unexpected #VC 0x%lx at 0x%lx\n", f->err, f->rip);
	exit_with(0x21);
}

void exc_handler(u64 *sp)
{
	con_printf("probe: unexpected exception, frame 0x%lx 0x%lx\n", sp[0], sp[1]);
	exit_with(0x22);
}

struct gate {
	u16 off0, sel;
	u8 ist, type;
	u16 off1;
	u32 off2, rsvd;
} __packed;
static struct gate idt[32] __aligned(16);

static void idt_init(void)
{
	struct desc_ptr d = { sizeof(idt) - 1, (u64)idt };

	for (int i = 0; i < 32; i++) {
		u64 a = (u64)(i == 29 ? vc_stub : exc_stub);

		idt[i] = (struct gate){ (u16)a, 0x08, 0, 0x8e, (u16)(a >> 16), (u32)(a >> 32), 0 };
	}
	load_idt(&d);
}

/* ---- guest fw_cfg (through the GHCB, as the SVSM does it) ---- */
static u32 be32(u32 v)
{
	return __builtin_bswap32(v);
}
static int fw_find(const char *name, u32 *size, u16 *sel)
{
	u32 count;

	io_out(0x510, 2, 0x19);
	count = 0;
	for (int i = 0; i < 4; i++)
		count = (count << 8) | io_in(0x511, 1);
	for (u32 i = 0; i < count && i < 64; i++) {
		u8 e[64];

		for (int k = 0; k < 64; k++)
			e[k] = (u8)io_in(0x511, 1);
		if (!strcmp((char *)e + 8, name)) {
			*size = be32(*(u32 *)e);
			*sel = (u16)(e[4] << 8 | e[5]);
			return 0;
		}
	}
	return -1;
}
static void fw_read(u16 sel, void *buf, u32 len)
{
	u8 *b = buf;

	io_out(0x510, 2, sel);
	/* string IN through sw_scratch, up to the shared buffer at a time */
	while (len) {
		u32 chunk = len > 2000 ? 2000 : len;

		ghcb_begin(0x7b, (0x511ULL << 16) | (1 << 9) | (1 << 4) | (1 << 3) | (1 << 2) | 1,
			   chunk);
		gset(0x3a8, ghcb_gpa + 0x800);
		ghcb_call(NULL);
		memcpy(b, ghcb + 0x800, chunk);
		b += chunk;
		len -= chunk;
	}
}

/* ---- page state changes ---- */
static u64 psc_msr(u64 gpa, int op)
{
	return msr_proto(((u64)op << 52) | (gpa & ~0xfffULL) | 0x014);
}

/* NAE PSC of @n 4K pages from @gpa; re-issues while cur_entry <= end_entry. */
static u64 psc_nae(u64 gpa, int n, int op, int is_2m, int *issues, u16 *cur_out)
{
	u8 *d = ghcb + 0x800;
	u64 info2 = 0, last_pos = 0;

	*issues = 0;
	*cur_out = 0;
	ghcb_begin(0x80000010, 0, 0);
	*(u16 *)d = 0;
	*(u16 *)(d + 2) = (u16)(n - 1);
	*(u32 *)(d + 4) = 0;
	for (int i = 0; i < n; i++)
		*(u64 *)(d + 8 + 8 * i) = (gpa + (u64)i * (is_2m ? 0x200000 : 0x1000)) |
					  ((u64)op << 52) | ((u64)is_2m << 56);
	for (;;) {
		u16 cur;
		u64 i1, pos;

		/* the header and entries live in the shared buffer; only re-issue */
		memset(ghcb, 0, 0x400);
		*(u16 *)(ghcb + 0xffa) = 2;
		gset(0x390, 0x80000010);
		gset(0x398, 0);
		gset(0x3a0, 0);
		gset(0x3a8, ghcb_gpa + 0x800);
		i1 = ghcb_call(&info2);
		(*issues)++;
		cur = *(u16 *)d;
		/* progress: cur_entry, then the cur_page the host left in that entry */
		pos = ((u64)cur << 12) | (cur < n ? *(u64 *)(d + 8 + 8 * cur) & 0xfff : 0);
		if (*issues == 1)
			*cur_out = 0;
		if (cur < *cur_out || (*issues > 1 && pos <= last_pos)) {
			con_printf("psc progress-violation cur=%u\n", cur);
			return ~0ULL;
		}
		last_pos = pos;
		*cur_out = cur;
		if (i1 || info2)
			return i1 ? (i1 << 32) | info2 : info2;
		if (cur > n - 1 || *issues > 1000)
			return 0;
	}
}

/* ---- VMPL1 and APs ---- */
#define PTE_ADDR (0x000ffffffffff000ULL & ~CBIT)
#define PTE_AD 0x60ULL
static volatile u64 v1_pml4[512] __aligned(4096); /* VMPL1's root in the vmpl1-ro-tables modes */
static u8 vmpl1_vmsa[4096] __aligned(4096);
static u8 vmpl1_stack[8192] __aligned(4096);
static u8 ro_page[4096] __aligned(4096);
static u8 ap_vmsa[16][4096] __aligned(4096);
static u8 ap_stacks[16][4096] __aligned(4096);
static volatile int ap_alive[16];
static volatile int vmpl1_mode;

static void seg(u8 *v, int off, u16 sel, u16 attr, u32 lim, u64 base)
{
	*(u16 *)(v + off) = sel;
	*(u16 *)(v + off + 2) = attr;
	*(u32 *)(v + off + 4) = lim;
	*(u64 *)(v + off + 8) = base;
}

static void build_vmsa(u8 *v, int vmpl, u64 rip, u64 rsp, u64 features)
{
	struct desc_ptr d;

	memset(v, 0, 4096);
	seg(v, 0x10, 0x08, 0xa9b, 0xffffffff, 0);
	store_gdt(&d);
	seg(v, 0x60, 0, 0, d.limit, d.base);
	store_idt(&d);
	seg(v, 0x80, 0, 0, d.limit, d.base);
	seg(v, 0x90, 0, 0x8b, 0x67, 0);
	*(u64 *)(v + 0xd0) = 0x1d00;
	*(u64 *)(v + 0x148) = read_cr4();
	*(u64 *)(v + 0x150) = read_cr3();
	*(u64 *)(v + 0x158) = read_cr0();
	*(u64 *)(v + 0x160) = 0x400;
	*(u64 *)(v + 0x168) = 0xffff0ff0;
	*(u64 *)(v + 0x170) = 2;
	*(u64 *)(v + 0x178) = rip;
	*(u64 *)(v + 0x1d8) = rsp;
	*(u64 *)(v + 0x268) = 0x0007040600070406ULL;
	*(u8 *)(v + 0xca) = (u8)vmpl;
	*(u64 *)(v + 0x3b0) = features;
	*(u64 *)(v + 0x3e8) = 1;
	*(u32 *)(v + 0x408) = 0x1f80;
	*(u16 *)(v + 0x410) = 0x37f;
}

static u64 ap_create(u64 vmsa, int vmpl, u32 apic, u64 features, int req, u64 *info2)
{
	ghcb_begin(0x80000013, ((u64)apic << 32) | ((u64)vmpl << 16) | (u64)req, vmsa);
	gset(0x1f8, features);
	return ghcb_call(info2);
}

/* VMPL1 side (start.S): RAX = @rax, run-VMPL(0) through the MSR form; returns VMPL0's RAX. */
u64 vmpl1_call(u64 rax);

void vmpl1_main(void)
{
	for (int i = 0; i < 3; i++)
		vmpl1_call(0x1000 + (u64)i);
	if (vmpl1_mode == 1)
		*(volatile u8 *)ro_page = 1; /* VMPL1 may only read it */
	if (vmpl1_mode == 2)
		msr_proto((0x33ULL << 16) | (1ULL << 12) | 0x100); /* VMPL1 terminates */
	if (vmpl1_mode == 5)
		vmpl1_call(rdmsr(MSR_SEV_STATUS)); /* its own VMSA's features, not VMPL0's */
	if (vmpl1_mode == 7)
		v1_pml4[300] = 0x1234; /* its page tables, which it may only read */
	if (vmpl1_mode == 4) {
		/* RMPADJUST from VMPL1: only lower VMPLs, never more than VMPL1 has (R on ro_page) */
		vmpl1_call(0xa000 | (u64)rmpadjust((u64)ro_page, 0, 2 | (0x3ULL << 8)));
		vmpl1_call(0xa100 | (u64)rmpadjust((u64)ro_page, 0, 2 | (0x1ULL << 8)));
		vmpl1_call(0xa200 | (u64)rmpadjust((u64)ro_page, 0, 1 | (0x1ULL << 8)));
		{
			bool cf;

			pvalidate((u64)ro_page, 0, 0, &cf); /* VMPL1 may not: #GP */
		}
	}
	vmpl1_call(0xd0e);
	halt_forever();
}

void ap_main(void)
{
	u32 r[4];
	u32 apic;

	/* CPUID through the launch CPUID path would need a GHCB: use the MSR protocol */
	r[1] = (u32)(msr_proto((1ULL << 32) | (1ULL << 30) | 0x004) >> 32);
	apic = r[1] >> 24;
	if (apic < 16)
		ap_alive[apic] = 1;
	halt_forever();
}

static void grant_vmpl1(u64 from, u64 to, unsigned int perm)
{
	for (u64 a = from & ~0xfffULL; a < to; a += 4096) {
		int rc;

		if (a == ghcb_gpa)
			continue; /* shared: no VMPL permissions */
		rc = rmpadjust(a, 0, 1 | ((u64)perm << 8));

		if (rc) {
			con_printf("probe: rmpadjust for VMPL1 failed %lu\n", (u64)rc);
			exit_with(0x23);
		}
	}
}

static struct gate vmpl1_idt[32] __aligned(16);

static u64 run_vmpl_nae(int vmpl)
{
	u64 i2 = 0, i1;

	ghcb_begin(0x80000018, (u64)vmpl, 0);
	i1 = ghcb_call(&i2);
	return i1 ? (i1 << 32) | i2 | 1 : 0x017;
}

static void run_vmpl1(int mode)
{
	u64 r, calls = 0;

	vmpl1_mode = mode;
	grant_vmpl1(P, (u64)_image_end, 0xf);
	grant_vmpl1((u64)ro_page, (u64)ro_page + 4096, 0x1);
	build_vmsa(vmpl1_vmsa, 1, (u64)vmpl1_entry, (u64)vmpl1_stack + sizeof(vmpl1_stack) - 8, 1);
	if (mode >= 6 && mode <= 8) {
		/*
		 * VMPL1 on page tables it may only read: its own root (a copy of pml4), the probe's
		 * PDPT, PD and 4 KiB tables, every entry with Accessed and Dirty preset so that a walk
		 * writes nothing (mode 8: the root's entry for the probe without Accessed).
		 */
		u64 *pdpt = (u64 *)(pml4[1] & PTE_ADDR), *pd = (u64 *)(pdpt[0] & PTE_ADDR);
		u64 *tabs[] = { pml4, pdpt, pd, pt_priv, pt_priv + 512 };

		for (unsigned int t = 0; t < sizeof(tabs) / sizeof(tabs[0]); t++)
			for (int i = 0; i < 512; i++)
				if (tabs[t][i] & 1)
					tabs[t][i] |= PTE_AD;
		for (int i = 0; i < 512; i++)
			v1_pml4[i] = pml4[i];
		if (mode == 8)
			v1_pml4[1] &= ~0x20ULL;
		for (unsigned int t = 0; t < sizeof(tabs) / sizeof(tabs[0]); t++)
			grant_vmpl1((u64)tabs[t], (u64)tabs[t] + 4096, 0x1);
		grant_vmpl1((u64)v1_pml4, (u64)v1_pml4 + 4096, 0x1);
		*(u64 *)(vmpl1_vmsa + 0x150) = (u64)v1_pml4 | CBIT;
	}
	if (mode == 4) {
		for (int i = 0; i < 32; i++) {
			u64 a = (u64)(i == 13 ? vmpl1_gp_stub : vmpl1_ud_stub);

			vmpl1_idt[i] = (struct gate){ (u16)a,	      0x08,	      0, 0x8e,
						      (u16)(a >> 16), (u32)(a >> 32), 0 };
		}
		seg(vmpl1_vmsa, 0x80, 0, 0, sizeof(vmpl1_idt) - 1, (u64)vmpl1_idt);
	}
	/* The table pages went from RWX to R for VMPL1: flush what VMPL1 may have cached (INVLPGB
	 * of every address with global entries, TLBSYNC), as any VMPL0 that takes access away must
	 * (snpemu keeps stale translations until then: README "TLBs"). */
	__asm__ volatile(".byte 0x0f, 0x01, 0xfe" : : "a"(8ULL), "c"(0ULL), "d"(0ULL) : "memory");
	__asm__ volatile(".byte 0x0f, 0x01, 0xff" : : : "memory");
	if (rmpadjust((u64)vmpl1_vmsa, 0, 0x10101)) {
		con_printf("probe: rmpadjust VMSA failed\n");
		exit_with(0x24);
	}
	{
		u64 i2 = 0, i1 = ap_create((u64)vmpl1_vmsa - 0 /* VA = GPA */, 1, 0, 1, 0, &i2);

		con_printf("vmpl1-register info1=0x%lx info2=0x%lx\n", i1, i2);
	}
	for (;;) {
		r = mode == 3 ? run_vmpl_nae(1) : msr_proto((1ULL << 32) | 0x016);
		if ((r & 0xfff) != 0x017 || (r >> 32)) {
			con_printf("run-vmpl1 refused resp=0x%lx\n", r);
			return;
		}
		r = *(volatile u64 *)(vmpl1_vmsa + 0x1f8);
		con_printf("vmpl1-call rax=0x%lx exit=0x%lx\n", r,
			   *(volatile u64 *)(vmpl1_vmsa + 0x3c0));
		calls++;
		if (r == 0xd0e)
			break;
		*(volatile u64 *)(vmpl1_vmsa + 0x1f8) = r + 0x100;
	}
	con_printf("vmpl1-done calls=%lu\n", calls);
}

static int nr_cpus(void)
{
	u32 size;
	u16 sel, n = 1;

	io_out(0x510, 2, 0x05);
	n = (u16)(io_in(0x511, 1) | io_in(0x511, 1) << 8);
	(void)size;
	(void)sel;
	return n;
}

static void start_aps(void)
{
	int n = nr_cpus();

	con_printf("cpus %lu\n", (u64)n);
	for (int i = 1; i < n && i < 16; i++) {
		u64 i2 = 0, i1;

		build_vmsa(ap_vmsa[i], 0, (u64)ap_entry, (u64)ap_stacks[i] + 4096 - 8,
			   rdmsr(MSR_SEV_STATUS) >> 2);
		if (rmpadjust((u64)ap_vmsa[i], 0, 0x10001)) {
			con_printf("probe: rmpadjust AP VMSA failed\n");
			exit_with(0x25);
		}
		i1 = ap_create((u64)ap_vmsa[i], 0, (u32)i, rdmsr(MSR_SEV_STATUS) >> 2, 1, &i2);
		con_printf("ap-create apic=%lu info1=0x%lx info2=0x%lx\n", (u64)i, i1, i2);
		if (i1)
			return;
	}
	for (int i = 1; i < n && i < 16; i++) {
		for (long k = 0; !ap_alive[i] && k < 100000000; k++)
			cpu_relax();
		con_printf("ap %lu%s", (u64)i, ap_alive[i] ? " alive\n" : " DEAD\n");
	}
}

/* ---- modes ---- */
#define SCRATCH (P + 0x200000) /* shared at launch, 4 KiB mapped */

static void mode_pvalidate(void)
{
	bool cf;
	int rc;
	u64 r;

	rc = pvalidate(SCRATCH, 0, 1, &cf);
	con_printf("pvalidate shared-page rc=%lu\n", (u64)rc);
	r = psc_msr(SCRATCH, 1);
	con_printf("psc-msr private resp=0x%lx\n", r);
	rc = pvalidate(SCRATCH, 1, 1, &cf);
	con_printf("pvalidate 2m-on-4k rc=%lu\n", (u64)rc);
	rc = pvalidate(SCRATCH, 0, 1, &cf);
	con_printf("pvalidate validate rc=%lu cf=%lu\n", (u64)rc, (u64)cf);
	rc = pvalidate(SCRATCH, 0, 1, &cf);
	con_printf("pvalidate again rc=%lu cf=%lu\n", (u64)rc, (u64)cf);
	rc = rmpadjust(SCRATCH, 0, 0);
	con_printf("rmpadjust target0 rc=%lu\n", (u64)rc);
	rc = rmpadjust(SCRATCH, 1, 0x101);
	con_printf("rmpadjust 2m-on-4k rc=%lu\n", (u64)rc);
	rc = rmpadjust(SCRATCH, 0, 0x301);
	con_printf("rmpadjust vmpl1-rw rc=%lu\n", (u64)rc);
}

static void mode_vc404(void)
{
	u64 va = SCRATCH + 0x1000, v;

	psc_msr(va, 1);
	vc_count = 0;
	vc_expect_skip = 3;
	__asm__ volatile("mov (%1), %0" : "=r"(v) : "b"(va) : "memory");
	con_printf("vc404 count=%lu code=0x%lx\n", (u64)vc_count, vc_last);
}

extern char meta_cpuid[];

static void mode_cpuid(void)
{
	const u8 *page = (const u8 *)meta_cpuid;
	u32 r[4], n = *(const u32 *)page;

	cpuid(0x8000001f, 0, r);
	con_printf("cpuid 8000001f eax=0x%x ebx=0x%x\n", r[0], r[1]);
	/* The launcher's CPUID page: u32 count, 0x30-byte entries from 0x10 (EBX at +0x1c). */
	con_printf("cpuid-page count=%u\n", n);
	for (u32 i = 0; i < n && i < 64; i++) {
		const u8 *e = page + 0x10 + i * 0x30;

		if (*(const u32 *)e == 0x8000001f)
			con_printf("cpuid-page 8000001f ebx=0x%x\n", *(const u32 *)(e + 0x1c));
	}
}

static void mode_psc(int n, int is_2m)
{
	int issues;
	u16 cur;
	u64 gpa = is_2m ? P + 0x400000 : SCRATCH + 0x10000, err;

	err = psc_nae(gpa, n, 1, is_2m, &issues, &cur);
	con_printf("%s n=%lu issues=%lu cur=%u err=0x%lx\n", is_2m ? "psc-2m" : "psc", (u64)n,
		   (u64)issues, cur, err);
	/* did the host really change the RMP? PVALIDATE tells */
	{
		int ok = 0, bad = 0;
		bool cf;

		for (int i = 0; i < n; i++) {
			int rc = pvalidate(gpa + (u64)i * (is_2m ? 0x200000 : 0x1000), is_2m, 1,
					   &cf);

			if (rc)
				bad++;
			else
				ok++;
		}
		con_printf("psc-check validated=%lu failed=%lu\n", (u64)ok, (u64)bad);
	}
}

static void mode_fwcfg(void)
{
	u32 size;
	u16 sel;
	u64 v = 0;

	if (!fw_find("etc/bios_gpa", &size, &sel)) {
		fw_read(sel, &v, 8);
		con_printf("fwcfg bios_gpa=0x%lx\n", v);
	}
	if (!fw_find("etc/e820", &size, &sel)) {
		u8 buf[80];

		fw_read(sel, buf, size > 80 ? 80 : size);
		con_printf("fwcfg e820 ram=0x%lx\n", *(u64 *)(buf + 8));
	}
}

/*
 * Guest RAM above 4 GiB (--mem beyond 3 GiB): the guest's etc/e820 lists it, and it is memory
 * like any other: the host converts its first and last 2 MiB to private, PVALIDATE validates
 * them, data written there reads back; the page past its end and the hole below 4 GiB are no
 * memory (the host refuses their conversion, PVALIDATE answers FAIL_INPUT).
 */
static u64 hm_pd[512] __aligned(4096); /* maps [4 GiB, 5 GiB) of VA, pdpt_low[4] */

static void highmem_try(const char *what, u64 gpa, u64 va)
{
	volatile u64 *p = (volatile u64 *)va;
	int issues;
	u16 cur;
	u64 err = psc_nae(gpa, 1, 1, 1, &issues, &cur), bad = 0;
	bool cf;
	u32 rc = pvalidate(va, 1, 1, &cf);
	const char *result = "ok";

	if (!err && !rc) {
		for (u64 i = 0; i < 0x200000 / 8; i += 4096 / 8)
			p[i] = gpa + i * 8;
		for (u64 i = 0; i < 0x200000 / 8; i += 4096 / 8)
			bad += p[i] != gpa + i * 8;
	}
	if (err || rc)
		result = "-";
	else if (bad)
		result = "bad";
	con_printf("highmem %s gpa=0x%lx psc=0x%lx pvalidate=%u readback=%s\n", what, gpa, err, rc,
		   result);
}

static void mode_highmem(void)
{
	u64 *pdpt_low = (u64 *)(pml4[0] & PTE_ADDR), hi_start = 0, hi_end = 0, low_end = 0;
	u8 buf[20 * 8];
	u32 size, n;
	u16 sel;

	if (fw_find("etc/e820", &size, &sel)) {
		con_printf("highmem no e820\n");
		return;
	}
	n = size / 20 < 8 ? size / 20 : 8;
	fw_read(sel, buf, n * 20);
	for (u32 i = 0; i < n; i++) {
		u64 a = *(u64 *)(buf + 20 * i), l = *(u64 *)(buf + 20 * i + 8);
		u32 t = *(u32 *)(buf + 20 * i + 16);

		con_printf("highmem e820 0x%lx-0x%lx type %u\n", a, a + l, t);
		if (t == 1 && a == 0)
			low_end = l;
		if (t == 1 && a == 0x100000000ULL)
			hi_start = a, hi_end = a + l;
	}
	if (!hi_start) {
		con_printf("highmem none\n");
		return;
	}
	/* VA 4 GiB: the first 2 MiB; +2 MiB: the last; +4 MiB: the page past the end; +6 MiB:
	 * the end of RAM below 4 GiB */
	hm_pd[0] = hi_start | CBIT | 0x83;
	hm_pd[1] = (hi_end - 0x200000) | CBIT | 0x83;
	hm_pd[2] = hi_end | CBIT | 0x83;
	hm_pd[3] = low_end | CBIT | 0x83;
	pdpt_low[4] = (u64)hm_pd | CBIT | 3;
	flush_tlb();
	highmem_try("first", hi_start, 0x100000000ULL);
	highmem_try("last", hi_end - 0x200000, 0x100200000ULL);
	highmem_try("past-end", hi_end, 0x100400000ULL);
	highmem_try("hole", low_end, 0x100600000ULL);
	/* the first 2 MiB kept its data while the others were written: no aliasing */
	{
		volatile u64 *p = (volatile u64 *)0x100000000ULL;
		u64 bad = 0;

		for (u64 i = 0; i < 0x200000 / 8; i += 4096 / 8)
			bad += p[i] != hi_start + i * 8;
		con_printf("highmem first-kept=%s\n", bad ? "bad" : "ok");
	}
}

static void mode_mmio(void)
{
	u64 i1;

	ghcb_begin(0x80000001, 0xfed00000, 8);
	gset(0x3a8, ghcb_gpa + 0x800);
	i1 = ghcb_call(NULL);
	con_printf("hpet cap=0x%lx info1=0x%lx\n", *(u64 *)(ghcb + 0x800), i1);
}

static void mode_inject(void)
{
	vc_count = 0;
	for (int i = 0; i < 40; i++)
		msr_proto(0x080);
	con_printf("inject vc_count=%lu last=0x%lx\n", (u64)vc_count, vc_last);
}

static void mode_malformed(void)
{
	u64 i2 = 0, i1;

	ghcb_begin(0x72, 0, 0); /* CPUID without RAX/RCX */
	i1 = ghcb_call(&i2);
	con_printf("malformed missing-input info1=0x%lx info2=0x%lx\n", i1, i2);
	ghcb_begin(0x7b, (0x3f8ULL << 16) | (1 << 9) | 0x14, 100);
	gset(0x3a8, ghcb_gpa + 0x7f0); /* outside the shared buffer */
	i1 = ghcb_call(&i2);
	con_printf("malformed scratch info1=0x%lx info2=0x%lx\n", i1, i2);
	ghcb_begin(0x12345, 0, 0);
	i1 = ghcb_call(&i2);
	con_printf("malformed event info1=0x%lx info2=0x%lx\n", i1, i2);
}

/* Pattern written privately must not survive a trip through shared (facts: ciphertext). */
static void mode_scramble(void)
{
	u64 va = SCRATCH + 0x5000;
	volatile u64 *priv = (u64 *)va, *shared = (u64 *)(va + SHARED_ALIAS);
	int same = 0;
	bool cf;

	psc_msr(va, 1);
	pvalidate(va, 0, 1, &cf);
	for (int i = 0; i < 512; i++)
		priv[i] = 0x5a5a5a5a00000000ULL | (u64)i;
	pvalidate(va, 0, 0, &cf);
	psc_msr(va, 2);
	for (int i = 0; i < 512; i++)
		same += shared[i] == (0x5a5a5a5a00000000ULL | (u64)i);
	con_printf("scramble same-qwords=%lu\n", (u64)same);
}

/* Start the VMPL1 firmware from the host-provided BIOS VMSA (metadata page type 5). */
extern char meta_bios_vmsa[];

static void mode_bios(void)
{
	u32 size;
	u16 sel;
	u64 bgpa = 0, bsize = 0, i2 = 0, i1, r;
	u8 *m = (u8 *)meta_bios_vmsa;

	if (fw_find("etc/bios_gpa", &size, &sel)) {
		con_printf("bios: no etc/bios_gpa\n");
		exit_with(0x26);
	}
	fw_read(sel, &bgpa, 8);
	fw_find("etc/bios_size", &size, &sel);
	fw_read(sel, &bsize, 8);
	con_printf("bios gpa=0x%lx size=0x%lx vmsa-vmpl=%u rip=0x%lx cs-base=0x%lx "
		   "features=0x%lx\n",
		   bgpa, bsize, m[0xca], *(u64 *)(m + 0x178), *(u64 *)(m + 0x18),
		   *(u64 *)(m + 0x3b0));
	for (u64 a = bgpa; a < bgpa + bsize; a += 4096)
		if (rmpadjust(a, 0, 1 | (0xfULL << 8)))
			exit_with(0x27);
	memcpy(vmpl1_vmsa, m, 4096);
	if (rmpadjust((u64)vmpl1_vmsa, 0, 0x10101))
		exit_with(0x28);
	i1 = ap_create((u64)vmpl1_vmsa, 1, 0, *(u64 *)(m + 0x3b0), 0, &i2);
	if (i1)
		exit_with(0x29);
	for (int k = 0; k < 3; k++) {
		r = msr_proto((1ULL << 32) | 0x016);
		if ((r & 0xfff) != 0x017 || (r >> 32)) {
			con_printf("run-vmpl1 refused\n");
			exit_with(0x2a);
		}
		con_printf("bios-call rax=0x%lx\n", *(volatile u64 *)(vmpl1_vmsa + 0x1f8));
		*(volatile u64 *)(vmpl1_vmsa + 0x1f8) = 0x2000;
	}
}

static void mode_nae_misc(void)
{
	u64 i1, i2 = 0;

	ghcb_begin(0x8000fffd, 0, 0);
	i1 = ghcb_call(&i2);
	con_printf("hv-features-nae info1=0x%lx features=0x%lx\n", i1, i2);
	ghcb_begin(0x80000017, 0, 0);
	gset(0x1f8, 0);
	i1 = ghcb_call(NULL);
	con_printf("apic-ids pages=0x%lx\n", gget(0x1f8));
	/* the answer goes to a shared page: SCRATCH + 0x6000 is shared since launch */
	ghcb_begin(0x80000017, SCRATCH + 0x6000, 0);
	gset(0x1f8, 1);
	i1 = ghcb_call(NULL);
	{
		volatile u32 *p = (u32 *)(SCRATCH + 0x6000 + SHARED_ALIAS);

		con_printf("apic-ids info1=0x%lx count=%u last=%u\n", i1, p[0], p[p[0]]);
	}
}

/* fw_cfg DMA: a descriptor in shared memory asking to read into a private page. */
static void mode_fwcfg_dma(void)
{
	volatile u32 *d = (u32 *)(SCRATCH + 0x7000 + SHARED_ALIAS);
	u64 target = (u64)ro_page, dgpa = SCRATCH + 0x7000;

	for (int k = 0; k < 2; k++) {
		d[0] = __builtin_bswap32((0x19U << 16) | 8 | 2); /* select the file dir, read */
		d[1] = __builtin_bswap32(4);
		*(volatile u64 *)(d + 2) = __builtin_bswap64(target);
		io_out(0x514, 4, __builtin_bswap32((u32)(dgpa >> 32)));
		io_out(0x518, 4, __builtin_bswap32((u32)dgpa));
		con_printf("%s0x%x", k ? "fwcfg-dma shared control=" : "fwcfg-dma private control=",
			   __builtin_bswap32(d[0]));
		if (k) {
			con_printf(" count=%u",
				   __builtin_bswap32(
					   *(volatile u32 *)(SCRATCH + 0x7100 + SHARED_ALIAS)));
		}
		con_printf("\n");
		target = SCRATCH + 0x7100;
	}
}

/* PSMASH / UNSMASH through the PSC NAE, on the first 2 MiB page of "psc-2m". */
static void mode_psmash(void)
{
	u64 gpa = P + 0x400000;
	int issues, a, b, c, d;
	bool cf;
	u16 cur;
	u64 e1, e2;

	a = pvalidate(gpa, 0, 0, &cf);		   /* 4K inside a 2M RMP entry */
	e1 = psc_nae(gpa, 1, 3, 1, &issues, &cur); /* PSMASH */
	b = pvalidate(gpa, 0, 0, &cf);
	c = pvalidate(gpa, 0, 1, &cf);
	e2 = psc_nae(gpa, 1, 4, 1, &issues, &cur); /* UNSMASH */
	d = pvalidate(gpa, 1, 0, &cf);
	con_printf("psmash before=%lu err=0x%lx 4k-rescind=%lu 4k-validate=%lu unsmash-err=0x%lx "
		   "2m-rescind=%lu\n",
		   (u64)a, e1, (u64)b, (u64)c, e2, (u64)d);
}

/* An AP creation for APIC ID 1 at @vmpl whose VMSA and RAX both carry @feat (then destroy). */
static u8 feat_vmsa[4096] __aligned(4096);

static void ap_checks_features(u64 feat, int vmpl, const char *what)
{
	u64 i2 = 0, i1;

	build_vmsa(feat_vmsa, vmpl, (u64)ap_entry, (u64)ap_stacks[1] + 4096 - 8, feat);
	if (rmpadjust((u64)feat_vmsa, 0, 0x10000 | (vmpl ? (u64)vmpl | 0x100 : 1)))
		exit_with(0x2b);
	i1 = ap_create((u64)feat_vmsa, vmpl, 1, feat, 0, &i2);
	con_printf("ap-create %s info1=0x%lx\n", what, i1);
	if (!i1)
		ap_create((u64)feat_vmsa, vmpl, 1, feat, 2, &i2);
}

/* AP creation checks and destroy, on APIC ID 1 (after "smp"). */
static void mode_ap_checks(void)
{
	u64 feat = rdmsr(MSR_SEV_STATUS) >> 2, i2 = 0, i1;

	i1 = ap_create((u64)ap_vmsa[1], 0, 1, feat ^ 8, 1, &i2);
	con_printf("ap-create wrong-features info1=0x%lx\n", i1);
	i1 = ap_create((u64)ap_vmsa[1] + 0x800, 0, 1, feat, 1, &i2);
	con_printf("ap-create unaligned info1=0x%lx\n", i1);
	i1 = ap_create((u64)ap_vmsa[1], 0, 99, feat, 1, &i2);
	con_printf("ap-create no-such-apic info1=0x%lx\n", i1);
	i1 = ap_create(SCRATCH + 0x9000, 0, 1, feat, 1, &i2); /* shared page: no VMSA */
	con_printf("ap-create shared-page info1=0x%lx\n", i1);
	i1 = ap_create((u64)ap_vmsa[1], 0, 1, feat, 2, &i2);
	con_printf("ap-destroy info1=0x%lx\n", i1);
	/* each VMPL's VMSAs carry that VMPL's launch features, VMSA and RAX alike */
	ap_checks_features(feat | 0x20, 0, "vmpl0-other-features");
	ap_checks_features(feat, 1, "vmpl1-vmpl0-features");
	ap_checks_features(1, 1, "vmpl1-bios-features");
	ap_checks_features(feat, 2, "vmpl2-vm-features");
}

/*
 * Page-table walks through C=0 pointers, as OVMF's reset vector makes them (CR3 loaded in
 * 32-bit code): a copy of the probe's tables whose CR3 and table pointers have no C-bit (the
 * leaves keep it). SNP treats walks as private whatever the C-bit says.
 */
static u64 nc_pml4[512] __aligned(4096), nc_pdpt[512] __aligned(4096), nc_pd[512] __aligned(4096);
static volatile u64 walk_data[64];

static void mode_walk_cbit0(void)
{
	u64 *pdpt = (u64 *)(pml4[1] & PTE_ADDR), *pd = (u64 *)(pdpt[0] & PTE_ADDR), cr3, sum = 0;

	for (int i = 0; i < 512; i++) {
		nc_pml4[i] = pml4[i] & ~CBIT;
		nc_pdpt[i] = pdpt[i] & ~CBIT;
		nc_pd[i] = (pd[i] & 0x80) ? pd[i] : (pd[i] & ~CBIT);
	}
	nc_pml4[1] = (u64)nc_pdpt | (pml4[1] & 0xfff);
	nc_pdpt[0] = (u64)nc_pd | (pdpt[0] & 0xfff);
	cr3 = read_cr3();
	write_cr3((u64)nc_pml4);
	for (int i = 0; i < 64; i++)
		walk_data[i] = (u64)i * 7;
	for (int i = 0; i < 64; i++)
		sum += walk_data[i];
	write_cr3(cr3);
	con_printf("walk-cbit0 sum=%lu\n", sum);
}

/* Instruction fetches through a C=0 mapping: private on SNP, whatever the C-bit says. */
__attribute__((noinline)) static u64 fetch_target(u64 x)
{
	return x * 3 + 1;
}

static void mode_fetch_cbit0(void)
{
	u64 (*f)(u64) = (u64(*)(u64))((u64)fetch_target + SHARED_ALIAS);

	con_printf("fetch-cbit0 result=%lu\n", f(14));
}

/* ... so code in a shared page cannot be run: a private fetch of a hypervisor-owned page. */
static void mode_fetch_shared(void)
{
	static const u8 code[] = { 0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3 }; /* mov $42, %eax; ret */
	u8 *page = (u8 *)(SCRATCH + 0xa000 + SHARED_ALIAS);

	memcpy(page, code, sizeof(code));
	con_printf("fetch-shared calling\n");
	con_printf("fetch-shared result=%lu\n", ((u64(*)(void))page)());
}

/*
 * --fault prevalidated: the 2 MiB pages at P + 4 MiB and P + 6 MiB (N = 2 and 3) made private
 * as an SVSM does, then validated: CF = 1 (and the host's content) shows a page that was
 * validated before; a 2 MiB page the RMP holds as 4 KiB pages is validated page by page.
 */
static void mode_prevalidated(void)
{
	for (u64 n = 2; n <= 3; n++) {
		u64 gpa = P + n * 0x200000, first = 512, unchanged = 0, failed = 0;
		int issues, rc;
		u16 cur;
		bool cf;

		psc_nae(gpa, 1, 1, 1, &issues, &cur);
		rc = pvalidate(gpa, 1, 1, &cf);
		if (rc != 6) {
			con_printf("prevalidated 2m page=%lu rc=%lu cf=%lu word=0x%lx\n", n,
				   (u64)rc, (u64)cf, *(volatile u64 *)gpa);
			continue;
		}
		for (u64 k = 0; k < 512; k++) {
			rc = pvalidate(gpa + k * 0x1000, 0, 1, &cf);
			failed += rc != 0;
			unchanged += !rc && cf;
			if (!rc && cf && first == 512)
				first = k;
		}
		con_printf("prevalidated 4k page=%lu unchanged=%lu first=%lu failed=%lu "
			   "word=0x%lx\n",
			   n, unchanged, first, failed,
			   first < 512 ? *(volatile u64 *)(gpa + first * 0x1000) : 0);
	}
}

/*
 * The eviction books (snpemu --evict-check): pages validated, then touched in known orders.
 * 4 KiB pages at P + 3 MiB: 0 first and last byte, 1 last then first, 2 bytes 63 and 4032
 * (the first and last line): evicted; 3 written first, 4 first byte then one in the middle,
 * 5 first byte only, 6 untouched: missed; 7 validated, rescinded untouched (missed), validated
 * again and evicted. The 2 MiB page at P + 8 MiB: every 4 KiB page evicted.
 */
#define EVICT_BASE (SCRATCH + 0x100000)

static u8 rd8(u64 a)
{
	return *(volatile u8 *)a;
}

static void mode_evict(void)
{
	u64 p = EVICT_BASE, big = P + 0x800000;
	int issues;
	u16 cur;
	bool cf;

	psc_nae(p, 8, 1, 0, &issues, &cur);
	psc_nae(big, 1, 1, 1, &issues, &cur);
	for (int i = 0; i < 8; i++)
		pvalidate(p + (u64)i * 0x1000, 0, 1, &cf);
	rd8(p);
	rd8(p + 0xfff);
	rd8(p + 0x1fff);
	rd8(p + 0x1000);
	rd8(p + 0x2000 + 63);
	rd8(p + 0x2000 + 4032);
	*(volatile u8 *)(p + 0x3000) = 1;
	rd8(p + 0x4000);
	rd8(p + 0x4800);
	rd8(p + 0x5000);
	pvalidate(p + 0x7000, 0, 0, &cf);
	pvalidate(p + 0x7000, 0, 1, &cf);
	rd8(p + 0x7000);
	rd8(p + 0x7fff);
	pvalidate(big, 1, 1, &cf);
	for (u64 a = big; a < big + 0x200000; a += 0x1000) {
		rd8(a);
		rd8(a + 0xfff);
	}
	con_printf("evict done\n");
}

/* One more page (P + 3 MiB + 32 KiB) validated and left alone; evict-read reads its first
 * and last byte: evicted unless the image ran a lower VMPL in between (the window ended). */
static void mode_evict_pending(void)
{
	int issues;
	u16 cur;
	bool cf;

	psc_nae(EVICT_BASE + 0x8000, 1, 1, 0, &issues, &cur);
	pvalidate(EVICT_BASE + 0x8000, 0, 1, &cf);
}

static void mode_evict_read(void)
{
	rd8(EVICT_BASE + 0x8000);
	rd8(EVICT_BASE + 0x8fff);
}

/* ---- SNP guest requests (GHCB spec #56421 NAE 0x80000011/12; SNP ABI #56860 messages) ---- */
extern char meta_secrets[], meta_cpuid[];

#define GREQ_REQ (SCRATCH + 0x100000) /* shared at launch */
#define GREQ_RESP (GREQ_REQ + 0x1000)
#define GREQ_CERTS (GREQ_REQ + 0x2000)	  /* 4 pages */
static u8 greq_msg[4096] __aligned(4096); /* private: staging, and the "unshared" page */
static u8 greq_payload[0x4c0];

static u8 *shared_va(u64 gpa)
{
	return (u8 *)(gpa + SHARED_ALIAS);
}

/* Seal a message for key @key with sequence number @seq into greq_msg. */
static void greq_build(int key, u64 seq, u8 type, const u8 *payload, u16 len)
{
	u8 iv[12] = { 0 };
	u8 *m = greq_msg;

	memset(m, 0, 4096);
	*(u64 *)(m + 0x20) = seq;
	m[0x30] = 1; /* AES-256-GCM */
	m[0x31] = 1;
	*(u16 *)(m + 0x32) = 0x60;
	m[0x34] = type;
	m[0x35] = 1;
	*(u16 *)(m + 0x36) = len;
	m[0x3c] = (u8)key;
	memcpy(m + 0x60, payload, len);
	memcpy(iv, &seq, 8);
	pc_gcm_seal((u8 *)meta_secrets + 0x20 + 32 * key, iv, m + 0x30, 0x30, m + 0x60, len, m);
}

static void greq_report_req(int key, u64 seq, u32 vmpl)
{
	u8 req[0x60];

	memset(req, 0, sizeof(req));
	for (int i = 0; i < 64; i++)
		req[i] = (u8)(0xa0 + i);
	*(u32 *)(req + 0x40) = vmpl;
	greq_build(key, seq, 5, req, sizeof(req));
}

/* Send: info1 returned, *info2 = SW_EXITINFO2; extended with RAX/RBX when @pages != NULL. */
static u64 greq_send(u64 req, u64 resp, u64 certs, u64 *pages, u64 *info2)
{
	u64 i1;

	ghcb_begin(pages ? 0x80000012 : 0x80000011, req, resp);
	if (pages) {
		gset(0x1f8, certs);
		gset(0x318, *pages);
	}
	i1 = ghcb_call(info2);
	if (pages)
		*pages = gget(0x318);
	return i1;
}

/* Copy greq_msg to the shared request page, send, report. */
static u64 greq_plain(const char *what)
{
	u64 i1, i2 = 0;

	memcpy(shared_va(GREQ_REQ), greq_msg, 4096);
	memset(shared_va(GREQ_RESP), 0, 4096);
	i1 = greq_send(GREQ_REQ, GREQ_RESP, 0, NULL, &i2);
	con_printf("greq %s info1=0x%lx info2=0x%lx\n", what, i1, i2);
	return i2;
}

/* Open the response page for @key, expected sequence number @seq; payload to greq_payload. */
static int greq_open(const char *what, int key, u64 seq)
{
	u8 *m = greq_msg, iv[12] = { 0 };
	u16 len;
	int ok;

	memcpy(m, shared_va(GREQ_RESP), 4096);
	len = *(u16 *)(m + 0x36);
	memcpy(iv, m + 0x20, 8);
	ok = m[0x30] == 1 && m[0x31] == 1 && *(u16 *)(m + 0x32) == 0x60 && m[0x35] == 1 &&
	     m[0x3c] == key && *(u64 *)(m + 0x20) == seq && len <= sizeof(greq_payload) &&
	     !pc_gcm_open((u8 *)meta_secrets + 0x20 + 32 * key, iv, m + 0x30, 0x30, m + 0x60, len,
			  m);
	if (ok)
		memcpy(greq_payload, m + 0x60, len);
	con_printf("greq %s-resp ok=%d type=%u seq=%lu size=0x%x status=0x%x", what, ok, m[0x34],
		   *(u64 *)(m + 0x20), len, ok ? *(u32 *)greq_payload : 0xffffffff);
	if (ok && len == 0x4c0 && !*(u32 *)greq_payload) {
		const u8 *rep = greq_payload + 0x20;
		int match = 1;

		for (int i = 0; i < 64; i++)
			match &= rep[0x50 + i] == (u8)(0xa0 + i);
		con_printf(" report-size=0x%x vmpl=%u data-match=%d", *(u32 *)(greq_payload + 4),
			   *(u32 *)(rep + 0x30), match);
	}
	con_printf("\n");
	return ok;
}

static void greq_print_report(void)
{
	const u8 *rep = greq_payload + 0x20;

	for (int off = 0; off < 0x4a0; off += 64) {
		con_printf("greq report 0x%03x ", off);
		for (int i = 0; i < 64 && off + i < 0x4a0; i++)
			con_printf("%02x", rep[off + i]);
		con_printf("\n");
	}
}

static void greq_print_certs(void)
{
	const u8 *t = shared_va(GREQ_CERTS);

	for (int e = 0; e < 8; e++, t += 24) {
		u32 off = *(u32 *)(t + 16), len = *(u32 *)(t + 20);
		u8 h[48];
		int zero = 1;

		for (int i = 0; i < 24; i++)
			zero &= !t[i];
		if (zero)
			break;
		con_printf("greq cert ");
		for (int i = 0; i < 16; i++)
			con_printf("%02x", t[i]);
		if (off > 4 * 4096 || len > 4 * 4096 - off) {
			con_printf(" off=0x%x len=0x%x out-of-buffer\n", off, len);
			continue;
		}
		pc_sha384(shared_va(GREQ_CERTS) + off, len, h);
		con_printf(" len=%u sha384=", len);
		for (int i = 0; i < 48; i++)
			con_printf("%02x", h[i]);
		con_printf("\n");
	}
}

static void mode_greq(void)
{
	u64 i1, i2 = 0, pages;
	u8 h[48];

	/* for the host's launch digest: where the metadata pages are, what the BIOS VMSA holds */
	pc_sha384(meta_bios_vmsa, 4096, h);
	con_printf("greq meta secrets=0x%lx cpuid=0x%lx bios-vmsa=0x%lx bios-vmsa-sha384=",
		   (u64)meta_secrets, (u64)meta_cpuid, (u64)meta_bios_vmsa);
	for (int i = 0; i < 48; i++)
		con_printf("%02x", h[i]);
	con_printf("\n");

	/* a valid report request with VMPCK0: the first sequence number is 1 */
	greq_report_req(0, 1, 0);
	greq_plain("ok");
	if (greq_open("ok", 0, 2))
		greq_print_report();
	/* the same message again: its sequence number is used */
	greq_plain("replay");
	/* a forged tag, a skipped sequence number, bad header fields, an oversized message */
	greq_report_req(0, 3, 0);
	greq_msg[0] ^= 1;
	greq_plain("bad-tag");
	greq_report_req(0, 5, 0);
	greq_plain("seq-skip");
	greq_report_req(0, 3, 0);
	greq_msg[0x31] = 2;
	greq_plain("hdr-version");
	greq_report_req(0, 3, 0);
	greq_msg[0x40] = 1;
	greq_plain("reserved");
	greq_report_req(0, 3, 0);
	*(u16 *)(greq_msg + 0x36) = 4000;
	greq_plain("msg-size");
	greq_build(0, 3, 3, greq_payload, 0x20); /* MSG_KEY_REQ: not served */
	greq_plain("key-req");
	/* pages the host cannot use: unaligned, private */
	greq_report_req(0, 3, 0);
	memcpy(shared_va(GREQ_REQ), greq_msg, 4096);
	i1 = greq_send(GREQ_REQ + 8, GREQ_RESP, 0, NULL, &i2);
	con_printf("greq unaligned info1=0x%lx info2=0x%lx\n", i1, i2);
	i1 = greq_send((u64)greq_msg, GREQ_RESP, 0, NULL, &i2);
	con_printf("greq private-req info1=0x%lx info2=0x%lx\n", i1, i2);
	i1 = greq_send(GREQ_REQ, (u64)greq_msg, 0, NULL, &i2);
	con_printf("greq private-resp info1=0x%lx info2=0x%lx\n", i1, i2);
	/* none of that moved the counter: 3 is still the next one */
	greq_plain("after-errors");
	greq_open("after-errors", 0, 4);
	/* VMPCK1 asks for a VMPL0 report (refused), then for its own VMPL1 */
	greq_report_req(1, 1, 0);
	greq_plain("vmpck1-vmpl0");
	greq_open("vmpck1-vmpl0", 1, 2);
	greq_report_req(1, 3, 1);
	greq_plain("vmpck1-vmpl1");
	greq_open("vmpck1-vmpl1", 1, 4);
	/* extended: no pages (how many?), missing RBX, private pages, then enough */
	greq_report_req(0, 5, 0);
	memcpy(shared_va(GREQ_REQ), greq_msg, 4096);
	pages = 0;
	i1 = greq_send(GREQ_REQ, GREQ_RESP, GREQ_CERTS, &pages, &i2);
	con_printf("greq ext-short info1=0x%lx info2=0x%lx rbx=%lu\n", i1, i2, pages);
	ghcb_begin(0x80000012, GREQ_REQ, GREQ_RESP);
	gset(0x1f8, GREQ_CERTS);
	i1 = ghcb_call(&i2);
	con_printf("greq ext-no-rbx info1=0x%lx info2=0x%lx\n", i1, i2);
	pages = 4;
	i1 = greq_send(GREQ_REQ, GREQ_RESP, P, &pages, &i2);
	con_printf("greq ext-private info1=0x%lx info2=0x%lx\n", i1, i2);
	memset(shared_va(GREQ_CERTS), 0xee, 4 * 4096);
	pages = 4;
	i1 = greq_send(GREQ_REQ, GREQ_RESP, GREQ_CERTS, &pages, &i2);
	con_printf("greq ext info1=0x%lx info2=0x%lx\n", i1, i2);
	greq_open("ext", 0, 6);
	greq_print_certs();
}

/* Mode words that run one function; "vmpl1..." words run run_vmpl1(index in this list). */
static const struct {
	const char *word;
	void (*run)(void);
} simple_words[] = {
	{ "pvalidate", mode_pvalidate },
	{ "vc404", mode_vc404 },
	{ "cpuid", mode_cpuid },
	{ "fwcfg", mode_fwcfg },
	{ "highmem", mode_highmem },
	{ "mmio", mode_mmio },
	{ "inject", mode_inject },
	{ "malformed", mode_malformed },
	{ "smp", start_aps },
	{ "walk-cbit0", mode_walk_cbit0 },
	{ "fetch-cbit0", mode_fetch_cbit0 },
	{ "fetch-shared", mode_fetch_shared },
	{ "nae-misc", mode_nae_misc },
	{ "fwcfg-dma", mode_fwcfg_dma },
	{ "psmash", mode_psmash },
	{ "ap-checks", mode_ap_checks },
	{ "scramble", mode_scramble },
	{ "bios", mode_bios },
	{ "prevalidated", mode_prevalidated },
	{ "evict", mode_evict },
	{ "evict-pending", mode_evict_pending },
	{ "evict-read", mode_evict_read },
	{ "greq", mode_greq },
};

static const char *const vmpl1_words[] = {
	"vmpl1",	   "vmpl1-violation",	    "vmpl1-term",
	"vmpl1-nae",	   "vmpl1-insns",	    "vmpl1-sev-status",
	"vmpl1-ro-tables", "vmpl1-ro-tables-write", "vmpl1-ro-tables-noa",
};

static void run_word(const char *w)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(simple_words); i++) {
		if (!strcmp(w, simple_words[i].word)) {
			simple_words[i].run();
			return;
		}
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(vmpl1_words); i++) {
		if (!strcmp(w, vmpl1_words[i])) {
			run_vmpl1((int)i);
			return;
		}
	}
	if (!strcmp(w, "pass"))
		exit_with(0x10);
	else if (!strcmp(w, "fail"))
		exit_with(0x11);
	else if (!strcmp(w, "term"))
		term(15, 0x42);
	else if (!strcmp(w, "term-nae")) {
		ghcb_begin(0x8000fffe, (0x43 << 4) | 15, 0);
		ghcb_call(NULL);
	} else if (!strcmp(w, "hang"))
		for (;;)
			cpu_relax();
	else if (!strcmp(w, "halt"))
		halt_forever();
	else if (!strcmp(w, "shared-read-private")) {
		/* C=0 read of a private page (the image) */
		(void)*(volatile u64 *)(P + SHARED_ALIAS);
	} else if (!strcmp(w, "private-read-shared")) {
		(void)*(volatile u64 *)(SCRATCH + 0x3000); /* C=1 read of a shared page */
	} else if (!strcmp(w, "psc"))
		mode_psc(8, 0);
	else if (!strcmp(w, "psc-big"))
		mode_psc(200, 0);
	else if (!strcmp(w, "psc-2m"))
		mode_psc(2, 1);
	else if (!strcmp(w, "unregistered")) {
		wrmsr(MSR_GHCB, SCRATCH + 0x8000);
		vmgexit();
	} else if (!strcmp(w, "instrument")) {
		/* The image's own VMPL reads the test instrument's RMP port: snpemu must stop. */
		con_printf("instrument rmp-port\n");
		io_in(0x5d8, 4);
		con_printf("instrument answered\n");
	} else {
		con_printf("probe: unknown mode word %s\n", w);
		exit_with(0x20);
	}
}

/*
 * The VMPL the probe runs at, from RMPADJUST on its own first page with no permissions: it
 * succeeds only for a target VMPL numerically above the caller's (facts §4).
 */
static int own_vmpl(void)
{
	for (int t = 1; t < 4; t++)
		if (!rmpadjust(P, 0, (u64)t))
			return t - 1;
	return 3;
}

void probe_main(void)
{
	u64 r, min, max, cbit, hv, gfn, echo, status;
	int rc, radj, vmpl;
	bool cf;
	char mode[512];
	u32 size;
	u16 sel;

	idt_init();
	/* the SVSM's first check: RMPADJUST targeting VMPL1 fails unless it runs at VMPL0 */
	radj = rmpadjust(P, 0, 1);
	vmpl = radj ? own_vmpl() : 0;
	r = msr_proto(0x002);
	max = r >> 48;
	min = (r >> 32) & 0xffff;
	cbit = (r >> 24) & 0xff;
	hv = msr_proto(0x080) >> 12;
	status = rdmsr(MSR_SEV_STATUS);

	/* the GHCB: rescind, make shared, use through the shared alias, register */
	ghcb_gpa = (u64)ghcb_page;
	if (!vmpl) {
		/* CF = 1: the page was not validated, so not what the launch measured */
		rc = pvalidate((u64)ghcb_page, 0, 0, &cf);
		if (rc || cf)
			term(15, 0x19);
	}
	r = psc_msr(ghcb_gpa, 2);
	if (r != 0x015)
		term(15, 0x19);
	/* a page the host really made shared is no longer assigned: PVALIDATE must fail */
	if (!vmpl && pvalidate((u64)ghcb_page, 0, 1, &cf) != 1)
		term(15, 0x19);
	ghcb = (u8 *)((u64)ghcb_page + SHARED_ALIAS);
	memset(ghcb, 0, 4096);
	gfn = ghcb_gpa >> 12;
	echo = msr_proto((gfn << 12) | 0x012) >> 12;

	con_printf("probe: hello\n");
	con_printf("sev-info min=%lu max=%lu cbit=%lu\n", min, max, cbit);
	con_printf("hv-features 0x%lx\n", hv);
	con_printf("sev-status 0x%lx\n", status);
	con_printf("register gfn=0x%lx echo=0x%lx\n", gfn, echo);
	con_printf("vmpl-check rmpadjust-vmpl1 rc=%lu vmpl=%lu\n", (u64)radj, (u64)vmpl);
	if (vmpl)
		term(15, 0x04); /* not at VMPL0: stop, as the SVSM does (README reason table) */

	if (fw_find("opt/probe/mode", &size, &sel) || size >= sizeof(mode)) {
		run_word("pass");
		return;
	}
	fw_read(sel, mode, size);
	mode[size] = 0;
	for (char *p = mode; *p;) {
		char *w;

		while (*p == ' ' || *p == '\n')
			p++;
		if (!*p)
			break;
		w = p;
		while (*p && *p != ' ' && *p != '\n')
			p++;
		if (*p)
			*p++ = 0;
		run_word(w);
	}
	run_word("pass");
}
