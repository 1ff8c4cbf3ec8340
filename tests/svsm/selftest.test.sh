#!/bin/bash
# The self-test image's non-fatal run (tests/svsm/selftest/README.md): after the real boot
# (2 vCPUs ready), the #VC handler meets CPUID (CPUID page, hypervisor, MSR protocol; leaves
# absent from the page), IN/OUT in every size with imm8 and DX ports, INS/OUTS with and without
# REP (over more than one shared buffer too), RDMSR/WRMSR, and a #VC while the GHCB is in use.
# Every check prints "ok - ..." or "not ok - ..."; the run ends with the module's verdict, a
# 32-bit OUT to port 0xf4 made through the #VC handler itself: snpemu exit 0 only for a pass.
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh
. tests/svsm/selftest-lib.sh

# The checks the module has today: fewer means one was lost.
MIN_CHECKS=105

boot_selftest checks
expect_rc 0
expect_out '^snpemu: VMPL0 reported pass$'
[ "$(stat_get "s['termination']")" = None ] || fail "the SVSM terminated instead of reporting"
expect_no_out '^\[cpu[0-9]+\] not ok - '
expect_no_out 'error: fatal'

done_line=$(grep -aE '^\[cpu0\] selftest: done [0-9]+ ok 0 not ok$' "$OUT") ||
	fail "no 'selftest: done N ok 0 not ok' line"
n=$(echo "$done_line" | awk '{print $4}')
oks=$(grep -acE '^\[cpu0\] ok - ' "$OUT")
[ "$oks" -eq "$n" ] || fail "the module counted $n checks, the console shows $oks ok lines"
[ "$n" -ge "$MIN_CHECKS" ] || fail "$n checks ran, expected at least $MIN_CHECKS"

# The lines written to COM1 with rep outsb (one exit; more than a shared buffer) and outsb.
expect_out '^selftest: rep outsb to COM1$'
expect_out '^selftest: long rep outsb ={2100} end$'
expect_out '^selftest: outsb to COM1, byte by byte$'

# Each RDMSR/WRMSR #VC and each direct MSR NAE of the module reached the host as one MSR NAE
# (and nothing else in the boot makes one).
msr=$(grep -aE '^\[cpu0\] selftest: MSR NAE exits: [0-9]+$' "$OUT" | awk '{print $NF}')
[ -n "$msr" ] || fail "no MSR NAE count line"
[ "$(stat_nae 0x7c)" -eq "$msr" ] || fail "snpemu saw $(stat_nae 0x7c) MSR NAEs, the module made $msr"
