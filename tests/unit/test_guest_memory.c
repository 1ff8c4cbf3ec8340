/* Which guest addresses a request may name (guest/memrange.h), the registry of protected
 * pages (guest/registry.h) and the VMSA checks (guest/vmsa_check.h). */
/* unit-srcs: src/guest/memrange.c src/guest/registry.c src/guest/vmsa_check.c */
#include "unit.h"
#include "guest/memrange.h"
#include "guest/registry.h"
#include "guest/vmsa_check.h"
#include "protocol/svsm.h"

#define SVSM_BASE 0x8000000000ULL
#define SVSM_SZ 0x10000000ULL

/* QEMU-like: low RAM with the ISA hole, RAM to 2 GiB split in two adjacent entries, the
 * firmware reserved, RAM above 4 GiB up to the SVSM (which a hostile host lists as RAM). */
static const struct e820_entry map[] = {
	{ 0x0, 0x9fc00, E820_TYPE_RAM },
	{ 0x9fc00, 0x400, E820_TYPE_RESERVED },
	{ 0x100000, 0x3ff00000, E820_TYPE_RAM },
	{ 0x40000000, 0x40000000, E820_TYPE_RAM },
	{ 0xfffc0000, 0x40000, E820_TYPE_RESERVED },
	{ 0x100000000ULL, SVSM_BASE + SVSM_SZ - 0x100000000ULL, E820_TYPE_RAM },
	{ 0xfffffffffffff000ULL, 0x1000, E820_TYPE_RAM }, /* wraps: ignored */
};

static struct guest_ram ram;

static int setup(void **state)
{
	(void)state;
	return guest_ram_init(&ram, map, ARRAY_SIZE(map), SVSM_BASE, SVSM_SZ);
}

static void test_ranges(void **state)
{
	static struct guest_ram many;
	static struct e820_entry big[GUEST_RAM_MAX_RANGES + 1];

	(void)state;
	/* low RAM; 1 MiB - 2 GiB merged; 4 GiB up to the SVSM */
	assert_int_equal(ram.n, 3);
	assert_int_equal(ram.r[1].start, 0x100000);
	assert_int_equal(ram.r[1].end, 0x80000000);
	assert_int_equal(ram.r[2].end, SVSM_BASE);
	/* unsorted, overlapping, a RAM entry across SVSM memory */
	{
		static const struct e820_entry m[] = {
			{ 0x200000, 0x200000, E820_TYPE_RAM },
			{ 0x100000, 0x180000, E820_TYPE_RAM },
			{ SVSM_BASE - 0x1000, SVSM_SZ + 0x2000, E820_TYPE_RAM },
			{ 0x0, 0x0, E820_TYPE_RAM },
		};

		assert_int_equal(guest_ram_init(&many, m, ARRAY_SIZE(m), SVSM_BASE, SVSM_SZ), 0);
		assert_int_equal(many.n, 3);
		assert_int_equal(guest_ram_check(&many, 0x100000, 0x300000), 0);
		assert_int_equal(guest_ram_check(&many, SVSM_BASE - 0x1000, 0x1000), 0);
		assert_int_equal(guest_ram_check(&many, SVSM_BASE, 0x1000), -EFAULT);
		assert_int_equal(guest_ram_check(&many, SVSM_BASE + SVSM_SZ, 0x1000), 0);
		assert_int_equal(guest_ram_check(&many, SVSM_BASE - 0x1000, 0x2000), -EFAULT);
	}
	/* more separate RAM ranges than fit */
	for (unsigned int i = 0; i < ARRAY_SIZE(big); i++)
		big[i] = (struct e820_entry){ (u64)i * 0x200000, 0x100000, E820_TYPE_RAM };
	assert_int_equal(guest_ram_init(&many, big, ARRAY_SIZE(big), SVSM_BASE, SVSM_SZ), -E2BIG);
	assert_int_equal(guest_ram_init(&many, big, ARRAY_SIZE(big) - 1, SVSM_BASE, SVSM_SZ), 0);
}

static void test_ram(void **state)
{
	(void)state;
	assert_int_equal(guest_ram_check(&ram, 0, 0x1000), 0);
	assert_int_equal(guest_ram_check(&ram, 0x9f000, 0x1000), -EFAULT); /* into the hole */
	assert_int_equal(guest_ram_check(&ram, 0xa0000, 0x1000), -EFAULT);
	assert_int_equal(guest_ram_check(&ram, 0x100000, 0x1000), 0);
	/* across the two adjacent RAM entries */
	assert_int_equal(guest_ram_check(&ram, 0x3fe00000, 0x400000), 0);
	assert_int_equal(guest_ram_check(&ram, 0x7ffff000, 0x1000), 0);
	assert_int_equal(guest_ram_check(&ram, 0x80000000, 0x1000), -EFAULT);
	assert_int_equal(guest_ram_check(&ram, 0xfec00000, 0x1000), -EFAULT); /* MMIO */
	assert_int_equal(guest_ram_check(&ram, 0xfffc0000, 0x1000), -EFAULT); /* firmware */
	assert_int_equal(guest_ram_check(&ram, 0x200000000ULL, 0x200000), 0);
	assert_int_equal(guest_ram_check(&ram, 0, 0), -EFAULT);
}

static void test_svsm_memory(void **state)
{
	(void)state;
	assert_int_equal(guest_ram_check(&ram, SVSM_BASE, 0x1000), -EFAULT);
	assert_int_equal(guest_ram_check(&ram, SVSM_BASE + SVSM_SZ - 0x1000, 0x1000), -EFAULT);
	assert_int_equal(guest_ram_check(&ram, SVSM_BASE - 0x1000, 0x1000), 0);
	assert_int_equal(guest_ram_check(&ram, SVSM_BASE - 0x1000, 0x2000), -EFAULT);
	assert_int_equal(guest_ram_check(&ram, SVSM_BASE - 0x200000, 0x200000), 0);
	assert_int_equal(guest_ram_check(&ram, SVSM_BASE - 0x100000, 0x200000), -EFAULT);
	assert_int_equal(guest_ram_check(&ram, SVSM_BASE + SVSM_SZ, 0x1000), -EFAULT);
}

