/*
 * Statistics for --stats (design 4.3): one JSON object, written to the debug console port at
 * exit; the runner copies it to the file. "boot" repeats the counters as they were when the
 * first VMPL1 instruction ran (or at exit if VMPL1 never ran).
 */
#include "l1.h"
#include "guestdev.h"

struct stats st, st_boot;

#define MAX_CALLS 4096
static struct {
	u64 rax, result, insns;
	u32 rescinds, revokes, invlpgb, tlbsync;
	u32 pval_4k, pval_2m, validated;
	bool stale;
} calls[MAX_CALLS];
static u64 nr_calls;

static void bump(u64 *codes, u64 *counts, int *n, int max, u64 code)
{
	for (int i = 0; i < *n; i++) {
		if (codes[i] == code) {
			counts[i]++;
			return;
		}
	}
	if (*n < max) {
		codes[*n] = code;
		counts[(*n)++] = 1;
	}
}

void stats_vmgexit(u64 code)
{
	bump(st.vmgexit_code, st.vmgexit_count, &st.nr_vmgexit, 64, code);
}

/*
 * A PVALIDATE executed (rc: its result; @validated: it made a page or 2 MiB range valid that
 * was not). Per call too, so a benchmark can tell the entries of each call and what they did.
 */
void stats_pvalidate(struct vcpu *v, int rc, bool is_2m, bool validated)
{
	if (rc) {
		st.pval_failed++;
		return;
	}
	if (is_2m)
		st.pval_2m++;
	else
		st.pval_4k++;
	if (!v->in_call)
		return;
	if (is_2m)
		v->call_pval_2m++;
	else
		v->call_pval_4k++;
	if (validated)
		v->call_validated += is_2m ? PAGES_PER_2M : 1;
}

void stats_msr(u64 code)
{
	bump(st.msr_code, st.msr_count, &st.nr_msr, 32, code);
}

/*
 * TLB flushes after access was taken away. On SNP hardware RMPADJUST and PVALIDATE do not
 * touch the TLBs: a translation another vCPU cached before them stays usable until a flush, so
 * software that takes access away must follow with INVLPGB (every address) and TLBSYNC.
 * snpemu cannot show a missing flush in the guest's behaviour (every world switch flushes
 * QEMU's TLB), so it keeps the books instead: per call, whether the SVSM ended it with
 * access taken away since its last complete flush.
 */
enum flush_state {
	FLUSH_CLEAN,	    /* nothing taken away since the last INVLPGB + TLBSYNC */
	FLUSH_NEED_INVLPGB, /* access taken away: no INVLPGB of every address since */
	FLUSH_NEED_TLBSYNC, /* INVLPGB issued, TLBSYNC not yet */
};

void stats_invlpgb(struct vcpu *v, bool all)
{
	st.invlpgb++;
	if (!v->in_call)
		return;
	v->call_invlpgb++;
	if (all && v->call_flush == FLUSH_NEED_INVLPGB)
		v->call_flush = FLUSH_NEED_TLBSYNC;
}

void stats_tlbsync(struct vcpu *v)
{
	st.tlbsync++;
	if (!v->in_call)
		return;
	v->call_tlbsync++;
	if (v->call_flush == FLUSH_NEED_TLBSYNC)
		v->call_flush = FLUSH_CLEAN;
}

void stats_access_taken(struct vcpu *v, bool rescind)
{
	if (!v->in_call)
		return;
	if (rescind)
		v->call_rescinds++;
	else
		v->call_revokes++;
	v->call_flush = FLUSH_NEED_INVLPGB;
}

bool stats_call_stale(const struct vcpu *v)
{
	return v->in_call && v->call_flush != FLUSH_CLEAN;
}

void stats_call_begin(struct vcpu *v, u64 rax)
{
	v->in_call = true;
	v->call_rax = rax;
	v->call_insns = 0;
	v->call_rescinds = v->call_revokes = v->call_invlpgb = v->call_tlbsync = 0;
	v->call_pval_4k = v->call_pval_2m = v->call_validated = 0;
	v->call_flush = FLUSH_CLEAN;
}

void stats_call_end(struct vcpu *v)
{
	bool stale;

	if (!v->in_call)
		return;
	v->in_call = false;
	stale = v->call_flush != FLUSH_CLEAN;
	if (v->call_rescinds || v->call_revokes)
		st.calls_taking_access++;
	if (stale)
		st.calls_left_stale++;
	if (nr_calls < MAX_CALLS) {
		calls[nr_calls].rax = v->call_rax;
		/* the caller's RAX as it resumes: the SVSM's result (a call still open at exit:
		 * whatever its VMSA holds) */
		calls[nr_calls].result = v->cur > 0 ? F64(v->vmcb + VMCB_SAVE, VMSA_RAX) : ~0ULL;
		calls[nr_calls].insns = v->call_insns;
		calls[nr_calls].rescinds = v->call_rescinds;
		calls[nr_calls].revokes = v->call_revokes;
		calls[nr_calls].invlpgb = v->call_invlpgb;
		calls[nr_calls].tlbsync = v->call_tlbsync;
		calls[nr_calls].pval_4k = v->call_pval_4k;
		calls[nr_calls].pval_2m = v->call_pval_2m;
		calls[nr_calls].validated = v->call_validated;
		calls[nr_calls].stale = stale;
	}
	nr_calls++;
}

