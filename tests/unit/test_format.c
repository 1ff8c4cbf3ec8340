/* fmt_snprintf (src/lib/format.c): random conversions checked against glibc's snprintf for
 * every case C defines, plus what csvsm defines differently (%p, NULL %s, unknown
 * conversions) and truncation. */
/* unit-srcs: src/lib/format.c */
#include "unit.h"
#include "lib/format.h"

enum len {
	L_HH,
	L_H,
	L_NONE,
	L_L,
	L_LL,
	L_Z,
	L_T,
	L_J,
	L_COUNT
};
static const char *const len_str[L_COUNT] = { "hh", "h", "", "l", "ll", "z", "t", "j" };

/* Format one value with both implementations (arguments typed as the spec says). */
static void both(char *mine, char *libc, size_t size, int *rm, int *rl, const char *f, char conv,
		 enum len l, int star_w, int star_p, int nstars, u64 v)
{
	bool is_signed = conv == 'd' || conv == 'i';

#define CALL(arg)                                                               \
	do {                                                                    \
		if (nstars == 2) {                                              \
			*rm = fmt_snprintf(mine, size, f, star_w, star_p, arg); \
			*rl = snprintf(libc, size, f, star_w, star_p, arg);     \
		} else if (nstars == 1) {                                       \
			int s_ = star_w != -9999 ? star_w : star_p;             \
			*rm = fmt_snprintf(mine, size, f, s_, arg);             \
			*rl = snprintf(libc, size, f, s_, arg);                 \
		} else {                                                        \
			*rm = fmt_snprintf(mine, size, f, arg);                 \
			*rl = snprintf(libc, size, f, arg);                     \
		}                                                               \
	} while (0)

	if (conv == 'c') {
		CALL((int)(v % 95 + 32));
	} else if (conv == 's') {
		static const char *const strs[] = { "", "a", "hello", "csvsm at VMPL0",
						    "0123456789abcdefghijklmnopqrstuvwxyz" };
		CALL(strs[v % ARRAY_SIZE(strs)]);
	} else if (is_signed) {
		switch (l) {
		case L_HH:
			CALL((int)(signed char)v);
			break;
		case L_H:
			CALL((int)(short)v);
			break;
		case L_NONE:
			CALL((int)v);
			break;
		case L_L:
			CALL((long)v);
			break;
		case L_LL:
			CALL((long long)v);
			break;
		case L_Z:
			CALL((ptrdiff_t)v); /* %zd: the signed type of size_t's width */
			break;
		case L_T:
			CALL((ptrdiff_t)v);
			break;
		default:
			CALL((intmax_t)v);
			break;
		}
	} else {
		switch (l) {
		case L_HH:
			CALL((unsigned int)(unsigned char)v);
			break;
		case L_H:
			CALL((unsigned int)(unsigned short)v);
			break;
		case L_NONE:
			CALL((unsigned int)v);
			break;
		case L_L:
			CALL((unsigned long)v);
			break;
		case L_LL:
			CALL((unsigned long long)v);
			break;
		case L_Z:
			CALL((size_t)v);
			break;
		case L_T:
			CALL((size_t)v); /* %tu: the unsigned type of ptrdiff_t's width */
			break;
		default:
			CALL((uintmax_t)v);
			break;
		}
	}
#undef CALL
}

/* Values that hit the edges of every width. */
static u64 pick_value(u64 *s)
{
	static const u64 edges[] = { 0,
				     1,
				     0x7f,
				     0x80,
				     0xff,
				     0x7fff,
				     0x8000,
				     0xffff,
				     0x7fffffff,
				     0x80000000,
				     0xffffffff,
				     0x7fffffffffffffffULL,
				     0x8000000000000000ULL,
				     0xffffffffffffffffULL,
				     1234567890123ULL };

	switch (prng_below(s, 3)) {
	case 0:
		return edges[prng_below(s, ARRAY_SIZE(edges))];
	case 1:
		return prng_below(s, 2000) - 1000;
	default:
		return prng_next(s);
	}
}

