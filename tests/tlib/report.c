/* Check lines (tlib/report.h). */
#include "tlib/report.h"
#include "tlib/console.h"

bool report_check(bool ok, const char *what, const char *why)
{
	if (ok)
		con_printf("ok - %s\n", what);
	else
		con_printf("not ok - %s%s%s\n", what, why ? ": " : "", why ? why : "");
	return ok;
}
