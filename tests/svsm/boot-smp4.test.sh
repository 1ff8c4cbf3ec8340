#!/bin/bash
# svsm.bin boots on four vCPUs: each AP is created at VMPL0, runs its own per-CPU setup,
# registers its own GHCB and reports ready on its own vCPU; then the summary and (15, 0x0f).
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh

boot_svsm --smp 4
expect_termination 15 0x0f
expect_ready_lines 4
expect_out '^\[cpu0\] smp: 4 vCPUs ready$'
expect_out '^\[cpu0\]   vCPUs: 4$'
expect_out '^\[cpu0\] boot summary:'
[ "$(stat_nae 0x80000013)" -eq 3 ] || fail "expected 3 AP creation NAEs"
[ "$(stat_msr 0x012)" -eq 4 ] || fail "expected 4 GHCB registrations (one per vCPU)"
