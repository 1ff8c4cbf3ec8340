#!/bin/bash
# --fault inject-vc=N: the host injects #VC into VMPL0 at exit N. Refused while the VMSA has
# Restricted Injection (default SEV_STATUS); delivered without it.
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh
probe inject --fault inject-vc=30
expect_rc 0
expect_out 'fault inject-vc: the host tried to inject #VC into VMPL0 at exit 30: refused \(Restricted Injection\)'
expect_out '^inject vc_count=0'
probe inject --fault inject-vc=30 --fault sev-status=0x7
expect_rc 1
expect_out 'fault inject-vc: injecting #VC 0x72 into VMPL0'
expect_out '^probe: unexpected #VC 0x72'
echo PASS
