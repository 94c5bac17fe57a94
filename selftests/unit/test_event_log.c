// SPDX-License-Identifier: GPL-2.0
/*
 * test_event_log.c - unit tests for the bounded event log and the text
 * form of its records.
 *
 * Covers sequence numbering, wraparound, overflow reporting to slow readers,
 * independent cursors, the exact line format, and strict parsing of good,
 * truncated and hostile lines. Single-threaded; each test owns its log.
 */
#include "harness.h"
#include "event_log.h"

/* Calls fn on a string literal with its length, embedded NULs included. */
#define PARSE(fn, str, ...) fn((str), sizeof(str) - 1, __VA_ARGS__)

static struct sym_event make_event(enum sym_event_kind kind, u16 domid, s32 prev)
{
	struct sym_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.seq = 999;	/* must be ignored by append */
	ev.ts_ns = 1000000000ULL + domid;
	ev.kind = kind;
	ev.domid = domid;
	ev.prev_domid = prev;
	strcpy(ev.uuid, "6f1b2a3c-0d4e-4f50-8a9b-0c1d2e3f4a5b");
	snprintf(ev.name, sizeof(ev.name), "vm-%u", domid);
	return ev;
}

TEST(sequence_starts_at_one)
{
	struct sym_event slots[4], out;
	struct sym_event_log log;
	struct sym_event ev = make_event(SYM_EV_JOIN, 3, -1);
	u64 cursor = 0, lost = 77;

	sym_event_log_init(&log, slots, 4);
	ASSERT_EQ(0, sym_event_log_last_seq(&log));
	ASSERT_EQ(0, sym_event_log_read(&log, &cursor, &out, &lost));
	ASSERT_EQ(0, lost);
	ASSERT_EQ(1, sym_event_log_append(&log, &ev));
	ASSERT_EQ(2, sym_event_log_append(&log, &ev));
	ASSERT_EQ(2, sym_event_log_last_seq(&log));

	ASSERT_EQ(1, sym_event_log_read(&log, &cursor, &out, &lost));
	ASSERT_EQ(1, out.seq);
	ASSERT_EQ(0, lost);
	ASSERT_EQ(3, out.domid);
	ASSERT_STREQ("vm-3", out.name);
	ASSERT_EQ(1, sym_event_log_read(&log, &cursor, &out, &lost));
	ASSERT_EQ(2, out.seq);
	ASSERT_EQ(0, sym_event_log_read(&log, &cursor, &out, &lost));
	ASSERT_EQ(3, cursor);
}

TEST(wraparound_keeps_newest)
{
	struct sym_event slots[3], out;
	struct sym_event_log log;
	u64 cursor, lost;
	u16 d;

	sym_event_log_init(&log, slots, 3);
	for (d = 1; d <= 10; d++) {
		struct sym_event ev = make_event(SYM_EV_JOIN, d, -1);

		ASSERT_EQ(d, sym_event_log_append(&log, &ev));
		ASSERT_TRUE(log.count <= 3);
	}
	ASSERT_EQ(10, sym_event_log_last_seq(&log));
	cursor = 8;
	for (d = 8; d <= 10; d++) {
		ASSERT_EQ(1, sym_event_log_read(&log, &cursor, &out, &lost));
		ASSERT_EQ(0, lost);
		ASSERT_EQ(d, out.seq);
		ASSERT_EQ(d, out.domid);
	}
	ASSERT_EQ(0, sym_event_log_read(&log, &cursor, &out, &lost));
	ASSERT_EQ(11, cursor);
}

TEST(slow_reader_gets_overflow_count_once)
{
	struct sym_event slots[4], out;
	struct sym_event_log log;
	u64 cursor = 0, lost = 0;
	int i;

	sym_event_log_init(&log, slots, 4);
	for (i = 0; i < 10; i++) {
		struct sym_event ev = make_event(SYM_EV_LEAVE, i, -1);

		sym_event_log_append(&log, &ev);
	}
	/* seqs 1..6 were overwritten; 7..10 remain. */
	ASSERT_EQ(1, sym_event_log_read(&log, &cursor, &out, &lost));
	ASSERT_EQ(6, lost);
	ASSERT_EQ(7, out.seq);
	ASSERT_EQ(8, cursor);
	ASSERT_EQ(1, sym_event_log_read(&log, &cursor, &out, &lost));
	ASSERT_EQ(0, lost);
	ASSERT_EQ(8, out.seq);

	cursor = 3;
	ASSERT_EQ(1, sym_event_log_read(&log, &cursor, &out, &lost));
	ASSERT_EQ(4, lost);
	ASSERT_EQ(7, out.seq);

	/* Reader from the future sees nothing and keeps its cursor. */
	cursor = 50;
	ASSERT_EQ(0, sym_event_log_read(&log, &cursor, &out, &lost));
	ASSERT_EQ(0, lost);
	ASSERT_EQ(50, cursor);
}

