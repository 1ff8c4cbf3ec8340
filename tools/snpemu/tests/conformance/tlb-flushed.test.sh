#!/bin/bash
# Stale translations end with the flush: VMPL1 wrote a page it had RW, VMPL0 takes W away and
# issues INVLPGB (every address, global entries too) and TLBSYNC; VMPL1's next write stops
# snpemu (exit 4) naming the page. (Before the flush it would still land: check_tlb in the full
# suite.)
. tests/tlib/tlib.sh
. tools/snpemu/tests/conformance/conf-lib.sh

run_snpemu --smp 1 --timeout 120 "$CONF_DIR/conformance-tlb-flushed.bin"
expect_out '^ok - vmpl1: writes a page VMPL0 granted RW'
expect_out '^# VMPL0 took W away and flushed'
conf_expect_page_stop 'VMPL1 write'
expect_no_out '^not ok'
