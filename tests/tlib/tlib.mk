# SPDX-License-Identifier: MIT
# tests/tlib: the shared freestanding library of the test programs (tests/tlib/README.md).
#
# There is no library archive: each program compiles the sources it links with its own flags
# (code model, link address) into its own build directory. A program's fragment calls
#
#     $(eval $(call tlib_rules,DIR,CFLAGS-VARIABLE,EXTRA-PREREQUISITES))
#
# which defines
#     DIR/src/%.o    from src/%.c        the SVSM's pure modules (src/lib/format.c, ...)
#     DIR/tlib/%.o   from tests/tlib/%.c  the test library
# and lists the objects it wants, e.g. $(DIR)/src/lib/format.o $(DIR)/tlib/console.o.
# string.c implements memset/memcpy: GCC must not turn its loops back into calls to them,
# hence -fno-tree-loop-distribute-patterns for every object here.

TLIB_DIR := tests/tlib
TLIB_INCLUDE := tests/tlib/include

define tlib_rules
$(1)/src/%.o: src/%.c $(3)
	@mkdir -p $$(@D)
	$$(call msg,CC,$$@)$$(CC) $$($(2)) -fno-tree-loop-distribute-patterns -c -o $$@ $$<

$(1)/tlib/%.o: $(TLIB_DIR)/%.c $(3)
	@mkdir -p $$(@D)
	$$(call msg,CC,$$@)$$(CC) $$($(2)) -fno-tree-loop-distribute-patterns -c -o $$@ $$<

-include $$(wildcard $(1)/src/*/*.d $(1)/tlib/*.d)
endef
