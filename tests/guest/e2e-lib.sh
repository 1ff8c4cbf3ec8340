# Helpers for the end-to-end cases of the VMPL1 test firmware (source after tests/tlib/tlib.sh).
#
#   e2e_suite SMP MIN_OK [ARGS...]
#                          run build/guest.fd on svsm.bin with SMP vCPUs (and snpemu ARGS): the
#                          firmware must report pass, print no "not ok" and at least MIN_OK
#                          "ok" lines
#   e2e_fatal MODE SMP ACCESS
#                          run build/guest-MODE.fd: the firmware announces one access that
#                          must stop the guest ("FATAL-MODE MODE: ... at GPA"); snpemu must
#                          exit 4 naming that VMPL1 ACCESS (read/write) of that page

e2e_suite() {
	local smp=$1 min=$2 n
	shift 2
	run_snpemu --smp "$smp" --timeout 600 "$@" --bios build/guest.fd svsm.bin
	expect_no_out '\[guest\] not ok - '
	expect_rc 0
	expect_out '\[guest\] PASS$'
	n=$(grep -c '\[guest\] ok - ' "$OUT")
	[ "$n" -ge "$min" ] || fail "expected at least $min ok lines, got $n"
	echo "$n checks ok"
}

e2e_fatal() {
	local mode=$1 smp=$2 access=$3 gpa
	run_snpemu --smp "$smp" --timeout 300 --bios "build/guest-$mode.fd" svsm.bin
	gpa=$(sed -n "s/.*FATAL-MODE $mode: .* at \(0x[0-9a-f]*\),.*/\1/p" "$OUT")
	[ -n "$gpa" ] || fail "the firmware did not reach its fatal access (exit status $RC)"
	expect_no_out '\[guest\] not ok - '
	expect_rc 4
	# snpemu's wording (tools/snpemu/l1/exit.c handle_npf) for an RMP permission violation
	expect_out "snpemu: RULE: VMPL permission violation: VMPL1 $access of page $gpa "
}

# e2e_race CASE SMP PREEMPT SEED...
#                          run build/guest-race-CASE.fd once per SEED under snpemu's seeded
#                          schedule (--sched SEED --preempt PREEMPT): every run must pass (no
#                          "not ok", no SVSM termination). The firmware's "race CASE: ..." lines
#                          are collected in $RACE_LINES, one per seed, prefixed "seed N: ".
#                          A failure names the seed: `scripts/snpemu ... --sched N` replays it.
e2e_race() {
	local case=$1 smp=$2 preempt=$3 seed
	shift 3
	RACE_LINES=$TEST_TMP/race-lines.txt
	: >"$RACE_LINES"
	for seed in "$@"; do
		echo "# seed $seed"
		run_snpemu --smp "$smp" --timeout 120 --sched "$seed" --preempt "$preempt" \
			--bios "build/guest-race-$case.fd" svsm.bin
		grep -q '^snpemu: schedule: ' "$OUT" || fail "seed $seed: snpemu ran no schedule"
		! grep -q '\[guest\] not ok - ' "$OUT" || fail "seed $seed: a check failed"
		[ "$RC" -eq 0 ] || fail "seed $seed: exit status $RC, want 0"
		grep -q '\[guest\] PASS$' "$OUT" || fail "seed $seed: the firmware did not pass"
		sed -n "s/^\[guest\] race $case: /seed $seed: /p" "$OUT" >>"$RACE_LINES"
	done
	cat "$RACE_LINES"
}

# race_sum REGEX   the sum over $RACE_LINES of the number REGEX's first group matches
race_sum() {
	sed -n -E "s/.*$1.*/\1/p" "$RACE_LINES" | awk '{ n += $1 } END { print n + 0 }'
}
