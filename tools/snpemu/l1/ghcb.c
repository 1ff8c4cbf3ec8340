/*
 * The host side of the GHCB protocol, as KVM (+ QEMU) implements it: the MSR protocol
 * (facts §1) and the NAE events of a registered GHCB page (facts §2-3), with KVM's checks of
 * the valid bitmap, usage, version and scratch area (exit_info_1 = 2 and the KVM reason in
 * exit_info_2 when they fail).
 */
#include "l1.h"
#include "guestdev.h"

#define GHCB_RAX 0x1f8
#define GHCB_RCX 0x308
#define GHCB_RDX 0x310
#define GHCB_RBX 0x318
#define GHCB_CPL 0x0cb
#define GHCB_XCR0 0x3e8
#define GHCB_EXIT_CODE 0x390
#define GHCB_INFO1 0x398
#define GHCB_INFO2 0x3a0
#define GHCB_SCRATCH 0x3a8
#define GHCB_BITMAP 0x3f0
#define GHCB_BUF 0x800
#define GHCB_BUF_SIZE 0x7f0
#define GHCB_VERSION 0xffa
#define GHCB_USAGE 0xffc

/* KVM's reasons for exit_info_1 = 2 (facts §2) */
#define ERR_NOT_REGISTERED 1
#define ERR_INVALID_USAGE 2
#define ERR_INVALID_SCRATCH 3
#define ERR_MISSING_INPUT 4
#define ERR_INVALID_INPUT 5
#define ERR_INVALID_EVENT 6

u64 hv_features(void)
{
	/* SNP, AP creation, APIC ID list, multi-VMPL (facts §1) */
	return cfg.fault[FAULT_HV_FEATURES] ? cfg.hv_features : 0x33;
}

__noreturn static void terminate(struct vcpu *v, unsigned int set, unsigned int code)
{
	st.term = true;
	st.term_set = (int)set;
	st.term_code = (int)code;
	st.term_vmpl = v->cur;
	if (v->cur == launch.vmpl) { /* the image: VMPL0 unless --fault launch-vmpl */
		con_printf("snpemu: SVSM terminated: reason set %u code 0x%02x\n", set, code);
		machine_exit(EXIT_SVSM_TERM);
	}
	con_printf("snpemu: the VMPL%d guest requested termination: reason set %u code 0x%02x "
		   "(guest failure)\n",
		   v->cur, set, code);
	if (cfg.verbose) {
		u64 rsp = F64(v->vmcb + VMCB_SAVE, VMSA_RSP), w[8] = { 0 };

		guest_read_virt(v, rsp, w, sizeof(w), ACC_READ);
		con_printf("snpemu: ... at rip 0x%lx rsp 0x%lx: %lx %lx %lx %lx %lx %lx %lx %lx\n",
			   F64(v->vmcb + VMCB_SAVE, VMSA_RIP), rsp, w[0], w[1], w[2], w[3], w[4],
			   w[5], w[6], w[7]);
	}
	machine_exit(EXIT_FAIL);
}

void ghcb_resume_response(struct vcpu *v, struct vctx *c)
{
	u8 *g;

	(void)v;
	switch (c->resp) {
	case RESP_VMPL_MSR:
		c->ghcb_msr = 0x017;
		break;
	case RESP_VMPL_NAE:
		g = host_shared_ptr(c->resp_ghcb, PAGE_SIZE);
		if (g) {
			F64(g, GHCB_INFO1) = 0;
			F64(g, GHCB_INFO2) = 0;
			g[GHCB_BITMAP + GHCB_INFO1 / 64] |= (u8)(1 << ((GHCB_INFO1 / 8) % 8));
			g[GHCB_BITMAP + GHCB_INFO2 / 64] |= (u8)(1 << ((GHCB_INFO2 / 8) % 8));
		}
		break;
	case RESP_NONE:
		break;
	}
	c->resp = RESP_NONE;
}

