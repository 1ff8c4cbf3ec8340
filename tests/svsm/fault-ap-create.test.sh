#!/bin/bash
# A hypervisor that refuses to create the second vCPU: (15, 0x0e) after vCPU 0 is
# ready; vCPU 1 never reports ready and the boot summary never comes.
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh

boot_svsm --smp 2 --fault ap-create-fail
expect_termination 15 0x0e
expect_out "^\[cpu0\] vCPU 0 ready"
expect_no_out "vCPU 1 ready"
expect_no_out "boot summary:"
