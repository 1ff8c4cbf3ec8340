#!/bin/bash
# --fault cbit=POS: the SEV information response reports C-bit POS (the CPUID page keeps 51).
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh
probe cpuid --fault cbit=47
expect_rc 0
expect_out '^sev-info min=1 max=2 cbit=47$'
expect_out '^cpuid 8000001f eax=0x3a ebx=0x4073$'
echo PASS
