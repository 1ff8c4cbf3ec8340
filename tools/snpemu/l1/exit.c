/*
 * #VMEXIT dispatch. What SEV-ES/SNP hardware turns into a #VC in the guest (CPUID, IOIO, MSR,
 * VMMCALL, WBINVD, INVD, MONITOR/MWAIT, MMIO) is delivered as #VC with the exit code as error
 * code; what the SNP hardware executes itself (PVALIDATE, RMPADJUST, INVLPGB, TLBSYNC, which
 * raise #UD under TCG) is emulated against the RMP; nested page faults are judged against
 * the RMP: #VC 0x404, a mode switch of the guest, MMIO, or a broken rule.
 */
#include "l1.h"
#include "guestdev.h"

#define VMEXIT_EXC(v) (0x40 + (v))
#define VMEXIT_INTR 0x60
#define VMEXIT_NMI 0x61
#define VMEXIT_CPUID 0x72
#define VMEXIT_INVD 0x76
#define VMEXIT_HLT 0x78
#define VMEXIT_INVLPGA 0x7a
#define VMEXIT_IOIO 0x7b
#define VMEXIT_MSR 0x7c
#define VMEXIT_SHUTDOWN 0x7f
#define VMEXIT_VMRUN 0x80
#define VMEXIT_VMMCALL 0x81
#define VMEXIT_VMLOAD 0x82
#define VMEXIT_VMSAVE 0x83
#define VMEXIT_STGI 0x84
#define VMEXIT_CLGI 0x85
#define VMEXIT_SKINIT 0x86
#define VMEXIT_WBINVD 0x89
#define VMEXIT_MONITOR 0x8a
#define VMEXIT_MWAIT 0x8b
#define VMEXIT_NPF 0x400
#define VMEXIT_INVALID (~0ULL)

#define RFLAGS_CF 1ULL
#define RFLAGS_TF (1ULL << 8)
#define EXC_DB (1U << 1)

static u8 *save(struct vcpu *v)
{
	return v->vmcb + VMCB_SAVE;
}

static bool long_mode_64(struct vcpu *v)
{
	return (F64(save(v), VMSA_EFER) & EFER_LMA) && (F16(save(v), VMSA_CS + 2) & (1 << 9));
}

/* Inject a hardware exception through EVENTINJ (QEMU delivers it with its error code for
 * the vectors that have one architecturally: #GP, #PF). */
static void inject_exception(struct vcpu *v, int vec, bool has_err, u32 err)
{
	F64(v->vmcb, VMCB_EVENTINJ) = (u64)vec | (3ULL << 8) | ((u64)has_err << 11) | (1ULL << 31) |
				      ((u64)err << 32);
}

static int cpl(struct vcpu *v)
{
	return F8(save(v), VMSA_CPL) & 3;
}

/*
 * #VC in 32-bit protected mode: an interrupt/trap gate to the same privilege level pushes
 * EFLAGS, CS, EIP and the error code on the current stack. Real mode has no error code and
 * privilege changes are not modelled here: both stop the machine as unsupported.
 */
