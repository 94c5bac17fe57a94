/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared declarations of the symbiont userspace tool.
 *
 * The tool only reads what the kernel modules expose: the sysfs tree under
 * /sys/kernel/symbiont (override: SYMBIONT_SYSFS) and the event log device
 * /dev/symbiont_events (override: SYMBIONT_EVENTS). Every value read is
 * validated; a malformed value is reported with the file it came from.
 */
#ifndef SYMBIONT_H
#define SYMBIONT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * What the tool shares with the kernel comes from drivers/core: the value
 * parsers and sizes (xs_parse.h: SYM_MAC_LEN is 6 bytes, the text forms
 * are SYM_MAC_STR_LEN and SYM_UUID_STR_LEN characters, names at most
 * SYM_NAME_MAX), and the event records with their parser (event_log.h).
 */
#include "sym_compat.h"
#include "xs_parse.h"
#include "event_log.h"

#define SYM_VERSION		"1.0"

#define SYM_DEFAULT_SYSFS	"/sys/kernel/symbiont"
#define SYM_DEFAULT_EVENTS	"/dev/symbiont_events"
#define SYM_DEFAULT_HYPERVISOR	"/sys/hypervisor/type"

#define __printf(a, b)	__attribute__((format(printf, a, b)))

/* Exit codes. */
#define SYM_EXIT_OK		0
#define SYM_EXIT_FAIL		1
#define SYM_EXIT_USAGE		2

/* Longest keyword value (state, mode, role, channel state) plus NUL. */
#define SYM_WORD_LEN		16
/* A decimal number as read: any u64, and room to see a longer value. */
#define SYM_NUM_LEN		32

/* err.c */
void sym_err(const char *fmt, ...) __printf(1, 2);
int sym_usage_err(const char *fmt, ...) __printf(1, 2);

/* json.c */
size_t json_escape(char *out, size_t size, const char *in, size_t maxin);
void json_str(FILE *f, const char *s);
void json_str_or_null(FILE *f, const char *s);
void json_key(FILE *f, const char *key, bool first);

/* sysfs.c: raw access and value validation */
enum sym_kind {
	SYM_K_DOMID,
	SYM_K_U64,
	SYM_K_U32,
	SYM_K_UUID,
	SYM_K_MAC,
	SYM_K_NAME,
	SYM_K_STATE,
	SYM_K_MODE,
	SYM_K_ROLE,
	SYM_K_CHAN_STATE,	/* idle, offered, mapped, connected, broken */
};

const char *sym_sysfs_root(void);
const char *sym_events_path(void);
int sym_check_loaded(void);
int sym_path(char *buf, size_t size, const char *fmt, ...)
	__printf(3, 4);
int sym_read_value(const char *path, enum sym_kind kind, char *buf,
		   size_t size, bool strict);
int sym_read_num(const char *path, enum sym_kind kind, u64 *v);
int sym_read_num_fd(int fd, const char *path, u64 *v);

/* view.c: consistent snapshots of what the kernel exposes */
enum sym_role { SYM_ROLE_GUEST, SYM_ROLE_DOM0 };

/*
 * One <domid>/ directory of peers/ (guest) or members/ (dom0), values as
 * read and validated, empty when unknown. Not the kernel's struct sym_peer:
 * this keeps the MAC as text, the state as its word, and a dom0 member's
 * group.
 */
struct sym_entry {
	u16 domid;
	char uuid[SYM_UUID_STR_LEN + 1];
	char mac[SYM_MAC_STR_LEN + 1];
	char name[SYM_NAME_MAX + 1];
	char group[SYM_NAME_MAX + 1];	/* dom0 members only */
	char state[SYM_WORD_LEN];
};

struct sym_view {
	enum sym_role role;
	u64 generation;
	struct sym_entry *entries;
	size_t n;
};

struct sym_self {
	enum sym_role role;
	u64 generation;
	char mode[SYM_WORD_LEN];
	u64 poll_ms;
	size_t count;			/* peers (guest) or members (dom0) */
	struct sym_entry vm;		/* guest only: self/ */
};

const char *sym_role_name(enum sym_role role);
int sym_load_view(struct sym_view *view);
void sym_free_view(struct sym_view *view);
int sym_load_self(struct sym_self *self);

/*
 * dirlist.c: the <domid>/ subdirectories of dir, each loaded by load() into
 * an elem_size-byte element whose first member is the u16 domid (already
 * set); load returns 0 (keep), 1 (skip: it vanished) or < 0 (stop and
 * return it). On 0, *out is a malloc'd array sorted by domid. A dir that
 * cannot be opened is -errno, not reported; other errors are reported and
 * -1.
 */
typedef int (*sym_dir_load_fn)(const char *sub, void *elem, void *arg);
int sym_load_domid_dirs(const char *dir, size_t elem_size,
			sym_dir_load_fn load, void *arg, void **out,
			size_t *count);

/* evdev.c: reading whole lines from the event device */
struct sym_evdev {
	int fd;
	const char *path;
	bool is_chr;
	size_t len;
	char buf[8192];
};

int sym_evdev_open(struct sym_evdev *dev);
void sym_evdev_close(struct sym_evdev *dev);
int sym_evdev_drain(struct sym_evdev *dev,
		    int (*cb)(const char *line, void *arg), void *arg);

/* diff.c: changes between two successive listings */
enum sym_change_kind {
	SYM_CH_JOIN,
	SYM_CH_LEAVE,
	SYM_CH_MOVE,
	SYM_CH_UPDATE,
};

struct sym_change {
	enum sym_change_kind kind;
	const struct sym_entry *entry;	/* current entry; previous for LEAVE */
	u16 prev_domid;			/* MOVE */
	const char *field;		/* UPDATE */
	const char *old_value;		/* UPDATE */
	const char *new_value;		/* UPDATE */
};

int sym_diff(const struct sym_view *old, const struct sym_view *cur,
	     int (*cb)(const struct sym_change *ch, void *arg), void *arg);

/* loop.c: signal-aware waiting shared by "events --follow" and "watch" */
#define SYM_FALLBACK_MS		100

void sym_signals_init(void);
long long sym_now_ms(void);

struct pollfd;
int sym_wait(struct pollfd *fds, unsigned int nfds, long long timeout_ms);

/* Subcommands. */
struct sym_opts {
	bool json;
	bool follow;
	u64 count;			/* 0: unlimited */
	long long timeout_ms;		/* -1: none */
};

/* An unknown (empty) value as human output shows it. */
static inline const char *sym_dash(const char *s)
{
	return *s ? s : "-";
}

/* show.c */
void sym_entry_json_rest(FILE *f, const struct sym_entry *e,
			 enum sym_role role);

int cmd_self(const struct sym_opts *o);
int cmd_list(const struct sym_opts *o);
int cmd_events(const struct sym_opts *o);
int cmd_watch(const struct sym_opts *o);
int cmd_channels(const struct sym_opts *o);

int sym_flush_stdout(void);

#endif /* SYMBIONT_H */
