/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xs.h - the one XenStore layer of the symbiont modules (symbiont_core.ko).
 *
 * Every XenStore request a symbiont module makes goes through these
 * helpers, which count it in the caller's struct sym_xs_stats (each module
 * keeps one and shows it as stats/xs_requests), so the cost of a mode or a
 * protocol change is measured, not guessed. The coalescing watches of
 * watch.h count their firings into the same stats.
 *
 * Paths are given as xenbus gives them: a directory and a node, joined
 * with '/' unless the node is "" (then dir is the whole path; relative
 * paths are under the caller's own /local/domain/<domid>).
 *
 * Reads are bounded: sym_xs_read() copies a value into the caller's buffer
 * and fails with -E2BIG if it does not fit, so no value a guest wrote can
 * make a reader allocate more than it chose. sym_xs_transact() runs a fill
 * function inside a transaction and retries the whole of it on -EAGAIN
 * (xenstored's answer when another writer committed first).
 *
 * Context: process context only (xenbus requests sleep). No locks.
 */
#ifndef SYM_XS_H
#define SYM_XS_H

#include <linux/atomic.h>
#include <linux/compiler_attributes.h>
#include <linux/types.h>
#include <xen/xenbus.h>

/* A transaction is retried this often before -EAGAIN is returned. */
#define SYM_XS_TRIES	10

struct sym_xs_stats {
	atomic64_t requests;	/* every request sent to xenstored */
	atomic64_t watch_fired;	/* firings of every sym_watch of the module */
	atomic64_t watch_dropped; /* ... that coalescing folded into one */
};

int sym_xs_read(struct sym_xs_stats *st, struct xenbus_transaction t,
		const char *dir, const char *node, char *buf, size_t size);
int sym_xs_read_u64(struct sym_xs_stats *st, struct xenbus_transaction t,
		    const char *dir, const char *node, u64 *out);
char **sym_xs_directory(struct sym_xs_stats *st, struct xenbus_transaction t,
			const char *dir, const char *node, unsigned int *num);
int sym_xs_exists(struct sym_xs_stats *st, struct xenbus_transaction t,
		  const char *dir, const char *node);
int sym_xs_write(struct sym_xs_stats *st, struct xenbus_transaction t,
		 const char *dir, const char *node, const char *value);
__printf(5, 6)
int sym_xs_printf(struct sym_xs_stats *st, struct xenbus_transaction t,
		  const char *dir, const char *node, const char *fmt, ...);
int sym_xs_rm(struct sym_xs_stats *st, struct xenbus_transaction t,
	      const char *dir, const char *node);
int sym_xs_transact(struct sym_xs_stats *st,
		    int (*fill)(struct xenbus_transaction t, void *ctx),
		    void *ctx);

static inline u64 sym_xs_requests(struct sym_xs_stats *st)
{
	return atomic64_read(&st->requests);
}

#endif /* SYM_XS_H */
