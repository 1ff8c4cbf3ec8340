#!/usr/bin/env python3
"""The launch digest snpemu puts into MEASUREMENT, recomputed on the host from the image
(tests/snpemu/README.md "Attestation"): SNP_LAUNCH_UPDATE's PAGE_INFO chain (SNP ABI #56860).

    launch-digest.py IMAGE SECRETS_GPA CPUID_GPA BIOS_VMSA_GPA BIOS_VMSA_SHA384 SEV_STATUS

No --bios firmware. The BIOS VMSA page's hash comes from the guest (its contents depend on the
emulated CPU); the VMPL0 VMSA is rebuilt here from the image's SVSM INFO. Prints the digest.
"""
import hashlib, struct, sys

PAGE = 4096
NORMAL, VMSA, SECRETS, CPUID = 1, 2, 5, 6
INFO_GUID = bytes.fromhex("12a689a797054b4ca49fcbb1fe9d1ddd")  # a789a612-..., UEFI order
ENVELOPE = bytes.fromhex("ea4f3881 48ad b64e af4f6ac49316df2b".replace(" ", ""))


def svsm_info(img):
    if img[-16:] != ENVELOPE:
        sys.exit("no footer GUID table")
    tlen = struct.unpack_from("<H", img, len(img) - 18)[0]
    pos, start = len(img) - 18, len(img) - tlen
    while pos > start:
        elen = struct.unpack_from("<H", img, pos - 18)[0]
        if img[pos - 16:pos] == INFO_GUID:
            return img[pos - elen:pos - 18]
        pos -= elen
    sys.exit("no SVSM INFO")


def launch_vmsa(info, sev_features):
    (load, _mem, cr3, gdt_base, gdt_limit, idt_base, idt_limit, cs_sel, cs_desc, rip, efer,
     cr0, cr4) = struct.unpack_from("<QQQQHQHHQQQQQ", info)
    v = bytearray(PAGE)
    attr = ((cs_desc >> 40) & 0xFF) | (((cs_desc >> 52) & 0xF) << 8)
    limit = (cs_desc & 0xFFFF) | ((cs_desc >> 32) & 0xF0000)
    if cs_desc & (1 << 55):
        limit = (limit << 12) | 0xFFF
    struct.pack_into("<HHIQ", v, 0x10, cs_sel, attr, limit, 0)      # CS
    struct.pack_into("<HHIQ", v, 0x60, 0, 0, gdt_limit, gdt_base)   # GDTR
    struct.pack_into("<HHIQ", v, 0x80, 0, 0, idt_limit, idt_base)   # IDTR
    struct.pack_into("<HHIQ", v, 0x90, 0, 0x8B, 0xFFFF, 0)          # TR
    for off, val in ((0xD0, efer), (0x158, cr0), (0x150, cr3), (0x148, cr4), (0x178, rip),
                     (0x168, 0xFFFF0FF0), (0x160, 0x400), (0x170, 2),
                     (0x268, 0x0007040600070406), (0x3E8, 1), (0x3B0, sev_features)):
        struct.pack_into("<Q", v, off, val)
    struct.pack_into("<I", v, 0x408, 0x1F80)   # MXCSR
    struct.pack_into("<H", v, 0x40C, 0x5555)   # x87 FTW
    struct.pack_into("<H", v, 0x410, 0x40)     # x87 FCW
    v[0xCA] = 0                                # VMPL
    return load, bytes(v)


def main():
    img = open(sys.argv[1], "rb").read()
    secrets, cpuid, bios_vmsa = (int(x, 0) for x in sys.argv[2:5])
    bios_hash = bytes.fromhex(sys.argv[5])
    sev_status = int(sys.argv[6], 0)
    load, vmsa = launch_vmsa(svsm_info(img), sev_status >> 2)
    img += bytes(-len(img) % PAGE)
    digest = bytes(48)

    def update(gpa, contents, page_type):
        nonlocal digest
        info = digest + contents + struct.pack("<HBBBBBBQ", 0x70, page_type, 0, 0, 0, 0, 0, gpa)
        digest = hashlib.sha384(info).digest()

    for off in range(0, len(img), PAGE):
        update(load + off, hashlib.sha384(img[off:off + PAGE]).digest(), NORMAL)
    update(secrets, bytes(48), SECRETS)
    update(cpuid, bytes(48), CPUID)
    update(bios_vmsa, bios_hash, NORMAL)
    update(0xFFFFFFFFF000, hashlib.sha384(vmsa).digest(), VMSA)
    print(digest.hex())


main()
