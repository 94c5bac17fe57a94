// SPDX-License-Identifier: GPL-2.0
/*
 * negotiate.c - the XenStore side of a channel (Documentation/fastpath.md).
 *
 * Ours (guest-writable, relative to our home):
 *   data/symbiont/fastpath/<peer>/{state,epoch,evtchn,nr-pages,ring-ref-<i>}
 * written in one transaction each time, state last, so dom0's relay never
 * copies half a record.
 * The peer's, as relayed by dom0 into our view (dom0-owned, read-only):
 *   symbiont/peers/<peer>/fastpath/{...the same nodes...}
 * parsed with the same strict parser dom0 uses (sym_fp_record_read): dom0
 * validated it, but the values are still the peer's choice.
 *
 * Data flow: a coalesced watch on symbiont/generation (dom0 bumps it with
 * every view or relay write) queues view_work on fp_wq; it reads the
 * peer's record for every channel and feeds it to fp_step(FP_EV_VIEW).
 * Watch callbacks only queue work, never block xenwatch.
 *
 * Locking: view_work takes fp_lock; the publish helpers run under it.
 */
#include <linux/slab.h>
#include "watch.h"
#include "fastpath.h"

#define FP_OWN_DIR	"data/symbiont/fastpath"

/* Every XenStore request and watch firing of the fast path. */
static struct sym_xs_stats fp_xs;

static struct sym_watch gen_watch;
static struct work_struct view_work;

static int fp_xs_put(struct xenbus_transaction t, const char *dir,
		     const char *node, u32 value)
{
	return sym_xs_printf(&fp_xs, t, dir, node, "%u", value);
}

struct fp_publish_ctx {
	char dir[48];
	int (*fill)(struct xenbus_transaction t, const char *dir,
		    struct fp_channel *ch);
	struct fp_channel *ch;
};

static int fp_publish_fill(struct xenbus_transaction t, void *arg)
{
	struct fp_publish_ctx *ctx = arg;
	int err;

	err = sym_xs_rm(&fp_xs, t, ctx->dir, "");
	if (!err)
		err = ctx->fill(t, ctx->dir, ctx->ch);
	return err;
}

/* One transaction: rm our record for peer, then fill() writes the new one. */
static int fp_publish(u16 peer, int (*fill)(struct xenbus_transaction t,
					     const char *dir,
					     struct fp_channel *ch),
		      struct fp_channel *ch)
{
	struct fp_publish_ctx ctx = { .fill = fill, .ch = ch };

	snprintf(ctx.dir, sizeof(ctx.dir), FP_OWN_DIR "/%u", peer);
	return sym_xs_transact(&fp_xs, fp_publish_fill, &ctx);
}

static int fp_fill_offer(struct xenbus_transaction t, const char *dir,
			 struct fp_channel *ch)
{
	char node[24];
	unsigned int i;
	int err;

	err = fp_xs_put(t, dir, "epoch", ch->epoch);
	if (!err)
		err = fp_xs_put(t, dir, "evtchn", ch->port);
	if (!err)
		err = fp_xs_put(t, dir, "nr-pages", FP_XS_PAGES);
	for (i = 0; !err && i < FP_XS_PAGES; i++) {
		snprintf(node, sizeof(node), "ring-ref-%u", i);
		err = fp_xs_put(t, dir, node, ch->refs[i]);
	}
	if (!err)
		err = sym_xs_write(&fp_xs, t, dir, "state",
				   sym_fp_state_name(FP_XS_OFFERED));
	return err;
}

static int fp_fill_ack(struct xenbus_transaction t, const char *dir,
		       struct fp_channel *ch)
{
	int err = fp_xs_put(t, dir, "epoch", ch->epoch);

	if (!err)
		err = sym_xs_write(&fp_xs, t, dir, "state",
				   sym_fp_state_name(FP_XS_CONNECTED));
	return err;
}

static int fp_fill_closed(struct xenbus_transaction t, const char *dir,
			  struct fp_channel *ch)
{
	return sym_xs_write(&fp_xs, t, dir, "state", sym_fp_state_name(FP_XS_CLOSED));
}

int fp_publish_offer(struct fp_channel *ch)
{
	return fp_publish(ch->peer, fp_fill_offer, ch);
}

int fp_publish_ack(struct fp_channel *ch)
{
	return fp_publish(ch->peer, fp_fill_ack, ch);
}

int fp_publish_closed(u16 peer)
{
	int err = fp_publish(peer, fp_fill_closed, NULL);

	if (err)
		pr_warn_ratelimited("peer %u: cannot publish closed (%d), retrying\n",
				    peer, err);
	return err;
}

/* Module exit: our records go. */
void fp_unpublish_all(void)
{
	sym_xs_rm(&fp_xs, XBT_NIL, FP_OWN_DIR, "");
}

/* sym_fp_read_fn over symbiont/peers/<peer>/fastpath/ in our view. */
static int fp_view_node(void *ctx, const char *node, char *buf, size_t size,
			size_t *len)
{
	int n = sym_xs_read(&fp_xs, XBT_NIL, ctx, node, buf, size);

	if (n < 0)
		return n;
	*len = n;
	return 0;
}

/*
 * The peer's record as relayed into our view. Not read in a transaction:
 * dom0 writes each record in one, and a torn read shows up as a
 * malformed or mismatching record that the next generation fixes.
 */
int fp_view_read(u16 peer, struct sym_fp_record *rec)
{
	char dir[48];

	snprintf(dir, sizeof(dir), "symbiont/peers/%u/fastpath", peer);
	return sym_fp_record_read(fp_view_node, dir, peer < symbiont_self_domid(),
			      rec);
}

static void fp_view_work(struct work_struct *work)
{
	struct fp_channel *ch;
	struct sym_fp_record *rec;
	unsigned long peer;
	int err;

	sym_watch_begin(&gen_watch);
	rec = kmalloc(sizeof(*rec), GFP_KERNEL);
	if (!rec)
		return;
	mutex_lock(&fp_lock);
	for (peer = 0; (ch = fp_channel_next(&peer)); peer++) {
		err = fp_view_read(ch->peer, rec);
		if (err == -EPROTO) {
			atomic64_inc(&ch->stats.errors);
			continue;
		}
		if (err)
			continue;
		fp_step(ch, FP_EV_VIEW, rec);
	}
	mutex_unlock(&fp_lock);
	kfree(rec);
}

int fp_negotiate_init(void)
{
	INIT_WORK(&view_work, fp_view_work);
	/* Fires once at once: the first look at our view. */
	return sym_watch_register(&gen_watch, &fp_xs, "symbiont/generation",
					fp_wq, &view_work);
}

void fp_negotiate_exit(void)
{
	sym_watch_unregister(&gen_watch);
	cancel_work_sync(&view_work);
}
