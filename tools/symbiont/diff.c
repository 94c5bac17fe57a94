// SPDX-License-Identifier: GPL-2.0
/*
 * The changes between two successive listings.
 *
 * Entries are matched by VM uuid, which survives migration, so the same
 * uuid under a new domid is a move. Entries whose uuid is unknown (or
 * became known) are matched by domid instead. The callback sees, in this
 * order: every entry that left (old domid order), then for each current
 * entry in domid order its join or move followed by one update per field
 * that changed. Diffing whole listings rather than applying deltas means a
 * coalesced or spurious wakeup can never leave the output out of step.
 *
 * This is not the kernel's sym_peer_set_diff() (drivers/core/peer_set.c),
 * which drives the guest's notifiers: its sets hold guests' peers only (no
 * group, no leaving or unknown state, the MAC as bytes), it pairs entries
 * of unknown uuid as if "" were a uuid, and it reports in phases by uuid.
 * Here every listed field counts, for both roles, in the order watch
 * prints.
 */
#include <stdlib.h>
#include <string.h>

#include "symbiont.h"

struct cmp_field {
	const char *name;
	size_t off;
};

#define CF(m) { #m, offsetof(struct sym_entry, m) }

static const struct cmp_field fields[] = {
	CF(name), CF(uuid), CF(mac), CF(state), CF(group),
};

static const char *fval(const struct sym_entry *e, const struct cmp_field *f)
{
	return (const char *)e + f->off;
}

static int updates(const struct sym_entry *o, const struct sym_entry *c,
		   int (*cb)(const struct sym_change *ch, void *arg),
		   void *arg)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		struct sym_change ch = {
			.kind = SYM_CH_UPDATE,
			.entry = c,
			.prev_domid = o->domid,
			.field = fields[i].name,
			.old_value = fval(o, &fields[i]),
			.new_value = fval(c, &fields[i]),
		};

		if (strcmp(ch.old_value, ch.new_value) && cb(&ch, arg))
			return -1;
	}
	return 0;
}

int sym_diff(const struct sym_view *old, const struct sym_view *cur,
	     int (*cb)(const struct sym_change *ch, void *arg), void *arg)
{
	/* match[i]: index in old of cur->entries[i]'s partner, or -1 */
	long *match = NULL;
	bool *used = NULL;
	size_t i, j;
	int r = -1;

	match = calloc(cur->n + 1, sizeof(*match));
	used = calloc(old->n + 1, sizeof(*used));
	if (!match || !used) {
		sym_err("out of memory");
		goto out;
	}
	for (i = 0; i < cur->n; i++) {
		const struct sym_entry *c = &cur->entries[i];

		match[i] = -1;
		if (!*c->uuid)
			continue;
		for (j = 0; j < old->n; j++) {
			if (!used[j] && !strcmp(old->entries[j].uuid, c->uuid)) {
				match[i] = (long)j;
				used[j] = true;
				break;
			}
		}
	}
	for (i = 0; i < cur->n; i++) {
		const struct sym_entry *c = &cur->entries[i];

		if (match[i] >= 0)
			continue;
		for (j = 0; j < old->n; j++) {
			const struct sym_entry *o = &old->entries[j];

			if (!used[j] && o->domid == c->domid &&
			    (!*o->uuid || !*c->uuid)) {
				match[i] = (long)j;
				used[j] = true;
				break;
			}
		}
	}

	for (j = 0; j < old->n; j++) {
		struct sym_change ch = {
			.kind = SYM_CH_LEAVE,
			.entry = &old->entries[j],
			.prev_domid = old->entries[j].domid,
		};

		if (!used[j] && cb(&ch, arg))
			goto out;
	}
	for (i = 0; i < cur->n; i++) {
		const struct sym_entry *c = &cur->entries[i], *o;
		struct sym_change ch = { .entry = c, .prev_domid = c->domid };

		if (match[i] < 0) {
			ch.kind = SYM_CH_JOIN;
			if (cb(&ch, arg))
				goto out;
			continue;
		}
		o = &old->entries[match[i]];
		if (o->domid != c->domid) {
			ch.kind = SYM_CH_MOVE;
			ch.prev_domid = o->domid;
			if (cb(&ch, arg))
				goto out;
		}
		if (updates(o, c, cb, arg))
			goto out;
	}
	r = 0;
out:
	free(match);
	free(used);
	return r;
}
