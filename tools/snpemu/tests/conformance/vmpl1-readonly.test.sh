#!/bin/bash
# VMPL1 may read a page granted R but not write it: the read works, the write stops snpemu
# (exit 4) with a message naming the page.
. tests/tlib/tlib.sh
. tools/snpemu/tests/conformance/conf-lib.sh

run_snpemu --smp 1 --timeout 120 "$CONF_DIR/conformance-vmpl1-readonly.bin"
expect_out '^ok - vmpl1: reads a page VMPL0 granted R'
conf_expect_page_stop 'VMPL1 write'
expect_no_out '^not ok'
