// SPDX-License-Identifier: GPL-2.0
/*
 * view.c - writes each member's view of its group:
 *
 *   /local/domain/<M>/symbiont/peers/<P>/{uuid,mac,name,state}
 *   /local/domain/<M>/symbiont/peers/<P>/{fastpath-policy,ip}
 *   /local/domain/<M>/symbiont/group
 *   /local/domain/<M>/symbiont/generation
 *
 * Data flow: groups.c calls dom0_view_write() for every member of a group
 * whose membership or member states changed. One XenStore transaction
 * replaces the whole view and bumps the generation, so the guest, whose
 * watch is on generation, never sees a half-written view. A transaction
 * that conflicts (-EAGAIN) is retried a bounded number of times.
 *
 * Permissions: dom0 sets none. C xenstored (construct_node()) gives a node
 * created by a privileged connection a copy of its parent's permissions,
 * and libxl creates /local/domain/<M> as "n0 r<M>". So every node written
 * here is owned by dom0 and readable by M alone, as the protocol wants,
 * and M can neither write its view nor read anyone else's.
 *
 * Fail closed: a view that cannot be written (or a fast-path record the
 * relay cannot put into it) is withdrawn, one transaction that removes
 * peers/ and bumps the generation, so the guest drops those peers and
 * their channels rather than trust a view that may be stale (a departed
 * peer, or one across a new group boundary). The member is marked
 * view_stale and its reconcile retried with a backoff (domains.c) until a
 * whole view is written.
 *
 * Writing under a home that is gone would make xenstored create it anew,
 * so each transaction first checks /local/domain/<M> exists and writes
 * nothing otherwise; the transaction makes the check and the writes atomic.
 *
 * Also here: /local/domain/0/symbiont/mode, published while loaded.
 *
 * Runs on dom0_wq (or in init/exit), which serialises it.
 */
#include <linux/kernel.h>
#include "dom0.h"

#define DOM0_MODE_PATH		"/local/domain/0/symbiont/mode"

