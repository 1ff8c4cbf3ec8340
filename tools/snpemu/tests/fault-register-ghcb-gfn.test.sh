#!/bin/bash
# --fault register-ghcb-gfn=GFN: the GHCB registration response echoes GFN, not the request.
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh
probe pass --fault register-ghcb-gfn=0x1234
expect_out '^snpemu: fault register-ghcb-gfn: registration of GFN 0x[0-9a-f]+ answered with GFN 0x1234$'
expect_out '^register gfn=0x[0-9a-f]+ echo=0x1234$'
probe pass
expect_no_out 'echo=0x1234'
echo PASS
