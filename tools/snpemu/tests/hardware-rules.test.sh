#!/bin/bash
# SNP hardware rules as the probe observes them: PVALIDATE and RMPADJUST result codes and the
# CF "unchanged" result, #VC 0x404 for an unvalidated private page, #VC for CPUID, VMPL
# permission violations, contents scrambled across a page state change, and KVM's GHCB
# input checks.
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh

probe "pvalidate vc404 cpuid scramble malformed"
expect_rc 0
expect_out '^pvalidate shared-page rc=1$'      # FAIL_INPUT: page not assigned
expect_out '^pvalidate 2m-on-4k rc=6$'         # FAIL_SIZEMISMATCH
expect_out '^pvalidate validate rc=0 cf=0$'
expect_out '^pvalidate again rc=0 cf=1$'       # unchanged
expect_out '^rmpadjust target0 rc=2$'          # FAIL_PERMISSION: target not below VMPL0
expect_out '^rmpadjust 2m-on-4k rc=6$'
expect_out '^rmpadjust vmpl1-rw rc=0$'
expect_out '^vc404 count=1 code=0x404$'
expect_out '^cpuid 8000001f eax=0x3a ebx=0x4073$' # SEV|ES|SNP|VMPL, C-bit 51, 4 VMPLs
expect_out '^scramble same-qwords=0$'
expect_out '^malformed missing-input info1=0x2 info2=0x4$'
expect_out '^malformed scratch info1=0x2 info2=0x3$'
expect_out '^malformed event info1=0x2 info2=0x6$'
[ "$(stat_get 's["pvalidate"]["failed"]')" -ge 2 ] || fail "failed PVALIDATEs not counted"

probe vmpl1-violation
expect_rc 4
expect_out '^snpemu: RULE: VMPL permission violation: VMPL1 write of page 0x[0-9a-f]+ \(RMP VMPL1 mask 0x1\)'
echo PASS
