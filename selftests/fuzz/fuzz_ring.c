// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_ring.c - libFuzzer target for the shared-memory message ring.
 *
 * The input is a script. Its first two bytes pick the data area size
 * (16 B .. 4 KiB) and max_msg; each following op byte drives our producer
 * (send, sendv, deferred send, push, final check), our consumer (recv into
 * an exactly sized heap buffer, deferred recv, push, final check) or the
 * "peer", which overwrites any word of the control block (indices and event
 * indices alike) or any bytes of the data area, or forges a header at the
 * consumer's position. Control block and data area are separate heap
 * blocks of exactly their size, so ASan flags any access outside them.
 *
 * Invariants (a violation aborts, which libFuzzer reports):
 *   - every call returns one of its documented values;
 *   - a received message fits the caller's buffer and max_msg;
 *   - once a side returned -EPROTO it stays broken: every later call on
 *     that side reports -EPROTO (or the documented "go look" answer);
 *   - each side's private view stays within the ring's geometry;
 *   - as long as the peer has written nothing, the ring is a perfect FIFO:
 *     no -EPROTO, messages come out in order, byte for byte, and -EAGAIN
 *     only when everything published was consumed.
 * Single-threaded, as libFuzzer calls the target.
 */
#include <stdlib.h>
#include "ring.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)
#define QMAX	1024	/* > the most records in flight (4096 / 8) */

struct script {
	const u8 *p;
	size_t left;
};

static u8 next8(struct script *s)
{
	if (!s->left)
		return 0;
	s->left--;
	return *s->p++;
}

static u32 next16(struct script *s)
{
	return next8(s) | (u32)next8(s) << 8;
}

static u32 next32(struct script *s)
{
	return next16(s) | next16(s) << 16;
}

static void fill(u8 *buf, u32 len, u32 seq)
{
	u32 i;

	for (i = 0; i < len; i++)
		buf[i] = (u8)(seq * 29 + i * 13);
}

struct state {
	struct sym_ring_ctrl *ctrl;
	u8 *data;
	u32 size;
	struct sym_ring_tx tx;
	struct sym_ring_rx rx;
	bool tampered;
	bool tx_dead, rx_dead;	/* a call returned -EPROTO */
	/* model of the untampered FIFO */
	u32 q_len[QMAX];
	u16 q_type[QMAX];
	u32 q_end[QMAX];	/* tx.prod after the record */
	u32 sent, rcvd;
	u8 msg[4096], buf[4096];
};

static void check_geometry(const struct state *st)
{
	CHECK(st->tx.prod - st->tx.cons_snap <= st->size);
	CHECK(st->tx.prod_pub - st->tx.cons_snap <= st->tx.prod - st->tx.cons_snap);
	CHECK(!((st->tx.prod | st->tx.prod_pub | st->tx.cons_snap) & 7));
	CHECK(st->rx.prod_snap - st->rx.cons <= st->size);
	CHECK(!((st->rx.cons | st->rx.prod_snap) & 7));
	CHECK(st->tx.broken == st->tx_dead);
	CHECK(st->rx.broken == st->rx_dead);
}

static void tx_result(struct state *st, int ret, u32 len, u16 type)
{
	if (st->tx_dead) {
		CHECK(ret == -EPROTO);
		return;
	}
	CHECK(ret == 0 || ret == -ENOSPC || ret == -EMSGSIZE || ret == -EPROTO);
	CHECK(ret != -EMSGSIZE || len > st->tx.max_msg);
	if (ret == -EPROTO) {
		CHECK(st->tampered);
		st->tx_dead = true;
	}
	if (ret)
		return;
	CHECK(len <= st->tx.max_msg);
	CHECK(st->sent - st->rcvd < QMAX);
	st->q_len[st->sent % QMAX] = len;
	st->q_type[st->sent % QMAX] = type;
	st->q_end[st->sent % QMAX] = st->tx.prod;
	st->sent++;
}

