/*
 * VMPL switching and what VMPL1 may do (facts §3 NAE 0x80000013/0x80000018, §4 RMPADJUST,
 * §6 VMSA, §7 call convention).
 *
 * VMPL0 grants VMPL1 its code, constants, stack and own page tables, builds a VMPL1 VMSA,
 * registers it with the AP-creation NAE for the BSP and then runs VMPL1 command by
 * command (vmpl1.c), switching with both the MSR protocol (0x016) and the NAE (0x80000018).
 */
#include "check.h"
#include "vmpl1.h"
#include "vmsa.h"

static struct vmpl1_mailbox *const mb = &vmpl1_mailbox;
static u64 vmpl1_vmsa;
static const char *const form_name[] = { "MSR protocol", "NAE" };

/* Grant VMPL1 @perms on the image pages [start, end); returns how many failed. */
static unsigned int grant_range(const char *start, const char *end, u64 perms)
{
	unsigned int bad = 0;
	const char *va;

	for (va = start; va < end; va += PAGE_SIZE) {
		struct insn_result r = rmpadjust((u64)va, false, perms | 1);

		bad += r.vector >= 0 || r.rax != 0;
	}
	return bad;
}

struct switch_result {
	bool entered; /* the run-VMPL(1) request returned success */
	u64 status;   /* MSR response or exit_info_1 */
	u64 regs;     /* VMPL0 registers the round trip changed */
	bool ran;     /* VMPL1 ran exactly one command */
};

/* Run one VMPL1 command: VMPL0 enters by @in, VMPL1 leaves by @out. */
static struct switch_result vmpl1_call(enum vmpl_form in, enum vmpl_form out, u32 cmd, u64 a0,
				       u64 a1, u64 a2)
{
	struct cpu *c = this_cpu();
	struct switch_result s;
	u64 before = mb->served;

	mb->cmd = cmd;
	mb->arg[0] = a0;
	mb->arg[1] = a1;
	mb->arg[2] = a2;
	mb->exit_form = out;
	memset(&mb->res, 0, sizeof(mb->res));
	if (in == FORM_MSR) {
		/* Target VMPL in [39:32]; response 0x017 with error [63:32] = 0 (facts §1). */
		s.regs = vmgexit_check_regs(MSR_VMPL_REQ | (1ULL << 32));
		s.status = rdmsr(MSR_GHCB);
		s.entered = MSR_INFO(s.status) == MSR_VMPL_RESP && (s.status >> 32) == 0;
	} else {
		struct nae r;

		ghcb_clear(c);
		ghcb_prepare(c, NAE_RUN_VMPL, 1, 0);
		s.regs = vmgexit_check_regs(c->ghcb_gpa);
		r = ghcb_result(c);
		s.status = r.info1;
		s.entered = r.info1_valid && (u32)r.info1 == GHCB_RESULT_OK;
	}
	s.ran = mb->served == before + 1;
	return s;
}

/* A command whose switch is not itself under test: report only a broken switch. */
static bool vmpl1_do(const char *what, u32 cmd, u64 a0, u64 a1, u64 a2)
{
	struct switch_result s = vmpl1_call(FORM_MSR, FORM_MSR, cmd, a0, a1, a2);

	if (s.entered && s.ran && !s.regs)
		return true;
	return check(false, what, "VMPL switch failed: status 0x%lx, ran %d, changed regs 0x%lx",
		     s.status, s.ran, s.regs);
}

