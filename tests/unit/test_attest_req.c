/* The attestation protocol's request structure and services manifest (protocol/attest.h;
 * SVSM spec #58019): field offsets, every format rule, the manifest bytes. */
/* unit-srcs: src/protocol/attest_req.c */
#include "unit.h"
#include "protocol/attest.h"
#include <string.h>

static u8 raw[ATTEST_SINGLE_REQ_LEN];

static void put64(unsigned int off, u64 v)
{
	memcpy(raw + off, &v, 8);
}

static void put32(unsigned int off, u32 v)
{
	memcpy(raw + off, &v, 4);
}

/* A valid request: report 0x10000 (4 KiB), nonce at 0x20fc0 (the last 64 bytes of a page),
 * manifest 0x30000 (4 KiB), certificates 0x40000 (16 KiB). */
static void good(void)
{
	memset(raw, 0, sizeof(raw));
	put64(0x00, 0x10000);
	put32(0x08, 0x1000);
	put64(0x10, 0x20fc0);
	put32(0x18, 64);
	put64(0x20, 0x30000);
	put32(0x28, 0x1000);
	put64(0x30, 0x40000);
	put32(0x38, 0x4000);
}

static u32 decode(bool single)
{
	struct attest_req r;

	return attest_req_decode(raw, single, &r);
}

static void test_fields(void **state)
{
	struct attest_req r;

	(void)state;
	good();
	for (int i = 0; i < 16; i++)
		raw[0x40 + i] = (u8)(0xe0 + i);
	assert_int_equal(attest_req_decode(raw, true, &r), SVSM_SUCCESS);
	assert_int_equal(r.report_gpa, 0x10000);
	assert_int_equal(r.report_size, 0x1000);
	assert_int_equal(r.nonce_gpa, 0x20fc0);
	assert_int_equal(r.manifest_gpa, 0x30000);
	assert_int_equal(r.manifest_size, 0x1000);
	assert_int_equal(r.certs_gpa, 0x40000);
	assert_int_equal(r.certs_size, 0x4000);
	assert_int_equal(r.service_guid[0], 0xe0);
	assert_int_equal(r.service_guid[15], 0xef);
	assert_int_equal(r.manifest_version, 0);
	/* call 0 does not read the single-service fields */
	put32(0x50, 7);
	put32(0x54, 1);
	assert_int_equal(attest_req_decode(raw, false, &r), SVSM_SUCCESS);
	assert_int_equal(r.service_guid[0], 0);
}

static void test_reserved(void **state)
{
	static const unsigned int rsvd[] = { 0x0c, 0x0f, 0x1c, 0x1f, 0x2c, 0x2f, 0x3c, 0x3f };

	(void)state;
	for (unsigned int i = 0; i < ARRAY_SIZE(rsvd); i++) {
		good();
		raw[rsvd[i]] = 1;
		assert_int_equal(decode(false), SVSM_ERR_INVALID_PARAMETER);
	}
	good();
	raw[0x57] = 1;
	assert_int_equal(decode(true), SVSM_ERR_INVALID_PARAMETER);
	assert_int_equal(decode(false), SVSM_SUCCESS);
}

static void test_nonce(void **state)
{
	static const u32 sizes[] = { 0, 1, 32, 63, 65, 128, 0x10040 };

	(void)state;
	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		good();
		put32(0x18, sizes[i]);
		assert_int_equal(decode(false), SVSM_ERR_INVALID_PARAMETER);
	}
	/* within one page: the last 64 bytes are fine, one more byte crosses */
	good();
	put64(0x10, 0x20fc1);
	assert_int_equal(decode(false), SVSM_ERR_INVALID_PARAMETER);
	put64(0x10, 0x20001);
	assert_int_equal(decode(false), SVSM_SUCCESS);
}

static void test_alignment(void **state)
{
	(void)state;
	good();
	put64(0x00, 0x10008);
	assert_int_equal(decode(false), SVSM_ERR_INVALID_PARAMETER);
	good();
	put64(0x20, 0x30800);
	assert_int_equal(decode(false), SVSM_ERR_INVALID_PARAMETER);
	good();
	put64(0x30, 0x40010);
	assert_int_equal(decode(false), SVSM_ERR_INVALID_PARAMETER);
	/* no certificate buffer: its address does not matter */
	put32(0x38, 0);
	assert_int_equal(decode(false), SVSM_SUCCESS);
}

static void test_manifest_version(void **state)
{
	(void)state;
	good();
	put32(0x50, 1);
	assert_int_equal(decode(true), SVSM_ERR_INVALID_PARAMETER);
	put32(0x50, 0);
	assert_int_equal(decode(true), SVSM_SUCCESS);
}

static void test_manifest(void **state)
{
	static const u8 want[ATTEST_SERVICES_MANIFEST_LEN] = {
		0xbb, 0x9e, 0x84, 0x63, 0x92, 0x3d, 0x70, 0x46, 0xa1, 0xff, 0x58, 0xf9,
		0xc9, 0x4b, 0x87, 0xbb, 0x18, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	u8 m[ATTEST_SERVICES_MANIFEST_LEN];

	(void)state;
	attest_services_manifest(m);
	assert_memory_equal(m, want, sizeof(want));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_reserved),
		cmocka_unit_test(test_nonce),
		cmocka_unit_test(test_alignment),
		cmocka_unit_test(test_manifest_version),
		cmocka_unit_test(test_manifest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
