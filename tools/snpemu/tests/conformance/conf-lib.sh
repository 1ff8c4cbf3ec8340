# Helpers of the conformance test cases (source after tests/tlib/tlib.sh).

CONF_DIR=build/conformance

# The full suite passed: exit 0, no "not ok", a clean summary and at least $1 "ok" lines.
conf_expect_pass() {
	local n
	expect_rc 0
	expect_no_out '^not ok'
	expect_out '^# summary: [0-9]+ checks, 0 failed'
	n=$(grep -c '^ok - ' "$OUT")
	[ "$n" -ge "$1" ] || fail "expected at least $1 'ok' lines, got $n"
	echo "conformance: $n checks passed"
}

# The run stopped with exit 4 because of the page the payload announced ("# ... page 0x...")
# and snpemu's message (a line not from the payload) names that page and matches $1.
conf_expect_page_stop() {
	local gpa
	expect_rc 4
	gpa=$(sed -n 's/^# .* page \(0x[0-9a-f]*\).*/\1/p' "$OUT" | head -n 1)
	[ -n "$gpa" ] || fail "the payload did not announce the page it accesses"
	grep -v -e '^#' -e '^ok' -e '^not ok' "$OUT" | grep -Eq -- "$1.*page $gpa([^0-9a-f]|$)" ||
		fail "expected an snpemu message matching '$1' naming page $gpa"
}

# Run the full payload on $1 vCPUs: it passes (conf_expect_pass $2) and starts the $1 - 1 APs.
conf_run_full() {
	local smp=$1 min_ok=$2
	run_snpemu --smp "$smp" --timeout 300 "$CONF_DIR/conformance.bin"
	conf_expect_pass "$min_ok"
	expect_out "^# smp: $smp vCPUs"
	expect_out "^# started $((smp - 1)) APs"
}

# Run conformance-$1.bin on one vCPU: the payload ends through a GHCB termination request,
# reason set 15 and code $2 (hex): snpemu exits 2 and prints both, and --stats has them.
conf_run_terminate() {
	local mode=$1 code=$2
	run_snpemu --smp 1 --timeout 120 "$CONF_DIR/conformance-$mode.bin"
	expect_rc 2
	expect_out "set 15.*code (0x)?$code"
	[ "$(stat_get 's["termination"]["set"], s["termination"]["code"]')" = "(15, $((0x$code)))" ] ||
		fail "expected termination (15, $((0x$code))) in the statistics"
}
