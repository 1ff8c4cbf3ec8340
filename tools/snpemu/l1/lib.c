/*
 * Freestanding helpers of the L1: console, locks, exits. Formatting and the memory/string
 * functions are the SVSM's pure modules (src/lib/format.c, src/lib/string.c; tests/tlib/README.md).
 */
#include "l1.h"

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

static void con_putc(char c)
{
	while (!(inb(COM1 + 5) & 0x20))
		cpu_relax();
	outb(COM1, (u8)c);
}

/* One message of con_printf (tlib/console.h), never interleaved with another CPU's. */
void con_emit(const char *msg, size_t len)
{
	spin_lock(&con_lock);
	while (len--)
		con_putc(*msg++);
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
	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	stats_puts(buf);
}

#define DEBUG_EXIT_PORT 0xf4
static volatile u32 exiting;

__noreturn void machine_exit(int status)
{
	/* One CPU writes the statistics and leaves; any other one that gets here waits. */
	if (__atomic_exchange_n(&exiting, 1, __ATOMIC_ACQ_REL) == 0) {
		sched_report();
		stats_write();
		outl(DEBUG_EXIT_PORT, 0x10 + (u32)status);
	}
	halt_forever();
}

__noreturn void machine_stop(const char *what, const char *fmt, va_list ap)
{
	char buf[400];

	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	con_printf("snpemu: %s: %s\n", what, buf);
	machine_exit(EXIT_RULE);
}

__noreturn void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	machine_stop("emulator error", fmt, ap);
}

__noreturn void rule_violation(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	machine_stop("RULE", fmt, ap);
}
