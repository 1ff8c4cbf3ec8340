/* GUID tables: builder/parser round trips, byte layout, every malformed length, and a
 * brute-force sweep of each length field under ASan (no read outside the buffer). */
/* unit-srcs: src/lib/guidtable.c */
#include "unit.h"
#include "lib/guidtable.h"

static const struct guid footer = SVSM_ENVELOPE_GUID;
static const struct guid ga = SVSM_INFO_GUID;
static const struct guid gb = SVSM_METADATA_GUID;
static const struct guid gc = OVMF_SEV_METADATA_GUID;
static const struct guid gz = OVMF_SEV_ES_RESET_BLOCK_GUID;

static const u8 data_a[5] = { 1, 2, 3, 4, 5 };
static u8 data_c[86];

/* [prefix][C: 86][B: 0][A: 5][tail][footer]: table of 86+18 + 18 + 5+18 + 18 = 163 bytes. */
#define PREFIX 7
#define TABLE_LEN 163

static size_t build(u8 *buf, size_t cap)
{
	struct guidtable_builder b;
	int len;

	memset(buf, 0xcc, PREFIX);
	guidtable_begin(&b, buf + PREFIX, cap - PREFIX);
	assert_int_equal(guidtable_add(&b, &gc, data_c, sizeof(data_c)), 0);
	assert_int_equal(guidtable_add(&b, &gb, NULL, 0), 0);
	assert_int_equal(guidtable_add(&b, &ga, data_a, sizeof(data_a)), 0);
	len = guidtable_finish(&b, &footer);
	assert_int_equal(len, TABLE_LEN);
	return PREFIX + (size_t)len;
}

/* An exactly sized heap copy, so that ASan sees any read past either end. */
static u8 *exact_copy(const u8 *src, size_t len)
{
	u8 *p = malloc(len ? len : 1);

	assert_non_null(p);
	memcpy(p, src, len);
	return p;
}

static int find(const u8 *buf, size_t len, size_t end, const struct guid *want, const u8 **data,
		size_t *dlen)
{
	const void *d = *data;
	int rc = guidtable_find(buf, len, end, &footer, want, &d, dlen);

	*data = d;
	return rc;
}

static void test_guid_bytes(void **state)
{
	static const u8 env[16] = { 0xea, 0x4f, 0x38, 0x81, 0x48, 0xad, 0xb6, 0x4e,
				    0xaf, 0x4f, 0x6a, 0xc4, 0x93, 0x16, 0xdf, 0x2b };

	(void)state;
	/* UEFI byte order: the first three fields little-endian. */
	assert_memory_equal(footer.b, env, 16);
	assert_true(guid_equal(&footer, &footer));
	assert_false(guid_equal(&footer, &ga));
}

static void test_layout_and_round_trip(void **state)
{
	u8 img[256], *buf;
	const u8 *d = NULL;
	size_t n, dlen, i;

	(void)state;
	for (i = 0; i < sizeof(data_c); i++)
		data_c[i] = (u8)(i * 7);
	n = build(img, sizeof(img));
	/* The tail: [u16 163][footer]; entry A before it: [data][u16 23][GUID]. */
	assert_int_equal(img[n - 18], TABLE_LEN);
	assert_int_equal(img[n - 17], 0);
	assert_memory_equal(img + n - 16, footer.b, 16);
	assert_memory_equal(img + n - 18 - 16, ga.b, 16);
	assert_int_equal(img[n - 18 - 18], 23);
	assert_memory_equal(img + n - 18 - 18 - 5, data_a, 5);

	buf = exact_copy(img, n);
	assert_int_equal(find(buf, n, n, &ga, &d, &dlen), 0);
	assert_ptr_equal(d, buf + n - 36 - 5);
	assert_int_equal(dlen, 5);
	assert_int_equal(find(buf, n, n, &gb, &d, &dlen), 0);
	assert_int_equal(dlen, 0);
	assert_int_equal(find(buf, n, n, &gc, &d, &dlen), 0);
	assert_ptr_equal(d, buf + PREFIX);
	assert_int_equal(dlen, 86);
	assert_memory_equal(d, data_c, 86);
	assert_int_equal(find(buf, n, n, &gz, &d, &dlen), -ENOENT);
	free(buf);

	/* OVMF style: the table ends 0x20 bytes before the end of the image. */
	memset(img + n, 0x90, OVMF_FOOTER_END_OFFSET);
	buf = exact_copy(img, n + OVMF_FOOTER_END_OFFSET);
	assert_int_equal(find(buf, n + 0x20, n, &ga, &d, &dlen), 0);
	assert_int_equal(dlen, 5);
	assert_int_equal(find(buf, n + 0x20, n + 0x20, &ga, &d, &dlen), -ENOENT);
	/* Another footer GUID is another table. */
	assert_int_equal(guidtable_find(buf, n, n, &ga, &ga, (const void **)&d, &dlen), -ENOENT);
	free(buf);
}

