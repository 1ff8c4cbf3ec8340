/* SPDX-License-Identifier: MIT */
/*
 * Page state change through the GHCB NAE 0x80000010 (GHCB spec #56421, NAE "Page State Change").
 *
 * psc_build() batches a range into descriptor entries (2 MiB entries where the GPA is 2 MiB
 * aligned and 2 MiB remain, 4 KiB otherwise, at most PSC_MAX_ENTRIES). psc_change_range()
 * runs the whole exchange: it re-issues the request while the hypervisor reports
 * cur_entry <= end_entry, and checks each reported header against the one it sent. The
 * SVSM keeps its own copy of the entries: the hypervisor can rewrite the shared buffer, so
 * only the header is read back. Success here only means the host *claims* the change; the
 * PVALIDATE that follows is what proves it.
 */
#ifndef CSVSM_SEV_PSC_H
#define CSVSM_SEV_PSC_H

#include "lib/types.h"
#include "sev/ghcb.h"

#define PSC_MAX_ENTRIES 253 /* (2032 - 8) / 8 */
/*
 * Linux guests never send more than 64 entries (VMGEXIT_PSC_MAX_ENTRY), and hosts built on the
 * SNP host patches before upstream KVM refuse a larger descriptor with an invalid header: the
 * first such refusal makes every later descriptor at most this long.
 */
#define PSC_COMPAT_ENTRIES 64
/*
 * Re-issues in a row in which the host moved neither cur_entry nor the current entry's cur_page
 * before the SVSM gives up (-EPROTO). A host may progress by one page of a 2 MiB entry per
 * exit, so the exit budget must allow one exit per page; this bounds a host that stalls.
 */
#define PSC_MAX_STALLS 8
/* The host's PSC errors in exit_info_2 (GHCB spec #56421, NAE "Page State Change"). */
#define PSC_HOST_ERR_INVALID_HDR ((1ULL << 32) | 1)

struct psc_hdr {
	u16 cur_entry;
	u16 end_entry; /* inclusive */
	u32 reserved;
} __packed;

struct psc_desc {
	struct psc_hdr hdr;
	u64 entries[PSC_MAX_ENTRIES];
} __packed;

_Static_assert(sizeof(struct psc_desc) <= GHCB_SHARED_BUFFER_SIZE, "PSC fits the buffer");

/* Entry fields: [11:0] cur_page, [51:12] GFN, [55:52] op, [56] 2 MiB. */
#define PSC_ENTRY_CUR_PAGE GENMASK_ULL(11, 0)
#define PSC_ENTRY_GFN_MASK GENMASK_ULL(51, 12)
#define PSC_ENTRY_OP_SHIFT 52
#define PSC_ENTRY_2M BIT_ULL(56)

static inline u64 psc_entry(u64 gpa, unsigned int op, bool is_2m)
{
	return (gpa & PSC_ENTRY_GFN_MASK) | ((u64)(op & 0xf) << PSC_ENTRY_OP_SHIFT) |
	       (is_2m ? PSC_ENTRY_2M : 0);
}

/*
 * Fill @d with entries for [*gpa, end) (page aligned, *gpa < end) using operation @op
 * (PSC_OP_PRIVATE or PSC_OP_SHARED); 2 MiB entries only if @allow_2m. Advances *gpa past
 * what was added. Returns the number of entries (1..psc_max_entries()) or -EINVAL.
 */
int psc_build(struct psc_desc *d, u64 *gpa, u64 end, unsigned int op, bool allow_2m);

/* The longest descriptor psc_build makes: PSC_MAX_ENTRIES, or PSC_COMPAT_ENTRIES once a host
 * refused a longer one. */
unsigned int psc_max_entries(void);
/* Back to PSC_MAX_ENTRIES (for the unit tests: the SVSM never goes back). */
void psc_reset_max_entries(void);

/*
 * Check the header the hypervisor returned (@now) against the previous one (@before):
 * end_entry unchanged, cur_entry not moved backwards and at most end_entry + 1, reserved 0.
 * 0 if consistent, -EPROTO otherwise.
 */
int psc_check_progress(const struct psc_hdr *before, const struct psc_hdr *now);

/*
 * Take the host's cur_page (@page, entry bits 11:0) of the entry the returned header names
 * (d->hdr.cur_entry, already checked by psc_check_progress against @before, when it was at
 * @page_before): the host may do part of a 2 MiB entry and leave the rest for the re-issue
 * (KVM's snp_begin_psc reads cur_page and converts only the remaining pages). It must not
 * exceed the entry's page count (1 or 512), nor go back while cur_entry stays. 0 (and the
 * value is kept in our copy, to be sent with the re-issue) or -EPROTO.
 */
int psc_take_cur_page(struct psc_desc *d, const struct psc_hdr *before, u16 page_before, u16 page);

/*
 * Hypervisor transport (link-time seam; src/sev/ghcb_nae.c on the SVSM, a fake in the unit
 * tests): copy @d into the GHCB shared buffer, issue NAE 0x80000010, copy the returned
 * header back into d->hdr and set *cur_page to bits 11:0 of the shared buffer's entry at the
 * returned cur_entry (0 when that is beyond end_entry); nothing else comes back. 0 if the
 * host reported no error, -EIO (with *host_err = exit_info_2) if it did, -EPROTO for a
 * malformed response.
 */
int psc_issue(struct psc_desc *d, u64 *host_err, u16 *cur_page);

/*
 * Run a descriptor the caller filled (e.g. a PSMASH entry) to completion: issue it while the
 * host reports cur_entry <= end_entry, checking every answer with psc_check_progress, and
 * spend at most @max_issues exits. 0, -EIO (host error), -EPROTO (progress rules broken or
 * budget spent), -EINVAL for a header that is not a fresh request. *issues (may be NULL)
 * receives the exits used.
 */
int psc_run_desc(struct psc_desc *d, unsigned int max_issues, unsigned int *issues);

/*
 * Change [start, end) to @op, batching as psc_build() and looping until every entry is
 * done. At most @max_issues NAE exits are spent, and at most PSC_MAX_STALLS + 1 in a row
 * without progress (a host that makes no progress cannot hold the SVSM forever; a host may
 * progress by one page of a 2 MiB entry per exit): -EPROTO if the host breaks the progress
 * rules or stalls, -EIO if it reports an error. A descriptor of more
 * than PSC_COMPAT_ENTRIES the host refuses with an invalid header, before doing anything, is
 * built again with at most PSC_COMPAT_ENTRIES (and so is every later one). *issues (may be
 * NULL) receives the number of NAE exits used.
 */
int psc_change_range(u64 start, u64 end, unsigned int op, bool allow_2m, unsigned int max_issues,
		     unsigned int *issues);

#endif
