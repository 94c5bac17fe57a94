// SPDX-License-Identifier: GPL-2.0
/*
 * test_ring.c - unit tests for the shared-memory message ring (ring.c).
 *
 * Covers geometry checks, round trips of every length, wraparound at every
 * offset and of the u32 indices, scatter sends, -ENOSPC/-EMSGSIZE/-EAGAIN,
 * the event-index protocol (who must be notified when), and a hostile peer:
 * impossible, backwards or misaligned indices, oversize or overlong
 * headers, reserved type bits, garbage records, tampering with our own
 * shared index, and that a broken ring stays broken. The control block and
 * the data area sit in one arena between canary guards that every test
 * checks, so a stray access shows up even where ASan has no redzone.
 * Single-threaded: both ends of the ring live in the test.
 */
#include "harness.h"
#include "ring.h"

#define GUARD		64
#define CANARY		0xa5
#define ARENA_MAX	(3 * GUARD + 256 + 65536)

/* [guard][ctrl 256][guard][data size][guard] */
static u8 arena[ARENA_MAX] __attribute__((aligned(64)));

struct fx {
	u32 size;
	struct sym_ring_ctrl *ctrl;
	u8 *data;
	struct sym_ring_tx tx;
	struct sym_ring_rx rx;
};

static int fx_init(struct fx *f, u32 size, u32 max_msg)
{
	int ret;

	memset(arena, CANARY, sizeof(arena));
	f->size = size;
	f->ctrl = (struct sym_ring_ctrl *)(arena + GUARD);
	f->data = arena + 2 * GUARD + sizeof(struct sym_ring_ctrl);
	memset(f->ctrl, 0, sizeof(*f->ctrl));
	memset(f->data, 0, size <= ARENA_MAX - 3 * GUARD - 256 ? size : 0);
	sym_ring_shared_init(f->ctrl);
	ret = sym_ring_tx_init(&f->tx, f->ctrl, f->data, size, max_msg);
	if (ret)
		return ret;
	return sym_ring_rx_init(&f->rx, f->ctrl, f->data, size, max_msg);
}

static bool fx_guards_ok(const struct fx *f)
{
	const u8 *end = f->data + f->size;
	u32 i;

	for (i = 0; i < GUARD; i++)
		if (arena[i] != CANARY || arena[GUARD + sizeof(struct sym_ring_ctrl) + i] != CANARY)
			return false;
	for (i = 0; end + i < arena + sizeof(arena); i++)
		if (end[i] != CANARY)
			return false;
	return true;
}

/* Deterministic payload bytes for message number seq. */
static void fill(u8 *buf, u32 len, u32 seq)
{
	u32 i;

	for (i = 0; i < len; i++)
		buf[i] = (u8)(seq * 131 + i * 7 + (i >> 8));
}

/* Free-running index of the data area for a header read/write by tests. */
static u32 *hdr_at(struct fx *f, u32 index)
{
	return (u32 *)(f->data + (index & (f->size - 1)));
}

static int send_one(struct fx *f, u16 type, const u8 *msg, u32 len)
{
	bool notify;

	return sym_ring_send(&f->tx, type, msg, len, &notify);
}

static int recv_one(struct fx *f, u8 *buf, u32 buflen, u32 *len, u16 *type)
{
	bool notify;

	return sym_ring_recv(&f->rx, buf, buflen, len, type, &notify);
}

TEST(init_rejects_bad_geometry)
{
	struct fx f;

	ASSERT_EQ(0, fx_init(&f, 256, 0));
	ASSERT_EQ(SYM_RING_DEFAULT_MAX_MSG(256), f.tx.max_msg);
	ASSERT_EQ(120, f.rx.max_msg);
	ASSERT_EQ(-EINVAL, fx_init(&f, 0, 0));
	ASSERT_EQ(-EINVAL, fx_init(&f, 8, 0));
	ASSERT_EQ(-EINVAL, fx_init(&f, 96, 0));
	ASSERT_EQ(-EINVAL, fx_init(&f, 255, 0));
	ASSERT_EQ(-EINVAL, fx_init(&f, 1u << 31, 0));
	ASSERT_EQ(-EINVAL, fx_init(&f, 256, 249));
	ASSERT_EQ(0, fx_init(&f, 256, 248));	/* one record fills the area */
	ASSERT_EQ(-EINVAL, sym_ring_tx_init(&f.tx, f.ctrl, f.data + 4, 256, 0));
	ASSERT_EQ(-EINVAL, sym_ring_rx_init(&f.rx, f.ctrl, f.data + 4, 256, 0));
	ASSERT_EQ(-EINVAL, sym_ring_rx_init(&f.rx, NULL, f.data, 256, 0));
	ASSERT_EQ(-EINVAL, sym_ring_tx_init(&f.tx, f.ctrl, NULL, 256, 0));
	ASSERT_EQ(256, sizeof(struct sym_ring_ctrl));
	ASSERT_EQ(0, offsetof(struct sym_ring_ctrl, prod));
	ASSERT_EQ(64, offsetof(struct sym_ring_ctrl, cons));
	ASSERT_EQ(128, offsetof(struct sym_ring_ctrl, prod_event));
	ASSERT_EQ(192, offsetof(struct sym_ring_ctrl, cons_event));
	ASSERT_TRUE(fx_guards_ok(&f));
}

TEST(shared_init_sets_xen_style_events)
{
	struct fx f;

	ASSERT_EQ(0, fx_init(&f, 256, 0));
	ASSERT_EQ(0, f.ctrl->prod);
	ASSERT_EQ(0, f.ctrl->cons);
	ASSERT_EQ(1, f.ctrl->prod_event);
	ASSERT_EQ(1, f.ctrl->cons_event);
}

TEST(empty_ring_is_eagain)
{
	u8 buf[16];
	u32 len = 77;
	struct fx f;

	ASSERT_EQ(0, fx_init(&f, 256, 0));
	ASSERT_EQ(-EAGAIN, recv_one(&f, buf, sizeof(buf), &len, NULL));
	ASSERT_EQ(77, len);
	ASSERT_FALSE(sym_ring_rx_broken(&f.rx));
}

