#!/bin/bash
# snpemu conformance with --fault psc-partial=1: the host does one PSC entry per call, the
# payload re-issues (facts §3) and still passes every check.
. tests/tlib/tlib.sh
. tools/snpemu/tests/conformance/conf-lib.sh

run_snpemu --smp 1 --timeout 300 --fault psc-partial=1 "$CONF_DIR/conformance.bin"
conf_expect_pass 192
line=$(grep -m1 '^# psc: ' "$OUT") || fail "no '# psc:' line"
descs=$(echo "$line" | sed -E 's/^# psc: ([0-9]+) descriptors.*/\1/')
calls=$(echo "$line" | sed -E 's/.* ([0-9]+) calls.*/\1/')
[ "$calls" -gt $((descs + 250)) ] ||
	fail "expected many re-issues with psc-partial=1: $descs descriptors in $calls calls"
stats_calls=$(stat_get 'sum(v for k, v in s["vmgexit"].items() if int(k, 16) == 0x80000010)')
[ "$stats_calls" -eq "$calls" ] ||
	fail "snpemu counted $stats_calls PSC NAEs, the payload issued $calls"
