# Shared helpers for *.test.sh cases (source it: . tests/tlib/tlib.sh).
#
#   run_snpemu ARGS...      run scripts/snpemu ARGS, keep its output in $OUT (a file)
#                           and its exit status in $RC; the output is echoed to the log.
#                           Adds --stats $STATS (a file) unless ARGS has --stats.
#   expect_rc N             fail unless the last run exited with N
#   expect_out REGEX        fail unless the last run's output has a line matching REGEX (grep -E)
#   expect_no_out REGEX     fail if the last run's output has a line matching REGEX
#   stat_get EXPR           print a value from the last --stats JSON (python expression on `s`)
#   fail MSG                print MSG and exit 1
#
# Every helper exits the case on failure with a message saying what was expected.

set -u
TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/csvsm-test.XXXXXX")
trap 'rm -rf "$TEST_TMP"' EXIT
OUT="$TEST_TMP/out.txt"
STATS="$TEST_TMP/stats.json"
RC=0

fail() {
	echo "FAIL: $*"
	exit 1
}

run_snpemu() {
	local args=("$@") has_stats=0 a
	for a in "${args[@]}"; do
		[ "$a" = "--stats" ] && has_stats=1
	done
	[ $has_stats -eq 1 ] || args=(--stats "$STATS" "${args[@]}")
	echo "+ scripts/snpemu ${args[*]}"
	scripts/snpemu "${args[@]}" >"$OUT" 2>&1
	RC=$?
	cat "$OUT"
	echo "+ exit status $RC"
}

expect_rc() {
	[ "$RC" -eq "$1" ] || fail "expected exit status $1, got $RC"
}

expect_out() {
	grep -Eq -- "$1" "$OUT" || fail "expected output matching: $1"
}

expect_no_out() {
	! grep -Eq -- "$1" "$OUT" || fail "unexpected output matching: $1"
}

stat_get() {
	python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
		"$STATS" "$1"
}
