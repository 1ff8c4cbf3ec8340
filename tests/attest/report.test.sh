#!/bin/bash
# snpattest.report and the certificate table: REPORT_DATA and services-manifest known answers,
# field offsets read on a real Milan report, the table's GUID byte order, malformed input.
. tests/tlib/tlib.sh
. tests/attest/lib.sh

attest_py - <<'EOF' || fail "report known answers"
import uuid
from snpattest import certs, report as rp
# SVSM spec #58019: REPORT_DATA = SHA-512(nonce || manifest). Known answer (snp-attestation-
# facts.md 1.5, computed with python hashlib): nonce 00..3f, the empty services manifest.
empty = rp.services_manifest()
assert empty.hex() == "bb9e8463923d7046a1ff58f9c94b87bb1800000000000000", empty.hex()
rd = rp.svsm_report_data(bytes(range(64)), empty).hex()
assert rd == ("c00f8d4c9578a6f7dd271eedd210f8afc415c7ec6fcebbf76a9c8bcfc351c4ed"
              "bbfe0faf361559cab2b4f7ce4db35fe306b621a56c6e6b9870191a43853add5e"), rd
for bad in (bytes(63), bytes(65)):
    try:
        rp.svsm_report_data(bad, empty)
    except ValueError:
        continue
    raise AssertionError("a %d-byte nonce was accepted" % len(bad))
# a manifest with one service (the vTPM's GUID, GUID-LE on the wire: ebf176c4 2301 a545 ...)
vtpm = uuid.UUID("c476f1eb-0123-45a5-9641-b4e7dde5bfe3")
m = rp.services_manifest([(vtpm, b"abc")])
assert m[24:40].hex() == "ebf176c42301a5459641b4e7dde5bfe3" and m[40:48].hex() == "3000000003000000"
assert m[16:20] == (51).to_bytes(4, "little") and m[48:] == b"abc"
assert rp.parse_services_manifest(m) == [(vtpm, b"abc")]
for bad in (m[:-1], m[:16] + (52).to_bytes(4, "little") + m[20:], b"\0" + m[1:]):
    try:
        rp.parse_services_manifest(bad)
    except rp.ReportError as e:
        continue
    raise AssertionError("malformed manifest accepted")

# field offsets (SNP ABI #56860 ATTESTATION_REPORT) read on the real report, against what the
# real VCEK certifies (its SPL and hwID extensions) and the values the chip reported
r = rp.Report(open("tests/attest/data/milan-report.bin", "rb").read())
v = certs.vcek_extensions(certs.load_cert_file("tests/attest/data/milan-vcek.pem"))
assert r.version == 2 and r.policy == 0x30000 and r.vmpl == 0 and r.signature_algo == 1
assert r.chip_id == v["hwid"] and len(v["hwid"]) == 64
assert r.tcb_parts() == {"bootloader": 3, "tee": 0, "snp": 8, "microcode": 0x73} == \
    {k: v[k] for k in ("bootloader", "tee", "snp", "microcode")}
assert r.reported_tcb == r.current_tcb == r.committed_tcb == r.launch_tcb
assert (r.current_major, r.current_minor, r.current_build) == (1, 0x34, 4)
assert r.report_id_ma == b"\xff" * 32
assert rp.with_field(r.raw, "vmpl", 3)[0x30:0x34] == b"\3\0\0\0"
for n in (1183, 1185, 0):
    try:
        rp.Report(bytes(n))
    except rp.ReportError:
        continue
    raise AssertionError("a %d-byte report was accepted" % n)

# certificate table: RFC 4122 GUID order, offsets from the table start, all-zero terminator
t = certs.build_cert_table([(certs.GUID_VCEK, b"V" * 5), (certs.GUID_ARK, b"A" * 3)])
assert t[:16].hex() == "63da758de6644564adc5f4b93be8accd"
assert t[16:24].hex() == "4800000005000000" and t[48:72] == bytes(24) and t[72:] == b"VVVVVAAA"
assert certs.parse_cert_table(t) == {certs.GUID_VCEK: b"V" * 5, certs.GUID_ARK: b"A" * 3}
for bad in (t[:47], t[:16] + (0x48).to_bytes(4, "little") + (9).to_bytes(4, "little") + t[24:],
            t[:16] + (8).to_bytes(4, "little") + t[20:],
            certs.build_cert_table([(certs.GUID_VCEK, b"V"), (certs.GUID_VCEK, b"W")])):
    try:
        certs.parse_cert_table(bad)
    except certs.CertError as e:
        print("refused:", e)
        continue
    raise AssertionError("malformed table accepted: " + bad.hex())
print("ok")
EOF
echo PASS
