#!/bin/bash
# snp-verify with a test chain (--make-test-chain): a report signed by the test VCEK is accepted,
# and each field or certificate changed is rejected by the check that owns it. Changes inside
# the signed bytes are re-signed with the test VCEK, so that the signature cannot be what
# catches them.
. tests/tlib/tlib.sh
. tests/attest/lib.sh

C=$TEST_TMP/chain
O=$TEST_TMP/other
R=$TEST_TMP/r
mkdir -p "$R"
CHIP=$(printf '5a%.0s' $(seq 64))
make_chain "$C" --chip-id "$CHIP" --tcb 0400000000000a7b
make_chain "$O" --chip-id "$CHIP" --tcb 0400000000000a7b

# the GHCB certificate table: VCEK first, GUIDs in RFC 4122 byte order
[ "$(od -An -tx1 -N16 "$C/certs.bin" | tr -d ' \n')" = 63da758de6644564adc5f4b93be8accd ] ||
	fail "certificate table does not start with the VCEK GUID 63da758d-e664-4564-adc5-f4b93be8accd"

# reports: NAME -> changes (field: value) and whether to re-sign
R="$R" C="$C" CHIP="$CHIP" attest_py - <<'EOF' || fail "making the reports"
import os, uuid
from snpattest import certs, measure, report as rp
R, C = os.environ["R"], os.environ["C"]
img = synth_image()
open(R + "/svsm.bin", "wb").write(img)
open(R + "/svsm-changed.bin", "wb").write(synth_image(body=b"\x91" + b"\x90" * 0xff))
nonce = bytes(range(0x40, 0x80))
man = rp.services_manifest([(uuid.UUID("c476f1eb-0123-45a5-9641-b4e7dde5bfe3"), b"ek" * 50)])
open(R + "/nonce.bin", "wb").write(nonce)
open(R + "/manifest.bin", "wb").write(man)
open(R + "/manifest-empty.bin", "wb").write(rp.services_manifest())
key = open(C + "/vcek.key", "rb").read()
base = rp.build_report(measure.measure_launch(img), rp.svsm_report_data(nonce, man),
                       chip_id=bytes.fromhex(os.environ["CHIP"]),
                       tcb=bytes.fromhex("0400000000000a7b"))
good = certs.sign_report(base, key)
open(R + "/good.bin", "wb").write(good)

def variant(name, resign=True, **fields):
    r = base if resign else good
    for f, v in fields.items():
        r = rp.with_field(r, f, v)
    open(R + "/" + name + ".bin", "wb").write(certs.sign_report(r, key) if resign else r)

r_flipped = (int.from_bytes(good[0x2a0:0x2e8], "little") ^ 1).to_bytes(72, "little")
variant("sig-r", resign=False, signature_r=r_flipped)
variant("sig-signed-byte", resign=False, host_data=b"\x01" + bytes(31))
variant("sig-high-bytes", resign=False, signature_s=good[0x2e8:0x318] + b"\x01" + bytes(23))
variant("sig-algo", signature_algo=2)
variant("vmpl", vmpl=1)
variant("report-data", report_data=bytes(64))
variant("measurement", measurement=b"\x01" + bytes(47))
variant("tcb", reported_tcb=bytes.fromhex("0400000000000a7c"))
variant("chip-id", chip_id=b"\x5b" + bytes.fromhex(os.environ["CHIP"])[1:])
variant("chip-masked", key_info=2, chip_id=bytes(64))
variant("vlek", key_info=1 << 2)
variant("debug", policy=0x30000 | 1 << 19)
open(R + "/short.bin", "wb").write(good[:-1])
EOF

# an ASK re-signed by the ARK with RSA-PSS salt 32, and one with PKCS#1 v1.5: not AMD's scheme
printf 'basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\n' >"$R/ca.ext"
openssl x509 -x509toreq -in "$C/ask.pem" -signkey "$C/ask.key" -out "$R/ask.csr" 2>/dev/null ||
	fail "ASK request"
for v in salt32 pkcs1; do
	opts=(-sha384 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 -sigopt rsa_mgf1_md:sha384)
	[ $v = pkcs1 ] && opts=(-sha384)
	openssl x509 -req -in "$R/ask.csr" -CA "$C/ark.pem" -CAkey "$C/ark.key" -set_serial 7 \
		-days 30 "${opts[@]}" -extfile "$R/ca.ext" -out "$R/ask-$v.pem" 2>/dev/null ||
		fail "ASK signed with $v"