TEST(round_trip_every_length)
{
	static u8 msg[4096], out[4096 + 16];
	struct fx f;
	u32 len, got, seq = 0;
	u16 type;

	ASSERT_EQ(0, fx_init(&f, 4096, 0));
	for (len = 0; len <= f.tx.max_msg; len++, seq++) {
		fill(msg, len, seq);
		memset(out, 0xee, sizeof(out));
		ASSERT_EQ(0, send_one(&f, (u16)(seq * 17), msg, len));
		ASSERT_EQ(0, recv_one(&f, out, f.rx.max_msg, &got, &type));
		ASSERT_EQ(len, got);
		ASSERT_EQ((u16)(seq * 17), type);
		ASSERT_MEMEQ(msg, out, len);
		ASSERT_EQ(0xee, out[len]);	/* nothing past the message */
		ASSERT_EQ(f.tx.prod, f.rx.cons);
		ASSERT_EQ(-EAGAIN, recv_one(&f, out, sizeof(out), &got, &type));
	}
	ASSERT_TRUE(fx_guards_ok(&f));
}

TEST(padding_is_zeroed)
{
	u8 msg[5] = { 1, 2, 3, 4, 5 };
	struct fx f;

	ASSERT_EQ(0, fx_init(&f, 256, 0));
	memset(f.data, 0xff, 256);
	ASSERT_EQ(0, send_one(&f, 3, msg, 5));
	ASSERT_EQ(5, hdr_at(&f, 0)[0]);
	ASSERT_EQ(3, hdr_at(&f, 0)[1]);
	ASSERT_MEMEQ(msg, f.data + 8, 5);
	ASSERT_EQ(0, f.data[13]);
	ASSERT_EQ(0, f.data[14]);
	ASSERT_EQ(0, f.data[15]);
	ASSERT_EQ(0xff, f.data[16]);
	ASSERT_EQ(16, f.ctrl->prod);
}

TEST(wraparound_at_every_offset)
{
	u8 msg[256], out[256];
	struct fx f;
	u32 off, len, got, i;

	for (off = 0; off < 256; off += SYM_RING_ALIGN) {
		for (len = 0; len <= 120; len++) {
			ASSERT_EQ(0, fx_init(&f, 256, 0));
			/* Empty records move both indices to off. */
			for (i = 0; i < off / 8; i++) {
				ASSERT_EQ(0, send_one(&f, 0, NULL, 0));
				ASSERT_EQ(0, recv_one(&f, out, sizeof(out), &got, NULL));
			}
			ASSERT_EQ(off, f.rx.cons);
			fill(msg, len, off + len);
			ASSERT_EQ(0, send_one(&f, 1, msg, len));
			/* A second message right behind it, wrapping too. */
			fill(msg + 128, 100 - len % 100, len);
			ASSERT_EQ(0, send_one(&f, 2, msg + 128, 100 - len % 100));
			ASSERT_EQ(0, recv_one(&f, out, sizeof(out), &got, NULL));
			ASSERT_EQ(len, got);
			ASSERT_MEMEQ(msg, out, len);
			ASSERT_EQ(0, recv_one(&f, out, sizeof(out), &got, NULL));
			ASSERT_EQ(100 - len % 100, got);
			ASSERT_MEMEQ(msg + 128, out, got);
			ASSERT_TRUE(fx_guards_ok(&f));
		}
	}
}

/* Start every index just below 2^32 so they wrap during the test. */
TEST(u32_index_wraparound)
{
	u8 msg[2][120], out[120];
	const u32 start = 0xfffff000u;
	struct fx f;
	u32 i, got, len[2] = { 0, 0 };

	ASSERT_EQ(0, fx_init(&f, 256, 0));
	f.ctrl->prod = f.ctrl->cons = start;
	f.ctrl->prod_event = f.ctrl->cons_event = start + 1;
	f.tx.prod = f.tx.prod_pub = f.tx.cons_snap = start;
	f.rx.cons = f.rx.cons_checked = f.rx.prod_snap = start;
	for (i = 0; i < 2000; i++) {
		/* Keep two records in flight across the wrap. */
		len[i % 2] = (i * 37) % 121;
		fill(msg[i % 2], len[i % 2], i);
		ASSERT_EQ(0, send_one(&f, (u16)i, msg[i % 2], len[i % 2]));
		if (!i)
			continue;
		ASSERT_EQ(0, recv_one(&f, out, sizeof(out), &got, NULL));
		ASSERT_EQ(len[(i - 1) % 2], got);
		ASSERT_MEMEQ(msg[(i - 1) % 2], out, got);
	}
	ASSERT_TRUE(f.tx.prod < start);	/* did wrap */
	ASSERT_FALSE(sym_ring_rx_broken(&f.rx) || sym_ring_tx_broken(&f.tx));
	ASSERT_TRUE(fx_guards_ok(&f));
}

TEST(sendv_gathers_fragments)
{
	u8 a[40], b[1], c[79], out[256];
	struct sym_ring_iov iov[5];
	struct fx f;
	bool notify;
	u32 got, round;

	fill(a, sizeof(a), 1);
	fill(b, sizeof(b), 2);
	fill(c, sizeof(c), 3);
	ASSERT_EQ(0, fx_init(&f, 256, 0));
	for (round = 0; round < 40; round++) {
		iov[0] = (struct sym_ring_iov){ a, sizeof(a) };
		iov[1] = (struct sym_ring_iov){ NULL, 0 };
		iov[2] = (struct sym_ring_iov){ b, sizeof(b) };
		iov[3] = (struct sym_ring_iov){ c, sizeof(c) };
		iov[4] = (struct sym_ring_iov){ a, round % 8 };
		ASSERT_EQ(0, sym_ring_sendv(&f.tx, 9, iov, 4, &notify));
		ASSERT_EQ(0, recv_one(&f, out, sizeof(out), &got, NULL));
		ASSERT_EQ(120, got);
		ASSERT_MEMEQ(a, out, 40);
		ASSERT_MEMEQ(b, out + 40, 1);
		ASSERT_MEMEQ(c, out + 41, 79);
		/* Unaligned total, moves the next record's offset. */
		ASSERT_EQ(0, sym_ring_sendv(&f.tx, 9, iov + 4, 1, &notify));
		ASSERT_EQ(0, recv_one(&f, out, sizeof(out), &got, NULL));
		ASSERT_EQ(round % 8, got);
		ASSERT_MEMEQ(a, out, got);
	}
	ASSERT_EQ(0, sym_ring_sendv(&f.tx, 9, iov, 0, &notify));	/* empty */
	ASSERT_EQ(0, recv_one(&f, out, sizeof(out), &got, NULL));
	ASSERT_EQ(0, got);
	iov[0] = (struct sym_ring_iov){ NULL, 3 };
	ASSERT_EQ(-EINVAL, sym_ring_sendv(&f.tx, 9, iov, 1, &notify));
	ASSERT_TRUE(fx_guards_ok(&f));
}

