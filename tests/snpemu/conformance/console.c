/*
 * Console and verdict of the conformance payload.
 *
 * Output goes to COM1 with REP OUTSB: the #VC handler turns it into one string IOIO event per
 * line through the context's GHCB (facts §3 IOIO), as any SNP guest's console must.
 */
#include "check.h"

#define COM1 0x3f8
#define VERDICT_PORT 0xf4

void *memset(void *d, int c, size_t n)
{
	u8 *p = d;

	while (n--)
		*p++ = (u8)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	u8 *p = d;
	const u8 *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p < *q ? -1 : 1;
	return 0;
}

struct out {
	char *buf;
	size_t size, len;
};

static void out_c(struct out *o, char ch)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = ch;
	o->len++;
}

static void out_num(struct out *o, u64 v, unsigned int base, bool neg, int width, char pad)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	while (width-- > n)
		out_c(o, pad);
	while (n)
		out_c(o, tmp[--n]);
}

/* printf subset: %s %c %d %u %x %p %%, flags '0', a width, length modifiers l ll z. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		int width = 0, lng = 0;
		char pad = ' ';

		if (*fmt != '%') {
			out_c(&o, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z') {
			lng++;
			fmt++;
		}
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);

			if (!s)
				s = "(null)";
			while (*s)
				out_c(&o, *s++);
			break;
		}
		case 'c':
			out_c(&o, (char)va_arg(ap, int));
			break;
		case 'd': {
			s64 v = lng ? va_arg(ap, s64) : va_arg(ap, int);

			out_num(&o, v < 0 ? -(u64)v : (u64)v, 10, v < 0, width, pad);
			break;
		}
		case 'u':
			out_num(&o, lng ? va_arg(ap, u64) : va_arg(ap, unsigned int), 10, false,
				width, pad);
			break;
		case 'x':
			out_num(&o, lng ? va_arg(ap, u64) : va_arg(ap, unsigned int), 16, false,
				width, pad);
			break;
		case 'p':
			out_c(&o, '0');
			out_c(&o, 'x');
			out_num(&o, (u64)va_arg(ap, void *), 16, false, 0, ' ');
			break;
		case '%':
			out_c(&o, '%');
			break;
		default:
			out_c(&o, '?');
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void con_write(const char *s, size_t n)
{
	outsb(COM1, s, n);
}

void con_printf(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	con_write(line, MIN((size_t)n, sizeof(line) - 1));
}

bool check(bool ok, const char *name, const char *why_fmt, ...)
{
	struct cpu *c = this_cpu();
	char why[160];
	va_list ap;

	c->checks++;
	if (ok) {
		con_printf("ok - %s\n", name);
		return true;
	}
	c->failures++;
	va_start(ap, why_fmt);
	vsnprintf(why, sizeof(why), why_fmt, ap);
	va_end(ap);
	con_printf("not ok - %s: %s\n", name, why);
	return false;
}

bool check_eq(const char *name, u64 got, u64 want)
{
	return check(got == want, name, "expected 0x%lx got 0x%lx", want, got);
}

bool check_ne(const char *name, u64 got, u64 unwanted)
{
	return check(got != unwanted, name, "expected anything but 0x%lx got 0x%lx", unwanted, got);
}

__noreturn void conf_terminate(unsigned int code)
{
	msr_protocol(MSR_TERM_REQ | ((u64)CONF_TERM_SET << 12) | ((u64)code << 16));
	halt_forever();
}

__noreturn void verdict(u32 code)
{
	/* A 32-bit OUT to port 0xf4 through the IOIO event ends the run (design §4.3). */
	outl(VERDICT_PORT, code);
	con_printf("not ok - host ignored the verdict 0x%x on port 0x%x\n", code, VERDICT_PORT);
	conf_terminate(CONF_TERM_VERDICT);
}

bool check_insn(const char *name, struct insn_result r, u64 eax, int cf)
{
	return check(r.vector < 0 && r.rax == eax && (cf == CF_ANY || r.cf == (bool)cf), name,
		     "expected eax %lu cf %d got eax %lu cf %d vector %d", eax, cf, r.rax, r.cf,
		     r.vector);
}

bool check_vc_at(const char *name, struct insn_result r, u64 code)
{
	return check(r.vector == VEC_VC && r.error == code && r.at_insn, name,
		     "expected #VC 0x%lx at the instruction got vector %d error 0x%lx at_insn %d",
		     code, r.vector, r.error, r.at_insn);
}

bool check_no_fault(const char *name, struct insn_result r)
{
	return check(r.vector < 0, name, "expected no exception got vector %d error 0x%lx",
		     r.vector, r.error);
}

bool check_nae_ok(const char *name, struct nae n)
{
	return check(n.info1_valid && n.info1 == 0, name,
		     "expected exit_info_1 0 got 0x%lx (valid %d), exit_info_2 0x%lx", n.info1,
		     n.info1_valid, n.info2);
}
