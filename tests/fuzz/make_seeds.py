#!/usr/bin/env python3
"""Write the seed corpora in tests/fuzz/corpus/ (run from the repo root; output is committed).

Each seed is a well-formed input, so that the fuzzers start from the real formats:
a GUID table as in svsm.bin and in OVMF, a fw_cfg device with a directory, bios files and
an e820 table, an SNP CPUID page, and PSC runs with honest and partial hosts."""
import os
import struct
import uuid


def guid(s):
    return uuid.UUID(s).bytes_le


def guidtable(entries, footer):
    out = b""
    for g, data in entries:
        out += data + struct.pack("<H", len(data) + 18) + guid(g)
    return out + struct.pack("<H", len(out) + 18) + guid(footer)


def write(target, name, data):
    d = os.path.join("tests/fuzz/corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


SVSM_ENV = "81384fea-ad48-4eb6-af4f-6ac49316df2b"
SVSM_INFO = "a789a612-0597-4c4b-a49f-cbb1fe9d1ddd"
SVSM_META = "be30189b-ab44-4a97-82dd-ea813941047e"
OVMF_FOOTER = "96b582de-1fb2-45f7-baea-a366c55a082d"
OVMF_RESET = "00f771de-1a7e-4fcb-890e-68c77e2fb44e"
OVMF_META = "dc886566-984a-4798-a75e-5585a7bf67cc"

# svsm.bin: the table ends the file.
write("guidtable", "svsm", b"\x90" * 64 + guidtable(
    [(SVSM_META, struct.pack("<I", 0x1000)), (SVSM_INFO, bytes(range(86)))], SVSM_ENV))
# OVMF: the table ends 0x20 bytes before the end.
write("guidtable", "ovmf", b"\xff" * 32 + guidtable(
    [(OVMF_META, struct.pack("<I", 0x200)), (OVMF_RESET, struct.pack("<I", 0x80b004))],
    OVMF_FOOTER) + b"\x90" * 0x20)


def fwcfg_dir(files):
    out = struct.pack(">I", len(files))
    for key, name, size in files:
        out += struct.pack(">IHH", size, key, 0) + name.encode().ljust(56, b"\0")
    return out


e820 = b"".join(struct.pack("<QQI", a, s, t) for a, s, t in
                [(0, 0xa0000, 1), (0x100000, 0x1ff00000, 1), (0xfeffc000, 0x4000, 2)])
d = fwcfg_dir([(0x20, "etc/e820", len(e820)), (0x21, "etc/bios_gpa", 8),
               (0x22, "etc/bios_size", 8)])
write("fwcfg", "qemu", struct.pack("<H", len(d)) + d + struct.pack("<H", 4) + e820)

fns = [(0, 0, 0, 0, 0x10, 0, 0, 0), (7, 0, 0, 0, 1, 2, 3, 4), (0xd, 0, 1, 0, 0, 576, 0, 0),
       (0xd, 1, 1, 0, 1, 576, 0, 0), (0x8000001f, 0, 0, 0, 0x1b, 0x4173, 0, 0)]
page = struct.pack("<IIQ", len(fns), 0, 0)
for f in fns:
    page += struct.pack("<IIQQIIIIQ", *f, 0)
write("cpuid", "table", page.ljust(4096, b"\0") + struct.pack("<IIQQ", 0xd, 1, 1, 0))

# PSC: start page, pages, flags (bit 0 shared, bit 1 2M), budget; then per-exit answers.
write("psc", "honest_2m", struct.pack("<IHBB", 0x1f0, 0x2000, 2, 20))
write("psc", "partial", struct.pack("<IHBB", 0x3, 700, 1, 200) +
      b"".join(struct.pack("<BHHB", 3, 5, 0, 0) for _ in range(40)))
write("psc", "lie", struct.pack("<IHBB", 0x200, 600, 2, 50) +
      struct.pack("<BHHB", 3, 7, 0, 0) + struct.pack("<BHHB", 2, 3, 9, 0))