static void deliver_vc_legacy(struct vcpu *v, u64 code)
{
	u8 *s = save(v), gate[8];
	u64 idt = F64(s, VMSA_IDTR + 8), desc, base;
	u32 frame[4], esp, limit, dlimit;
	u16 sel;
	const char *fail = NULL;

	if (!(F64(s, VMSA_CR0) & 1)) {
		fail = "real mode (snpemu delivers #VC in protected and long mode only)";
		goto bad;
	}
	if (F32(s, VMSA_IDTR + 4) < 29 * 8 + 7 ||
	    guest_read_virt(v, (u32)(idt + 29 * 8), gate, 8, ACC_READ)) {
		fail = "the IDT has no readable #VC gate";
		goto bad;
	}
	if (!(gate[5] & 0x80) || ((gate[5] & 0x1f) != 0xe && (gate[5] & 0x1f) != 0xf)) {
		fail = "the #VC gate is not a present 32-bit interrupt/trap gate";
		goto bad;
	}
	sel = *(u16 *)&gate[2];
	if ((sel & ~7U) + 7 > F32(s, VMSA_GDTR + 4) ||
	    guest_read_virt(v, (u32)(F64(s, VMSA_GDTR + 8) + (sel & ~7U)), &desc, 8, ACC_READ) ||
	    !(desc & (1ULL << 47)) || !(desc & (1ULL << 43))) {
		fail = "the #VC gate's code segment is not a present code segment in the GDT";
		goto bad;
	}
	if ((int)((desc >> 45) & 3) != cpl(v)) {
		fail = "a privilege change (not modelled outside 64-bit mode)";
		goto bad;
	}
	esp = (u32)F64(s, VMSA_RSP) - sizeof(frame);
	frame[0] = (u32)code;
	frame[1] = (u32)F64(s, VMSA_RIP);
	frame[2] = F16(s, VMSA_CS);
	frame[3] = (u32)F64(s, VMSA_RFLAGS);
	if (guest_write_virt(v, (u32)(F64(s, VMSA_SS + 8) + esp), frame, sizeof(frame))) {
		fail = "the #VC stack is not writable";
		goto bad;
	}
	base = ((desc >> 16) & 0xffffff) | (((desc >> 56) & 0xff) << 24);
	dlimit = (u32)((desc & 0xffff) | ((desc >> 32) & 0xf0000));
	limit = (desc & (1ULL << 55)) ? (dlimit << 12) | 0xfff : dlimit;
	F16(s, VMSA_CS) = sel;
	F16(s, VMSA_CS + 2) = (u16)(((desc >> 40) & 0xff) | (((desc >> 52) & 0xf) << 8));
	F32(s, VMSA_CS + 4) = limit;
	F64(s, VMSA_CS + 8) = base;
	F64(s, VMSA_RSP) = (F64(s, VMSA_RSP) & ~0xffffffffULL) | esp;
	F64(s, VMSA_RIP) = *(u16 *)&gate[0] | ((u32) * (u16 *)&gate[6] << 16);
	F64(s, VMSA_RFLAGS) &= ~((1ULL << 8) | (1ULL << 14) | (1ULL << 16));
	if ((gate[5] & 0x1f) == 0xe)
		F64(s, VMSA_RFLAGS) &= ~(1ULL << 9);
	return;
bad:
	con_printf("snpemu: cannot deliver #VC 0x%lx at VMPL%d rip 0x%lx outside 64-bit mode: %s\n",
		   code, v->cur, F64(s, VMSA_RIP), fail);
	machine_exit(EXIT_RULE);
}

/*
 * #VC is delivered by hand through the guest IDT: QEMU 7.2 drops the error code of vector
 * 29 when it is injected through EVENTINJ. 64-bit mode only (gate IST and privilege
 * changes honoured, TSS read through TR).
 */
