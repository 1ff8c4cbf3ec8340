#!/bin/bash
# The eviction books (--evict-check, stats "evict"; tools/snpemu/README.md "Statistics"): a
# page the image validated counts as evicted only if its first and last 64-byte lines were
# read before any other access and before the image ran a lower VMPL. The probe's "evict" word
# touches pages in known orders (probe.c mode_evict): 3 + 1 + 512 evicted, 5 missed.
# --coherency-sfw-no sets CPUID 0x8000001f EBX[31].
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh

evict_is() {
	local got
	got=$(stat_get "'%d %d %d' % tuple(s['evict']['svsm'][k] for k in ('validated', 'evicted', 'missed'))")
	[ "$got" = "$1" ] || fail "evict books: expected validated/evicted/missed $1, got $got"
	[ "$(stat_get "s['evict']['guest']['validated']")" -eq 0 ] || fail "guest pages counted"
}

probe evict --evict-check
expect_rc 0
evict_is "521 516 5"
[ "$(stat_get "s['boot']['evict']['svsm']['evicted']")" -eq 516 ] || fail "boot snapshot"
# A page left pending is evicted by reads later on, unless the image ran VMPL1 in between.
probe "evict-pending evict-read" --evict-check
evict_is "1 1 0"
probe "evict-pending vmpl1 evict-read" --evict-check
expect_out '^vmpl1-call rax=0xd0e '
evict_is "1 0 1"
# Without the option: no books.
probe evict
expect_rc 0
[ "$(stat_get "s['evict'] is None")" = True ] || fail "books kept without --evict-check"

probe cpuid
expect_out '^cpuid 8000001f eax=0x3a ebx=0x4073$'
probe cpuid --coherency-sfw-no
expect_out '^cpuid 8000001f eax=0x3a ebx=0x80004073$'
echo PASS
