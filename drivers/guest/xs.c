// SPDX-License-Identifier: GPL-2.0
/*
 * Thin, counted wrappers over xenbus: every XenStore request this module
 * makes goes through here, so stats/xs_requests tells the true cost of
 * each mode (0 per second at idle in event mode).
 */
#include <xen/xenbus.h>
#include "guest.h"

struct symbiont_stats symbiont_stats;

char *symbiont_xs_read(const char *dir, const char *node, unsigned int *len)
{
	atomic64_inc(&symbiont_stats.xs_requests);
	return xenbus_read(XBT_NIL, dir, node, len);
}

char **symbiont_xs_directory(const char *dir, const char *node,
			     unsigned int *num)
{
	atomic64_inc(&symbiont_stats.xs_requests);
	return xenbus_directory(XBT_NIL, dir, node, num);
}

int symbiont_xs_write(const char *dir, const char *node, const char *value)
{
	atomic64_inc(&symbiont_stats.xs_requests);
	return xenbus_write(XBT_NIL, dir, node, value);
}

int symbiont_xs_rm(const char *dir, const char *node)
{
	atomic64_inc(&symbiont_stats.xs_requests);
	return xenbus_rm(XBT_NIL, dir, node);
}