void deliver_vc(struct vcpu *v, u64 code)
{
	u8 *s = save(v), gate[16];
	u64 idt = F64(s, VMSA_IDTR + 8), rsp, handler, desc, frame[6], tr = F64(s, VMSA_TR + 8);
	u32 limit = F32(s, VMSA_IDTR + 4);
	u16 sel;
	int ist, old_cpl = cpl(v), new_cpl;
	const char *fail = NULL;

	if (!long_mode_64(v)) {
		deliver_vc_legacy(v, code);
		return;
	}
	if (limit < 29 * 16 + 15 || guest_read_virt(v, idt + 29 * 16, gate, 16, ACC_READ)) {
		fail = "the IDT has no readable #VC gate";
		goto bad;
	}
	if (!(gate[5] & 0x80) || ((gate[5] & 0x1f) != 0xe && (gate[5] & 0x1f) != 0xf)) {
		fail = "the #VC gate is not a present interrupt/trap gate";
		goto bad;
	}
	sel = *(u16 *)&gate[2];
	ist = gate[4] & 7;
	handler = *(u16 *)&gate[0] | ((u64) * (u16 *)&gate[6] << 16) |
		  ((u64) * (u32 *)&gate[8] << 32);
	if ((sel & ~7U) + 7 > F32(s, VMSA_GDTR + 4) ||
	    guest_read_virt(v, F64(s, VMSA_GDTR + 8) + (sel & ~7U), &desc, 8, ACC_READ)) {
		fail = "the #VC gate's code segment is not in the GDT";
		goto bad;
	}
	if (!(desc & (1ULL << 47)) || !(desc & (1ULL << 53)) || !(desc & (1ULL << 43))) {
		fail = "the #VC gate's code segment is not a present 64-bit code segment";
		goto bad;
	}
	new_cpl = (int)((desc >> 45) & 3);
	if (ist) {
		if (guest_read_virt(v, tr + 0x24 + (u64)(ist - 1) * 8, &rsp, 8, ACC_READ)) {
			fail = "the TSS (IST entry) is not readable";
			goto bad;
		}
	} else if (new_cpl < old_cpl) {
		if (guest_read_virt(v, tr + 4 + (u64)new_cpl * 8, &rsp, 8, ACC_READ)) {
			fail = "the TSS (RSP entry) is not readable";
			goto bad;
		}
	} else {
		rsp = F64(s, VMSA_RSP);
	}
	rsp = (rsp & ~0xfULL) - sizeof(frame);
	frame[0] = code;
	frame[1] = F64(s, VMSA_RIP);
	frame[2] = F16(s, VMSA_CS);
	frame[3] = F64(s, VMSA_RFLAGS);
	frame[4] = F64(s, VMSA_RSP);
	frame[5] = F16(s, VMSA_SS);
	if (guest_write_virt(v, rsp, frame, sizeof(frame))) {
		fail = "the #VC stack is not writable";
		goto bad;
	}
	F16(s, VMSA_CS) = (u16)((sel & ~3U) | (u16)new_cpl);
	F16(s, VMSA_CS + 2) = (u16)(((desc >> 40) & 0xff) | (((desc >> 52) & 0xf) << 8));
	F32(s, VMSA_CS + 4) = 0xffffffff;
	F64(s, VMSA_CS + 8) = 0;
	if (new_cpl != old_cpl) {
		F16(s, VMSA_SS) = (u16)new_cpl;
		F16(s, VMSA_SS + 2) = (u16)(0x93 | (new_cpl << 5));
		F32(s, VMSA_SS + 4) = 0xffffffff;
		F64(s, VMSA_SS + 8) = 0;
	}
	F8(s, VMSA_CPL) = (u8)new_cpl;
	F64(s, VMSA_RSP) = rsp;
	F64(s, VMSA_RIP) = handler;
	F64(s, VMSA_RFLAGS) &= ~((1ULL << 8) | (1ULL << 14) | (1ULL << 16) | (1ULL << 17));
	if ((gate[5] & 0x1f) == 0xe)
		F64(s, VMSA_RFLAGS) &= ~(1ULL << 9);
	return;
bad:
	con_printf("snpemu: cannot deliver #VC 0x%lx at VMPL%d rip 0x%lx: %s (hardware would "
		   "double-fault)\n",
		   code, v->cur, F64(s, VMSA_RIP), fail);
	machine_exit(EXIT_RULE);
}

/* Read instruction bytes at RIP; returns how many could be fetched. */
static int fetch(struct vcpu *v, u8 *buf, int max)
{
	u64 rip = F64(save(v), VMSA_RIP) + (long_mode_64(v) ? 0 : F64(save(v), VMSA_CS + 8));
	int n = 0;

	while (n < max && !guest_read_virt(v, rip + (u64)n, buf + n, 1, ACC_EXEC))
		n++;
	return n;
}

struct insn {
	int len; /* total length */
	int rep; /* 0, 0xf2 or 0xf3 (the last of them) */
	bool addr32;
	u8 op[3]; /* bytes after the prefixes */
	int nop;
};

static void decode(struct vcpu *v, struct insn *in)
{
	u8 b[15];
	int n = fetch(v, b, 15), i = 0;

	memset(in, 0, sizeof(*in));
	while (i < n) {
		u8 c = b[i];

		if (c == 0xf2 || c == 0xf3)
			in->rep = c;
		else if (c == 0x67)
			in->addr32 = true;
		else if (c == 0x66 || c == 0x2e || c == 0x36 || c == 0x3e || c == 0x26 ||
			 c == 0x64 || c == 0x65 || c == 0xf0 ||
			 (long_mode_64(v) && (c & 0xf0) == 0x40))
			;
		else
			break;
		i++;
	}
	for (int k = 0; k < 3 && i + k < n; k++)
		in->op[in->nop++] = b[i + k];
	in->len = i;
	if (!long_mode_64(v))
		in->addr32 = true; /* legacy modes: EAX (16-bit addressing is not modelled) */
}

