/*
 * BearSSL glue of the emulated PSP (and of the probe, which talks to it): the only files that
 * include <bearssl.h>. Plain C types, so that callers need none of BearSSL's headers.
 */
#ifndef SNPEMU_PSP_CRYPTO_H
#define SNPEMU_PSP_CRYPTO_H

#define PC_SHA384_LEN 48
#define PC_P384_SIG_LEN 96 /* r || s, big-endian, 48 bytes each */

struct pc_sha384 {
	unsigned long long ctx[32]; /* a br_sha384_context fits (checked in psp_crypto.c) */
};

void pc_sha384_init(struct pc_sha384 *h);
void pc_sha384_update(struct pc_sha384 *h, const void *data, unsigned long len);
void pc_sha384_out(struct pc_sha384 *h, unsigned char out[PC_SHA384_LEN]);
void pc_sha384(const void *data, unsigned long len, unsigned char out[PC_SHA384_LEN]);

/* AES-256-GCM with a 96-bit IV and a 16-byte tag, in place over @buf. */
void pc_gcm_seal(const unsigned char key[32], const unsigned char iv[12], const void *aad,
		 unsigned long aad_len, void *buf, unsigned long len, unsigned char tag[16]);
/* 0 when @tag authenticates @aad and @buf (then decrypted), -1 otherwise (@buf undefined). */
int pc_gcm_open(const unsigned char key[32], const unsigned char iv[12], const void *aad,
		unsigned long aad_len, void *buf, unsigned long len, const unsigned char tag[16]);

/* ECDSA over NIST P-384 of a SHA-384 digest with private scalar @sk (big-endian). 0 or -1. */
int pc_p384_sign(const unsigned char sk[48], const unsigned char hash[PC_SHA384_LEN],
		 unsigned char sig[PC_P384_SIG_LEN]);

#endif