/* ---- MSR protocol (facts §1) ---- */
static void msr_protocol(struct vcpu *v)
{
	struct vctx *c = &v->ctx[v->cur];
	u64 m = c->ghcb_msr, req = m & 0xfff, resp = 0;
	char why[200];

	stats_msr(req);
	switch (req) {
	case 0x002: {
		u64 min = 1, max = 2, cbit = CBIT_POS;

		if (cfg.fault[FAULT_GHCB_VERSION]) {
			min = cfg.ghcb_min;
			max = cfg.ghcb_max;
		}
		if (cfg.fault[FAULT_CBIT])
			cbit = cfg.cbit_report;
		resp = (max << 48) | (min << 32) | (cbit << 24) | 0x001;
		break;
	}
	case 0x004: {
		u32 r[4];
		unsigned int reg = (m >> 30) & 3;

		emu_cpuid((u32)(m >> 32), 0, (u32)v->id, r);
		resp = ((u64)r[reg] << 32) | ((u64)reg << 30) | 0x005;
		break;
	}
	case 0x006:
		resp = 0x007; /* no SIPI model: the hold ends at once with result 0 */
		break;
	case 0x010:
		resp = (0xfffffffffffffULL << 12) | 0x011;
		break;
	case 0x012: {
		u64 gfn = m >> 12, echo = gfn;

		static u64 registrations;
		u64 nth = __atomic_add_fetch(&registrations, 1, __ATOMIC_RELAXED);

		c->ghcb_reg = gfn << 12;
		if (cfg.fault[FAULT_REGISTER_GFN] && (!cfg.register_at || nth == cfg.register_at)) {
			echo = cfg.register_gfn;
			con_printf("snpemu: fault register-ghcb-gfn: registration of GFN 0x%lx "
				   "answered "
				   "with GFN 0x%lx\n",
				   gfn, echo);
		}
		resp = (echo << 12) | 0x013;
		break;
	}
	case 0x014: {
		unsigned int op = (m >> 52) & 0xf;
		u64 gpa = ((m >> 12) & ((1ULL << 40) - 1)) << 12;

		resp = (psc_msr(v, gpa, op) ? (1ULL << 63) : 0) | 0x015;
		break;
	}
	case 0x016: {
		int target = (int)((m >> 32) & 0xff);

		if (vcpu_run_vmpl(v, target, RESP_VMPL_MSR, 0, why, sizeof(why))) {
			if (cfg.verbose)
				con_printf("snpemu: run-VMPL(%d) refused: %s\n", target, why);
			resp = (1ULL << 32) | 0x017;
			break;
		}
		return; /* answered when the requester resumes */
	}
	case 0x080:
		resp = (hv_features() << 12) | 0x081;
		break;
	case 0x100:
		terminate(v, (m >> 12) & 0xf, (m >> 16) & 0xff);
	default:
		con_printf("snpemu: VMPL%d sent unsupported GHCB MSR protocol request 0x%03lx (KVM "
			   "stops the guest)\n",
			   v->cur, req);
		machine_exit(EXIT_RULE);
	}
	c->ghcb_msr = resp;
}

/* ---- NAE events ---- */
static bool valid(const u8 *gc, unsigned int off)
{
	unsigned int bit = off / 8;

	return (gc[GHCB_BITMAP + bit / 8] >> (bit % 8)) & 1;
}

static void set_out(u8 *g, unsigned int off, u64 val)
{
	unsigned int bit = off / 8;

	F64(g, off) = val;
	g[GHCB_BITMAP + bit / 8] |= (u8)(1U << (bit % 8));
}

struct nae {
	struct vcpu *v;
	u64 gpa;      /* of the GHCB */
	u8 *g;	      /* the guest's GHCB page (shared) */
	const u8 *gc; /* our copy of it, read once */
	u64 code, info1, info2;
};

static u64 q(const struct nae *n, unsigned int off)
{
	return F64(n->gc, off);
}