/* The intercepted instruction completed: past it, and out of any interrupt shadow (an STI or
 * MOV SS shadow covers only the one instruction after it; KVM's skip_emulated_instruction
 * clears it too). Without this an interrupt never gets in after "sti; hlt". */
static void advance(struct vcpu *v, int len)
{
	F64(save(v), VMSA_RIP) += (u64)len;
	F64(v->vmcb, VMCB_INT_STATE) &= ~1ULL;
}

void step_one(struct vcpu *v)
{
	u8 *s = save(v);

	if (!v->step) {
		v->step = true;
		v->step_tf = F64(s, VMSA_RFLAGS) & RFLAGS_TF;
		v->step_dr6 = F64(s, VMSA_DR6);
	}
	F64(s, VMSA_RFLAGS) |= RFLAGS_TF;
	F32(v->vmcb, VMCB_EXC) |= EXC_DB;
}

/* The #DB exit after step_one's instruction: the guest's TF and DR6 back. */
static bool step_done(struct vcpu *v)
{
	u8 *s = save(v);

	if (!v->step)
		return false;
	v->step = false;
	F64(s, VMSA_RFLAGS) = (F64(s, VMSA_RFLAGS) & ~RFLAGS_TF) | v->step_tf;
	F64(s, VMSA_DR6) = v->step_dr6;
	F32(v->vmcb, VMCB_EXC) &= ~EXC_DB;
	ti_watch_stepped(v);
	evict_stepped(v);
	return true;
}

/* PVALIDATE / RMPADJUST / INVLPGB / TLBSYNC (facts §4). */
static void emulate_ud(struct vcpu *v)
{
	struct insn in;
	u8 *s = save(v);
	u64 rax = F64(s, VMSA_RAX), gva, gpa, map_size;
	bool priv, is_pval, is_radj;
	int rc;

	decode(v, &in);
	if (in.nop < 3 || in.op[0] != 0x0f || in.op[1] != 0x01 ||
	    (in.op[2] != 0xfe && in.op[2] != 0xff)) {
		inject_exception(v, 6, false, 0);
		return;
	}
	is_pval = in.rep == 0xf2 && in.op[2] == 0xff;
	is_radj = in.rep == 0xf3 && in.op[2] == 0xfe;
	if (!is_pval && !is_radj) {
		if (in.rep) {
			inject_exception(v, 6, false, 0);
			return;
		}
		/* INVLPGB (0f 01 fe) / TLBSYNC (0f 01 ff): the stale translations a TLBSYNC
		 * completes (tlb.c) go, and every other vCPU exits (QEMU flushes its TLB).
		 * INVLPGB with neither a VA (RAX bit 0) nor a PCID (bit 1) given flushes every
		 * address. */
		if (in.op[2] == 0xfe) {
			tlb_invlpgb(v, rax);
			stats_invlpgb(v, (rax & 3) == 0);
		} else {
			tlb_tlbsync(v);
			stats_tlbsync(v);
		}
		kick_all_others(v);
		advance(v, in.len + 3);
		return;
	}
	if (cpl(v) != 0) {
		inject_exception(v, 13, true, 0);
		return;
	}
	if (is_pval && v->cur != 0) {
		/* Only VMPL0 may PVALIDATE (facts §4); snpemu reads the fault as #GP(0). */
		if (cfg.verbose)
			con_printf("snpemu: PVALIDATE at VMPL%d (rip 0x%lx): #GP(0)\n", v->cur,
				   F64(s, VMSA_RIP));
		inject_exception(v, 13, true, 0);
		return;
	}
	gva = in.addr32 ? (u32)rax : rax;
	{
		bool is_2m = v->g.rcx & 1;

		if (!IS_ALIGNED(gva, is_2m ? PAGE_2M_SIZE : PAGE_SIZE)) {
			/* snpemu refuses an unaligned address (stricter reading, see README) */
			rc = PVALIDATE_FAIL_INPUT;
			if (is_pval)
				st.pval_failed++;
			else
				st.radj_failed++;
			goto done;
		}
		if (guest_walk_size(v, gva, ACC_READ, &gpa, &priv, &map_size)) {
			F64(s, VMSA_CR2) = gva;
			inject_exception(v, 14, true, 0);
			return;
		}
		if (is_2m && map_size < PAGE_2M_SIZE) {
			/* A 2 MiB operation needs a guest mapping of at least 2 MiB (APM vol 3,
			 * PVALIDATE and RMPADJUST: FAIL_SIZEMISMATCH), not the 2 MiB around the
			 * first page of a 4 KiB mapping. */
			if (cfg.verbose)
				con_printf("snpemu: 2 MiB %s of VA 0x%lx through a 0x%lx mapping: "
					   "FAIL_SIZEMISMATCH\n",
					   is_pval ? "PVALIDATE" : "RMPADJUST", gva, map_size);
			rc = PVALIDATE_FAIL_SIZEMISMATCH;
			if (is_pval)
				st.pval_failed++;
			else
				st.radj_failed++;
			goto done;
		}
		if (is_pval) {
			bool unchanged;

			rc = rmp_pvalidate(v->cur, gpa, is_2m, v->g.rdx & 1, &unchanged);
			stats_pvalidate(v, rc, is_2m, (v->g.rdx & 1) && !unchanged);
			if (!rc && !unchanged && (v->g.rdx & 1) && v->in_call)
				fault_unvalidate(gpa, is_2m);
			if (!rc && !unchanged)
				evict_pvalidated(v, gpa, is_2m ? PAGES_PER_2M : 1, v->g.rdx & 1);
			if (!rc && !unchanged)
				npt_sync(gpa, is_2m ? PAGES_PER_2M : 1);
			if (!rc && !unchanged && !(v->g.rdx & 1))
				stats_access_taken(v, true);
			F64(s, VMSA_RFLAGS) = (F64(s, VMSA_RFLAGS) & ~RFLAGS_CF) |
					      (unchanged ? RFLAGS_CF : 0);
		} else {
			bool took;

			rc = rmp_rmpadjust(v->cur, gpa, is_2m, v->g.rdx, &took);
			if (rc)
				st.radj_failed++;
			else if (is_2m)
				st.radj_2m++;
			else
				st.radj_4k++;
			if (!rc)
				npt_sync(gpa, is_2m ? PAGES_PER_2M : 1);
			if (!rc && took)
				stats_access_taken(v, false);
			F64(s, VMSA_RFLAGS) &= ~RFLAGS_CF;
		}
	}
done:
	if (rc && is_pval)
		F64(s, VMSA_RFLAGS) &= ~RFLAGS_CF;
	F64(s, VMSA_RAX) = (u64)rc;
	advance(v, in.len + 3);
}

