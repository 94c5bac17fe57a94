// SPDX-License-Identifier: GPL-2.0
/*
 * Error reporting.
 *
 * Every error the tool reports is exactly one line on stderr, prefixed with
 * "symbiont: ". Callers never print a newline themselves; anything that is
 * not a fixed string (values read from files) is escaped before it gets
 * here, so a hostile value cannot split the line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "symbiont.h"

static void vreport(const char *fmt, va_list ap)
{
	char msg[1024];
	size_t i;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	for (i = 0; msg[i]; i++)
		if (msg[i] == '\n' || msg[i] == '\r')
			msg[i] = ' ';
	fprintf(stderr, "symbiont: %s\n", msg);
}

void sym_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
}

/* Report a usage error and return the usage exit code. */
int sym_usage_err(const char *fmt, ...)
{
	char msg[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sym_err("%s (try 'symbiont --help')", msg);
	return SYM_EXIT_USAGE;
}

/* Flush stdout and report a write error (e.g. a full disk) once. */
int sym_flush_stdout(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	sym_err("write error on standard output: %s", strerror(errno));
	return -1;
}
