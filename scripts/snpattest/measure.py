"""The SEV-SNP launch digest (MEASUREMENT) of an svsm.bin launch.

The PSP keeps a running SHA-384 digest over the pages the host adds with SNP_LAUNCH_UPDATE: for
each 4 KiB page it hashes a PAGE_INFO structure holding the digest so far, the page's own
SHA-384 (or zeros, for page types whose contents are not measured), its type and GPA (SNP ABI
#56860, SNP_LAUNCH_UPDATE and the PAGE_INFO structure). MEASUREMENT in the attestation report is
the digest at SNP_LAUNCH_FINISH.

launch_pages() lists the pages of a launch in order; measure_launch() chains them. The order and
page types are those of snpemu's launch (tools/snpemu/l1/launch.c), written down in
scripts/snpattest/README.md ("What is measured"): change both together.
"""

import hashlib
import struct
import uuid

PAGE_SIZE = 0x1000
DIGEST_SIZE = 48

# PAGE_INFO.PAGE_TYPE (SNP ABI #56860, SNP_LAUNCH_UPDATE page types)
PAGE_TYPE_NORMAL = 1
PAGE_TYPE_VMSA = 2
PAGE_TYPE_ZERO = 3
PAGE_TYPE_UNMEASURED = 4
PAGE_TYPE_SECRETS = 5
PAGE_TYPE_CPUID = 6
PAGE_TYPE_NAMES = {
    PAGE_TYPE_NORMAL: "normal",
    PAGE_TYPE_VMSA: "vmsa",
    PAGE_TYPE_ZERO: "zero",
    PAGE_TYPE_UNMEASURED: "unmeasured",
    PAGE_TYPE_SECRETS: "secrets",
    PAGE_TYPE_CPUID: "cpuid",
}
# Types whose CONTENTS field is the page's SHA-384; the others measure 48 zero bytes.
_HASHED_TYPES = (PAGE_TYPE_NORMAL, PAGE_TYPE_VMSA)

# KVM measures every launch VMSA at this GPA, whatever page holds it (Linux
# arch/x86/kvm/svm/sev.c, snp_launch_update_vmsa).
KVM_VMSA_GPA = 0xFFFFFFFFF000

# The SEV_STATUS snpemu launches with (SEV, SEV-ES, SNP, RestrictedInjection); the VMPL0 VMSA's
# SEV_FEATURES are SEV_STATUS >> 2 (AMD APM vol 2, "SEV_STATUS MSR" and "VMSA SEV_FEATURES").
SNPEMU_SEV_FEATURES = 0x27 >> 2
# CPUID Fn0000_0001 EAX of QEMU's qemu64 model (family 15, model 107, stepping 1), snpemu's CPU:
# the x86 reset value of RDX in the BIOS VMSA.
SNPEMU_CPUID1_EAX = 0x00060FB1

FOUR_GIB = 1 << 32
MAX_BIOS_SIZE = 16 << 20


class ImageError(ValueError):
    """svsm.bin or the firmware image is malformed (the launcher would refuse it)."""


def page_info(digest_cur, contents, page_type, gpa, imi=False, vmpl_perms=(0, 0, 0)):
    """The 0x70-byte PAGE_INFO (SNP ABI #56860, PAGE_INFO structure).

    vmpl_perms are VMPL1..3 permissions, at bytes 0x65..0x67 after a reserved byte at 0x64, the
    order of the SNP_LAUNCH_UPDATE command's fields. A launch that gives VMPL1-3 nothing (the only
    kind snpemu does) does not depend on that order.
    """
    if len(digest_cur) != DIGEST_SIZE or len(contents) != DIGEST_SIZE:
        raise ValueError("DIGEST_CUR and CONTENTS are 48 bytes each")
    if page_type not in PAGE_TYPE_NAMES:
        raise ValueError("unknown page type %r" % (page_type,))
    if gpa & (PAGE_SIZE - 1) or gpa >> 52:
        raise ValueError("GPA 0x%x is not a page-aligned guest physical address" % gpa)
    return (
        bytes(digest_cur)
        + bytes(contents)
        + struct.pack("<HBBB3BQ", 0x70, page_type, 1 if imi else 0, 0, *vmpl_perms, gpa)
    )