done

# an ASK without CA:true; one signed by the ARK's key under another issuer name; a P-256 VCEK;
# the ARK with its self-signature's last byte changed (same key, so the pin alone passes it)
printf 'basicConstraints=critical,CA:false\n' >"$R/noca.ext"
PSS=(-sha384 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:48 -sigopt rsa_mgf1_md:sha384)
openssl x509 -req -in "$R/ask.csr" -CA "$C/ark.pem" -CAkey "$C/ark.key" -set_serial 8 -days 30 \
	"${PSS[@]}" -extfile "$R/noca.ext" -out "$R/ask-noca.pem" 2>/dev/null || fail "ASK without CA"
openssl req -new -x509 -key "$C/ark.key" -subj "/O=Advanced Micro Devices/CN=ARK-Other" -days 30 \
	"${PSS[@]}" -out "$R/ark-other.pem" 2>/dev/null || fail "second ARK name"
openssl x509 -req -in "$R/ask.csr" -CA "$R/ark-other.pem" -CAkey "$C/ark.key" -set_serial 9 \
	-days 30 "${PSS[@]}" -extfile "$R/ca.ext" -out "$R/ask-other-name.pem" 2>/dev/null ||
	fail "ASK under another issuer name"
if ! openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$R/p256.key" ||
	! openssl req -new -key "$R/p256.key" -subj "/CN=SEV-VCEK" -out "$R/p256.csr" ||
	! openssl x509 -req -in "$R/p256.csr" -CA "$C/ask.pem" -CAkey "$C/ask.key" -set_serial 10 \
		-days 30 "${PSS[@]}" -out "$R/vcek-p256.pem"; then
	fail "P-256 VCEK"
fi 2>/dev/null
openssl req -new -x509 -key "$C/ark.key" \
	-subj "/O=Advanced Micro Devices/OU=Engineering/CN=ARK-Test" \
	-days 30 "${PSS[@]}" -addext "basicConstraints=critical,CA:false" -out "$R/ark-noca.pem" \
	2>/dev/null || fail "ARK without CA"
cp "$C/ark.der" "$R/ark-badsig.der"
last=$(($(stat -c %s "$R/ark-badsig.der") - 1))
b=$(od -An -tu1 -j $last -N1 "$R/ark-badsig.der" | tr -d ' ')
printf '%b' "\\$(printf %03o $((b ^ 1)))" |
	dd of="$R/ark-badsig.der" bs=1 seek="$last" conv=notrunc status=none

GOOD=(--certs "$C/certs.bin" --trust-ark "$C/ark.pem" --nonce "@$R/nonce.bin"
	--manifest "$R/manifest.bin" --svsm "$R/svsm.bin")
ALL="chain-ark chain-ask chain-vcek vcek-tcb signature vmpl report-data measurement policy"

# accepted: from the certificate table, and from PEM and DER files
verify --report "$R/good.bin" "${GOOD[@]}"
expect_rc 0
for c in $ALL; do expect_check "$c" PASS; done
expect_out '^snp-verify: accepted$'
verify --report "$R/good.bin" "${GOOD[@]}" --show
expect_rc 0
expect_out '^  vmpl +0x0$'
expect_out '^manifest .*: services manifest, 1 service\(s\)$'
expect_out '^  c476f1eb-0123-45a5-9641-b4e7dde5bfe3 100 bytes$'
verify --report "$R/good.bin" --vcek "$C/vcek.der" --ask "$C/ask.pem" --ark "$C/ark.der" \
	--trust-ark "$C/ark.pem" --nonce "@$R/nonce.bin" --manifest "$R/manifest.bin" \
	--measurement "$(scripts/snp-measure "$R/svsm.bin")"
expect_rc 0

