#!/bin/bash
# Attestation from inside Debian's Linux 6.12 at VMPL1, the way a user gets it: configfs-tsm
# (tests/linux/README.md "Attestation"). The case appends Debian's modules (sev-guest, tsm,
# configfs and the gcm(aes) they need, from the pinned kernel's package) to the initramfs and
# gives /init a fresh 64-byte nonce (csvsm.attest=HEX). /init makes a report with
# service_provider "svsm" (csvsm's SVSM_ATTEST_SERVICES), a second with another nonce, and the
# kernel's own (VMPCK1: refused at privlevel 0, a VMPL1 report at 1), checks what it can
# inside and dumps them. Here:
#   - scripts/snp-verify accepts the SVSM report against the run's ARK with the certificate
#     table Linux handed out (auxblob): chain, signature, VMPL 0, REPORT_DATA =
#     SHA-512(nonce || manifestblob), MEASUREMENT = snp-measure of svsm.bin + Debian's OVMF;
#     and the kernel's own report: VMPL 1, REPORT_DATA = the nonce, the same MEASUREMENT;
#     the SVSM report checked for another nonce is rejected;
#   - the auxblob is the PSP's certificate table byte for byte;
#   - --stats: two SVSM_ATTEST_SERVICES calls (protocol 1, call 0), both successful (and
#     linux_run fails the case on any refused call), four extended guest requests.
. tests/tlib/tlib.sh
. tests/linux/linux-lib.sh
. tests/attest/lib.sh

# the modules /init loads (in its own order: initramfs/init.c attest_modules)
kmods="crypto_null gcm gf128mul ghash-generic configfs tsm sev-guest"
# shellcheck disable=SC2046,SC2086 # one name per module
mods=$(scripts/fetch-debian.sh $(printf 'kmod-%s ' $kmods)) ||
	fail "no Debian kernel modules (scripts/fetch-debian.sh kmod-...)"
# shellcheck disable=SC2086 # one path per module
python3 tests/linux/initramfs/mkinitramfs.py --files "$TEST_TMP/modules.cpio" lib/modules $mods ||
	fail "modules cpio"
cat build/linux/initramfs.cpio "$TEST_TMP/modules.cpio" >"$TEST_TMP/initrd.cpio"
head -c 64 /dev/urandom >"$TEST_TMP/nonce.bin"
PSP=$TEST_TMP/psp

LINUX_INITRD=$TEST_TMP/initrd.cpio
LINUX_APPEND="csvsm.attest=$(xxd -p -c 64 "$TEST_TMP/nonce.bin")"
LINUX_SNPEMU_ARGS=(--psp-dir "$PSP")
linux_run 1 512
for l in 'sev-guest with vmpck_id=0 refused: VMPCK0 is not in the guest'"'"'s secrets page' \
	'modules loaded: ' 'svsm: provider sev_guest, privlevel_floor 1' \
	'svsm: services manifest: 24 bytes, 0 services' \
	'svsm: ATTESTATION_REPORT version [0-9]+, signed with ECDSA P-384' \
	'svsm: VMPL 0 ' 'svsm: REPORT_DATA as expected' \
	'svsm: certificate table: 3 certificates in [0-9]+ bytes' \
	'svsm, second nonce: the same manifest' 'svsm, second nonce: VMPL 0 ' \
	'svsm, second nonce: REPORT_DATA as expected' \
	'plain, privlevel 0: no VMPL0 report with VMPCK1 \(Invalid argument\)' \
	'plain: provider sev_guest, privlevel_floor 1' 'plain: VMPL 1 ' \
	'plain: REPORT_DATA as expected' 'plain: certificate table: 3 certificates' \
	'plain and svsm reports: the same MEASUREMENT and CHIP_ID' \
	'plain and svsm: the same certificate table'; do
	expect_out "csvsm-init: ok: $l"
done
# no message failed: the kernel disables its VMPCK on any (sev-guest: snp_disable_vmpck)
expect_no_out 'Disabling VMPCK'

# blob NAME: the bytes of /init's "blob NAME OFFSET HEX" lines, which must follow each other
blob() {
	python3 - "$OUT" "$1" <<'EOF' || fail "blob $1"
import re, sys
data = b""
for line in open(sys.argv[1], errors="replace"):
    m = re.search(r"csvsm-init: blob (\S+) (0x[0-9a-f]+) ([0-9a-f]*)$", line)
    if m and m.group(1) == sys.argv[2]:
        if int(m.group(2), 16) != len(data):
            sys.exit(f"blob {sys.argv[2]}: offset {m.group(2)} after {len(data)} bytes")
        data += bytes.fromhex(m.group(3))
if not data:
    sys.exit(f"no blob {sys.argv[2]}")
sys.stdout.buffer.write(data)
EOF
}
for b in svsm-report svsm-manifest svsm-certs plain-report; do
	blob $b >"$TEST_TMP/$b.bin"
