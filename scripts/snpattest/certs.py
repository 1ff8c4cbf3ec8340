"""AMD's SEV-SNP certificate chain: ARK (root, RSA-4096, self-signed) -> ASK (RSA-4096) -> VCEK
(ECDSA P-384, one per chip and TCB), the ARK and ASK signing with RSASSA-PSS, SHA-384, MGF1
SHA-384, salt 48 (AMD's Key Distribution Service, KDS, serves them in this form). Also the
certificate table of the GHCB extended guest request (GHCB spec #56421, SNP Extended Guest
Request) and a test chain of the same shape for snpemu.

Written against Debian 12's python3-cryptography (38.0): nothing newer is used.
"""

import datetime
import os
import shutil
import struct
import subprocess
import tempfile
import uuid

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (decode_dss_signature,
                                                             encode_dss_signature)

from . import report as rpt

OID_RSASSA_PSS = "1.2.840.113549.1.1.10"
# VCEK extensions (AMD's VCEK certificate specification, as KDS issues them)
OID_STRUCT_VERSION = "1.3.6.1.4.1.3704.1.1"
OID_PRODUCT_NAME = "1.3.6.1.4.1.3704.1.2"
OID_BL_SPL = "1.3.6.1.4.1.3704.1.3.1"
OID_TEE_SPL = "1.3.6.1.4.1.3704.1.3.2"
OID_SNP_SPL = "1.3.6.1.4.1.3704.1.3.3"
OID_UCODE_SPL = "1.3.6.1.4.1.3704.1.3.8"
OID_FMC_SPL = "1.3.6.1.4.1.3704.1.3.9"
OID_HWID = "1.3.6.1.4.1.3704.1.4"
SPL_OIDS = {"bootloader": OID_BL_SPL, "tee": OID_TEE_SPL, "snp": OID_SNP_SPL,
            "microcode": OID_UCODE_SPL, "fmc": OID_FMC_SPL}

# Certificate table GUIDs, RFC 4122 byte order in the table (as the GHCB's writers store them)
GUID_VCEK = uuid.UUID("63da758d-e664-4564-adc5-f4b93be8accd")
GUID_VLEK = uuid.UUID("a8074bc2-a25a-483e-aae6-39c045a0b8a1")
GUID_ASK = uuid.UUID("4ab7b379-bbac-4fe4-a02f-05aef327c782")
GUID_ARK = uuid.UUID("c0b406a4-a803-4952-9743-3fb6014cd0ae")
GUID_NAMES = {GUID_VCEK: "vcek", GUID_VLEK: "vlek", GUID_ASK: "ask", GUID_ARK: "ark"}

PSS = padding.PSS(mgf=padding.MGF1(hashes.SHA384()), salt_length=48)


class CertError(ValueError):
    pass


PEM_BEGIN = b"-----BEGIN CERTIFICATE-----"
PEM_END = b"-----END CERTIFICATE-----"


def load_pem_certs(data):
    """Every certificate of a PEM file, in file order."""
    data, out = bytes(data), []
    pos = data.find(PEM_BEGIN)
    while pos >= 0:
        end = data.find(PEM_END, pos)
        if end < 0:
            raise CertError("unterminated PEM certificate")
        try:
            out.append(x509.load_pem_x509_certificate(data[pos:end + len(PEM_END)]))
        except ValueError as e:
            raise CertError("not an X.509 certificate: %s" % e) from None
        pos = data.find(PEM_BEGIN, end)
    return out


def load_cert(data):
    """The one X.509 certificate of PEM or DER bytes (a PEM file with more is refused)."""
    data = bytes(data)
    if data.lstrip().startswith(b"-----BEGIN"):
        certs = load_pem_certs(data)
        if len(certs) != 1:
            raise CertError("%d certificates where one was expected" % len(certs))
        return certs[0]
    try:
        return x509.load_der_x509_certificate(data)
    except ValueError as e:
        raise CertError("not an X.509 certificate: %s" % e) from None