/* Grant, build, register and enter VMPL1 once. Also used by the fatal VMPL1 modes. */
static bool vmpl1_start(void)
{
	struct cpu *v1 = vmpl1_cpu();
	struct insn_result r;
	struct switch_result s;
	struct nae n;
	unsigned int bad;

	bad = grant_range(_text_start, _text_end, RMP_R | RMP_SX) +
	      grant_range(_shared_ro_start, _shared_ro_end, RMP_R) +
	      grant_range(_vmpl1_start, _vmpl1_end, RMP_R | RMP_W);
	if (!check(bad == 0,
		   "rmpadjust: grant VMPL1 code R+X, constants R, its stack/mailbox/tables RW",
		   "%u pages refused", bad))
		return false;

	memset(v1, 0, sizeof(*v1));
	v1->vmpl = 1;
	v1->ghcb_gpa = pool_page(); /* hypervisor-owned: already shared */
	v1->ghcb = shared_ptr(v1->ghcb_gpa);
	memset(v1->ghcb, 0, PAGE_SIZE);

	vmpl1_vmsa = pool_private_page();
	vmsa_build(vmpl1_vmsa, 1, (u64)vmpl1_entry, vmpl1_stack_top());
	r = rmpadjust(gpa_to_priv(vmpl1_vmsa), false, RMP_VMSA | RMP_R | 1);
	if (!check(r.vector < 0 && r.rax == 0, "rmpadjust: set the VMSA bit on VMPL1's VMSA page",
		   "eax %lu vector %d", r.rax, r.vector))
		return false;
	n = ap_creation(AP_CREATE, 1, bsp_apic_id, vmpl1_vmsa, vmpl_sev_features(1));
	if (!check(n.info1_valid && n.info1 == 0,
		   "ap creation: register VMPL1's VMSA for the BSP (NAE 0x80000013, VMPL 1)",
		   "exit_info_1 0x%lx (valid %d) exit_info_2 0x%lx", n.info1, n.info1_valid,
		   n.info2))
		return false;

	s = vmpl1_call(FORM_MSR, FORM_MSR, V1_NOP, 0, 0, 0);
	check(s.entered && s.ran,
	      "vmpl switch: run-VMPL(1) (MSR 0x016) runs VMPL1, which comes back with run-VMPL(0)",
	      "response 0x%lx, VMPL1 ran %d", s.status, s.ran);
	check_eq("vmpl switch: VMPL1 registers its own GHCB (MSR 0x012 echo)", mb->reg_resp,
		 MSR_REG_GPA_RESP | v1->ghcb_gpa);
	return s.entered && s.ran;
}

static void check_round_trips(void)
{
	static const u8 forms[][2] = {
		{ FORM_NAE, FORM_MSR }, { FORM_MSR, FORM_NAE }, { FORM_NAE, FORM_NAE },
		{ FORM_MSR, FORM_MSR }, { FORM_NAE, FORM_MSR },
	};
	enum vmpl_form prev_out = FORM_MSR; /* how VMPL1 left in vmpl1_start */
	u64 start = mb->served;
	unsigned int i;
	char name[120];

	for (i = 0; i < ARRAY_SIZE(forms); i++) {
		struct switch_result s = vmpl1_call(forms[i][0], forms[i][1], V1_NOP, 0, 0, 0);
		bool v1_ok = prev_out == FORM_MSR ? MSR_INFO(mb->resume_status) == MSR_VMPL_RESP &&
							    (mb->resume_status >> 32) == 0
						  : mb->resume_valid && mb->resume_status == 0;

		fmt_snprintf(name, sizeof(name),
			     "vmpl switch %u: VMPL0 enters by %s, VMPL1 ran, VMPL0 registers kept",
			     i + 1, form_name[forms[i][0]]);
		check(s.entered && s.ran && s.regs == 0, name,
		      "status 0x%lx, ran %d, changed regs 0x%lx", s.status, s.ran, s.regs);
		fmt_snprintf(name, sizeof(name),
			     "vmpl switch %u: VMPL1's run-VMPL(0) by %s resumed with success, "
			     "registers kept",
			     i + 1, form_name[prev_out]);
		check(v1_ok && mb->resume_regs == 0, name, "status 0x%lx, changed regs 0x%lx",
		      mb->resume_status, mb->resume_regs);
		prev_out = forms[i][1];
	}
	check_eq("vmpl switch: VMPL1 state survives the round trips (its command counter)",
		 mb->served - start, ARRAY_SIZE(forms));
}

/*
 * VMPL1's VMSA while VMPL1 waits: VMPL0 reads and writes its registers there (facts §6
 * layout, §7 "SVSM side"), and EFER.SVME is the runnable flag (facts §6).
 */
