/* Port-I/O decoding for the #VC handler (src/sev/vc_insn.c): every accepted form, every
 * prefix rule, and every way a byte sequence can be refused. */
/* unit-srcs: src/sev/vc_insn.c */
#include "unit.h"
#include "sev/vc_insn.h"

struct io_case {
	const char *name;
	u8 code[16];
	size_t len;
	int rc;
	struct io_insn want;
};

#define IO(...)             \
	{                   \
		__VA_ARGS__ \
	}

static const struct io_case cases[] = {
	{ "in al, imm8",
	  { 0xe4, 0x60 },
	  2,
	  0,
	  IO(.len = 2, .size = 1, .addr_size = 8, .in = true, .port_imm = true, .port = 0x60) },
	{ "in eax, imm8",
	  { 0xe5, 0x71 },
	  2,
	  0,
	  IO(.len = 2, .size = 4, .addr_size = 8, .in = true, .port_imm = true, .port = 0x71) },
	{ "in ax, imm8",
	  { 0x66, 0xe5, 0x71 },
	  3,
	  0,
	  IO(.len = 3, .size = 2, .addr_size = 8, .in = true, .port_imm = true, .port = 0x71) },
	{ "out imm8, al",
	  { 0xe6, 0xf4 },
	  2,
	  0,
	  IO(.len = 2, .size = 1, .addr_size = 8, .port_imm = true, .port = 0xf4) },
	{ "out imm8, eax",
	  { 0xe7, 0xf4 },
	  2,
	  0,
	  IO(.len = 2, .size = 4, .addr_size = 8, .port_imm = true, .port = 0xf4) },
	{ "in al, dx", { 0xec }, 1, 0, IO(.len = 1, .size = 1, .addr_size = 8, .in = true) },
	{ "in eax, dx", { 0xed }, 1, 0, IO(.len = 1, .size = 4, .addr_size = 8, .in = true) },
	{ "out dx, ax", { 0x66, 0xef }, 2, 0, IO(.len = 2, .size = 2, .addr_size = 8) },
	{ "out dx, al", { 0xee }, 1, 0, IO(.len = 1, .size = 1, .addr_size = 8) },
	{ "insb",
	  { 0x6c },
	  1,
	  0,
	  IO(.len = 1, .size = 1, .addr_size = 8, .in = true, .string = true) },
	{ "rep insd",
	  { 0xf3, 0x6d },
	  2,
	  0,
	  IO(.len = 2, .size = 4, .addr_size = 8, .in = true, .string = true, .rep = true) },
	{ "rep outsb",
	  { 0xf3, 0x6e },
	  2,
	  0,
	  IO(.len = 2, .size = 1, .addr_size = 8, .string = true, .rep = true) },
	{ "rep outsw, 32-bit addressing",
	  { 0x67, 0x66, 0xf3, 0x6f },
	  4,
	  0,
	  IO(.len = 4, .size = 2, .addr_size = 4, .string = true, .rep = true) },
	{ "ds outsb (null override)",
	  { 0x3e, 0x6e },
	  2,
	  0,
	  IO(.len = 2, .size = 1, .addr_size = 8, .string = true) },
	{ "REX before the opcode",
	  { 0x48, 0xed },
	  2,
	  0,
	  IO(.len = 2, .size = 4, .addr_size = 8, .in = true) },
	{ "prefixes then REX",
	  { 0x66, 0xf3, 0x41, 0x6f },
	  4,
	  0,
	  IO(.len = 4, .size = 2, .addr_size = 8, .string = true, .rep = true) },

	{ "not an I/O instruction (cpuid)", { 0x0f, 0xa2 }, 2, -EINVAL, IO(0) },
	{ "REX not last (REX then prefix)", { 0x48, 0x66, 0xed }, 3, -EINVAL, IO(0) },
	{ "imm8 cut off", { 0xe6 }, 1, -EINVAL, IO(0) },
	{ "opcode cut off after REX", { 0x40 }, 1, -EINVAL, IO(0) },
	{ "only prefixes", { 0x66, 0x67, 0xf3 }, 3, -EINVAL, IO(0) },
	{ "empty", { 0 }, 0, -EINVAL, IO(0) },
	{ "fs override", { 0x64, 0x6e }, 2, -ENOTSUP, IO(0) },
	{ "gs override", { 0xf3, 0x65, 0x6f }, 3, -ENOTSUP, IO(0) },
};

static void test_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct io_case *c = &cases[i];
		struct io_insn io;
		int rc = io_insn_decode(c->code, c->len, &io);

		if (rc != c->rc)
			fail_msg("%s: rc %d, expected %d", c->name, rc, c->rc);
		if (rc)
			continue;
		if (memcmp(&io, &c->want, sizeof(io)))
			fail_msg("%s: len %u size %u addr %u in %d str %d rep %d imm %d port %#x",
				 c->name, io.len, io.size, io.addr_size, io.in, io.string, io.rep,
				 io.port_imm, io.port);
	}
}

/* The decoder never looks past 15 bytes, even with more available. */
static void test_length_limit(void **state)
{
	u8 code[32];
	struct io_insn io;

	(void)state;
	memset(code, 0x66, sizeof(code));
	code[14] = 0xee; /* 14 prefixes + opcode = 15 bytes: accepted */
	assert_int_equal(io_insn_decode(code, sizeof(code), &io), 0);
	assert_int_equal(io.len, 15);
	code[14] = 0x66;
	code[15] = 0xee; /* the opcode would be the 16th byte */
	assert_int_equal(io_insn_decode(code, sizeof(code), &io), -EINVAL);
}

/* The decoder reads only what it is given: every cut of a valid instruction is refused,
 * and ASan checks no byte past `avail` is read. */
static void test_truncations(void **state)
{
	static const u8 full[] = { 0x67, 0x66, 0xf3, 0x41, 0x6f };
	size_t n;

	(void)state;
	for (n = 0; n < sizeof(full); n++) {
		u8 *copy = malloc(n ? n : 1);
		struct io_insn io;

		assert_non_null(copy);
		memcpy(copy, full, n);
		assert_int_equal(io_insn_decode(copy, n, &io), -EINVAL);
		free(copy);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_length_limit),
		cmocka_unit_test(test_truncations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