TEST(independent_readers_and_long_run)
{
	static struct sym_event slots[16];
	struct sym_event_log log;
	struct sym_event out;
	u64 fast = 0, slow = 0, lost, total_lost = 0, seen = 0, expect = 1;
	int i;

	sym_event_log_init(&log, slots, 16);
	for (i = 0; i < 10000; i++) {
		struct sym_event ev = make_event(SYM_EV_MIGRATE_OUT, i % 100, -1);

		sym_event_log_append(&log, &ev);
		ASSERT_EQ(1, sym_event_log_read(&log, &fast, &out, &lost));
		ASSERT_EQ(0, lost);
		ASSERT_EQ((u64)i + 1, out.seq);
		if (i % 97 == 0) {
			while (sym_event_log_read(&log, &slow, &out, &lost)) {
				total_lost += lost;
				if (lost)
					expect += lost;
				ASSERT_EQ(expect, out.seq);
				expect++;
				seen++;
			}
		}
	}
	while (sym_event_log_read(&log, &slow, &out, &lost)) {
		total_lost += lost;
		seen++;
	}
	ASSERT_EQ(10000, seen + total_lost);
	ASSERT_EQ(10000, sym_event_log_last_seq(&log));
}

/* How many records of domid the log keeps. */
static u32 held_by(const struct sym_event_log *log, u16 domid)
{
	struct sym_event out;
	u64 cursor = 0, lost;
	u32 n = 0;

	while (sym_event_log_read(log, &cursor, &out, &lost))
		n += out.domid == domid;
	return n;
}

/* times records from each of the domains first..last, in turn. */
static void append_from(struct sym_event_log *log, u16 first, u16 last, int times)
{
	int i;
	u16 d;

	for (i = 0; i < times; i++) {
		for (d = first; d <= last; d++) {
			struct sym_event ev = make_event(SYM_EV_JOIN, d, -1);

			sym_event_log_append(log, &ev);
		}
	}
}

TEST(a_flooding_domain_recycles_its_own_records)
{
	static struct sym_event slots[64];
	struct sym_event_log log;
	struct sym_event out;
	u64 cursor = 0, lost;
	u16 d;

	sym_event_log_init(&log, slots, 64);
	append_from(&log, 1, 10, 1);
	append_from(&log, 99, 99, 10000);
	ASSERT_EQ(64, log.count);
	ASSERT_EQ(10010, sym_event_log_last_seq(&log));
	ASSERT_EQ(1, sym_event_log_first_seq(&log));
	/* The ten others first, untouched, then the flood's newest 54. */
	for (d = 1; d <= 10; d++) {
		ASSERT_EQ(1, sym_event_log_read(&log, &cursor, &out, &lost));
		ASSERT_EQ(0, lost);
		ASSERT_EQ(d, out.seq);
		ASSERT_EQ(d, out.domid);
	}
	ASSERT_EQ(1, sym_event_log_read(&log, &cursor, &out, &lost));
	ASSERT_EQ(10000 - 54, lost);
	ASSERT_EQ(10010 - 53, out.seq);
	ASSERT_EQ(99, out.domid);
	ASSERT_EQ(54, held_by(&log, 99));
}

TEST(a_flood_pushes_out_at_most_one_share_of_others)
{
	static struct sym_event slots[64];
	struct sym_event_log log;
	u16 d;

	sym_event_log_init(&log, slots, 64);
	append_from(&log, 1, 64, 1);
	append_from(&log, 500, 500, 5000);
	/* Its share is 64 / 8: until then it took the oldest, 1..8. */
	ASSERT_EQ(64 / SYM_EVENT_LOG_SHARE, held_by(&log, 500));
	for (d = 1; d <= 64; d++)
		ASSERT_EQ(d > 64 / SYM_EVENT_LOG_SHARE, held_by(&log, d));
	ASSERT_EQ(64 / SYM_EVENT_LOG_SHARE + 1, sym_event_log_first_seq(&log));

	/* Another domain under its share still ages out the oldest. */
	{
		struct sym_event ev = make_event(SYM_EV_JOIN, 700, -1);

		sym_event_log_append(&log, &ev);
	}
	ASSERT_EQ(0, held_by(&log, 9));
	ASSERT_EQ(1, held_by(&log, 700));
}

