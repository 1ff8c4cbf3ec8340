/* The VMPL0 SEV feature policy (src/sev/sev_status.c; facts §5). */
/* unit-srcs: src/sev/sev_status.c src/lib/format.c */
#include "unit.h"
#include "sev/sev_status.h"

#define GOOD (SEV_STATUS_SEV | SEV_STATUS_SEV_ES | SEV_STATUS_SNP | SEV_STATUS_RESTRICTED_INJ)

static void test_required(void **state)
{
	(void)state;
	assert_int_equal(sev_status_check(GOOD), 0);
	assert_int_equal(sev_status_check(GOOD & ~SEV_STATUS_SEV), -EPERM);
	assert_int_equal(sev_status_check(GOOD & ~SEV_STATUS_SEV_ES), -EPERM);
	assert_int_equal(sev_status_check(GOOD & ~SEV_STATUS_SNP), -EPERM);
	assert_int_equal(sev_status_check(GOOD & ~SEV_STATUS_RESTRICTED_INJ), -EPERM);
	assert_int_equal(sev_status_check(0), -EPERM);
}

/* Every SEV_STATUS bit from 2 up is either allowed or forbidden exactly as the facts' [L]
 * VMPL0 mask says (sev_features = SEV_STATUS >> 2; mask 0xffffffffffff7e16). */
static void test_every_bit(void **state)
{
	unsigned int bit;

	(void)state;
	for (bit = 2; bit < 64; bit++) {
		u64 feature_bit = BIT_ULL(bit - 2);
		bool forbidden = feature_bit & 0xffffffffffff7e16ULL;
		int rc = sev_status_check(GOOD | BIT_ULL(bit));

		if (rc != (forbidden ? -ENOTSUP : 0))
			fail_msg("SEV_STATUS bit %u: rc %d, expected %s", bit, rc,
				 forbidden ? "forbidden" : "allowed");
	}
	/* The named ones, spelled out: */
	assert_int_equal(sev_status_check(GOOD | SEV_STATUS_VTOM), -ENOTSUP);
	assert_int_equal(sev_status_check(GOOD | SEV_STATUS_REFLECT_VC), -ENOTSUP);
	assert_int_equal(sev_status_check(GOOD | SEV_STATUS_ALTERNATE_INJ), -ENOTSUP);
	assert_int_equal(sev_status_check(GOOD | BIT_ULL(11)), -ENOTSUP); /* SecureTSC */
	assert_int_equal(sev_status_check(GOOD | SEV_STATUS_DEBUG_SWAP), 0);
	assert_int_equal(sev_status_check(GOOD | BIT_ULL(17)), 0); /* SMT protection */
}

static void test_describe(void **state)
{
	char buf[160];
	char tiny[8];

	(void)state;
	sev_status_describe(GOOD, buf, sizeof(buf));
	assert_string_equal(buf, "SEV SEV-ES SNP RestrictedInjection");
	sev_status_describe(BIT_ULL(40), buf, sizeof(buf));
	assert_string_equal(buf, "bit40");
	sev_status_describe(0, buf, sizeof(buf));
	assert_string_equal(buf, "");
	memset(tiny, 'x', sizeof(tiny));
	sev_status_describe(GOOD, tiny, sizeof(tiny));
	assert_true(memchr(tiny, '\0', sizeof(tiny)) != NULL);
	sev_status_describe(GOOD, tiny, 0); /* no write at all */
	assert_int_equal(tiny[0], 'S');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_required),
		cmocka_unit_test(test_every_bit),
		cmocka_unit_test(test_describe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
