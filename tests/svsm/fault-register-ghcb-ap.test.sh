#!/bin/bash
# An AP's GHCB registration is answered with another GFN (the BSP's, the 1st registration,
# is honest): the SVSM terminates with (15, 0x07) and never uses the GHCB it could not
# register — the AP prints nothing, where a host that really left the GHCB unregistered
# would stop the VM at the VMGEXIT and lose the reason.
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh

boot_svsm --smp 2 --fault register-ghcb-gfn=0x1234@2
expect_out 'snpemu: fault register-ghcb-gfn: registration of GFN 0x[0-9a-f]+ answered'
expect_termination 15 0x07
expect_out '^\[cpu0\] vCPU 0 ready'
expect_no_out '^\[cpu1\]'
expect_no_out 'vCPU 1 ready'