/* sw_scratch must lie in the GHCB shared buffer together with @len bytes. */
static u8 *scratch(struct nae *n, u64 len, u64 *err)
{
	u64 s = q(n, GHCB_SCRATCH), lo = n->gpa + GHCB_BUF, hi = lo + GHCB_BUF_SIZE;

	if (!valid(n->gc, GHCB_SCRATCH)) {
		*err = ERR_MISSING_INPUT;
		return NULL;
	}
	if (!len || len > GHCB_BUF_SIZE || s < lo || s > hi - len) {
		*err = ERR_INVALID_SCRATCH;
		return NULL;
	}
	return n->g + (s - n->gpa);
}

static u64 ioio(struct nae *n, u64 *err)
{
	u16 port = (u16)(n->info1 >> 16);
	int size = (n->info1 & 0x10) ? 1 : (n->info1 & 0x20) ? 2 : (n->info1 & 0x40) ? 4 : 0;
	bool in = n->info1 & 1;

	if (!size || ((n->info1 >> 10) & 7) > 5) {
		*err = ERR_INVALID_INPUT;
		return 0;
	}
	if (n->info1 & 4) {
		u64 count = n->info2, len;
		u8 *buf;

		if (count > GHCB_BUF_SIZE) {
			*err = ERR_INVALID_SCRATCH;
			return 0;
		}
		len = count * (u64)size;
		buf = scratch(n, len, err);
		if (!buf)
			return 0;
		for (u64 i = 0; i < count; i++) {
			u8 *p = buf + i * (u64)size;

			if (in) {
				u64 val = io_in(n->v, port, size);

				memcpy(p, &val, (size_t)size);
			} else {
				u64 val = 0;

				memcpy(&val, p, (size_t)size);
				io_out(n->v, port, size, val);
			}
		}
		return 0;
	}
	if (in) {
		set_out(n->g, GHCB_RAX, io_in(n->v, port, size));
	} else {
		u64 mask = size == 4 ? 0xffffffffULL : (1ULL << (8 * size)) - 1;

		io_out(n->v, port, size, q(n, GHCB_RAX) & mask);
	}
	return 0;
}

#define HPET_BASE 0xfed00000ULL
#define LAPIC_GPA 0xfee00000ULL

static void mmio(struct nae *n, bool write, u64 *err)
{
	u64 gpa = n->info1, len = n->info2, val = 0;
	u8 *buf;

	if (len != 1 && len != 2 && len != 4 && len != 8) {
		*err = ERR_INVALID_INPUT;
		return;
	}
	buf = scratch(n, len, err);
	if (!buf)
		return;
	if (write)
		memcpy(&val, buf, len);
	if (region_of(gpa)) {
		u8 *p = host_shared_ptr(gpa, len);

		if (!p) {
			*err = ERR_INVALID_INPUT; /* private memory: the host cannot touch it */
			return;
		}
		if (write)
			memcpy(p, &val, len);
		else
			memcpy(&val, p, len);
	} else if (gpa >= HPET_BASE && gpa + len <= HPET_BASE + 0x400) {
		/* QEMU's real HPET */
		volatile void *p = (volatile void *)gpa;

		if (write) {
			if (len == 8)
				*(volatile u64 *)p = val;
			else if (len == 4)
				*(volatile u32 *)p = (u32)val;
			else if (len == 2)
				*(volatile u16 *)p = (u16)val;
			else
				*(volatile u8 *)p = (u8)val;
		} else {
			val = len == 8	 ? *(volatile u64 *)p
			      : len == 4 ? *(volatile u32 *)p
			      : len == 2 ? *(volatile u16 *)p
					 : *(volatile u8 *)p;
		}
	} else if (gpa >= LAPIC_GPA && gpa < LAPIC_GPA + PAGE_SIZE) {
		/* the vCPU's APIC as the guest may see it (never the L1's own): the guest's
		 * VMPLs have a whole one (vlapic.c), the image's VMPL its ID and version */
		u64 reg = gpa & 0xff0;

		if (!vlapic_mmio(n->v, gpa, write, &val, (unsigned int)len))
			val = reg == 0x20 ? (u64)n->v->id << 24 : reg == 0x30 ? 0x50014 : 0;
	} else {
		val = ~0ULL; /* nothing there: reads float high, writes vanish */
	}
	if (!write)
		memcpy(buf, &val, len);
}

