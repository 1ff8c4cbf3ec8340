"""The ATTESTATION_REPORT (SNP ABI #56860, "ATTESTATION_REPORT Structure") and what an SVSM report
binds: REPORT_DATA = SHA-512(nonce || manifest) (SVSM spec #58019, the attestation protocol).

Offsets follow the ABI's table: signed bytes are 0x000-0x29F, the signature (ECDSA P-384 with
SHA-384) follows as R and S, each 72 bytes little-endian and zero-extended.
"""

import hashlib
import struct
import uuid

REPORT_SIZE = 0x4A0
SIGNED_SIZE = 0x2A0
SIG_R, SIG_S, SIG_FIELD = 0x2A0, 0x2E8, 72
P384_BYTES = 48
SIG_ALGO_ECDSA_P384_SHA384 = 1
NONCE_SIZE = 64

# name: (offset, size); integers are little-endian
FIELDS = {
    "version": (0x000, 4),
    "guest_svn": (0x004, 4),
    "policy": (0x008, 8),
    "family_id": (0x010, 16),
    "image_id": (0x020, 16),
    "vmpl": (0x030, 4),
    "signature_algo": (0x034, 4),
    "current_tcb": (0x038, 8),
    "platform_info": (0x040, 8),
    "key_info": (0x048, 4),
    "report_data": (0x050, 64),
    "measurement": (0x090, 48),
    "host_data": (0x0C0, 32),
    "id_key_digest": (0x0E0, 48),
    "author_key_digest": (0x110, 48),
    "report_id": (0x140, 32),
    "report_id_ma": (0x160, 32),
    "reported_tcb": (0x180, 8),
    "cpuid_fam_id": (0x188, 1),
    "cpuid_mod_id": (0x189, 1),
    "cpuid_step": (0x18A, 1),
    "chip_id": (0x1A0, 64),
    "committed_tcb": (0x1E0, 8),
    "current_build": (0x1E8, 1),
    "current_minor": (0x1E9, 1),
    "current_major": (0x1EA, 1),
    "committed_build": (0x1EC, 1),
    "committed_minor": (0x1ED, 1),
    "committed_major": (0x1EE, 1),
    "launch_tcb": (0x1F0, 8),
    "signature_r": (SIG_R, SIG_FIELD),
    "signature_s": (SIG_S, SIG_FIELD),
}
INT_FIELDS = {"version", "guest_svn", "policy", "vmpl", "signature_algo", "platform_info",
              "key_info", "cpuid_fam_id", "cpuid_mod_id", "cpuid_step", "current_build",
              "current_minor", "current_major", "committed_build", "committed_minor",
              "committed_major"}

POLICY_DEBUG = 1 << 19
KEY_INFO_MASK_CHIP_ID = 1 << 1
KEY_INFO_SIGNING_KEY_SHIFT = 2  # bits 4:2: 0 VCEK, 1 VLEK, 7 none


class ReportError(ValueError):
    pass


class Report:
    """An ATTESTATION_REPORT; fields readable as attributes (ints or bytes, see FIELDS)."""

    def __init__(self, raw):
        raw = bytes(raw)
        if len(raw) != REPORT_SIZE:
            raise ReportError("an ATTESTATION_REPORT is %d bytes, got %d" % (REPORT_SIZE, len(raw)))
        self.raw = raw

    def __getattr__(self, name):
        if name not in FIELDS:
            raise AttributeError(name)
        off, size = FIELDS[name]
        b = self.raw[off:off + size]
        return int.from_bytes(b, "little") if name in INT_FIELDS else b

    @property
    def signed_bytes(self):
        return self.raw[:SIGNED_SIZE]

    def signature_rs(self):
        """(r, s) as integers; ReportError if the zero-extension bytes are not zero."""
        r, s = self.signature_r, self.signature_s
        if any(r[P384_BYTES:]) or any(s[P384_BYTES:]):
            raise ReportError("signature R or S has non-zero bytes beyond 48")
        return int.from_bytes(r, "little"), int.from_bytes(s, "little")

    def tcb_parts(self, field="reported_tcb"):
        """A TCB_VERSION split into its SPLs: Milan/Genoa layout unless the report names a
        family 0x1A (Turin) CPU (version 3 or later), which moves the fields."""
        t = getattr(self, field)
        if self.version >= 3 and self.cpuid_fam_id == 0x1A:
            return {"fmc": t[0], "bootloader": t[1], "tee": t[2], "snp": t[3], "microcode": t[7]}
        return {"bootloader": t[0], "tee": t[1], "snp": t[6], "microcode": t[7]}


