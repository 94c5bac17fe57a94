// SPDX-License-Identifier: GPL-2.0
/*
 * test_fp_proto.c - unit tests for the fast-path record parser
 * (drivers/core/fp_proto.c), which dom0's relay runs on guest-written
 * XenStore nodes and guests run again on what dom0 relays.
 *
 * A fake store (a table of node/value pairs) answers the reads, counts
 * them and can fail with any errno. Covers every state for both writer
 * roles, each node missing, malformed numbers (leading zeros, signs,
 * spaces, overflow, over-long values), the bounds of every field, reader
 * errors, the read budget, and sym_fp_record_equal(). Single-threaded.
 */
#include "harness.h"
#include "fp_proto.h"

struct store {
	const char *node[16];
	const char *value[16];
	int fail_err;		/* non-zero: every read returns it */
	unsigned int reads;
};

static int store_read(void *ctx, const char *node, char *buf, size_t size,
		      size_t *len)
{
	struct store *st = ctx;
	size_t n;
	int i;

	st->reads++;
	if (st->fail_err)
		return st->fail_err;
	for (i = 0; i < 16 && st->node[i]; i++) {
		if (strcmp(st->node[i], node))
			continue;
		n = strlen(st->value[i]);
		if (n >= size)
			return -E2BIG;
		memcpy(buf, st->value[i], n + 1);
		*len = n;
		return 0;
	}
	return -ENOENT;
}

static void put(struct store *st, const char *node, const char *value)
{
	int i;

	for (i = 0; i < 16 && st->node[i]; i++)
		if (!strcmp(st->node[i], node))
			break;
	st->node[i] = node;
	st->value[i] = value;
}

static void offer(struct store *st)
{
	memset(st, 0, sizeof(*st));
	put(st, "state", "offered");
	put(st, "epoch", "305419896");
	put(st, "evtchn", "17");
	put(st, "nr-pages", "1");
	put(st, "ring-ref-0", "8");
}

TEST(absent_record)
{
	struct store st = {};
	struct sym_fp_record r;

	r.state = FP_XS_CLOSED;
	ASSERT_EQ(0, sym_fp_record_read(store_read, &st, true, &r));
	ASSERT_EQ(FP_XS_ABSENT, r.state);
	ASSERT_EQ(1, st.reads);
}

TEST(granter_offer_parsed)
{
	struct sym_fp_record r;
	struct store st;

	offer(&st);
	ASSERT_EQ(0, sym_fp_record_read(store_read, &st, true, &r));
	ASSERT_EQ(FP_XS_OFFERED, r.state);
	ASSERT_EQ(305419896u, r.epoch);
	ASSERT_EQ(17, r.evtchn);
	ASSERT_EQ(1, r.nr_pages);
	ASSERT_EQ(8, r.refs[0]);
	ASSERT_TRUE(st.reads <= 4 + FP_RELAY_MAX_PAGES);
}

TEST(roles_enforced)
{
	struct sym_fp_record r;
	struct store st;

	offer(&st);
	ASSERT_EQ(-EPROTO, sym_fp_record_read(store_read, &st, false, &r));
	memset(&st, 0, sizeof(st));
	put(&st, "state", "connected");
	put(&st, "epoch", "9");
	ASSERT_EQ(-EPROTO, sym_fp_record_read(store_read, &st, true, &r));
	ASSERT_EQ(0, sym_fp_record_read(store_read, &st, false, &r));
	ASSERT_EQ(FP_XS_CONNECTED, r.state);
	ASSERT_EQ(9, r.epoch);
	put(&st, "state", "closed");
	ASSERT_EQ(0, sym_fp_record_read(store_read, &st, true, &r));
	ASSERT_EQ(FP_XS_CLOSED, r.state);
	ASSERT_EQ(0, sym_fp_record_read(store_read, &st, false, &r));
}

TEST(unknown_state_rejected)
{
	static const char *const bad[] = {
		"", "Offered", "offered ", "absent", "open", "connectedx",
		"closed\n", "01234567890123456789",
	};
	struct sym_fp_record r;
	struct store st;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		offer(&st);
		put(&st, "state", bad[i]);
		r.state = FP_XS_CLOSED;
		ASSERT_EQ(-EPROTO, sym_fp_record_read(store_read, &st, true, &r));
		ASSERT_EQ(FP_XS_CLOSED, r.state);	/* untouched */
	}
}

