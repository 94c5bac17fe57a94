// SPDX-License-Identifier: GPL-2.0
/*
 * Consistent snapshots of the symbiont sysfs tree.
 *
 * A guest lists peers/<domid>/, dom0 lists members/<domid>/. The kernel
 * can change the tree while we read it, so a listing is taken like a
 * seqlock read: read generation, read every entry, read generation again,
 * and retry if it moved or if an entry lost a file half-way (a directory
 * being added or removed). Only the last attempt treats a missing file as
 * an error; a directory that vanished by then is simply not listed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "symbiont.h"

#define LOAD_TRIES	50
#define RETRY_NS	10000000L	/* 10 ms between retries */

const char *sym_role_name(enum sym_role role)
{
	return role == SYM_ROLE_DOM0 ? "dom0" : "guest";
}

/* Read and validate a value from a file of the sysfs root. */
static int read_root_value(const char *file, enum sym_kind kind, char *buf,
			   size_t size)
{
	char path[PATH_MAX];

	if (sym_path(path, sizeof(path), "%s/%s", sym_sysfs_root(), file))
		return -1;
	return sym_read_value(path, kind, buf, size, true);
}

/* Read a mandatory number from a file of the sysfs root. */
static int read_root_num(const char *file, enum sym_kind kind, u64 *v)
{
	char path[PATH_MAX];

	if (sym_path(path, sizeof(path), "%s/%s", sym_sysfs_root(), file))
		return -1;
	return sym_read_num(path, kind, v);
}

static int sym_load_role(enum sym_role *role)
{
	char buf[SYM_WORD_LEN];

	if (sym_check_loaded() ||
	    read_root_value("role", SYM_K_ROLE, buf, sizeof(buf)))
		return -1;
	*role = strcmp(buf, "dom0") ? SYM_ROLE_GUEST : SYM_ROLE_DOM0;
	return 0;
}

static const char *list_dir(enum sym_role role)
{
	return role == SYM_ROLE_DOM0 ? "members" : "peers";
}

struct field {
	const char *file;
	enum sym_kind kind;
	size_t off;
	size_t size;
};

#define FIELD(f, k, m) { f, k, offsetof(struct sym_entry, m), \
			 sizeof(((struct sym_entry *)0)->m) }

/* peers/<domid>/ */
static const struct field peer_fields[] = {
	FIELD("uuid", SYM_K_UUID, uuid),
	FIELD("mac", SYM_K_MAC, mac),
	FIELD("name", SYM_K_NAME, name),
	FIELD("state", SYM_K_STATE, state),
	{ NULL, 0, 0, 0 },
};

/* members/<domid>/ and self/: a VM with its group */
static const struct field vm_fields[] = {
	FIELD("uuid", SYM_K_UUID, uuid),
	FIELD("name", SYM_K_NAME, name),
	FIELD("mac", SYM_K_MAC, mac),
	FIELD("group", SYM_K_NAME, group),
	FIELD("state", SYM_K_STATE, state),
	{ NULL, 0, 0, 0 },
};

/*
 * Read one entry. Returns 0, 1 if its directory vanished (skip it),
 * -EAGAIN if a file was missing and this is not the last attempt, or -1.
 */
static int load_entry(const char *dir, enum sym_role role, bool strict,
		      struct sym_entry *e)
{
	const struct field *f = role == SYM_ROLE_DOM0 ? vm_fields :
							peer_fields;
	char path[PATH_MAX];
	struct stat st;
	int r;

	for (; f->file; f++) {
		if (sym_path(path, sizeof(path), "%s/%s", dir, f->file))
			return -1;
		r = sym_read_value(path, f->kind, (char *)e + f->off, f->size,
				   false);
		if (r != -ENOENT) {
			if (r)
				return -1;
			continue;
		}
		if (stat(dir, &st) < 0 && errno == ENOENT)
			return 1;
		if (!strict)
			return -EAGAIN;
		sym_err("cannot read %s: %s", path, strerror(ENOENT));
		return -1;
	}
	return 0;
}

struct list_ctx {
	enum sym_role role;
	bool strict;
};

static int load_dir_entry(const char *sub, void *elem, void *arg)
{
	const struct list_ctx *ctx = arg;

	return load_entry(sub, ctx->role, ctx->strict, elem);
}

static int load_list(struct sym_view *view, bool strict)
{
	struct list_ctx ctx = { .role = view->role, .strict = strict };
	char dir[PATH_MAX];
	void *entries;
	int r;

	if (sym_path(dir, sizeof(dir), "%s/%s", sym_sysfs_root(),
		     list_dir(view->role)))
		return -1;
	r = sym_load_domid_dirs(dir, sizeof(struct sym_entry), load_dir_entry,
				&ctx, &entries, &view->n);
	if (r < -1 && r != -EAGAIN) {
		sym_err("cannot read %s: %s", dir, strerror(-r));
		return -1;
	}
	if (r)
		return r;
	view->entries = entries;
	return 0;
}

/* Take a consistent listing of peers (guest) or members (dom0). */
int sym_load_view(struct sym_view *view)
{
	const struct timespec pause = { 0, RETRY_NS };
	u64 g1, g2 = 0;
	int i, r;

	memset(view, 0, sizeof(*view));
	if (sym_load_role(&view->role))
		return -1;
	for (i = 0; i < LOAD_TRIES; i++) {
		bool last = i == LOAD_TRIES - 1;

		if (read_root_num("generation", SYM_K_U64, &g1))
			return -1;
		r = load_list(view, last);
		if (r == -EAGAIN) {
			nanosleep(&pause, NULL);
			continue;
		}
		if (r)
			return -1;
		if (read_root_num("generation", SYM_K_U64, &g2)) {
			sym_free_view(view);
			return -1;
		}
		if (g1 == g2 || last)
			break;
		sym_free_view(view);
	}
	view->generation = g2;
	return 0;
}

void sym_free_view(struct sym_view *view)
{
	free(view->entries);
	view->entries = NULL;
	view->n = 0;
}

/* What "symbiont self" shows. */
int sym_load_self(struct sym_self *self)
{
	const struct field *f;
	char path[PATH_MAX];
	struct sym_view view;
	u64 domid;

	memset(self, 0, sizeof(*self));
	if (sym_load_view(&view))
		return -1;
	self->role = view.role;
	self->generation = view.generation;
	self->count = view.n;
	sym_free_view(&view);

	if (read_root_value("mode", SYM_K_MODE, self->mode,
			    sizeof(self->mode)) ||
	    read_root_num("poll_ms", SYM_K_U32, &self->poll_ms))
		return -1;
	if (self->role == SYM_ROLE_DOM0)
		return 0;

	if (read_root_num("self/domid", SYM_K_DOMID, &domid))
		return -1;
	self->vm.domid = (u16)domid;
	for (f = vm_fields; f->file; f++) {
		if (sym_path(path, sizeof(path), "%s/self/%s", sym_sysfs_root(),
			     f->file) ||
		    sym_read_value(path, f->kind, (char *)&self->vm + f->off,
				   f->size, true))
			return -1;
	}
	return 0;
}
