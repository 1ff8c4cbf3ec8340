// SPDX-License-Identifier: MIT
/* BearSSL glue (include/lib/crypto.h): aes_ct64 in CTR mode + ghash_ctmul64 for GCM (constant
 * time, no SSE or AES-NI: the SVSM is built -mgeneral-regs-only), sha2big for SHA-512. */
#include "lib/crypto.h"
#include "lib/errno.h"
#include <bearssl.h>

_Static_assert(sizeof(struct sha512_ctx) >= sizeof(br_sha512_context), "sha512_ctx too small");
_Static_assert(_Alignof(struct sha512_ctx) >= _Alignof(br_sha512_context), "sha512_ctx align");

void sha512_init(struct sha512_ctx *c)
{
	br_sha512_init((br_sha512_context *)c);
}

void sha512_update(struct sha512_ctx *c, const void *data, size_t len)
{
	br_sha512_update((br_sha512_context *)c, data, len);
}

void sha512_final(struct sha512_ctx *c, u8 out[SHA512_LEN])
{
	br_sha512_out((br_sha512_context *)c, out);
}

static void gcm_start(br_gcm_context *g, br_aes_ct64_ctr_keys *k, const u8 key[32],
		      const u8 iv[AES_GCM_IV_LEN], const void *aad, size_t aad_len)
{
	br_aes_ct64_ctr_init(k, key, 32);
	br_gcm_init(g, &k->vtable, br_ghash_ctmul64);
	br_gcm_reset(g, iv, AES_GCM_IV_LEN);
	br_gcm_aad_inject(g, aad, aad_len);
	br_gcm_flip(g);
}

void aes256_gcm_seal(const u8 key[32], const u8 iv[AES_GCM_IV_LEN], const void *aad, size_t aad_len,
		     void *buf, size_t len, u8 tag[AES_GCM_TAG_LEN])
{
	br_aes_ct64_ctr_keys k;
	br_gcm_context g;

	gcm_start(&g, &k, key, iv, aad, aad_len);
	br_gcm_run(&g, 1, buf, len);
	br_gcm_get_tag(&g, tag);
	memzero_explicit(&k, sizeof(k)); /* the expanded key */
}

int aes256_gcm_open(const u8 key[32], const u8 iv[AES_GCM_IV_LEN], const void *aad, size_t aad_len,
		    void *buf, size_t len, const u8 tag[AES_GCM_TAG_LEN])
{
	br_aes_ct64_ctr_keys k;
	br_gcm_context g;
	int ok;

	gcm_start(&g, &k, key, iv, aad, aad_len);
	br_gcm_run(&g, 0, buf, len);
	ok = (int)br_gcm_check_tag(&g, tag);
	memzero_explicit(&k, sizeof(k));
	return ok ? 0 : -EPROTO;
}

void memzero_explicit(void *p, size_t len)
{
	volatile u8 *b = p;

	while (len--)
		*b++ = 0;
}