# rejected: NAME CHECK [extra arguments]; every other check must still pass
reject() {
	local name=$1 check=$2 c
	shift 2
	verify --report "$R/$name.bin" "${GOOD[@]}" "$@"
	expect_rc 1
	expect_check "$check" FAIL
	for c in $ALL; do
		[ "$c" = "$check" ] || expect_check "$c" PASS
	done
	expect_out "^snp-verify: REJECTED: 1 check\\(s\\) failed: $check\$"
}
reject sig-r signature
reject sig-signed-byte signature
reject sig-high-bytes signature
expect_out 'non-zero bytes beyond 48'
reject sig-algo signature
expect_out 'SIGNATURE_ALGO is 2'
reject vmpl vmpl
reject report-data report-data
reject good report-data --nonce "$(printf '41%.0s' $(seq 64))"
reject good report-data --manifest "$R/manifest-empty.bin"
reject measurement measurement
reject good measurement --svsm "$R/svsm-changed.bin"
reject tcb vcek-tcb
expect_out 'microcode SPL 123 != REPORTED_TCB.s 124'
reject chip-id vcek-tcb
expect_out 'hwID 5a5a'
reject vlek vcek-tcb
reject debug policy
verify --report "$R/debug.bin" "${GOOD[@]}" --allow-debug
expect_rc 0
verify --report "$R/chip-masked.bin" "${GOOD[@]}"
expect_rc 0

# the chain: a foreign VCEK, a foreign ASK, another trusted root, AMD's root, non-AMD signatures
chain_reject() {
	local check=$1
	shift
	verify --report "$R/good.bin" --nonce "@$R/nonce.bin" --manifest "$R/manifest.bin" \
		--svsm "$R/svsm.bin" "$@"
	expect_rc 1
	expect_check "$check" FAIL
}
chain_reject chain-vcek --vcek "$O/vcek.pem" --ask "$C/ask.pem" --trust-ark "$C/ark.pem"
expect_check signature FAIL
chain_reject chain-ask --vcek "$C/vcek.pem" --ask "$O/ask.pem" --trust-ark "$C/ark.pem"
chain_reject chain-ark --certs "$C/certs.bin" --trust-ark "$O/ark.pem"
chain_reject chain-ark --certs "$C/certs.bin"
chain_reject chain-ask --vcek "$C/vcek.pem" --ask "$R/ask-salt32.pem" --trust-ark "$C/ark.pem"
expect_out 'ASK.s signature does not verify'
chain_reject chain-ask --vcek "$C/vcek.pem" --ask "$R/ask-pkcs1.pem" --trust-ark "$C/ark.pem"
expect_out 'ASK is not signed with RSASSA-PSS'

chain_reject chain-ask --vcek "$C/vcek.pem" --ask "$R/ask-noca.pem" --trust-ark "$C/ark.pem"
expect_out 'ASK is not a CA certificate'
# the VCEK verifies under that ASK's key and signed the report, yet nothing below an untrusted
# link is believed
expect_check chain-vcek PASS
expect_out '^FAIL signature +not checked: the chain is not trusted'
chain_reject chain-ask --vcek "$C/vcek.pem" --ask "$R/ask-other-name.pem" --trust-ark "$C/ark.pem"
expect_out "ASK names issuer 'CN=ARK-Other"
chain_reject chain-vcek --vcek "$R/vcek-p256.pem" --ask "$C/ask.pem" --trust-ark "$C/ark.pem"
expect_out "VCEK's key is not ECDSA P-384"
chain_reject chain-ark --vcek "$C/vcek.pem" --ask "$C/ask.pem" --ark "$R/ark-badsig.der" \
	--trust-ark "$C/ark.pem"
expect_out "ARK's signature does not verify"
chain_reject chain-ark --vcek "$C/vcek.pem" --ask "$C/ask.pem" --ark "$R/ark-noca.pem" \
	--trust-ark "$R/ark-noca.pem"
expect_out 'ARK is not a CA certificate'
expect_check chain-ask PASS

# usage errors (exit 2): no expectation given, a truncated report, a bad nonce
verify --report "$R/good.bin" --certs "$C/certs.bin" --trust-ark "$C/ark.pem" --no-measurement
expect_rc 2
expect_out 'say what REPORT_DATA must be'
verify --report "$R/good.bin" --certs "$C/certs.bin" --trust-ark "$C/ark.pem" --no-report-data
expect_rc 2
expect_out 'say what MEASUREMENT must be'
verify --report "$R/short.bin" "${GOOD[@]}"
expect_rc 2
expect_out 'is 1184 bytes, got 1183'
verify --report "$R/good.bin" "${GOOD[@]}" --nonce 0011
expect_rc 2
echo PASS
