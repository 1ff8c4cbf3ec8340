#!/bin/bash
# A hypervisor that reports C-bit 50 while the CPUID page says 51: (15, 0x12), no
# hypervisor feature request after it.
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh

boot_svsm --fault cbit=50
expect_termination 15 0x12
expect_no_later_steps 0
[ "$(stat_msr 0x080)" -eq 0 ] || fail "negotiation went on after the C-bit mismatch"
