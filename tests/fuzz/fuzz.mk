# SPDX-License-Identifier: MIT
# fuzz: libFuzzer targets for the parsers of untrusted input (clang, ASan + UBSan).
#
# Every tests/fuzz/fuzz_<name>.c becomes build/fuzz/fuzz_<name>, linked with the files it
# names in one comment line of its own, so adding a target is adding one file:
#
#     /* fuzz-srcs: src/lib/guidtable.c tests/unit/fake_fwcfg.c */
#
# A seed corpus may sit in tests/fuzz/corpus/<name>/ (read only; new inputs go to
# build/fuzz/corpus/<name>/). `make fuzz` runs each target for FUZZ_SECONDS; `make test`
# runs each briefly through tests/fuzz/smoke.test.sh.

FUZZ_CC := clang
FUZZ_BUILD := $(BUILD)/fuzz
FUZZ_SECONDS ?= 60
FUZZ_FLAGS := -std=c11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -Wall -Wextra -Werror -Iinclude -Itests/unit -MMD -MP

FUZZ_NAMES := $(patsubst tests/fuzz/%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BINS := $(addprefix $(FUZZ_BUILD)/,$(FUZZ_NAMES))

fuzz_srcs = $(shell sed -n 's|^/\* fuzz-srcs: \(.*\) \*/$$|\1|p' $(1))
fuzz_objs = $(patsubst %.c,$(FUZZ_BUILD)/obj/%.o,$(1) $(call fuzz_srcs,$(1)))

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(call msg,CC,$@)$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

define fuzz_rule
$(FUZZ_BUILD)/$(1): $(call fuzz_objs,tests/fuzz/$(1).c)
	$$(call msg,LD,$$@)$$(FUZZ_CC) $$(FUZZ_FLAGS) -fsanitize=fuzzer -o $$@ $$^
endef
$(foreach t,$(FUZZ_NAMES),$(eval $(call fuzz_rule,$(t))))

ALL_TARGETS += $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	@for t in $(FUZZ_NAMES); do \
		corpus=$(FUZZ_BUILD)/corpus/$${t#fuzz_}; seeds=tests/fuzz/corpus/$${t#fuzz_}; \
		mkdir -p $$corpus; [ -d $$seeds ] || seeds=; \
		echo "== $$t for $(FUZZ_SECONDS)s"; \
		$(FUZZ_BUILD)/$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			$$corpus $$seeds || exit 1; \
	done

-include $(shell find $(FUZZ_BUILD)/obj -name '*.d' 2>/dev/null)
