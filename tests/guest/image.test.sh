#!/bin/bash
# The test firmware images have the OVMF layout the SVSM parses (README "Guest firmware
# (VMPL1)"): power-of-two size, reset vector at 4 GiB - 16, footer GUID table ending 0x20
# bytes before the end with the SEV-ES reset block and the SEV metadata ("ASEV") entries,
# and ASEV sections (pre-validated RAM, secrets, CPUID, calling area) below 16 MiB.
# Checked independently of the assembler sources, by parsing the built files.
. tests/tlib/tlib.sh

for fd in build/guest.fd build/guest-svsm-read.fd build/guest-vmsa-write.fd; do
	[ -f "$fd" ] || fail "$fd not built"
	python3 - "$fd" <<'PY' || fail "$fd: malformed image"
import struct, sys, uuid

path = sys.argv[1]
img = open(path, "rb").read()
size = len(img)
base = (1 << 32) - size
def bad(msg):
    print(f"{path}: {msg}")
    sys.exit(1)
def guid(s):
    return uuid.UUID(s).bytes_le

if size < 0x10000 or size & (size - 1):
    bad(f"size {size:#x} is not a power of two >= 64 KiB")

# reset vector: a near jmp (e9 rel16) at 0xfff0 of the reset CS, landing inside the image
if img[-16] != 0xE9:
    bad("no near jmp at 4 GiB - 16")
target = (0xFFF3 + struct.unpack_from("<h", img, size - 15)[0]) & 0xFFFF
target_off = size - 0x10000 + target
if not 0 <= target_off < size or img[target_off] != 0xFA:
    bad(f"reset jump target {0xffff0000 + target:#x} does not start with cli")

# footer table: [data][u16 len][GUID] ... [u16 table_len][footer GUID], ending at size - 0x20
end = size - 0x20
if img[end - 16:end] != guid("96b582de-1fb2-45f7-baea-a366c55a082d"):
    bad("footer GUID not found 0x20 bytes before the end")
table_len = struct.unpack_from("<H", img, end - 18)[0]
start = end - table_len
if table_len < 18 or start < 0:
    bad(f"footer table length {table_len} out of range")
entries = {}
p = end - 18
while p > start:
    g = img[p - 16:p]
    ln = struct.unpack_from("<H", img, p - 18)[0]
    if ln < 18 or p - ln < start:
        bad(f"entry at {p:#x} has bad length {ln}")
    entries[g] = img[p - ln:p - 18]
    p -= ln
if p != start:
    bad("entries do not fill the table exactly")

reset = entries.get(guid("00f771de-1a7e-4fcb-890e-68c77e2fb44e"))
if reset is None or len(reset) != 4:
    bad("no SEV-ES reset block entry with a u32")
ap = struct.unpack("<I", reset)[0]
if not base <= ap < 1 << 32:
    bad(f"SEV-ES AP reset address {ap:#x} outside the image")

meta = entries.get(guid("dc886566-984a-4798-a75e-5585a7bf67cc"))
if meta is None or len(meta) != 4:
    bad("no SEV metadata offset entry with a u32")
off = struct.unpack("<I", meta)[0]
m = size - off
if not 0 <= m <= size - 16:
    bad(f"ASEV offset {off:#x} outside the image")
sig, length, version, count = struct.unpack_from("<4I", img, m)
if sig != 0x56455341 or version != 1 or length != 16 + 12 * count or m + length > size:
    bad(f"ASEV header wrong: sig {sig:#x} version {version} length {length} count {count}")
sections = [struct.unpack_from("<3I", img, m + 16 + 12 * i) for i in range(count)]
types = [t for _, _, t in sections]
for t in (1, 2, 3, 4):
    if types.count(t) < 1 or (t != 1 and types.count(t) != 1):
        bad(f"ASEV section type {t} missing or repeated: {types}")
spans = []
for gpa, sz, t in sections:
    if gpa % 4096 or sz % 4096 or sz == 0 or gpa + sz > 16 << 20:
        bad(f"ASEV section {gpa:#x}+{sz:#x} type {t}: not whole pages below 16 MiB")
    if t in (2, 3, 4) and sz != 4096:
        bad(f"ASEV section type {t} is {sz:#x} bytes, not one page")
    spans.append((gpa, gpa + sz))
spans.sort()
for a, b in zip(spans, spans[1:]):
    if a[1] > b[0]:
        bad(f"ASEV sections overlap: {a} {b}")
print(f"{path}: {size // 1024} KiB, AP reset {ap:#x}, ASEV at end-{off:#x}: {sections}")
PY
done
echo "all images well formed"
