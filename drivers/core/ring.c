// SPDX-License-Identifier: GPL-2.0
/*
 * ring.c - SPSC ring of variable-length messages over shared memory that a
 * hostile peer may write at any time. Layout, data flow, ordering contract
 * and lifetime are described at the top of ring.h.
 *
 * How the code keeps the peer from hurting us:
 *   - Own index: tx->prod and rx->cons are private; the shared copies are
 *     only ever written, never read back.
 *   - Peer index: read at most once per call (acquire), into a snapshot
 *     that is range-checked against the previous snapshot and our own index
 *     before anything uses it. Indices move forward only, by multiples of 8,
 *     and prod - cons never exceeds size.
 *   - Headers: each field is read once into a local, then checked (len <=
 *     max_msg, record within the prod snapshot, reserved bits zero). Only
 *     then is the payload copied out, once, into the caller's buffer.
 *   - Event indices: any value is safe; a bad one costs the peer wakeups.
 *   - Every data-area access goes through ring_write/ring_read/ring_zero,
 *     which mask the offset and split at the end of the area; callers pass
 *     len <= size, so nothing outside data[0..size) is reached.
 *   - Errors are sticky: -EPROTO sets ->broken and every later call fails.
 *
 * Locking/lifetime: see ring.h; no allocation, no sleeping, no loops over
 * peer-controlled counts (sendv loops over the caller's n).
 */
#include "ring.h"

/* Xen's notification test: did the index move from old to new past event? */
static inline bool ring_crossed(u32 event, u32 old, u32 new)
{
	return (u32)(new - event) < (u32)(new - old);
}

static inline u32 ring_min(u32 a, u32 b)
{
	return a < b ? a : b;
}

/* Address of byte off (< size) of a segmented area. */
static inline u8 *ring_at(u8 *const *segs, u32 shift, u32 off)
{
	return segs[off >> shift] + (off & ((1u << shift) - 1));
}

/* Bytes from off to the end of its segment (which may be the area's end). */
static inline u32 ring_seg_left(u32 shift, u32 off)
{
	return (1u << shift) - (off & ((1u << shift) - 1));
}

/*
 * Copies len (<= size) bytes to free-running position pos of the area, one
 * segment at a time: at most size / segment + 1 iterations, and len is
 * bounded by max_msg, never by the peer.
 */
static void ring_write(u8 *const *segs, u32 shift, u32 size, u32 pos,
		       const u8 *src, u32 len)
{
	while (len) {
		u32 off = pos & (size - 1);
		u32 n = ring_min(len, ring_seg_left(shift, off));

		memcpy(ring_at(segs, shift, off), src, n);
		pos += n;
		src += n;
		len -= n;
	}
}

static void ring_zero(u8 *const *segs, u32 shift, u32 size, u32 pos, u32 len)
{
	while (len) {
		u32 off = pos & (size - 1);
		u32 n = ring_min(len, ring_seg_left(shift, off));

		memset(ring_at(segs, shift, off), 0, n);
		pos += n;
		len -= n;
	}
}

/* Copies len (<= size) bytes out of the area from free-running pos. */
static void ring_read(u8 *const *segs, u32 shift, u32 size, u32 pos,
		      u8 *dst, u32 len)
{
	while (len) {
		u32 off = pos & (size - 1);
		u32 n = ring_min(len, ring_seg_left(shift, off));

		memcpy(dst, ring_at(segs, shift, off), n);
		pos += n;
		dst += n;
		len -= n;
	}
}

void sym_ring_shared_init(struct sym_ring_ctrl *ctrl)
{
	SYM_WRITE_ONCE(ctrl->prod, 0);
	SYM_WRITE_ONCE(ctrl->cons, 0);
	SYM_WRITE_ONCE(ctrl->prod_event, 1);
	SYM_WRITE_ONCE(ctrl->cons_event, 1);
}
SYM_EXPORT(sym_ring_shared_init);

static u32 ring_log2(u32 v)
{
	u32 shift = 0;

	while ((1u << shift) < v)
		shift++;
	return shift;
}