static void check_vmsa_state(void)
{
	struct switch_result s;
	u64 efer;

	/* VMPL1 left by the MSR form in its last round trip, patterns in rbx..r15. */
	s = vmpl1_call(FORM_MSR, FORM_MSR, V1_NOP, 0, 0, 0);
	check(s.entered && s.ran, "vmsa: setup: a round trip", "status 0x%lx", s.status);
	check_eq("vmsa: guest_exit_code of VMPL1's VMSA is 0x403 (VMGEXIT) while it waits",
		 vmsa_get(vmpl1_vmsa, VMSA_EXIT_CODE), EXIT_VMGEXIT);
	check(vmsa_get(vmpl1_vmsa, VMSA_RBX) == REG_PATTERN(REG_BIT_RBX) &&
		      vmsa_get(vmpl1_vmsa, VMSA_R15) == REG_PATTERN(REG_BIT_R15),
	      "vmsa: VMPL0 reads VMPL1's registers (rbx, r15) from its VMSA page",
	      "rbx 0x%lx r15 0x%lx", vmsa_get(vmpl1_vmsa, VMSA_RBX),
	      vmsa_get(vmpl1_vmsa, VMSA_R15));

	vmsa_set(vmpl1_vmsa, VMSA_R12, 0xfeedULL);
	s = vmpl1_call(FORM_MSR, FORM_MSR, V1_NOP, 0, 0, 0);
	check(s.entered && s.ran && mb->resume_regs == BIT_ULL(REG_BIT_R12),
	      "vmsa: a register VMPL0 writes into VMPL1's VMSA reaches VMPL1 (only that one)",
	      "status 0x%lx ran %d, registers VMPL1 saw changed 0x%lx", s.status, s.ran,
	      mb->resume_regs);

	efer = vmsa_get(vmpl1_vmsa, VMSA_EFER);
	vmsa_set(vmpl1_vmsa, VMSA_EFER, efer & ~EFER_SVME);
	s = vmpl1_call(FORM_MSR, FORM_MSR, V1_NOP, 0, 0, 0);
	check(!s.entered && !s.ran && MSR_INFO(s.status) == MSR_VMPL_RESP,
	      "vmsa: with EFER.SVME clear VMPL1's VMSA does not run (run-VMPL(1) -> error)",
	      "status 0x%lx, VMPL1 ran %d", s.status, s.ran);
	vmsa_set(vmpl1_vmsa, VMSA_EFER, efer);
	s = vmpl1_call(FORM_MSR, FORM_MSR, V1_NOP, 0, 0, 0);
	check(s.entered && s.ran, "vmsa: with EFER.SVME set again it runs",
	      "status 0x%lx, VMPL1 ran %d", s.status, s.ran);
}

