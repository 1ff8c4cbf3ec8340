# Helpers for the self-test image runs (tests/svsm/selftest/README.md). Source after
# tests/tlib/tlib.sh and tests/svsm/svsm-lib.sh.
#
#   boot_selftest CASE [ARGS...]   boot the image of CASE ("checks": build/svsm-selftest.bin,
#                                  else build/svsm-selftest-CASE.bin) under snpemu, 2 vCPUs;
#                                  sets $ELF for addr2line
# The report is looked for on vCPU $PANIC_CPU (0 unless the test sets it).
#
#   expect_panic SET CODE VEC NAME ERR  the run ended in the SVSM's fault report: the
#                                  "fatal: ...: vector VEC (NAME), error code ERR" line, the
#                                  full register dump, the trace, then termination (SET, CODE)
#   reg NAME                       a register's value from the report's dump (rip, rax, cr2, ...)
#   func_at ADDR                   the function of the self-test ELF at ADDR (addr2line)
#   trace_funcs                    the function of each stack-trace frame, one a line, in
#                                  order (frames after #0 are return addresses: looked up at
#                                  ADDR - 1, inside the call)
#   expect_frame N FUNC            frame #N is in FUNC
#   expect_trace_has FUNC          some frame is in FUNC

PANIC_CPU=0

boot_selftest() {
	local case=$1 bin
	shift
	if [ "$case" = checks ]; then
		bin=build/svsm-selftest.bin
	else
		bin=build/svsm-selftest-$case.bin
	fi
	ELF=build/selftest/$case/svsm.elf
	[ -f "$bin" ] && [ -f "$ELF" ] || fail "build the self-test images first (make)"
	# every vCPU must be up before the self-test runs: it is guest_launch, the last boot step
	run_snpemu --seed 1 --timeout 300 --smp 2 "$@" "$bin"
	expect_ready_lines 2
	expect_out "^\[cpu0\] selftest: case $case$"
}

# The report of src/arch/exception.c (exception_fatal), in full.
expect_panic() {
	local set=$1 code=$2 vec=$3 name=$4 err=$5 r
	expect_termination "$set" "$code"
	expect_out "^\[cpu$PANIC_CPU\] error: fatal: .*: vector $vec \($name\), error code $err$"
	for r in rip cs rflags rsp ss rax rbx rcx rdx rsi rdi rbp r8 r9 r10 r11 r12 r13 r14 r15 \
		cr2 cr3; do
		reg "$r" >/dev/null || fail "register $r missing from the report"
	done
	expect_out "^\[cpu$PANIC_CPU\] error:   stack trace \(addr2line"
	expect_out "^\[cpu$PANIC_CPU\] error: fatal: .* \(terminating: set $set code $(printf '%#x' "$code")\)$"
	expect_no_out '^\[cpu[0-9]+\] not ok - '
	expect_no_out 'selftest: done'
}

reg() {
	local v
	v=$(grep -aE "^\[cpu$PANIC_CPU\] error:   [a-z]" "$OUT" | grep -oE "(^|[ ])$1 +(0x[0-9a-f]+|0)( |$)" |
		head -1 | awk '{print $NF}')
	[ -n "$v" ] || return 1
	echo "$v"
}

func_at() {
	addr2line -f -e "$ELF" "$1" | head -1
}

trace_funcs() {
	local n addr
	grep -aE "^\[cpu$PANIC_CPU\] error:     #[0-9]+ 0x[0-9a-f]+$" "$OUT" | awk '{print $3, $4}' |
		while read -r n addr; do
			[ "$n" = "#0" ] || addr=$(printf '%#x' $((addr - 1)))
			func_at "$addr"
		done
}

expect_frame() {
	local got
	got=$(trace_funcs | sed -n "$(($1 + 1))p")
	[ "$got" = "$2" ] || fail "stack-trace frame #$1 is in '$got', expected $2"
}

expect_trace_has() {
	trace_funcs | grep -qx "$1" || fail "no stack-trace frame in $1: $(trace_funcs | tr '\n' ' ')"
}