static int ring_check_geometry(const struct sym_ring_ctrl *ctrl,
			       u8 *const *segs, u32 seg_size, u32 nsegs,
			       u32 *max_msg)
{
	u32 size = seg_size * nsegs, i;

	if (!ctrl || !segs || !nsegs || (nsegs & (nsegs - 1)))
		return -EINVAL;
	if (seg_size < SYM_RING_MIN_SIZE || (seg_size & (seg_size - 1)) ||
	    seg_size > SYM_RING_MAX_SIZE / nsegs)
		return -EINVAL;
	for (i = 0; i < nsegs; i++)
		if (!segs[i] || ((unsigned long)segs[i] & (SYM_RING_ALIGN - 1)))
			return -EINVAL;
	if (!*max_msg)
		*max_msg = SYM_RING_DEFAULT_MAX_MSG(size);
	if (*max_msg > size - SYM_RING_HDR_SIZE || SYM_RING_RECORD_SIZE(*max_msg) > size)
		return -EINVAL;
	return 0;
}

int sym_ring_tx_init_segs(struct sym_ring_tx *tx, struct sym_ring_ctrl *ctrl,
			  u8 *const *segs, u32 seg_size, u32 nsegs,
			  u32 max_msg)
{
	int ret = ring_check_geometry(ctrl, segs, seg_size, nsegs, &max_msg);

	if (ret)
		return ret;
	memset(tx, 0, sizeof(*tx));
	tx->ctrl = ctrl;
	tx->segs = segs;
	tx->seg_shift = ring_log2(seg_size);
	tx->size = seg_size * nsegs;
	tx->max_msg = max_msg;
	return 0;
}
SYM_EXPORT(sym_ring_tx_init_segs);

int sym_ring_rx_init_segs(struct sym_ring_rx *rx, struct sym_ring_ctrl *ctrl,
			  u8 *const *segs, u32 seg_size, u32 nsegs,
			  u32 max_msg)
{
	int ret = ring_check_geometry(ctrl, segs, seg_size, nsegs, &max_msg);

	if (ret)
		return ret;
	memset(rx, 0, sizeof(*rx));
	rx->ctrl = ctrl;
	rx->segs = segs;
	rx->seg_shift = ring_log2(seg_size);
	rx->size = seg_size * nsegs;
	rx->max_msg = max_msg;
	return 0;
}
SYM_EXPORT(sym_ring_rx_init_segs);

int sym_ring_tx_init(struct sym_ring_tx *tx, struct sym_ring_ctrl *ctrl,
		     void *data, u32 size, u32 max_msg)
{
	u8 *seg0 = data;
	int ret;

	if (!data)
		return -EINVAL;
	ret = sym_ring_tx_init_segs(tx, ctrl, &seg0, size, 1, max_msg);
	tx->seg0 = seg0;
	tx->segs = &tx->seg0;
	return ret;
}

int sym_ring_rx_init(struct sym_ring_rx *rx, struct sym_ring_ctrl *ctrl,
		     void *data, u32 size, u32 max_msg)
{
	u8 *seg0 = data;
	int ret;

	if (!data)
		return -EINVAL;
	ret = sym_ring_rx_init_segs(rx, ctrl, &seg0, size, 1, max_msg);
	rx->seg0 = seg0;
	rx->segs = &rx->seg0;
	return ret;
}

int sym_ring_tx_reclaimer(const struct sym_ring_tx *tx,
			  struct sym_ring_ctrl *priv, struct sym_ring_rx *back)
{
	u32 cons;
	int ret;

	/*
	 * Acquire: pairs with the consumer's virt_store_release() of cons in
	 * sym_ring_recv(), as in tx_refresh_cons().
	 */
	cons = virt_load_acquire(&tx->ctrl->cons);
	if ((u32)(cons - tx->cons_snap) > (u32)(tx->prod - tx->cons_snap) ||
	    (cons & (SYM_RING_ALIGN - 1)))
		cons = tx->cons_snap;	/* impossible: take back more */
	memset(priv, 0, sizeof(*priv));
	priv->prod = tx->prod;
	priv->cons = cons;
	ret = sym_ring_rx_init_segs(back, priv, tx->segs, 1u << tx->seg_shift,
				    tx->size >> tx->seg_shift, tx->max_msg);
	if (ret)
		return ret;
	back->cons = cons;
	back->cons_checked = cons;
	back->prod_snap = cons;
	return 0;
}
SYM_EXPORT(sym_ring_tx_reclaimer);

/* ---- producer ---- */

