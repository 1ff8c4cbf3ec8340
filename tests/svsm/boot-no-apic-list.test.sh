#!/bin/bash
# A hypervisor without the APIC ID list NAE (feature bit 4 clear): the APs get APIC IDs
# 0..n-1 from the fw_cfg CPU count, and all of them come up without NAE 0x80000017.
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh

boot_svsm --smp 3 --fault hv-features=0x23
expect_termination 15 0x0f
expect_ready_lines 3
[ "$(stat_nae 0x80000017)" -eq 0 ] || fail "APIC ID list requested although not offered"
[ "$(stat_nae 0x80000013)" -eq 2 ] || fail "expected 2 AP creation NAEs"
