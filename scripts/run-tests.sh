#!/bin/bash
# Run csvsm's test cases and print one closing line "N passed, N failed".
#
# A test case is either
#   - a host unit-test binary build/unit/test_* (cmocka; one case per binary), or
#   - an executable script named *.test.sh anywhere below tests/ or a tool's own
#     tools/*/tests/ (run from the repo root with bash; exit 0 = pass, anything else = fail).
# Usage: scripts/run-tests.sh [FILTER...]    FILTER: a substring of the case's path or name; with several,
#        a case runs if any of them matches.
# Environment: JOBS (parallel cases, default 2), TEST_TIMEOUT (seconds per case, default 600).
set -u
cd "$(dirname "$0")/.."

filters=("$@")
jobs=${JOBS:-2}
limit=${TEST_TIMEOUT:-600}
logdir=build/test-logs
rm -rf "$logdir"
mkdir -p "$logdir"

cases=()
for f in build/unit/test_*; do
	[ -x "$f" ] && [ -f "$f" ] && cases+=("$f")
done
while IFS= read -r f; do
	cases+=("$f")
done < <(find tests tools/*/tests -name '*.test.sh' -type f 2>/dev/null | sort)

# A case's name, SUITE.CASE with words joined by hyphens: build/unit/test_pvalidate_req is
# unit.pvalidate-req, tests/svsm/fault-cbit.test.sh svsm.fault-cbit; a tool's own cases take
# the tool's name as their suite: tools/snpemu/tests/fault-cbit.test.sh is snpemu.fault-cbit,
# tools/snpemu/tests/conformance/full-smp1.test.sh snpemu.conformance.full-smp1.
case_name() {
	echo "$1" | sed -e 's|^build/unit/test_|unit.|' -e 's|^tests/||' \
		-e 's|^tools/\([^/]*\)/tests/|\1/|' -e 's|\.test\.sh$||' -e 's|/|.|g' -e 's|_|-|g'
}

# One case: does any filter match its path or its name (no filter, or an empty one: all)?
wanted() {
	local f
	[ ${#filters[@]} -eq 0 ] && return 0
	for f in "${filters[@]}"; do
		[[ "$1" == *"$f"* || "$(case_name "$1")" == *"$f"* ]] && return 0
	done
	return 1
}

selected=()
for c in "${cases[@]}"; do
	wanted "$c" && selected+=("$c")
done
if [ ${#selected[@]} -eq 0 ]; then
	echo "run-tests: no test case matches '${filters[*]}'"
	echo "0 passed, 1 failed"
	exit 1
fi

# One case: run it with a time limit, keep its output in a log, record the verdict.
run_case() {
	local c=$1 name log start rc
	name=$(case_name "$c")
	log="$logdir/$name.log"
	start=$(date +%s)
	if [[ "$c" == *.test.sh ]]; then
		timeout --kill-after=10 "$limit" bash "$c" >"$log" 2>&1
	else
		timeout --kill-after=10 "$limit" "$c" >"$log" 2>&1
	fi
	rc=$?
	local secs=$(($(date +%s) - start))
	if [ $rc -eq 0 ]; then
		echo "PASS $name (${secs}s)" >"$log.verdict"
	else
		[ $rc -eq 124 ] && echo "(timed out after ${limit}s)" >>"$log"
		echo "FAIL $name (exit $rc, ${secs}s)" >"$log.verdict"
	fi
	cat "$log.verdict"
}
export -f run_case case_name
export logdir limit

printf '%s\n' "${selected[@]}" | xargs -P "$jobs" -I{} bash -c 'run_case "$@"' _ {}

pass=0
fail=0
failed=()
for v in "$logdir"/*.verdict; do
	if grep -q '^PASS' "$v"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		failed+=("${v%.verdict}")
	fi
done

for log in "${failed[@]}"; do
	echo
	echo "==== $(cat "$log.verdict") -- last lines of $log"
	tail -n 40 "$log"
done
echo
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
