# SPDX-License-Identifier: MIT
# The SVSM self-test images (tests/svsm/selftest/README.md): svsm.bin's own objects, except
# src/guest/launch.c, linked with the self-test module, which provides guest_launch(). One
# image per case; svsm.bin is not touched (none of its objects or flags change).
#
#   build/svsm-selftest.bin          case "checks": every non-fatal check
#   build/svsm-selftest-CASE.bin     one fatal path each (SELFTEST_FATAL)
#   build/selftest/CASE/svsm.elf     the ELF of each, for addr2line on the panic report

SELFTEST_DIR := tests/svsm/selftest
SELFTEST_BUILD := $(BUILD)/selftest
SELFTEST_FATAL := pf gp ud de df vc-wbinvd vc-vmmcall vc-msr-refused \
	ap-pf ap-df ap-early
SELFTEST_CASES := checks $(SELFTEST_FATAL)
SELFTEST_SVSM_OBJS := $(filter-out $(SVSM_BUILD)/src/guest/launch.o,$(SVSM_OBJS))
SELFTEST_BINS := $(BUILD)/svsm-selftest.bin $(SELFTEST_FATAL:%=$(BUILD)/svsm-selftest-%.bin)

ALL_TARGETS += $(SELFTEST_BINS)

$(SELFTEST_BUILD)/insn.o: $(SELFTEST_DIR)/insn.S $(SVSM_BUILD)/config.h
	@mkdir -p $(@D)
	$(call msg,AS,$@)$(CC) $(SVSM_ASFLAGS) -I$(SELFTEST_DIR) -c -o $@ $<

# The module, compiled once per case with the SVSM's own flags.
$(SELFTEST_BUILD)/%/selftest.o: $(SELFTEST_DIR)/selftest.c $(SVSM_BUILD)/config.h
	@mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) $(SVSM_CFLAGS) -I$(SELFTEST_DIR) -DSELFTEST_CASE='"$*"' -c -o $@ $<

# Linked exactly as svsm.elf is (src/svsm.mk), with launch.o swapped for the module. The
# command is svsm.elf's, so only its output is named here.
$(SELFTEST_BUILD)/%/svsm.elf: $(SELFTEST_BUILD)/%/selftest.o $(SELFTEST_BUILD)/insn.o \
		$(SELFTEST_SVSM_OBJS) $(SVSM_BEARSSL) $(SVSM_BUILD)/linker.lds
	$(call msg,LD,$@)$(CC) $(filter-out -MMD -MP -include $(SVSM_BUILD)/config.h,$(SVSM_CFLAGS)) $(SVSM_LDFLAGS) \
		-T $(SVSM_BUILD)/linker.lds -Wl,-Map=$(@D)/svsm.map -o $@ \
		$(SELFTEST_SVSM_OBJS) $(SELFTEST_BUILD)/insn.o $< $(SVSM_BEARSSL)

$(BUILD)/svsm-selftest.bin: $(SELFTEST_BUILD)/checks/svsm.elf
	$(call msg,OBJCOPY,$@)objcopy -O binary $< $@

$(BUILD)/svsm-selftest-%.bin: $(SELFTEST_BUILD)/%/svsm.elf
	$(call msg,OBJCOPY,$@)objcopy -O binary $< $@

.SECONDARY: $(SELFTEST_CASES:%=$(SELFTEST_BUILD)/%/selftest.o) \
	$(SELFTEST_CASES:%=$(SELFTEST_BUILD)/%/svsm.elf)

-include $(wildcard $(SELFTEST_BUILD)/*/selftest.d $(SELFTEST_BUILD)/insn.d)