TEST(readers_account_for_every_gap)
{
	static struct sym_event slots[32];
	struct sym_event_log log;
	struct sym_event out;
	u64 fast = 0, slow = 0, lost, seen = 0, dropped = 0, last = 0;
	u32 rng = 7;
	int i;

	sym_event_log_init(&log, slots, 32);
	for (i = 0; i < 20000; i++) {
		struct sym_event ev;

		rng = rng * 1103515245u + 12345u;
		/* Two floods and a trickle of 50 others. */
		ev = make_event(SYM_EV_JOIN, (rng >> 16) % 4 ? (rng >> 8) % 2 : 10 + (rng >> 20) % 50, -1);
		sym_event_log_append(&log, &ev);
		ASSERT_EQ(1, sym_event_log_read(&log, &fast, &out, &lost));
		ASSERT_EQ(0, lost);
		ASSERT_EQ((u64)i + 1, out.seq);
		if ((rng >> 4) % 61 == 0) {
			while (sym_event_log_read(&log, &slow, &out, &lost)) {
				ASSERT_EQ(last + lost + 1, out.seq);
				last = out.seq;
				dropped += lost;
				seen++;
			}
			ASSERT_EQ(last + 1, slow);
		}
	}
	while (sym_event_log_read(&log, &slow, &out, &lost)) {
		ASSERT_EQ(last + lost + 1, out.seq);
		last = out.seq;
		dropped += lost;
		seen++;
	}
	ASSERT_EQ(0, lost);
	ASSERT_EQ(20000, seen + dropped);
	ASSERT_TRUE(log.count == 32);
}

TEST(zero_capacity_log_loses_everything)
{
	struct sym_event_log log;
	struct sym_event ev = make_event(SYM_EV_JOIN, 1, -1), out;
	u64 cursor = 0, lost;

	sym_event_log_init(&log, NULL, 0);
	ASSERT_EQ(1, sym_event_log_append(&log, &ev));
	ASSERT_EQ(2, sym_event_log_append(&log, &ev));
	ASSERT_EQ(0, sym_event_log_read(&log, &cursor, &out, &lost));
	ASSERT_EQ(2, lost);
	ASSERT_EQ(3, cursor);
}

TEST(kind_names)
{
	ASSERT_STREQ("join", sym_event_kind_name(SYM_EV_JOIN));
	ASSERT_STREQ("leave", sym_event_kind_name(SYM_EV_LEAVE));
	ASSERT_STREQ("migrate-out", sym_event_kind_name(SYM_EV_MIGRATE_OUT));
	ASSERT_STREQ("migrate-in", sym_event_kind_name(SYM_EV_MIGRATE_IN));
	ASSERT_STREQ("lost", sym_event_kind_name(SYM_EV_LOST));
	ASSERT_STREQ("merged", sym_event_kind_name(SYM_EV_MERGED));
	ASSERT_STREQ("invalid", sym_event_kind_name((enum sym_event_kind)6));
}

TEST(format_exact_line)
{
	struct sym_event ev = make_event(SYM_EV_MIGRATE_IN, 12, 7);
	char buf[SYM_EVENT_LINE_MAX];
	const char *want =
		"seq=42 ts=1000000012 kind=migrate-in domid=12 prev=7 uuid=6f1b2a3c-0d4e-4f50-8a9b-0c1d2e3f4a5b name=vm-12\n";

	ev.seq = 42;
	ASSERT_EQ(strlen(want), sym_event_format(&ev, buf, sizeof(buf)));
	ASSERT_STREQ(want, buf);

	ev = make_event(SYM_EV_JOIN, 0, -1);
	ev.seq = 1;
	ev.ts_ns = 0;
	ASSERT_TRUE(sym_event_format(&ev, buf, sizeof(buf)) > 0);
	ASSERT_STREQ("seq=1 ts=0 kind=join domid=0 prev=- uuid=6f1b2a3c-0d4e-4f50-8a9b-0c1d2e3f4a5b name=vm-0\n",
		     buf);
}