TEST(every_node_of_an_offer_required)
{
	static const char *const nodes[] = {
		"epoch", "evtchn", "nr-pages", "ring-ref-0",
	};
	struct sym_fp_record r;
	struct store st;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nodes); i++) {
		offer(&st);
		put(&st, nodes[i], "");
		ASSERT_EQ(-EPROTO, sym_fp_record_read(store_read, &st, true, &r));
	}
	/* Really absent, not empty. */
	offer(&st);
	st.node[4] = NULL;	/* ring-ref-0 */
	ASSERT_EQ(-EPROTO, sym_fp_record_read(store_read, &st, true, &r));
}

TEST(numbers_strict)
{
	static const char *const bad[] = {
		"01", "+1", "-1", " 1", "1 ", "0x10", "1e3", "4294967296",
		"99999999999999999", "1\n",
	};
	struct sym_fp_record r;
	struct store st;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		offer(&st);
		put(&st, "epoch", bad[i]);
		ASSERT_EQ(-EPROTO, sym_fp_record_read(store_read, &st, true, &r));
		offer(&st);
		put(&st, "ring-ref-0", bad[i]);
		ASSERT_EQ(-EPROTO, sym_fp_record_read(store_read, &st, true, &r));
	}
}

TEST(field_bounds)
{
	struct sym_fp_record r;
	struct store st;

	offer(&st);
	put(&st, "epoch", "0");
	ASSERT_EQ(-EPROTO, sym_fp_record_read(store_read, &st, true, &r));
	offer(&st);
	put(&st, "epoch", "4294967295");
	ASSERT_EQ(0, sym_fp_record_read(store_read, &st, true, &r));
	offer(&st);
	put(&st, "evtchn", "0");
	ASSERT_EQ(-EPROTO, sym_fp_record_read(store_read, &st, true, &r));
	offer(&st);
	put(&st, "evtchn", "131071");
	ASSERT_EQ(0, sym_fp_record_read(store_read, &st, true, &r));
	offer(&st);
	put(&st, "evtchn", "131072");
	ASSERT_EQ(-EPROTO, sym_fp_record_read(store_read, &st, true, &r));
	offer(&st);
	put(&st, "nr-pages", "0");
	ASSERT_EQ(-EPROTO, sym_fp_record_read(store_read, &st, true, &r));
	offer(&st);
	put(&st, "nr-pages", "5");
	ASSERT_EQ(-EPROTO, sym_fp_record_read(store_read, &st, true, &r));
	/* Two pages announced, one reference: malformed. */
	offer(&st);
	put(&st, "nr-pages", "2");
	ASSERT_EQ(-EPROTO, sym_fp_record_read(store_read, &st, true, &r));
	put(&st, "ring-ref-1", "9");
	ASSERT_EQ(0, sym_fp_record_read(store_read, &st, true, &r));
	ASSERT_EQ(9, r.refs[1]);
}

TEST(reader_errors_propagate)
{
	struct sym_fp_record r;
	struct store st;

	offer(&st);
	st.fail_err = -EIO;
	r.state = FP_XS_CLOSED;
	ASSERT_EQ(-EIO, sym_fp_record_read(store_read, &st, true, &r));
	ASSERT_EQ(FP_XS_CLOSED, r.state);
	ASSERT_EQ(1, st.reads);
}

TEST(equality)
{
	struct sym_fp_record a, b;
	struct store st;

	offer(&st);
	ASSERT_EQ(0, sym_fp_record_read(store_read, &st, true, &a));
	ASSERT_EQ(0, sym_fp_record_read(store_read, &st, true, &b));
	ASSERT_TRUE(sym_fp_record_equal(&a, &b));
	b.refs[0]++;
	ASSERT_FALSE(sym_fp_record_equal(&a, &b));
	b = a;
	b.evtchn++;
	ASSERT_FALSE(sym_fp_record_equal(&a, &b));
	b = a;
	b.state = FP_XS_CLOSED;
	ASSERT_FALSE(sym_fp_record_equal(&a, &b));
	/* Fields a state does not carry do not matter. */
	a.state = b.state = FP_XS_CLOSED;
	a.epoch = 1;
	ASSERT_TRUE(sym_fp_record_equal(&a, &b));
}
