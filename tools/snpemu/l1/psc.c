/*
 * The host side of page state changes: the MSR protocol request 0x014 (one 4 KiB page) and the
 * NAE 0x80000010 descriptor (GHCB spec #56421, "Page State Change"), as KVM handles them.
 *
 * The descriptor, entry by entry from cur_entry (KVM arch/x86/kvm/svm/sev.c snp_begin_psc,
 * __snp_complete_one_psc):
 *   - an entry whose cur_page (bits 11:0) exceeds its page count (1 or 512) is an invalid entry;
 *   - one whose cur_page equals it is complete already: skipped;
 *   - one with 0 < cur_page < 512 is a 2 MiB entry done in part: its remaining pages are
 *     converted as 4 KiB pages ("effectively split at this point");
 *   - a completed entry gets cur_page = its page count; cur_entry moves past it.
 * What a host profile changes (host.c): the descriptor size it takes, what PSMASH and UNSMASH
 * entries do, whether a 2 MiB conversion makes a 2 MiB RMP entry (rmp.c).
 *
 * --fault psc-page-partial=N: the host converts at most N pages of a 2 MiB entry per exit, as
 * 4 KiB pages, writes back cur_page and leaves cur_entry on the entry (no error): the guest must
 * re-issue the descriptor as the host left it (a guest that resends cur_page 0 makes no
 * progress).
 */
#include "l1.h"

#define PSC_ERR_GENERIC (0x100ULL << 32)
#define PSC_ERR_INVALID_HDR ((1ULL << 32) | 1)
#define PSC_ERR_INVALID_ENTRY ((1ULL << 32) | 2)
#define PSC_CUR_PAGE 0xfffULL

enum {
	OP_PRIVATE = 1,
	OP_SHARED = 2,
	OP_PSMASH = 3,
	OP_UNSMASH = 4
};

static u64 psc_count;
static bool psc_changed; /* an exit changed the RMP: other vCPUs' TLBs must be shot down */

void psc_shootdown(struct vcpu *v)
{
	if (psc_changed) {
		tlb_host_flush(); /* KVM flushes the guest's ASID after zapping the range */
		kick_all_others(v);
	}
	psc_changed = false;
}

/* One page state change of one 4 KiB page or 2 MiB page. 0, -1 (failed) or -2 (bad op). */
int psc_one(u64 gpa, unsigned int op, bool is_2m)
{
	u64 n = is_2m ? PAGES_PER_2M : 1;
	int rc;

	psc_count++;
	if (cfg.fault[FAULT_PSC_FAIL_AT] && psc_count == cfg.psc_fail_at) {
		con_printf("snpemu: fault psc-fail-at: failing page state change #%lu (GPA 0x%lx "
			   "op "
			   "%u)\n",
			   psc_count, gpa, op);
		return -1;
	}
	if (cfg.fault[FAULT_PSC_LIE] && psc_count >= cfg.psc_lie_from) {
		static bool said;

		if (!said)
			con_printf("snpemu: fault psc-lie: reporting page state changes done "
				   "without "
				   "changing the RMP\n");
		said = true;
		return 0;
	}
	switch (op) {
	case OP_PRIVATE:
		rc = rmp_make_private(gpa, is_2m);
		if (!rc)
			*(is_2m ? &st.psc_private_2m : &st.psc_private_4k) += 1;
		break;
	case OP_SHARED:
		rc = rmp_make_shared(gpa, is_2m);
		if (!rc)
			*(is_2m ? &st.psc_shared_2m : &st.psc_shared_4k) += 1;
		break;
	case OP_PSMASH:
		rc = rmp_psmash(ALIGN_DOWN(gpa, PAGE_2M_SIZE));
		n = PAGES_PER_2M;
		gpa = ALIGN_DOWN(gpa, PAGE_2M_SIZE);
		break;
	case OP_UNSMASH:
		rc = rmp_unsmash(ALIGN_DOWN(gpa, PAGE_2M_SIZE));
		n = PAGES_PER_2M;
		gpa = ALIGN_DOWN(gpa, PAGE_2M_SIZE);
		break;
	default:
		return -2;
	}
	if (rc)
		return -1;
	npt_sync(gpa, n);
	psc_changed = true;
	return 0;
}

