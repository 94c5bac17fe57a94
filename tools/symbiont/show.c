// SPDX-License-Identifier: GPL-2.0
/*
 * The "self" and "list" subcommands.
 *
 * Human output is a key/value block (self) or a table sorted by domid
 * (list); unknown values print as "-". JSON output is one object on one
 * line with unknown values as null; the schema is in symbiont(8).
 */
#include <inttypes.h>
#include <stdio.h>

#include "symbiont.h"

static void self_human(const struct sym_self *s)
{
	printf("role:       %s\n", sym_role_name(s->role));
	if (s->role == SYM_ROLE_GUEST) {
		printf("domid:      %u\n", s->vm.domid);
		printf("name:       %s\n", sym_dash(s->vm.name));
		printf("uuid:       %s\n", sym_dash(s->vm.uuid));
		printf("mac:        %s\n", sym_dash(s->vm.mac));
		printf("group:      %s\n", sym_dash(s->vm.group));
		printf("state:      %s\n", sym_dash(s->vm.state));
	}
	printf("generation: %" PRIu64 "\n", s->generation);
	printf("mode:       %s\n", s->mode);
	printf("poll_ms:    %" PRIu64 "\n", s->poll_ms);
	printf("%-11s %zu\n", s->role == SYM_ROLE_DOM0 ? "members:" : "peers:",
	       s->count);
}

static void self_json(const struct sym_self *s)
{
	FILE *f = stdout;

	fputc('{', f);
	json_key(f, "role", true);
	json_str(f, sym_role_name(s->role));
	if (s->role == SYM_ROLE_GUEST) {
		json_key(f, "domid", false);
		fprintf(f, "%u", s->vm.domid);
		json_key(f, "name", false);
		json_str_or_null(f, s->vm.name);
		json_key(f, "uuid", false);
		json_str_or_null(f, s->vm.uuid);
		json_key(f, "mac", false);
		json_str_or_null(f, s->vm.mac);
		json_key(f, "group", false);
		json_str_or_null(f, s->vm.group);
		json_key(f, "state", false);
		json_str_or_null(f, s->vm.state);
	}
	json_key(f, "generation", false);
	fprintf(f, "%" PRIu64, s->generation);
	json_key(f, "mode", false);
	json_str(f, s->mode);
	json_key(f, "poll_ms", false);
	fprintf(f, "%" PRIu64, s->poll_ms);
	json_key(f, s->role == SYM_ROLE_DOM0 ? "members" : "peers", false);
	fprintf(f, "%zu", s->count);
	fputs("}\n", f);
}

int cmd_self(const struct sym_opts *o)
{
	struct sym_self s;

	if (sym_load_self(&s))
		return SYM_EXIT_FAIL;
	if (o->json)
		self_json(&s);
	else
		self_human(&s);
	return sym_flush_stdout() ? SYM_EXIT_FAIL : SYM_EXIT_OK;
}

#define ROW_FMT		"%-5s  %-16s  %-36s  %-17s  %-9s"
#define GUEST_FMT	"%-5s  %-16s  %-36s  %-17s  %s\n"

static void list_human(const struct sym_view *v)
{
	bool dom0 = v->role == SYM_ROLE_DOM0;
	size_t i;

	if (dom0)
		printf(ROW_FMT "  %s\n", "DOMID", "NAME", "UUID", "MAC",
		       "STATE", "GROUP");
	else
		printf(GUEST_FMT, "DOMID", "NAME", "UUID", "MAC", "STATE");
	for (i = 0; i < v->n; i++) {
		const struct sym_entry *e = &v->entries[i];
		char domid[16];

		snprintf(domid, sizeof(domid), "%u", e->domid);
		if (dom0)
			printf(ROW_FMT "  %s\n", domid, sym_dash(e->name),
			       sym_dash(e->uuid), sym_dash(e->mac),
			       sym_dash(e->state), sym_dash(e->group));
		else
			printf(GUEST_FMT, domid, sym_dash(e->name),
			       sym_dash(e->uuid), sym_dash(e->mac),
			       sym_dash(e->state));
	}
}

/*
 * The members of an entry object after "domid" (shared with "watch"): name,
 * uuid, mac, state and, for dom0 members, group.
 */
void sym_entry_json_rest(FILE *f, const struct sym_entry *e,
			 enum sym_role role)
{
	json_key(f, "name", false);
	json_str_or_null(f, e->name);
	json_key(f, "uuid", false);
	json_str_or_null(f, e->uuid);
	json_key(f, "mac", false);
	json_str_or_null(f, e->mac);
	json_key(f, "state", false);
	json_str_or_null(f, e->state);
	if (role == SYM_ROLE_DOM0) {
		json_key(f, "group", false);
		json_str_or_null(f, e->group);
	}
}

static void list_json(const struct sym_view *v)
{
	FILE *f = stdout;
	size_t i;

	fputc('{', f);
	json_key(f, "role", true);
	json_str(f, sym_role_name(v->role));
	json_key(f, "generation", false);
	fprintf(f, "%" PRIu64, v->generation);
	json_key(f, v->role == SYM_ROLE_DOM0 ? "members" : "peers", false);
	fputc('[', f);
	for (i = 0; i < v->n; i++) {
		fputs(i ? ",{" : "{", f);
		json_key(f, "domid", true);
		fprintf(f, "%u", v->entries[i].domid);
		sym_entry_json_rest(f, &v->entries[i], v->role);
		fputc('}', f);
	}
	fputs("]}\n", f);
}

int cmd_list(const struct sym_opts *o)
{
	struct sym_view v;

	if (sym_load_view(&v))
		return SYM_EXIT_FAIL;
	if (o->json)
		list_json(&v);
	else
		list_human(&v);
	sym_free_view(&v);
	return sym_flush_stdout() ? SYM_EXIT_FAIL : SYM_EXIT_OK;
}
