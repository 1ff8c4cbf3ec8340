/*
 * Options from the runner (scripts/snpemu), passed as the QEMU fw_cfg string
 * opt/snpemu/config: space-separated key=value words. Fault specs are design 4.3's plus
 * snpemu's own (tools/snpemu/README.md lists them all).
 */
#include "l1.h"

struct config cfg;

static int parse_u64(const char *s, const char *end, u64 *out)
{
	u64 v = 0;
	int base = 10;

	if (end - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (s >= end)
		return -1;
	for (; s < end; s++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return -1;
		if (v > (~0ULL - (u64)d) / (u64)base)
			return -1;
		v = v * (u64)base + (u64)d;
	}
	*out = v;
	return 0;
}

static bool word_is(const char *w, const char *end, const char *key)
{
	size_t n = strlen(key);

	return (size_t)(end - w) >= n && !strncmp(w, key, n);
}

__noreturn static void bad(const char *w, const char *end, const char *why)
{
	con_printf("snpemu: bad option '%.*s': %s\n", (int)(end - w), w, why);
	machine_exit(EXIT_RULE);
}

static void parse_fault(const char *w, const char *end)
{
	const char *eq = w;
	u64 a, b;

	while (eq < end && *eq != '=')
		eq++;
#define NAME(n) ((size_t)(eq - w) == strlen(n) && !strncmp(w, n, strlen(n)))
	if (NAME("ghcb-version")) {
		const char *colon = eq + 1;

		while (colon < end && *colon != ':')
			colon++;
		if (eq >= end || colon >= end || parse_u64(eq + 1, colon, &a) ||
		    parse_u64(colon + 1, end, &b) || a > b || a > 0xffff || b > 0xffff)
			bad(w, end, "want ghcb-version=MIN:MAX");
		cfg.fault[FAULT_GHCB_VERSION] = true;
		cfg.ghcb_min = a;
		cfg.ghcb_max = b;
		return;
	}
	if (NAME("psc-lie") && eq >= end) {
		cfg.fault[FAULT_PSC_LIE] = true;
		cfg.psc_lie_from = 1;
		return;
	}
	if (NAME("ap-create-fail")) {
		cfg.fault[FAULT_AP_CREATE_FAIL] = true;
		return;
	}
	if (NAME("psc-backwards")) {
		cfg.fault[FAULT_PSC_BACKWARDS] = true;
		return;
	}
	if (NAME("vmpl-run-fail")) {
		cfg.fault[FAULT_VMPL_RUN_FAIL] = true;
		return;
	}
	if (NAME("register-ghcb-gfn")) {
		/* GFN or GFN@N: lie about every registration, or only about the Nth. */
		const char *at = eq + 1;

		while (at < end && *at != '@')
			at++;
		if (eq >= end || parse_u64(eq + 1, at, &a) ||
		    (at < end && (parse_u64(at + 1, end, &b) || !b)))
			bad(w, end, "want register-ghcb-gfn=GFN or GFN@N (N counts from 1)");
		cfg.fault[FAULT_REGISTER_GFN] = true;
		cfg.register_gfn = a & ((1ULL << 52) - 1);
		cfg.register_at = at < end ? b : 0;
		return;
	}
	if (NAME("prevalidated")) {
		/* N or N:K: the 2 MiB page N of SVSM memory, or only its 4 KiB page K (launch.c
		 * checks that it lies in SVSM memory outside the launch pages). */
		const char *colon = eq + 1;

		while (colon < end && *colon != ':')
			colon++;
		if (eq >= end || parse_u64(eq + 1, colon, &a) ||
		    (colon < end && (parse_u64(colon + 1, end, &b) || b >= 512)))
			bad(w, end, "want prevalidated=N or N:K (K 0..511)");
		cfg.fault[FAULT_PREVALIDATED] = true;
		cfg.prevalidated_2m = a;
		cfg.prevalidated_4k = colon < end ? (int)b : -1;
		return;
	}
	if (eq >= end || parse_u64(eq + 1, end, &a))
		bad(w, end, "unknown fault or missing/invalid value");
	if (NAME("psc-lie")) {
		if (!a)
			bad(w, end, "N counts from 1");
		cfg.fault[FAULT_PSC_LIE] = true;
		cfg.psc_lie_from = a;
	} else if (NAME("hv-features")) {
		cfg.fault[FAULT_HV_FEATURES] = true;
		cfg.hv_features = a & ((1ULL << 52) - 1);
	} else if (NAME("psc-fail-at")) {
		if (!a)
			bad(w, end, "N counts from 1");
		cfg.fault[FAULT_PSC_FAIL_AT] = true;
		cfg.psc_fail_at = a;
	} else if (NAME("cbit")) {
		if (a > 63)
			bad(w, end, "C-bit position 0..63");
		cfg.fault[FAULT_CBIT] = true;
		cfg.cbit_report = a;
	} else if (NAME("cpuid-page-cbit")) {
		if (a > 63)
			bad(w, end, "C-bit position 0..63");
		cfg.fault[FAULT_CPUID_PAGE_CBIT] = true;
		cfg.cpuid_page_cbit = a;
	} else if (NAME("cpuid-page-count")) {
		if (a > 0xffffffffULL)
			bad(w, end, "a u32");
		cfg.fault[FAULT_CPUID_PAGE_COUNT] = true;
		cfg.cpuid_page_count = a;
	} else if (NAME("sev-status")) {
		cfg.fault[FAULT_SEV_STATUS] = true;
		cfg.sev_status = a;
	} else if (NAME("inject-vc")) {
		if (!a)
			bad(w, end, "N counts from 1");
		cfg.fault[FAULT_INJECT_VC] = true;
		cfg.inject_vc_at = a;
	} else if (NAME("launch-vmpl")) {
		if (a < 1 || a >= NR_VMPLS)
			bad(w, end, "VMPL 1..3");
		cfg.fault[FAULT_LAUNCH_VMPL] = true;
		cfg.launch_vmpl = a;
	} else if (NAME("unvalidate")) {
		if (!a)
			bad(w, end, "N counts from 1");
		cfg.fault[FAULT_UNVALIDATE] = true;
		cfg.unvalidate_at = a;
	} else if (NAME("launch-unvalidated")) {
		if (!IS_ALIGNED(a, PAGE_SIZE))
			bad(w, end, "want the GPA of a page");
		cfg.fault[FAULT_LAUNCH_UNVALIDATED] = true;
		cfg.launch_unvalidated = a;
	} else if (NAME("greq-fail")) {
		if (!a)
			bad(w, end, "N counts from 1");
		cfg.fault[FAULT_GREQ_FAIL] = true;
		cfg.greq_fail_at = a;
	} else if (NAME("greq-tamper")) {
		if (!a)
			bad(w, end, "N counts from 1");
		cfg.fault[FAULT_GREQ_TAMPER] = true;
		cfg.greq_tamper_at = a;
	} else if (NAME("greq-replay")) {
		if (a < 2)
			bad(w, end, "N counts from 1 and needs a response before it (N >= 2)");
		cfg.fault[FAULT_GREQ_REPLAY] = true;
		cfg.greq_replay_at = a;
	} else if (NAME("greq-cert-len")) {
		if (a > 0xffffffff)
			bad(w, end, "a u32 length");
		cfg.fault[FAULT_GREQ_CERT_LEN] = true;
		cfg.greq_cert_len = a;
	} else if (NAME("psc-page-partial")) {
		if (!a || a >= PAGES_PER_2M)
			bad(w, end, "N 1..511 pages");
		cfg.fault[FAULT_PSC_PAGE_PARTIAL] = true;
		cfg.psc_page_partial = a;
	} else if (NAME("psc-partial")) {
		if (!a)
			bad(w, end, "N >= 1");
		cfg.fault[FAULT_PSC_PARTIAL] = true;
		cfg.psc_partial = a;
	} else {
		bad(w, end, "unknown fault");
	}
#undef NAME
}

void config_load(void)
{
	static char buf[4096];
	u32 size;
	u16 sel;
	const char *p, *end;

	cfg.smp = 1;
	cfg.mem = 512ULL << 20;
	cfg.preempt = 10000;
	if (qfw_find("opt/snpemu/config", &size, &sel))
		panic("no opt/snpemu/config in QEMU fw_cfg (start snpemu through scripts/snpemu)");
	if (size >= sizeof(buf))
		panic("opt/snpemu/config too long");
	qfw_read(sel, 0, buf, size);
	buf[size] = 0;
	p = buf;
	end = buf + size;
	while (p < end) {
		const char *w, *we, *v;
		u64 val;

		while (p < end && (*p == ' ' || *p == '\n'))
			p++;
		if (p >= end || !*p)
			break;
		w = p;
		while (p < end && *p != ' ' && *p != '\n' && *p)
			p++;
		we = p;
		v = w;
		while (v < we && *v != '=')
			v++;
		if (v >= we)
			bad(w, we, "want key=value");
		v++;
		if (word_is(w, we, "fault=")) {
			parse_fault(v, we);
			continue;
		}
		if (parse_u64(v, we, &val))
			bad(w, we, "bad number");
		if (word_is(w, we, "smp=")) {
			if (val < 1 || val > MAX_CPUS)
				bad(w, we, "1..64 vCPUs (MAX_CPUS)");
			cfg.smp = (int)val;
		} else if (word_is(w, we, "mem=")) {
			cfg.mem = val;
		} else if (word_is(w, we, "bios=")) {
			cfg.have_bios = val != 0;
		} else if (word_is(w, we, "seed=")) {
			cfg.seed = val;
		} else if (word_is(w, we, "verbose=")) {
			cfg.verbose = val != 0;
		} else if (word_is(w, we, "coherency_sfw_no=")) {
			cfg.coherency_sfw_no = val != 0;
		} else if (word_is(w, we, "evict_check=")) {
			cfg.evict_check = val != 0;
		} else if (word_is(w, we, "sched=")) {
			cfg.sched = true;
			cfg.sched_seed = val;
		} else if (word_is(w, we, "host=")) {
			if (val > 2)
				bad(w, we, "host profile 0..2");
			cfg.host = (int)val;
		} else if (word_is(w, we, "preempt=")) {
			if (val < 1 || val > 0xffffffffULL)
				bad(w, we, "1..2^32-1 instructions");
			cfg.preempt = val;
		} else {
			bad(w, we, "unknown option");
		}
	}
}
