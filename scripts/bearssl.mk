# BearSSL (README "Crypto: BearSSL"): the subset of its C files that AES-256-GCM, SHA-384/512
# and ECDSA P-384 signing need, compiled from Debian's source (scripts/fetch-bearssl.sh, cached
# outside the tree) with the flags of the program that links it, into one archive per program:
#
#   $(eval $(call bearssl_lib,OUTDIR,CFLAGS))   ->  OUTDIR/libbearssl.a
#
# CFLAGS are the caller's code-generation flags (freestanding, no red zone, general registers
# only, its code model); the archive only pulls in the objects a program uses. Objects that
# include <bearssl.h> add -I$(BEARSSL_INC) and an order-only dependency on $(BEARSSL_STAMP).

BEARSSL_DIR := $(shell scripts/fetch-bearssl.sh --dir)
BEARSSL_INC := $(BEARSSL_DIR)/inc
BEARSSL_STAMP := $(dir $(BEARSSL_DIR)).verified

# No CPU-specific code (AES-NI, SSE2, PCLMUL, RDRAND: not with -mgeneral-regs-only), no OS
# services (/dev/urandom, time): the constant-time portable implementations only.
BEARSSL_DEFS := -DBR_64=1 -DBR_AES_X86NI=0 -DBR_SSE2=0 -DBR_RDRAND=0 -DBR_POWER8=0 \
	-DBR_USE_URANDOM=0 -DBR_USE_UNIX_TIME=0 -DBR_USE_WIN32_RAND=0 -DBR_USE_WIN32_TIME=0

# aes_ct64 (bitsliced, constant time) in CTR mode + ghash_ctmul64 for GCM; sha2big for
# SHA-384/512; ec_prime_i31 + ecdsa_i31 for P-384 (its deterministic nonce uses HMAC-DRBG).
BEARSSL_FILES := aead/gcm.c \
	codec/ccopy.c codec/dec32be.c codec/dec32le.c codec/dec64be.c codec/enc32be.c \
	codec/enc32le.c codec/enc64be.c \
	ec/ec_prime_i31.c ec/ec_secp256r1.c ec/ec_secp384r1.c ec/ec_secp521r1.c \
	ec/ecdsa_i31_bits.c ec/ecdsa_i31_sign_raw.c \
	hash/ghash_ctmul64.c hash/sha2big.c \
	int/i31_add.c int/i31_bitlen.c int/i31_decmod.c int/i31_decode.c int/i31_encode.c \
	int/i31_fmont.c int/i31_iszero.c int/i31_modpow.c int/i31_montmul.c int/i31_muladd.c \
	int/i31_ninv31.c int/i31_rshift.c int/i31_sub.c int/i31_tmont.c int/i32_div32.c \
	mac/hmac.c rand/hmac_drbg.c \
	symcipher/aes_ct64.c symcipher/aes_ct64_ctr.c symcipher/aes_ct64_enc.c

$(BEARSSL_STAMP):
	$(call msg,FETCH,$(BEARSSL_DIR))scripts/fetch-bearssl.sh >/dev/null

# The sources appear once the fetch ran. They are not intermediate files: make must never
# delete them from the cache after a build that fetched them.
$(BEARSSL_DIR)/src/%.c $(BEARSSL_INC)/%.h: | $(BEARSSL_STAMP)
	@:
.PRECIOUS: $(BEARSSL_DIR)/src/%.c $(BEARSSL_INC)/%.h
.SECONDARY: $(addprefix $(BEARSSL_DIR)/src/,$(BEARSSL_FILES))

define bearssl_lib
$(1)/libbearssl.a: $(addprefix $(1)/,$(BEARSSL_FILES:.c=.o))
	$$(call msg,AR,$$@)rm -f $$@; ar rcsD $$@ $$^

$(1)/%.o: $(BEARSSL_DIR)/src/%.c | $(BEARSSL_STAMP)
	@mkdir -p $$(@D)
	$$(call msg,CC,$$@)$(CC) $(2) -fno-lto $(BEARSSL_DEFS) -I$(BEARSSL_INC) \
		-I$(BEARSSL_DIR)/src -c -o $$@ $$<
endef