class LaunchDigest:
    """The PSP's running launch digest: 48 zero bytes at SNP_LAUNCH_START."""

    def __init__(self, initial=bytes(DIGEST_SIZE)):
        if len(initial) != DIGEST_SIZE:
            raise ValueError("a launch digest is 48 bytes")
        self.digest = bytes(initial)

    def update_page(self, gpa, page_type, data=None):
        """Add one 4 KiB page. data: the page (NORMAL, VMSA; shorter is zero-padded), else None."""
        if page_type in _HASHED_TYPES:
            if data is None or len(data) > PAGE_SIZE:
                raise ValueError("a %s page needs up to 4096 bytes of data"
                                 % PAGE_TYPE_NAMES[page_type])
            contents = hashlib.sha384(bytes(data).ljust(PAGE_SIZE, b"\0")).digest()
        else:
            contents = bytes(DIGEST_SIZE)
        self.digest = hashlib.sha384(page_info(self.digest, contents, page_type, gpa)).digest()
        return self.digest


# ---- svsm.bin (README "svsm.bin image format") ----

GUID_ENVELOPE = uuid.UUID("81384fea-ad48-4eb6-af4f-6ac49316df2b").bytes_le
GUID_SVSM_INFO = uuid.UUID("a789a612-0597-4c4b-a49f-cbb1fe9d1ddd").bytes_le
GUID_SVSM_META = uuid.UUID("be30189b-ab44-4a97-82dd-ea813941047e").bytes_le
SVSM_META_SIGNATURE = 0x4D535653  # "SVSM"
SECTION_SECRETS, SECTION_CPUID, SECTION_BIOS_VMSA = 2, 3, 5


def _guid_table(image):
    """The footer GUID table read backwards from the end of the file: {GUID bytes: data}."""
    if len(image) < 18 or image[-16:] != GUID_ENVELOPE:
        raise ImageError("no footer GUID table (envelope 81384fea-... not at the end of the file)")
    tlen = struct.unpack_from("<H", image, len(image) - 18)[0]
    if tlen < 18 or tlen > len(image):
        raise ImageError("footer table length %d out of range" % tlen)
    start, pos, entries = len(image) - tlen, len(image) - 18, {}
    while pos > start:
        if pos - start < 18:
            raise ImageError("truncated GUID table entry")
        elen = struct.unpack_from("<H", image, pos - 18)[0]
        if elen < 18 or elen > pos - start:
            raise ImageError("GUID table entry length %d out of range" % elen)
        entries.setdefault(bytes(image[pos - 16:pos]), bytes(image[pos - elen:pos - 18]))
        pos -= elen
    return entries


class SvsmImage:
    """The parts of svsm.bin a launcher reads, checked as snpemu checks them."""

    INFO_FIELDS = ("load_gpa", "mem_size", "cr3", "gdt_base", "gdt_limit", "idt_base",
                   "idt_limit", "cs_sel", "cs_desc", "rip", "efer", "cr0", "cr4")

    def __init__(self, image):
        self.image = bytes(image)
        table = _guid_table(self.image)
        info = table.get(GUID_SVSM_INFO)
        if info is None:
            raise ImageError("no SVSM INFO entry (a789a612-...)")
        if len(info) < 86:
            raise ImageError("SVSM INFO has %d bytes, needs 86" % len(info))
        vals = struct.unpack_from("<QQQQHQHHQQQQQ", info)
        for name, val in zip(self.INFO_FIELDS, vals):
            setattr(self, name, val)
        if not self.load_gpa or self.load_gpa % 0x200000:
            raise ImageError("load GPA 0x%x is not 2 MiB aligned" % self.load_gpa)
        if self.load_gpa < FOUR_GIB:
            raise ImageError("load GPA 0x%x is below 4 GiB" % self.load_gpa)
        if self.mem_size % PAGE_SIZE or self.mem_size < len(self.image) + 3 * PAGE_SIZE:
            raise ImageError("SVSM memory size 0x%x is not page aligned or too small"
                             % self.mem_size)
        if self.load_gpa + self.mem_size > 1 << 48:
            raise ImageError("SVSM memory ends above 2^48")
        meta = table.get(GUID_SVSM_META)
        if meta is None or len(meta) < 4:
            raise ImageError("no SVSM metadata offset entry (be30189b-...)")
        off = struct.unpack_from("<I", meta)[0]
        if off < 16 or off > len(self.image):
            raise ImageError("metadata offset %d out of range" % off)
        base = len(self.image) - off
        sig, mlen, version, count = struct.unpack_from("<IIII", self.image, base)
        if sig != SVSM_META_SIGNATURE:
            raise ImageError('metadata signature is not "SVSM"')
        if version != 1 or mlen < 16 or mlen > off or count > 16 or 16 + count * 16 > mlen:
            raise ImageError("metadata header invalid (version %d, length %d, %d sections)"
                             % (version, mlen, count))
        self.image_end = self.load_gpa + _page_align(len(self.image))
        self.sections = []
        seen = set()
        for i in range(count):
            gpa, size, stype = struct.unpack_from("<QII", self.image, base + 16 + 16 * i)
            if stype not in (SECTION_SECRETS, SECTION_CPUID, SECTION_BIOS_VMSA):
                raise ImageError("metadata section %d has unknown type %d" % (i, stype))
            if (size != PAGE_SIZE or gpa % PAGE_SIZE or gpa < self.image_end
                    or gpa >= self.load_gpa + self.mem_size):
                raise ImageError("metadata section %d (type %d) is not one page in SVSM memory "
                                 "after the image" % (i, stype))
            if stype in {t for _, t in self.sections} or gpa in seen:
                raise ImageError("metadata section %d repeats a type or a GPA" % i)
            seen.add(gpa)
            self.sections.append((gpa, stype))
        if len(self.sections) != 3:
            raise ImageError("metadata lacks the secrets, CPUID or BIOS VMSA section")