TEST(format_longest_line_fits)
{
	struct sym_event ev = make_event(SYM_EV_MIGRATE_OUT, 32751, 32751);
	char buf[SYM_EVENT_LINE_MAX];
	int len;

	ev.seq = UINT64_MAX;
	ev.ts_ns = UINT64_MAX;
	memset(ev.name, 'n', 64);
	ev.name[64] = '\0';
	len = sym_event_format(&ev, buf, sizeof(buf));
	ASSERT_TRUE(len > 200);
	ASSERT_TRUE(len < SYM_EVENT_LINE_MAX);
	ASSERT_TRUE(strstr(buf, "seq=18446744073709551615 ts=18446744073709551615 ") == buf);
}

TEST(format_too_small_buffer)
{
	struct sym_event ev = make_event(SYM_EV_LOST, 5, -1);
	char buf[SYM_EVENT_LINE_MAX];
	int len;

	len = sym_event_format(&ev, buf, sizeof(buf));
	ASSERT_TRUE(len > 0);
	/* Exactly enough needs room for the NUL as well. */
	ASSERT_EQ(-ENOSPC, sym_event_format(&ev, buf, len));
	ASSERT_EQ(len, sym_event_format(&ev, buf, len + 1));
	ASSERT_EQ(-ENOSPC, sym_event_format(&ev, buf, 0));
	ASSERT_EQ(-ENOSPC, sym_event_format(&ev, NULL, 0));
	ASSERT_EQ(-ENOSPC, sym_event_format_overflow(1, 2, buf, 5));
}

TEST(format_neutralises_hostile_strings)
{
	struct sym_event ev = make_event(SYM_EV_JOIN, 5, -1), back;
	char buf[SYM_EVENT_LINE_MAX];
	int len;

	strcpy(ev.name, "evil\nseq=1 kind=join");
	memset(ev.uuid, 'Z', sizeof(ev.uuid));	/* not even NUL-terminated */
	len = sym_event_format(&ev, buf, sizeof(buf));
	ASSERT_TRUE(len > 0);
	ASSERT_TRUE(memchr(buf, '\n', len - 1) == NULL);
	ASSERT_EQ('\n', buf[len - 1]);
	ASSERT_TRUE(strstr(buf, "uuid=???????????????????????????????????? name=evil?seq?1?kind?join\n") != NULL);
	ASSERT_EQ(-EINVAL, sym_event_parse(buf, len, &back));
}

TEST(format_overflow_line)
{
	char buf[64];
	u64 seq = 0, lost = 0;

	ASSERT_EQ(29, sym_event_format_overflow(5, 300, buf, sizeof(buf)));
	ASSERT_STREQ("seq=5 kind=overflow lost=300\n", buf);
	ASSERT_EQ(0, sym_event_parse_overflow(buf, strlen(buf), &seq, &lost));
	ASSERT_EQ(5, seq);
	ASSERT_EQ(300, lost);
}

TEST(parse_round_trip_all_kinds)
{
	enum sym_event_kind kind;
	char buf[SYM_EVENT_LINE_MAX];

	for (kind = SYM_EV_JOIN; kind <= SYM_EV_MERGED; kind++) {
		struct sym_event ev = make_event(kind, 100 + kind, kind == SYM_EV_MIGRATE_IN ? 9 : -1);
		struct sym_event back;
		int len;

		ev.seq = 1000 + kind;
		ev.merged = kind == SYM_EV_MERGED ? 2 : 0;
		len = sym_event_format(&ev, buf, sizeof(buf));
		ASSERT_TRUE(len > 0);
		memset(&back, 0xAA, sizeof(back));
		ASSERT_EQ(0, sym_event_parse(buf, len, &back));
		ASSERT_EQ(ev.seq, back.seq);
		ASSERT_EQ(ev.ts_ns, back.ts_ns);
		ASSERT_EQ(ev.kind, back.kind);
		ASSERT_EQ(ev.domid, back.domid);
		ASSERT_EQ(ev.prev_domid, back.prev_domid);
		ASSERT_STREQ(ev.uuid, back.uuid);
		ASSERT_STREQ(ev.name, back.name);
		ASSERT_EQ(ev.merged, back.merged);
		/* Without the newline too. */
		ASSERT_EQ(0, sym_event_parse(buf, len - 1, &back));
	}
}

