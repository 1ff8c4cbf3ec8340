/* Console output and a small printf (see console.h). */
#include "console.h"
#include "cpu.h"
#include "percpu.h"

#define LINE_MAX 200

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void out_char(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

static void out_number(struct out *o, u64 v, bool neg, unsigned int base, bool upper, int width,
		       bool zero, bool left)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (neg)
		width--;
	if (!left && !zero)
		out_pad(o, ' ', width - n);
	if (neg)
		out_char(o, '-');
	if (!left && zero)
		out_pad(o, '0', width - n);
	while (n)
		out_char(o, tmp[--n]);
	if (left)
		out_pad(o, ' ', width - n);
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		bool zero = false, left = false;
		int width = 0, lng = 0;
		u64 v;

		if (*fmt != '%') {
			out_char(&o, *fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '0')
				zero = true;
			else if (*fmt == '-')
				left = true;
			else
				break;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		for (;; fmt++) {
			if (*fmt == 'l')
				lng++;
			else if (*fmt == 'z')
				lng = 2;
			else
				break;
		}
		switch (*fmt) {
		case 'd':
		case 'i': {
			s64 s = lng ? va_arg(ap, s64) : va_arg(ap, int);

			out_number(&o, s < 0 ? -(u64)s : (u64)s, s < 0, 10, false, width, zero,
				   left);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
			v = lng ? va_arg(ap, u64) : va_arg(ap, unsigned int);
			out_number(&o, v, false, *fmt == 'u' ? 10 : 16, *fmt == 'X', width, zero,
				   left);
			break;
		case 'p':
			out_char(&o, '0');
			out_char(&o, 'x');
			out_number(&o, (u64)(uintptr_t)va_arg(ap, void *), false, 16, false, 16,
				   true, false);
			break;
		case 'c':
			out_char(&o, (char)va_arg(ap, int));
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			int n = 0;

			if (!s)
				s = "(null)";
			while (s[n])
				n++;
			if (!left)
				out_pad(&o, ' ', width - n);
			while (*s)
				out_char(&o, *s++);
			if (left)
				out_pad(&o, ' ', width - n);
			break;
		}
		case '%':
			out_char(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			out_char(&o, '%');
			out_char(&o, *fmt);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
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

/*
 * One lock for the console. Its owner is a vCPU index, so that a vCPU that faults while it
 * prints (the #VC handler reporting a fatal error) can still print instead of deadlocking.
 */
#define NO_OWNER 0xffffffffu
static u32 console_owner = NO_OWNER;

static bool console_lock(void)
{
	u32 me = this_cpu()->index, free = NO_OWNER;

	if (__atomic_load_n(&console_owner, __ATOMIC_RELAXED) == me)
		return false; /* nested: already ours */
	while (!__atomic_compare_exchange_n(&console_owner, &free, me, false, __ATOMIC_ACQUIRE,
					    __ATOMIC_RELAXED)) {
		free = NO_OWNER;
		cpu_relax();
	}
	return true;
}

static void console_unlock(void)
{
	__atomic_store_n(&console_owner, NO_OWNER, __ATOMIC_RELEASE);
}

void con_vprintf(const char *fmt, va_list ap)
{
	char msg[LINE_MAX * 2], line[sizeof(CONSOLE_PREFIX) + LINE_MAX + 1];
	const char *p = msg;
	bool locked;

	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	locked = console_lock();
	while (*p) {
		size_t n = sizeof(CONSOLE_PREFIX) - 1;

		__builtin_memcpy(line, CONSOLE_PREFIX, n);
		while (*p && *p != '\n' && n < sizeof(line) - 1)
			line[n++] = *p++;
		if (*p == '\n')
			p++;
		line[n++] = '\n';
		outsb(CONSOLE_PORT, line, n);
	}
	if (locked)
		console_unlock();
}

void con_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	con_vprintf(fmt, ap);
	va_end(ap);
}