static u32 tx_free(const struct sym_ring_tx *tx)
{
	return tx->size - (tx->prod - tx->cons_snap);
}

/* Takes a new snapshot of the consumer's index; -EPROTO if impossible. */
static int tx_refresh_cons(struct sym_ring_tx *tx)
{
	/*
	 * Acquire: pairs with the virt_store_release() of cons in
	 * sym_ring_recv(); the consumer's reads of the space it frees are done
	 * before we overwrite it.
	 */
	u32 cons = virt_load_acquire(&tx->ctrl->cons);

	/* Forward from the last snapshot, not past what we published. */
	if ((u32)(cons - tx->cons_snap) > (u32)(tx->prod_pub - tx->cons_snap) ||
	    (cons & (SYM_RING_ALIGN - 1))) {
		tx->broken = true;
		return -EPROTO;
	}
	tx->cons_snap = cons;
	return 0;
}

/* Publishes deferred records; returns the previous published prod. */
static u32 tx_publish(struct sym_ring_tx *tx)
{
	u32 old = tx->prod_pub;

	if (tx->prod != old) {
		/*
		 * Release: the records' bytes before prod; pairs with the
		 * virt_load_acquire() of prod in rx_refresh_prod().
		 */
		virt_store_release(&tx->ctrl->prod, tx->prod);
		tx->prod_pub = tx->prod;
	}
	return old;
}

int sym_ring_sendv(struct sym_ring_tx *tx, u16 type,
		   const struct sym_ring_iov *iov, unsigned int n, bool *notify)
{
	u32 total = 0, need, pos, hdr_off;
	unsigned int i;
	u8 *hdr;

	if (notify)
		*notify = false;
	if (tx->broken)
		return -EPROTO;
	for (i = 0; i < n; i++) {
		if (iov[i].len > tx->max_msg - total)
			return -EMSGSIZE;
		if (!iov[i].base && iov[i].len)
			return -EINVAL;
		total += iov[i].len;
	}
	need = SYM_RING_RECORD_SIZE(total);
	if (tx_free(tx) < need) {
		int ret = tx_refresh_cons(tx);

		if (ret)
			return ret;
		if (tx_free(tx) < need)
			return -ENOSPC;
	}

	/* 8-aligned, and segments are multiples of 8: a header never splits. */
	hdr_off = tx->prod & (tx->size - 1);
	hdr = ring_at(tx->segs, tx->seg_shift, hdr_off);
	SYM_WRITE_ONCE(*(u32 *)hdr, total);
	SYM_WRITE_ONCE(*(u32 *)(hdr + 4), (u32)type);
	pos = tx->prod + SYM_RING_HDR_SIZE;
	for (i = 0; i < n; i++) {
		ring_write(tx->segs, tx->seg_shift, tx->size, pos, iov[i].base,
			   iov[i].len);
		pos += iov[i].len;
	}
	/* Zero the padding: no stale bytes of ours reach the peer (XSA-403). */
	ring_zero(tx->segs, tx->seg_shift, tx->size, pos,
		  need - SYM_RING_HDR_SIZE - total);
	tx->prod += need;

	if (notify)
		*notify = sym_ring_tx_push(tx);
	return 0;
}
SYM_EXPORT(sym_ring_sendv);

int sym_ring_send(struct sym_ring_tx *tx, u16 type, const void *msg, u32 len,
		  bool *notify)
{
	struct sym_ring_iov iov = { .base = msg, .len = len };

	return sym_ring_sendv(tx, type, &iov, 1, notify);
}

bool sym_ring_tx_push(struct sym_ring_tx *tx)
{
	u32 old, event;

	if (tx->broken || tx->prod == tx->prod_pub)
		return false;
	old = tx_publish(tx);
	/*
	 * Full barrier: our prod store before the prod_event load. Pairs with
	 * the virt_mb() in sym_ring_rx_final_check(), which stores prod_event
	 * before loading prod: either we see its new prod_event or it sees our
	 * prod, so the consumer never sleeps on a message.
	 */
	virt_mb();
	event = SYM_READ_ONCE(tx->ctrl->prod_event);
	return ring_crossed(event, old, tx->prod_pub);
}