def load_cert_file(path):
    with open(path, "rb") as f:
        return load_cert(f.read())


def der(cert):
    return cert.public_bytes(serialization.Encoding.DER)


def spki(cert):
    return cert.public_key().public_bytes(serialization.Encoding.DER,
                                          serialization.PublicFormat.SubjectPublicKeyInfo)


# ---- the certificate table ----

def parse_cert_table(blob):
    """{uuid.UUID: DER bytes} of a certificate table: 24-byte entries (GUID, u32 offset from the
    table start, u32 length) ended by an all-zero entry, certificates after it."""
    blob = bytes(blob)
    out, pos = {}, 0
    while True:
        if pos + 24 > len(blob):
            raise CertError("certificate table has no terminating all-zero entry")
        ent = blob[pos:pos + 24]
        if not any(ent):
            break
        guid = uuid.UUID(bytes=ent[:16])
        off, length = struct.unpack_from("<II", ent, 16)
        if off < pos + 24 or off + length > len(blob) or not length:
            raise CertError("certificate %s: [%d, +%d) is outside the table's %d bytes"
                            % (guid, off, length, len(blob)))
        if guid in out:
            raise CertError("certificate %s listed twice" % guid)
        out[guid] = blob[off:off + length]
        pos += 24
    return out


def build_cert_table(certs):
    """A certificate table from [(uuid.UUID, DER bytes)]."""
    certs = list(certs)
    off = 24 * (len(certs) + 1)
    head, body = b"", b""
    for guid, data in certs:
        head += guid.bytes + struct.pack("<II", off + len(body), len(data))
        body += data
    return head + bytes(24) + body


# ---- checks ----

def _is_ca(cert):
    try:
        return cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return False


def check_pss_signed(child, issuer, what):
    """child is signed by issuer's RSA key with RSASSA-PSS/SHA-384/MGF1-SHA-384/salt 48 and
    names issuer as its issuer. Returns None or an error string."""
    if child.signature_algorithm_oid.dotted_string != OID_RSASSA_PSS:
        return "%s is not signed with RSASSA-PSS (algorithm %s)" % (
            what, child.signature_algorithm_oid.dotted_string)
    key = issuer.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        return "%s's issuer key is not RSA" % what
    if child.issuer != issuer.subject:
        return "%s names issuer '%s', not '%s'" % (what, child.issuer.rfc4514_string(),
                                                   issuer.subject.rfc4514_string())
    try:
        # Fixed parameters: a certificate signed with another hash, MGF or salt length fails.
        key.verify(child.signature, child.tbs_certificate_bytes, PSS, hashes.SHA384())
    except InvalidSignature:
        return "%s's signature does not verify with its issuer's key" % what
    return None


def check_validity(cert, what, now=None):
    now = now or datetime.datetime.utcnow()
    if not cert.not_valid_before <= now <= cert.not_valid_after:
        return "%s is not valid at %s (%s .. %s)" % (what, now.replace(microsecond=0),
                                                     cert.not_valid_before, cert.not_valid_after)
    return None


def check_chain(ark, ask, vcek, trusted_ark, now=None):
    """Check ARK -> ASK -> VCEK against the trusted ARK; a list of (name, error or None)."""
    res = []
    err = None
    if spki(ark) != spki(trusted_ark):
        err = "the ARK's key is not the trusted ARK's (%s)" % trusted_ark.subject.rfc4514_string()
    else:
        err = check_pss_signed(ark, ark, "ARK") or check_validity(ark, "ARK", now)
        if not err and not _is_ca(ark):
            err = "ARK is not a CA certificate"
    res.append(("ark", err))
    err = check_pss_signed(ask, ark, "ASK") or check_validity(ask, "ASK", now)
    if not err and not _is_ca(ask):
        err = "ASK is not a CA certificate"
    res.append(("ask", err))
    err = check_pss_signed(vcek, ask, "VCEK") or check_validity(vcek, "VCEK", now)
    if not err:
        key = vcek.public_key()
        if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp384r1":
            err = "VCEK's key is not ECDSA P-384"
    res.append(("vcek", err))
    return res


