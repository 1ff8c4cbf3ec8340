# SPDX-License-Identifier: MIT
# snpemu conformance payload (tools/snpemu/tests/conformance): build fragment, included by
# tools/snpemu/snpemu.mk.
#
# One image per payload mode, each in the svsm.bin image format, linked for SVSM_GPA/SVSM_MEM:
#   build/conformance/conformance.bin         every non-fatal check (verdict 0x10 = pass)
#   build/conformance/conformance-<mode>.bin  one deliberate rule break each (see conf.h)

CONF_SRC := tools/snpemu/tests/conformance/src
CONF_BUILD := $(BUILD)/conformance
CONF_MODES := cbit0 vmpl1-noaccess vmpl1-readonly fail-verdict terminate terminate-nae tlb-flushed \
	user-sx walk-shared
CONF_MODE_full := MODE_FULL
CONF_MODE_cbit0 := MODE_CBIT0
CONF_MODE_vmpl1-noaccess := MODE_VMPL1_NOACCESS
CONF_MODE_vmpl1-readonly := MODE_VMPL1_READONLY
CONF_MODE_fail-verdict := MODE_FAIL_VERDICT
CONF_MODE_terminate := MODE_TERMINATE
CONF_MODE_terminate-nae := MODE_TERMINATE_NAE
CONF_MODE_tlb-flushed := MODE_TLB_FLUSHED
CONF_MODE_user-sx := MODE_USER_SX
CONF_MODE_walk-shared := MODE_WALK_SHARED

CONF_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fno-pic -fno-pie \
	-mcmodel=kernel -mno-red-zone -mgeneral-regs-only -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-strict-aliasing -fno-tree-loop-distribute-patterns \
	-Iinclude -I$(TLIB_INCLUDE) -I$(CONF_SRC) -include $(CONF_BUILD)/config.h -MMD -MP
CONF_ASFLAGS := -g -I$(CONF_SRC) -I$(TLIB_INCLUDE) -include $(CONF_BUILD)/config.h -D__ASSEMBLER__ -MMD -MP
CONF_LDFLAGS := -nostdlib -static -z max-page-size=4096 -z noexecstack --build-id=none \
	--no-warn-rwx-segments

CONF_C_SRCS := $(filter-out $(CONF_SRC)/main.c,$(sort $(wildcard $(CONF_SRC)/*.c)))
# Formatting and the string functions (the SVSM's pure modules), the console (tests/tlib).
CONF_LIB_OBJS := $(CONF_BUILD)/src/lib/format.o $(CONF_BUILD)/src/lib/string.o \
	$(CONF_BUILD)/tlib/console.o $(CONF_BUILD)/tlib/io_insn.o $(CONF_BUILD)/tlib/report.o
CONF_OBJS := $(patsubst $(CONF_SRC)/%.c,$(CONF_BUILD)/%.o,$(CONF_C_SRCS)) $(CONF_BUILD)/start.o \
	$(CONF_LIB_OBJS)
CONF_ALL_MODES := full $(CONF_MODES)
CONF_IMAGES := $(CONF_BUILD)/conformance.bin $(CONF_MODES:%=$(CONF_BUILD)/conformance-%.bin)

ALL_TARGETS += $(CONF_IMAGES)

$(CONF_BUILD)/config.h: FORCE
	@mkdir -p $(@D)
	@printf '#define SVSM_GPA %s\n#define SVSM_MEM %s\n' '$(SVSM_GPA)' '$(SVSM_MEM)' >$@.tmp
	@cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp

$(eval $(call tlib_rules,$(CONF_BUILD),CONF_CFLAGS,$(CONF_BUILD)/config.h))

$(filter-out $(CONF_BUILD)/start.o $(CONF_LIB_OBJS),$(CONF_OBJS)): $(CONF_BUILD)/%.o: \
		$(CONF_SRC)/%.c $(CONF_BUILD)/config.h
	@mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) $(CONF_CFLAGS) -c -o $@ $<

$(CONF_BUILD)/start.o: $(CONF_SRC)/start.S $(CONF_BUILD)/config.h
	@mkdir -p $(@D)
	$(call msg,AS,$@)$(CC) $(CONF_ASFLAGS) -c -o $@ $<

# main.c is the only file that depends on the mode. (Static pattern rules: they must not
# match anything else, such as make's attempts to remake the .d files.)
$(CONF_ALL_MODES:%=$(CONF_BUILD)/main-%.o): $(CONF_BUILD)/main-%.o: $(CONF_SRC)/main.c \
		$(CONF_BUILD)/config.h
	@mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) $(CONF_CFLAGS) -DCONF_MODE=$(CONF_MODE_$*) -c -o $@ $<

$(CONF_BUILD)/conformance.lds: $(CONF_SRC)/conformance.lds.S $(CONF_BUILD)/config.h
	$(call msg,CPP,$@)$(CC) -E -P -x c -I$(CONF_SRC) -include $(CONF_BUILD)/config.h -D__ASSEMBLER__ -o $@ $<

$(CONF_ALL_MODES:%=$(CONF_BUILD)/conformance-%.elf): $(CONF_BUILD)/conformance-%.elf: \
		$(CONF_OBJS) $(CONF_BUILD)/main-%.o $(CONF_BUILD)/conformance.lds
	$(call msg,LD,$@)ld $(CONF_LDFLAGS) -T $(CONF_BUILD)/conformance.lds -Map=$(@:.elf=.map) -o $@ \
		$(CONF_OBJS) $(CONF_BUILD)/main-$*.o

$(CONF_ALL_MODES:%=$(CONF_BUILD)/conformance-%.bin): $(CONF_BUILD)/conformance-%.bin: \
		$(CONF_BUILD)/conformance-%.elf
	$(call msg,OBJCOPY,$@)objcopy -O binary $< $@

$(CONF_BUILD)/conformance.bin: $(CONF_BUILD)/conformance-full.bin
	$(call msg,CP,$@)cp $< $@

.PHONY: FORCE
FORCE:

# Dependency files are only ever produced by the compiler: no rule may try to remake them.
$(CONF_BUILD)/%.d: ;
-include $(wildcard $(CONF_BUILD)/*.d)