bool sym_ring_tx_final_check(struct sym_ring_tx *tx, u32 len, bool *notify)
{
	u32 need, old, event;

	*notify = false;
	if (tx->broken || len > tx->max_msg)
		return true;
	need = SYM_RING_RECORD_SIZE(len);
	old = tx_publish(tx);
	/* Notify me when cons reaches the index at which the message fits. */
	if (tx_free(tx) < need)
		SYM_WRITE_ONCE(tx->ctrl->cons_event, tx->prod + need - tx->size);
	/*
	 * Full barrier: our prod and cons_event stores before the prod_event
	 * and cons loads. Pairs with the virt_mb() in sym_ring_rx_final_check()
	 * (prod_event store / prod load, as in sym_ring_tx_push()) and with the
	 * one in sym_ring_rx_push(), which stores cons before loading
	 * cons_event: either the consumer sees our cons_event or we see its
	 * cons, so we never sleep on free space.
	 */
	virt_mb();
	if (old != tx->prod_pub) {
		event = SYM_READ_ONCE(tx->ctrl->prod_event);
		*notify = ring_crossed(event, old, tx->prod_pub);
	}
	if (tx_free(tx) >= need)
		return true;
	if (tx_refresh_cons(tx))
		return true;
	return tx_free(tx) >= need;
}
SYM_EXPORT(sym_ring_tx_final_check);

bool sym_ring_tx_drained(struct sym_ring_tx *tx, bool *notify)
{
	u32 old, event;

	*notify = false;
	if (tx->broken)
		return true;
	old = tx_publish(tx);
	/* Notify me when cons reaches prod: the consumer has taken it all. */
	if (tx->cons_snap != tx->prod)
		SYM_WRITE_ONCE(tx->ctrl->cons_event, tx->prod);
	/*
	 * Full barrier: our prod and cons_event stores before the prod_event
	 * and cons loads; pairs as in sym_ring_tx_final_check(): either the
	 * consumer sees our cons_event as it frees the last record, or we see
	 * its cons here.
	 */
	virt_mb();
	if (old != tx->prod_pub) {
		event = SYM_READ_ONCE(tx->ctrl->prod_event);
		*notify = ring_crossed(event, old, tx->prod_pub);
	}
	if (tx->cons_snap == tx->prod)
		return true;
	return tx_refresh_cons(tx) || tx->cons_snap == tx->prod;
}
SYM_EXPORT(sym_ring_tx_drained);

/* ---- consumer ---- */

/* Takes a new snapshot of the producer's index; -EPROTO if impossible. */
static int rx_refresh_prod(struct sym_ring_rx *rx)
{
	/*
	 * Acquire: pairs with the virt_store_release() of prod in tx_publish();
	 * the records below prod are complete before we read them.
	 */
	u32 prod = virt_load_acquire(&rx->ctrl->prod);

	/* Forward from the last snapshot and at most size ahead of cons. */
	if ((u32)(prod - rx->prod_snap) > (u32)(rx->cons + rx->size - rx->prod_snap) ||
	    (prod & (SYM_RING_ALIGN - 1))) {
		rx->broken = true;
		return -EPROTO;
	}
	rx->prod_snap = prod;
	return 0;
}

/*
 * The next record's header, read once and validated: 0 with its length and
 * type, -EAGAIN if the ring is empty, -EPROTO (now broken) if impossible.
 */
static int rx_next(struct sym_ring_rx *rx, u32 *hdr_len, u32 *hdr_type)
{
	u32 avail, off;
	const u8 *hdr;

	if (rx->broken)
		return -EPROTO;
	if (rx->cons == rx->prod_snap) {
		int ret = rx_refresh_prod(rx);

		if (ret)
			return ret;
		if (rx->cons == rx->prod_snap)
			return -EAGAIN;
	}
	avail = rx->prod_snap - rx->cons;	/* >= 8, <= size */

	/* Copy the header once, then validate only the copy. */
	off = rx->cons & (rx->size - 1);
	hdr = ring_at(rx->segs, rx->seg_shift, off);
	*hdr_len = SYM_READ_ONCE(*(u32 *)hdr);
	*hdr_type = SYM_READ_ONCE(*(u32 *)(hdr + 4));
	if (*hdr_len > rx->max_msg || SYM_RING_RECORD_SIZE(*hdr_len) > avail ||
	    (*hdr_type & ~SYM_RING_TYPE_MASK)) {
		rx->broken = true;
		return -EPROTO;
	}
	return 0;
}

