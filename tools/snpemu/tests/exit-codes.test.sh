#!/bin/bash
# Exit status mapping (design 4.3): pass, fail, SVSM termination (MSR and NAE forms),
# VMPL1 termination, timeout (spin and all-halted), hardware rule.
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh

probe pass
expect_rc 0
expect_out '^snpemu: VMPL0 reported pass'

probe fail
expect_rc 1
expect_out 'reported failure 0x11'

probe term
expect_rc 2
expect_out '^snpemu: SVSM terminated: reason set 15 code 0x42$'
[ "$(stat_get 's["termination"]["code"]')" = 66 ] || fail "termination not in the stats"

probe term-nae
expect_rc 2
expect_out '^snpemu: SVSM terminated: reason set 15 code 0x43$'

probe vmpl1-term
expect_rc 1
expect_out 'VMPL1 guest requested termination: reason set 1 code 0x33'

probe halt
expect_rc 3
expect_out 'every vCPU is halted'

printf 'hang\n' >"$TEST_TMP/mode"
run_snpemu --timeout 2 --fw-cfg "opt/probe/mode=$TEST_TMP/mode" "$PROBE"
expect_rc 3
expect_out '^snpemu: timeout after 2s'

probe shared-read-private
expect_rc 4
expect_out '^snpemu: RULE: shared \(C=0\) read of private page 0x8000000000 at VMPL0'

probe private-read-shared
expect_rc 4
expect_out '^snpemu: RULE: private \(C=1\) read of hypervisor-owned \(shared\) page 0x8000203000 at VMPL0'

probe unregistered
expect_rc 4
expect_out '^snpemu: RULE: VMGEXIT from VMPL0 with GHCB GPA 0x8000208000 that was never registered'

run_snpemu --bogus "$PROBE"
expect_rc 4
expect_out 'unknown option --bogus'
echo PASS