def _der_int(b):
    if len(b) < 3 or b[0] != 0x02 or b[1] != len(b) - 2 or b[1] > 8:
        raise CertError("not a short DER INTEGER: %s" % b.hex())
    return int.from_bytes(b[2:], "big", signed=True)


def vcek_extensions(vcek):
    """{'bootloader', 'tee', 'snp', 'microcode'[, 'fmc']: int, 'hwid': bytes or None}."""
    ext = {e.oid.dotted_string: e.value for e in vcek.extensions}
    out = {}
    for name, oid in SPL_OIDS.items():
        if oid in ext:
            out[name] = _der_int(ext[oid].value)
    hwid = ext.get(OID_HWID)
    if hwid is not None:
        v = hwid.value
        # KDS stores the 64 bytes raw; accept an OCTET STRING wrapper too
        if len(v) == 66 and v[:2] == b"\x04\x40":
            v = v[2:]
        out["hwid"] = v
    else:
        out["hwid"] = None
    return out


def check_vcek_matches(vcek, report):
    """The VCEK was issued for this chip and this REPORTED_TCB; None or an error string."""
    ext = vcek_extensions(vcek)
    tcb = report.tcb_parts("reported_tcb")
    for name, val in tcb.items():
        if name not in ext:
            return "VCEK has no %s SPL extension" % name
        if ext[name] != val:
            return "VCEK %s SPL %d != REPORTED_TCB's %d" % (name, ext[name], val)
    if not report.key_info & rpt.KEY_INFO_MASK_CHIP_ID:
        if ext["hwid"] is None:
            return "VCEK has no hwID extension"
        # Turin VCEKs carry 8 bytes of hwID; the report pads CHIP_ID with zeros
        hw = ext["hwid"]
        if report.chip_id != hw.ljust(64, b"\0"):
            return "VCEK hwID %s... != CHIP_ID %s..." % (hw[:8].hex(), report.chip_id[:8].hex())
    return None


def verify_report_signature(report, vcek):
    """None or an error string."""
    if report.signature_algo != rpt.SIG_ALGO_ECDSA_P384_SHA384:
        return "SIGNATURE_ALGO is %d, not 1 (ECDSA P-384 with SHA-384)" % report.signature_algo
    try:
        r, s = report.signature_rs()
    except rpt.ReportError as e:
        return str(e)
    try:
        vcek.public_key().verify(encode_dss_signature(r, s), report.signed_bytes,
                                 ec.ECDSA(hashes.SHA384()))
    except InvalidSignature:
        return "the signature over bytes 0x000-0x29F does not verify with the VCEK"
    return None


def sign_report(raw, key):
    """raw (an ATTESTATION_REPORT) signed with key (an EC P-384 private key, or its PEM)."""
    if isinstance(key, (bytes, str)):
        key = serialization.load_pem_private_key(
            key.encode() if isinstance(key, str) else key, None)
    raw = bytes(raw)
    der_sig = key.sign(raw[:rpt.SIGNED_SIZE], ec.ECDSA(hashes.SHA384()))
    r, s = decode_dss_signature(der_sig)
    raw = rpt.with_field(raw, "signature_r", r.to_bytes(rpt.SIG_FIELD, "little"))
    return rpt.with_field(raw, "signature_s", s.to_bytes(rpt.SIG_FIELD, "little"))


# ---- a test chain (the same shape as AMD's, with keys made here) ----

