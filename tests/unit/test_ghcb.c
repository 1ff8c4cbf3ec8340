/* GHCB encoding and decoding (include/sev/ghcb.h, src/sev/ghcb.c) against the facts file:
 * valid-bitmap bit numbers (facts §2), MSR protocol (§1), NAE results (§2 "Call sequence"). */
/* unit-srcs: src/sev/ghcb.c */
#include "unit.h"
#include "sev/ghcb.h"

static struct ghcb *new_ghcb(void)
{
	struct ghcb *g = test_alloc_aligned(PAGE_SIZE, sizeof(*g));

	return g;
}

/* Only bit @bit of the 128-bit valid bitmap is set. */
static void expect_only_bit(const struct ghcb *g, unsigned int bit)
{
	unsigned int i;

	for (i = 0; i < 128; i++)
		assert_int_equal((g->valid_bitmap[i / 8] >> (i % 8)) & 1, i == bit);
}

static void test_valid_bits(void **state)
{
	static const struct {
		unsigned int off, bit;
	} fields[] = {
		{ GHCB_OFF_RAX, 63 },
		{ GHCB_OFF_RCX, 97 },
		{ GHCB_OFF_RDX, 98 },
		{ GHCB_OFF_RBX, 99 },
		{ GHCB_OFF_R8, 104 },
		{ GHCB_OFF_SW_EXIT_CODE, 114 },
		{ GHCB_OFF_SW_EXIT_INFO_1, 115 },
		{ GHCB_OFF_SW_EXIT_INFO_2, 116 },
		{ GHCB_OFF_SW_SCRATCH, 117 },
		{ GHCB_OFF_XCR0, 125 },
	};
	struct ghcb *g = new_ghcb();
	const u8 *raw = (const u8 *)g;
	unsigned int i, j;
	u64 v;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		ghcb_reset(g);
		assert_int_equal(ghcb_get(g, fields[i].off, &v), -EPROTO);
		ghcb_set(g, fields[i].off, 0x0102030405060708ULL + i);
		expect_only_bit(g, fields[i].bit);
		assert_true(ghcb_is_valid(g, fields[i].off));
		/* Stored little-endian at the field's byte offset in the page. */
		for (j = 0; j < 8; j++)
			assert_int_equal(raw[fields[i].off + j],
					 (u8)((0x0102030405060708ULL + i) >> (8 * j)));
		assert_int_equal(ghcb_get(g, fields[i].off, &v), 0);
		assert_int_equal(v, 0x0102030405060708ULL + i);
	}
	/* The bitmap's byte order: rax (bit 63) is the top bit of byte 7. */
	ghcb_reset(g);
	ghcb_mark_valid(g, GHCB_OFF_RAX);
	assert_int_equal(raw[GHCB_OFF_VALID_BITMAP + 7], 0x80);
	free(g);
}

static void test_layout_and_reset(void **state)
{
	struct ghcb *g = new_ghcb();
	const u8 *raw = (const u8 *)g;
	unsigned int i;

	(void)state;
	assert_int_equal(offsetof(struct ghcb, shared_buffer), 0x800);
	assert_int_equal(sizeof(g->shared_buffer), 2032);
	memset(g, 0xff, sizeof(*g));
	ghcb_reset(g);
	for (i = 0; i < GHCB_OFF_VALID_BITMAP + 16; i++)
		assert_int_equal(raw[i], 0);
	/* version 2 at 0xffa, usage 0 at 0xffc, little-endian */
	assert_int_equal(raw[0xffa], 2);
	assert_int_equal(raw[0xffb], 0);
	for (i = 0xffc; i < 0x1000; i++)
		assert_int_equal(raw[i], 0);
	/* The shared buffer is not the save area: reset leaves it alone. */
	assert_int_equal(raw[0x800], 0xff);
	free(g);
}

