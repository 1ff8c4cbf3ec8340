#!/bin/bash
# svsm.bin boots on one vCPU: every step runs, vCPU 0 reports ready, the summary appears,
# and without guest firmware it terminates with (15, 0x0f) "no guest firmware".
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh

boot_svsm --smp 1
expect_termination 15 0x0f
for step in "${BOOT_STEPS[@]}"; do
	expect_out "^\[cpu0\] $step"
done
expect_ready_lines 1
expect_out '^\[cpu0\] smp: 1 vCPU ready$'
expect_out '^\[cpu0\]   vCPUs: 1$'
expect_out '^\[cpu0\] error: fatal: no guest firmware'
# The memory targets (make bench measures them): one PSC NAE exit, 2 MiB PVALIDATEs only.
[ "$(stat_nae 0x80000010)" -ge 1 ] || fail "no PSC NAE exit"
[ "$(stat_get "s['pvalidate']['failed']")" -eq 0 ] || fail "a PVALIDATE failed"
