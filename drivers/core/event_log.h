/* SPDX-License-Identifier: GPL-2.0 */
/*
 * event_log.h - bounded log of membership events with sequence numbers,
 * and the one-line text form of a record (Documentation/protocol.md).
 *
 * Data flow: the membership code (dom0) or the peer diff (guest) appends
 * records; every reader owns a cursor (the next seq it wants) and pulls
 * records with sym_event_log_read(), formatting each with sym_event_format().
 * When the log wrapped past a reader it gets the number of lost records
 * once, for an overflow line, then continues at the oldest record kept.
 * Userspace tools parse the lines back with sym_event_parse().
 *
 * Locking/lifetime: pure code, caller serialises (one lock around append
 * and read). The caller owns the slots array for the log's lifetime.
 */
#ifndef SYM_EVENT_LOG_H
#define SYM_EVENT_LOG_H

#include "sym_compat.h"

/* Longest formatted record plus NUL, rounded up. */
#define SYM_EVENT_LINE_MAX	256

enum sym_event_kind {
	SYM_EV_JOIN,
	SYM_EV_LEAVE,
	SYM_EV_MIGRATE_OUT,
	SYM_EV_MIGRATE_IN,
	SYM_EV_LOST,
	/*
	 * None of the above: the domain's state is where dom0 last saw it,
	 * but it announced and undid changes between two of dom0's looks
	 * (merged says how many).
	 */
	SYM_EV_MERGED,
};

struct sym_event {
	u64 seq;
	u64 ts_ns;
	enum sym_event_kind kind;
	u16 domid;
	s32 prev_domid;	/* -1 if none */
	char uuid[37];	/* empty if unknown */
	char name[65];	/* empty if unknown */
	/*
	 * Transitions the domain announced that dom0 saw only as this record
	 * (its coalescing folded them into it), by the domain's own count;
	 * 0 if none. Never 0 for SYM_EV_MERGED.
	 */
	u32 merged;
};

/*
 * Once the log is full, a domain holding capacity / SYM_EVENT_LOG_SHARE of
 * its records replaces its own oldest record, never another domain's.
 */
#define SYM_EVENT_LOG_SHARE	8

/*
 * slots[head] is the oldest of count records (count <= capacity); seqs
 * grow along the ring, with gaps where a record was dropped.
 */
struct sym_event_log {
	u64 next_seq;
	u32 capacity;
	u32 head;
	u32 count;
	struct sym_event *slots;
};

/* The first record appended gets seq 1. */
void sym_event_log_init(struct sym_event_log *log, struct sym_event *slots, u32 capacity);
/*
 * Copies *ev in (ignoring ev->seq). When full it first drops the oldest
 * record, or ev->domid's own oldest if that domain holds its share.
 */
u64 sym_event_log_append(struct sym_event_log *log, const struct sym_event *ev);
/*
 * Copies the oldest record with seq >= *cursor into *out and moves *cursor
 * past it; returns 1, or 0 if there is none yet. *lost is set to 0, or, if
 * records from *cursor on were dropped (before *out, or before the next
 * record to come when it returns 0), to how many: the caller then emits
 * sym_event_format_overflow(first lost seq = the cursor it passed in,
 * *lost) before *out. A cursor of 0 means "from the start".
 * To survive a short user buffer, work on a copy of the cursor and store it
 * back once the text has been delivered.
 */
int sym_event_log_read(const struct sym_event_log *log, u64 *cursor,
		       struct sym_event *out, u64 *lost);
/* The seq of the oldest record kept; the next one's if the log is empty. */
u64 sym_event_log_first_seq(const struct sym_event_log *log);
/* 0 if nothing was ever appended. */
u64 sym_event_log_last_seq(const struct sym_event_log *log);

/*
 * "join", "leave", "migrate-out", "migrate-in", "lost", "merged"; "invalid"
 * else.
 */
const char *sym_event_kind_name(enum sym_event_kind kind);

/*
 * "seq=<u64> ts=<ns> kind=<kind> domid=<d> prev=<d or -> uuid=<uuid>
 * name=<name>[ merged=<n>]\n" (one line, merged only if not 0) plus NUL.
 * Bytes of uuid or name outside their grammar are written as '?' so a
 * record can never forge a line. Returns the length without the NUL, or
 * -ENOSPC if len is too small.
 */
int sym_event_format(const struct sym_event *ev, char *buf, size_t len);
/* "seq=<seq> kind=overflow lost=<lost>\n" plus NUL; length or -ENOSPC. */
int sym_event_format_overflow(u64 seq, u64 lost, char *buf, size_t len);

/*
 * Inverse of sym_event_format() for one line, with or without its final
 * '\n'. Strict: fields in order, single spaces, canonical numbers, known
 * kind, domids in range, lower-case canonical uuid or empty, valid name or
 * empty, merged absent (0) or 1..U32_MAX and present for kind merged.
 * 0 or -EINVAL (also for an overflow line); *out written on success.
 */
int sym_event_parse(const char *line, size_t len, struct sym_event *out);
/* Parses an overflow line; 0 or -EINVAL. */
int sym_event_parse_overflow(const char *line, size_t len, u64 *seq, u64 *lost);

#endif /* SYM_EVENT_LOG_H */
