#!/bin/bash
# scripts/snp-measure and snpattest.measure: PAGE_INFO known answers, the launch's pages (order,
# types, GPAs) for a synthetic svsm.bin and for the built one, and refused images.
. tests/tlib/tlib.sh
. tests/attest/lib.sh

# PAGE_INFO chaining, known answers computed independently of this code
# (snp-attestation-facts.md section 4, python hashlib): one NORMAL zero page at GPA 0, one ZERO
# page at GPA 0x1000, each from the all-zero digest of SNP_LAUNCH_START.
attest_py - <<'EOF' || fail "PAGE_INFO known answers"
from snpattest import measure as m
kat = [(0x0, m.PAGE_TYPE_NORMAL, bytes(4096),
        "9d13634b6014bb21cf059b2dc694e7bff01a8a7137041100cd2b695f3d10fb687267b97808b27f8f471d943bc6f53a20"),
       (0x1000, m.PAGE_TYPE_ZERO, None,
        "4bd4147976a1e7554c1c778a781affc1c672f1965a727ba16084989b7e356044a28bbe585a2f75dac9356fa5ab78f061")]
for gpa, t, data, want in kat:
    got = m.LaunchDigest().update_page(gpa, t, data).hex()
    print("page 0x%x type %d -> %s" % (gpa, t, got))
    assert got == want, "expected " + want
# PAGE_INFO bytes: LENGTH 0x70 at 0x60, type at 0x62, IMI 0, perms 0, GPA at 0x68 (SNP ABI #56860)
pi = m.page_info(b"\x11" * 48, b"\x22" * 48, m.PAGE_TYPE_SECRETS, 0x8000021000)
assert len(pi) == 0x70 and pi[:0x60] == b"\x11" * 48 + b"\x22" * 48, pi.hex()
assert pi[0x60:] == bytes.fromhex("7000050000000000" "0010020080000000"), pi.hex()
# the unmeasured types hash 48 zero bytes whatever the page holds
for t in (m.PAGE_TYPE_ZERO, m.PAGE_TYPE_UNMEASURED, m.PAGE_TYPE_SECRETS, m.PAGE_TYPE_CPUID):
    a = m.LaunchDigest().update_page(0x2000, t, None)
    b = m.LaunchDigest().update_page(0x2000, t, b"\xff" * 4096)
    assert a == b, t
EOF

# A synthetic image: the launch's pages, checked against a second, plain reading of the format.
attest_py - <<'EOF' || fail "synthetic image launch"
import hashlib, struct
from snpattest import measure as m
img = synth_image(body=b"\xcc" * 0x1800)  # 1.5 pages of code, then the footer
bios = bytes([7]) * 0x3000
pages = m.launch_pages(img, bios)
load, n_img = 0x8000000000, (len(img) + 0xfff) // 0x1000
got = [(g, t) for g, t, _ in pages]
want = [(load + 0x1000 * i, 1) for i in range(n_img)]
want += [(0x100000000 - 0x3000 + 0x1000 * i, 1) for i in range(3)]
want += [(META[0], 5), (META[1], 6), (META[2], 1), (0xFFFFFFFFF000, 2)]
assert got == want, "pages %r != %r" % (got, want)
# the same digest computed by hand from the PAGE_INFO definition
d = bytes(48)
for gpa, t, data in pages:
    c = hashlib.sha384(data.ljust(4096, b"\0")).digest() if t in (1, 2) else bytes(48)
    d = hashlib.sha384(d + c + struct.pack("<HBBIQ", 0x70, t, 0, 0, gpa)).digest()
assert m.measure_launch(img, bios) == d
# the last image page is zero-padded, the BIOS VMSA and VMPL0 VMSA are the launch's
assert pages[n_img - 1][2] == img[(n_img - 1) * 0x1000:]
v0 = pages[-1][2]
assert struct.unpack_from("<HHIQ", v0, 0x10) == (0x8, 0xa9a, 0xffffffff, 0), "CS"
assert v0[0xca] == 0 and struct.unpack_from("<Q", v0, 0x3b0)[0] == 0x9, "vmpl, SEV features"
assert struct.unpack_from("<QQQQ", v0, 0x148) == (0x668, 0x8000001000 | 1 << 51, 0x80010033, 0x400)
assert struct.unpack_from("<Q", v0, 0x178)[0] == 0xffffffff80000123, "RIP"
v1 = pages[-2][2]
assert struct.unpack_from("<HHIQ", v1, 0x10) == (0xf000, 0x9b, 0xffff, 0xffff0000), "BIOS CS"
assert v1[0xca] == 1 and struct.unpack_from("<Q", v1, 0x310)[0] == 0x60fb1, "BIOS vmpl, RDX"
# vCPUs: one VMSA page each, last; no firmware: no firmware pages
assert [t for _, t, _ in m.launch_pages(img, None, vcpus=3)][-4:] == [1, 2, 2, 2]
assert len(m.launch_pages(img, None)) == n_img + 4
# the metadata pages come secrets, CPUID, BIOS VMSA whatever the table's order
shuffled = m.launch_pages(synth_image(body=b"\xcc" * 0x1800, types=(5, 2, 3)), None)
assert [(g, t) for g, t, _ in shuffled[-4:-1]] == [(META[1], 5), (META[2], 6), (META[0], 1)]
print("synthetic launch: %d pages, %s" % (len(pages), d.hex()))
EOF