/* Releases the record just copied out. */
static void rx_consume(struct sym_ring_rx *rx, u32 hdr_len, bool *notify)
{
	rx->cons += SYM_RING_RECORD_SIZE(hdr_len);
	/*
	 * Release: our reads of the record before the producer may reuse its
	 * space; pairs with the virt_load_acquire() of cons in tx_refresh_cons().
	 */
	virt_store_release(&rx->ctrl->cons, rx->cons);
	if (notify)
		*notify = sym_ring_rx_push(rx);
}

int sym_ring_recv(struct sym_ring_rx *rx, void *buf, u32 buflen, u32 *len,
		  u16 *type, bool *notify)
{
	struct sym_ring_buf one = { .base = buf, .len = buflen };

	return sym_ring_recvv(rx, &one, 1, len, type, notify);
}
SYM_EXPORT(sym_ring_recv);

int sym_ring_recvv(struct sym_ring_rx *rx, const struct sym_ring_buf *bufs,
		   unsigned int n, u32 *len, u16 *type, bool *notify)
{
	u32 hdr_len, hdr_type, room = 0, pos, left, chunk;
	unsigned int i;
	int ret;

	if (notify)
		*notify = false;
	ret = rx_next(rx, &hdr_len, &hdr_type);
	if (ret)
		return ret;
	for (i = 0; i < n && room < hdr_len; i++)
		room += bufs[i].len < hdr_len - room ? bufs[i].len : hdr_len - room;
	*len = hdr_len;
	if (room < hdr_len)
		return -EMSGSIZE;

	pos = rx->cons + SYM_RING_HDR_SIZE;
	for (i = 0, left = hdr_len; left; i++) {
		chunk = ring_min(left, bufs[i].len);
		ring_read(rx->segs, rx->seg_shift, rx->size, pos, bufs[i].base,
			  chunk);
		pos += chunk;
		left -= chunk;
	}
	if (type)
		*type = (u16)hdr_type;
	rx_consume(rx, hdr_len, notify);
	return 0;
}
SYM_EXPORT(sym_ring_recvv);

int sym_ring_peek(struct sym_ring_rx *rx, u32 *len)
{
	u32 hdr_type;

	return rx_next(rx, len, &hdr_type);
}
SYM_EXPORT(sym_ring_peek);

bool sym_ring_rx_push(struct sym_ring_rx *rx)
{
	u32 old = rx->cons_checked, event;

	if (rx->broken || rx->cons == old)
		return false;
	rx->cons_checked = rx->cons;
	/*
	 * Full barrier: our cons store (in sym_ring_recv()) before the
	 * cons_event load. Pairs with the virt_mb() in sym_ring_tx_final_check(),
	 * which stores cons_event before loading cons.
	 */
	virt_mb();
	event = SYM_READ_ONCE(rx->ctrl->cons_event);
	return ring_crossed(event, old, rx->cons);
}
SYM_EXPORT(sym_ring_rx_push);

bool sym_ring_rx_final_check(struct sym_ring_rx *rx, bool *notify)
{
	u32 old = rx->cons_checked, event;
	bool more;

	*notify = false;
	if (rx->broken)
		return true;
	more = rx->cons != rx->prod_snap;
	/* Notify me when prod passes cons: on the next message. */
	if (!more)
		SYM_WRITE_ONCE(rx->ctrl->prod_event, rx->cons + 1);
	rx->cons_checked = rx->cons;
	/*
	 * Full barrier: our cons and prod_event stores before the cons_event
	 * and prod loads. Pairs with the virt_mb() in sym_ring_tx_push() and
	 * sym_ring_tx_final_check() (prod store / prod_event load) for the
	 * message wakeup, and with the one in sym_ring_tx_final_check()
	 * (cons_event store / cons load) for the free-space wakeup.
	 */
	virt_mb();
	if (old != rx->cons) {
		event = SYM_READ_ONCE(rx->ctrl->cons_event);
		*notify = ring_crossed(event, old, rx->cons);
	}
	if (more)
		return true;
	if (rx_refresh_prod(rx))
		return true;
	return rx->cons != rx->prod_snap;
}
SYM_EXPORT(sym_ring_rx_final_check);
