#!/bin/bash
# The attestation protocol end to end (tests/guest/README.md "Attestation"): the VMPL1 test
# firmware's SVSM_ATTEST_SERVICES calls under snpemu's PSP, on 1 vCPU and on 4 (where every
# vCPU asks for reports at once). The first report the guest received is then checked by the
# tool a user runs, scripts/snp-verify (README "Verifying an attestation report"): the run's
# ARK -> ASK -> VCEK chain, the signature, VMPL 0, REPORT_DATA = SHA-512(nonce || manifest),
# MEASUREMENT = snp-measure's digest of svsm.bin + build/guest.fd, and the VCEK the SVSM
# copied out is the run's. The same report with one field changed (re-signed with the run's
# VCEK, so that the signature cannot be what catches it) is rejected by that field's check.
# Prints the VMPL0 instructions and exits of one attestation call (--stats).
. tests/tlib/tlib.sh
. tests/guest/e2e-lib.sh
. tests/attest/lib.sh

# the guest's nonce and the manifest csvsm returns (tests/guest/fw/test_attest.c, README)
attest_py - <<EOF || fail "nonce and manifest"
open("$TEST_TMP/nonce.bin", "wb").write(bytes(range(0x40, 0x80)))
open("$TEST_TMP/manifest.bin", "wb").write(
    bytes.fromhex("bb9e8463923d7046a1ff58f9c94b87bb" "18000000" "00000000"))
EOF

# hex WHAT: the bytes of the guest's "attest WHAT OFF HEX" lines
hex() { sed -n "s/.*attest $1 0x[0-9a-f]* \([0-9a-f]*\)\$/\1/p" "$OUT" | tr -d '\n' | xxd -r -p; }

# snp_verify REPORT [ARGS...]: snp-verify with the run's chain and the expected values
snp_verify() {
	local rep=$1
	shift
	verify --report "$rep" --vcek "$PSP/vcek.pem" --ask "$PSP/ask.pem" --ark "$PSP/ark.pem" \
		--trust-ark "$PSP/ark.pem" --nonce "@$TEST_TMP/nonce.bin" \
		--manifest "$TEST_TMP/manifest.bin" --svsm svsm.bin --bios build/guest.fd "$@"
}

for smp in 1 4; do
	PSP=$TEST_TMP/psp$smp
	run_snpemu --smp $smp --timeout 600 --psp-dir "$PSP" --bios build/guest.fd svsm.bin
	expect_no_out '\[guest\] not ok - '
	expect_rc 0
	expect_out '\[guest\] ok - SVSM_ATTEST_SERVICES: RCX = 24 \(manifest\), R8 = 1184 \(report\)'
	expect_out '\[guest\] ok - SVSM_ATTEST_SERVICES after the refused requests: a VMPL0 report'
	if [ $smp -gt 1 ]; then
		for i in $(seq 0 $((smp - 1))); do
			expect_out "\\[guest\\] ok - vCPU $i: 3 reports alongside the other vCPUs, each complete"
		done
	fi
	hex report >"$TEST_TMP/report.bin"
	hex vcek >"$TEST_TMP/vcek.der"
	cmp -s "$TEST_TMP/vcek.der" "$PSP/vcek.der" ||
		fail "the VCEK in the certificate table is not the run's"
	snp_verify "$TEST_TMP/report.bin"
	[ "$RC" = 0 ] || fail "snp-verify rejected csvsm's report (--smp $smp)"
	for c in chain-vcek signature vmpl report-data measurement; do
		expect_check $c PASS
	done
done

# one field changed at a time: NAME FIELD VALUE(hex) CHECK, and the unsigned flip
R=$TEST_TMP/tampered
mkdir -p "$R"
REP=$TEST_TMP/report.bin KEY=$PSP/vcek.key R=$R attest_py - <<'EOF' || fail "tampered reports"
import os
from snpattest import certs, report as rp
good = open(os.environ["REP"], "rb").read()
key = open(os.environ["KEY"], "rb").read()
for name, field, value in [("vmpl", "vmpl", 1), ("report-data", "report_data", bytes(64)),
                           ("measurement", "measurement", b"\x01" + bytes(47)),
                           ("policy", "policy", 0x30000 | 1 << 19)]:
    open(os.environ["R"] + "/" + name + ".bin", "wb").write(
        certs.sign_report(rp.with_field(good, field, value), key))
open(os.environ["R"] + "/signature.bin", "wb").write(rp.with_field(good, "host_data", b"\x01" + bytes(31)))
EOF
for c in vmpl report-data measurement policy signature; do
	snp_verify "$R/$c.bin"
	[ "$RC" != 0 ] || fail "snp-verify accepted csvsm's report with $c changed"
	expect_check $c FAIL
done
# another firmware launched than the one the verifier expects
snp_verify "$TEST_TMP/report.bin" --bios build/guest-bench.fd
[ "$RC" != 0 ] || fail "snp-verify accepted the report for another firmware"
expect_check measurement FAIL

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
