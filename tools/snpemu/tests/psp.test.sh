#!/bin/bash
# The emulated PSP and host for SNP guest requests (README "Attestation"): the probe sends
# valid and broken messages; the report's signature, fields and the certificate table are
# checked here against the VCEK and chain scripts/snpemu made for the run.
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh

PSP=$TEST_TMP/psp
probe greq --psp-dir "$PSP" --verbose
expect_rc 0
expect_out '^greq ok info1=0x0 info2=0x0$'
expect_out '^greq ok-resp ok=1 type=6 seq=2 size=0x4c0 status=0x0 report-size=0x4a0 vmpl=0 data-match=1$'
# used, forged, skipped sequence numbers; bad header fields; a type the PSP does not serve
for w in replay bad-tag seq-skip hdr-version reserved msg-size key-req private-req private-resp; do
	expect_out "^greq $w info1=0x0 info2=0x16\$"
done
expect_out '^greq unaligned info1=0x2 info2=0x5$'
# failures leave the counter alone: sequence number 3 is next
expect_out '^greq after-errors-resp ok=1 type=6 seq=4 size=0x4c0 status=0x0 .*vmpl=0 data-match=1$'
# a key's own VMPL or above only
expect_out '^greq vmpck1-vmpl0-resp ok=1 type=6 seq=2 size=0x4c0 status=0x16$'
expect_out '^greq vmpck1-vmpl1-resp ok=1 type=6 seq=4 size=0x4c0 status=0x0 .*vmpl=1 data-match=1$'
# extended: too few pages -> INVALID_LEN with the pages needed, and no PSP call (5 still next)
need=$(($(stat -c %s "$PSP/psp.bin") - 0x88))
expect_out "^greq ext-short info1=0x0 info2=0x100000000 rbx=$(((need + 4095) / 4096))\$"
expect_out '^greq ext-no-rbx info1=0x2 info2=0x5$'
expect_out '^greq ext-private info1=0x2 info2=0x5$'
expect_out '^greq ext-resp ok=1 type=6 seq=6 size=0x4c0 status=0x0 .*vmpl=0 data-match=1$'

# the certificate table: VCEK, ASK, ARK (GUIDs in RFC 4122 byte order), the DER files
for c in vcek:63da758de6644564adc5f4b93be8accd ask:4ab7b379bbac4fe4a02f05aef327c782 \
	ark:c0b406a4a803495297433fb6014cd0ae; do
	f=$PSP/${c%%:*}.der
	h=$(openssl dgst -sha384 -r "$f" | cut -d' ' -f1)
	expect_out "^greq cert ${c#*:} len=$(stat -c %s "$f") sha384=$h\$"
done
openssl verify -CAfile "$PSP/ark.pem" -untrusted "$PSP/ask.pem" "$PSP/vcek.pem" >/dev/null ||
	fail "the test chain does not verify"

# the first report: signature, then the fields
grep '^greq report 0x' "$OUT" | head -19 | cut -d' ' -f4 | tr -d '\n' | xxd -r -p >"$TEST_TMP/report.bin"
digest=$(sed -n 's/^snpemu: launch digest \([0-9a-f]*\)$/\1/p' "$OUT")
[ ${#digest} = 96 ] || fail "no launch digest line"
# the same digest from the host tool a user runs, by the order and page types the README gives
host=$(scripts/snp-measure "$PROBE") || fail "snp-measure"
[ "$host" = "$digest" ] || fail "launch digest: snpemu $digest, snp-measure $host"
# the report as a user checks it: the run's chain, signature, VMPL 0, REPORT_DATA, MEASUREMENT
scripts/snp-verify --report "$TEST_TMP/report.bin" --vcek "$PSP/vcek.pem" --ask "$PSP/ask.pem" \
	--ark "$PSP/ark.pem" --trust-ark "$PSP/ark.pem" --measurement "$digest" \
	--report-data "$(printf '%02x' $(seq 160 223))" || fail "snp-verify rejected the report"
python3 - "$TEST_TMP/report.bin" "$PSP/vcek.der" "$digest" <<'PY' || fail "report fields"
import sys
rep, der, digest = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read(), sys.argv[3]
u32 = lambda o: int.from_bytes(rep[o:o + 4], "little")
checks = {
    "VERSION 3": u32(0) == 3,
    "POLICY 0x30000": rep[8:16] == (0x30000).to_bytes(8, "little"),
    "VMPL 0": u32(0x30) == 0,
    "REPORT_DATA": rep[0x50:0x90] == bytes(range(0xA0, 0xE0)),
    "MEASUREMENT = the launch digest": rep[0x90:0xC0].hex() == digest,
    "REPORTED_TCB = the VCEK's SPLs (3, 0, 8, 115)": rep[0x180:0x188] == bytes([3, 0, 0, 0, 0, 0, 8, 115]),
    "CHIP_ID = the VCEK's hwID": rep[0x1A0:0x1E0] in der and any(rep[0x1A0:0x1E0]),
}
bad = [k for k, ok in checks.items() if not ok]
if bad:
    sys.exit("report: " + ", ".join(bad))
PY

# a report signed by another VCEK does not verify (the check can fail)
scripts/snpemu-psp "$TEST_TMP/other" || fail "snpemu-psp"
scripts/snp-verify --report "$TEST_TMP/report.bin" --vcek "$TEST_TMP/other/vcek.pem" \
	--ask "$PSP/ask.pem" --ark "$PSP/ark.pem" --trust-ark "$PSP/ark.pem" --no-measurement \
	--no-report-data >"$TEST_TMP/other.txt" 2>&1 && fail "a report verified with the wrong VCEK"
grep -q '^FAIL *signature ' "$TEST_TMP/other.txt" || fail "the wrong VCEK not caught by the signature"
echo PASS
