// SPDX-License-Identifier: GPL-2.0
/*
 * xs.c - counted, bounded XenStore requests; see xs.h for the contract.
 *
 * Each helper counts one request in the caller's stats and then makes
 * exactly one xenbus request, except sym_xs_transact(), whose start, fill
 * and end are each counted as they happen, retries included.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include "sym_compat.h"
#include "xs_parse.h"
#include "xs.h"

static void sym_xs_count(struct sym_xs_stats *st)
{
	atomic64_inc(&st->requests);
}

#ifdef SYMBIONT_FAULT_INJECTION
static unsigned int xs_fail_one_in;
module_param(xs_fail_one_in, uint, 0644);
MODULE_PARM_DESC(xs_fail_one_in, "TEST ONLY: fail 1 in N XenStore writes and removals with -EIO (0: none)");

static atomic_t sym_xs_injected = ATOMIC_INIT(0);

static int sym_xs_injected_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&sym_xs_injected));
}

static const struct kernel_param_ops sym_xs_injected_ops = {
	.get = sym_xs_injected_get,
};
module_param_cb(xs_faults_injected, &sym_xs_injected_ops, NULL, 0444);
MODULE_PARM_DESC(xs_faults_injected, "TEST ONLY: failures injected so far");

/* -EIO for 1 in xs_fail_one_in calls, else 0. */
static int sym_xs_fault(const char *op, const char *dir, const char *node)
{
	unsigned int n = READ_ONCE(xs_fail_one_in);

	if (!n || get_random_u32_below(n))
		return 0;
	atomic_inc(&sym_xs_injected);
	pr_info_ratelimited("injected failure: %s %s%s%s\n", op, dir,
			    *node ? "/" : "", node);
	return -EIO;
}
#else
static inline int sym_xs_fault(const char *op, const char *dir,
			       const char *node)
{
	return 0;
}
#endif

/*
 * Copies the value of dir/node into buf, NUL-terminated; returns its
 * length, -E2BIG if it needs more than size - 1 bytes, or xenbus' -errno.
 */
int sym_xs_read(struct sym_xs_stats *st, struct xenbus_transaction t,
		const char *dir, const char *node, char *buf, size_t size)
{
	unsigned int len;
	char *val;

	sym_xs_count(st);
	val = xenbus_read(t, dir, node, &len);
	if (IS_ERR(val))
		return PTR_ERR(val);
	if (len >= size) {
		kfree(val);
		return -E2BIG;
	}
	memcpy(buf, val, len);
	buf[len] = '\0';
	kfree(val);
	return len;
}
SYM_EXPORT(sym_xs_read);

/* A strict decimal u64 (sym_parse_u64): -EINVAL for anything else. */
int sym_xs_read_u64(struct sym_xs_stats *st, struct xenbus_transaction t,
		    const char *dir, const char *node, u64 *out)
{
	char buf[24];
	int len;

	len = sym_xs_read(st, t, dir, node, buf, sizeof(buf));
	if (len == -E2BIG)
		return -EINVAL;
	if (len < 0)
		return len;
	return sym_parse_u64(buf, len, out);
}
SYM_EXPORT(sym_xs_read_u64);

/* The children of dir/node: a kmalloc'ed array the caller kfree()s. */
char **sym_xs_directory(struct sym_xs_stats *st, struct xenbus_transaction t,
			const char *dir, const char *node, unsigned int *num)
{
	sym_xs_count(st);
	return xenbus_directory(t, dir, node, num);
}
SYM_EXPORT(sym_xs_directory);

/* 1 if dir/node exists, 0 if not, -errno if XenStore could not say. */
int sym_xs_exists(struct sym_xs_stats *st, struct xenbus_transaction t,
		  const char *dir, const char *node)
{
	unsigned int num;
	char **entries;

	entries = sym_xs_directory(st, t, dir, node, &num);
	if (IS_ERR(entries))
		return PTR_ERR(entries) == -ENOENT ? 0 : PTR_ERR(entries);
	kfree(entries);
	return 1;
}
SYM_EXPORT(sym_xs_exists);

int sym_xs_write(struct sym_xs_stats *st, struct xenbus_transaction t,
		 const char *dir, const char *node, const char *value)
{
	int err = sym_xs_fault("write", dir, node);

	if (err)
		return err;
	sym_xs_count(st);
	return xenbus_write(t, dir, node, value);
}
SYM_EXPORT(sym_xs_write);

int sym_xs_printf(struct sym_xs_stats *st, struct xenbus_transaction t,
		  const char *dir, const char *node, const char *fmt, ...)
{
	char buf[64];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (len >= sizeof(buf))
		return -E2BIG;
	return sym_xs_write(st, t, dir, node, buf);
}
SYM_EXPORT(sym_xs_printf);

/* Removing what is already gone is success. */
int sym_xs_rm(struct sym_xs_stats *st, struct xenbus_transaction t,
	      const char *dir, const char *node)
{
	int err = sym_xs_fault("rm", dir, node);

	if (err)
		return err;
	sym_xs_count(st);
	err = xenbus_rm(t, dir, node);
	return err == -ENOENT ? 0 : err;
}
SYM_EXPORT(sym_xs_rm);

/*
 * Runs fill inside a transaction and commits it, retrying the whole
 * transaction while xenstored (or fill) answers -EAGAIN, at most
 * SYM_XS_TRIES times. Any other error of fill aborts and is returned.
 */
int sym_xs_transact(struct sym_xs_stats *st,
		    int (*fill)(struct xenbus_transaction t, void *ctx),
		    void *ctx)
{
	struct xenbus_transaction t;
	int tries, err = -EAGAIN;

	for (tries = 0; tries < SYM_XS_TRIES; tries++) {
		sym_xs_count(st);
		err = xenbus_transaction_start(&t);
		if (err)
			break;
		err = fill(t, ctx);
		sym_xs_count(st);
		if (err) {
			xenbus_transaction_end(t, true);
			if (err == -EAGAIN)
				continue;
			break;
		}
		err = xenbus_transaction_end(t, false);
		if (err != -EAGAIN)
			break;
	}
	return err;
}
SYM_EXPORT(sym_xs_transact);