static void test_against_libc(void **state)
{
	static const char convs[] = "diouxXcs";
	static const size_t sizes[] = { 200, 0, 1, 2, 7 };
	u64 seed = 0xf00dULL;
	unsigned int n;

	(void)state;
	for (n = 0; n < 40000; n++) {
		char f[64], mine[256], libc[256];
		char conv = convs[prng_below(&seed, sizeof(convs) - 1)];
		bool is_int = conv != 'c' && conv != 's';
		bool is_signed = conv == 'd' || conv == 'i';
		enum len l = is_int ? (enum len)prng_below(&seed, L_COUNT) : L_NONE;
		int star_w = -9999, star_p = -9999, nstars = 0, rm, rl;
		size_t size = sizes[prng_below(&seed, ARRAY_SIZE(sizes))];
		char *p = f;
		u64 v = pick_value(&seed);

		*p++ = 'x'; /* text around the conversion */
		*p++ = '%';
		/* Flags that C defines for this conversion. */
		if (prng_below(&seed, 3) == 0)
			*p++ = '-';
		if (is_int && prng_below(&seed, 3) == 0)
			*p++ = '0';
		if (is_signed && prng_below(&seed, 4) == 0)
			*p++ = '+';
		if (is_signed && prng_below(&seed, 4) == 0)
			*p++ = ' ';
		if ((conv == 'o' || conv == 'x' || conv == 'X') && prng_below(&seed, 3) == 0)
			*p++ = '#';
		switch (prng_below(&seed, 4)) {
		case 0:
			break;
		case 1:
			*p++ = '*';
			star_w = (int)prng_below(&seed, 50) - 25;
			nstars++;
			break;
		default:
			p += sprintf(p, "%u", (unsigned int)prng_below(&seed, 30));
		}
		if (conv != 'c') {
			switch (prng_below(&seed, 4)) {
			case 0:
				break;
			case 1:
				*p++ = '.';
				*p++ = '*';
				star_p = (int)prng_below(&seed, 40) - 10;
				nstars++;
				break;
			default:
				p += sprintf(p, ".%u", (unsigned int)prng_below(&seed, 25));
			}
		}
		p += sprintf(p, "%s%cy", len_str[l], conv);
		*p = 0;

		memset(mine, 0x55, sizeof(mine));
		memset(libc, 0x55, sizeof(libc));
		both(mine, libc, size, &rm, &rl, f, conv, l, star_w, star_p, nstars, v);
		if (rm != rl || memcmp(mine, libc, sizeof(mine)) != 0)
			fail_msg("format \"%s\" value %#llx size %zu: mine %d \"%.*s\", libc %d "
				 "\"%.*s\"",
				 f, (unsigned long long)v, size, rm, (int)MIN(size, sizeof(mine)),
				 mine, rl, (int)MIN(size, sizeof(libc)), libc);
	}
}

static void test_csvsm_specifics(void **state)
{
	char buf[64];
	const char *volatile null_str = NULL; /* volatile: no compile-time "null %s" warning */
	const char *unknown = "a%qb%";

	(void)state;
	/* %p: 0x and 16 hex digits, whatever the pointer. */
	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "%p", (void *)0x1234), 18);
	assert_string_equal(buf, "0x0000000000001234");
	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "%p", (void *)0), 18);
	assert_string_equal(buf, "0x0000000000000000");
	/* NULL %s */
	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "[%s]", null_str), 8);
	assert_string_equal(buf, "[(null)]");
	/* Unknown conversions (and a lone % at the end) are copied through. */
	fmt_snprintf(buf, sizeof(buf), unknown, 1);
	assert_string_equal(buf, "a%qb%");
	/* Truncation: always NUL-terminated, returns the full length, size 0 writes nothing. */
	memset(buf, 'z', sizeof(buf));
	assert_int_equal(fmt_snprintf(buf, 5, "%s-%d", "abcdef", 42), 9);
	assert_string_equal(buf, "abcd");
	assert_int_equal(buf[5], 'z');
	assert_int_equal(fmt_snprintf(buf, 0, "%d", 12345), 5);
	assert_int_equal(buf[0], 'a');
	assert_int_equal(fmt_snprintf(NULL, 0, "%llu", 18446744073709551615ULL), 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_libc),
		cmocka_unit_test(test_csvsm_specifics),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
