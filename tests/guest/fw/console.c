/* The test firmware's console (see console.h). */
#include "console.h"
#include "lib/string.h"
#include "percpu.h"
#include "tlib/x86.h"

#define LINE_MAX 200

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

/* Each line of the message gets the prefix and a newline; one message is never interleaved. */
void con_emit(const char *msg, size_t len)
{
	char line[sizeof(CONSOLE_PREFIX) + LINE_MAX + 1];
	const char *p = msg, *end = msg + len;
	bool locked = console_lock();

	while (p < end) {
		size_t n = sizeof(CONSOLE_PREFIX) - 1;

		memcpy(line, CONSOLE_PREFIX, n);
		while (p < end && *p != '\n' && n < sizeof(line) - 1)
			line[n++] = *p++;
		if (p < end && *p == '\n')
			p++;
		line[n++] = '\n';
		outsb(CONSOLE_PORT, line, n);
	}
	if (locked)
		console_unlock();
}
