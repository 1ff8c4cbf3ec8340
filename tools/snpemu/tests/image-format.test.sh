#!/bin/bash
# The launcher refuses malformed images with a clear message (exit 4) and launches a good one.
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh

size=$(stat -c %s "$PROBE")
bad="$TEST_TMP/bad.bin"

# envelope GUID damaged
cp "$PROBE" "$bad"
printf '\x00' | dd of="$bad" bs=1 seek=$((size - 1)) conv=notrunc status=none
run_snpemu "$bad"
expect_rc 4
expect_out 'malformed svsm image: no footer GUID table'

# table length larger than the file tail allows
cp "$PROBE" "$bad"
printf '\xff\xff' | dd of="$bad" bs=1 seek=$((size - 18)) conv=notrunc status=none
run_snpemu "$bad"
expect_rc 4
expect_out 'malformed svsm image: (footer table length|GUID table entry length)'

# SVSM INFO entry length cut to 50 bytes of data (entry_len is right before its GUID)
cp "$PROBE" "$bad"
# layout from the end: [env GUID 16][u16][meta GUID 16][u16 22][u32] [info GUID 16][u16 104]
off=$((size - 16 - 2 - 16 - 2 - 4 - 16 - 2))
[ "$(od -An -tu2 -j $off -N2 "$bad" | tr -d ' ')" = 104 ] || fail "probe footer layout changed"
printf '\x44\x00' | dd of="$bad" bs=1 seek=$off conv=notrunc status=none
run_snpemu "$bad"
expect_rc 4
expect_out 'malformed svsm image'

# metadata signature damaged: the metadata starts 16+48 bytes before the footer entries
cp "$PROBE" "$bad"
meta=$((size - (16 + 2 + 16 + 2 + 4 + 16 + 2 + 86) - 64))
[ "$(dd if="$bad" bs=1 skip=$meta count=4 status=none)" = SVSM ] || fail "probe metadata moved"
printf 'XVSM' | dd of="$bad" bs=1 seek=$meta conv=notrunc status=none
run_snpemu "$bad"
expect_rc 4
expect_out 'metadata signature is not "SVSM"'

# a file that is no image at all
head -c 4096 /dev/zero >"$bad"
run_snpemu "$bad"
expect_rc 4
expect_out 'malformed svsm image'

# --mem beyond the limit (16 GiB: what the runner's host can back), or not in 2 MiB pages
probe pass --mem 17G
expect_rc 4
expect_out 'mem must be a multiple of 2 MiB up to 16 GiB'
probe pass --mem 513M
expect_rc 4
expect_out 'mem must be a multiple of 2 MiB up to 16 GiB'
echo PASS