done
# what /init read (outblob, manifestblob, auxblob) is what it dumped
sizes=$(sed -n 's/.*csvsm-init: svsm: outblob \([0-9]*\) bytes, manifestblob \([0-9]*\), auxblob \([0-9]*\)$/\1 \2 \3/p' "$OUT")
dumped=$(stat -c %s "$TEST_TMP/svsm-report.bin" "$TEST_TMP/svsm-manifest.bin" \
	"$TEST_TMP/svsm-certs.bin" | xargs)
echo "svsm: outblob, manifestblob, auxblob sizes: $sizes; dumped: $dumped"
[ "$sizes" = "$dumped" ] || fail "/init read $sizes bytes, dumped $dumped"
# the auxblob is the host's table (scripts/snpemu-psp: psp.bin from offset 0x88)
tail -c +137 "$PSP/psp.bin" | cmp -s - "$TEST_TMP/svsm-certs.bin" ||
	fail "the auxblob is not the PSP's certificate table"

# snp-verify, as a verifier would: the run's ARK as root, the chain from the auxblob, the
# MEASUREMENT snp-measure computes for svsm.bin and Debian's OVMF as snpemu launched them
ovmf=$(scripts/fetch-debian.sh ovmf) || fail "no Debian OVMF"
measurement=$(scripts/snp-measure svsm.bin --bios "$ovmf") || fail "snp-measure"
echo "snp-measure svsm.bin --bios OVMF.fd: $measurement"
check_report() { # REPORT ARGS...: snp-verify accepts it, each check passing
	verify --report "$1" --certs "$TEST_TMP/svsm-certs.bin" --trust-ark "$PSP/ark.pem" \
		--measurement "$measurement" "${@:2}"
	[ "$RC" = 0 ] || fail "snp-verify rejected $(basename "$1")"
	for c in chain-ark chain-ask chain-vcek vcek-tcb signature vmpl report-data measurement \
		policy; do
		expect_check $c PASS
	done
}
check_report "$TEST_TMP/svsm-report.bin" --nonce "@$TEST_TMP/nonce.bin" \
	--manifest "$TEST_TMP/svsm-manifest.bin"
check_report "$TEST_TMP/plain-report.bin" --report-data "@$TEST_TMP/nonce.bin" --vmpl 1
# the binding holds: the SVSM's report does not verify for another nonce
head -c 64 /dev/zero >"$TEST_TMP/zero.bin"
verify --report "$TEST_TMP/svsm-report.bin" --certs "$TEST_TMP/svsm-certs.bin" \
	--trust-ark "$PSP/ark.pem" --measurement "$measurement" --nonce "@$TEST_TMP/zero.bin" \
	--manifest "$TEST_TMP/svsm-manifest.bin"
[ "$RC" != 0 ] || fail "snp-verify accepted the SVSM report for another nonce"
expect_check report-data FAIL

# --stats: the attestation protocol's calls (RAX = 1 << 32 | call): two SVSM_ATTEST_SERVICES,
# both successful; four extended guest requests reached the PSP (csvsm's two, the kernel's
# two: VMPL0 refused, VMPL1) and no plain one (none resent for a certificate buffer's size)
python3 - "$STATS" <<'EOF' || fail "attestation calls in --stats"
import json, sys
s = json.load(open(sys.argv[1]))
calls = [c for c in s["calls"] if int(c["rax"], 16) >> 32 == 1]
print("attestation protocol calls (RAX, result, VMPL0 instructions):",
      [(c["rax"], c["result"], c["vmpl0_instructions"]) for c in calls])
if len(calls) != 2 or any(int(c["rax"], 16) != 1 << 32 or int(c["result"], 16) for c in calls):
    sys.exit("want two successful SVSM_ATTEST_SERVICES calls")
greq = {k: s["vmgexit"].get(k, 0) for k in ("0x80000011", "0x80000012")}
print("guest request exits:", greq)
if greq != {"0x80000011": 0, "0x80000012": 4}:
    sys.exit("want four extended guest requests and no plain one")
EOF
echo "attestation from Debian's Linux through csvsm: pass"