/* What VMPL1 may and may not do with pages (facts §4). */
static void check_vmpl1_rules(void)
{
	u64 page_r = pool_private_page(), page_rw = pool_private_page();
	u64 page_gone = pool_private_page(), page_vmsa = pool_private_page();
	u64 stack = (u64)_vmpl1_start;
	struct insn_result r;
	struct nae n;

	*(volatile u64 *)priv_ptr(page_r) = 0x1111222233334444ULL;
	*(volatile u64 *)priv_ptr(page_gone) = 0x5555666677778888ULL;
	rmpadjust(gpa_to_priv(page_r), false, RMP_R | 1);
	rmpadjust(gpa_to_priv(page_rw), false, RMP_R | RMP_W | 1);
	rmpadjust(gpa_to_priv(page_gone), false, RMP_R | RMP_W | 1);
	rmpadjust(gpa_to_priv(page_vmsa), false, RMP_R | RMP_W | 1);

	/* VMPL1 prints its own check line through its own GHCB (string IOIO). */
	vmpl1_do("vmpl1: print", V1_SAY_OK, 0, 0, 0);

	/* RMPADJUST can only target a numerically higher VMPL (facts §4, confirmed KSEV). */
	/* (The same permissions it has, so that a wrong success changes nothing.) */
	if (vmpl1_do("vmpl1: rmpadjust own VMPL", V1_RMPADJUST, stack, 0, RMP_R | RMP_W | 1))
		check(mb->res.vector < 0 && mb->res.rax == FAIL_PERMISSION,
		      "vmpl1: RMPADJUST targeting VMPL1 itself -> FAIL_PERMISSION (really at "
		      "VMPL1)",
		      "eax %lu vector %d", mb->res.rax, mb->res.vector);

	if (vmpl1_do("vmpl1: read R page", V1_READ, gpa_to_priv(page_r), 0, 0))
		check(mb->res.vector < 0 && mb->res.rax == 0x1111222233334444ULL,
		      "vmpl1: reads a page VMPL0 granted R", "value 0x%lx vector %d", mb->res.rax,
		      mb->res.vector);
	if (vmpl1_do("vmpl1: write RW page", V1_WRITE, gpa_to_priv(page_rw), 0xabcdef0123ULL, 0))
		check(mb->res.vector < 0 && *(volatile u64 *)priv_ptr(page_rw) == 0xabcdef0123ULL,
		      "vmpl1: writes a page VMPL0 granted RW, VMPL0 sees the value",
		      "vector %d, VMPL0 reads 0x%lx", mb->res.vector,
		      *(volatile u64 *)priv_ptr(page_rw));

	/* VMPL1 has its own #VC handling: an intercepted CPUID raises #VC 0x72 there too. */
	if (vmpl1_do("vmpl1: cpuid", V1_CPUID, 0, 0, 0))
		check(mb->res.vector == 29 && mb->res.error == NAE_CPUID && mb->res.at_insn,
		      "vmpl1: CPUID raises #VC 0x72 at VMPL1 with RIP = the instruction",
		      "vector %d error 0x%lx at_insn %d", mb->res.vector, mb->res.error,
		      mb->res.at_insn);

	/* A page VMPL1 used, rescinded by VMPL0: #VC 0x404 at VMPL1 (design: C-bit, facts §4). */
	if (vmpl1_do("vmpl1: read before rescind", V1_READ, gpa_to_priv(page_gone), 0, 0))
		check(mb->res.vector < 0 && mb->res.rax == 0x5555666677778888ULL,
		      "vmpl1: reads a validated RW page", "value 0x%lx vector %d", mb->res.rax,
		      mb->res.vector);
	r = pvalidate(gpa_to_priv(page_gone), false, false);
	check(r.vector < 0 && r.rax == 0 && !r.cf, "pvalidate: VMPL0 rescinds a page VMPL1 uses",
	      "eax %lu cf %d vector %d", r.rax, r.cf, r.vector);
	/* PVALIDATE leaves the TLBs alone: VMPL1's translation outlives the rescind until an
	 * INVLPGB of every address completed by TLBSYNC (check_tlb has the details). */
	if (vmpl1_do("vmpl1: read after rescind, no flush", V1_READ, gpa_to_priv(page_gone), 0, 0))
		check(mb->res.vector < 0 && mb->res.rax == 0x5555666677778888ULL,
		      "tlb: VMPL1 still reads a page rescinded without a TLB flush (stale "
		      "translation)",
		      "value 0x%lx vector %d error 0x%lx", mb->res.rax, mb->res.vector,
		      mb->res.error);
	invlpgb_all();
	tlbsync();
	if (vmpl1_do("vmpl1: read after rescind", V1_READ, gpa_to_priv(page_gone), 0, 0))
		check(mb->res.vector == 29 && mb->res.error == NAE_NPF_UNVALIDATED &&
			      mb->res.at_insn,
		      "vmpl1: access to a rescinded page raises #VC 0x404 at VMPL1 at the access",
		      "vector %d error 0x%lx at_insn %d", mb->res.vector, mb->res.error,
		      mb->res.at_insn);

	/* PVALIDATE is a VMPL0 instruction (facts §4): it faults at VMPL1 and changes nothing.
	 * Which exception is not in the facts; any fault is accepted, the page must stay. */
	if (vmpl1_do("vmpl1: pvalidate", V1_PVALIDATE, gpa_to_priv(page_rw), 0, 0))
		check(mb->res.vector >= 0 && mb->res.at_insn,
		      "vmpl1: PVALIDATE at VMPL1 faults at the instruction",
		      "vector %d eax %lu cf %d", mb->res.vector, mb->res.rax, mb->res.cf);
	r = pvalidate(gpa_to_priv(page_rw), false, true);
	check(r.vector < 0 && r.rax == 0 && r.cf,
	      "vmpl1: its PVALIDATE rescind left the page validated (VMPL0 re-validate: CF=1)",
	      "eax %lu cf %d vector %d", r.rax, r.cf, r.vector);

	/* VMPL1 may pass on what it has to a higher VMPL (facts §4). */
	if (vmpl1_do("vmpl1: rmpadjust vmpl2", V1_RMPADJUST, gpa_to_priv(page_rw), 0, RMP_R | 2))
		check(mb->res.vector < 0 && mb->res.rax == 0,
		      "vmpl1: RMPADJUST grants VMPL2 R on a page VMPL1 has RW", "eax %lu vector %d",
		      mb->res.rax, mb->res.vector);
	/* ... but not more than it has. This is the APM rule; facts §4 marks it UNCONFIRMED. */
	if (vmpl1_do("vmpl1: rmpadjust vmpl2 more", V1_RMPADJUST, gpa_to_priv(page_r), 0,
		     RMP_R | RMP_W | 2))
		check(mb->res.vector < 0 && mb->res.rax == FAIL_PERMISSION,
		      "vmpl1: RMPADJUST granting VMPL2 RW on a page VMPL1 has R -> FAIL_PERMISSION",
		      "eax %lu vector %d", mb->res.rax, mb->res.vector);

	/* The VMSA bit takes effect only at VMPL0 (facts §4, EL): whether RMPADJUST from VMPL1
	 * fails or ignores it, the page must not become usable as a VMSA. */
	vmsa_build(page_vmsa, 2, (u64)ap_park, 0);
	if (vmpl1_do("vmpl1: rmpadjust vmsa", V1_RMPADJUST, gpa_to_priv(page_vmsa), 0,
		     RMP_VMSA | RMP_R | 2)) {
		con_printf("# VMPL1 RMPADJUST with the VMSA bit: eax %lu\n", mb->res.rax);
		n = ap_creation(AP_CREATE, 2, bsp_apic_id, page_vmsa, vm_sev_features());
		check(n.info1 != 0,
		      "vmpl1: the VMSA bit set from VMPL1 does not take effect (AP creation "
		      "refused)",
		      "exit_info_1 0x%lx", n.info1);
		if (n.info1 == 0)
			ap_creation(AP_DESTROY, 2, bsp_apic_id, page_vmsa, 0);
	}
}