static void test_wrap(void **state)
{
	(void)state;
	assert_int_equal(guest_ram_check(&ram, 0xfffffffffffff000ULL, 0x1000), -EOVERFLOW);
	assert_int_equal(guest_ram_check(&ram, 0xffffffffffe00000ULL, 0x200000), -EOVERFLOW);
	assert_int_equal(guest_ram_check(&ram, 0xfffffffffffff000ULL, 0x800), -EFAULT);
	/* a GFN with the C-bit (bit 51) */
	assert_int_equal(guest_ram_check(&ram, (1ULL << 51) | 0x1000, 0x1000), -EFAULT);
}

static void test_registry(void **state)
{
	struct reg_entry storage[4];
	struct registry r;
	struct reg_entry *e;

	(void)state;
	registry_init(&r, storage, 4);
	assert_null(registry_find(&r, 0, 0x1000));
	assert_int_equal(registry_add(&r, 0x10000, 0x1000, REG_VMSA, 1), 0);
	assert_int_equal(registry_add(&r, 0x11000, 0x1000, REG_CAA, 1), 0);
	assert_int_equal(registry_add(&r, 0x400000, 0x200000, REG_CAA, 0), 0);
	e = registry_find(&r, 0x10000, 0x1000);
	assert_non_null(e);
	assert_int_equal(e->kind, REG_VMSA);
	/* a 2 MiB range covering a registered page conflicts with it */
	e = registry_find(&r, 0, 0x200000);
	assert_non_null(e);
	assert_int_equal(e->gpa, 0x10000);
	assert_non_null(registry_find(&r, 0x5ff000, 0x1000));
	assert_null(registry_find(&r, 0x600000, 0x1000));
	assert_null(registry_find(&r, 0x12000, 0x1000));
	assert_null(registry_find_exact(&r, 0x11000, 0x1000, REG_VMSA));
	e = registry_find_exact(&r, 0x11000, 0x1000, REG_CAA);
	assert_non_null(e);
	assert_int_equal(registry_add(&r, 0x20000, 0x1000, REG_CAA, 2), 0);
	assert_int_equal(registry_add(&r, 0x30000, 0x1000, REG_CAA, 3), -ENOSPC);
	registry_remove(&r, e);
	assert_null(registry_find(&r, 0x11000, 0x1000));
	assert_non_null(registry_find_exact(&r, 0x20000, 0x1000, REG_CAA));
	assert_non_null(registry_find_exact(&r, 0x400000, 0x200000, REG_CAA));
	assert_int_equal(r.n, 3);
}

static void good_vmsa(struct vmsa *v)
{
	memset(v, 0, sizeof(*v));
	v->vmpl = 1;
	v->efer = 0x1000;
	v->sev_features = 0x1;
}

static void test_vmsa_boot(void **state)
{
	struct vmsa *v = test_alloc_aligned(4096, sizeof(*v));
	const char *why = NULL;

	(void)state;
	good_vmsa(v);
	assert_int_equal(vmsa_check_boot(v, &why), 0);
	/* RestrictedInjection, DebugSwap, PreventHostIBS, BTB isolation (SEV_STATUS >> 2) */
	v->sev_features = 0x1 | BIT_ULL(3) | BIT_ULL(5) | BIT_ULL(6) | BIT_ULL(7);
	assert_int_equal(vmsa_check_boot(v, &why), 0);
	good_vmsa(v);
	v->vmpl = 0;
	assert_int_equal(vmsa_check_boot(v, &why), -EINVAL);
	assert_non_null(why);
	good_vmsa(v);
	v->vmpl = 2;
	assert_int_equal(vmsa_check_boot(v, &why), -EINVAL);
	good_vmsa(v);
	v->efer = 0xd00;
	assert_int_equal(vmsa_check_boot(v, &why), -EINVAL);
	good_vmsa(v);
	v->sev_features = 0;
	assert_int_equal(vmsa_check_boot(v, &why), -EINVAL);
	/* each forbidden bit (facts §5: 0xffff_ffff_ffff_fe16) */
	for (unsigned int bit = 1; bit < 64; bit++) {
		good_vmsa(v);
		v->sev_features |= BIT_ULL(bit);
		assert_int_equal(vmsa_check_boot(v, &why),
				 (SEV_FEATURES_VMPL1_FORBIDDEN >> bit) & 1 ? -EINVAL : 0);
	}
	free(v);
}

static void test_vmsa_create(void **state)
{
	(void)state;
	assert_int_equal(vmsa_check_create(1, 0x1d00, 0x9, 0x9), 0);
	assert_int_equal(vmsa_check_create(0, 0x1d00, 0x9, 0x9), -EINVAL);
	assert_int_equal(vmsa_check_create(2, 0x1d00, 0x9, 0x9), -EINVAL);
	assert_int_equal(vmsa_check_create(1, 0xd00, 0x9, 0x9), -EINVAL);
	assert_int_equal(vmsa_check_create(1, 0x1d00, 0x19, 0x9), -EINVAL);
	assert_int_equal(vmsa_check_create(1, 0x1d00, 0x1, 0x9), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ranges),	    cmocka_unit_test(test_ram),
		cmocka_unit_test(test_svsm_memory), cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_registry),    cmocka_unit_test(test_vmsa_boot),
		cmocka_unit_test(test_vmsa_create),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
