# make bench: run every tests/bench/*.bench.sh in turn (each prints its own report).
# Benchmarks print figures and compare them with their targets; they are not pass/fail
# tests, because wall time on these machines is noisy. Deterministic counts come from
# snpemu --stats under -icount.

BENCH_SCRIPTS = $(sort $(wildcard tests/bench/*.bench.sh))

bench: all
	@for b in $(BENCH_SCRIPTS); do echo "== $$b"; bash $$b || exit 1; echo; done