static bool msr_emulate(struct vcpu *v, u32 msr, bool write, u64 *val)
{
	if (write) {
		switch (msr) {
		case 0x1b:
		case 0x2ff:
		case 0x8b:
			return true;
		default:
			return (msr >= 0x200 && msr < 0x220) || (msr >= 0x800 && msr < 0x840);
		}
	}
	switch (msr) {
	case 0x10:
		*val = rdtsc();
		return true;
	case 0x1b:
		*val = 0xfee00000ULL | (1ULL << 11) | (v->id == 0 ? 1ULL << 8 : 0);
		return true;
	case 0x1a0:
		*val = 1;
		return true;
	case 0x17:
	case 0x8b:
	case 0xfe:
	case 0x2ff:
		*val = 0;
		return true;
	case 0x802:
		*val = (u64)v->id;
		return true;
	case 0x803:
		*val = 0x50014;
		return true;
	}
	if ((msr >= 0x200 && msr < 0x220) || (msr >= 0x800 && msr < 0x840)) {
		*val = 0;
		return true;
	}
	return false;
}

static void run_nae(struct nae *n)
{
	struct vcpu *v = n->v;
	u8 *g = n->g;
	u64 err = 0, info2 = 0;
	char why[200];

	switch (n->code) {
	case 0x72: { /* CPUID */
		u32 r[4];

		emu_cpuid((u32)q(n, GHCB_RAX), (u32)q(n, GHCB_RCX), (u32)v->id, r);
		set_out(g, GHCB_RAX, r[0]);
		set_out(g, GHCB_RBX, r[1]);
		set_out(g, GHCB_RCX, r[2]);
		set_out(g, GHCB_RDX, r[3]);
		break;
	}
	case 0x7b:
		ioio(n, &err);
		break;
	case 0x7c: { /* MSR */
		u32 msr = (u32)q(n, GHCB_RCX);
		u64 val = (q(n, GHCB_RAX) & 0xffffffff) | (q(n, GHCB_RDX) << 32);

		if (!msr_emulate(v, msr, n->info1 == 1, &val) &&
		    !guest_msr(v, msr, n->info1 == 1, &val)) {
			/* KVM: #GP injected into the guest (exit_info_1 = 1) */
			set_out(g, GHCB_INFO1, 1);
			set_out(g, GHCB_INFO2, 13 | (3ULL << 8) | (1ULL << 11) | (1ULL << 31));
			return;
		}
		if (n->info1 != 1) {
			set_out(g, GHCB_RAX, val & 0xffffffff);
			set_out(g, GHCB_RDX, val >> 32);
		}
		break;
	}
	case 0x81: /* VMMCALL: no hypercalls */
		set_out(g, GHCB_RAX, (u64)-1000);
		break;
	case 0x6e:
	case 0x87: {
		u64 t = rdtsc();

		set_out(g, GHCB_RAX, t & 0xffffffff);
		set_out(g, GHCB_RDX, t >> 32);
		if (n->code == 0x87)
			set_out(g, GHCB_RCX, (u64)v->id);
		break;
	}
	case 0x27:
		set_out(g, GHCB_RAX, 0x400);
		break;
	case 0x37:
	case 0x76:
	case 0x89:
	case 0x8a:
	case 0x8b:
	case 0x80000003:
		break;
	case 0x80000001:
	case 0x80000002:
		mmio(n, n->code == 0x80000002, &err);
		break;
	case 0x80000004: /* AP HLT loop */
		set_out(g, GHCB_INFO1, 0);
		set_out(g, GHCB_INFO2, 0);
		vcpu_park(v);
		return;
	case 0x80000005: { /* AP jump table */
		static u64 jump_table;

		if (n->info1 == 0)
			jump_table = n->info2;
		else
			info2 = jump_table;
		break;
	}
	case 0x80000010: { /* page state change (facts §3 "PSC descriptor"; psc.c) */
		u8 *d = scratch(n, 8, &err);

		if (d)
			info2 = psc_nae(v, d, (u64)(g + GHCB_BUF + GHCB_BUF_SIZE - d));
		break;
	}
	case 0x80000011: /* SNP guest request, extended (RAX, RBX: certificate pages) */
	case 0x80000012: {
		bool ext = n->code == 0x80000012, bad;
		u64 pages = q(n, GHCB_RBX);

		if (ext && (!valid(n->gc, GHCB_RAX) || !valid(n->gc, GHCB_RBX))) {
			err = ERR_INVALID_INPUT;
			break;
		}
		info2 = psp_guest_request(n->info1, n->info2, ext, q(n, GHCB_RAX), &pages, &bad);
		if (bad)
			err = ERR_INVALID_INPUT;
		else if (ext)
			set_out(g, GHCB_RBX, pages);
		break;
	}
	case 0x80000013:
		if (vcpu_ap_create(v, n->info1, n->info2, q(n, GHCB_RAX), why, sizeof(why))) {
			if (cfg.verbose || cfg.fault[FAULT_AP_CREATE_FAIL])
				con_printf("snpemu: AP creation refused: %s\n", why);
			err = ERR_INVALID_INPUT;
			break;
		}
		set_out(g, GHCB_INFO1, 0);
		set_out(g, GHCB_INFO2, 0);
		vcpu_ap_create_switch(v); /* svsm-preview: the caller's vCPU runs the new VMSA */
		return;
	case 0x80000017: { /* APIC IDs */
		u64 need = 1, pages = q(n, GHCB_RAX);

		if (pages < need) {
			set_out(g, GHCB_RAX, need);
			break;
		}
		{
			u8 *p = host_shared_ptr(n->info1, PAGE_SIZE);

			if (!p || !IS_ALIGNED(n->info1, PAGE_SIZE)) {
				err = ERR_INVALID_INPUT;
				break;
			}
			F32(p, 0) = (u32)cfg.smp;
			for (int i = 0; i < cfg.smp; i++)
				F32(p, 4 + 4 * i) = (u32)i;
			/* RAX = the pages the list needs on success too (GHCB spec #56421,
			 * "Get APIC IDs"): edk2's PlatformPei drops the list without it */
			set_out(g, GHCB_RAX, need);
		}
		break;
	}
	case 0x80000018: /* run VMPL */
		if (vcpu_run_vmpl(v, (int)n->info1, RESP_VMPL_NAE, n->gpa, why, sizeof(why))) {
			if (cfg.verbose)
				con_printf("snpemu: run-VMPL(%lu) refused: %s\n", n->info1, why);
			err = ERR_INVALID_INPUT;
			break;
		}
		return; /* answered when the requester resumes */
	case 0x8000fffd:
		info2 = hv_features();
		break;
	case 0x8000fffe:
		terminate(v, n->info1 & 0xf, (n->info1 >> 4) & 0xff);
	case 0x8000ffff:
		con_printf("snpemu: VMPL%d reported an unsupported #VC (exit_info 0x%lx 0x%lx)\n",
			   v->cur, n->info1, n->info2);
		machine_exit(EXIT_RULE);
	default:
		err = ERR_INVALID_EVENT;
		break;
	}
	if (err) {
		set_out(g, GHCB_INFO1, 2);
		set_out(g, GHCB_INFO2, err);
		return;
	}
	set_out(g, GHCB_INFO1, 0);
	set_out(g, GHCB_INFO2, info2);
}

