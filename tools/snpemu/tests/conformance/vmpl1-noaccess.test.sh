#!/bin/bash
# VMPL1 reading a page it has no permission for: snpemu stops (exit 4) and names the page.
. tests/tlib/tlib.sh
. tools/snpemu/tests/conformance/conf-lib.sh

run_snpemu --smp 1 --timeout 120 "$CONF_DIR/conformance-vmpl1-noaccess.bin"
conf_expect_page_stop 'VMPL1'
expect_no_out '^not ok'
