/*
 * GHCB calls of the conformance payload (facts §1-§3). The GHCB is a shared page: the host
 * writes it, so every field is read once through a volatile access.
 */
#include "ghcb.h"
#include "insn.h"

/* PSC statistics for the "# psc:" line (VMPL0 only). */
unsigned int psc_descriptors, psc_calls;

#define G64(c, off) (*(volatile u64 *)((c)->ghcb + (off)))
#define G32(c, off) (*(volatile u32 *)((c)->ghcb + (off)))
#define G16(c, off) (*(volatile u16 *)((c)->ghcb + (off)))
#define G8(c, off) (*(volatile u8 *)((c)->ghcb + (off)))

u64 msr_protocol(u64 req)
{
	/* Interrupts stay off for the whole payload, so nothing can reuse the MSR (facts §1). */
	wrmsr(MSR_GHCB, req);
	vmgexit();
	return rdmsr(MSR_GHCB);
}

void ghcb_clear(struct cpu *c)
{
	G64(c, GHCB_EXIT_CODE) = 0;
	G64(c, GHCB_BITMAP) = 0;
	G64(c, GHCB_BITMAP + 8) = 0;
}

void ghcb_set(struct cpu *c, unsigned int off, u64 v)
{
	unsigned int bit = off / 8;

	G64(c, off) = v;
	G8(c, GHCB_BITMAP + bit / 8) |= (u8)(1U << (bit % 8));
}

bool ghcb_get(struct cpu *c, unsigned int off, u64 *v)
{
	unsigned int bit = off / 8;

	*v = G64(c, off);
	return G8(c, GHCB_BITMAP + bit / 8) & (1U << (bit % 8));
}

struct nae ghcb_result(struct cpu *c)
{
	struct nae r;

	r.info1_valid = ghcb_get(c, GHCB_EXIT_INFO1, &r.info1);
	r.info2_valid = ghcb_get(c, GHCB_EXIT_INFO2, &r.info2);
	return r;
}

struct nae ghcb_vmgexit(struct cpu *c, u32 usage)
{
	return ghcb_vmgexit_version(c, GHCB_PROTOCOL, usage);
}

struct nae ghcb_vmgexit_version(struct cpu *c, u16 version, u32 usage)
{
	G16(c, GHCB_VERSION) = version;
	G32(c, GHCB_USAGE) = usage;
	/* An MSR-protocol call may have left a request in the MSR: always set the GPA. */
	wrmsr(MSR_GHCB, c->ghcb_gpa);
	vmgexit();
	return ghcb_result(c);
}

void ghcb_prepare(struct cpu *c, u64 code, u64 info1, u64 info2)
{
	ghcb_set(c, GHCB_EXIT_CODE, code);
	ghcb_set(c, GHCB_EXIT_INFO1, info1);
	ghcb_set(c, GHCB_EXIT_INFO2, info2);
	G16(c, GHCB_VERSION) = GHCB_PROTOCOL;
	G32(c, GHCB_USAGE) = 0;
}

struct nae ghcb_call(struct cpu *c, u64 code, u64 info1, u64 info2)
{
	ghcb_prepare(c, code, info1, info2);
	return ghcb_vmgexit(c, 0);
}

struct nae psc_call(struct cpu *c)
{
	ghcb_clear(c);
	ghcb_set(c, GHCB_SCRATCH, c->ghcb_gpa + GHCB_BUFFER);
	psc_calls++;
	return ghcb_call(c, NAE_PSC, 0, 0);
}

/* Progress of a PSC descriptor: cur_entry, then cur_page of that entry (facts §3). */
static u64 psc_position(volatile struct psc_desc *d, unsigned int n)
{
	u16 cur = d->cur_entry;
	u64 page = cur < n ? (d->entry[cur] & 0xfff) : 0;

	return ((u64)cur << 12) | page;
}

bool psc_run(struct cpu *c, const u64 *entries, unsigned int n, struct psc_result *r)
{
	volatile struct psc_desc *d = (volatile struct psc_desc *)(c->ghcb + GHCB_BUFFER);
	unsigned int i;

	memset(r, 0, sizeof(*r));
	if (n == 0 || n > PSC_MAX_ENTRIES)
		return false;
	d->cur_entry = 0;
	d->end_entry = (u16)(n - 1);
	d->reserved = 0;
	for (i = 0; i < n; i++)
		d->entry[i] = entries[i];
	psc_descriptors++;

	/* Re-issue while cur_entry <= end_entry: exit_info_2 = 0 only means "no error". */
	for (;;) {
		u64 before = psc_position(d, n);

		r->last = psc_call(c);
		r->calls++;
		r->cur_entry = d->cur_entry;
		r->end_entry = d->end_entry;
		if (!r->last.info1_valid || !r->last.info2_valid)
			r->outputs_invalid = true;
		if (r->end_entry != n - 1) {
			r->moved_end = true;
			break;
		}
		if (r->last.info1 != 0 || r->last.info2 != 0)
			break;
		if (r->cur_entry > n) {
			r->overrun = true;
			break;
		}
		if (r->cur_entry == n)
			break;
		if (psc_position(d, n) <= before) {
			r->no_progress = true;
			break;
		}
	}
	for (i = 0; i < n; i++)
		if ((d->entry[i] & ~0xfffULL) != (entries[i] & ~0xfffULL))
			r->moved_entries = true;
	return !r->outputs_invalid && !r->moved_end && !r->overrun && !r->no_progress &&
	       !r->moved_entries && r->last.info1 == 0 && r->last.info2 == 0 && r->cur_entry == n;
}

bool psc_range(u64 gpa, unsigned int npages, unsigned int op, bool is_2m)
{
	u64 step = is_2m ? PAGE_2M_SIZE : PAGE_SIZE;
	u64 entries[PSC_MAX_ENTRIES];
	struct psc_result r;

	while (npages) {
		unsigned int n = MIN(npages, (unsigned int)PSC_MAX_ENTRIES), i;

		for (i = 0; i < n; i++)
			entries[i] = psc_entry(gpa + i * step, op, is_2m);
		if (!psc_run(this_cpu(), entries, n, &r))
			return false;
		gpa += n * step;
		npages -= n;
	}
	return true;
}