TEST(full_ring_is_enospc)
{
	u8 msg[8] = { 0 }, out[256];
	struct fx f;
	u32 i, got;

	ASSERT_EQ(0, fx_init(&f, 256, 0));
	for (i = 0; i < 16; i++)	/* 16 records of 16 bytes: exactly full */
		ASSERT_EQ(0, send_one(&f, 0, msg, 8));
	ASSERT_EQ(-ENOSPC, send_one(&f, 0, msg, 8));
	ASSERT_EQ(-ENOSPC, send_one(&f, 0, NULL, 0));
	ASSERT_EQ(256, f.tx.prod);	/* nothing written */
	ASSERT_EQ(0, recv_one(&f, out, sizeof(out), &got, NULL));
	ASSERT_EQ(-ENOSPC, send_one(&f, 0, msg, 9));	/* needs 24 */
	ASSERT_EQ(0, send_one(&f, 0, msg, 8));
	ASSERT_EQ(-ENOSPC, send_one(&f, 0, NULL, 0));
	for (i = 0; i < 16; i++)
		ASSERT_EQ(0, recv_one(&f, out, sizeof(out), &got, NULL));
	ASSERT_EQ(-EAGAIN, recv_one(&f, out, sizeof(out), &got, NULL));
	/* The largest message fits in an empty ring, twice in a row. */
	ASSERT_EQ(0, send_one(&f, 0, out, 120));
	ASSERT_EQ(0, send_one(&f, 0, out, 120));
	ASSERT_EQ(-ENOSPC, send_one(&f, 0, NULL, 0));
	ASSERT_FALSE(sym_ring_tx_broken(&f.tx));
	ASSERT_TRUE(fx_guards_ok(&f));
}

TEST(oversize_is_emsgsize)
{
	u8 msg[256] = { 0 };
	struct sym_ring_iov iov[3];
	struct fx f;
	bool notify;

	ASSERT_EQ(0, fx_init(&f, 256, 0));
	ASSERT_EQ(-EMSGSIZE, send_one(&f, 0, msg, 121));
	ASSERT_EQ(-EMSGSIZE, send_one(&f, 0, msg, 0xffffffffu));
	iov[0] = (struct sym_ring_iov){ msg, 100 };
	iov[1] = (struct sym_ring_iov){ msg, 21 };
	ASSERT_EQ(-EMSGSIZE, sym_ring_sendv(&f.tx, 0, iov, 2, &notify));
	/* Lengths whose u32 sum wraps to something small. */
	iov[0] = (struct sym_ring_iov){ msg, 0xfffffff8u };
	iov[1] = (struct sym_ring_iov){ msg, 16 };
	ASSERT_EQ(-EMSGSIZE, sym_ring_sendv(&f.tx, 0, iov, 2, &notify));
	iov[0] = (struct sym_ring_iov){ msg, 16 };
	iov[1] = (struct sym_ring_iov){ msg, 0xfffffff8u };
	iov[2] = (struct sym_ring_iov){ msg, 0xfffffff8u };
	ASSERT_EQ(-EMSGSIZE, sym_ring_sendv(&f.tx, 0, iov, 3, &notify));
	ASSERT_EQ(0, f.tx.prod);
	ASSERT_EQ(0, send_one(&f, 0, msg, 120));
	/* A smaller agreed max_msg is enforced on both sides. */
	ASSERT_EQ(0, fx_init(&f, 256, 32));
	ASSERT_EQ(-EMSGSIZE, send_one(&f, 0, msg, 33));
	ASSERT_EQ(0, send_one(&f, 0, msg, 32));
	ASSERT_FALSE(sym_ring_tx_broken(&f.tx));
	ASSERT_TRUE(fx_guards_ok(&f));
}

TEST(short_buffer_leaves_message_queued)
{
	u8 msg[64], out[80];
	struct fx f;
	u32 got = 0;
	u16 type;

	ASSERT_EQ(0, fx_init(&f, 256, 0));
	fill(msg, sizeof(msg), 5);
	ASSERT_EQ(0, send_one(&f, 4, msg, 64));
	memset(out, 0xee, sizeof(out));
	ASSERT_EQ(-EMSGSIZE, recv_one(&f, out, 63, &got, &type));
	ASSERT_EQ(64, got);
	ASSERT_EQ(0xee, out[0]);	/* nothing copied */
	ASSERT_EQ(0, f.rx.cons);
	ASSERT_FALSE(sym_ring_rx_broken(&f.rx));
	ASSERT_EQ(0, recv_one(&f, out, 64, &got, &type));
	ASSERT_EQ(64, got);
	ASSERT_EQ(4, type);
	ASSERT_MEMEQ(msg, out, 64);
	ASSERT_EQ(0xee, out[64]);
}

/* The consumer is kicked only when it asked to be (prod_event). */
TEST(notify_consumer_only_when_needed)
{
	u8 msg[16] = { 0 }, out[256];
	struct fx f;
	bool notify, more;
	u32 got;

	ASSERT_EQ(0, fx_init(&f, 256, 0));
	ASSERT_EQ(0, sym_ring_send(&f.tx, 0, msg, 16, &notify));
	ASSERT_TRUE(notify);		/* prod_event starts at 1 */
	ASSERT_EQ(0, sym_ring_send(&f.tx, 0, msg, 16, &notify));
	ASSERT_FALSE(notify);		/* consumer has not re-armed: busy */
	ASSERT_EQ(0, recv_one(&f, out, sizeof(out), &got, NULL));
	more = sym_ring_rx_final_check(&f.rx, &notify);
	ASSERT_TRUE(more);		/* one still queued: do not sleep */
	ASSERT_EQ(1, f.ctrl->prod_event);	/* and not re-armed */
	ASSERT_EQ(0, sym_ring_send(&f.tx, 0, msg, 16, &notify));
	ASSERT_FALSE(notify);
	ASSERT_EQ(0, recv_one(&f, out, sizeof(out), &got, NULL));
	ASSERT_EQ(0, recv_one(&f, out, sizeof(out), &got, NULL));
	ASSERT_EQ(-EAGAIN, recv_one(&f, out, sizeof(out), &got, NULL));
	more = sym_ring_rx_final_check(&f.rx, &notify);
	ASSERT_FALSE(more);		/* empty: consumer may sleep */
	ASSERT_EQ(f.rx.cons + 1, f.ctrl->prod_event);
	ASSERT_EQ(0, sym_ring_send(&f.tx, 0, msg, 16, &notify));
	ASSERT_TRUE(notify);		/* sleeping consumer is kicked once */
	ASSERT_EQ(0, sym_ring_send(&f.tx, 0, msg, 16, &notify));
	ASSERT_FALSE(notify);
	/* A message that arrives after re-arming is seen by the re-check. */
	ASSERT_EQ(0, recv_one(&f, out, sizeof(out), &got, NULL));
	ASSERT_EQ(0, recv_one(&f, out, sizeof(out), &got, NULL));
	ASSERT_EQ(-EAGAIN, recv_one(&f, out, sizeof(out), &got, NULL));
	ASSERT_EQ(0, sym_ring_send(&f.tx, 0, msg, 16, &notify));
	ASSERT_FALSE(notify);		/* consumer did not re-arm yet */
	ASSERT_TRUE(sym_ring_rx_final_check(&f.rx, &notify));
	ASSERT_TRUE(fx_guards_ok(&f));
}

