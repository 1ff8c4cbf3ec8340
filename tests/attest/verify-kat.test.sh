#!/bin/bash
# snp-verify against real AMD data (tests/attest/data/README.md): AMD's Milan ARK and ASK from
# KDS, a Milan VCEK and a report that chip signed. Nothing here was produced by this project.
. tests/tlib/tlib.sh
. tests/attest/lib.sh

D=tests/attest/data
# The VCEK expires in 2029: check validity at a fixed time inside every certificate's period.
T=(--time 2024-06-01T00:00:00)
REAL=(--report "$D/milan-report.bin" --vcek "$D/milan-vcek.pem" --ask "$D/milan-ask.pem" "${T[@]}")

# the data is what the README says it is
(cd "$D" && sha256sum -c --quiet SHA256SUMS) || fail "test data changed (SHA256SUMS)"
cmp -s "$D/milan-ark.pem" scripts/snpattest/amd/ark-milan.pem ||
	fail "bundled ARK differs from the test data"

# the real chain and report are accepted against the bundled ARK (the default trust anchor)
verify "${REAL[@]}" --no-report-data --no-measurement
expect_rc 0
for c in chain-ark chain-ask chain-vcek vcek-tcb signature vmpl policy; do
	expect_check $c PASS
done
expect_check report-data SKIP
expect_check measurement SKIP
expect_out '^snp-verify: accepted \(not checked: report-data, measurement\)'

# the report's own REPORT_DATA and MEASUREMENT (from AMD's published layout: 0x50 and 0x90)
rd=$(od -An -tx1 -j $((0x50)) -N 64 "$D/milan-report.bin" | tr -d ' \n')
ms=$(od -An -tx1 -j $((0x90)) -N 48 "$D/milan-report.bin" | tr -d ' \n')
verify "${REAL[@]}" --report-data "$rd" --measurement "$ms"
expect_rc 0
expect_out '^snp-verify: accepted$'

# KDS's cert_chain file (the ASK, then the ARK); the two in the other order; two certificates
# where one is expected
cat "$D/milan-ask.pem" "$D/milan-ark.pem" >"$TEST_TMP/cert_chain.pem"
cat "$D/milan-ark.pem" "$D/milan-ask.pem" >"$TEST_TMP/reversed.pem"
verify --report "$D/milan-report.bin" --vcek "$D/milan-vcek.pem" \
	--kds-chain "$TEST_TMP/cert_chain.pem" \
	"${T[@]}" --no-report-data --no-measurement
expect_rc 0
verify --report "$D/milan-report.bin" --vcek "$D/milan-vcek.pem" \
	--kds-chain "$TEST_TMP/reversed.pem" \
	"${T[@]}" --no-report-data --no-measurement
expect_rc 1
expect_check chain-ark FAIL
verify "${REAL[@]}" --ark "$TEST_TMP/cert_chain.pem" --no-report-data --no-measurement
expect_rc 2
expect_out '2 certificates where one was expected'
cat "$D/milan-vcek.pem" >>"$TEST_TMP/reversed.pem"
verify --report "$D/milan-report.bin" --vcek "$D/milan-vcek.pem" \
	--kds-chain "$TEST_TMP/reversed.pem" \
	"${T[@]}" --no-report-data --no-measurement
expect_rc 2
expect_out 'expected the ASK and the ARK'

# one bit of the signed part flipped (REPORT_ID, which no other check reads): the signature fails
cp "$D/milan-report.bin" "$TEST_TMP/r.bin"
printf '\x28' | dd of="$TEST_TMP/r.bin" bs=1 seek=$((0x140)) conv=notrunc status=none
verify --report "$TEST_TMP/r.bin" --vcek "$D/milan-vcek.pem" --ask "$D/milan-ask.pem" "${T[@]}" \
	--no-report-data --no-measurement
expect_rc 1
expect_check signature FAIL
expect_check chain-vcek PASS
expect_out '^snp-verify: REJECTED: 1 check\(s\) failed: signature$'

# ASK and VCEK swapped; the ARK given as the ASK: the chain breaks where it should
verify --report "$D/milan-report.bin" --vcek "$D/milan-ask.pem" --ask "$D/milan-vcek.pem" \
	"${T[@]}" \
	--no-report-data --no-measurement
expect_rc 1
expect_check chain-ask FAIL
verify --report "$D/milan-report.bin" --vcek "$D/milan-vcek.pem" --ask "$D/milan-ark.pem" \
	"${T[@]}" \
	--no-report-data --no-measurement
expect_rc 1
expect_check chain-ark PASS
expect_check chain-vcek FAIL
expect_check signature FAIL

# trusting another root: the real ARK is refused; without --ark the trusted root is the chain's
# ARK, and the real ASK is not its child
make_chain "$TEST_TMP/test"
verify "${REAL[@]}" --ark "$D/milan-ark.pem" --trust-ark "$TEST_TMP/test/ark.pem" \
	--no-report-data --no-measurement
expect_rc 1
expect_check chain-ark FAIL
expect_out "the ARK's key is not the trusted ARK's"
verify "${REAL[@]}" --trust-ark "$TEST_TMP/test/ark.pem" --no-report-data --no-measurement
expect_rc 1
expect_check chain-ask FAIL
expect_out "ASK names issuer 'CN=ARK-Milan"

# the report is not an SVSM report at VMPL1: VMPL 0 expected by default, 1 asked for here
verify "${REAL[@]}" --vmpl 1 --no-report-data --no-measurement
expect_rc 1
expect_check vmpl FAIL
# outside the VCEK's validity (it ends 2029-12-17; the ARK and ASK were not valid before 2020)
verify --report "$D/milan-report.bin" --vcek "$D/milan-vcek.pem" --ask "$D/milan-ask.pem" \
	--time 2030-01-01T00:00:00 --no-report-data --no-measurement
expect_rc 1
expect_check chain-ark PASS
expect_check chain-vcek FAIL
expect_out 'VCEK is not valid'
verify --report "$D/milan-report.bin" --vcek "$D/milan-vcek.pem" --ask "$D/milan-ask.pem" \
	--time 2019-01-01T00:00:00 --no-report-data --no-measurement
expect_rc 1
expect_check chain-ark FAIL
echo PASS