/* KVM's sev_es_validate_vmgexit: which inputs each exit code needs (facts §2). */
static u64 check_inputs(const struct nae *n)
{
	const u8 *gc = n->gc;
	bool rax = valid(gc, GHCB_RAX), rcx = valid(gc, GHCB_RCX), rdx = valid(gc, GHCB_RDX);

	if (F32(gc, GHCB_USAGE) != 0)
		return ERR_INVALID_USAGE;
	/* protocol_version is not checked: KVM's sev_es_validate_vmgexit does not, and edk2's
	 * SEC-phase GHCB carries 0 there (the version is negotiated by the MSR protocol). */
	if (!valid(gc, GHCB_EXIT_CODE) || !valid(gc, GHCB_INFO1) || !valid(gc, GHCB_INFO2))
		return ERR_MISSING_INPUT;
	switch (n->code) {
	case 0x72:
		if (!rax || !rcx || (q(n, GHCB_RAX) == 0xd && !valid(gc, GHCB_XCR0)))
			return ERR_MISSING_INPUT;
		break;
	case 0x7b:
		if (n->info1 & 4) {
			if (!valid(gc, GHCB_SCRATCH))
				return ERR_MISSING_INPUT;
		} else if (!(n->info1 & 1) && !rax) {
			return ERR_MISSING_INPUT;
		}
		break;
	case 0x7c:
		if (!rcx || (n->info1 && (!rax || !rdx)))
			return ERR_MISSING_INPUT;
		break;
	case 0x81:
		if (!rax || !valid(gc, GHCB_CPL))
			return ERR_MISSING_INPUT;
		break;
	case 0x37:
		if (!rax)
			return ERR_MISSING_INPUT;
		break;
	case 0x8a:
		if (!rax || !rcx || !rdx)
			return ERR_MISSING_INPUT;
		break;
	case 0x8b:
		if (!rax || !rcx)
			return ERR_MISSING_INPUT;
		break;
	case 0x80000001:
	case 0x80000002:
	case 0x80000010:
		if (!valid(gc, GHCB_SCRATCH))
			return ERR_MISSING_INPUT;
		break;
	case 0x80000013:
		if ((n->info1 & 0xffff) != 2 && !rax)
			return ERR_MISSING_INPUT;
		break;
	case 0x80000017:
		if (!rax)
			return ERR_MISSING_INPUT;
		break;
	case 0x27:
	case 0x6e:
	case 0x76:
	case 0x87:
	case 0x89:
	case 0x80000003:
	case 0x80000004:
	case 0x80000005:
	case 0x80000011:
	case 0x80000012:
	case 0x80000018:
	case 0x8000fffd:
	case 0x8000fffe:
	case 0x8000ffff:
		break;
	default:
		return ERR_INVALID_EVENT;
	}
	return 0;
}