def _page_align(n):
    return (n + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1)


# ---- VMSAs (AMD APM vol 2, "VMSA layout": the SEV-ES save area) ----

def _seg(vmsa, off, sel, attr, limit, base):
    struct.pack_into("<HHIQ", vmsa, off, sel, attr, limit, base)


def _vmsa_common(vmsa, sev_features, vmpl):
    struct.pack_into("<Q", vmsa, 0x168, 0xFFFF0FF0)  # DR6
    struct.pack_into("<Q", vmsa, 0x160, 0x400)  # DR7
    struct.pack_into("<Q", vmsa, 0x170, 2)  # RFLAGS
    struct.pack_into("<Q", vmsa, 0x268, 0x0007040600070406)  # G_PAT (power-on value)
    struct.pack_into("<Q", vmsa, 0x3E8, 1)  # XCR0
    struct.pack_into("<I", vmsa, 0x408, 0x1F80)  # MXCSR
    struct.pack_into("<H", vmsa, 0x40C, 0x5555)  # x87 tag word (as KVM sets it)
    struct.pack_into("<H", vmsa, 0x410, 0x40)  # x87 control word
    vmsa[0xCA] = vmpl
    struct.pack_into("<Q", vmsa, 0x3B0, sev_features)


def bios_vmsa(cpuid1_eax=SNPEMU_CPUID1_EAX, sev_features=0x1):
    """The BIOS BSP VMSA page snpemu writes into the type-5 metadata page: the VMPL1 firmware's
    x86 reset state (CS f000:fff0 based at 0xffff0000, CR0 0x60000010, RDX = CPUID 1 EAX),
    EFER.SVME, vmpl 1, SEV_FEATURES SNPActive."""
    v = bytearray(PAGE_SIZE)
    for off in range(0x00, 0x60, 0x10):  # ES, CS, SS, DS, FS, GS
        _seg(v, off, 0, 0x93, 0xFFFF, 0)
    _seg(v, 0x10, 0xF000, 0x9B, 0xFFFF, 0xFFFF0000)
    _seg(v, 0x60, 0, 0, 0xFFFF, 0)  # GDTR
    _seg(v, 0x80, 0, 0, 0xFFFF, 0)  # IDTR
    _seg(v, 0x70, 0, 0x82, 0xFFFF, 0)  # LDTR
    _seg(v, 0x90, 0, 0x8B, 0xFFFF, 0)  # TR
    struct.pack_into("<Q", v, 0x158, 0x60000010)  # CR0
    struct.pack_into("<Q", v, 0xD0, 1 << 12)  # EFER.SVME
    struct.pack_into("<Q", v, 0x178, 0xFFF0)  # RIP
    struct.pack_into("<Q", v, 0x310, cpuid1_eax)  # RDX
    _vmsa_common(v, sev_features, 1)
    return bytes(v)