/*
 * Stale translations (AMD APM vol 3, RMPADJUST and INVLPGB/TLBSYNC; facts §4): taking a
 * permission away does not flush TLBs, so VMPL1 may go on using what it lost until VMPL0 issues
 * INVLPGB of every address and TLBSYNC, or the host flushes (a page state change). The
 * translation is assumed cached (snpemu keeps it for every page): hardware may drop it sooner,
 * never later.
 */
static void check_tlb(void)
{
	u64 page = pool_private_page(), other = pool_page(), e;
	u64 va = gpa_to_priv(page);

	*(volatile u64 *)priv_ptr(page) = 0;
	rmpadjust(va, false, RMP_R | RMP_W | 1);
	invlpgb_all();
	tlbsync();
	if (vmpl1_do("tlb: setup write", V1_WRITE, va, 1, 0))
		check(mb->res.vector < 0 && *(volatile u64 *)priv_ptr(page) == 1,
		      "tlb: VMPL1 writes a page it has RW", "vector %d", mb->res.vector);
	rmpadjust(va, false, RMP_R | 1);
	if (vmpl1_do("tlb: stale write", V1_WRITE, va, 2, 0))
		check(mb->res.vector < 0 && *(volatile u64 *)priv_ptr(page) == 2,
		      "tlb: after RMPADJUST to R, no flush: VMPL1's write still lands (stale "
		      "translation)",
		      "vector %d, page holds 0x%lx", mb->res.vector,
		      *(volatile u64 *)priv_ptr(page));
	invlpgb_all();
	if (vmpl1_do("tlb: write after INVLPGB", V1_WRITE, va, 3, 0))
		check(mb->res.vector < 0 && *(volatile u64 *)priv_ptr(page) == 3,
		      "tlb: ... and after INVLPGB without TLBSYNC still (the flush is not "
		      "complete)",
		      "vector %d, page holds 0x%lx", mb->res.vector,
		      *(volatile u64 *)priv_ptr(page));
	tlbsync();
	if (vmpl1_do("tlb: read after TLBSYNC", V1_READ, va, 0, 0))
		check(mb->res.vector < 0 && mb->res.rax == 3,
		      "tlb: after INVLPGB + TLBSYNC VMPL1 reads it (R kept; a write would stop the "
		      "machine: conformance-tlb-flushed)",
		      "vector %d value 0x%lx", mb->res.vector, mb->res.rax);

	/* The host's flush: a page state change (KVM flushes the guest's ASID after zapping). */
	rmpadjust(va, false, RMP_R | RMP_W | 1);
	invlpgb_all();
	tlbsync();
	pvalidate(va, false, false);
	if (vmpl1_do("tlb: stale read", V1_READ, va, 0, 0))
		check(mb->res.vector < 0,
		      "tlb: a page rescinded without a flush still reads (stale)",
		      "vector %d error 0x%lx", mb->res.vector, mb->res.error);
	e = psc_entry(other, PSC_OP_PRIVATE, false);
	check(psc_range(other, 1, PSC_OP_PRIVATE, false), "tlb: setup: PSC of another page",
	      "entry 0x%lx", e);
	if (vmpl1_do("tlb: read after host flush", V1_READ, va, 0, 0))
		check(mb->res.vector == 29 && mb->res.error == NAE_NPF_UNVALIDATED,
		      "tlb: after a page state change (host flush) the rescinded page raises #VC "
		      "0x404 at VMPL1",
		      "vector %d error 0x%lx", mb->res.vector, mb->res.error);
}

