/* Freestanding helpers of the L1: memory/string functions, formatting, console, locks, exits. */
#include "l1.h"

void *memset(void *d, int c, size_t n)
{
	void *ret = d;

	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return ret;
}

void *memcpy(void *d, const void *s, size_t n)
{
	void *ret = d;

	__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	return ret;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (u8)*a - (u8)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (u8)*a - (u8)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

struct outbuf {
	char *buf;
	size_t size, pos;
};

static void ob_put(struct outbuf *o, char c)
{
	if (o->pos + 1 < o->size)
		o->buf[o->pos] = c;
	o->pos++;
}

/* Supports %[-0][width][l|ll|z](d|u|x|X|s|c|p) and %%. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		char tmp[24], pad = ' ';
		int width = 0, lng = 0, left = 0, base = 10, neg = 0, n = 0, prec = -1;
		const char *s;
		u64 val;

		if (*fmt != '%') {
			ob_put(&o, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == '-') {
			left = 1;
			fmt++;
		}
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			}
			while (*fmt >= '0' && *fmt <= '9')
				prec = prec * 10 + (*fmt++ - '0');
		}
		while (*fmt == 'l' || *fmt == 'z') {
			lng++;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
			val = lng ? va_arg(ap, u64) : (u64)(s64)va_arg(ap, int);
			if ((s64)val < 0) {
				neg = 1;
				val = -val;
			}
			goto number;
		case 'u':
			val = lng ? va_arg(ap, u64) : va_arg(ap, unsigned int);
			goto number;
		case 'p':
			val = (u64)va_arg(ap, void *);
			base = 16;
			goto number;
		case 'x':
		case 'X':
			val = lng ? va_arg(ap, u64) : va_arg(ap, unsigned int);
			base = 16;
number:
			do {
				tmp[n++] = "0123456789abcdef"[val % base];
				val /= base;
			} while (val);
			if (neg)
				tmp[n++] = '-';
			if (!left)
				for (int i = n; i < width; i++)
					ob_put(&o, pad);
			while (n)
				ob_put(&o, tmp[--n]);
			break;
		case 's':
			s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			n = (int)strlen(s);
			if (prec >= 0 && n > prec)
				n = prec;
			if (!left)
				for (int i = n; i < width; i++)
					ob_put(&o, ' ');
			for (int i = 0; i < n; i++)
				ob_put(&o, s[i]);
			if (left)
				for (int i = n; i < width; i++)
					ob_put(&o, ' ');
			break;
		case 'c':
			ob_put(&o, (char)va_arg(ap, int));
			break;
		case '%':
			ob_put(&o, '%');
			break;
		default:
			ob_put(&o, '?');
			break;
		}
	}
	if (o.size)
		o.buf[o.pos < o.size ? o.pos : o.size - 1] = 0;
	return (int)o.pos;
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

void spin_lock(struct spinlock *l)
{
	while (__atomic_exchange_n(&l->v, 1, __ATOMIC_ACQUIRE))
		while (READ_ONCE(l->v))
			cpu_relax();
}

void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->v, 0, __ATOMIC_RELEASE);
}

#define COM1 0x3f8
static struct spinlock con_lock;

void con_putc(char c)
{
	while (!(inb(COM1 + 5) & 0x20))
		cpu_relax();
	outb(COM1, (u8)c);
}

void con_write(const char *s, size_t n)
{
	while (n--)
		con_putc(*s++);
}

void printk(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	spin_lock(&con_lock);
	con_write(buf, (size_t)n);
	spin_unlock(&con_lock);
}

#define DEBUGCON 0xe9

void stats_puts(const char *s)
{
	while (*s)
		outb(DEBUGCON, (u8)*s++);
}

void stats_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	stats_puts(buf);
}

#define DEBUG_EXIT_PORT 0xf4
static volatile u32 exiting;

__noreturn void machine_exit(int status)
{
	/* One CPU writes the statistics and leaves; any other one that gets here waits. */
	if (__atomic_exchange_n(&exiting, 1, __ATOMIC_ACQ_REL) == 0) {
		stats_write();
		outl(DEBUG_EXIT_PORT, 0x10 + (u32)status);
	}
	for (;;)
		__asm__ volatile("cli; hlt");
}

__noreturn void panic(const char *fmt, ...)
{
	char buf[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk("snpemu: emulator error: %s\n", buf);
	machine_exit(EXIT_RULE);
}

__noreturn void rule_violation(const char *fmt, ...)
{
	char buf[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk("snpemu: RULE: %s\n", buf);
	machine_exit(EXIT_RULE);
}
