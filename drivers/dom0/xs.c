// SPDX-License-Identifier: GPL-2.0
/*
 * xs.c - the module's only door to XenStore: thin wrappers over the xenbus
 * API that count every request for /sys/kernel/symbiont/stats/xs_requests,
 * so the cost of event mode and poll mode can be compared.
 *
 * Paths are always absolute and passed whole (node ""). Callable from any
 * process context; the counter is an atomic and needs no lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/slab.h>
#include "dom0.h"

static atomic64_t xs_requests = ATOMIC64_INIT(0);

void dom0_xs_count(void)
{
	atomic64_inc(&xs_requests);
}

u64 dom0_xs_requests(void)
{
	return atomic64_read(&xs_requests);
}

void *dom0_xs_read(struct xenbus_transaction t, const char *path,
		   unsigned int *len)
{
	dom0_xs_count();
	return xenbus_read(t, path, "", len);
}

char **dom0_xs_directory(const char *path, unsigned int *num)
{
	dom0_xs_count();
	return xenbus_directory(XBT_NIL, path, "", num);
}

/* 1 if path exists, 0 if not, -errno if XenStore could not say. */
int dom0_xs_exists(struct xenbus_transaction t, const char *path)
{
	unsigned int num;
	char **dir;

	dom0_xs_count();
	dir = xenbus_directory(t, path, "", &num);
	if (IS_ERR(dir))
		return PTR_ERR(dir) == -ENOENT ? 0 : PTR_ERR(dir);
	kfree(dir);
	return 1;
}

int dom0_xs_write(struct xenbus_transaction t, const char *path,
		  const char *value)
{
	dom0_xs_count();
	return xenbus_write(t, path, "", value);
}

/* Removing what is already gone is success. */
int dom0_xs_rm(struct xenbus_transaction t, const char *path)
{
	int err;

	dom0_xs_count();
	err = xenbus_rm(t, path, "");
	return err == -ENOENT ? 0 : err;
}

int dom0_xs_transaction_start(struct xenbus_transaction *t)
{
	dom0_xs_count();
	return xenbus_transaction_start(t);
}

int dom0_xs_transaction_end(struct xenbus_transaction t, bool abort)
{
	dom0_xs_count();
	return xenbus_transaction_end(t, abort);
}

/*
 * Run fill inside a transaction, retrying the whole transaction while
 * xenstored (or fill) answers -EAGAIN, at most tries times.
 */
int dom0_xs_transact(int (*fill)(struct xenbus_transaction t, void *ctx),
		     void *ctx, int tries)
{
	struct xenbus_transaction t;
	int err = -EAGAIN;

	while (tries-- > 0) {
		err = dom0_xs_transaction_start(&t);
		if (err)
			break;
		err = fill(t, ctx);
		if (err) {
			dom0_xs_transaction_end(t, true);
			if (err == -EAGAIN)
				continue;
			break;
		}
		err = dom0_xs_transaction_end(t, false);
		if (err != -EAGAIN)
			break;
	}
	return err;
}
