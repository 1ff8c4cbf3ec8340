/* Formatted console output (tlib/console.h). */
#include "tlib/console.h"
#include "lib/format.h"

void con_vprintf(const char *fmt, va_list ap)
{
	char msg[CON_MSG_MAX];
	int n = fmt_vsnprintf(msg, sizeof(msg), fmt, ap);

	con_emit(msg, MIN((size_t)n, sizeof(msg) - 1));
}

void con_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	con_vprintf(fmt, ap);
	va_end(ap);
}
