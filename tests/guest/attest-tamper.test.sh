#!/bin/bash
# A response the host changed on its way from the PSP is refused, and VMPCK0 disabled for good
# (README "Attestation protocol"): snpemu's faults greq-tamper (one bit of the response's
# authentication tag flipped) and greq-replay (the previous response, a genuine message sealed
# for an older sequence number, in place of the new one). The call that meets it and every
# later attestation call are INVALID_REQUEST, and the SVSM sends the PSP no other message.
# And a certificate table whose entry runs past the buffer (greq-cert-len) is refused: no
# certificates, INVALID_REQUEST, while reports without certificates still come.
. tests/tlib/tlib.sh

# guest requests the SVSM sent (NAE 0x80000011 and 0x80000012)
greqs() {
	stat_get 's["vmgexit"].get("0x80000011", 0) + s["vmgexit"].get("0x80000012", 0)'
}

# the first request's response, its tag changed: the first report is refused
run_snpemu --smp 1 --timeout 600 --fault greq-tamper=1 --bios build/guest.fd svsm.bin
expect_out '^snpemu: fault greq-tamper: the response to guest request 1 has a changed tag$'
expect_out '\[guest\] not ok - SVSM_ATTEST_SERVICES: got INVALID_REQUEST'
expect_out '\[guest\] not ok - no certificate buffer: got INVALID_REQUEST'
expect_out '\[guest\] not ok - SVSM_ATTEST_SERVICES after the refused requests: got INVALID_REQUEST'
expect_out '\[guest\] ok - nonce size: INVALID_PARAMETER'
expect_rc 1 # the firmware reports the failed checks
n=$(greqs)
[ "$n" = 1 ] || fail "greq-tamper: the SVSM sent $n guest requests; after the refused response it must send none"
expect_out 'guest request: malformed response: VMPCK0 disabled'

# the second request answered with the first one's response: a replay is refused too
run_snpemu --smp 1 --timeout 600 --fault greq-replay=2 --bios build/guest.fd svsm.bin
expect_out '^snpemu: fault greq-replay: the response to guest request 2 is the previous one$'
expect_out '\[guest\] ok - SVSM_ATTEST_SERVICES: RCX = 24'
expect_out '\[guest\] not ok - report buffer of 1183 bytes: got INVALID_REQUEST'
expect_out '\[guest\] not ok - SVSM_ATTEST_SERVICES after the refused requests: got INVALID_REQUEST'
expect_rc 1
n=$(greqs)
[ "$n" = 2 ] || fail "greq-replay: the SVSM sent $n guest requests; after the refused response it must send none"
expect_out 'guest request: malformed response: VMPCK0 disabled'

# the host's certificate table: its first entry 64 KiB long, far past the 16 KiB buffer
run_snpemu --smp 1 --timeout 600 --fault greq-cert-len=0x10000 --bios build/guest.fd svsm.bin
expect_out '\[guest\] not ok - SVSM_ATTEST_SERVICES: got INVALID_REQUEST'
expect_out '\[guest\] ok - no certificate buffer: SUCCESS'
expect_out '\[guest\] not ok - SVSM_ATTEST_SERVICES after the refused requests: got INVALID_REQUEST'
expect_no_out 'VMPCK0 disabled' # the PSP's answer was sound; only the host's table was not
expect_rc 1
echo PASS
