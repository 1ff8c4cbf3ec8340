/*
 * The test firmware's side of snpemu's test instrument (tools/snpemu/include/snpemu/
 * instrument.h): RMP entries read through I/O ports the emulated host answers.
 *
 * Test equipment only, never part of what an SNP guest does: a real host has no such ports
 * and a guest must not believe a host about the RMP. The firmware uses it to check what the
 * SVSM did to the RMP, which VMPL1 cannot see for itself (it cannot tell VMPL2's or VMPL3's
 * permissions, and a rescinded page looks the same whatever permissions it kept).
 */
#ifndef CSVSM_GUEST_INSTRUMENT_H
#define CSVSM_GUEST_INSTRUMENT_H

#include "lib/types.h"
#include "snpemu/instrument.h"

/* Does the host answer the instrument (snpemu)? */
bool ti_present(void);

/* The RMP word (SNPEMU_RMPQ_*) of the page at gpa; of n consecutive pages into words[]. */
u32 ti_rmp(u64 gpa);
void ti_rmp_range(u64 gpa, u32 *words, u32 n);

/*
 * The word a page in the given state reads: flags of SNPEMU_RMPQ_ASSIGNED, _VALIDATED and
 * _VMSA, permission masks of VMPL1-3. ti_rmp_is() compares everything but the 2 MiB bit
 * (the host's choice of RMP page size).
 */
u32 ti_rmp_want(u32 flags, u32 vmpl1, u32 vmpl2, u32 vmpl3);
bool ti_rmp_is(u32 word, u32 want);

/*
 * The read watch: arm it on the page at gpa (private and validated; false if snpemu
 * refused), disarm it, and read what it counted: the SVSM's reads and writes of the page, the
 * most reads of any one 8-byte word, and the reads made while the guest could still write the
 * page (SNPEMU_TI_WATCH_WRITABLE).
 */
struct ti_watch_counts {
	u32 reads, max_word_reads, writes;
	u32 reads_writable; /* reads while the guest could still write the page */
};
bool ti_watch_arm(u64 gpa);
void ti_watch_disarm(struct ti_watch_counts *c);

/* "assigned validated VMSA, VMPL1-3 r---/----/----" into buf (r, w, u(ser-)/s(upervisor-)
 * execute per VMPL). */
const char *ti_rmp_str(u32 word, char *buf, size_t size);

#endif
