#!/bin/bash
# svsm.bin's footer GUID table is well formed (README.md "svsm.bin image format") and names
# what the ELF says: parsed back from the file with python3, compared with `nm`.
. tests/tlib/tlib.sh

[ -f svsm.bin ] && [ -f build/svsm/svsm.elf ] && [ -f build/svsm/config.h ] ||
	fail "build svsm.bin first (make)"

nm build/svsm/svsm.elf >"$TEST_TMP/nm.txt" || fail "nm failed"

python3 - svsm.bin "$TEST_TMP/nm.txt" build/svsm/config.h <<'PY' || fail "footer check failed"
import re, struct, sys, uuid

image = open(sys.argv[1], 'rb').read()
syms = {}
for line in open(sys.argv[2]):
    parts = line.split()
    if len(parts) == 3:
        syms[parts[2]] = int(parts[0], 16)
cfg = {}
for line in open(sys.argv[3]):
    m = re.match(r'#define (\w+) (\S+)', line)
    if m:
        cfg[m.group(1)] = int(m.group(2), 0)

GPA, MEM, GVA, CBIT = cfg['SVSM_GPA'], cfg['SVSM_MEM'], cfg['SVSM_GVA'], cfg['SVSM_CBIT']
errors = []

def check(cond, what):
    if not cond:
        errors.append(what)

def guid_bytes(s):
    return uuid.UUID(s).bytes_le  # UEFI byte order

def gpa(sym):
    return syms[sym] - GVA + GPA

ENVELOPE = guid_bytes('81384fea-ad48-4eb6-af4f-6ac49316df2b')
INFO = guid_bytes('a789a612-0597-4c4b-a49f-cbb1fe9d1ddd')
META = guid_bytes('be30189b-ab44-4a97-82dd-ea813941047e')

size = len(image)
check(size <= 512 * 1024, 'image over 512 KiB: %d bytes' % size)
check(image[-16:] == ENVELOPE, 'the file does not end with the envelope GUID')
table_len = struct.unpack_from('<H', image, size - 18)[0]
table_start = size - table_len
check(18 <= table_len <= size, 'table_len %d out of range' % table_len)

# Walk the entries backwards: [data][u16 len][GUID].
entries = {}
pos = size - 18
while pos > table_start:
    guid = image[pos - 16:pos]
    length = struct.unpack_from('<H', image, pos - 18)[0]
    check(length >= 18 and pos - length >= table_start, 'entry length %d out of range' % length)
    if length < 18 or pos - length < table_start:
        break
    entries[guid] = image[pos - length:pos - 18]
    pos -= length
check(pos == table_start, 'entries do not add up to table_len')
check(set(entries) == {INFO, META}, 'expected exactly the INFO and metadata entries')

info = entries.get(INFO, b'')
check(len(info) == 86, 'SVSM INFO is %d bytes, not 86' % len(info))
if len(info) == 86:
    (load, mem, cr3, gdt_base, gdt_limit, idt_base, idt_limit, cs_sel, cs_desc, rip, efer, cr0,
     cr4) = struct.unpack('<QQQQHQHHQQQQQ', info)
    check(load == GPA, 'load GPA %#x != SVSM_GPA %#x' % (load, GPA))
    check(mem == MEM, 'memory size %#x != SVSM_MEM %#x' % (mem, MEM))
    check(cr3 == gpa('early_pml4') | (1 << CBIT), 'CR3 %#x is not early_pml4 with the C-bit' % cr3)
    check(gdt_base == syms['boot_gdt'], 'GDT base %#x != boot_gdt' % gdt_base)
    check(gdt_limit == 15, 'GDT limit %d' % gdt_limit)
    check(idt_base == 0 and idt_limit == 0, 'IDT should be empty')
    check(cs_sel == 8 and cs_desc == 0x00af9a000000ffff, 'CS %#x / %#x' % (cs_sel, cs_desc))
    check(rip == syms['svsm_start'], 'RIP %#x != svsm_start' % rip)
    check((efer, cr0, cr4) == (0x1d00, 0x80010033, 0x668), 'EFER/CR0/CR4 %#x %#x %#x' % (efer, cr0, cr4))
    # The GDT's code descriptor is the one INFO announces.
    off = syms['boot_gdt'] - GVA
    check(struct.unpack_from('<QQ', image, off) == (0, cs_desc), 'boot GDT contents')

meta_off = entries.get(META, b'')
check(len(meta_off) == 4, 'metadata offset entry is %d bytes' % len(meta_off))
if len(meta_off) == 4:
    off = struct.unpack('<I', meta_off)[0]
    base = size - off
    sig, length, version, count = struct.unpack_from('<IIII', image, base)
    check(sig == 0x4d535653 and version == 1 and count == 3 and length == 16 + 16 * count,
          'metadata header %#x %d %d %d' % (sig, length, version, count))
    want = [(gpa('__secrets_page'), 4096, 2), (gpa('__cpuid_page'), 4096, 3),
            (gpa('__bios_vmsa_page'), 4096, 5)]
    got = [struct.unpack_from('<QII', image, base + 16 + 16 * i) for i in range(count)]
    check(got == want, 'metadata sections %s != %s' % (got, want))
    end_gpa = GPA + size
    check(want[0][0] == (end_gpa + 4095) & ~4095, 'secrets page is not the first page after the file')
    check(want[2][0] + 4096 <= GPA + 0x200000, 'metadata pages leave the first 2 MiB')

# .bss is inside the file, before the footer, so the launcher measures it.
check(syms['__bss_end'] - GVA <= syms['__footer_start'] - GVA <= size, '.bss is not inside the file')
check(syms['__file_end'] - GVA == size, '__file_end %#x != file size %#x' % (syms['__file_end'] - GVA, size))

for e in errors:
    print('footer:', e)
print('footer: %d bytes, table %d bytes, %d problems' % (size, table_len, len(errors)))
sys.exit(1 if errors else 0)
PY
