// SPDX-License-Identifier: GPL-2.0
/*
 * The "watch" subcommand.
 *
 * Blocks in poll() on the sysfs generation file (POLLPRI|POLLERR, re-read
 * from offset 0 after each wakeup, as sysfs_notify() requires) and on the
 * event device (POLLIN, drained non-blocking). Each wakeup re-lists the
 * tree and prints the difference from the previous listing.
 *
 * On real sysfs and a real character device this never wakes up unless
 * something changed. When generation is not on sysfs (a test tree on
 * tmpfs), poll() on it would return at once, forever; it is then left out
 * of the poll set and the tree is re-listed every SYM_FALLBACK_MS. A
 * regular file standing in for the event device is likewise not polled.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "symbiont.h"

#ifndef SYSFS_MAGIC
#define SYSFS_MAGIC 0x62656572
#endif

struct watch_ctx {
	const struct sym_opts *o;
	enum sym_role role;
	u64 generation;
	/* CLOCK_REALTIME when the listing was read: comparable across VMs. */
	u64 seen_ns;
	u64 changes;
};

static const char *const change_names[] = {
	[SYM_CH_JOIN] = "join",
	[SYM_CH_LEAVE] = "leave",
	[SYM_CH_MOVE] = "move",
	[SYM_CH_UPDATE] = "update",
};

static void change_human(const struct watch_ctx *w, const struct sym_change *ch)
{
	const struct sym_entry *e = ch->entry;

	switch (ch->kind) {
	case SYM_CH_JOIN:
		printf("+ %u %s %s joined", e->domid, sym_dash(e->name),
		       sym_dash(e->mac));
		if (strcmp(e->state, "joined"))
			printf(" state=%s", sym_dash(e->state));
		if (w->role == SYM_ROLE_DOM0)
			printf(" group=%s", sym_dash(e->group));
		putchar('\n');
		break;
	case SYM_CH_LEAVE:
		printf("- %u %s left\n", e->domid, sym_dash(e->name));
		break;
	case SYM_CH_MOVE:
		printf("~ %u -> %u %s moved\n", ch->prev_domid, e->domid,
		       sym_dash(e->name));
		break;
	case SYM_CH_UPDATE:
		printf("* %u %s %s %s -> %s\n", e->domid, sym_dash(e->name),
		       ch->field, sym_dash(ch->old_value),
		       sym_dash(ch->new_value));
		break;
	}
}

static u64 realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void change_json(const struct watch_ctx *w, const struct sym_change *ch)
{
	FILE *f = stdout;

	fputc('{', f);
	json_key(f, "change", true);
	json_str(f, change_names[ch->kind]);
	json_key(f, "generation", false);
	fprintf(f, "%" PRIu64, w->generation);
	json_key(f, "seen_ns", false);
	fprintf(f, "%" PRIu64, w->seen_ns);
	json_key(f, "domid", false);
	fprintf(f, "%u", ch->entry->domid);
	json_key(f, "prev", false);
	if (ch->kind == SYM_CH_MOVE)
		fprintf(f, "%u", ch->prev_domid);
	else
		fputs("null", f);
	sym_entry_json_rest(f, ch->entry, w->role);
	json_key(f, "field", false);
	if (ch->kind == SYM_CH_UPDATE) {
		json_str(f, ch->field);
		json_key(f, "old", false);
		json_str_or_null(f, ch->old_value);
		json_key(f, "new", false);
		json_str_or_null(f, ch->new_value);
	} else {
		fputs("null", f);
		json_key(f, "old", false);
		fputs("null", f);
		json_key(f, "new", false);
		fputs("null", f);
	}
	fputs("}\n", f);
}

static int print_change(const struct sym_change *ch, void *arg)
{
	struct watch_ctx *w = arg;

	/* --count reached: the rest of this batch is not printed. */
	if (w->o->count && w->changes >= w->o->count)
		return 0;
	if (w->o->json)
		change_json(w, ch);
	else
		change_human(w, ch);
	w->changes++;
	return sym_flush_stdout();
}

static int open_generation(int *fd, const char *path, bool *is_sysfs)
{
	struct statfs sfs;
	u64 gen;

	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0) {
		sym_err("cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstatfs(*fd, &sfs) < 0) {
		sym_err("cannot statfs %s: %s", path, strerror(errno));
		close(*fd);
		*fd = -1;
		return -1;
	}
	*is_sysfs = sfs.f_type == SYSFS_MAGIC;
	if (!*is_sysfs) {
		close(*fd);
		*fd = -1;
		return 0;
	}
	/* A read arms sysfs poll. */
	return sym_read_num_fd(*fd, path, &gen);
}

