// SPDX-License-Identifier: GPL-2.0
/*
 * event_log.c - ring buffer of membership events and their text form.
 *
 * The ring keeps capacity records in seq order; seq numbers grow by one per
 * append and are never reused. When it is full, an append drops the
 * oldest record, unless the appending domain already holds its share
 * (capacity / SYM_EVENT_LOG_SHARE): then it drops that domain's own
 * oldest, shifting the older records of others up by one slot (O(capacity)
 * per append, only when full). So kept seqs can have gaps; a reader finds
 * its place by binary search, and everything between its cursor and the
 * next record kept is what it lost. Formatting
 * writes into a caller buffer through a small bounded writer; parsing walks
 * "key=value" fields in their fixed order and reuses the xs_parse grammars.
 *
 * Locking/lifetime: caller serialises; no allocation.
 */
#include "event_log.h"
#include "xs_parse.h"

void sym_event_log_init(struct sym_event_log *log, struct sym_event *slots, u32 capacity)
{
	log->next_seq = 1;
	log->capacity = capacity;
	log->head = 0;
	log->count = 0;
	log->slots = slots;
}
SYM_EXPORT(sym_event_log_init);

static struct sym_event *sym_event_log_at(const struct sym_event_log *log, u32 k)
{
	return &log->slots[(log->head + k) % log->capacity];
}

/*
 * The full log's record to drop for one of domid's: that domain's own
 * oldest once it holds its share, else the oldest of all. A domain that
 * floods the log thus recycles its own records and, once at its share,
 * never pushes out another domain's.
 */
static u32 sym_event_log_victim(const struct sym_event_log *log, u16 domid)
{
	u32 share = log->capacity / SYM_EVENT_LOG_SHARE;
	u32 k, held = 0, own_oldest = 0;

	for (k = 0; k < log->count; k++) {
		if (sym_event_log_at(log, k)->domid != domid)
			continue;
		if (!held++)
			own_oldest = k;
	}
	return held && held >= share ? own_oldest : 0;
}

/* Drops the record k places after the oldest; the others keep their order. */
static void sym_event_log_drop(struct sym_event_log *log, u32 k)
{
	for (; k; k--)
		*sym_event_log_at(log, k) = *sym_event_log_at(log, k - 1);
	log->head = (log->head + 1) % log->capacity;
	log->count--;
}

u64 sym_event_log_append(struct sym_event_log *log, const struct sym_event *ev)
{
	struct sym_event *slot;

	if (!log->capacity)
		return log->next_seq++;	/* nowhere to keep it: lost at once */
	if (log->count == log->capacity)
		sym_event_log_drop(log, sym_event_log_victim(log, ev->domid));
	slot = sym_event_log_at(log, log->count);
	log->count++;
	*slot = *ev;
	slot->seq = log->next_seq++;
	return slot->seq;
}
SYM_EXPORT(sym_event_log_append);

int sym_event_log_read(const struct sym_event_log *log, u64 *cursor,
		       struct sym_event *out, u64 *lost)
{
	u64 want = *cursor ? *cursor : 1;
	u32 lo = 0, hi = log->count, mid;

