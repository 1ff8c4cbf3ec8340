#!/bin/bash
# User- and supervisor-execute are separate RMP permissions (AMD APM vol 2, "RMP and VMPL Access
# Checks"): VMPL1 at CPL 3 fetching from a page it has supervisor-execute on only stops snpemu
# (exit 4), naming the page. (At CPL 3 on a user-execute page it runs: check_xperm in the full
# suite.)
. tests/tlib/tlib.sh
. tools/snpemu/tests/conformance/conf-lib.sh

run_snpemu --smp 1 --timeout 120 "$CONF_DIR/conformance-user-sx.bin"
conf_expect_page_stop 'VMPL1 CPL 3 instruction fetch'
expect_no_out '^not ok'