static void test_msr_protocol(void **state)
{
	u16 max, min;
	u8 cbit;
	u32 val, err;
	u64 feat;

	(void)state;
	/* SEV information: [63:48] max, [47:32] min, [31:24] C-bit. */
	assert_int_equal(ghcb_msr_sev_info_req(), 0x002);
	assert_true(ghcb_msr_sev_info_decode(0x0002000133000001ULL, &max, &min, &cbit));
	assert_int_equal(max, 2);
	assert_int_equal(min, 1);
	assert_int_equal(cbit, 0x33);
	assert_false(ghcb_msr_sev_info_decode(0x0002000133000002ULL, &max, &min, &cbit));

	/* CPUID: [63:32] function, [31:30] register. */
	assert_int_equal(ghcb_msr_cpuid_req(0x8000001f, 1), 0x8000001f40000004ULL);
	assert_int_equal(ghcb_msr_cpuid_req(7, 3), 0x00000007c0000004ULL);
	assert_true(ghcb_msr_cpuid_decode(0xdeadbeef40000005ULL, 1, &val));
	assert_int_equal(val, 0xdeadbeef);
	assert_false(ghcb_msr_cpuid_decode(0xdeadbeef80000005ULL, 1, &val)); /* other register */
	assert_false(ghcb_msr_cpuid_decode(0xdeadbeef40000004ULL, 1, &val)); /* not a response */

	/* GHCB GPA registration: the GFN must be echoed. */
	assert_int_equal(ghcb_msr_register_req(0x8000123), 0x8000123012ULL);
	assert_true(ghcb_msr_register_ok(0x8000123013ULL, 0x8000123));
	assert_false(ghcb_msr_register_ok(0x8000124013ULL, 0x8000123));
	assert_false(ghcb_msr_register_ok(0x8000123012ULL, 0x8000123));

	/* PSC: [51:12] GFN, [55:52] op; response [63:32] error. */
	assert_int_equal(ghcb_msr_psc_req(0x12345, PSC_OP_SHARED), 0x0020000012345014ULL);
	assert_int_equal(ghcb_msr_psc_req(0xffffffffffULL, PSC_OP_PRIVATE), 0x001ffffffffff014ULL);
	assert_int_equal(ghcb_msr_psc_req(0x1ffffffffffULL, PSC_OP_PRIVATE) & ~0xfffULL,
			 0x001ffffffffff000ULL); /* a GFN wider than 40 bits cannot spill */
	assert_int_equal(ghcb_msr_psc_decode(0x015, &err), 0);
	assert_int_equal(ghcb_msr_psc_decode(0x0000000700000015ULL, &err), -EIO);
	assert_int_equal(err, 7);
	assert_int_equal(ghcb_msr_psc_decode(0x014, &err), -EPROTO);
	assert_int_equal(ghcb_msr_psc_decode(0x1015, &err), -EPROTO); /* [31:12] must be 0 */

	/* Run VMPL: [39:32] target. */
	assert_int_equal(ghcb_msr_vmpl_req(1), 0x0000000100000016ULL);
	assert_int_equal(ghcb_msr_vmpl_decode(0x017, &err), 0);
	assert_int_equal(ghcb_msr_vmpl_decode(0x0000000500000017ULL, &err), -EIO);
	assert_int_equal(err, 5);
	assert_int_equal(ghcb_msr_vmpl_decode(0x016, &err), -EPROTO);

	/* Hypervisor features: bitmap in [63:12]. */
	assert_int_equal(ghcb_msr_hv_features_req(), 0x080);
	assert_true(ghcb_msr_hv_features_decode(0x23081, &feat));
	assert_int_equal(feat,
			 GHCB_HV_FT_SNP | GHCB_HV_FT_SNP_AP_CREATION | GHCB_HV_FT_SNP_MULTI_VMPL);
	assert_false(ghcb_msr_hv_features_decode(0x23080, &feat));

	/* Termination: set in [15:12], code in [23:16] ("0xF100 | code << 16"). */
	assert_int_equal(ghcb_msr_term_req(15, 9), 0x9f100);
	assert_int_equal(ghcb_msr_term_req(0, 2), 0x20100);

	/* AP creation exit_info_1: request [15:0], VMPL from 16, APIC ID [63:32]. */
	assert_int_equal(ghcb_ap_creation_info1(SVM_VMGEXIT_AP_CREATE, 1, 5),
			 0x0000000500010001ULL);
}

static void test_result(void **state)
{
	struct ghcb *g = new_ghcb();
	u64 info2;

	(void)state;
	ghcb_reset(g);
	assert_int_equal(ghcb_result(g, &info2), -EPROTO); /* exit_info_1 not valid */
	ghcb_set(g, GHCB_OFF_SW_EXIT_INFO_1, 0);
	assert_int_equal(ghcb_result(g, &info2), 0);
	assert_int_equal(info2, 0);
	ghcb_set(g, GHCB_OFF_SW_EXIT_INFO_1, 0xabcd00000000ULL); /* only [31:0] is the result */
	assert_int_equal(ghcb_result(g, &info2), 0);

	ghcb_set(g, GHCB_OFF_SW_EXIT_INFO_1, GHCB_RESULT_MALFORMED);
	assert_int_equal(ghcb_result(g, &info2), -EIO);
	assert_int_equal(info2, 0); /* exit_info_2 not valid: reported as 0 */
	ghcb_set(g, GHCB_OFF_SW_EXIT_INFO_2, 3);
	assert_int_equal(ghcb_result(g, &info2), -EIO);
	assert_int_equal(info2, 3);
	ghcb_set(g, GHCB_OFF_SW_EXIT_INFO_1, GHCB_RESULT_EXCEPTION);
	ghcb_set(g, GHCB_OFF_SW_EXIT_INFO_2, 0x80000b0d);
	assert_int_equal(ghcb_result(g, &info2), -EIO);
	assert_int_equal(info2, 0x80000b0d);
	ghcb_set(g, GHCB_OFF_SW_EXIT_INFO_1, 3);
	assert_int_equal(ghcb_result(g, &info2), -EPROTO);
	assert_int_equal(info2, 0);
	free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_bits),
		cmocka_unit_test(test_layout_and_reset),
		cmocka_unit_test(test_msr_protocol),
		cmocka_unit_test(test_result),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