	/* The first record kept with seq >= want: seqs grow along the ring. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (sym_event_log_at(log, mid)->seq < want)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == log->count) {
		*lost = want < log->next_seq ? log->next_seq - want : 0;
		*cursor = want + *lost;
		return 0;
	}
	*out = *sym_event_log_at(log, lo);
	*lost = out->seq - want;
	*cursor = out->seq + 1;
	return 1;
}
SYM_EXPORT(sym_event_log_read);

u64 sym_event_log_first_seq(const struct sym_event_log *log)
{
	return log->count ? log->slots[log->head].seq : log->next_seq;
}
SYM_EXPORT(sym_event_log_first_seq);

u64 sym_event_log_last_seq(const struct sym_event_log *log)
{
	return log->next_seq - 1;
}

static const char *const sym_event_kind_names[] = {
	[SYM_EV_JOIN] = "join",
	[SYM_EV_LEAVE] = "leave",
	[SYM_EV_MIGRATE_OUT] = "migrate-out",
	[SYM_EV_MIGRATE_IN] = "migrate-in",
	[SYM_EV_LOST] = "lost",
	[SYM_EV_MERGED] = "merged",
};

const char *sym_event_kind_name(enum sym_event_kind kind)
{
	if ((unsigned int)kind >= ARRAY_SIZE(sym_event_kind_names))
		return "invalid";
	return sym_event_kind_names[kind];
}
SYM_EXPORT(sym_event_kind_name);

/* Bounded appender: pos keeps counting past len so overflow is detected. */
struct sym_line {
	char *buf;
	size_t len;
	size_t pos;
};

static void sym_line_putc(struct sym_line *line, char c)
{
	if (line->pos < line->len)
		line->buf[line->pos] = c;
	line->pos++;
}

static void sym_line_puts(struct sym_line *line, const char *s)
{
	while (*s)
		sym_line_putc(line, *s++);
}

static void sym_line_put_u64(struct sym_line *line, u64 value)
{
	char digits[20];
	int n = 0;

	do {
		digits[n++] = '0' + (char)(value % 10);
		value /= 10;
	} while (value);
	while (n)
		sym_line_putc(line, digits[--n]);
}

static bool sym_uuid_char_ok(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-';
}

static bool sym_name_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

/* Writes at most max bytes of s up to its NUL, replacing bytes not ok. */
static void sym_line_put_field(struct sym_line *line, const char *s, size_t max,
			       bool (*char_ok)(char c))
{
	size_t i;

	for (i = 0; i < max && s[i]; i++)
		sym_line_putc(line, char_ok(s[i]) ? s[i] : '?');
}

static int sym_line_finish(struct sym_line *line)
{
	if (line->pos >= line->len)
		return -ENOSPC;
	line->buf[line->pos] = '\0';
	return (int)line->pos;
}

int sym_event_format(const struct sym_event *ev, char *buf, size_t len)
{
	struct sym_line line = { buf, len, 0 };

	sym_line_puts(&line, "seq=");
	sym_line_put_u64(&line, ev->seq);
	sym_line_puts(&line, " ts=");
	sym_line_put_u64(&line, ev->ts_ns);
	sym_line_puts(&line, " kind=");
	sym_line_puts(&line, sym_event_kind_name(ev->kind));
	sym_line_puts(&line, " domid=");
	sym_line_put_u64(&line, ev->domid);
	sym_line_puts(&line, " prev=");
	if (ev->prev_domid < 0)
		sym_line_putc(&line, '-');
	else
		sym_line_put_u64(&line, (u64)ev->prev_domid);
	sym_line_puts(&line, " uuid=");
	sym_line_put_field(&line, ev->uuid, sizeof(ev->uuid) - 1, sym_uuid_char_ok);
	sym_line_puts(&line, " name=");
	sym_line_put_field(&line, ev->name, sizeof(ev->name) - 1, sym_name_char_ok);
	if (ev->merged) {
		sym_line_puts(&line, " merged=");
		sym_line_put_u64(&line, ev->merged);
	}
	sym_line_putc(&line, '\n');
	return sym_line_finish(&line);
}
SYM_EXPORT(sym_event_format);

int sym_event_format_overflow(u64 seq, u64 lost, char *buf, size_t len)
{
	struct sym_line line = { buf, len, 0 };

	sym_line_puts(&line, "seq=");
	sym_line_put_u64(&line, seq);
	sym_line_puts(&line, " kind=overflow lost=");
	sym_line_put_u64(&line, lost);
	sym_line_putc(&line, '\n');
	return sym_line_finish(&line);
}
SYM_EXPORT(sym_event_format_overflow);

/* Read cursor over one line; fields are "key=value" separated by ' '. */
struct sym_fields {
	const char *pos;
	const char *end;
};

/*
 * Consumes "<key>=<value>" plus the following ' ' (or, for the last field,
 * the end of the line) and returns the value bounds.
 */
static int sym_take_field(struct sym_fields *f, const char *key, bool last,
			  const char **value, size_t *value_len)
{
	size_t key_len = strlen(key);
	const char *stop;

	if ((size_t)(f->end - f->pos) < key_len + 1 ||
	    memcmp(f->pos, key, key_len) || f->pos[key_len] != '=')
		return -EINVAL;
	f->pos += key_len + 1;
	if (last) {
		stop = f->end;
	} else {
		stop = memchr(f->pos, ' ', f->end - f->pos);
		if (!stop)
			return -EINVAL;
	}
	*value = f->pos;
	*value_len = stop - f->pos;
	f->pos = last ? stop : stop + 1;
	return 0;
}

static int sym_fields_init(struct sym_fields *f, const char *line, size_t len)
{
	if (!line || len > SYM_EVENT_LINE_MAX)
		return -EINVAL;
	if (len && line[len - 1] == '\n')
		len--;
	f->pos = line;
	f->end = line + len;
	return 0;
}

static int sym_parse_kind(const char *s, size_t len, enum sym_event_kind *out)
{
	unsigned int kind;

	for (kind = 0; kind < ARRAY_SIZE(sym_event_kind_names); kind++) {
		const char *word = sym_event_kind_names[kind];

		if (len == strlen(word) && !memcmp(s, word, len)) {
			*out = (enum sym_event_kind)kind;
			return 0;
		}
	}
	return -EINVAL;
}

int sym_event_parse(const char *line, size_t len, struct sym_event *out)
{
	struct sym_fields f;
	struct sym_event ev;
	bool has_merged;
	const char *v;
	u64 merged;
	size_t vlen;
	u16 domid;

	memset(&ev, 0, sizeof(ev));
	if (sym_fields_init(&f, line, len))
		return -EINVAL;

	if (sym_take_field(&f, "seq", false, &v, &vlen) ||
	    sym_parse_u64(v, vlen, &ev.seq))
		return -EINVAL;
	if (sym_take_field(&f, "ts", false, &v, &vlen) ||
	    sym_parse_u64(v, vlen, &ev.ts_ns))
		return -EINVAL;
	if (sym_take_field(&f, "kind", false, &v, &vlen) ||
	    sym_parse_kind(v, vlen, &ev.kind))
		return -EINVAL;
	if (sym_take_field(&f, "domid", false, &v, &vlen) ||
	    sym_parse_domid(v, vlen, &ev.domid))
		return -EINVAL;

	if (sym_take_field(&f, "prev", false, &v, &vlen))
		return -EINVAL;
	if (vlen == 1 && v[0] == '-') {
		ev.prev_domid = -1;
	} else {
		if (sym_parse_domid(v, vlen, &domid))
			return -EINVAL;
		ev.prev_domid = domid;
	}

	if (sym_take_field(&f, "uuid", false, &v, &vlen))
		return -EINVAL;
	if (vlen) {
		/* sym_parse_uuid lower-cases; the text form must already be. */
		if (sym_parse_uuid(v, vlen, ev.uuid) || memcmp(ev.uuid, v, vlen))
			return -EINVAL;
	}

	/* A name has no space: one after it starts the optional merged. */
	has_merged = memchr(f.pos, ' ', f.end - f.pos) != NULL;
	if (sym_take_field(&f, "name", !has_merged, &v, &vlen))
		return -EINVAL;
	if (vlen && sym_parse_name(v, vlen, ev.name, sizeof(ev.name)))
		return -EINVAL;

	if (has_merged) {
		if (sym_take_field(&f, "merged", true, &v, &vlen) ||
		    sym_parse_u64(v, vlen, &merged) || !merged || merged > U32_MAX)
			return -EINVAL;
		ev.merged = (u32)merged;
	}
	if (ev.kind == SYM_EV_MERGED && !ev.merged)
		return -EINVAL;

	*out = ev;
	return 0;
}

int sym_event_parse_overflow(const char *line, size_t len, u64 *seq, u64 *lost)
{
	struct sym_fields f;
	u64 parsed_seq, parsed_lost;
	const char *v;
	size_t vlen;

	if (sym_fields_init(&f, line, len))
		return -EINVAL;
	if (sym_take_field(&f, "seq", false, &v, &vlen) ||
	    sym_parse_u64(v, vlen, &parsed_seq))
		return -EINVAL;
	if (sym_take_field(&f, "kind", false, &v, &vlen) ||
	    vlen != strlen("overflow") || memcmp(v, "overflow", vlen))
		return -EINVAL;
	if (sym_take_field(&f, "lost", true, &v, &vlen) ||
	    sym_parse_u64(v, vlen, &parsed_lost))
		return -EINVAL;
	*seq = parsed_seq;
	*lost = parsed_lost;
	return 0;
}
