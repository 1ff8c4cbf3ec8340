#!/bin/bash
# A hypervisor that does at most 10 entries of a page state change per exit: the SVSM
# re-issues the request (127 2 MiB entries -> 13 exits) and boots normally.
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh

boot_svsm --fault psc-partial=10
expect_termination 15 0x0f
expect_ready_lines 1
expect_out '^\[cpu0\] mem_init: 254 MiB private and validated \(13 PSC exits, 127 PVALIDATE 2M'
[ "$(stat_nae 0x80000010)" -eq 13 ] || fail "expected 13 PSC NAE exits"
