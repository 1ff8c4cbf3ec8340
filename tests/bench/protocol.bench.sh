#!/bin/bash
# SVSM protocol benchmark (issue 4): svsm.bin under snpemu --smp 1 with the bench-mode test
# firmware (build/guest-bench.fd, tests/guest/fw/bench.c), which makes its SVSM calls in a fixed
# order. From snpemu --stats (deterministic, -icount):
#   - VMPL0 instructions per call ("calls": from VMPL1's request until VMPL1 runs again) for
#     QUERY_PROTOCOL, PVALIDATE of one and of 510 4 KiB entries, of one and of four 2 MiB
#     entries, validate and rescind separately; the fixed cost per call and the cost per
#     entry (the slope between the one- and the many-entry calls);
#   - VMPL round trips per call (vmpl_switches: two per round trip, one more to start the
#     firmware).
# Targets: exactly one VMPL round trip per call; at most 3,000 VMPL0 instructions of fixed
# cost per call and 200 per 4 KiB entry. PVALIDATE, RMPADJUST, INVLPGB and TLBSYNC trap to
# snpemu and are not counted. Validating a 4 KiB page also zeroes it (256 16-byte stores at
# least), which alone exceeds 200: the report shows that part separately.
# Like every benchmark here it reports figures against targets; it fails only when the run
# itself fails or the call sequence is not the one expected.
set -u
cd "$(dirname "$0")/../.."

[ -f svsm.bin ] && [ -f build/guest-bench.fd ] || { echo "protocol.bench: run make first"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/protocol-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

scripts/snpemu --seed 1 --timeout 600 --smp 1 --bios build/guest-bench.fd \
	--stats "$tmp/stats.json" svsm.bin >"$tmp/log" 2>&1
rc=$?
if [ $rc -ne 0 ]; then
	echo "protocol.bench: the bench firmware did not pass (snpemu exit $rc); last lines:"
	tail -n 20 "$tmp/log"
	exit 1
fi

python3 - "$tmp/stats.json" tests/guest/fw/bench.h <<'PY'
import json, re, sys

s = json.load(open(sys.argv[1]))
n = {m.group(1): int(m.group(2)) for m in
     (re.match(r'#define (BENCH_\w+) (\d+)', l) for l in open(sys.argv[2])) if m}
Q, ONE, MANY, HUGE, HP = (n['BENCH_QUERY'], n['BENCH_ONE'], n['BENCH_MANY'], n['BENCH_HUGE'],
                          n['BENCH_HUGE_PAGES'])
MANY_4K = 510
calls = s['calls']
want = ['0x6'] * Q + ['0x1'] * (2 * ONE + 2 * MANY + 2 * HUGE + 2 * MANY)
got = [c['rax'] for c in calls]
if got != want:
    print('protocol.bench: unexpected call sequence (%d calls): %s' % (len(got), got[:80]))
    sys.exit(1)
cost = [c['vmpl0_instructions'] for c in calls]
i = 0
def take(k):
    global i
    out = cost[i:i + k]
    i += k
    return out
query = take(Q)
one = take(2 * ONE)
many = take(2 * MANY)
huge = take(2 * HUGE)
huge4 = take(2 * MANY)
v1, r1 = one[0::2], one[1::2]
vm, rm = many[0::2], many[1::2]
vh, rh = huge[0::2], huge[1::2]
vh4, rh4 = huge4[0::2], huge4[1::2]
def same(xs):
    return xs[0] if len(set(xs)) == 1 else '%d..%d' % (min(xs), max(xs))

per_v = (max(vm) - max(v1)) / (MANY_4K - 1)
per_r = (max(rm) - max(r1)) / (MANY_4K - 1)
fixed_v, fixed_r = max(v1) - per_v, max(r1) - per_r
per_v2m = (max(vh4) - max(vh)) / (HP - 1)
per_r2m = (max(rh4) - max(rh)) / (HP - 1)
zero_4k = 256 + 16 * 3  # gmem_zero: 16 stores + 3 loop instructions per 256 bytes
switches, ncalls = s['vmpl_switches'], s['calls_total']
trips = (switches - 1) / 2 / ncalls

print('VMPL0 instructions per call (--smp 1; %d calls)' % ncalls)
print('  QUERY_PROTOCOL                     %9s' % same(query))
print('  PVALIDATE 1 x 4 KiB    validate    %9s   rescind %9s' % (same(v1), same(r1)))
print('  PVALIDATE %d x 4 KiB  validate    %9s   rescind %9s' % (MANY_4K, same(vm), same(rm)))
print('  PVALIDATE 1 x 2 MiB    validate    %9s   rescind %9s' % (same(vh), same(rh)))
print('  PVALIDATE %d x 2 MiB    validate    %9s   rescind %9s' % (HP, same(vh4), same(rh4)))
print('fixed cost per call (target <= 3000)')
print('  QUERY_PROTOCOL %d, PVALIDATE validate %.0f, rescind %.0f'
      % (max(query), fixed_v, fixed_r))
print('cost per 4 KiB entry (target <= 200)')
print('  validate %.1f (of which zeroing the page %d), rescind %.1f' % (per_v, zero_4k, per_r))
print('cost per 2 MiB entry: validate %.0f (zeroing %d), rescind %.1f'
      % (per_v2m, zero_4k * 512, per_r2m))
print('VMPL round trips per call: %.3f (vmpl_switches %d; target exactly 1)' % (trips, switches))

verdict = [
    ('one VMPL round trip per call', trips == 1.0),
    ('fixed cost <= 3000', max(max(query), fixed_v, fixed_r) <= 3000),
    ('rescind <= 200 per 4 KiB entry', per_r <= 200),
    ('validate <= 200 per 4 KiB entry', per_v <= 200),
    ('validate without the zeroing <= 200 per 4 KiB entry', per_v - zero_4k <= 200),
]
for what, ok in verdict:
    print('target %-55s %s' % (what + ':', 'met' if ok else 'MISSED'))
PY
