#!/bin/bash
# A guest request that fails in the PSP disables VMPCK0 for good (README "Attestation
# protocol"): with snpemu's fault greq-fail=1 the SVSM's first message fails; that call and
# every later attestation call are INVALID_REQUEST, and the SVSM sends the PSP no other
# message (a sequence number the host has seen is never reused for another message).
. tests/tlib/tlib.sh

run_snpemu --smp 1 --timeout 600 --fault greq-fail=1 --bios build/guest.fd svsm.bin
expect_out '^snpemu: fault greq-fail: guest request 1 fails with 0x16$'
expect_out 'guest request: .*VMPCK0 disabled'
expect_out '\[guest\] not ok - SVSM_ATTEST_SERVICES: got INVALID_REQUEST'
expect_out '\[guest\] not ok - no certificate buffer: got INVALID_REQUEST'
expect_out '\[guest\] not ok - SVSM_ATTEST_SERVICES after the refused requests: got INVALID_REQUEST'
# the guest's refusals come first and are unchanged
expect_out '\[guest\] ok - nonce size: INVALID_PARAMETER'
expect_out '\[guest\] ok - report buffer in SVSM memory: INVALID_ADDRESS'
expect_rc 1 # the firmware reports the failed checks
n=$(stat_get 's["vmgexit"].get("0x80000011", 0) + s["vmgexit"].get("0x80000012", 0)')
[ "$n" = 1 ] || fail "the SVSM sent $n guest requests; after the failed one it must send none"
echo PASS