static void op_send(struct state *st, struct script *s, u8 op)
{
	struct sym_ring_iov iov[4];
	u32 len = next16(s) % (st->size + 16);
	u16 type = (u16)next16(s);
	u32 n = op % 4 + 1, i;
	bool notify = true;
	int ret;

	fill(st->msg, len <= sizeof(st->msg) ? len : 0, st->sent);
	if (len > sizeof(st->msg)) {
		/* Too big to exist: must be refused before any copy. */
		ret = sym_ring_send(&st->tx, type, NULL, len, &notify);
		CHECK(st->tx_dead ? ret == -EPROTO : ret == -EMSGSIZE);
		return;
	}
	for (i = 0; i < n; i++)
		iov[i] = (struct sym_ring_iov){ st->msg + i * len / n,
						(i + 1) * len / n - i * len / n };
	ret = sym_ring_sendv(&st->tx, type, iov, n, (op & 4) ? NULL : &notify);
	/* Deferred: nothing published; immediate: everything published. */
	CHECK(ret || ((op & 4) ? st->tx.prod != st->tx.prod_pub : st->tx.prod == st->tx.prod_pub));
	tx_result(st, ret, len, type);
}

static void op_recv(struct state *st, struct script *s, u8 op)
{
	u32 buflen = next16(s) % (st->size + 16);
	u32 len = 0xdeadbeefu, expect;
	bool notify;
	u16 type;
	u8 *buf;
	int ret;

	if (op & 1)
		buflen = st->rx.max_msg;
	buf = malloc(buflen ? buflen : 1);	/* exact size: ASan guards it */
	if (op & 4) {
		/* The same room as three exact-size pieces, joined after. */
		u32 cut1 = buflen / 3, cut2 = buflen - buflen / 4;
		struct sym_ring_buf parts[3] = {
			{ malloc(cut1 ? cut1 : 1), cut1 },
			{ malloc(cut2 - cut1 ? cut2 - cut1 : 1), cut2 - cut1 },
			{ malloc(buflen - cut2 ? buflen - cut2 : 1), buflen - cut2 },
		};
		u32 peeked = 0;
		int pret = sym_ring_peek(&st->rx, &peeked);
		int i;

		ret = sym_ring_recvv(&st->rx, parts, 3, &len, &type,
				     (op & 2) ? NULL : &notify);
		/* Without tampering the peek saw the same header. */
		if (!pret && !ret && !st->tampered)
			CHECK(peeked == len);
		if (!ret)
			for (i = 0; i < 3; i++)
				memcpy(buf + (i ? (i == 1 ? cut1 : cut2) : 0),
				       parts[i].base,
				       parts[i].len);
		for (i = 0; i < 3; i++)
			free(parts[i].base);
	} else {
		ret = sym_ring_recv(&st->rx, buf, buflen, &len, &type,
				    (op & 2) ? NULL : &notify);
	}
	if (st->rx_dead) {
		CHECK(ret == -EPROTO);
		goto out;
	}
	CHECK(ret == 0 || ret == -EAGAIN || ret == -EMSGSIZE || ret == -EPROTO);
	if (ret == -EPROTO) {
		CHECK(st->tampered);
		st->rx_dead = true;
		goto out;
	}
	if (ret == -EMSGSIZE)
		CHECK(len > buflen && len <= st->rx.max_msg);
	if (ret == 0)
		CHECK(len <= buflen && len <= st->rx.max_msg);
	if (st->tampered)
		goto out;
	/* Untouched by the peer: a perfect FIFO of what was published. */
	if (ret == -EAGAIN) {
		CHECK(st->rx.cons == st->tx.prod_pub);
		goto out;
	}
	CHECK(st->rcvd < st->sent);
	expect = st->q_len[st->rcvd % QMAX];
	CHECK(len == expect);
	if (ret == -EMSGSIZE)
		goto out;
	CHECK(type == st->q_type[st->rcvd % QMAX]);
	CHECK(st->rx.cons == st->q_end[st->rcvd % QMAX]);
	fill(st->msg, len, st->rcvd);
	CHECK(!memcmp(st->msg, buf, len));
	st->rcvd++;
out:
	free(buf);
}

