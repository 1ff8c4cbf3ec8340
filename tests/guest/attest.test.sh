#!/bin/bash
# The attestation protocol end to end (tests/guest/README.md "Attestation"): the VMPL1 test
# firmware's SVSM_ATTEST_SERVICES calls under snpemu's PSP; here the first report is checked
# against the run's VCEK and chain: signature, VMPL 0, REPORT_DATA = SHA-512(nonce ||
# manifest), MEASUREMENT = snpemu's launch digest, and the VCEK the SVSM copied out is the
# run's. Prints the VMPL0 instructions and exits of one attestation call (--stats).
. tests/lib.sh
. tests/guest/e2e-lib.sh

PSP=$TEST_TMP/psp
run_snpemu --smp 1 --timeout 600 --psp-dir "$PSP" --verbose --bios build/guest.fd svsm.bin
expect_no_out '\[guest\] not ok - '
expect_rc 0
expect_out '\[guest\] ok - SVSM_ATTEST_SERVICES: RCX = 24 \(manifest\), R8 = 1184 \(report\)'
expect_out '\[guest\] ok - SVSM_ATTEST_SERVICES after the refused requests: a VMPL0 report'

hex() { sed -n "s/.*attest $1 0x[0-9a-f]* \([0-9a-f]*\)\$/\1/p" "$OUT" | tr -d '\n' | xxd -r -p; }
hex report >"$TEST_TMP/report.bin"
hex vcek >"$TEST_TMP/vcek.der"
cmp -s "$TEST_TMP/vcek.der" "$PSP/vcek.der" || fail "the VCEK in the certificate table is not the run's"
openssl verify -CAfile "$PSP/ark.pem" -untrusted "$PSP/ask.pem" "$PSP/vcek.pem" >/dev/null ||
	fail "chain"
tests/snpemu/verify-report.py "$TEST_TMP/report.bin" "$PSP/vcek.pem" || fail "report signature"
digest=$(sed -n 's/^snpemu: launch digest \([0-9a-f]*\)$/\1/p' "$OUT")
python3 - "$TEST_TMP/report.bin" "$digest" <<'PY' || fail "report fields"
import hashlib, sys
rep, digest = open(sys.argv[1], "rb").read(), sys.argv[2]
nonce = bytes(range(0x40, 0x80))  # tests/guest/test_attest.c
manifest = bytes.fromhex("bb9e8463923d7046a1ff58f9c94b87bb" "18000000" "00000000")
checks = {
    "VMPL 0": rep[0x30:0x34] == bytes(4),
    "REPORT_DATA = SHA-512(nonce || manifest)": rep[0x50:0x90] == hashlib.sha512(nonce + manifest).digest(),
    "MEASUREMENT = the launch digest": len(digest) == 96 and rep[0x90:0xC0].hex() == digest,
}
bad = [k for k, ok in checks.items() if not ok]
if bad:
    sys.exit("report: " + ", ".join(bad))
PY

# cost of one attestation call: VMPL0 instructions from the request until VMPL1 runs again
run_snpemu --smp 1 --timeout 600 --stats "$STATS" --bios build/guest.fd svsm.bin
expect_rc 0
python3 - "$STATS" <<'PY' || fail "the attestation calls in the statistics"
import json, sys
s = json.load(open(sys.argv[1]))
calls = [c for c in s["calls"] if int(c["rax"], 16) == 1 << 32]
if not calls:
    sys.exit(1)
insns = sorted(c["vmpl0_instructions"] for c in calls)
# test_attest.c: the first call is the valid one with a certificate buffer; the refused ones
# that never reach the PSP are the cheapest
print(f"attestation calls: {len(calls)}; VMPL0 instructions: first (report + certificates) "
      f"{calls[0]['vmpl0_instructions']}, min {insns[0]}, median {insns[len(insns) // 2]}, "
      f"max {insns[-1]}")
greq = {k: v for k, v in s["vmgexit"].items() if k in ("0x80000011", "0x80000012")}
print("guest request exits:", greq)
# Every buffer is checked before the PSP is asked, so a refused request costs no message:
# of test_attest.c's calls at --smp 1 only six get that far (the two valid ones, the three
# with a buffer too small, the one without a certificate buffer), one message each.
if sum(greq.values()) != 6:
    sys.exit(f"{sum(greq.values())} guest requests, want 6: a refused call asked the PSP")
PY
echo PASS
