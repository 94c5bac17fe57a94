// SPDX-License-Identifier: GPL-2.0
/*
 * groups.c - members grouped by the name the dom0 admin gave their VM under
 * /local/domain/0/symbiont/groups/<vm-name> (absent: "default"), and the
 * watch on that directory.
 *
 * Data flow: domains.c adds a member to its group on join, removes it on
 * departure and marks the group dirty on a state change; then it calls
 * dom0_groups_flush(), which rewrites the view of every member of every
 * dirty group (view.c) and frees groups that became empty. So the work of
 * one membership change is bounded by the size of the group it touched.
 * When the groups directory changes (watch, or each poll round),
 * dom0_groups_reread() re-reads every member's group, moves the members
 * whose group changed and flushes both the groups they left and joined.
 * The same work runs when /local/domain/0/symbiont/fastpath (the admin's
 * fast-path switch, trusted.c) changes: it re-reads every member's switch
 * and flushes the groups of those whose switch moved, so that their peers'
 * views say so (view.c) and the relay stops carrying their records.
 *
 * Locking/lifetime: everything here runs on dom0_wq, which serialises it.
 * A group lives while it has members; dom0_groups_flush() frees empty ones.
 */
#include <linux/hashtable.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/stringhash.h>
#include "dom0.h"

#define DOM0_GROUPS_PATH	"/local/domain/0/symbiont/groups"
#define DOM0_POLICY_PATH	"/local/domain/0/symbiont/fastpath"

struct dom0_group {
	struct hlist_node hnode;
	struct list_head members;	/* symbiont_domain.group_node */
	struct list_head dirty_node;	/* empty unless views need rewriting */
	char name[SYM_NAME_MAX + 1];
};

static DEFINE_HASHTABLE(dom0_groups, 6);
static LIST_HEAD(dom0_dirty_groups);
static struct sym_watch groups_watch;
static struct sym_watch policy_watch;	/* shares groups_work */
static struct work_struct groups_work;

static u32 dom0_group_hash(const char *name)
{
	return full_name_hash(NULL, name, strlen(name));
}

const char *dom0_group_name(const struct dom0_group *g)
{
	return g->name;
}

struct list_head *dom0_group_members(struct dom0_group *g)
{
	return &g->members;
}

static struct dom0_group *dom0_group_get(const char *name)
{
	u32 hash = dom0_group_hash(name);
	struct dom0_group *g;

	hash_for_each_possible(dom0_groups, g, hnode, hash)
		if (!strcmp(g->name, name))
			return g;

	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return NULL;
	INIT_LIST_HEAD(&g->members);
	INIT_LIST_HEAD(&g->dirty_node);
	strscpy(g->name, name, sizeof(g->name));
	hash_add(dom0_groups, &g->hnode, hash);
	return g;
}

static void dom0_group_mark_dirty(struct dom0_group *g)
{
	if (list_empty(&g->dirty_node))
		list_add_tail(&g->dirty_node, &dom0_dirty_groups);
}

/* Puts d into the group named d->group_name. */
int dom0_group_join(struct symbiont_domain *d)
{
	struct dom0_group *g = dom0_group_get(d->group_name);

	if (!g)
		return -ENOMEM;
	list_add_tail(&d->group_node, &g->members);
	d->group = g;
	dom0_group_mark_dirty(g);
	return 0;
}

void dom0_group_leave(struct symbiont_domain *d)
{
	if (!d->group)
		return;
	list_del_init(&d->group_node);
	dom0_group_mark_dirty(d->group);
	d->group = NULL;
}

void dom0_group_changed(struct symbiont_domain *d)
{
	if (d->group)
		dom0_group_mark_dirty(d->group);
}

void dom0_groups_flush(void)
{
	struct symbiont_domain *m;
	struct dom0_group *g;

	while (!list_empty(&dom0_dirty_groups)) {
		g = list_first_entry(&dom0_dirty_groups, struct dom0_group,
				     dirty_node);
		list_del_init(&g->dirty_node);
		list_for_each_entry(m, &g->members, group_node)
			dom0_view_write(m, &g->members);
		if (list_empty(&g->members)) {
			hash_del(&g->hnode);
			kfree(g);
		}
	}
}

/* Moves d from its group to d->group_name; on failure d stays put. */
static void dom0_group_move(struct symbiont_domain *d)
{
	struct dom0_group *to = dom0_group_get(d->group_name);

	if (!to) {
		strscpy(d->group_name, d->group->name, sizeof(d->group_name));
		return;
	}
	dom0_group_leave(d);
	list_add_tail(&d->group_node, &to->members);
	d->group = to;
	dom0_group_mark_dirty(to);
	dom0_member_update(d);
}

/* A member's fast-path switch, after a regroup or a change of the node. */
static void dom0_group_policy(struct symbiont_domain *d)
{
	bool off = d->fastpath_off;

	d->switched_off = dom0_trusted_policy_off(d->name, d->group_name);
	d->fastpath_off = d->ipv4_bad || d->switched_off;
	if (off != d->fastpath_off)
		dom0_group_mark_dirty(d->group);
}

void dom0_groups_reread(void)
{
	char group[SYM_NAME_MAX + 1];
	struct symbiont_domain *d, *tmp;
	struct dom0_group *g;
	LIST_HEAD(moves);
	LIST_HEAD(all);
	unsigned int bkt;

	hash_for_each(dom0_groups, bkt, g, hnode) {
		list_for_each_entry(d, &g->members, group_node) {
			list_add_tail(&d->move_node, &all);
			dom0_trusted_group(d->name, group);
			if (!strcmp(group, g->name))
				continue;
			strscpy(d->group_name, group, sizeof(d->group_name));
			list_move_tail(&d->move_node, &moves);
		}
	}
	list_for_each_entry_safe(d, tmp, &moves, move_node) {
		list_move_tail(&d->move_node, &all);
		dom0_group_move(d);
	}
	list_for_each_entry_safe(d, tmp, &all, move_node) {
		list_del(&d->move_node);
		dom0_group_policy(d);
	}
	if (list_empty(&dom0_dirty_groups))
		return;
	dom0_generation_bump();
	dom0_groups_flush();
}

static void dom0_groups_work(struct work_struct *work)
{
	sym_watch_begin(&groups_watch);
	sym_watch_begin(&policy_watch);
	dom0_work_ran();
	dom0_groups_reread();
}

int dom0_groups_watch_init(void)
{
	int err;

	INIT_WORK(&groups_work, dom0_groups_work);
	err = sym_watch_register(&groups_watch, &dom0_xs, DOM0_GROUPS_PATH,
				 dom0_wq, &groups_work);
	if (err)
		return err;
	err = sym_watch_register(&policy_watch, &dom0_xs, DOM0_POLICY_PATH,
				 dom0_wq, &groups_work);
	if (err)
		goto unwatch_groups;
	return 0;

unwatch_groups:
	sym_watch_unregister(&groups_watch);
	cancel_work_sync(&groups_work);
	return err;
}

/* The caller drains dom0_wq afterwards. */
void dom0_groups_watch_exit(void)
{
	if (!sym_watch_registered(&groups_watch))
		return;
	sym_watch_unregister(&policy_watch);
	sym_watch_unregister(&groups_watch);
	cancel_work_sync(&groups_work);
}

/* Module exit: members are already detached; drop the empty groups. */
void dom0_groups_exit(void)
{
	struct hlist_node *tmp;
	struct dom0_group *g;
	unsigned int bkt;

	hash_for_each_safe(dom0_groups, bkt, tmp, g, hnode) {
		list_del_init(&g->dirty_node);
		hash_del(&g->hnode);
		kfree(g);
	}
}
