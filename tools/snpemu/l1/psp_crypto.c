/*
 * BearSSL glue (psp_crypto.h). BearSSL is built freestanding by scripts/bearssl.mk; this file
 * only adapts its calls: aes_ct64 in CTR mode with ghash_ctmul64 for GCM, sha2big for SHA-384,
 * ec_prime_i31 for ECDSA P-384 (deterministic nonce, RFC 6979).
 */
#include "psp_crypto.h"
#include <bearssl.h>

_Static_assert(sizeof(struct pc_sha384) >= sizeof(br_sha384_context), "pc_sha384 too small");
_Static_assert(_Alignof(struct pc_sha384) >= _Alignof(br_sha384_context), "pc_sha384 alignment");

void pc_sha384_init(struct pc_sha384 *h)
{
	br_sha384_init((br_sha384_context *)h);
}

void pc_sha384_update(struct pc_sha384 *h, const void *data, unsigned long len)
{
	br_sha384_update((br_sha384_context *)h, data, len);
}

void pc_sha384_out(struct pc_sha384 *h, unsigned char out[PC_SHA384_LEN])
{
	br_sha384_out((br_sha384_context *)h, out);
}

void pc_sha384(const void *data, unsigned long len, unsigned char out[PC_SHA384_LEN])
{
	br_sha384_context c;

	br_sha384_init(&c);
	br_sha384_update(&c, data, len);
	br_sha384_out(&c, out);
}

static void gcm_start(br_gcm_context *g, br_aes_ct64_ctr_keys *k, const unsigned char key[32],
		      const unsigned char iv[12], const void *aad, unsigned long aad_len)
{
	br_aes_ct64_ctr_init(k, key, 32);
	br_gcm_init(g, &k->vtable, br_ghash_ctmul64);
	br_gcm_reset(g, iv, 12);
	br_gcm_aad_inject(g, aad, aad_len);
	br_gcm_flip(g);
}

void pc_gcm_seal(const unsigned char key[32], const unsigned char iv[12], const void *aad,
		 unsigned long aad_len, void *buf, unsigned long len, unsigned char tag[16])
{
	br_aes_ct64_ctr_keys k;
	br_gcm_context g;

	gcm_start(&g, &k, key, iv, aad, aad_len);
	br_gcm_run(&g, 1, buf, len);
	br_gcm_get_tag(&g, tag);
}

int pc_gcm_open(const unsigned char key[32], const unsigned char iv[12], const void *aad,
		unsigned long aad_len, void *buf, unsigned long len, const unsigned char tag[16])
{
	br_aes_ct64_ctr_keys k;
	br_gcm_context g;

	gcm_start(&g, &k, key, iv, aad, aad_len);
	br_gcm_run(&g, 0, buf, len);
	return br_gcm_check_tag(&g, tag) ? 0 : -1;
}

int pc_p384_sign(const unsigned char sk[48], const unsigned char hash[PC_SHA384_LEN],
		 unsigned char sig[PC_P384_SIG_LEN])
{
	br_ec_private_key key = { .curve = BR_EC_secp384r1, .x = (unsigned char *)sk, .xlen = 48 };

	return br_ecdsa_i31_sign_raw(&br_ec_prime_i31, &br_sha384_vtable, hash, &key, sig) ==
			       PC_P384_SIG_LEN
		       ? 0
		       : -1;
}
