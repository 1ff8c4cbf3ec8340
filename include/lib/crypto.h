/* SPDX-License-Identifier: MIT */
/*
 * The SVSM's crypto, from BearSSL (README "Crypto: BearSSL"); src/lib/crypto.c is the only
 * file that includes <bearssl.h>. SHA-512 for the attestation protocol's REPORT_DATA (SVSM
 * spec #58019), AES-256-GCM for SNP guest messages (SNP ABI #56860 "Guest messages").
 */
#ifndef CSVSM_LIB_CRYPTO_H
#define CSVSM_LIB_CRYPTO_H

#include "lib/types.h"

#define SHA512_LEN 64
#define AES_GCM_TAG_LEN 16
#define AES_GCM_IV_LEN 12

struct sha512_ctx {
	u64 opaque[32]; /* a br_sha512_context (checked in crypto.c) */
};

void sha512_init(struct sha512_ctx *c);
void sha512_update(struct sha512_ctx *c, const void *data, size_t len);
void sha512_final(struct sha512_ctx *c, u8 out[SHA512_LEN]);

/* AES-256-GCM in place over @buf, 96-bit IV. */
void aes256_gcm_seal(const u8 key[32], const u8 iv[AES_GCM_IV_LEN], const void *aad, size_t aad_len,
		     void *buf, size_t len, u8 tag[AES_GCM_TAG_LEN]);
/* 0 when @tag authenticates @aad and @buf (then decrypted in place), else -EPROTO (the
 * contents of @buf are then undefined). */
int aes256_gcm_open(const u8 key[32], const u8 iv[AES_GCM_IV_LEN], const void *aad, size_t aad_len,
		    void *buf, size_t len, const u8 tag[AES_GCM_TAG_LEN]);

/* Overwrite @len bytes so that the compiler cannot drop the stores (key material). */
void memzero_explicit(void *p, size_t len);

#endif