def make_test_chain(outdir, chip_id=bytes(64), tcb=bytes.fromhex("0300000000000873"),
                    product="Milan-B0", days=3650):
    """Write ark/ask/vcek .key/.pem/.der and certs.bin (the certificate table: VCEK, ASK, ARK)
    into outdir with openssl(1). tcb: REPORTED_TCB bytes (Milan layout) the VCEK is issued for.
    Returns {name: path}."""
    if len(chip_id) != 64 or len(tcb) != 8:
        raise ValueError("chip_id is 64 bytes, tcb 8")
    openssl = shutil.which("openssl")
    if not openssl:
        raise CertError("openssl(1) not found (scripts/setup-deps.sh installs it)")
    os.makedirs(outdir, exist_ok=True)
    p = {n: os.path.join(outdir, n) for n in (
        "ark.key", "ark.pem", "ark.der", "ask.key", "ask.pem", "ask.der", "vcek.key",
        "vcek.pem", "vcek.der", "certs.bin")}
    pss = ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:48",
           "-sigopt", "rsa_mgf1_md:sha384", "-sha384"]
    org = "/O=Advanced Micro Devices/OU=Engineering"
    ca_ext = "basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\n"
    vcek_ext = "".join([
        "%s=ASN1:INTEGER:0\n" % OID_STRUCT_VERSION,
        "%s=ASN1:IA5STRING:%s\n" % (OID_PRODUCT_NAME, product),
        "%s=ASN1:INTEGER:%d\n" % (OID_BL_SPL, tcb[0]),
        "%s=ASN1:INTEGER:%d\n" % (OID_TEE_SPL, tcb[1]),
        "%s=ASN1:INTEGER:%d\n" % (OID_SNP_SPL, tcb[6]),
        "%s=ASN1:INTEGER:%d\n" % (OID_UCODE_SPL, tcb[7]),
        "%s=DER:%s\n" % (OID_HWID, chip_id.hex()),  # raw 64 bytes, as KDS issues it
    ])

    def run(*args):
        r = subprocess.run([openssl, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if r.returncode:
            raise CertError("openssl %s failed: %s" % (args[0], r.stdout.decode(errors="replace")))

    with tempfile.TemporaryDirectory() as tmp:
        t = lambda n: os.path.join(tmp, n)  # noqa: E731
        for n, f in (("ca.ext", ca_ext), ("vcek.ext", vcek_ext)):
            with open(t(n), "w") as fh:
                fh.write(f)
        for n in ("ark.key", "ask.key"):
            run("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:4096", "-out", p[n])
        run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp384r1",
            "-out", p["vcek.key"])
        run("req", "-new", "-x509", "-key", p["ark.key"], "-subj", org + "/CN=ARK-Test",
            "-days", str(days), *pss, "-addext", "basicConstraints=critical,CA:true",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", p["ark.pem"])
        run("req", "-new", "-key", p["ask.key"], "-subj", org + "/CN=SEV-Test",
            "-out", t("ask.csr"))
        run("x509", "-req", "-in", t("ask.csr"), "-CA", p["ark.pem"], "-CAkey", p["ark.key"],
            "-CAcreateserial", "-CAserial", t("serial"), "-days", str(days), *pss,
            "-extfile", t("ca.ext"), "-out", p["ask.pem"])
        run("req", "-new", "-key", p["vcek.key"], "-subj", org + "/CN=SEV-VCEK",
            "-out", t("vcek.csr"))
        run("x509", "-req", "-in", t("vcek.csr"), "-CA", p["ask.pem"], "-CAkey", p["ask.key"],
            "-CAcreateserial", "-CAserial", t("serial"), "-days", str(days), *pss,
            "-extfile", t("vcek.ext"), "-out", p["vcek.pem"])
    ders = {}
    for n in ("ark", "ask", "vcek"):
        ders[n] = der(load_cert_file(p[n + ".pem"]))
        with open(p[n + ".der"], "wb") as f:
            f.write(ders[n])
    with open(p["certs.bin"], "wb") as f:
        f.write(build_cert_table([(GUID_VCEK, ders["vcek"]), (GUID_ASK, ders["ask"]),
                                  (GUID_ARK, ders["ark"])]))
    return p
