# SPDX-License-Identifier: MIT
# unit: cmocka host tests of the pure-C modules, under ASan + UBSan.
#
# Every tests/unit/test_<name>.c becomes build/unit/test_<name>. A test names the other
# files it links in one comment line of its own, so adding a test is adding one file:
#
#     /* unit-srcs: src/mm/buddy.c tests/unit/fake_psc.c */
#
# `make unit` builds them all; `make test` runs them (scripts/run-tests.sh).

UNIT_BUILD := $(BUILD)/unit
UNIT_CFLAGS := -std=c11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -Wall -Wextra -Werror -Iinclude -Itests/unit -MMD -MP
UNIT_LDLIBS := -lcmocka -pthread

UNIT_NAMES := $(patsubst tests/unit/%.c,%,$(sort $(wildcard tests/unit/test_*.c)))
UNIT_BINS := $(addprefix $(UNIT_BUILD)/,$(UNIT_NAMES))

unit_srcs = $(shell sed -n 's|^/\* unit-srcs: \(.*\) \*/$$|\1|p' $(1))
unit_objs = $(patsubst %.c,$(UNIT_BUILD)/obj/%.o,$(1) $(call unit_srcs,$(1)))

$(UNIT_BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(call msg,CC,$@)$(HOSTCC) $(UNIT_CFLAGS) -c -o $@ $<

define unit_rule
$(UNIT_BUILD)/$(1): $(call unit_objs,tests/unit/$(1).c)
	$$(call msg,LD,$$@)$$(HOSTCC) $$(UNIT_CFLAGS) -o $$@ $$^ $$(UNIT_LDLIBS)
endef
$(foreach t,$(UNIT_NAMES),$(eval $(call unit_rule,$(t))))

.PHONY: unit
unit: $(UNIT_BINS)

ALL_TARGETS += $(UNIT_BINS)

-include $(shell find $(UNIT_BUILD)/obj -name '*.d' 2>/dev/null)
