# shellcheck shell=bash
# Helpers for tests/attest (source after tests/tlib/tlib.sh).
#
#   attest_py -            run Python (Debian's /usr/bin/python3, as the tools) from stdin with
#                          scripts/ on sys.path and the helpers below defined:
#     synth_image(...)     a small svsm.bin in the README's format (load 0x8000000000, 16 MiB),
#                          with keyword arguments to break it; META: its metadata page GPAs
#   make_chain DIR [ARGS]  scripts/snp-verify --make-test-chain DIR ARGS, quietly
#   verify ARGS...         run scripts/snp-verify ARGS; output in $OUT, status in $RC
#   expect_check NAME ST   the last verify printed "ST NAME ..." (ST: PASS, FAIL, SKIP)

PY=/usr/bin/python3

attest_py() {
	local prog
	prog=$(cat)
	"$PY" - <<EOF
import sys, struct, uuid
sys.path.insert(0, "scripts")
LOAD = 0x8000000000
META = (LOAD + 0x10000, LOAD + 0x11000, LOAD + 0x12000)

def synth_image(body=b"\x90" * 0x100, load=LOAD, types=(2, 3, 5), meta=META, sig=b"SVSM"):
    info = struct.pack("<QQQQHQHHQQQQQ", load, 0x1000000, (LOAD + 0x1000) | 1 << 51,
                       0xffffffff80000800, 0x17, 0, 0, 8, 0x00af9a000000ffff,
                       0xffffffff80000123, 0x1d00, 0x80010033, 0x668)
    md = sig + struct.pack("<III", 16 + 16 * len(types), 1, len(types))
    for g, t in zip(meta, types):
        md += struct.pack("<QII", g, 0x1000, t)
    guid = lambda s: uuid.UUID(s).bytes_le
    tail = (struct.pack("<IH", 0, 22) + guid("be30189b-ab44-4a97-82dd-ea813941047e")
            + info + struct.pack("<H", 104) + guid("a789a612-0597-4c4b-a49f-cbb1fe9d1ddd")
            + struct.pack("<H", 144) + guid("81384fea-ad48-4eb6-af4f-6ac49316df2b"))
    img = bytearray(body + md + tail)
    struct.pack_into("<I", img, len(body) + len(md), len(img) - len(body))  # metadata offset
    return bytes(img)

$prog
EOF
}

make_chain() {
	local dir=$1
	shift
	scripts/snp-verify --make-test-chain "$dir" "$@" >/dev/null || fail "--make-test-chain $dir failed"
}

verify() {
	echo "+ snp-verify $*"
	scripts/snp-verify "$@" >"$OUT" 2>&1
	RC=$?
	cat "$OUT"
	echo "+ exit status $RC"
}

expect_check() {
	grep -Eq "^$2 +$1 " "$OUT" || fail "expected check '$1' to be $2"
}
