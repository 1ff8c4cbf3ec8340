#!/bin/bash
# Run every libFuzzer target briefly (make test); `make fuzz` runs them for longer.
# Each gets its seed corpus (read only) and FUZZ_SMOKE_RUNS fresh inputs; a crash, a
# sanitizer report or a missing target fails the case.
set -u
runs=${FUZZ_SMOKE_RUNS:-20000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/csvsm-fuzz.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

targets=$(ls tests/fuzz/fuzz_*.c 2>/dev/null | sed 's|tests/fuzz/\(.*\)\.c|\1|')
[ -n "$targets" ] || { echo "no fuzz targets"; exit 1; }
for t in $targets; do
	bin=build/fuzz/$t
	[ -x "$bin" ] || { echo "FAIL: $bin not built (make $bin)"; exit 1; }
	seeds=tests/fuzz/corpus/${t#fuzz_}
	[ -d "$seeds" ] || seeds=
	mkdir -p "$tmp/$t"
	echo "== $t: $runs runs"
	if ! "$bin" -runs="$runs" -max_total_time=60 -seed=1 "$tmp/$t" $seeds >"$tmp/$t.log" 2>&1; then
		tail -n 60 "$tmp/$t.log"
		echo "FAIL: $t"
		exit 1
	fi
	grep -E '^(Done|#[0-9]+ +DONE)' "$tmp/$t.log" | tail -n 1
done
echo "all fuzz targets ran clean"
