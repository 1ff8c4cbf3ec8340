/* Routing of SVSM calls (protocol/dispatch.h): protocols, call IDs, QUERY_PROTOCOL,
 * CONFIGURE_VTOM, the memory calls, and which handler gets which call. The handlers that act
 * on guest memory (four core calls, the attestation protocol) are fakes here that record what
 * they got. */
/* unit-srcs: src/protocol/dispatch.c */
#include "unit.h"
#include "protocol/attest.h"
#include "protocol/dispatch.h"

static int last_handler = -1;
static struct svsm_call seen;

static u32 fake(int which, struct svsm_call *call)
{
	last_handler = which;
	seen = *call;
	call->rdx = 0xd00d; /* an output the dispatcher must keep */
	return 0x80001234u;
}

u32 core_remap_ca(struct svsm_call *call)
{
	return fake(0, call);
}

u32 core_pvalidate(struct svsm_call *call)
{
	return fake(1, call);
}

u32 core_create_vcpu(struct svsm_call *call)
{
	return fake(2, call);
}

u32 core_delete_vcpu(struct svsm_call *call)
{
	return fake(3, call);
}

u32 attest_call(struct svsm_call *call)
{
	return fake(4, call);
}

static struct svsm_call call(u32 protocol, u32 id, u64 rcx)
{
	struct svsm_call c = { ((u64)protocol << 32) | id, rcx, 0x22, 0x88, 0x99 };

	last_handler = -1;
	svsm_dispatch(&c);
	return c;
}

static void test_unknown(void **state)
{
	static const u32 protocols[] = { 2, 3, 0x1234, 0x7fffffff, 0x80000000, 0xffffffff };
	static const u32 calls[] = { 8, 9, 0x100, 0x80000000, 0xffffffff };
	struct svsm_call c;

	(void)state;
	for (unsigned int i = 0; i < ARRAY_SIZE(protocols); i++) {
		c = call(protocols[i], 0, 0x1000);
		assert_int_equal(c.rax, SVSM_ERR_UNSUPPORTED_PROTOCOL);
		assert_int_equal(c.rcx, 0x1000);
		assert_int_equal(last_handler, -1);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(calls); i++) {
		c = call(0, calls[i], 0x1000);
		assert_int_equal(c.rax, SVSM_ERR_UNSUPPORTED_CALL);
		assert_int_equal(last_handler, -1);
	}
}

static void test_routing(void **state)
{
	struct svsm_call c;

	(void)state;
	for (int id = 0; id < 4; id++) {
		c = call(0, (u32)id, 0xabc000);
		assert_int_equal(last_handler, id);
		assert_int_equal(seen.rcx, 0xabc000);
		assert_int_equal(seen.r8, 0x88);
		assert_int_equal(c.rax, 0x80001234u); /* the result, upper half 0 */
		assert_int_equal(c.rdx, 0xd00d);
		assert_int_equal(c.r9, 0x99);
	}
	/* every call of protocol 1 goes to the attestation protocol, which judges the call ID */
	for (u32 id = 0; id < 3; id++) {
		c = call(SVSM_PROTOCOL_ATTEST, id, 0xabc008);
		assert_int_equal(last_handler, 4);
		assert_int_equal(seen.rax, (1ULL << 32) | id);
		assert_int_equal(seen.rcx, 0xabc008);
		assert_int_equal(c.rax, 0x80001234u);
	}
}

static void test_query_protocol(void **state)
{
	struct svsm_call c;

	(void)state;
	c = call(0, SVSM_CORE_QUERY_PROTOCOL, 1);
	assert_int_equal(c.rax, SVSM_SUCCESS);
	assert_int_equal(c.rcx, (1ULL << 32) | 1);
	/* unsupported version or protocol: SUCCESS with RCX = 0 (facts §7) */
	c = call(0, SVSM_CORE_QUERY_PROTOCOL, 0);
	assert_int_equal(c.rax, SVSM_SUCCESS);
	assert_int_equal(c.rcx, 0);
	c = call(0, SVSM_CORE_QUERY_PROTOCOL, 2);
	assert_int_equal(c.rcx, 0);
	c = call(0, SVSM_CORE_QUERY_PROTOCOL, 0xffffffff);
	assert_int_equal(c.rcx, 0);
	c = call(0, SVSM_CORE_QUERY_PROTOCOL, (2ULL << 32) | 1);
	assert_int_equal(c.rax, SVSM_SUCCESS);
	assert_int_equal(c.rcx, 0);
	c = call(0, SVSM_CORE_QUERY_PROTOCOL, (0x1234ULL << 32) | 1);
	assert_int_equal(c.rcx, 0);
	/* the attestation protocol, version 1 only (SVSM spec #58019) */
	c = call(0, SVSM_CORE_QUERY_PROTOCOL, (1ULL << 32) | 1);
	assert_int_equal(c.rax, SVSM_SUCCESS);
	assert_int_equal(c.rcx, (1ULL << 32) | 1);
	c = call(0, SVSM_CORE_QUERY_PROTOCOL, (1ULL << 32) | 2);
	assert_int_equal(c.rcx, 0);
	c = call(0, SVSM_CORE_QUERY_PROTOCOL, 1ULL << 32);
	assert_int_equal(c.rcx, 0);
}

static void test_vtom(void **state)
{
	struct svsm_call c;

	(void)state;
	c = call(0, SVSM_CORE_CONFIGURE_VTOM, 1);
	assert_int_equal(c.rax, SVSM_SUCCESS);
	assert_int_equal(c.rcx, 0);
	c = call(0, SVSM_CORE_CONFIGURE_VTOM, 0x10000000000ULL | 2);
	assert_int_equal(c.rax, SVSM_ERR_INVALID_REQUEST);
	c = call(0, SVSM_CORE_CONFIGURE_VTOM, 0);
	assert_int_equal(c.rax, SVSM_ERR_INVALID_REQUEST);
}

static void test_memory_calls(void **state)
{
	(void)state;
	assert_int_equal(call(0, SVSM_CORE_DEPOSIT_MEM, 0x1000).rax, SVSM_ERR_UNSUPPORTED_CALL);
	assert_int_equal(call(0, SVSM_CORE_WITHDRAW_MEM, 0x1000).rax, SVSM_ERR_UNSUPPORTED_CALL);
	assert_int_equal(last_handler, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unknown),	       cmocka_unit_test(test_routing),
		cmocka_unit_test(test_query_protocol), cmocka_unit_test(test_vtom),
		cmocka_unit_test(test_memory_calls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
