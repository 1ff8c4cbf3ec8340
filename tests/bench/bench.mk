# SPDX-License-Identifier: MIT
# make bench: run every tests/bench/*.bench.sh in turn (each prints its own report).
#
# Benchmarks print figures and compare them with their targets; they are not pass/fail tests
# (wall time on these machines is noisy; deterministic counts come from snpemu --stats under
# -icount). Convention: a script exits non-zero only when it could not measure; a missed
# target is a line containing "MISSED". The run ends with a summary of those lines.

BENCH_SCRIPTS = $(sort $(wildcard tests/bench/*.bench.sh))

bench: all
	@mkdir -p $(BUILD)/bench; rm -f $(BUILD)/bench/*.out; \
	for b in $(BENCH_SCRIPTS); do \
		out=$(BUILD)/bench/$$(basename $$b .bench.sh).out; \
		echo "== $$b"; bash $$b 2>&1 | tee $$out; rc=$${PIPESTATUS[0]}; echo; \
		if [ $$rc -ne 0 ]; then echo "bench: $$b could not measure (exit $$rc)"; exit 1; fi; \
	done; \
	missed=$$(grep -h MISSED $(BUILD)/bench/*.out); \
	if [ -n "$$missed" ]; then echo "== targets missed:"; echo "$$missed"; \
	else echo "== all benchmark targets met"; fi
