#!/bin/bash
# A hypervisor that tries to inject a #VC into VMPL0: Restricted Injection (required by
# the SVSM) makes snpemu refuse it, and the boot completes as usual.
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh

boot_svsm --fault inject-vc=5
expect_termination 15 0x0f
expect_out "inject-vc.*refused"
expect_ready_lines 1
expect_out "^\[cpu0\] boot summary:"