/* Build, patch the u16 at @off (from the end), and expect @rc for every entry. */
static void expect_patched(size_t off_from_end, unsigned int value, int rc)
{
	u8 img[256], *buf;
	const u8 *d = (const u8 *)1;
	size_t n = build(img, sizeof(img)), dlen = 77;

	img[n - off_from_end] = (u8)value;
	img[n - off_from_end + 1] = (u8)(value >> 8);
	buf = exact_copy(img, n);
	assert_int_equal(find(buf, n, n, &ga, &d, &dlen), rc);
	assert_int_equal(find(buf, n, n, &gc, &d, &dlen), rc);
	assert_int_equal(find(buf, n, n, &gz, &d, &dlen), rc ? rc : -ENOENT);
	if (rc) {
		assert_ptr_equal(d, (const u8 *)1); /* outputs untouched on error */
		assert_int_equal(dlen, 77);
	}
	free(buf);
}

static void test_malformed_lengths(void **state)
{
	u8 img[256], *buf;
	const u8 *d = NULL;
	size_t n, dlen;

	(void)state;
	/* Table length (18 bytes from the end). */
	expect_patched(18, 0, -EPROTO);
	expect_patched(18, 17, -EPROTO);
	expect_patched(18, 19, -EPROTO); /* one byte of "entries": too short for an entry */
	expect_patched(18, 35, -EPROTO); /* ends inside entry A's data */
	expect_patched(18, TABLE_LEN + 1, -EPROTO);	     /* starts in the prefix: a gap */
	expect_patched(18, TABLE_LEN + PREFIX, -EPROTO);     /* the whole buffer */
	expect_patched(18, TABLE_LEN + PREFIX + 1, -EPROTO); /* before the buffer */
	expect_patched(18, 0xffff, -EPROTO);
	/* Entry A's length (36 from the end). */
	expect_patched(36, 0, -EPROTO);
	expect_patched(36, 17, -EPROTO);
	expect_patched(36, 22, -EPROTO);	     /* leaves a 1-byte gap */
	expect_patched(36, 24, -EPROTO);	     /* overlaps entry B's tail */
	expect_patched(36, TABLE_LEN - 17, -EPROTO); /* past the table start */
	expect_patched(36, 0xffff, -EPROTO);
	/* Entry B's length (59 from the end): anything but 18 breaks the chain. */
	expect_patched(59, 17, -EPROTO);
	expect_patched(59, 19, -EPROTO);
	expect_patched(59, 18 + 103, -EPROTO);
	expect_patched(59, 18 + 105, -EPROTO);
	/* Entry C's length (77 from the end): must end exactly at the table start. */
	expect_patched(77, 103, -EPROTO);
	expect_patched(77, 105, -EPROTO);
	expect_patched(77, 104, 0);

	/* Entry A swallowing B and C exactly is a well-formed one-entry table: the format
	 * cannot tell, so A's data is everything before its tail and C is gone. */
	n = build(img, sizeof(img));
	img[n - 36] = TABLE_LEN - 18;
	buf = exact_copy(img, n);
	assert_int_equal(find(buf, n, n, &ga, &d, &dlen), 0);
	assert_ptr_equal(d, buf + PREFIX);
	assert_int_equal(dlen, TABLE_LEN - 36);
	assert_int_equal(find(buf, n, n, &gc, &d, &dlen), -ENOENT);
	free(buf);

	n = build(img, sizeof(img));
	buf = exact_copy(img, n);
	/* table_end beyond the buffer, or too small for a footer. */
	assert_int_equal(find(buf, n, n + 1, &ga, &d, &dlen), -EINVAL);
	assert_int_equal(find(buf, n, 17, &ga, &d, &dlen), -ENOENT);
	assert_int_equal(find(buf, n, 0, &ga, &d, &dlen), -ENOENT);
	assert_int_equal(find(buf, 0, 0, &ga, &d, &dlen), -ENOENT);
	free(buf);
}

