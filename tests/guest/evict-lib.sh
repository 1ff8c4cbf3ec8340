# Helpers for the cache-line eviction cases (source after tests/tlib/tlib.sh).
#
#   evict_run ARGS...      the test firmware on svsm.bin with snpemu's eviction books
#                          (--evict-check) and ARGS; the firmware must pass
#   evict_phase EXPR       print "validated evicted missed" of one phase, EXPR a python
#                          expression for a books entry of the stats (s['evict']['svsm'])
#   evict_phases           the three phases as NAME and EXPR, one per line:
#                          svsm-memory (SVSM memory at boot: mem_init, the launch's fault-path
#                          self-test page), launch (guest memory at boot),
#                          calls (guest memory after boot: the guest's PVALIDATE calls)

evict_run() {
	run_snpemu --smp 1 --timeout 600 --bios build/guest.fd --evict-check "$@" svsm.bin
	expect_no_out '\[guest\] not ok - '
	expect_rc 0
	expect_out '\[guest\] PASS$'
}

evict_phase() {
	stat_get "' '.join(str($1[k]) for k in ('validated', 'evicted', 'missed'))"
}

evict_phases() {
	echo "svsm-memory s['boot']['evict']['svsm']"
	echo "launch s['boot']['evict']['guest']"
	echo "calls {k: s['evict']['guest'][k] - s['boot']['evict']['guest'][k] for k in s['evict']['guest']}"
}