/*
 * User- and supervisor-execute (AMD APM vol 2, "RMP and VMPL Access Checks"): a fetch at CPL 3
 * needs UserExecute, one at CPL 0-2 SupervisorExecute. VMPL1 runs a VMSA at CPL 3 whose code
 * page (VA USER_VA, user-accessible in its own page tables) VMPL0 granted @perms: a VMGEXIT
 * (run-VMPL(0), the GHCB MSR value the host kept from VMPL1's last exit) then comes back to
 * VMPL0. True when it did, with RIP past the VMGEXIT. VMPL1's usual VMSA is registered again
 * afterwards (its resume response is lost: call this last).
 */
#define USER_VA 0x400000ULL
#define UPTE_TBL 0x27ULL  /* present, writable, user, accessed */
#define UPTE_CODE 0x65ULL /* present, user, accessed, dirty */

static bool run_user_code(u64 perms)
{
	static u64 tables[4], code, user_vmsa;
	static const u8 insns[] = { 0xf3, 0x0f, 0x01, 0xd9, 0xeb, 0xfa }; /* VMGEXIT; jmp back */
	u64 status;

	if (!code) {
		for (int i = 0; i < 4; i++) {
			tables[i] = pool_private_page();
			memset(priv_ptr(tables[i]), 0, PAGE_SIZE);
			rmpadjust(gpa_to_priv(tables[i]), false, RMP_R | RMP_W | 1);
		}
		code = pool_private_page();
		user_vmsa = pool_private_page();
		memcpy(priv_ptr(code), insns, sizeof(insns));
		/* PML4[0] -> PDPT[0] -> PD[2] -> PT[0] = the code page at USER_VA */
		for (int i = 0; i < 3; i++)
			((u64 *)priv_ptr(tables[i]))[i == 2 ? 2 : 0] = tables[i + 1] | CONF_CBIT |
								       UPTE_TBL;
		((u64 *)priv_ptr(tables[3]))[0] = code | CONF_CBIT | UPTE_CODE;
	}
	rmpadjust(gpa_to_priv(code), false, perms | 1);
	invlpgb_all(); /* the X bits may have been taken away */
	tlbsync();
	vmsa_build(user_vmsa, 1, USER_VA, 0);
	vmsa_make_user(user_vmsa, tables[0] | CONF_CBIT);
	rmpadjust(gpa_to_priv(user_vmsa), false, RMP_VMSA | RMP_R | 1);
	if (!check_nae_ok("xperm: setup: register a CPL 3 VMSA for VMPL1",
			  ap_creation(AP_CREATE, 1, bsp_apic_id, user_vmsa, vmpl_sev_features(1))))
		return false;
	con_printf("# VMPL1 at CPL 3 runs code on page 0x%lx (VMPL1 permissions 0x%lx)\n", code,
		   perms >> 8);
	status = msr_protocol(MSR_VMPL_REQ | (1ULL << 32));
	check_nae_ok("xperm: setup: VMPL1's usual VMSA again",
		     ap_creation(AP_CREATE, 1, bsp_apic_id, vmpl1_vmsa, vmpl_sev_features(1)));
	return MSR_INFO(status) == MSR_VMPL_RESP && (status >> 32) == 0 &&
	       vmsa_get(user_vmsa, VMSA_RIP_OFF) == USER_VA + 4;
}