static void op_peer(struct state *st, struct script *s, u8 op)
{
	u32 off, n, i;

	st->tampered = true;
	switch (op % 3) {
	case 0:		/* a word of the control block, mostly an index */
		off = next8(s);
		off = off & 0x80 ? off % (sizeof(*st->ctrl) / 4) : (off & 3) * 16;
		((u32 *)st->ctrl)[off] = next32(s);
		break;
	case 1:		/* any bytes of the data area */
		off = next16(s) % st->size;
		n = next8(s) % 64;
		for (i = 0; i < n; i++)
			st->data[(off + i) % st->size] = next8(s);
		break;
	default:	/* a header at the consumer's position, prod past it */
		off = st->rx.cons % st->size;
		((u32 *)(st->data + off))[0] = next16(s);
		((u32 *)(st->data + off))[1] = next8(s) & 0x80 ? next32(s) : next8(s);
		st->ctrl->prod = st->rx.cons + (next16(s) & ~7u) % (st->size + 16);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct script s = { data, size };
	struct state *st = calloc(1, sizeof(*st));
	u32 max_msg, ops = 0;
	bool notify, more, was_dead;
	u8 op;

	st->size = 16u << (next8(&s) % 9);
	max_msg = next8(&s) & 1 ? next16(&s) % st->size : 0;
	st->ctrl = calloc(1, sizeof(*st->ctrl));
	st->data = calloc(1, st->size);
	sym_ring_shared_init(st->ctrl);
	if (sym_ring_tx_init(&st->tx, st->ctrl, st->data, st->size, max_msg) ||
	    sym_ring_rx_init(&st->rx, st->ctrl, st->data, st->size, max_msg)) {
		CHECK(SYM_RING_RECORD_SIZE(max_msg) > st->size);
		goto out;
	}
	CHECK(st->tx.max_msg == st->rx.max_msg);
	CHECK(SYM_RING_RECORD_SIZE(st->tx.max_msg) <= st->size);

	while (s.left && ops++ < 4096) {
		op = next8(&s);
		switch (op >> 4) {
		case 0: case 1: case 2: case 3: case 4:
			op_send(st, &s, op);
			break;
		case 5: case 6: case 7: case 8: case 9:
			op_recv(st, &s, op);
			break;
		case 10:
			more = sym_ring_tx_push(&st->tx);
			CHECK(!st->tx_dead || !more);
			break;
		case 11:
			more = sym_ring_rx_push(&st->rx);
			CHECK(!st->rx_dead || !more);
			break;
		case 12:
			was_dead = st->tx_dead;
			more = sym_ring_tx_final_check(&st->tx, next16(&s) % (st->size + 16),
						       &notify);
			CHECK(!was_dead || (more && !notify));
			if (st->tx.broken && !was_dead) {
				/* A bad cons found by the re-check: "go send". */
				CHECK(st->tampered && more);
				st->tx_dead = true;
			}
			break;
		case 13:
			was_dead = st->rx_dead;
			more = sym_ring_rx_final_check(&st->rx, &notify);
			CHECK(!was_dead || (more && !notify));
			if (st->rx.broken && !was_dead) {
				/* A bad prod found by the re-check: "go recv". */
				CHECK(st->tampered && more);
				st->rx_dead = true;
			}
			/* Untampered: "nothing more" means all published is consumed. */
			CHECK(st->tampered || more || st->rx.cons == st->tx.prod_pub);
			break;
		default:
			op_peer(st, &s, op);
			break;
		}
		check_geometry(st);
	}
out:
	free(st->data);
	free(st->ctrl);
	free(st);
	return 0;
}
