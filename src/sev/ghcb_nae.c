// SPDX-License-Identifier: MIT
/*
 * NAE calls through this vCPU's GHCB (include/sev/ghcb_nae.h), and the psc_issue() seam of
 * sev/psc.h. Everything read back from the GHCB is hypervisor input: each output is read
 * once, after its valid bit is checked.
 */
#include "sev/ghcb_nae.h"
#include "arch/insn.h"
#include "arch/percpu.h"
#include "lib/string.h"
#include "sev/psc.h"
#include "sev/terminate.h"

bool ghcb_usable(void)
{
	struct percpu *p = this_cpu();

	return p->ghcb && p->ghcb_registered;
}

struct ghcb *ghcb_begin(void)
{
	struct percpu *p = this_cpu();

	/* No registered GHCB (a #VC before step 3, or on an AP before or after a failed
	 * registration): nothing to report through either. */
	if (!ghcb_usable())
		svsm_terminate(SVSM_TERM_SET_CSVSM, TERM_UNHANDLED_VC);
	switch (p->ghcb_depth) {
	case 0:
		break;
	case 1:
		/* A #VC interrupted a GHCB user: keep its state to give back in ghcb_end. */
		memcpy(p->ghcb_backup, p->ghcb, sizeof(*p->ghcb));
		break;
	default:
		svsm_terminate(SVSM_TERM_SET_CSVSM, TERM_UNHANDLED_VC);
	}
	p->ghcb_depth++;
	ghcb_reset(p->ghcb);
	return p->ghcb;
}

void ghcb_end(struct ghcb *g)
{
	struct percpu *p = this_cpu();

	if (p->ghcb_depth == 2)
		memcpy(g, p->ghcb_backup, sizeof(*g));
	p->ghcb_depth--;
}

u64 ghcb_buffer_gpa(void)
{
	return this_cpu()->ghcb_gpa + GHCB_OFF_SHARED_BUFFER;
}

int ghcb_nae(struct ghcb *g, u64 exit_code, u64 info1, u64 info2, u64 *host_err)
{
	u64 err;
	int rc;

	ghcb_set(g, GHCB_OFF_SW_EXIT_CODE, exit_code);
	ghcb_set(g, GHCB_OFF_SW_EXIT_INFO_1, info1);
	ghcb_set(g, GHCB_OFF_SW_EXIT_INFO_2, info2);
	wrmsr(MSR_GHCB, this_cpu()->ghcb_gpa);
	vmgexit();
	rc = ghcb_result(g, &err);
	if (rc == -EPROTO)
		fatal(TERM_BAD_HV_RESPONSE, "malformed GHCB response to NAE %#llx",
		      (unsigned long long)exit_code);
	if (host_err)
		*host_err = err;
	return rc;
}

/* An output register the hypervisor must have written: malformed if it did not. */
static u64 ghcb_output(const struct ghcb *g, unsigned int off, u64 exit_code)
{
	u64 v;

	if (ghcb_get(g, off, &v))
		fatal(TERM_BAD_HV_RESPONSE, "NAE %#llx: output at GHCB offset %#x not valid",
		      (unsigned long long)exit_code, off);
	return v;
}

static bool io_size_ok(unsigned int size)
{
	return size == 1 || size == 2 || size == 4;
}

int ghcb_io_out(u16 port, unsigned int size, u32 val)
{
	struct ghcb *g;
	int rc;

	if (!io_size_ok(size))
		return -EINVAL;
	g = ghcb_begin();
	ghcb_set(g, GHCB_OFF_RAX, val);
	rc = ghcb_nae(g, SVM_EXIT_IOIO, ioio_exit_info1(port, size, false, false, false), 0, NULL);
	ghcb_end(g);
	return rc;
}

int ghcb_io_in(u16 port, unsigned int size, u32 *val)
{
	u32 mask = size == 4 ? 0xffffffffU : (1U << (size * 8)) - 1;
	struct ghcb *g;
	int rc;

	if (!io_size_ok(size))
		return -EINVAL;
	g = ghcb_begin();
	rc = ghcb_nae(g, SVM_EXIT_IOIO, ioio_exit_info1(port, size, true, false, false), 0, NULL);
	if (!rc)
		*val = (u32)ghcb_output(g, GHCB_OFF_RAX, SVM_EXIT_IOIO) & mask;
	ghcb_end(g);
	return rc;
}

/* One rep-string exit of @n elements, the data in the shared buffer. */
static int io_string_chunk(u16 port, unsigned int size, bool in, u8 *buf, size_t n)
{
	struct ghcb *g = ghcb_begin();
	size_t bytes = n * size;
	int rc;

	if (!in)
		memcpy(g->shared_buffer, buf, bytes);
	ghcb_set(g, GHCB_OFF_SW_SCRATCH, ghcb_buffer_gpa());
	rc = ghcb_nae(g, SVM_EXIT_IOIO, ioio_exit_info1(port, size, in, true, true), n, NULL);
	if (!rc && in)
		memcpy(buf, g->shared_buffer, bytes);
	ghcb_end(g);
	return rc;
}

static int io_string(u16 port, unsigned int size, bool in, u8 *buf, size_t count)
{
	size_t per_exit = GHCB_SHARED_BUFFER_SIZE / size;
	size_t bytes;

	if (!io_size_ok(size) || check_mul_overflow(count, (size_t)size, &bytes))
		return -EINVAL;
	while (count) {
		size_t n = MIN(count, per_exit);
		int rc = io_string_chunk(port, size, in, buf, n);

		if (rc)
			return rc;
		buf += n * size;
		count -= n;
	}
	return 0;
}