# Refused images: what snpemu refuses, snp-measure refuses too (exit 1, a message).
attest_py - <<'EOF' || fail "malformed images"
from snpattest import measure as m
bad = {
    "no envelope": synth_image()[:-1] + b"\0",
    "unknown section type": synth_image(types=(2, 3, 4)),
    "section type twice": synth_image(types=(2, 3, 3)),
    "section inside the image": synth_image(meta=(0x8000000000, META[1], META[2])),
    "load GPA not 2 MiB aligned": synth_image(load=0x8000001000),
    "bad signature": synth_image(sig=b"SVSN"),
}
for what, img in bad.items():
    try:
        m.launch_pages(img)
    except m.ImageError as e:
        print("%s: refused (%s)" % (what, e))
        continue
    raise AssertionError(what + ": accepted")
for size in (0x800, 17 << 20):
    try:
        m.launch_pages(synth_image(), bytes(size))
    except m.ImageError as e:
        print("firmware of %d bytes: refused (%s)" % (size, e))
        continue
    raise AssertionError("firmware size %d accepted" % size)
EOF

# The CLI on the built image: digest, one log line per page, refusal of a non-image.
if [ ! -f svsm.bin ] || [ ! -f build/guest.fd ]; then
	fail "svsm.bin and build/guest.fd not built (make)"
fi
d=$(scripts/snp-measure svsm.bin --bios build/guest.fd) || fail "snp-measure failed"
[[ "$d" =~ ^[0-9a-f]{96}$ ]] || fail "not a 48-byte hex digest: $d"
n=$(scripts/snp-measure --log svsm.bin --bios build/guest.fd | grep -c '^ *[0-9]* 0x')
img_pages=$((($(stat -c %s svsm.bin) + 4095) / 4096))
fw_pages=$(($(stat -c %s build/guest.fd) / 4096))
[ "$n" -eq $((img_pages + fw_pages + 4)) ] ||
	fail "$n pages logged, expected image $img_pages + firmware $fw_pages + 3 metadata + 1 VMSA"
[ "$(scripts/snp-measure --log svsm.bin --bios build/guest.fd | tail -1)" = "$d" ] ||
	fail "--log changes the digest"
d2=$(scripts/snp-measure svsm.bin) || fail "snp-measure without firmware failed"
[ "$d" != "$d2" ] || fail "the firmware is not measured"
head -c 8192 /dev/zero >"$TEST_TMP/zero.bin"
scripts/snp-measure "$TEST_TMP/zero.bin" 2>"$TEST_TMP/err" && fail "a file of zeros was measured"
grep -q 'no footer GUID table' "$TEST_TMP/err" || fail "no reason given: $(cat "$TEST_TMP/err")"
# options: N VMSAs; the VMSA pages given as files (the model's own page gives the model's
# digest, a changed page another one); SEV features; JSON
TEST_TMP=$TEST_TMP attest_py - >"$TEST_TMP/v.sh" <<'EOF' || fail "expected values"
import os
from snpattest import measure as m
img = open("svsm.bin", "rb").read()
open(os.environ["TEST_TMP"] + "/vmsa.bin", "wb").write(m.svsm_vmsa(m.SvsmImage(img)))
print("want2=" + m.measure_launch(img, None, vcpus=2).hex())
print("want_sf=" + m.measure_launch(img, None, sev_features=0x1).hex())
EOF
want2='' want_sf=''
# shellcheck disable=SC1091
. "$TEST_TMP/v.sh"
[ "$(scripts/snp-measure svsm.bin --vcpus 2)" = "$want2" ] || fail "--vcpus 2"
[ "$want2" != "$d2" ] || fail "a second VMSA changes nothing"
[ "$(scripts/snp-measure svsm.bin --vmsa "$TEST_TMP/vmsa.bin")" = "$d2" ] ||
	fail "--vmsa with the model's own VMSA page"
two=(--vmsa "$TEST_TMP/vmsa.bin" --vmsa "$TEST_TMP/vmsa.bin")
[ "$(scripts/snp-measure svsm.bin "${two[@]}")" = "$want2" ] || fail "--vmsa twice"
printf '\1' | dd of="$TEST_TMP/vmsa.bin" bs=1 seek=$((0x3b0)) conv=notrunc status=none
[ "$(scripts/snp-measure svsm.bin --vmsa "$TEST_TMP/vmsa.bin")" = "$want_sf" ] ||
	fail "--vmsa with SEV_FEATURES 1 != --sev-features 1"
[ "$(scripts/snp-measure svsm.bin --sev-features 1)" = "$want_sf" ] || fail "--sev-features"
scripts/snp-measure --json svsm.bin --bios build/guest.fd >"$TEST_TMP/j.json" || fail "--json"
"$PY" -c 'import json,sys; j=json.load(open(sys.argv[1]))
sys.exit(j["measurement"] != sys.argv[2] or j["pages"] != int(sys.argv[3]))' \
	"$TEST_TMP/j.json" "$d" "$n" || fail "--json: $(cat "$TEST_TMP/j.json")"
echo "svsm.bin + guest.fd: $d ($n pages)"
echo PASS