/* Deferred sends are invisible until pushed; the push kicks once. */
TEST(deferred_send_and_push)
{
	u8 msg[16] = { 0 }, out[256];
	struct fx f;
	bool notify;
	u32 got;

	ASSERT_EQ(0, fx_init(&f, 256, 0));
	ASSERT_FALSE(sym_ring_tx_push(&f.tx));	/* nothing to push */
	ASSERT_EQ(0, sym_ring_send(&f.tx, 0, msg, 16, NULL));
	ASSERT_EQ(0, sym_ring_send(&f.tx, 0, msg, 16, NULL));
	ASSERT_EQ(0, sym_ring_send(&f.tx, 0, msg, 16, NULL));
	ASSERT_EQ(0, f.ctrl->prod);
	ASSERT_EQ(-EAGAIN, recv_one(&f, out, sizeof(out), &got, NULL));
	ASSERT_TRUE(sym_ring_tx_push(&f.tx));
	ASSERT_EQ(72, f.ctrl->prod);
	ASSERT_FALSE(sym_ring_tx_push(&f.tx));
	ASSERT_EQ(0, recv_one(&f, out, sizeof(out), &got, NULL));
	ASSERT_EQ(0, recv_one(&f, out, sizeof(out), &got, NULL));
	ASSERT_EQ(0, recv_one(&f, out, sizeof(out), &got, NULL));
	ASSERT_FALSE(sym_ring_rx_final_check(&f.rx, &notify));
	/* A deferred message is published by a later immediate send. */
	ASSERT_EQ(0, sym_ring_send(&f.tx, 0, msg, 16, NULL));
	ASSERT_EQ(0, sym_ring_send(&f.tx, 0, msg, 16, &notify));
	ASSERT_TRUE(notify);
	ASSERT_EQ(120, f.ctrl->prod);
}

/* The producer is kicked only when enough space it waits for is free. */
TEST(notify_producer_only_when_space_it_needs)
{
	u8 msg[120] = { 0 }, out[256];
	struct fx f;
	bool notify, fits;
	u32 i, got, notifies = 0;

	ASSERT_EQ(0, fx_init(&f, 256, 0));
	ASSERT_EQ(0, sym_ring_send(&f.tx, 0, msg, 8, &notify));
	ASSERT_EQ(0, sym_ring_recv(&f.rx, out, sizeof(out), &got, NULL, &notify));
	ASSERT_TRUE(notify);	/* cons_event starts at 1, as in Xen */
	for (i = 0; i < 16; i++)
		ASSERT_EQ(0, sym_ring_send(&f.tx, 0, msg, 8, &notify));
	ASSERT_EQ(-ENOSPC, sym_ring_send(&f.tx, 0, msg, 40, &notify));
	fits = sym_ring_tx_final_check(&f.tx, 40, &notify);
	ASSERT_FALSE(fits);		/* producer may sleep */
	ASSERT_FALSE(notify);		/* nothing deferred to push */
	ASSERT_EQ(f.tx.prod + 48 - 256, f.ctrl->cons_event);
	/* 48 bytes are needed: three 16-byte records. */
	for (i = 0; i < 16; i++) {
		ASSERT_EQ(0, sym_ring_recv(&f.rx, out, sizeof(out), &got, NULL, &notify));
		if (notify) {
			notifies++;
			ASSERT_EQ(2, i);	/* exactly when the third one is freed */
		}
	}
	ASSERT_EQ(1, notifies);
	ASSERT_EQ(0, sym_ring_send(&f.tx, 0, msg, 40, &notify));
	/* Space freed before the final check: the re-check says go. */
	ASSERT_EQ(0, fx_init(&f, 256, 0));
	ASSERT_EQ(0, send_one(&f, 0, msg, 120));
	ASSERT_EQ(0, send_one(&f, 0, msg, 120));
	ASSERT_EQ(-ENOSPC, send_one(&f, 0, msg, 0));
	ASSERT_EQ(0, sym_ring_recv(&f.rx, out, sizeof(out), &got, NULL, NULL));
	ASSERT_TRUE(sym_ring_tx_final_check(&f.tx, 120, &notify));
	ASSERT_EQ(0, send_one(&f, 0, msg, 120));
	/* Deferred check on the consumer side: rx_push reports it. */
	ASSERT_FALSE(sym_ring_tx_final_check(&f.tx, 8, &notify));
	ASSERT_EQ(0, sym_ring_recv(&f.rx, out, sizeof(out), &got, NULL, NULL));
	ASSERT_TRUE(sym_ring_rx_push(&f.rx));
	ASSERT_FALSE(sym_ring_rx_push(&f.rx));
	/* ... and rx_final_check does it when the consumer goes idle. */
	ASSERT_EQ(0, send_one(&f, 0, msg, 120));
	ASSERT_FALSE(sym_ring_tx_final_check(&f.tx, 8, &notify));
	ASSERT_EQ(0, sym_ring_recv(&f.rx, out, sizeof(out), &got, NULL, NULL));
	ASSERT_EQ(0, sym_ring_recv(&f.rx, out, sizeof(out), &got, NULL, NULL));
	ASSERT_FALSE(sym_ring_rx_final_check(&f.rx, &notify));
	ASSERT_TRUE(notify);
	/* tx_final_check pushes deferred records and reports the kick. */
	ASSERT_EQ(0, sym_ring_send(&f.tx, 0, msg, 120, NULL));
	ASSERT_EQ(0, sym_ring_send(&f.tx, 0, msg, 120, NULL));
	ASSERT_FALSE(sym_ring_tx_final_check(&f.tx, 8, &notify));
	ASSERT_TRUE(notify);
	ASSERT_EQ(f.tx.prod, f.ctrl->prod);
	/* Oversize: true so that send reports -EMSGSIZE. */
	ASSERT_TRUE(sym_ring_tx_final_check(&f.tx, 121, &notify));
	ASSERT_TRUE(fx_guards_ok(&f));
}