int ghcb_io_outs(u16 port, unsigned int size, const void *buf, size_t count)
{
	/* Not written through: io_string only reads @buf for OUTS. */
	return io_string(port, size, false, (u8 *)(uintptr_t)buf, count);
}

int ghcb_io_ins(u16 port, unsigned int size, void *buf, size_t count)
{
	return io_string(port, size, true, buf, count);
}

int ghcb_msr_read(u32 msr, u64 *val)
{
	struct ghcb *g = ghcb_begin();
	int rc;

	ghcb_set(g, GHCB_OFF_RCX, msr);
	rc = ghcb_nae(g, SVM_EXIT_MSR, 0, 0, NULL);
	if (!rc) {
		u64 lo = ghcb_output(g, GHCB_OFF_RAX, SVM_EXIT_MSR);
		u64 hi = ghcb_output(g, GHCB_OFF_RDX, SVM_EXIT_MSR);

		*val = (hi << 32) | (u32)lo;
	}
	ghcb_end(g);
	return rc;
}

int ghcb_msr_write(u32 msr, u64 val)
{
	struct ghcb *g = ghcb_begin();
	int rc;

	ghcb_set(g, GHCB_OFF_RCX, msr);
	ghcb_set(g, GHCB_OFF_RAX, (u32)val);
	ghcb_set(g, GHCB_OFF_RDX, val >> 32);
	rc = ghcb_nae(g, SVM_EXIT_MSR, 1, 0, NULL);
	ghcb_end(g);
	return rc;
}

int ghcb_ap_create_vmpl(u32 apic_id, unsigned int vmpl, u64 vmsa_gpa, u64 sev_features,
			u64 *host_err)
{
	struct ghcb *g = ghcb_begin();
	int rc;

	ghcb_set(g, GHCB_OFF_RAX, sev_features);
	rc = ghcb_nae(g, SVM_VMGEXIT_AP_CREATION,
		      ghcb_ap_creation_info1(SVM_VMGEXIT_AP_CREATE, vmpl, apic_id), vmsa_gpa,
		      host_err);
	ghcb_end(g);
	return rc;
}

int ghcb_ap_create(u32 apic_id, u64 vmsa_gpa, u64 sev_features, u64 *host_err)
{
	return ghcb_ap_create_vmpl(apic_id, 0, vmsa_gpa, sev_features, host_err);
}

int ghcb_get_apic_ids(void *page, u64 page_gpa, u32 *ids, u32 max, u32 *count)
{
	const u32 capacity = (PAGE_SIZE - sizeof(u32)) / sizeof(u32);
	struct ghcb *g;
	u64 pages = 0;
	u32 n;
	int rc;

	/* 1: how many pages does the list need? */
	g = ghcb_begin();
	ghcb_set(g, GHCB_OFF_RAX, 0);
	rc = ghcb_nae(g, SVM_VMGEXIT_GET_APIC_IDS, 0, 0, NULL);
	if (!rc)
		pages = ghcb_output(g, GHCB_OFF_RAX, SVM_VMGEXIT_GET_APIC_IDS);
	ghcb_end(g);
	if (rc)
		return rc;
	if (pages != 1)
		return pages ? -E2BIG : -EPROTO;

	/* 2: the list itself, into the shared page: u32 count, then the IDs. */
	g = ghcb_begin();
	ghcb_set(g, GHCB_OFF_RAX, 1);
	rc = ghcb_nae(g, SVM_VMGEXIT_GET_APIC_IDS, page_gpa, 0, NULL);
	ghcb_end(g);
	if (rc)
		return rc;
	n = READ_ONCE(*(volatile u32 *)page);
	if (n == 0 || n > capacity || n > max)
		return -EPROTO;
	memcpy(ids, (u8 *)page + sizeof(u32), n * sizeof(u32));
	*count = n;
	return 0;
}

/* sev/psc.h seam: one PSC NAE with the descriptor in the shared buffer. */
int psc_issue(struct psc_desc *d, u64 *host_err, u16 *cur_page)
{
	size_t bytes = sizeof(d->hdr) + ((size_t)d->hdr.end_entry + 1) * sizeof(d->entries[0]);
	struct ghcb *g;
	u64 err = 0;
	int rc;

	*host_err = 0;
	if (d->hdr.end_entry >= PSC_MAX_ENTRIES)
		return -EINVAL;
	g = ghcb_begin();
	memcpy(g->shared_buffer, d, bytes);
	ghcb_set(g, GHCB_OFF_SW_SCRATCH, ghcb_buffer_gpa());
	rc = ghcb_nae(g, SVM_VMGEXIT_PSC, 0, 0, &err);
	/* exit_info_1 = 0 and exit_info_2 = 0 is "no error" (not "done"); non-zero
	 * exit_info_2 is the host's PSC error (GHCB spec #56421, NAE events). */
	if (!rc && ghcb_get(g, GHCB_OFF_SW_EXIT_INFO_2, &err))
		rc = -EPROTO;
	else if (!rc && err)
		rc = -EIO;
	/* Only the header and the cur_page of the entry it names come back: our own copy of the
	 * entries is the truth (psc.c checks both). */
	memcpy(&d->hdr, g->shared_buffer, sizeof(d->hdr));
	*cur_page = 0;
	if (d->hdr.cur_entry <= d->hdr.end_entry && d->hdr.end_entry < PSC_MAX_ENTRIES) {
		u64 e;

		memcpy(&e, g->shared_buffer + sizeof(d->hdr) + d->hdr.cur_entry * sizeof(e),
		       sizeof(e));
		*cur_page = (u16)(e & PSC_ENTRY_CUR_PAGE);
	}
	ghcb_end(g);
	*host_err = err;
	return rc;
}