def with_field(raw, name, value):
    """raw (bytes) with one field replaced (int or bytes of the field's size)."""
    off, size = FIELDS[name]
    if isinstance(value, int):
        value = value.to_bytes(size, "little")
    if len(value) != size:
        raise ValueError("%s is %d bytes" % (name, size))
    return bytes(raw[:off]) + bytes(value) + bytes(raw[off + size:])


def svsm_report_data(nonce, manifest):
    """REPORT_DATA of an SVSM attestation: SHA-512(nonce || manifest), nonce 64 bytes."""
    if len(nonce) != NONCE_SIZE:
        raise ValueError("the SVSM attestation nonce is 64 bytes, got %d" % len(nonce))
    return hashlib.sha512(bytes(nonce) + bytes(manifest)).digest()


# ---- services manifest (SVSM_ATTEST_SERVICES output): a GUID table, GUIDs in UEFI order ----

SERVICES_MANIFEST_GUID = uuid.UUID("63849ebb-3d92-4670-a1ff-58f9c94b87bb")


def services_manifest(services=()):
    """Build the table from [(uuid.UUID, bytes)]: header GUID, u32 total length, u32 count,
    then per service GUID, u32 offset from the table start, u32 length; data blobs follow."""
    services = list(services)
    head = 24 + 24 * len(services)
    entries, blobs, off = b"", b"", head
    for guid, data in services:
        entries += guid.bytes_le + struct.pack("<II", off, len(data))
        blobs += data
        off += len(data)
    head = SERVICES_MANIFEST_GUID.bytes_le + struct.pack("<II", off, len(services))
    return head + entries + blobs


def parse_services_manifest(data):
    """[(uuid.UUID, bytes)] of a services manifest; ReportError if malformed."""
    data = bytes(data)
    if len(data) < 24 or data[:16] != SERVICES_MANIFEST_GUID.bytes_le:
        raise ReportError("not a services manifest (GUID 63849ebb-... missing)")
    total, count = struct.unpack_from("<II", data, 16)
    if total != len(data) or count > (len(data) - 24) // 24:
        raise ReportError("services manifest length %d / count %d do not fit %d bytes"
                          % (total, count, len(data)))
    out = []
    for i in range(count):
        g = uuid.UUID(bytes_le=data[24 + 24 * i:40 + 24 * i])
        off, length = struct.unpack_from("<II", data, 40 + 24 * i)
        if off < 24 + 24 * count or off + length > total:
            raise ReportError("service %s: data [%d, +%d) outside the table" % (g, off, length))
        out.append((g, data[off:off + length]))
    return out


def build_report(measurement, report_data, vmpl=0, chip_id=bytes(64),
                 tcb=bytes.fromhex("0300000000000873"), policy=0x30000, version=2,
                 report_id=bytes(32)):
    """An unsigned report (signature zero) with the fields a PSP fills; for tests and for
    checking a PSP model. Sign it with certs.sign_report()."""
    r = bytes(REPORT_SIZE)
    for name, val in (("version", version), ("policy", policy), ("vmpl", vmpl),
                      ("signature_algo", SIG_ALGO_ECDSA_P384_SHA384), ("current_tcb", tcb),
                      ("report_data", report_data), ("measurement", measurement),
                      ("report_id", report_id), ("reported_tcb", tcb), ("chip_id", chip_id),
                      ("committed_tcb", tcb), ("launch_tcb", tcb)):
        r = with_field(r, name, val)
    return r
