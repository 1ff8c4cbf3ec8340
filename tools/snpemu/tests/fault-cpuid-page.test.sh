#!/bin/bash
# The launcher's CPUID page lies, the CPU does not: --fault cpuid-page-cbit=POS (leaf 0x8000001f
# of the page reports C-bit POS; CPUID itself and the SEV information response keep 51) and
# --fault cpuid-page-count=N (the page's entry count reads N; the entries are unchanged).
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh

probe cpuid
expect_rc 0
expect_out '^cpuid-page count=18$'
expect_out '^cpuid-page 8000001f ebx=0x4073$'

probe cpuid --fault cpuid-page-cbit=47
expect_rc 0
expect_out '^sev-info min=1 max=2 cbit=51$'
expect_out '^cpuid 8000001f eax=0x3a ebx=0x4073$'
expect_out '^cpuid-page 8000001f ebx=0x406f$'

# The 0x8000001f entry is the page's last: one entry fewer leaves it out.
probe cpuid --fault cpuid-page-count=17
expect_rc 0
expect_out '^cpuid-page count=17$'
expect_no_out '^cpuid-page 8000001f'

probe cpuid --fault cpuid-page-count=65
expect_rc 0
expect_out '^cpuid-page count=65$'
echo PASS