TEST(drained_notifies_when_consumer_takes_the_last)
{
	u8 msg[40] = { 0 }, out[256];
	struct fx f;
	bool notify;
	u32 i, got;

	ASSERT_EQ(0, fx_init(&f, 256, 0));
	ASSERT_TRUE(sym_ring_tx_drained(&f.tx, &notify));	/* nothing sent */
	ASSERT_FALSE(notify);
	/* Three deferred records: drained publishes them and reports the kick. */
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, sym_ring_send(&f.tx, 0, msg, 40, NULL));
	ASSERT_FALSE(sym_ring_tx_drained(&f.tx, &notify));
	ASSERT_TRUE(notify);
	ASSERT_EQ(f.tx.prod, f.ctrl->prod);
	ASSERT_EQ(f.tx.prod, f.ctrl->cons_event);
	/* The consumer kicks only as it frees the last record. */
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, sym_ring_recv(&f.rx, out, sizeof(out), &got, NULL, &notify));
		ASSERT_EQ(i == 2, notify);
	}
	ASSERT_TRUE(sym_ring_tx_drained(&f.tx, &notify));
	ASSERT_FALSE(notify);
	/* Consumed between the event store and the re-check: true, no sleep. */
	ASSERT_EQ(0, send_one(&f, 0, msg, 40));
	ASSERT_EQ(0, sym_ring_recv(&f.rx, out, sizeof(out), &got, NULL, NULL));
	ASSERT_TRUE(sym_ring_tx_drained(&f.tx, &notify));
	/* An impossible cons: broken, and nothing more to wait for. */
	ASSERT_EQ(0, send_one(&f, 0, msg, 40));
	f.ctrl->cons = f.tx.prod + 64;
	ASSERT_TRUE(sym_ring_tx_drained(&f.tx, &notify));
	ASSERT_TRUE(sym_ring_tx_broken(&f.tx));
	ASSERT_TRUE(sym_ring_tx_drained(&f.tx, &notify));
	ASSERT_TRUE(fx_guards_ok(&f));
}

/* ---- hostile producer (we are the consumer) ---- */

static int hostile_rx_setup(struct fx *f, u8 *out)
{
	u8 msg[24] = { 1 };
	u32 got;
	int ret;

	ret = fx_init(f, 256, 0);
	if (!ret)
		ret = send_one(f, 0, msg, 24);
	if (!ret)
		ret = recv_one(f, out, 256, &got, NULL);
	return ret;	/* one good message went through: cons = 32 */
}

static bool rx_stays_broken(struct fx *f, u8 *out)
{
	u8 msg[8] = { 0 };
	bool notify;
	u32 got;

	/* Even a now perfectly valid ring is refused. */
	f->ctrl->prod = f->rx.cons;
	if (f->tx.prod == f->rx.cons && send_one(f, 0, msg, 8))
		return false;
	return sym_ring_recv(&f->rx, out, 256, &got, NULL, &notify) == -EPROTO &&
	       sym_ring_recv(&f->rx, out, 256, &got, NULL, NULL) == -EPROTO &&
	       sym_ring_rx_final_check(&f->rx, &notify) && !notify &&
	       !sym_ring_rx_push(&f->rx) && sym_ring_rx_broken(&f->rx) &&
	       fx_guards_ok(f);
}

TEST(hostile_prod_far_ahead)
{
	static const u32 bad[] = { 32 + 256 + 8, 32 + 0x10000, 32 + 0x80000000u, 24, 0 };
	u8 out[256];
	struct fx f;
	u32 i, got;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(0, hostile_rx_setup(&f, out));
		f.ctrl->prod = bad[i];	/* beyond cons + size, or backwards */
		ASSERT_EQ(-EPROTO, recv_one(&f, out, 256, &got, NULL));
		ASSERT_TRUE(rx_stays_broken(&f, out));
	}
	/* prod exactly cons + size is legal (a full ring). */
	ASSERT_EQ(0, hostile_rx_setup(&f, out));
	f.ctrl->prod = 32 + 256;
	hdr_at(&f, 32)[0] = 0;
	hdr_at(&f, 32)[1] = 0;
	ASSERT_EQ(0, recv_one(&f, out, 256, &got, NULL));
}

TEST(hostile_prod_misaligned)
{
	u8 out[256];
	struct fx f;
	u32 got, delta;

	for (delta = 1; delta < 8; delta++) {
		ASSERT_EQ(0, hostile_rx_setup(&f, out));
		hdr_at(&f, 32)[0] = 0;
		hdr_at(&f, 32)[1] = 0;
		f.ctrl->prod = 32 + 8 + delta;
		ASSERT_EQ(-EPROTO, recv_one(&f, out, 256, &got, NULL));
		ASSERT_TRUE(rx_stays_broken(&f, out));
	}
}

TEST(hostile_len_too_big)
{
	static const u32 bad[] = { 121, 248, 256, 0x7fffffff, 0xfffffff9u, 0xffffffffu };
	u8 out[300];
	struct fx f;
	u32 i, got;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(0, hostile_rx_setup(&f, out));
		hdr_at(&f, 32)[0] = bad[i];
		hdr_at(&f, 32)[1] = 0;
		f.ctrl->prod = 32 + 256;	/* everything "available" */
		memset(out, 0xee, sizeof(out));
		ASSERT_EQ(-EPROTO, recv_one(&f, out, sizeof(out), &got, NULL));
		ASSERT_EQ(0xee, out[0]);	/* nothing copied */
		ASSERT_TRUE(rx_stays_broken(&f, out));
	}
}