static void test_tables_without_entries_and_duplicates(void **state)
{
	struct guidtable_builder b;
	u8 img[128], *buf;
	const u8 *d = NULL;
	size_t dlen;
	int n;

	(void)state;
	/* Just the tail: a valid empty table. */
	guidtable_begin(&b, img, sizeof(img));
	n = guidtable_finish(&b, &footer);
	assert_int_equal(n, 18);
	buf = exact_copy(img, 18);
	assert_int_equal(find(buf, 18, 18, &ga, &d, &dlen), -ENOENT);
	free(buf);

	/* The wanted GUID twice is ambiguous; another GUID twice is not our business. */
	guidtable_begin(&b, img, sizeof(img));
	assert_int_equal(guidtable_add(&b, &ga, "x", 1), 0);
	assert_int_equal(guidtable_add(&b, &gb, "y", 1), 0);
	assert_int_equal(guidtable_add(&b, &ga, "z", 1), 0);
	assert_int_equal(guidtable_add(&b, &gb, "w", 1), 0);
	n = guidtable_finish(&b, &footer);
	buf = exact_copy(img, (size_t)n);
	assert_int_equal(find(buf, (size_t)n, (size_t)n, &ga, &d, &dlen), -EPROTO);
	assert_int_equal(find(buf, (size_t)n, (size_t)n, &gc, &d, &dlen), -ENOENT);
	free(buf);

	guidtable_begin(&b, img, sizeof(img));
	assert_int_equal(guidtable_add(&b, &gb, "y", 1), 0);
	assert_int_equal(guidtable_add(&b, &gb, "w", 1), 0);
	assert_int_equal(guidtable_add(&b, &ga, "x", 1), 0);
	n = guidtable_finish(&b, &footer);
	buf = exact_copy(img, (size_t)n);
	assert_int_equal(find(buf, (size_t)n, (size_t)n, &ga, &d, &dlen), 0);
	assert_int_equal(*d, 'x');
	free(buf);
}

static void test_builder_limits(void **state)
{
	struct guidtable_builder b;
	static u8 big[0x10000 + 64];
	u8 small[40];

	(void)state;
	/* An entry needs data + 18, and room must remain for the 18-byte tail. */
	guidtable_begin(&b, small, sizeof(small));
	assert_int_equal(guidtable_add(&b, &ga, big, 5), -E2BIG);
	assert_int_equal(b.used, 0);
	assert_int_equal(guidtable_add(&b, &ga, big, 4), 0);
	assert_int_equal(b.used, 22);
	assert_int_equal(guidtable_add(&b, &ga, NULL, 0), -E2BIG);
	assert_int_equal(guidtable_finish(&b, &footer), 40);
	assert_int_equal(guidtable_finish(&b, &footer), -E2BIG);
	assert_int_equal(b.used, 40);

	/* Lengths are u16: the whole table must stay within 0xffff bytes. */
	guidtable_begin(&b, big, sizeof(big));
	assert_int_equal(guidtable_add(&b, &ga, big, 0xffff - 36 + 1), -E2BIG);
	assert_int_equal(guidtable_add(&b, &ga, big, SIZE_MAX), -E2BIG);
	assert_int_equal(guidtable_add(&b, &ga, big, SIZE_MAX - 17), -E2BIG);
	assert_int_equal(guidtable_add(&b, &ga, big, 0xffff - 36), 0);
	assert_int_equal(guidtable_finish(&b, &footer), 0xffff);
	{
		const u8 *d = NULL;
		size_t dlen;

		assert_int_equal(find(big, 0xffff, 0xffff, &ga, &d, &dlen), 0);
		assert_int_equal(dlen, 0xffff - 36);
		assert_ptr_equal(d, big);
	}
}

/* Every value of every length field: whatever the result, no read leaves the buffer (ASan)
 * and a success points inside it. */
static void test_length_sweep(void **state)
{
	static const size_t fields[] = { 18, 36, 59, 77 };
	u8 img[256], *buf;
	size_t n = build(img, sizeof(img)), f, dlen;
	const struct guid *wants[] = { &ga, &gb, &gc, &gz };
	unsigned int v, w, ok = 0;

	(void)state;
	buf = exact_copy(img, n);
	for (f = 0; f < ARRAY_SIZE(fields); f++) {
		for (v = 0; v <= 0xffff; v++) {
			buf[n - fields[f]] = (u8)v;
			buf[n - fields[f] + 1] = (u8)(v >> 8);
			for (w = 0; w < ARRAY_SIZE(wants); w++) {
				const u8 *d = NULL;
				int rc = find(buf, n, n, wants[w], &d, &dlen);

				assert_true(rc == 0 || rc == -EPROTO || rc == -ENOENT);
				if (rc)
					continue;
				ok++;
				/* Inside the buffer and followed by [u16 dlen + 18][want]. */
				assert_true(d >= buf && d + dlen + 18 <= buf + n);
				assert_int_equal(d[dlen] | d[dlen + 1] << 8, dlen + 18);
				assert_memory_equal(d + dlen + 2, wants[w]->b, 16);
			}
		}
		memcpy(buf, img, n);
	}
	/* At least the original values parse: 3 findable entries, once per field. */
	assert_true(ok >= 3 * ARRAY_SIZE(fields));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guid_bytes),
		cmocka_unit_test(test_layout_and_round_trip),
		cmocka_unit_test(test_malformed_lengths),
		cmocka_unit_test(test_tables_without_entries_and_duplicates),
		cmocka_unit_test(test_builder_limits),
		cmocka_unit_test(test_length_sweep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
