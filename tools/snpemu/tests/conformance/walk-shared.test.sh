#!/bin/bash
# Page-table walks are private whatever the C-bit says (AMD APM vol 2, 15.34.5): a page
# directory in a shared page, reached through a C=0 table pointer, makes the walk a private
# access to a hypervisor-owned page, which stops snpemu (exit 4) naming that page.
. tests/tlib/tlib.sh
. tools/snpemu/tests/conformance/conf-lib.sh

run_snpemu --smp 1 --timeout 120 "$CONF_DIR/conformance-walk-shared.bin"
conf_expect_page_stop 'page-table walk.*hypervisor-owned \(shared\)'
expect_no_out '^not ok'
