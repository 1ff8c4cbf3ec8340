# Helpers for the svsm.bin boot tests (source after tests/tlib/tlib.sh).
#
#   boot_svsm ARGS...        run_snpemu with a fixed seed and timeout, then svsm.bin
#   expect_termination S C   the SVSM ended through the GHCB (snpemu exit 2) with set S, code C
#   expect_no_later_steps N  no log line of boot step N or any later step (see BOOT_STEPS)
#   expect_sev_status_refused  the SEV_STATUS check stopped the boot: (15, 0x05), no boot step
#                            logged, no exchange with the hypervisor
#   expect_ready_lines N     exactly vCPUs 0..N-1 each reported ready once, on its own vCPU
#   expect_stopped_in_start S C  start.S's first check stopped the boot with (S, C): nothing
#                            logged, no exchange with the host but the termination request, no
#                            RMPADJUST or PVALIDATE
#   stat_msr REQ / stat_nae CODE   how often an MSR-protocol request / NAE exit was seen

[ -f svsm.bin ] || fail "build svsm.bin first (make)"

# One marker per step of svsm_main, in boot order (src/main.c); steps 1-6 log into the early
# buffer, printed once the console (step 7) exists.
BOOT_STEPS=(
	"csvsm: VMPL0, SEV_STATUS"  # 1 initial checks
	"ghcb: protocol version"    # 3 GHCB negotiated and registered
	"mem_init: "                # 4 memory validated
	"paging: own page tables"   # 5
	"percpu: GDT, TSS"          # 6
	"console: COM1"             # 7
	"fw_cfg: [0-9]+ vCPUs?,"      # 8
	"vCPU [0-9]+ ready"         # 9
	"boot summary:"             # after 9
)

boot_svsm() {
	run_snpemu --seed 1 --timeout 300 "$@" svsm.bin
}

expect_termination() {
	local want got
	want=$(printf '%d/%#x' "$1" "$2")
	expect_rc 2
	got=$(stat_get "'%d/%#x' % (s['termination']['set'], s['termination']['code'])") ||
		fail "no termination recorded in --stats"
	[ "$got" = "$want" ] || fail "expected termination $want, got $got"
}

# N is an index into BOOT_STEPS (0-based): that step's line and every later one are absent.
expect_no_later_steps() {
	local i
	for ((i = $1; i < ${#BOOT_STEPS[@]}; i++)); do
		expect_no_out "\] ${BOOT_STEPS[$i]}"
	done
}

expect_sev_status_refused() {
	expect_termination 15 0x05
	expect_no_later_steps 0
	[ "$(stat_msr 0x002)" -eq 0 ] || fail "GHCB negotiation after a failed SEV_STATUS check"
}

expect_ready_lines() {
	local n=$1 i count
	count=$(grep -cE '^\[cpu[0-9]+\] vCPU [0-9]+ ready' "$OUT")
	[ "$count" -eq "$n" ] || fail "expected $n ready lines, got $count"
	for ((i = 0; i < n; i++)); do
		expect_out "^\[cpu$i\] vCPU $i ready \(APIC ID [0-9]+\)$"
	done
}

expect_stopped_in_start() {
	expect_termination "$1" "$2"
	expect_out "^snpemu: SVSM terminated: reason set $1 code $(printf '0x%02x' "$2")$"
	expect_no_later_steps 0
	[ "$(stat_get "sum(s['msr_protocol'].values())")" -eq 1 ] &&
		[ "$(stat_msr 0x100)" -eq 1 ] || fail "an MSR-protocol request before the termination"
	[ "$(stat_get "sum(s['vmgexit'].values())")" -eq 0 ] || fail "a GHCB exit before the termination"
	[ "$(stat_get "s['rmpadjust']['4k'] + s['rmpadjust']['2m'] + s['rmpadjust']['failed']")" -eq 0 ] ||
		fail "RMPADJUST ran before the check"
	[ "$(stat_get "s['pvalidate']['4k'] + s['pvalidate']['2m'] + s['pvalidate']['failed']")" -eq 0 ] ||
		fail "PVALIDATE ran before the check"
}

stat_msr() {
	stat_get "s['msr_protocol'].get('$1', 0)"
}

stat_nae() {
	stat_get "s['vmgexit'].get('$1', 0)"
}
