#!/bin/bash
# The judge can fail: with a host that breaks a rule the facts state, the conformance suite
# reports the broken check ("not ok") and the failure verdict (snpemu exit 1).
. tests/tlib/tlib.sh
. tools/snpemu/tests/conformance/conf-lib.sh

# fault spec | a "not ok" line the suite must print
cases=(
	'psc-lie|^not ok - msr psc: the page is private now'
	'hv-features=0x3|^not ok - msr hv-features: multi-VMPL'
	'cbit=47|^not ok - msr sev-info: C-bit position 51'
	'ghcb-version=3:3|^not ok - msr sev-info: protocol range includes version 2'
	'ap-create-fail|^not ok - ap creation: a correct VMPL2 VMSA for the BSP is accepted'
	'vmpl-run-fail|^not ok - vmpl switch: run-VMPL\(1\)'
	'psc-backwards|^not ok - setup: PSC makes a test page private'
)
for c in "${cases[@]}"; do
	run_snpemu --smp 2 --timeout 120 --fault "${c%%|*}" "$CONF_DIR/conformance.bin"
	expect_rc 1
	expect_out "${c#*|}"
done