TEST(hostile_len_beyond_prod)
{
	u8 out[256];
	struct fx f;
	u32 got, len;

	for (len = 1; len <= 120; len++) {
		ASSERT_EQ(0, hostile_rx_setup(&f, out));
		hdr_at(&f, 32)[0] = len;
		hdr_at(&f, 32)[1] = 0;
		/* prod stops one 8-byte unit short of the padded record. */
		f.ctrl->prod = 32 + SYM_RING_RECORD_SIZE(len) - 8;
		ASSERT_EQ(-EPROTO, recv_one(&f, out, sizeof(out), &got, NULL));
		ASSERT_TRUE(rx_stays_broken(&f, out));
	}
}

TEST(hostile_reserved_type_bits)
{
	u8 out[256];
	struct fx f;
	u32 got, bit;

	for (bit = 16; bit < 32; bit++) {
		ASSERT_EQ(0, hostile_rx_setup(&f, out));
		hdr_at(&f, 32)[0] = 8;
		hdr_at(&f, 32)[1] = 1u << bit;
		f.ctrl->prod = 48;
		ASSERT_EQ(-EPROTO, recv_one(&f, out, sizeof(out), &got, NULL));
		ASSERT_TRUE(rx_stays_broken(&f, out));
	}
}

TEST(hostile_garbage_between_messages)
{
	u8 msg[40], out[256];
	struct fx f;
	bool notify;
	u32 got;

	ASSERT_EQ(0, fx_init(&f, 256, 0));
	fill(msg, sizeof(msg), 9);
	ASSERT_EQ(0, send_one(&f, 1, msg, 40));
	/* The peer appends 64 bytes of junk after a good record. */
	memset(f.data + 48, 0xc3, 64);
	f.ctrl->prod = 48 + 64;
	ASSERT_EQ(0, sym_ring_recv(&f.rx, out, sizeof(out), &got, NULL, &notify));
	ASSERT_EQ(40, got);
	ASSERT_MEMEQ(msg, out, 40);
	ASSERT_EQ(-EPROTO, sym_ring_recv(&f.rx, out, sizeof(out), &got, NULL, &notify));
	ASSERT_TRUE(rx_stays_broken(&f, out));
}

/* Length rewritten after the producer published: the copy is what counts. */
TEST(hostile_header_rewrite_after_validation_is_harmless)
{
	u8 msg[8] = { 0 }, out[16];
	struct fx f;
	u32 got;

	ASSERT_EQ(0, fx_init(&f, 256, 0));
	ASSERT_EQ(0, send_one(&f, 0, msg, 8));
	ASSERT_EQ(0, recv_one(&f, out, sizeof(out), &got, NULL));
	ASSERT_EQ(8, got);
	hdr_at(&f, 0)[0] = 0xffffffffu;	/* too late: already consumed */
	ASSERT_EQ(-EAGAIN, recv_one(&f, out, sizeof(out), &got, NULL));
	ASSERT_FALSE(sym_ring_rx_broken(&f.rx));
}

/* Our own shared index rewritten by the peer is never read back. */
TEST(hostile_rewrite_of_own_index_ignored)
{
	u8 msg[24], out[256];
	struct fx f;
	u32 got, i;
	bool notify;

	ASSERT_EQ(0, fx_init(&f, 256, 0));
	for (i = 0; i < 50; i++) {
		fill(msg, sizeof(msg), i);
		f.ctrl->prod = 0xdead0000u + i;	/* "consumer" scribbles on prod */
		ASSERT_EQ(0, sym_ring_send(&f.tx, 0, msg, 24, &notify));
		ASSERT_EQ(f.tx.prod, f.ctrl->prod);
		f.ctrl->cons = 0xbeef0003u;	/* "producer" scribbles on cons */
		ASSERT_EQ(0, sym_ring_recv(&f.rx, out, sizeof(out), &got, NULL, &notify));
		ASSERT_EQ(24, got);
		ASSERT_MEMEQ(msg, out, 24);
		ASSERT_EQ(f.rx.cons, f.ctrl->cons);
	}
	ASSERT_TRUE(fx_guards_ok(&f));
}

/* Event indices are hints: any value only changes who gets kicked. */
TEST(hostile_event_indices_are_harmless)
{
	u8 msg[24] = { 0 }, out[256];
	struct fx f;
	bool notify;
	u32 got, i;

	ASSERT_EQ(0, fx_init(&f, 256, 0));
	for (i = 0; i < 200; i++) {
		f.ctrl->prod_event = i * 0x9e3779b9u;
		f.ctrl->cons_event = ~i * 0x85ebca6bu;
		ASSERT_EQ(0, sym_ring_send(&f.tx, 0, msg, 24, &notify));
		ASSERT_EQ(0, sym_ring_recv(&f.rx, out, sizeof(out), &got, NULL, &notify));
		(void)sym_ring_rx_final_check(&f.rx, &notify);
		(void)sym_ring_tx_final_check(&f.tx, 24, &notify);
	}
	ASSERT_FALSE(sym_ring_rx_broken(&f.rx) || sym_ring_tx_broken(&f.tx));
	ASSERT_TRUE(fx_guards_ok(&f));
}

/* ---- hostile consumer (we are the producer) ---- */

static bool tx_stays_broken(struct fx *f)
{
	u8 msg[8] = { 0 };
	struct sym_ring_iov iov = { msg, 8 };
	bool notify = true;

	f->ctrl->cons = f->tx.prod_pub;	/* valid again: still refused */
	return send_one(f, 0, msg, 8) == -EPROTO &&
	       sym_ring_sendv(&f->tx, 0, &iov, 1, &notify) == -EPROTO && !notify &&
	       sym_ring_send(&f->tx, 0, msg, 8, NULL) == -EPROTO &&
	       sym_ring_tx_final_check(&f->tx, 8, &notify) && !notify &&
	       !sym_ring_tx_push(&f->tx) && sym_ring_tx_broken(&f->tx) && fx_guards_ok(f);
}

TEST(hostile_cons_impossible)
{
	/* Snapshot 128, published prod 384: legal cons is 128..384 by 8s. */
	static const u32 bad[] = { 392, 384 + 256, 0x80000000u, 120, 0, 124, 132, 129 };
	u8 msg[120] = { 0 }, out[256];
	struct fx f;
	u32 i, got;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(0, fx_init(&f, 256, 0));
		ASSERT_EQ(0, send_one(&f, 0, msg, 120));
		ASSERT_EQ(0, send_one(&f, 0, msg, 120));
		ASSERT_EQ(0, recv_one(&f, out, sizeof(out), &got, NULL));
		ASSERT_EQ(0, send_one(&f, 0, msg, 120));	/* refreshes cons */
		ASSERT_EQ(128, f.tx.cons_snap);
		ASSERT_EQ(384, f.tx.prod_pub);
		f.ctrl->cons = bad[i];
		ASSERT_EQ(-EPROTO, send_one(&f, 0, msg, 0));
		ASSERT_TRUE(tx_stays_broken(&f));
	}
	/* cons == prod (all consumed) is fine. */
	ASSERT_EQ(0, fx_init(&f, 256, 0));
	ASSERT_EQ(0, send_one(&f, 0, msg, 120));
	ASSERT_EQ(0, send_one(&f, 0, msg, 120));
	f.ctrl->cons = 256;
	ASSERT_EQ(0, send_one(&f, 0, msg, 120));
}