static void check_xperm(void)
{
	check(run_user_code(RMP_R | RMP_UX),
	      "xperm: VMPL1 at CPL 3 runs code on a page with user-execute only", "%s",
	      "it did not come back past its VMGEXIT");
	check(run_user_code(RMP_R | RMP_UX | RMP_SX),
	      "xperm: ... and on a page with both execute permissions", "%s",
	      "it did not come back past its VMGEXIT");
}

void check_vmpl(void)
{
	u64 resp;
	struct nae n;

	if (!vmpl1_start())
		return;
	check_round_trips();
	check_vmsa_state();
	check_vmpl1_rules();
	check_tlb();
	check_xperm(); /* last: VMPL1's usual VMSA loses its resume response */

	n = ap_creation(AP_DESTROY, 1, bsp_apic_id, vmpl1_vmsa, 0);
	check(n.info1_valid && n.info1 == 0, "ap creation: destroy VMPL1's VMSA",
	      "exit_info_1 0x%lx", n.info1);
	resp = msr_protocol(MSR_VMPL_REQ | (1ULL << 32));
	check(MSR_INFO(resp) == MSR_VMPL_RESP && (resp >> 32) != 0,
	      "vmpl switch: run-VMPL(1) after destroy -> error (MSR 0x017, error != 0)",
	      "response 0x%lx", resp);
}

__noreturn void fatal_user_sx(void)
{
	if (!vmpl1_start())
		verdict(VERDICT_FAIL);
	con_printf("# VMPL1 at CPL 3 fetches from a page with supervisor-execute only: snpemu "
		   "must stop (exit 4)\n");
	check(!run_user_code(RMP_R | RMP_SX),
	      "xperm: VMPL1 at CPL 3 cannot run code on a page with supervisor-execute only", "%s",
	      "it ran and came back");
	verdict(VERDICT_FAIL);
}

void fatal_vmpl1_access(bool write, bool flushed)
{
	u64 page;

	if (!vmpl1_start())
		verdict(VERDICT_FAIL);
	page = pool_private_page();
	*(volatile u64 *)priv_ptr(page) = 0x600d600d600d600dULL;
	if (flushed) {
		/* VMPL1 had RW and wrote; VMPL0 takes W away and flushes: the next write stops. */
		rmpadjust(gpa_to_priv(page), false, RMP_R | RMP_W | 1);
		if (vmpl1_do("vmpl1: write RW page", V1_WRITE, gpa_to_priv(page),
			     0x600d600d600d600dULL, 0))
			check(mb->res.vector < 0, "vmpl1: writes a page VMPL0 granted RW",
			      "vector %d", mb->res.vector);
		rmpadjust(gpa_to_priv(page), false, RMP_R | 1);
		invlpgb_all();
		tlbsync();
		con_printf("# VMPL0 took W away and flushed (INVLPGB + TLBSYNC)\n");
	}
	if (write && !flushed) {
		struct insn_result r = rmpadjust(gpa_to_priv(page), false, RMP_R | 1);

		check(r.vector < 0 && r.rax == 0, "rmpadjust: grant VMPL1 R", "eax %lu", r.rax);
		if (vmpl1_do("vmpl1: read R page", V1_READ, gpa_to_priv(page), 0, 0))
			check(mb->res.vector < 0 && mb->res.rax == 0x600d600d600d600dULL,
			      "vmpl1: reads a page VMPL0 granted R", "value 0x%lx vector %d",
			      mb->res.rax, mb->res.vector);
	}
	con_printf("# VMPL1 now %s page 0x%lx, which it may not: snpemu must stop (exit 4)\n",
		   write ? "writes" : "reads", page);
	vmpl1_do("vmpl1: forbidden access", write ? V1_WRITE : V1_READ, gpa_to_priv(page), 1, 0);
	check(false,
	      write ? "vmpl1: a write to a page VMPL1 may only read stops the machine"
		    : "vmpl1: a read of a VMPL0-only page stops the machine",
	      "VMPL1 came back (vector %d)", mb->res.vector);
	verdict(VERDICT_FAIL);
}
