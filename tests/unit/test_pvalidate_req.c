/* The core PVALIDATE request rules (protocol/pvalidate_req.h): header bounds within the page,
 * entry format, and the result codes (facts §7). */
/* unit-srcs: src/protocol/pvalidate_req.c */
#include "unit.h"
#include "protocol/pvalidate_req.h"
#include "protocol/result.h"
#include "protocol/svsm.h"

static u32 hdr(u64 gpa, u16 entries, u16 next)
{
	struct pvalidate_hdr h = { .entries = entries, .next = next };

	return pvalidate_req_check_hdr(gpa, &h);
}

static void test_gpa(void **state)
{
	(void)state;
	assert_int_equal(pvalidate_req_check_gpa(0x1000), SVSM_SUCCESS);
	assert_int_equal(pvalidate_req_check_gpa(0x1008), SVSM_SUCCESS);
	for (u64 i = 1; i < 8; i++)
		assert_int_equal(pvalidate_req_check_gpa(0x1000 + i), SVSM_ERR_INVALID_PARAMETER);
	assert_int_equal(hdr(0x1004, 1, 0), SVSM_ERR_INVALID_PARAMETER);
}

static void test_header(void **state)
{
	(void)state;
	assert_int_equal(hdr(0x1000, 1, 0), SVSM_SUCCESS);
	assert_int_equal(hdr(0x1000, 0, 0), SVSM_ERR_INVALID_PARAMETER);
	assert_int_equal(hdr(0x1000, 1, 1), SVSM_ERR_INVALID_PARAMETER);
	assert_int_equal(hdr(0x1000, 1, 7), SVSM_ERR_INVALID_PARAMETER);
	assert_int_equal(hdr(0x1000, 5, 4), SVSM_SUCCESS);
	assert_int_equal(hdr(0x1000, 0xffff, 0xfffe), SVSM_ERR_INVALID_PARAMETER);
	/* 511 entries fill a page from its start exactly; 512 do not fit */
	assert_int_equal(hdr(0x1000, PVALIDATE_MAX_ENTRIES, 0), SVSM_SUCCESS);
	assert_int_equal(hdr(0x1000, PVALIDATE_MAX_ENTRIES, PVALIDATE_MAX_ENTRIES - 1),
			 SVSM_SUCCESS);
	assert_int_equal(hdr(0x1000, PVALIDATE_MAX_ENTRIES + 1, PVALIDATE_MAX_ENTRIES),
			 SVSM_ERR_INVALID_PARAMETER);
	/* Linux's place: the calling area at offset 8, 510 entries */
	assert_int_equal(hdr(0x1008, 510, 0), SVSM_SUCCESS);
	assert_int_equal(hdr(0x1008, 511, 0), SVSM_ERR_INVALID_PARAMETER);
	/* the header at the page's last 8 bytes: no room for an entry */
	assert_int_equal(hdr(0x1ff8, 1, 0), SVSM_ERR_INVALID_PARAMETER);
	assert_int_equal(hdr(0x1ff0, 1, 0), SVSM_SUCCESS);
	assert_int_equal(hdr(0x1ff0, 2, 1), SVSM_ERR_INVALID_PARAMETER);
}

/* Every offset and count: accepted exactly when header and entries end within the page. */
static void test_header_sweep(void **state)
{
	(void)state;
	for (u64 off = 0; off < PAGE_SIZE; off += 8)
		for (u32 n = 1; n <= 520; n++) {
			bool fits = off + 8 + (u64)n * 8 <= PAGE_SIZE;

			assert_int_equal(hdr(0x7000 + off, (u16)n, 0),
					 fits ? SVSM_SUCCESS : SVSM_ERR_INVALID_PARAMETER);
		}
}

static void test_entry(void **state)
{
	struct pvalidate_entry e;

	(void)state;
	assert_true(pvalidate_entry_decode(0x12345000 | PVALIDATE_E_VALIDATE, &e));
	assert_int_equal(e.gpa, 0x12345000);
	assert_false(e.is_2m);
	assert_true(e.validate);
	assert_false(e.ignore_cf);
	assert_true(pvalidate_entry_decode(0x200000 | 1 | PVALIDATE_E_IGNORE_CF, &e));
	assert_int_equal(e.gpa, 0x200000);
	assert_true(e.is_2m);
	assert_false(e.validate);
	assert_true(e.ignore_cf);
	/* the GFN keeps bits 63:12, C-bit included (the address check refuses it later) */
	assert_true(pvalidate_entry_decode(0xfffffffffffff000ULL, &e));
	assert_int_equal(e.gpa, 0xfffffffffffff000ULL);
	for (unsigned int bit = 4; bit < 12; bit++)
		assert_false(pvalidate_entry_decode(0x1000 | BIT_ULL(bit), &e));
	assert_false(pvalidate_entry_decode(0x1000 | 2, &e));
	assert_false(pvalidate_entry_decode(0x1000 | 3, &e));
	/* 2 MiB entries: GFN bits 20:12 zero */
	assert_false(pvalidate_entry_decode(0x201000 | 1, &e));
	assert_false(pvalidate_entry_decode(0x300000 | 1, &e));
	assert_true(pvalidate_entry_decode(0x400000 | 1, &e));
}

static void test_entries(void **state)
{
	u64 raw[3] = { 0x1000, 0x2000 | PVALIDATE_E_VALIDATE, 0x3000 };

	(void)state;
	assert_int_equal(pvalidate_req_check_entries(raw, 3), SVSM_SUCCESS);
	raw[2] |= BIT_ULL(11);
	assert_int_equal(pvalidate_req_check_entries(raw, 3), SVSM_ERR_INVALID_PARAMETER);
	assert_int_equal(pvalidate_req_check_entries(raw, 2), SVSM_SUCCESS);
}

/* The one mapping from the mechanisms' answers to result codes (protocol/result.h). */
static void test_result(void **state)
{
	(void)state;
	assert_int_equal(svsm_result(0), SVSM_SUCCESS);
	assert_int_equal(svsm_result(-EALREADY), SVSM_ERR_PVALIDATE_FAIL_NO_CHANGE);
	assert_int_equal(svsm_result(1), SVSM_ERR_PVALIDATE_FAIL_INPUT);
	assert_int_equal(svsm_result(6), SVSM_ERR_PVALIDATE_FAIL_SIZEMISMATCH);
	assert_int_equal(svsm_result(0xf), 0x8000100fu);
	assert_int_equal(svsm_result(0x10), SVSM_ERR_PVALIDATE_RANGE);
	assert_int_equal(svsm_result(-1), SVSM_ERR_PVALIDATE_RANGE);
	assert_int_equal(svsm_result(2), 0x80001002u);
	assert_int_equal(svsm_result(-EFAULT), SVSM_ERR_INVALID_ADDRESS);
	assert_int_equal(svsm_result(-EINVAL), SVSM_ERR_INVALID_PARAMETER);
	assert_int_equal(svsm_result(-EBUSY), SVSM_ERR_BUSY);
	assert_int_equal(svsm_result(-ENOSPC), SVSM_ERR_INVALID_REQUEST);
	assert_int_equal(svsm_result(-EPROTO), SVSM_ERR_INVALID_FORMAT);
	assert_int_equal(svsm_result(-ETXTBSY), SVSM_ERR_VCPU_IN_USE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gpa),	     cmocka_unit_test(test_header),
		cmocka_unit_test(test_header_sweep), cmocka_unit_test(test_entry),
		cmocka_unit_test(test_entries),	     cmocka_unit_test(test_result),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
