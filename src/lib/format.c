// SPDX-License-Identifier: MIT
/*
 * printf-style formatting into a bounded buffer (contract in include/lib/format.h).
 *
 * Pure C with no allocation and no floating point: the SVSM's log and panic output go
 * through it, and so does anything a host test feeds it. Output beyond the buffer is counted
 * but not written, exactly like C11 snprintf.
 */
#include "lib/format.h"

struct sink {
	char *buf;
	size_t size;
	size_t len; /* characters produced so far, written or not */
};

static void put(struct sink *s, char c)
{
	if (s->size && s->len < s->size - 1)
		s->buf[s->len] = c;
	s->len++;
}

static void put_repeat(struct sink *s, char c, int n)
{
	while (n-- > 0)
		put(s, c);
}

static void put_str(struct sink *s, const char *p, size_t n)
{
	while (n--)
		put(s, *p++);
}

#define F_LEFT BIT(0)  /* '-' */
#define F_ZERO BIT(1)  /* '0' */
#define F_PLUS BIT(2)  /* '+' */
#define F_SPACE BIT(3) /* ' ' */
#define F_ALT BIT(4)   /* '#' */

struct spec {
	unsigned int flags;
	int width; /* -1: none */
	int prec;  /* -1: none */
};

/* Pad a field of @n characters to the spec's width with spaces on the chosen side. */
static void pad_before(struct sink *s, const struct spec *sp, size_t n)
{
	if (!(sp->flags & F_LEFT) && sp->width > 0 && (size_t)sp->width > n)
		put_repeat(s, ' ', sp->width - (int)n);
}

static void pad_after(struct sink *s, const struct spec *sp, size_t n)
{
	if ((sp->flags & F_LEFT) && sp->width > 0 && (size_t)sp->width > n)
		put_repeat(s, ' ', sp->width - (int)n);
}

static void fmt_string(struct sink *s, const struct spec *sp, const char *str)
{
	size_t n;

	if (!str)
		str = "(null)";
	n = 0;
	while (str[n] && (sp->prec < 0 || n < (size_t)sp->prec))
		n++;
	pad_before(s, sp, n);
	put_str(s, str, n);
	pad_after(s, sp, n);
}

/*
 * One integer: @neg and @v are the sign and magnitude, @base 8/10/16, @upper for %X.
 * Layout: [spaces][sign][prefix][zeros][digits][spaces].
 */
static void fmt_integer(struct sink *s, const struct spec *sp, bool neg, unsigned long long v,
			unsigned int base, bool upper, bool is_signed)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24]; /* 2^64 in octal is 22 digits */
	int nd = 0, zeros, total;
	const char *prefix = "";
	char sign = 0;

	while (v) {
		tmp[nd++] = digits[v % base];
		v /= base;
	}
	/* Precision is the minimum number of digits; "%.0d" of 0 prints no digit at all. */
	zeros = sp->prec > nd ? sp->prec - nd : 0;
	if (nd == 0 && sp->prec < 0)
		zeros = 1;
	if (is_signed) {
		if (neg)
			sign = '-';
		else if (sp->flags & F_PLUS)
			sign = '+';
		else if (sp->flags & F_SPACE)
			sign = ' ';
	}
	if (sp->flags & F_ALT) {
		if (base == 16 && nd)
			prefix = upper ? "0X" : "0x";
		else if (base == 8 && zeros == 0)
			zeros = 1; /* the first digit of an alternate-form octal number is 0 */
	}
	total = (sign ? 1 : 0) + (int)__builtin_strlen(prefix) + zeros + nd;
	/* '0' pads with zeros after the sign, unless '-' or a precision is given. */
	if ((sp->flags & F_ZERO) && !(sp->flags & F_LEFT) && sp->prec < 0 && sp->width > total) {
		zeros += sp->width - total;
		total = sp->width;
	}
	pad_before(s, sp, (size_t)total);
	if (sign)
		put(s, sign);
	put_str(s, prefix, __builtin_strlen(prefix));
	put_repeat(s, '0', zeros);
	while (nd)
		put(s, tmp[--nd]);
	pad_after(s, sp, (size_t)total);
}

enum length {
	LEN_NONE,
	LEN_HH,
	LEN_H,
	LEN_L,
	LEN_LL,
	LEN_Z,
	LEN_T,
	LEN_J
};

