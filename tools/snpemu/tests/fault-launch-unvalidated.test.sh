#!/bin/bash
# --fault launch-unvalidated=GPA: one launch page is assigned but not validated. The probe's
# GHCB page: its rescind reports CF = 1, and the probe stops with (15, 0x19) as an SVSM must;
# a launch page the probe never touches changes nothing; a GPA that is no launch page is
# refused.
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh

sym() {
	nm build/snpemu/probe.elf | awk -v s="$1" '$3 == s { print "0x" $1 }'
}
probe pass --fault "launch-unvalidated=$(sym ghcb_page)"
expect_rc 2
expect_out "^snpemu: fault launch-unvalidated: launch page $(printf '0x%x' "$(sym ghcb_page)") is assigned but not validated$"
expect_out '^snpemu: SVSM terminated: reason set 15 code 0x19$'
[ "$(stat_get "s['pvalidate']['4k']")" -eq 1 ] || fail "expected the one rescind"
probe pass --fault "launch-unvalidated=$(sym ap_vmsa)"
expect_rc 0
probe pass --fault launch-unvalidated=0x1000
expect_rc 4
expect_out 'is not a launch page'
echo PASS