void stats_vmpl1_first(void)
{
	st.vmpl1_started = true;
	st.boot_vmpl0 = st.insns[0];
	st_boot = st;
}

static void write_counters(const struct stats *s)
{
	stats_puts("\"vmgexit\": {");
	for (int i = 0; i < s->nr_vmgexit; i++)
		stats_printf("%s\"0x%lx\": %lu", i ? ", " : "", s->vmgexit_code[i],
			     s->vmgexit_count[i]);
	stats_puts("}, \"msr_protocol\": {");
	for (int i = 0; i < s->nr_msr; i++)
		stats_printf("%s\"0x%03lx\": %lu", i ? ", " : "", s->msr_code[i], s->msr_count[i]);
	stats_printf("}, \"psc_pages\": {\"private_4k\": %lu, \"private_2m\": %lu, \"shared_4k\": "
		     "%lu, \"shared_2m\": %lu}",
		     s->psc_private_4k, s->psc_private_2m, s->psc_shared_4k, s->psc_shared_2m);
	stats_printf(", \"pvalidate\": {\"4k\": %lu, \"2m\": %lu, \"failed\": %lu}", s->pval_4k,
		     s->pval_2m, s->pval_failed);
	stats_printf(", \"rmpadjust\": {\"4k\": %lu, \"2m\": %lu, \"failed\": %lu}", s->radj_4k,
		     s->radj_2m, s->radj_failed);
	stats_printf(", \"host_psmash\": %lu", s->host_psmash);
	/* the eviction books (evict.c): a page not evicted by now is missed */
	if (!cfg.evict_check) {
		stats_puts(", \"evict\": null");
		return;
	}
	stats_puts(", \"evict\": {");
	for (int i = 0; i < 2; i++)
		stats_printf("%s\"%s\": {\"validated\": %lu, \"evicted\": %lu, \"missed\": %lu}",
			     i ? ", " : "", i ? "guest" : "svsm", s->ev_validated[i],
			     s->ev_evicted[i], s->ev_validated[i] - s->ev_evicted[i]);
	stats_puts("}");
}

void stats_write(void)
{
	const struct stats *b = st.vmpl1_started ? &st_boot : &st;

	/* a call still being served when the machine stops is counted up to here */
	for (int i = 0; i < MAX_CPUS; i++)
		stats_call_end(&vcpus[i]);

	stats_puts("{");
	write_counters(&st);
	stats_printf(", \"vmpl_switches\": %lu", st.vmpl_switches);
	stats_printf(", \"instructions\": {\"vmpl0\": %lu, \"vmpl1\": %lu, \"boot_vmpl0\": %lu, "
		     "\"vmpl2\": %lu, \"vmpl3\": %lu}",
		     st.insns[0], st.insns[1], st.vmpl1_started ? st.boot_vmpl0 : st.insns[0],
		     st.insns[2], st.insns[3]);
	stats_puts(", \"calls\": [");
	for (u64 i = 0; i < nr_calls && i < MAX_CALLS; i++)
		stats_printf("%s{\"rax\": \"0x%lx\", \"result\": \"0x%lx\", "
			     "\"vmpl0_instructions\": %lu, \"rescinds\": %u, \"revokes\": %u, "
			     "\"invlpgb\": %u, \"tlbsync\": %u, \"pvalidate_4k\": %u, "
			     "\"pvalidate_2m\": %u, \"validated_pages\": %u, \"stale\": %s}",
			     i ? ", " : "", calls[i].rax, calls[i].result, calls[i].insns,
			     calls[i].rescinds, calls[i].revokes, calls[i].invlpgb,
			     calls[i].tlbsync, calls[i].pval_4k, calls[i].pval_2m,
			     calls[i].validated, calls[i].stale ? "true" : "false");
	stats_printf("], \"calls_total\": %lu", nr_calls);
	stats_printf(", \"tlb\": {\"invlpgb\": %lu, \"tlbsync\": %lu, \"calls_taking_access\": "
		     "%lu, "
		     "\"calls_left_stale\": %lu}",
		     st.invlpgb, st.tlbsync, st.calls_taking_access, st.calls_left_stale);
	if (st.term)
		stats_printf(", \"termination\": {\"set\": %d, \"code\": %d, \"vmpl\": %d}",
			     st.term_set, st.term_code, st.term_vmpl);
	else
		stats_puts(", \"termination\": null");
	stats_printf(", \"exits\": %lu, \"vcpus\": %d, \"host\": \"%s\"", st.exits, cfg.smp,
		     host->name);
	/* the guest RAM ranges, as the guest's etc/e820 lists them */
	stats_printf(", \"guest_ram\": [[\"0x%lx\", \"0x%lx\"]", regions[REG_RAM].gpa,
		     regions[REG_RAM].gpa + regions[REG_RAM].size);
	if (regions[REG_RAM_HIGH].size)
		stats_printf(", [\"0x%lx\", \"0x%lx\"]", regions[REG_RAM_HIGH].gpa,
			     regions[REG_RAM_HIGH].gpa + regions[REG_RAM_HIGH].size);
	stats_puts("]");
	stats_puts(", \"vcpu_vmpl0_instructions\": [");
	for (int i = 0; i < cfg.smp; i++)
		stats_printf("%s%lu", i ? ", " : "", vcpus[i].insns[0]);
	stats_puts("]");
	vlapic_stats();
	stats_puts(", \"boot\": {");
	write_counters(b);
	stats_puts("}}\n");
}