TEST(hostile_cons_detected_in_final_check)
{
	u8 msg[120] = { 0 };
	struct fx f;
	bool notify;

	ASSERT_EQ(0, fx_init(&f, 256, 0));
	ASSERT_EQ(0, send_one(&f, 0, msg, 120));
	ASSERT_EQ(0, send_one(&f, 0, msg, 120));
	f.ctrl->cons = 1000;
	ASSERT_TRUE(sym_ring_tx_final_check(&f.tx, 120, &notify));
	ASSERT_TRUE(sym_ring_tx_broken(&f.tx));
	ASSERT_TRUE(tx_stays_broken(&f));
}

static u32 rnd(u32 *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}

/* Random interleavings; checks every byte of every message and the guards. */
TEST(random_interleaving)
{
	static u8 msg[2048], out[2048];
	struct sym_ring_iov iov[4];
	u32 seed = 12345, sent = 0, rcvd = 0, i, n, len, got, k;
	u32 lens[1024];
	struct fx f;
	bool notify;
	u16 type;
	int ret;

	ASSERT_EQ(0, fx_init(&f, 4096, 0));
	for (i = 0; i < 200000; i++) {
		if (rnd(&seed) % 2) {
			len = rnd(&seed) % (rnd(&seed) % 4 ? 64 : f.tx.max_msg + 1);
			fill(msg, len, sent);
			n = rnd(&seed) % 4 + 1;
			for (k = 0; k < n; k++) {
				u32 a = k * len / n, b = (k + 1) * len / n;

				iov[k] = (struct sym_ring_iov){ msg + a, b - a };
			}
			ret = sym_ring_sendv(&f.tx, (u16)sent, iov, n, rnd(&seed) % 3 ? &notify : NULL);
			if (ret == -ENOSPC) {
				/* No consumer thread: either it fits now or not. */
				if (!sym_ring_tx_final_check(&f.tx, len, &notify))
					continue;
				ret = sym_ring_sendv(&f.tx, (u16)sent, iov, n, NULL);
			}
			ASSERT_EQ(0, ret);
			ASSERT_TRUE(sent - rcvd < ARRAY_SIZE(lens));
			lens[sent++ % ARRAY_SIZE(lens)] = len;
		} else {
			ret = sym_ring_recv(&f.rx, out, sizeof(out), &got, &type,
					    rnd(&seed) % 2 ? &notify : NULL);
			if (ret == -EAGAIN) {
				/* Only deferred (unpublished) messages are left. */
				ASSERT_EQ(f.tx.prod_pub, f.rx.cons);
				continue;
			}
			ASSERT_EQ(0, ret);
			ASSERT_EQ(lens[rcvd % ARRAY_SIZE(lens)], got);
			ASSERT_EQ((u16)rcvd, type);
			fill(msg, got, rcvd);
			ASSERT_MEMEQ(msg, out, got);
			rcvd++;
			if (rnd(&seed) % 8 == 0)
				(void)sym_ring_rx_final_check(&f.rx, &notify);
			if (rnd(&seed) % 8 == 0)
				(void)sym_ring_tx_push(&f.tx);
		}
	}
	ASSERT_TRUE(rcvd > 10000);
	ASSERT_TRUE(fx_guards_ok(&f));
}

/* ---- segmented data areas (mapped grants are not contiguous) ---- */

#define SEG		32u
#define NSEGS		8u

/* Segments scattered in reverse order through one buffer, with guards. */
static u8 seg_arena[NSEGS * (SEG + GUARD) + GUARD] __attribute__((aligned(64)));

static void segs_init(u8 **segs)
{
	u32 i;

	memset(seg_arena, CANARY, sizeof(seg_arena));
	for (i = 0; i < NSEGS; i++) {
		segs[i] = seg_arena + GUARD + (NSEGS - 1 - i) * (SEG + GUARD);
		memset(segs[i], 0, SEG);
	}
}

static bool segs_guards_ok(u8 *const *segs)
{
	u32 i, j;

	for (i = 0; i < sizeof(seg_arena); i++) {
		bool inside = false;

		for (j = 0; j < NSEGS; j++)
			if (seg_arena + i >= segs[j] && seg_arena + i < segs[j] + SEG)
				inside = true;
		if (!inside && seg_arena[i] != CANARY)
			return false;
	}
	return true;
}

TEST(segments_geometry)
{
	struct sym_ring_ctrl ctrl = {};
	struct sym_ring_tx tx;
	u8 *segs[NSEGS];

	segs_init(segs);
	ASSERT_EQ(0, sym_ring_tx_init_segs(&tx, &ctrl, segs, SEG, NSEGS, 0));
	ASSERT_EQ(SEG * NSEGS, tx.size);
	ASSERT_EQ(-EINVAL, sym_ring_tx_init_segs(&tx, &ctrl, segs, SEG, 6, 0));
	ASSERT_EQ(-EINVAL, sym_ring_tx_init_segs(&tx, &ctrl, segs, 24, 4, 0));
	ASSERT_EQ(-EINVAL, sym_ring_tx_init_segs(&tx, &ctrl, segs, 8, 4, 0));
	ASSERT_EQ(-EINVAL, sym_ring_tx_init_segs(&tx, &ctrl, segs, SEG, 0, 0));
	ASSERT_EQ(-EINVAL, sym_ring_tx_init_segs(&tx, &ctrl, NULL, SEG, NSEGS, 0));
	segs[3] += 4;
	ASSERT_EQ(-EINVAL, sym_ring_tx_init_segs(&tx, &ctrl, segs, SEG, NSEGS, 0));
	segs[3] = NULL;
	ASSERT_EQ(-EINVAL, sym_ring_tx_init_segs(&tx, &ctrl, segs, SEG, NSEGS, 0));
}