static long long arg_signed(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_HH:
		return (signed char)va_arg(*ap, int);
	case LEN_H:
		return (short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, long);
	case LEN_LL:
		return va_arg(*ap, long long);
	case LEN_Z:
		return (long long)va_arg(*ap, size_t);
	case LEN_T:
		return va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

static unsigned long long arg_unsigned(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
		return va_arg(*ap, unsigned long long);
	case LEN_Z:
		return va_arg(*ap, size_t);
	case LEN_T:
		return (unsigned long long)va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

/* Parse flags, width, precision and length; *fmt is left on the conversion character. */
static enum length parse_spec(const char **fmt, va_list *ap, struct spec *sp)
{
	const char *f = *fmt;
	enum length len = LEN_NONE;

	sp->flags = 0;
	sp->width = -1;
	sp->prec = -1;
	for (;; f++) {
		if (*f == '-')
			sp->flags |= F_LEFT;
		else if (*f == '0')
			sp->flags |= F_ZERO;
		else if (*f == '+')
			sp->flags |= F_PLUS;
		else if (*f == ' ')
			sp->flags |= F_SPACE;
		else if (*f == '#')
			sp->flags |= F_ALT;
		else
			break;
	}
	if (*f == '*') {
		int w = va_arg(*ap, int);

		f++;
		if (w < 0) {
			sp->flags |= F_LEFT;
			w = w == -2147483647 - 1 ? 2147483647 : -w;
		}
		sp->width = w;
	} else {
		for (; *f >= '0' && *f <= '9'; f++)
			sp->width = (sp->width < 0 ? 0 : sp->width) * 10 + (*f - '0');
	}
	if (*f == '.') {
		f++;
		if (*f == '*') {
			int p = va_arg(*ap, int);

			f++;
			sp->prec = p < 0 ? -1 : p; /* a negative precision is taken as omitted */
		} else {
			sp->prec = 0;
			for (; *f >= '0' && *f <= '9'; f++)
				sp->prec = sp->prec * 10 + (*f - '0');
		}
	}
	if (f[0] == 'h' && f[1] == 'h') {
		len = LEN_HH;
		f += 2;
	} else if (f[0] == 'l' && f[1] == 'l') {
		len = LEN_LL;
		f += 2;
	} else if (*f == 'h') {
		len = LEN_H;
		f++;
	} else if (*f == 'l') {
		len = LEN_L;
		f++;
	} else if (*f == 'z') {
		len = LEN_Z;
		f++;
	} else if (*f == 't') {
		len = LEN_T;
		f++;
	} else if (*f == 'j') {
		len = LEN_J;
		f++;
	}
	*fmt = f;
	return len;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct sink s = { buf, size, 0 };
	va_list ap;

	va_copy(ap, ap_in);
	while (*fmt) {
		const char *start = fmt;
		struct spec sp;
		enum length len;

		if (*fmt != '%') {
			put(&s, *fmt++);
			continue;
		}
		fmt++;
		len = parse_spec(&fmt, &ap, &sp);
		switch (*fmt) {
		case 'd':
		case 'i': {
			long long v = arg_signed(&ap, len);
			unsigned long long mag = v < 0 ? 0ULL - (unsigned long long)v
						       : (unsigned long long)v;

			fmt_integer(&s, &sp, v < 0, mag, 10, false, true);
			break;
		}
		case 'u':
			fmt_integer(&s, &sp, false, arg_unsigned(&ap, len), 10, false, false);
			break;
		case 'x':
		case 'X':
			fmt_integer(&s, &sp, false, arg_unsigned(&ap, len), 16, *fmt == 'X', false);
			break;
		case 'o':
			fmt_integer(&s, &sp, false, arg_unsigned(&ap, len), 8, false, false);
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);

			pad_before(&s, &sp, 1);
			put(&s, c);
			pad_after(&s, &sp, 1);
			break;
		}
		case 's':
			fmt_string(&s, &sp, va_arg(ap, const char *));
			break;
		case 'p': {
			struct spec hex = { 0, -1, 16 };

			/* Always 0x and 16 hex digits, so addresses line up in panic dumps. */
			pad_before(&s, &sp, 18);
			put_str(&s, "0x", 2);
			fmt_integer(&s, &hex, false, (uintptr_t)va_arg(ap, void *), 16, false,
				    false);
			pad_after(&s, &sp, 18);
			break;
		}
		case '%':
			put(&s, '%');
			break;
		case '\0':
			/* A lone '%' (or an unfinished spec) at the end: copy it through. */
			put_str(&s, start, (size_t)(fmt - start));
			continue;
		default:
			/* Unknown conversion: copy the whole spec through verbatim. */
			put_str(&s, start, (size_t)(fmt - start) + 1);
			break;
		}
		fmt++;
	}
	va_end(ap);
	if (size)
		buf[s.len < size ? s.len : size - 1] = '\0';
	return s.len > 0x7fffffff ? 0x7fffffff : (int)s.len;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
