# Helpers for the host-profile cases (source after tests/tlib/tlib.sh and tests/guest/e2e-lib.sh).
#
#   host_suite PROFILE SMP MIN_OK   the test firmware's suite on svsm.bin under snpemu --host
#                                   PROFILE (tools/snpemu/README.md "Host profiles"): it must
#                                   pass; the statistics must name the profile
host_suite() {
	local profile=$1 smp=$2 min=$3
	e2e_suite "$smp" "$min" --host "$profile"
	[ "$(stat_get 's["host"]')" = "$profile" ] || fail "the statistics do not name host $profile"
	expect_out "^snpemu: host profile $profile$"
}