#define NPF_WALK (1ULL << 33) /* QEMU 7.2: the fault is its page walker's (bit 32: final access) */

static const char *acc_name(u64 info1)
{
	if (info1 & NPF_WALK)
		return "page-table walk"; /* QEMU's walker always asks for write access */
	if (info1 & 0x10)
		return "instruction fetch";
	return (info1 & 2) ? "write" : "read";
}

static void handle_npf(struct vcpu *v, u64 info1, u64 info2)
{
	u64 gpa = info2 & GPA_MASK & ~0xfffULL;
	bool c = info2 & CBIT, fetch_acc = info1 & 0x10, walk = info1 & NPF_WALK;
	int want = ((F64(save(v), VMSA_CR0) & CR0_PG) && (F64(save(v), VMSA_CR4) & CR4_PAE))
			   ? ROOT_NORMAL
			   : ROOT_PRIVATE_ONLY;
	/* SNP: walks and fetches are private whatever the C-bit says (ptw.c) */
	bool priv = c || v->root == ROOT_PRIVATE_ONLY || walk || fetch_acc;
	/* how the access came to be private, for the messages */
	const char *pre = c				 ? "private (C=1) "
			  : v->root == ROOT_PRIVATE_ONLY ? "private (no C-bit in this paging mode) "
							 : "";
	const char *post = priv && !c && v->root == ROOT_NORMAL ? " through C=0 (private on SNP "
								  "all the same)"
								: "";
	u32 *ep = rmp_entry(gpa), e;
	u64 rip = F64(save(v), VMSA_RIP);

	if (want != v->root) {
		/* the guest switched paging mode since VMRUN: retry under the right root */
		return;
	}
	if (ep && (READ_ONCE(*ep) & RMP_SCRAMBLE)) {
		/* first touch since a page state change: scramble the chunk, then retry */
		rmp_settle_chunk(gpa);
		return;
	}
	if (evict_npf(v, info1, info2))
		return; /* the image's first accesses to a page it validated: in the books */
	if (ti_watch_npf(v, info1, info2))
		return; /* an access of a page the test instrument watches: counted, let through */
	if (info1 & 8)
		panic("nested page fault with reserved bits at GPA 0x%lx", info2);
	if (!ep) {
		if (!priv) {
			deliver_vc(v, 0x400); /* MMIO: the guest emulates it through the GHCB */
			return;
		}
		rule_violation("%s%s%s of GPA 0x%lx at VMPL%d rip 0x%lx: no guest memory there "
			       "(MMIO must be accessed shared)",
			       pre, acc_name(info1), post, gpa, v->cur, rip);
	}
	e = READ_ONCE(*ep);
	if (priv) {
		unsigned int need;

		if (!(e & RMP_ASSIGNED))
			rule_violation("%s%s%s of hypervisor-owned (shared) page 0x%lx at VMPL%d "
				       "rip 0x%lx (#NPF on hardware)",
				       pre, acc_name(info1), post, gpa, v->cur, rip);
		if (!(e & RMP_VALIDATED)) {
			deliver_vc(v, 0x404);
			return;
		}
		need = fetch_acc     ? xperm_need(v) /* UX at CPL 3, SX below (xperm.c) */
		       : walk	     ? RMP_PERM_R    /* ptw.c: a walker write is checked there */
		       : (info1 & 2) ? RMP_PERM_W
				     : RMP_PERM_R;
		if (!(rmp_perm(e, v->cur) & need))
			rule_violation("VMPL permission violation: VMPL%d %s%s of page 0x%lx (RMP "
				       "VMPL%d mask 0x%x) at rip 0x%lx",
				       v->cur,
				       fetch_acc ? (need == RMP_PERM_UX ? "CPL 3 " : "CPL 0-2 ")
						 : "",
				       acc_name(info1), gpa, v->cur, rmp_perm(e, v->cur), rip);
		if (!(rmp_perm(e, v->cur) & RMP_PERM_R))
			rule_violation("VMPL%d %s of page 0x%lx: snpemu cannot map a page without "
				       "read permission (mask 0x%x)",
				       v->cur, acc_name(info1), gpa, rmp_perm(e, v->cur));
		if (ptw_npf(v, info1, info2, ep))
			return;
		if (fetch_acc && xperm_npf(v, gpa, ep))
			return;
	} else if (e & RMP_ASSIGNED) {
		rule_violation("shared (C=0) %s of private page 0x%lx at VMPL%d rip 0x%lx (#NPF on "
			       "hardware)",
			       acc_name(info1), gpa, v->cur, rip);
	} else if ((info1 & 2) && ptw_shared_write(v, gpa, ep)) {
		return; /* a data write to a shared page (read-only in the views: ptw.c) */
	}
	/* permitted: the nested tables lag behind the RMP; resynchronise and retry */
	if (++v->npf_retries > 4)
		panic("nested page fault at GPA 0x%lx (info 0x%lx) persists", info2, info1);
	npt_sync(gpa, 1);
}