def svsm_vmsa(img, sev_features=SNPEMU_SEV_FEATURES):
    """The VMPL0 BSP VMSA a launcher builds from SVSM INFO (README "svsm.bin image format"):
    64-bit CS from the GDT descriptor, GDTR/IDTR, CR0/3/4, EFER, RIP; data segments null,
    RSP 0, RFLAGS 2, vmpl 0."""
    d = img.cs_desc
    attr = ((d >> 40) & 0xFF) | (((d >> 52) & 0xF) << 8)
    limit = (d & 0xFFFF) | ((d >> 32) & 0xF0000)
    if d & (1 << 55):  # granularity: 4 KiB units
        limit = (limit << 12) | 0xFFF
    v = bytearray(PAGE_SIZE)
    _seg(v, 0x10, img.cs_sel, attr, limit, 0)
    _seg(v, 0x60, 0, 0, img.gdt_limit, img.gdt_base)
    _seg(v, 0x80, 0, 0, img.idt_limit, img.idt_base)
    _seg(v, 0x90, 0, 0x8B, 0xFFFF, 0)
    struct.pack_into("<Q", v, 0xD0, img.efer)
    struct.pack_into("<Q", v, 0x158, img.cr0)
    struct.pack_into("<Q", v, 0x150, img.cr3)
    struct.pack_into("<Q", v, 0x148, img.cr4)
    struct.pack_into("<Q", v, 0x178, img.rip)
    _vmsa_common(v, sev_features, 0)
    return bytes(v)


# ---- the launch ----

def launch_pages(svsm, bios=None, vcpus=1, sev_features=SNPEMU_SEV_FEATURES,
                 cpuid1_eax=SNPEMU_CPUID1_EAX, vmsa_gpa=KVM_VMSA_GPA, vmsas=None):
    """Every SNP_LAUNCH_UPDATE of the launch, in order: a list of (gpa, page_type, data).

    svsm: svsm.bin's bytes. bios: the VMPL1 firmware's bytes or None. vcpus: launch VMSAs
    (snpemu launches the BSP only; APs are created at run time and not measured). vmsas: the
    VMSA pages themselves, one per vCPU, to replace the model (a real host's VMSA differs).
    """
    img = svsm if isinstance(svsm, SvsmImage) else SvsmImage(svsm)
    pages = []
    data = img.image
    for off in range(0, len(data), PAGE_SIZE):
        pages.append((img.load_gpa + off, PAGE_TYPE_NORMAL, data[off:off + PAGE_SIZE]))
    if bios is not None:
        if not bios or len(bios) % PAGE_SIZE or len(bios) > MAX_BIOS_SIZE:
            raise ImageError("firmware size %d is not a multiple of 4 KiB up to 16 MiB"
                             % len(bios))
        base = FOUR_GIB - len(bios)
        for off in range(0, len(bios), PAGE_SIZE):
            pages.append((base + off, PAGE_TYPE_NORMAL, bios[off:off + PAGE_SIZE]))
    # the metadata pages by type, whatever their order in the table
    meta = dict((t, g) for g, t in img.sections)
    pages.append((meta[SECTION_SECRETS], PAGE_TYPE_SECRETS, None))
    pages.append((meta[SECTION_CPUID], PAGE_TYPE_CPUID, None))
    pages.append((meta[SECTION_BIOS_VMSA], PAGE_TYPE_NORMAL, bios_vmsa(cpuid1_eax)))
    if vmsas is None:
        if vcpus < 1:
            raise ValueError("at least one vCPU")
        vmsas = [svsm_vmsa(img, sev_features)] * vcpus
    for v in vmsas:
        if len(v) != PAGE_SIZE:
            raise ValueError("a VMSA page is 4096 bytes")
        pages.append((vmsa_gpa, PAGE_TYPE_VMSA, v))
    return pages


def measure_pages(pages, log=None):
    """Chain a launch_pages() list; log(gpa, type, digest) is called after each page."""
    ld = LaunchDigest()
    for gpa, ptype, data in pages:
        ld.update_page(gpa, ptype, data)
        if log:
            log(gpa, ptype, ld.digest)
    return ld.digest


def measure_launch(svsm, bios=None, **kw):
    """MEASUREMENT (48 bytes) of launching svsm.bin (bytes) with the firmware (bytes or None);
    keyword arguments as launch_pages()."""
    return measure_pages(launch_pages(svsm, bios, **kw))