/*
 * A segmented ring and a contiguous one of the same size, fed the same
 * random traffic, deliver the same messages; nothing lands outside the
 * segments, and records span segment boundaries and the area's end.
 */
TEST(segments_match_contiguous)
{
	struct sym_ring_ctrl sctrl = {};
	struct sym_ring_tx stx;
	struct sym_ring_rx srx;
	u8 msg[200], out1[200], out2[200];
	u32 seed = 7, i, len, got1, got2, spans = 0;
	u8 *segs[NSEGS];
	struct fx f;
	int r1, r2;

	segs_init(segs);
	sym_ring_shared_init(&sctrl);
	ASSERT_EQ(0, sym_ring_tx_init_segs(&stx, &sctrl, segs, SEG, NSEGS, 0));
	ASSERT_EQ(0, sym_ring_rx_init_segs(&srx, &sctrl, segs, SEG, NSEGS, 0));
	ASSERT_EQ(0, fx_init(&f, SEG * NSEGS, 0));

	for (i = 0; i < 20000; i++) {
		if (rnd(&seed) % 2) {
			len = rnd(&seed) % (SEG * NSEGS / 2 - 8 + 1);
			fill(msg, len, i);
			if ((stx.prod & (SEG - 1)) + 8 + len > SEG)
				spans++;
			r1 = sym_ring_send(&f.tx, 1, msg, len, NULL);
			r2 = sym_ring_send(&stx, 1, msg, len, NULL);
			ASSERT_EQ(r1, r2);
			sym_ring_tx_push(&f.tx);
			sym_ring_tx_push(&stx);
		} else {
			r1 = sym_ring_recv(&f.rx, out1, sizeof(out1), &got1, NULL, NULL);
			r2 = sym_ring_recv(&srx, out2, sizeof(out2), &got2, NULL, NULL);
			ASSERT_EQ(r1, r2);
			if (!r1) {
				ASSERT_EQ(got1, got2);
				ASSERT_MEMEQ(out1, out2, got1);
			}
		}
	}
	ASSERT_TRUE(spans > 1000);
	ASSERT_TRUE(segs_guards_ok(segs));
	ASSERT_TRUE(fx_guards_ok(&f));
}

/* Teardown: what the peer did not consume comes back, in order. */
TEST(reclaimer_takes_back_unconsumed)
{
	struct sym_ring_ctrl priv;
	struct sym_ring_rx back;
	u8 msg[40], out[40];
	u32 i, got;
	struct fx f;

	ASSERT_EQ(0, fx_init(&f, 256, 0));
	for (i = 0; i < 5; i++) {
		fill(msg, 10 + i, i);
		ASSERT_EQ(0, sym_ring_send(&f.tx, 1, msg, 10 + i, NULL));
	}
	sym_ring_tx_push(&f.tx);
	ASSERT_EQ(0, sym_ring_recv(&f.rx, out, sizeof(out), &got, NULL, NULL));
	ASSERT_EQ(0, sym_ring_recv(&f.rx, out, sizeof(out), &got, NULL, NULL));

	ASSERT_EQ(0, sym_ring_tx_reclaimer(&f.tx, &priv, &back));
	for (i = 2; i < 5; i++) {
		ASSERT_EQ(0, sym_ring_recv(&back, out, sizeof(out), &got, NULL, NULL));
		ASSERT_EQ(10 + i, got);
		fill(msg, got, i);
		ASSERT_MEMEQ(msg, out, got);
	}
	ASSERT_EQ(-EAGAIN, sym_ring_recv(&back, out, sizeof(out), &got, NULL, NULL));

	/* A hostile cons past our prod: everything since our snapshot. */
	f.ctrl->cons = f.tx.prod + 64;
	ASSERT_EQ(0, sym_ring_tx_reclaimer(&f.tx, &priv, &back));
	for (i = 0; i < 5; i++)
		ASSERT_EQ(0, sym_ring_recv(&back, out, sizeof(out), &got, NULL, NULL));
	ASSERT_EQ(-EAGAIN, sym_ring_recv(&back, out, sizeof(out), &got, NULL, NULL));
	ASSERT_TRUE(fx_guards_ok(&f));
}

/* ---- scattered receive (straight into an skb's head and pages) ---- */

TEST(recvv_scatters_in_order)
{
	u8 msg[50], a[5], b[1], c[100], joined[50];
	struct sym_ring_buf bufs[3] = { { a, 5 }, { b, 1 }, { c, 100 } };
	u32 got, len;
	struct fx f;
	u16 type;

	ASSERT_EQ(0, fx_init(&f, 256, 0));
	fill(msg, sizeof(msg), 9);
	ASSERT_EQ(-EAGAIN, sym_ring_peek(&f.rx, &len));
	ASSERT_EQ(0, send_one(&f, 3, msg, sizeof(msg)));
	ASSERT_EQ(0, sym_ring_peek(&f.rx, &len));
	ASSERT_EQ(50, len);
	ASSERT_EQ(0, sym_ring_peek(&f.rx, &len));	/* still there */

	/* Too little room: the message stays. */
	ASSERT_EQ(-EMSGSIZE, sym_ring_recvv(&f.rx, bufs, 2, &got, &type, NULL));
	ASSERT_EQ(50, got);

	memset(c, 0xee, sizeof(c));
	ASSERT_EQ(0, sym_ring_recvv(&f.rx, bufs, 3, &got, &type, NULL));
	ASSERT_EQ(50, got);
	ASSERT_EQ(3, type);
	memcpy(joined, a, 5);
	memcpy(joined + 5, b, 1);
	memcpy(joined + 6, c, 44);
	ASSERT_MEMEQ(msg, joined, 50);
	ASSERT_EQ(0xee, c[44]);			/* nothing past the message */
	ASSERT_EQ(-EAGAIN, sym_ring_peek(&f.rx, &len));
	ASSERT_TRUE(fx_guards_ok(&f));
}

TEST(peek_validates_like_recv)
{
	u8 msg[16] = { 0 };
	u32 len;
	struct fx f;

	ASSERT_EQ(0, fx_init(&f, 256, 64));
	ASSERT_EQ(0, send_one(&f, 1, msg, sizeof(msg)));
	*hdr_at(&f, 0) = 65;			/* beyond max_msg */
	ASSERT_EQ(-EPROTO, sym_ring_peek(&f.rx, &len));
	ASSERT_EQ(-EPROTO, sym_ring_peek(&f.rx, &len));	/* stays broken */
	ASSERT_TRUE(fx_guards_ok(&f));
}
