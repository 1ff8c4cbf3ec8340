#!/bin/bash
# --sched SEED (README "vCPU scheduling"): the schedule is a function of the seed. The same
# seed gives the same switches (digest), the same instruction counts and the same guest
# output; another seed gives another schedule; shorter slices (--preempt) give more switches;
# without --sched there is no schedule at all.
. tests/tlib/tlib.sh

sched_line() {
	grep -E '^snpemu: schedule: ' "$OUT" || fail "no schedule line"
}

# --seed fixes what the guest sees of snpemu's randomness (the VMPCKs, the report ID of its
# attestation reports), so that the guest's output can be compared between runs.
guest_run() {
	run_snpemu --smp 2 --timeout 120 --seed 7 --bios build/guest.fd "$@" svsm.bin
	expect_rc 0
	expect_out '\[guest\] PASS$'
}

guest_run --sched 1
a=$(sched_line)
cp "$STATS" "$TEST_TMP/a.json"
grep '^\[guest\]' "$OUT" >"$TEST_TMP/a.txt"
[[ "$a" =~ ^snpemu:\ schedule:\ seed\ 1,\ slices\ up\ to\ 10000:\ ([0-9]+)\ switches\ \(([0-9]+)\ inside\ VMPL0\) ]] ||
	fail "unexpected schedule line: $a"
[ "${BASH_REMATCH[1]}" -gt 10 ] || fail "too few switches for two vCPUs: $a"
# the timer preempts the SVSM itself, not only at its exits
[ "${BASH_REMATCH[2]}" -gt 0 ] || fail "no switch in the middle of VMPL0: $a"

guest_run --sched 1
[ "$(sched_line)" = "$a" ] || fail "same seed, another schedule: '$(sched_line)' vs '$a'"
grep '^\[guest\]' "$OUT" | diff -q - "$TEST_TMP/a.txt" >/dev/null ||
	fail "same seed, other guest output"
python3 - "$TEST_TMP/a.json" "$STATS" <<'PY' || fail "same seed, other instruction counts"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
assert a["instructions"] == b["instructions"], (a["instructions"], b["instructions"])
assert a["exits"] == b["exits"], (a["exits"], b["exits"])
PY

guest_run --sched 2
b=$(sched_line)
[ "${b#*digest }" != "${a#*digest }" ] || fail "seeds 1 and 2 gave the same schedule: $b"

guest_run --sched 1 --preempt 500
c=$(sched_line)
n1=${a%% switches*}
n1=${n1##* }
n2=${c%% switches*}
n2=${n2##* }
[ "$n2" -gt $((n1 * 4)) ] || fail "slices up to 500 should switch far more often ($n2 vs $n1)"

guest_run
expect_no_out '^snpemu: schedule: '

run_snpemu --preempt 100 --bios build/guest.fd svsm.bin
expect_rc 4
expect_out 'snpemu: --preempt needs --sched'
