# Helpers for the snpemu tests (source it after tests/tlib/tlib.sh).
#
#   probe "WORDS" [snpemu args...]   run the probe image with mode WORDS (README "The probe")
#
# The probe and the emulator must be built (make).
PROBE=build/snpemu/probe.bin
PROBE_BIOS=build/snpemu/probe-bios.bin
for f in build/snpemu/snpemu.rom "$PROBE" "$PROBE_BIOS"; do
	[ -f "$f" ] || fail "$f is not built (run make)"
done

probe() {
	local words=$1
	shift
	printf '%s\n' "$words" >"$TEST_TMP/mode"
	run_snpemu --timeout 30 --fw-cfg "opt/probe/mode=$TEST_TMP/mode" "$@" "$PROBE"
}
