// SPDX-License-Identifier: MIT
/*
 * Log lines with the vCPU number and level, serialized by one lock (include/lib/log.h).
 */
#include "lib/log.h"
#include "arch/percpu.h"
#include "lib/format.h"
#include "lib/spinlock.h"
#include "lib/string.h"

#define EARLY_BUF_SIZE 4096

static struct spinlock log_lock = SPINLOCK_INIT;
static u32 log_owner; /* 1 + index of the vCPU holding log_lock, 0 if none */
static log_console_fn console;

/* Lines logged before the console existed, each ending in '\n'. */
static char early_buf[EARLY_BUF_SIZE];
static size_t early_len;
static unsigned int early_dropped;

static const char *const level_prefix[] = {
	[LOG_ERR] = "error: ",
	[LOG_WARN] = "warning: ",
	[LOG_INFO] = "",
	[LOG_DEBUG] = "debug: ",
};

/* Take the lock unless this vCPU already holds it (a fault while printing). */
static bool log_lock_take(u32 me)
{
	if (READ_ONCE(log_owner) == me)
		return false;
	spin_lock(&log_lock);
	WRITE_ONCE(log_owner, me);
	return true;
}

static void log_lock_drop(bool taken)
{
	if (!taken)
		return;
	WRITE_ONCE(log_owner, 0);
	spin_unlock(&log_lock);
}

static void early_append(const char *line, size_t len)
{
	if (len > EARLY_BUF_SIZE - early_len) {
		early_dropped++;
		return;
	}
	memcpy(early_buf + early_len, line, len);
	early_len += len;
}

/* Format "[cpuN] <prefix><message>\n" into @line; returns its length. */
static size_t log_format(char *line, enum log_level level, u32 cpu, const char *fmt, va_list ap)
{
	int n = fmt_snprintf(line, LOG_LINE_MAX, "[cpu%u] %s", cpu, level_prefix[level]);
	size_t len = (size_t)n;

	len += (size_t)fmt_vsnprintf(line + len, LOG_LINE_MAX - len, fmt, ap);
	if (len > LOG_LINE_MAX - 2) {
		/* Cut: keep room for "...\n" and the NUL. */
		len = LOG_LINE_MAX - 5;
		memcpy(line + len, "...", 3);
		len += 3;
	}
	line[len++] = '\n';
	line[len] = '\0';
	return len;
}

void log_vprintf(enum log_level level, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX + 1];
	struct percpu *me = this_cpu();
	size_t len;
	bool taken;

	if (level > LOG_LEVEL)
		return;
	len = log_format(line, level, me->index, fmt, ap);
	taken = log_lock_take(me->index + 1);
	if (console)
		console(line, len);
	else
		early_append(line, len);
	log_lock_drop(taken);
}

void log_printf(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintf(level, fmt, ap);
	va_end(ap);
}

/* End of the line starting at @s: every early line ends in '\n' (log_format). */
static size_t line_length(const char *s, size_t avail)
{
	size_t n = 0;

	while (n < avail && s[n] != '\n')
		n++;
	return n < avail ? n + 1 : avail;
}

void log_attach_console(log_console_fn write)
{
	u32 me = this_cpu()->index + 1;
	bool taken = log_lock_take(me);
	size_t pos = 0;

	while (pos < early_len) {
		size_t n = line_length(early_buf + pos, early_len - pos);

		write(early_buf + pos, n);
		pos += n;
	}
	early_len = 0;
	console = write;
	log_lock_drop(taken);
	if (early_dropped)
		log_warn("%u early log lines did not fit the early buffer", early_dropped);
}

bool log_console_attached(void)
{
	return READ_ONCE(console) != NULL;
}