TEST(format_merged_only_when_not_zero)
{
	struct sym_event ev = make_event(SYM_EV_LEAVE, 12, -1), back;
	char buf[SYM_EVENT_LINE_MAX];
	const char *want =
		"seq=42 ts=1000000012 kind=leave domid=12 prev=- uuid=6f1b2a3c-0d4e-4f50-8a9b-0c1d2e3f4a5b name=vm-12 merged=3\n";
	int len;

	ev.seq = 42;
	ASSERT_TRUE(sym_event_format(&ev, buf, sizeof(buf)) > 0);
	ASSERT_TRUE(strstr(buf, "merged") == NULL);

	ev.merged = 3;
	len = sym_event_format(&ev, buf, sizeof(buf));
	ASSERT_STREQ(want, buf);
	ASSERT_EQ(0, sym_event_parse(buf, len, &back));
	ASSERT_EQ(3, back.merged);
	ASSERT_EQ(SYM_EV_LEAVE, back.kind);
	ASSERT_STREQ("vm-12", back.name);

	ev.kind = SYM_EV_MERGED;
	ev.merged = UINT32_MAX;
	len = sym_event_format(&ev, buf, sizeof(buf));
	ASSERT_TRUE(strstr(buf, " kind=merged ") != NULL);
	ASSERT_TRUE(strstr(buf, " name=vm-12 merged=4294967295\n") != NULL);
	ASSERT_EQ(0, sym_event_parse(buf, len, &back));
	ASSERT_EQ(UINT32_MAX, back.merged);
}

TEST(format_longest_line_with_merged_fits)
{
	struct sym_event ev = make_event(SYM_EV_MIGRATE_OUT, 32751, 32751), back;
	char buf[SYM_EVENT_LINE_MAX];
	int len;

	ev.seq = UINT64_MAX;
	ev.ts_ns = UINT64_MAX;
	ev.merged = UINT32_MAX;
	memset(ev.name, 'n', 64);
	ev.name[64] = '\0';
	len = sym_event_format(&ev, buf, sizeof(buf));
	ASSERT_TRUE(len > 0);
	ASSERT_TRUE(len < SYM_EVENT_LINE_MAX);
	ASSERT_EQ(0, sym_event_parse(buf, len, &back));
	ASSERT_EQ(UINT32_MAX, back.merged);
	ASSERT_EQ(64, strlen(back.name));
}

TEST(parse_empty_uuid_and_name)
{
	struct sym_event ev;

	ASSERT_EQ(0, PARSE(sym_event_parse, "seq=3 ts=4 kind=lost domid=5 prev=- uuid= name=\n", &ev));
	ASSERT_STREQ("", ev.uuid);
	ASSERT_STREQ("", ev.name);
	ASSERT_EQ(SYM_EV_LOST, ev.kind);
	ASSERT_EQ(-1, ev.prev_domid);
}