/* The pages [first, last) of entry @e (a conversion): 4 KiB each from a partial cur_page. */
static int psc_pages(u64 gpa, unsigned int op, bool is_2m, unsigned int first, unsigned int last)
{
	if (first == 0 && (!is_2m || last == PAGES_PER_2M))
		return psc_one(gpa, op, is_2m);
	for (unsigned int p = first; p < last; p++) {
		int rc = psc_one(gpa + (u64)p * PAGE_SIZE, op, false);

		if (rc)
			return rc;
	}
	return 0;
}

/*
 * NAE 0x80000010 on the descriptor @d (in the GHCB shared buffer, @room bytes from it to the
 * buffer's end). Returns SW_EXITINFO2.
 */
u64 psc_nae(struct vcpu *v, u8 *d, u64 room)
{
	u16 cur = F16(d, 0), end = F16(d, 2);
	u64 done = 0, info2 = 0;

	/* The header's reserved word is ignored, as KVM's snp_begin_psc does: edk2 leaves stale
	 * bytes in it. */
	if (end >= host->psc_max_entries || (u64)(end + 1) * 8 + 8 > room) {
		if (cfg.verbose)
			con_printf("snpemu: host %s refuses a PSC descriptor of %u entries\n",
				   host->name, end + 1);
		return PSC_ERR_INVALID_HDR;
	}
	for (; cur <= end; cur++) {
		u64 e = F64(d, 8 + cur * 8), gpa = e & 0x000ffffffffff000ULL;
		unsigned int op = (e >> 52) & 0xf, page = e & PSC_CUR_PAGE, last;
		bool is_2m = (e >> 56) & 1;
		unsigned int npages = is_2m ? PAGES_PER_2M : 1;
		int rc;

		if (cfg.fault[FAULT_PSC_PARTIAL] && done >= cfg.psc_partial)
			break;
		if ((e >> 57) || (is_2m && !IS_ALIGNED(gpa, PAGE_2M_SIZE)) || op < OP_PRIVATE ||
		    op > OP_UNSMASH || page > npages) {
			info2 = PSC_ERR_INVALID_ENTRY;
			break;
		}
		if (page == npages)
			continue; /* complete already (KVM: "all sub-pages already processed") */
		if (op == OP_PSMASH || op == OP_UNSMASH) {
			if (host->smash == SMASH_REFUSE) {
				info2 = PSC_ERR_INVALID_ENTRY;
				break;
			}
			/* SMASH_SKIP: KVM completes the operations it does not support */
			rc = host->smash == SMASH_DO ? psc_one(gpa, op, is_2m) : 0;
		} else {
			last = npages;
			if (cfg.fault[FAULT_PSC_PAGE_PARTIAL] && is_2m &&
			    last - page > cfg.psc_page_partial)
				last = page + (unsigned int)cfg.psc_page_partial;
			rc = psc_pages(gpa, op, is_2m, page, last);
			if (!rc && last < npages) {
				/* the fault: part of the entry done, the rest for the re-issue */
				F64(d, 8 + cur * 8) = (e & ~PSC_CUR_PAGE) | last;
				break;
			}
		}
		if (rc) {
			info2 = rc == -2 ? PSC_ERR_INVALID_ENTRY : PSC_ERR_GENERIC;
			break;
		}
		F64(d, 8 + cur * 8) = (e & ~PSC_CUR_PAGE) | npages;
		done++;
	}
	psc_shootdown(v);
	if (cfg.fault[FAULT_PSC_BACKWARDS] && cur > 0)
		cur = 0;
	F16(d, 0) = cur;
	return info2;
}

/* MSR protocol 0x014: one 4 KiB page, op 1 or 2. 0 or -1. */
int psc_msr(struct vcpu *v, u64 gpa, unsigned int op)
{
	int rc = (op == OP_PRIVATE || op == OP_SHARED) ? psc_one(gpa, op, false) : -2;

	psc_shootdown(v);
	return rc ? -1 : 0;
}
