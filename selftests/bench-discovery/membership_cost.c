// SPDX-License-Identifier: GPL-2.0
/*
 * Instruction cost of dom0's per-event logic as the number of domains on
 * the host grows, for callgrind (scripts/bench-discovery):
 *
 *   valgrind --tool=callgrind --toggle-collect=handle_event \
 *	membership_cost NDOMAINS
 *
 * Sets up NDOMAINS joined members in groups of GROUP_SIZE, then handles
 * EVENTS lifecycle events (join, migrate-out, migrate-in, leave, lost) of
 * domains in one group, each the way symbiont_dom0 does: one
 * sym_member_step() on the domain's record (found by domid) and, when
 * membership changes, the views of that group rebuilt as sym_peer_sets
 * with the XenStore paths and values dom0 would write. Only the pure
 * logic from drivers/core runs here; XenStore round trips are not
 * modelled.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "membership.h"
#include "peer_set.h"

#define GROUP_SIZE 8
#define EVENTS 64

struct domain {
	u16 domid;
	enum sym_member_state state;
	int group;
	char uuid[37];
	char name[65];
};

static struct domain *doms;
static int ndoms;
static struct sym_departed_set departed;
static struct sym_peer_set *view;
static char sink[256];

static void write_view(const struct domain *self)
{
	int first = self->group * GROUP_SIZE, i;

	sym_peer_set_init(view, GROUP_SIZE);
	for (i = first; i < first + GROUP_SIZE && i < ndoms; i++) {
		struct sym_peer p = { .domid = doms[i].domid };

		if (&doms[i] == self || doms[i].state == SYM_MEMBER_NONE)
			continue;
		p.state = doms[i].state == SYM_MEMBER_MIGRATING ?
			SYM_PEER_MIGRATING : SYM_PEER_JOINED;
		memcpy(p.uuid, doms[i].uuid, sizeof(p.uuid));
		memcpy(p.name, doms[i].name, sizeof(p.name));
		sym_peer_set_insert(view, &p);
		snprintf(sink, sizeof(sink), "/local/domain/%u/symbiont/peers/%u/uuid=%s",
			 self->domid, p.domid, p.uuid);
	}
}

__attribute__((noinline)) void handle_event(struct domain *d,
					    enum sym_announce ann, bool alive)
{
	struct sym_transition t;
	int first = d->group * GROUP_SIZE, i;

	t = sym_member_step(d->state, ann, alive, d->domid, d->uuid, &departed);
	if (t.next == d->state && !t.emit)
		return;
	d->state = t.next;
	for (i = first; i < first + GROUP_SIZE && i < ndoms; i++)
		if (doms[i].state != SYM_MEMBER_NONE)
			write_view(&doms[i]);
}

int main(int argc, char **argv)
{
	int i;

	ndoms = argc > 1 ? atoi(argv[1]) : 10;
	if (ndoms < GROUP_SIZE) {
		fprintf(stderr, "membership_cost: need at least %d domains\n", GROUP_SIZE);
		return 2;
	}
	doms = calloc(ndoms, sizeof(*doms));
	view = malloc(sym_peer_set_size(GROUP_SIZE));
	if (!doms || !view)
		return 1;
	sym_departed_init(&departed);
	for (i = 0; i < ndoms; i++) {
		doms[i].domid = i + 1;
		doms[i].group = i / GROUP_SIZE;
		doms[i].state = SYM_MEMBER_JOINED;
		snprintf(doms[i].uuid, sizeof(doms[i].uuid),
			 "%08x-0000-4000-8000-%012x", i + 1, i + 1);
		snprintf(doms[i].name, sizeof(doms[i].name), "vm%d", i + 1);
	}
	/* Events on the members of group 0, cycling through every kind. */
	for (i = 0; i < EVENTS; i++) {
		struct domain *d = &doms[i % GROUP_SIZE];

		switch (i % 4) {
		case 0:
			handle_event(d, SYM_ANNOUNCE_MIGRATING, true);
			break;
		case 1:
			handle_event(d, SYM_ANNOUNCE_ABSENT, false);
			handle_event(d, SYM_ANNOUNCE_JOINED, true);
			break;
		case 2:
			handle_event(d, SYM_ANNOUNCE_LEAVING, true);
			break;
		case 3:
			handle_event(d, SYM_ANNOUNCE_JOINED, true);
			break;
		}
	}
	printf("%d domains, %d events handled\n", ndoms, EVENTS);
	return 0;
}