void handle_vmgexit(struct vcpu *v)
{
	struct vctx *c = &v->ctx[v->cur];
	static u8 copy[PAGE_SIZE] __aligned(16);
	struct nae n;
	u64 err;

	if (c->ghcb_msr & 0xfff) {
		msr_protocol(v);
		return;
	}
	n.v = v;
	n.gpa = c->ghcb_msr;
	if (n.gpa != c->ghcb_reg)
		rule_violation("VMGEXIT from VMPL%d with GHCB GPA 0x%lx that was never registered "
			       "(SNP requires registration; KVM stops the guest)",
			       v->cur, n.gpa);
	n.g = host_shared_ptr(n.gpa, PAGE_SIZE);
	if (!n.g)
		rule_violation("VMGEXIT from VMPL%d: GHCB page 0x%lx is private memory, the "
			       "hypervisor cannot read it",
			       v->cur, n.gpa);
	memcpy(copy, n.g, PAGE_SIZE); /* read the guest's inputs once */
	n.gc = copy;
	n.code = q(&n, GHCB_EXIT_CODE);
	n.info1 = q(&n, GHCB_INFO1);
	n.info2 = q(&n, GHCB_INFO2);
	stats_vmgexit(n.code);
	err = check_inputs(&n);
	memset(n.g + GHCB_BITMAP, 0, 16); /* KVM clears the bitmap once it took the inputs */
	if (err) {
		if (cfg.verbose)
			con_printf("snpemu: malformed GHCB request 0x%lx from VMPL%d: reason %lu\n",
				   n.code, v->cur, err);
		set_out(n.g, GHCB_INFO1, 2);
		set_out(n.g, GHCB_INFO2, err);
		return;
	}
	run_nae(&n);
}
