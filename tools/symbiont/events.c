// SPDX-License-Identifier: GPL-2.0
/*
 * The event record parser and the "events" subcommand.
 *
 * Records are parsed strictly, field by field in the order fixed by
 * Documentation/protocol.md:
 *
 *   seq=<u64> ts=<ns> kind=<kind> domid=<d> prev=<d|-> uuid=<uuid> name=<name>
 *   seq=<u64> kind=overflow lost=<count>
 *
 * Single spaces, canonical decimals, no extra fields. A line that does not
 * match is an error naming the device, never printed as if it were valid.
 * This parser is independent of the kernel's sym_event_parse.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "symbiont.h"

static const char *const kind_names[] = {
	[SYM_EV_JOIN] = "join",
	[SYM_EV_LEAVE] = "leave",
	[SYM_EV_MIGRATE_OUT] = "migrate-out",
	[SYM_EV_MIGRATE_IN] = "migrate-in",
	[SYM_EV_LOST] = "lost",
	[SYM_EV_OVERFLOW] = "overflow",
};

const char *sym_event_kind_name(enum sym_event_kind kind)
{
	return kind_names[kind];
}

/*
 * Match "key=value" at *s, copying the value (up to the next space or the
 * end) into val. Advances *s past the value and one separating space.
 */
static int take(const char **s, const char *key, char *val, size_t size,
		bool last)
{
	size_t klen = strlen(key), vlen;
	const char *v;

	if (strncmp(*s, key, klen) || (*s)[klen] != '=')
		return -1;
	v = *s + klen + 1;
	vlen = strcspn(v, " ");
	if (vlen >= size)
		return -1;
	memcpy(val, v, vlen);
	val[vlen] = '\0';
	v += vlen;
	if (last) {
		if (*v)
			return -1;
	} else {
		if (*v != ' ')
			return -1;
		v++;
	}
	*s = v;
	return 0;
}

static int take_u64(const char **s, const char *key, unsigned long long *v,
		    bool last)
{
	char buf[32];

	return take(s, key, buf, sizeof(buf), last) || sym_parse_u64(buf, v);
}

/* Parse one record (without its newline) into ev; 0 or -1. */
int sym_event_parse_line(const char *line, struct sym_event *ev)
{
	const char *s = line;
	char buf[SYM_NAME_LEN];
	unsigned int k;

	memset(ev, 0, sizeof(*ev));
	if (take_u64(&s, "seq", &ev->seq, false))
		return -1;
	if (!strncmp(s, "kind=overflow ", 14)) {
		s += 14;
		ev->kind = SYM_EV_OVERFLOW;
		return take_u64(&s, "lost", &ev->lost, true);
	}
	if (take_u64(&s, "ts", &ev->ts, false) ||
	    take(&s, "kind", buf, sizeof(buf), false))
		return -1;
	for (k = 0; k < SYM_EV_OVERFLOW; k++)
		if (!strcmp(buf, kind_names[k]))
			break;
	if (k == SYM_EV_OVERFLOW)
		return -1;
	ev->kind = k;
	if (take(&s, "domid", buf, sizeof(buf), false) ||
	    sym_parse_domid(buf, &ev->domid))
		return -1;
	if (take(&s, "prev", buf, sizeof(buf), false))
		return -1;
	if (strcmp(buf, "-")) {
		if (sym_parse_domid(buf, &ev->prev))
			return -1;
		ev->has_prev = true;
	}
	if (take(&s, "uuid", ev->uuid, sizeof(ev->uuid), false) ||
	    (*ev->uuid && !sym_valid(SYM_K_UUID, ev->uuid)))
		return -1;
	if (take(&s, "name", ev->name, sizeof(ev->name), true) ||
	    (*ev->name && !sym_valid(SYM_K_NAME, ev->name)))
		return -1;
	return 0;
}

#define EV_FMT "%-6s  %-20s  %-11s  %-5s  %-5s  %-36s  %s\n"

static void event_human(const struct sym_event *ev)
{
	char seq[24], ts[32], domid[12], prev[12];

	snprintf(seq, sizeof(seq), "%llu", ev->seq);
	if (ev->kind == SYM_EV_OVERFLOW) {
		printf("%-6s  %-20s  %-11s  %llu records lost\n", seq, "-",
		       "overflow", ev->lost);
		return;
	}
	snprintf(ts, sizeof(ts), "%llu.%09llu", ev->ts / 1000000000ULL,
		 ev->ts % 1000000000ULL);
	snprintf(domid, sizeof(domid), "%u", ev->domid);
	if (ev->has_prev)
		snprintf(prev, sizeof(prev), "%u", ev->prev);
	else
		strcpy(prev, "-");
	printf(EV_FMT, seq, ts, sym_event_kind_name(ev->kind), domid, prev,
	       *ev->uuid ? ev->uuid : "-", *ev->name ? ev->name : "-");
}

static void event_json(const struct sym_event *ev)
{
	FILE *f = stdout;

	fputc('{', f);
	json_key(f, "seq", true);
	fprintf(f, "%llu", ev->seq);
	json_key(f, "kind", false);
	json_str(f, sym_event_kind_name(ev->kind));
	if (ev->kind == SYM_EV_OVERFLOW) {
		json_key(f, "lost", false);
		fprintf(f, "%llu", ev->lost);
		fputs("}\n", f);
		return;
	}
	json_key(f, "ts", false);
	fprintf(f, "%llu", ev->ts);
	json_key(f, "domid", false);
	fprintf(f, "%u", ev->domid);
	json_key(f, "prev", false);
	if (ev->has_prev)
		fprintf(f, "%u", ev->prev);
	else
		fputs("null", f);
	json_key(f, "uuid", false);
	json_str_or_null(f, ev->uuid);
	json_key(f, "name", false);
	json_str_or_null(f, ev->name);
	fputs("}\n", f);
}

struct print_ctx {
	const struct sym_opts *o;
	const char *path;
};

static int print_line(const char *line, void *arg)
{
	struct print_ctx *c = arg;
	struct sym_event ev;
	char q[96];

	if (sym_event_parse_line(line, &ev)) {
		json_escape(q, sizeof(q), line, 64);
		sym_err("%s: malformed record \"%s\"%s", c->path, q,
			strlen(line) > 64 ? "..." : "");
		return -1;
	}
	if (c->o->json)
		event_json(&ev);
	else
		event_human(&ev);
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
		       "NAME");
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
