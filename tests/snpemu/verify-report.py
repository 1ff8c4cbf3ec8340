#!/usr/bin/env python3
"""Check an ATTESTATION_REPORT (SNP ABI #56860) against the VCEK that signed it, with OpenSSL.

    verify-report.py REPORT.bin VCEK.pem

REPORT.bin: the 1184-byte report. The ECDSA P-384 signature over bytes 0x000-0x29f has r at
0x2a0 and s at 0x2e8, each little-endian in 72 bytes (the high 24 zero). It is converted to a
DER ECDSA-Sig-Value and checked with `openssl dgst -sha384 -verify`. Prints what failed and
exits 1, or prints "report signature ok".
"""
import os, subprocess, sys, tempfile


def der_int(b):
    b = b.lstrip(b"\0") or b"\0"
    if b[0] & 0x80:
        b = b"\0" + b
    return bytes([2, len(b)]) + b


def main():
    rep = open(sys.argv[1], "rb").read()
    vcek = sys.argv[2]
    if len(rep) != 0x4A0:
        sys.exit(f"report has {len(rep)} bytes, not 1184")
    r, s = rep[0x2A0:0x2E8], rep[0x2E8:0x330]
    if any(r[48:]) or any(s[48:]):
        sys.exit("signature fields not zero-extended")
    if int.from_bytes(rep[0x34:0x38], "little") != 1:
        sys.exit("SIGNATURE_ALGO is not 1 (ECDSA P-384 with SHA-384)")
    body = der_int(r[:48][::-1]) + der_int(s[:48][::-1])
    sig = bytes([0x30, len(body)]) + body
    with tempfile.TemporaryDirectory() as t:
        open(os.path.join(t, "sig"), "wb").write(sig)
        open(os.path.join(t, "body"), "wb").write(rep[:0x2A0])
        subprocess.run(["openssl", "x509", "-in", vcek, "-pubkey", "-noout", "-out",
                        os.path.join(t, "pub")], check=True)
        p = subprocess.run(["openssl", "dgst", "-sha384", "-verify", os.path.join(t, "pub"),
                            "-signature", os.path.join(t, "sig"), os.path.join(t, "body")],
                           capture_output=True, text=True)
        if p.returncode:
            sys.exit("signature does not verify: " + p.stdout + p.stderr)
    print("report signature ok")


main()