static int dom0_view_put(struct xenbus_transaction t, const char *base,
			 const char *node, const char *value)
{
	char path[DOM0_PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", base, node);
	return sym_xs_write(&dom0_xs, t, path, "", value);
}

/*
 * M's policy for P: fastpath-policy, on only if dom0 lets the two have a
 * channel, and ip, P's allowed IPv4 prefixes, only when it has any.
 */
static int dom0_view_put_policy(struct xenbus_transaction t, const char *dir,
				const struct symbiont_domain *m,
				const struct symbiont_domain *p)
{
	char ip[SYM_FP_ADDRS_STR_MAX + 1];
	int err;

	err = dom0_view_put(t, dir, "fastpath-policy",
			    dom0_fastpath_allowed(m, p) ? "on" : "off");
	if (err || !p->ipv4.nr)
		return err;
	if (sym_fp_addrs_format(&p->ipv4, ip, sizeof(ip)) < 0)
		return -EINVAL;
	return dom0_view_put(t, dir, "ip", ip);
}

static int dom0_view_put_peer(struct xenbus_transaction t, const char *base,
			      const struct symbiont_domain *m,
			      const struct symbiont_domain *p)
{
	char mac[SYM_MAC_STR_LEN + 1] = "";
	char dir[DOM0_PATH_MAX];
	int err;

	if (p->has_mac)
		sym_format_mac(p->mac, mac);
	snprintf(dir, sizeof(dir), "%s/peers/%u", base, p->domid);
	err = dom0_view_put(t, dir, "uuid", p->uuid);
	if (!err)
		err = dom0_view_put(t, dir, "mac", mac);
	if (!err)
		err = dom0_view_put(t, dir, "name", p->name);
	if (!err)
		err = dom0_view_put_policy(t, dir, m, p);
	if (!err)
		err = dom0_view_put(t, dir, "state",
				    sym_member_state_name(p->state));
	return err;
}

/* -ENOENT if M's home is gone. Without members, M's view is withdrawn. */
static int dom0_view_fill(struct xenbus_transaction t,
			  const struct symbiont_domain *m,
			  const struct list_head *members, u64 generation)
{
	char home[DOM0_PATH_MAX], base[DOM0_PATH_MAX], path[DOM0_PATH_MAX];
	const struct symbiont_domain *p;
	char gen[24];
	int err;

	snprintf(home, sizeof(home), "/local/domain/%u", m->domid);
	err = sym_xs_exists(&dom0_xs, t, home, "");
	if (err <= 0)
		return err ? err : -ENOENT;

	snprintf(base, sizeof(base), "%s/symbiont", home);
	snprintf(path, sizeof(path), "%s/peers", base);
	err = sym_xs_rm(&dom0_xs, t, path, "");
	if (err)
		return err;
	if (members) {
		list_for_each_entry(p, members, group_node) {
			if (p == m || p->state == SYM_MEMBER_NONE)
				continue;
			err = dom0_view_put_peer(t, base, m, p);
			if (err)
				return err;
		}
		err = dom0_view_put(t, base, "group",
				    dom0_group_name(m->group));
		if (err)
			return err;
	}
	snprintf(gen, sizeof(gen), "%llu", generation);
	return dom0_view_put(t, base, "generation", gen);
}

struct view_fill_ctx {
	struct symbiont_domain *m;
	const struct list_head *members;
	u64 generation;
};

static int view_fill_fn(struct xenbus_transaction t, void *arg)
{
	struct view_fill_ctx *ctx = arg;

	return dom0_view_fill(t, ctx->m, ctx->members, ctx->generation);
}

static int dom0_view_commit(struct symbiont_domain *m,
			    const struct list_head *members)
{
	struct view_fill_ctx ctx = {
		.m = m,
		.members = members,
		.generation = m->view_generation + 1,
	};
	int err;

	err = sym_xs_transact(&dom0_xs, view_fill_fn, &ctx);
	if (!err)
		m->view_generation = ctx.generation;
	return err;
}

/*
 * M's view, or what must stand in for it, could not be written: withdraw
 * it and retry. A withdrawal that fails too is left to that retry.
 */
void dom0_view_failed(struct symbiont_domain *m)
{
	int err = dom0_view_commit(m, NULL);

	if (err && err != -ENOENT)
		pr_warn_ratelimited("domain %u: cannot withdraw view (%d)\n",
				    m->domid, err);
	m->view_stale = true;
	dom0_domain_retry(m);
}

int dom0_view_write(struct symbiont_domain *m, const struct list_head *members)
{
	int err = dom0_view_commit(m, members);

	switch (err) {
	case 0:
		m->view_stale = false;
		return 0;
	case -ENOENT:
		/* Gone: its own work will see that and drop it. */
		return 0;
	default:
		pr_warn_ratelimited("domain %u: cannot write view (%d), withdrawn until a retry writes it\n",
				    m->domid, err);
		dom0_view_failed(m);
		return err;
	}
}

void dom0_view_remove(struct symbiont_domain *m)
{
	char path[DOM0_PATH_MAX];
	int err;

	snprintf(path, sizeof(path), "/local/domain/%u/symbiont", m->domid);
	err = sym_xs_rm(&dom0_xs, XBT_NIL, path, "");
	m->view_stale = err != 0;
	if (err) {
		pr_warn_ratelimited("domain %u: cannot remove %s (%d), retrying\n",
				    m->domid, path, err);
		dom0_domain_retry(m);
	}
}

int dom0_mode_publish(void)
{
	return sym_xs_write(&dom0_xs, XBT_NIL, DOM0_MODE_PATH, "",
			     dom0_poll_mode ? "poll" : "event");
}

void dom0_mode_unpublish(void)
{
	sym_xs_rm(&dom0_xs, XBT_NIL, DOM0_MODE_PATH, "");
}