TEST(parse_rejects_malformed_lines)
{
	static const char *const bad[] = {
		"",
		"\n",
		"seq=1",
		"seq=1 ts=2 kind=join domid=3 prev=- uuid= name=a b",
		"seq=1 ts=2 kind=join domid=3 prev=- uuid= name=a\n\n",
		"seq=1 ts=2 kind=join domid=3 prev=- uuid= name=a ",
		"seq=1 ts=2 kind=join domid=3 prev=- uuid= name=a\r\n",
		"seq=1  ts=2 kind=join domid=3 prev=- uuid= name=a",
		" seq=1 ts=2 kind=join domid=3 prev=- uuid= name=a",
		"seq=01 ts=2 kind=join domid=3 prev=- uuid= name=a",
		"seq=+1 ts=2 kind=join domid=3 prev=- uuid= name=a",
		"seq=18446744073709551616 ts=2 kind=join domid=3 prev=- uuid= name=a",
		"seq=1 ts=-2 kind=join domid=3 prev=- uuid= name=a",
		"seq=1 ts=2 kind=Join domid=3 prev=- uuid= name=a",
		"seq=1 ts=2 kind=overflow domid=3 prev=- uuid= name=a",
		"seq=1 ts=2 kind=join domid=32752 prev=- uuid= name=a",
		"seq=1 ts=2 kind=join domid=3 prev=32752 uuid= name=a",
		"seq=1 ts=2 kind=join domid=3 prev=-1 uuid= name=a",
		"seq=1 ts=2 kind=join domid=3 prev= uuid= name=a",
		"seq=1 ts=2 kind=join domid=3 prev=- uuid=6F1B2A3C-0D4E-4F50-8A9B-0C1D2E3F4A5B name=a",
		"seq=1 ts=2 kind=join domid=3 prev=- uuid=6f1b2a3c0d4e4f508a9b0c1d2e3f4a5b name=a",
		"seq=1 ts=2 kind=join domid=3 prev=- uuid= name=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		"seq=1 ts=2 kind=join domid=3 uuid= prev=- name=a",
		"ts=2 seq=1 kind=join domid=3 prev=- uuid= name=a",
		"seq=1 ts=2 kind=join domid=3 prev=- uuid= name=a extra=1",
		"seq=1 kind=overflow lost=3",
		"SEQ=1 ts=2 kind=join domid=3 prev=- uuid= name=a",
		"seq=1 ts=2 kind=merged domid=3 prev=- uuid= name=a",
		"seq=1 ts=2 kind=join domid=3 prev=- uuid= name=a merged=0",
		"seq=1 ts=2 kind=join domid=3 prev=- uuid= name=a merged=01",
		"seq=1 ts=2 kind=join domid=3 prev=- uuid= name=a merged=4294967296",
		"seq=1 ts=2 kind=join domid=3 prev=- uuid= name=a merged=",
		"seq=1 ts=2 kind=join domid=3 prev=- uuid= name=a merged=2 ",
		"seq=1 ts=2 kind=join domid=3 prev=- uuid= name=a merged=2 extra=1",
		"seq=1 ts=2 kind=join domid=3 prev=- uuid= name=a  merged=2",
		"seq=1 ts=2 kind=join domid=3 prev=- uuid= merged=2 name=a",
		"seq=1 ts=2 kind=join domid=3 prev=- uuid= name=a lost=2",
		"seq:1 ts=2 kind=join domid=3 prev=- uuid= name=a",
	};
	struct sym_event ev;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		int ret = sym_event_parse(bad[i], strlen(bad[i]), &ev);

		if (ret != -EINVAL)
			SYM_FAIL("# %s:%d line %u accepted: \"%s\"", __FILE__, __LINE__, i, bad[i]);
	}
	ASSERT_EQ(-EINVAL, sym_event_parse(NULL, 0, &ev));
	ASSERT_EQ(-EINVAL, PARSE(sym_event_parse, "seq=1 ts=2 kind=join domid=3 prev=- uuid= name=a\0", &ev));
	ASSERT_EQ(-EINVAL, PARSE(sym_event_parse, "seq=1 ts=2 kind=join domid=3\0prev=- uuid= name=a", &ev));
}

TEST(parse_rejects_huge_line)
{
	static char huge[4096];
	struct sym_event ev;
	u64 a, b;

	memset(huge, 'a', sizeof(huge));
	memcpy(huge, "seq=1 ts=2 kind=join domid=3 prev=- uuid= name=", 47);
	ASSERT_EQ(-EINVAL, sym_event_parse(huge, sizeof(huge), &ev));
	ASSERT_EQ(-EINVAL, sym_event_parse_overflow(huge, sizeof(huge), &a, &b));
}

TEST(parse_overflow_rejects_malformed)
{
	u64 seq = 9, lost = 9;

	ASSERT_EQ(0, PARSE(sym_event_parse_overflow, "seq=5 kind=overflow lost=0", &seq, &lost));
	ASSERT_EQ(-EINVAL, PARSE(sym_event_parse_overflow, "seq=5 kind=join lost=1", &seq, &lost));
	ASSERT_EQ(-EINVAL, PARSE(sym_event_parse_overflow, "seq=5 kind=overflow lost=01", &seq, &lost));
	ASSERT_EQ(-EINVAL, PARSE(sym_event_parse_overflow, "seq=5 kind=overflow lost=1 ", &seq, &lost));
	ASSERT_EQ(-EINVAL, PARSE(sym_event_parse_overflow, "seq=5 kind=overflow", &seq, &lost));
	ASSERT_EQ(-EINVAL, PARSE(sym_event_parse_overflow, "seq=5 kind=overflowx lost=1", &seq, &lost));
	ASSERT_EQ(-EINVAL, sym_event_parse_overflow(NULL, 0, &seq, &lost));
	ASSERT_EQ(5, seq);
	ASSERT_EQ(0, lost);
}
