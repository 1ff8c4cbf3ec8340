# SPDX-License-Identifier: MIT
# tests/linux/initramfs: the initramfs the linux.* cases boot Debian's kernel with
# (tests/linux/README.md).
#
#   build/linux/init            static /init (the host's gcc and glibc's libc.a; BearSSL's SHA-512
#                               for the attestation checks, scripts/bearssl.mk)
#   build/linux/initramfs.cpio  newc archive: /init, /dev/console, mount points
#
# Built here, from this tree's source, on every make: nothing prebuilt is committed.

LINUX_DIR := tests/linux/initramfs
LINUX_BUILD := $(BUILD)/linux
LINUX_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -static -MMD -MP

ALL_TARGETS += $(LINUX_BUILD)/initramfs.cpio

$(eval $(call bearssl_lib,$(LINUX_BUILD)/bearssl,-O2))

$(LINUX_BUILD)/init: $(LINUX_DIR)/init.c $(LINUX_BUILD)/bearssl/libbearssl.a | $(BEARSSL_STAMP)
	@mkdir -p $(@D)
	$(call msg,CC,$@)$(HOSTCC) $(LINUX_CFLAGS) -I$(BEARSSL_INC) -o $@ $< \
		$(LINUX_BUILD)/bearssl/libbearssl.a

$(LINUX_BUILD)/initramfs.cpio: $(LINUX_BUILD)/init $(LINUX_DIR)/mkinitramfs.py
	$(call msg,CPIO,$@)python3 $(LINUX_DIR)/mkinitramfs.py $@ $<

-include $(LINUX_BUILD)/init.d