static void handle_msr_exit(struct vcpu *v, u64 info1)
{
	u32 msr = (u32)v->g.rcx;
	u8 *s = save(v);
	u64 val;

	if (msr != 0xc0010130 && msr != 0xc0010131) {
		deliver_vc(v, VMEXIT_MSR);
		return;
	}
	if (info1 == 0) {
		val = msr == 0xc0010130 ? v->ctx[v->cur].ghcb_msr : vcpu_sev_status(v);
		F64(s, VMSA_RAX) = (u32)val;
		v->g.rdx = val >> 32;
	} else if (msr == 0xc0010130) {
		v->ctx[v->cur].ghcb_msr = (u32)F64(s, VMSA_RAX) | (v->g.rdx << 32);
	} else {
		inject_exception(v, 13, true, 0); /* SEV_STATUS is read-only */
		return;
	}
	advance(v, 2);
}

static u64 nr_exits;

static void maybe_inject_vc_fault(struct vcpu *v)
{
	static bool done;
	int l = launch.vmpl; /* the image's VMPL */

	if (!cfg.fault[FAULT_INJECT_VC] || done || nr_exits < cfg.inject_vc_at || v->cur != l)
		return;
	done = true;
	if (vcpu_sev_status(v) & SEV_STATUS_RESTRICTED_INJ) {
		con_printf("snpemu: fault inject-vc: the host tried to inject #VC into VMPL%d at "
			   "exit "
			   "%lu: refused (Restricted Injection)\n",
			   l, nr_exits);
		return;
	}
	con_printf("snpemu: fault inject-vc: injecting #VC 0x72 into VMPL%d at rip 0x%lx (exit "
		   "%lu)\n",
		   l, F64(save(v), VMSA_RIP), nr_exits);
	deliver_vc(v, 0x72);
}

