// SPDX-License-Identifier: GPL-2.0
/*
 * The "events" subcommand.
 *
 * Each line of the event device is one record, parsed strictly by the
 * kernel's own parser (drivers/core/event_log.c), in the form fixed by
 * Documentation/protocol.md:
 *
 *   seq=<u64> ts=<ns> kind=<kind> domid=<d> prev=<d|-> uuid=<uuid> name=<name>[ merged=<n>]
 *   seq=<u64> kind=overflow lost=<count>
 *
 * Single spaces, canonical decimals, no extra fields. A line that does not
 * match is an error naming the device, never printed as if it were valid.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "symbiont.h"

#define EV_FMT "%-6s  %-20s  %-11s  %-5s  %-5s  %-36s  %-16s  %s\n"

static void event_human(const struct sym_event *ev)
{
	char seq[24], ts[32], domid[12], prev[12], merged[12];

	snprintf(seq, sizeof(seq), "%" PRIu64, ev->seq);
	snprintf(ts, sizeof(ts), "%" PRIu64 ".%09" PRIu64,
		 ev->ts_ns / 1000000000, ev->ts_ns % 1000000000);
	snprintf(domid, sizeof(domid), "%u", ev->domid);
	if (ev->prev_domid >= 0)
		snprintf(prev, sizeof(prev), "%d", ev->prev_domid);
	else
		strcpy(prev, "-");
	if (ev->merged)
		snprintf(merged, sizeof(merged), "%u", ev->merged);
	else
		strcpy(merged, "-");
	printf(EV_FMT, seq, ts, sym_event_kind_name(ev->kind), domid, prev,
	       sym_dash(ev->uuid), sym_dash(ev->name), merged);
}

static void event_json(const struct sym_event *ev)
{
	FILE *f = stdout;

	fputc('{', f);
	json_key(f, "seq", true);
	fprintf(f, "%" PRIu64, ev->seq);
	json_key(f, "kind", false);
	json_str(f, sym_event_kind_name(ev->kind));
	json_key(f, "ts", false);
	fprintf(f, "%" PRIu64, ev->ts_ns);
	json_key(f, "domid", false);
	fprintf(f, "%u", ev->domid);
	json_key(f, "prev", false);
	if (ev->prev_domid >= 0)
		fprintf(f, "%d", ev->prev_domid);
	else
		fputs("null", f);
	json_key(f, "uuid", false);
	json_str_or_null(f, ev->uuid);
	json_key(f, "name", false);
	json_str_or_null(f, ev->name);
	json_key(f, "merged", false);
	fprintf(f, "%u", ev->merged);
	fputs("}\n", f);
}

/* An overflow line: lost records, the first of them numbered seq. */
static void overflow_human(u64 seq, u64 lost)
{
	char s[24];

	snprintf(s, sizeof(s), "%" PRIu64, seq);
	printf("%-6s  %-20s  %-11s  %" PRIu64 " records lost\n", s, "-",
	       "overflow", lost);
}

static void overflow_json(u64 seq, u64 lost)
{
	FILE *f = stdout;

	fputc('{', f);
	json_key(f, "seq", true);
	fprintf(f, "%" PRIu64, seq);
	json_key(f, "kind", false);
	json_str(f, "overflow");
	json_key(f, "lost", false);
	fprintf(f, "%" PRIu64, lost);
	fputs("}\n", f);
}

struct print_ctx {
	const struct sym_opts *o;
	const char *path;
};

static int print_line(const char *line, void *arg)
{
	struct print_ctx *c = arg;
	size_t len = strlen(line);
	struct sym_event ev;
	u64 seq, lost;
	char q[96];

	if (!sym_event_parse(line, len, &ev)) {
		if (c->o->json)
			event_json(&ev);
		else
			event_human(&ev);
	} else if (!sym_event_parse_overflow(line, len, &seq, &lost)) {
		if (c->o->json)
			overflow_json(seq, lost);
		else
			overflow_human(seq, lost);
	} else {
		json_escape(q, sizeof(q), line, 64);
		sym_err("%s: malformed record \"%s\"%s", c->path, q,
			len > 64 ? "..." : "");
		return -1;
	}
	return sym_flush_stdout();
}

/*
 * --follow: block in poll() on the device; a regular file standing in for
 * it is always readable, so re-check it every SYM_FALLBACK_MS instead.
 */
static int follow(struct sym_evdev *dev, struct print_ctx *c)
{
	struct pollfd pfd = { .fd = dev->fd, .events = POLLIN };
	int r;

	for (;;) {
		if (dev->is_chr)
			r = sym_wait(&pfd, 1, -1);
		else
			r = sym_wait(NULL, 0, SYM_FALLBACK_MS);
		if (r == -EINTR)
			return SYM_EXIT_OK;
		if (r < 0)
			return SYM_EXIT_FAIL;
		r = sym_evdev_drain(dev, print_line, c);
		if (r < 0)
			return SYM_EXIT_FAIL;
		if (r == 1 && dev->is_chr) {
			sym_err("%s: device closed (module unloaded?)",
				dev->path);
			return SYM_EXIT_FAIL;
		}
	}
}

int cmd_events(const struct sym_opts *o)
{
	struct print_ctx c = { .o = o };
	struct sym_evdev dev;
	int r;

	if (o->follow)
		sym_signals_init();	/* before any output: exit 0 on a signal */
	if (sym_evdev_open(&dev))
		return SYM_EXIT_FAIL;
	c.path = dev.path;
	if (!o->json)
		printf(EV_FMT, "SEQ", "TIME", "KIND", "DOMID", "PREV", "UUID",
		       "NAME", "MERGED");
	r = sym_evdev_drain(&dev, print_line, &c);
	if (r < 0) {
		sym_evdev_close(&dev);
		return SYM_EXIT_FAIL;
	}
	if (o->follow) {
		r = follow(&dev, &c);
		sym_evdev_close(&dev);
		return r;
	}
	sym_evdev_close(&dev);
	if (dev.len) {
		sym_err("%s: truncated record at end", dev.path);
		return SYM_EXIT_FAIL;
	}
	return sym_flush_stdout() ? SYM_EXIT_FAIL : SYM_EXIT_OK;
}
