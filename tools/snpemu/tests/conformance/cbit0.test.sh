#!/bin/bash
# A read of a private page through a C=0 mapping breaks an SNP rule: snpemu stops (exit 4)
# and names the page.
. tests/tlib/tlib.sh
. tools/snpemu/tests/conformance/conf-lib.sh

run_snpemu --smp 1 --timeout 120 "$CONF_DIR/conformance-cbit0.bin"
conf_expect_page_stop 'shared \(C=0\)'
expect_no_out '^not ok'