void handle_exit(struct vcpu *v)
{
	u64 code = F64(v->vmcb, VMCB_EXITCODE), info1 = F64(v->vmcb, VMCB_EXITINFO1);
	u64 info2 = F64(v->vmcb, VMCB_EXITINFO2), intinfo = F64(v->vmcb, VMCB_EXITINTINFO);
	u8 *s = save(v);

	nr_exits++;
	st.exits++;
	F64(v->vmcb, VMCB_EVENTINJ) = 0;
	if (intinfo & (1ULL << 31))
		F64(v->vmcb, VMCB_EVENTINJ) = intinfo; /* an event was being delivered: redo it */
	if (code != VMEXIT_NPF) {
		v->npf_retries = 0;
		ptw_grants_check(v);
		ptw_shared_drop(v);
		xperm_drop(v);
	}

	switch (code) {
	case VMEXIT_INTR:
		__asm__ volatile("sti; nop; cli" ::: "memory"); /* take the kick IPI */
		break;
	case VMEXIT_NMI:
		break;
	case VMEXIT_EXC(6):
		emulate_ud(v);
		break;
	case VMEXIT_EXC(1):
		/* intercepted only while step_one lets one instruction through */
		if (!step_done(v))
			inject_exception(v, 1, false, 0);
		break;
	case VMEXIT_CPUID:
	case VMEXIT_IOIO:
	case VMEXIT_INVD:
	case VMEXIT_WBINVD:
	case VMEXIT_MONITOR:
	case VMEXIT_MWAIT:
		deliver_vc(v, code);
		break;
	case VMEXIT_MSR:
		handle_msr_exit(v, info1);
		break;
	case VMEXIT_VMMCALL: {
		struct insn in;

		decode(v, &in);
		if (in.rep == 0xf3 && in.nop >= 3 && in.op[0] == 0x0f && in.op[1] == 0x01 &&
		    in.op[2] == 0xd9) {
			advance(v, in.len + 3);
			handle_vmgexit(v);
		} else {
			deliver_vc(v, VMEXIT_VMMCALL);
		}
		break;
	}
	case VMEXIT_HLT:
		advance(v, 1);
		if (vlapic_hlt(v))
			break; /* an interrupt wakes it: no park */
		vcpu_park(v);
		break;
	case VMEXIT_NPF:
		handle_npf(v, info1, info2);
		break;
	case VMEXIT_SHUTDOWN:
		rule_violation("VMPL%d shut down (triple fault) at rip 0x%lx", v->cur,
			       F64(s, VMSA_RIP));
	case VMEXIT_VMRUN:
	case VMEXIT_VMLOAD:
	case VMEXIT_VMSAVE:
	case VMEXIT_STGI:
	case VMEXIT_CLGI:
	case VMEXIT_SKINIT:
	case VMEXIT_INVLPGA:
		inject_exception(v, 6, false, 0);
		break;
	case VMEXIT_INVALID:
		panic("VMRUN of VMPL%d refused the guest state (rip 0x%lx cr0 0x%lx cr4 0x%lx efer "
		      "0x%lx cs attr 0x%x)",
		      v->cur, F64(s, VMSA_RIP), F64(s, VMSA_CR0), F64(s, VMSA_CR4),
		      F64(s, VMSA_EFER), F16(s, VMSA_CS + 2));
	default:
		panic("unexpected #VMEXIT 0x%lx (info 0x%lx 0x%lx) at VMPL%d rip 0x%lx", code,
		      info1, info2, v->cur, F64(s, VMSA_RIP));
	}
	if (v->cur >= 0)
		maybe_inject_vc_fault(v);
}