static int run(struct watch_ctx *w, struct sym_view *prev,
	       struct sym_evdev *dev, int genfd, const char *genpath)
{
	const struct sym_opts *o = w->o;
	struct pollfd pfd[2];
	unsigned int nfds = 0, gi = 2, ei = 2;
	long long deadline = -1;
	int r;

	if (genfd >= 0) {
		gi = nfds;
		pfd[nfds++] = (struct pollfd){ genfd, POLLPRI | POLLERR, 0 };
	}
	if (dev->is_chr) {
		ei = nfds;
		pfd[nfds++] = (struct pollfd){ dev->fd, POLLIN, 0 };
	}
	if (o->timeout_ms >= 0)
		deadline = sym_now_ms() + o->timeout_ms;

	for (;;) {
		long long tmo = genfd >= 0 ? -1 : SYM_FALLBACK_MS;
		u64 before = w->changes;
		struct sym_view cur;
		u64 g;

		if (deadline >= 0) {
			long long left = deadline - sym_now_ms();

			if (left <= 0) {
				sym_err("watch: no change within %lld.%03lld seconds",
					o->timeout_ms / 1000,
					o->timeout_ms % 1000);
				return SYM_EXIT_FAIL;
			}
			if (tmo < 0 || left < tmo)
				tmo = left;
		}
		r = sym_wait(pfd, nfds, tmo);
		if (r == -EINTR)
			return SYM_EXIT_OK;
		if (r < 0)
			return SYM_EXIT_FAIL;
		if (r == 0 && genfd >= 0)
			continue;	/* only the deadline expired */
		if (gi < nfds && pfd[gi].revents &&
		    sym_read_num_fd(genfd, genpath, &g))
			return SYM_EXIT_FAIL;
		if (ei < nfds && pfd[ei].revents) {
			r = sym_evdev_drain(dev, NULL, NULL);
			if (r < 0)
				return SYM_EXIT_FAIL;
			if (r == 1) {
				sym_err("%s: device closed (module unloaded?)",
					dev->path);
				return SYM_EXIT_FAIL;
			}
		}
		w->seen_ns = realtime_ns();
		if (sym_load_view(&cur))
			return SYM_EXIT_FAIL;
		if (cur.role != prev->role) {
			sym_err("role changed from %s to %s",
				sym_role_name(prev->role),
				sym_role_name(cur.role));
			sym_free_view(&cur);
			return SYM_EXIT_FAIL;
		}
		w->generation = cur.generation;
		r = sym_diff(prev, &cur, print_change, w);
		sym_free_view(prev);
		*prev = cur;
		if (r)
			return SYM_EXIT_FAIL;
		if (o->count && w->changes >= o->count)
			return SYM_EXIT_OK;
		if (w->changes != before && deadline >= 0)
			deadline = sym_now_ms() + o->timeout_ms;
	}
}

int cmd_watch(const struct sym_opts *o)
{
	struct watch_ctx w = { .o = o };
	char genpath[PATH_MAX];
	struct sym_evdev dev;
	struct sym_view view;
	bool is_sysfs;
	int genfd = -1, r;

	sym_signals_init();
	/*
	 * Arm the generation poll and catch up on the event device before
	 * taking the baseline listing, so no change can fall in between.
	 */
	if (sym_check_loaded() ||
	    sym_path(genpath, sizeof(genpath), "%s/generation",
		     sym_sysfs_root()) ||
	    open_generation(&genfd, genpath, &is_sysfs))
		return SYM_EXIT_FAIL;
	if (sym_evdev_open(&dev)) {
		r = SYM_EXIT_FAIL;
		goto out_gen;
	}
	/* Records already logged are history, not changes. */
	if (dev.is_chr && sym_evdev_drain(&dev, NULL, NULL) < 0) {
		r = SYM_EXIT_FAIL;
		goto out_dev;
	}
	if (sym_load_view(&view)) {
		r = SYM_EXIT_FAIL;
		goto out_dev;
	}
	w.role = view.role;
	w.generation = view.generation;
	r = run(&w, &view, &dev, genfd, genpath);
	sym_free_view(&view);
out_dev:
	sym_evdev_close(&dev);
out_gen:
	if (genfd >= 0)
		close(genfd);
	return r;
}
