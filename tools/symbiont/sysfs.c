// SPDX-License-Identifier: GPL-2.0
/*
 * Reading and validating single values from the symbiont tree.
 *
 * Each sysfs file holds one value followed by a newline; an empty value
 * means "unknown". Values are checked against the grammar of
 * Documentation/protocol.md, with the parsers of drivers/core/xs_parse.c
 * where the kernel has one, and anything else is reported, naming the
 * file, as a malformed value: the tool never prints what it cannot vouch
 * for.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "symbiont.h"

#define RAW_MAX 256

const char *sym_sysfs_root(void)
{
	const char *s = getenv("SYMBIONT_SYSFS");

	return s && *s ? s : SYM_DEFAULT_SYSFS;
}

const char *sym_events_path(void)
{
	const char *s = getenv("SYMBIONT_EVENTS");

	return s && *s ? s : SYM_DEFAULT_EVENTS;
}

/* Build a path; returns -1 (reported) if it does not fit. */
int sym_path(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size) {
		sym_err("path too long");
		return -1;
	}
	return 0;
}

/*
 * Read the value in path into buf without its trailing newline. Returns 0,
 * -ENOENT if the file does not exist (not reported: callers decide whether
 * that is a race or an error), or -1 for any other failure (reported).
 * A sysfs file whose kobject is removed while we hold it open fails with
 * ENODEV: that is the same race as ENOENT and is reported as -ENOENT.
 */
static int sym_read_raw(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t r;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENODEV)
			return -ENOENT;
		sym_err("cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (len + 1 >= size) {
			/* Full buffer: only acceptable if at end of file. */
			char c;

			r = read(fd, &c, 1);
			if (r == 0)
				break;
			close(fd);
			if (r < 0)
				goto read_err;
			sym_err("%s: value too long", path);
			return -1;
		}
		r = read(fd, buf + len, size - 1 - len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int err = errno;

			close(fd);
			errno = err;
			if (err == ENODEV)
				return -ENOENT;
			goto read_err;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	if (len && buf[len - 1] == '\n')
		len--;
	buf[len] = '\0';
	if (memchr(buf, '\0', len) || memchr(buf, '\n', len)) {
		sym_err("%s: malformed value (more than one line)", path);
		return -1;
	}
	return 0;
read_err:
	sym_err("cannot read %s: %s", path, strerror(errno));
	return -1;
}

/*
 * Explain why the sysfs root is absent. The only file read outside the
 * symbiont tree is the hypervisor type, and only to tell "not on Xen"
 * apart from "module not loaded".
 */
static void explain_missing_root(const char *root)
{
	const char *hv = getenv("SYMBIONT_HYPERVISOR");
	char type[RAW_MAX], q[64];

	if (!hv || !*hv)
		hv = SYM_DEFAULT_HYPERVISOR;
	if (sym_read_raw(hv, type, sizeof(type)) == 0 && strcmp(type, "xen")) {
		json_escape(q, sizeof(q), type, 32);
		sym_err("not running on Xen (%s is \"%s\")", hv, q);
		return;
	}
	sym_err("kernel module not loaded (%s missing)", root);
}

/* Check that the symbiont sysfs tree exists; -1 (reported) if not. */
int sym_check_loaded(void)
{
	const char *root = sym_sysfs_root();
	struct stat st;

	if (stat(root, &st) < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			explain_missing_root(root);
		else
			sym_err("cannot access %s: %s", root, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		sym_err("%s is not a directory", root);
		return -1;
	}
	return 0;
}

static bool one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(s, *set))
			return true;
	return false;
}

/*
 * Is s a well-formed non-empty value of this kind? The grammars the kernel
 * writes with are drivers/core's; sysfs shows uuids in lower case only.
 */
static bool sym_valid(enum sym_kind kind, const char *s)
{
	static const char *const modes[] = { "event", "poll", NULL };
	static const char *const roles[] = { "guest", "dom0", NULL };
	static const char *const chan_states[] = {
		"idle", "offered", "mapped", "connected", "broken", NULL };
	char name[SYM_NAME_MAX + 1], uuid[SYM_UUID_STR_LEN + 1];
	size_t len = strlen(s);
	enum sym_announce state;
	u8 mac[SYM_MAC_LEN];
	u16 domid;
	u64 v;

	switch (kind) {
	case SYM_K_DOMID:
		return !sym_parse_domid(s, len, &domid);
	case SYM_K_U64:
		return !sym_parse_u64(s, len, &v);
	case SYM_K_U32:
		return !sym_parse_u64(s, len, &v) && v <= UINT32_MAX;
	case SYM_K_UUID:
		return !sym_parse_uuid(s, len, uuid) && !memcmp(uuid, s, len);
	case SYM_K_MAC:
		return !sym_parse_mac(s, len, mac);
	case SYM_K_NAME:
		return !sym_parse_name(s, len, name, sizeof(name));
	case SYM_K_STATE:
		return !sym_parse_announce(s, len, &state);
	case SYM_K_MODE:
		return one_of(s, modes);
	case SYM_K_ROLE:
		return one_of(s, roles);
	case SYM_K_CHAN_STATE:
		return one_of(s, chan_states);
	}
	return false;
}

static const char *sym_kind_name(enum sym_kind kind)
{
	switch (kind) {
	case SYM_K_DOMID: return "domid";
	case SYM_K_U64:   return "number";
	case SYM_K_U32:   return "number";
	case SYM_K_UUID:  return "uuid";
	case SYM_K_MAC:   return "MAC";
	case SYM_K_NAME:  return "name";
	case SYM_K_STATE: return "state";
	case SYM_K_MODE:  return "mode";
	case SYM_K_ROLE:  return "role";
	case SYM_K_CHAN_STATE: return "channel state";
	}
	return "value";
}

/* Kinds for which an empty value means "unknown" rather than malformed. */
static bool may_be_empty(enum sym_kind kind)
{
	return kind == SYM_K_UUID || kind == SYM_K_MAC ||
	       kind == SYM_K_NAME || kind == SYM_K_STATE;
}

static void report_malformed(const char *path, enum sym_kind kind,
			     const char *val)
{
	char q[80];

	json_escape(q, sizeof(q), val, 48);
	sym_err("%s: malformed %s \"%s\"%s", path, sym_kind_name(kind), q,
		strlen(val) > 48 ? "..." : "");
}

/*
 * Read and validate one value. A missing file is reported unless strict is
 * false, in which case -ENOENT is returned silently (the caller retries).
 */
int sym_read_value(const char *path, enum sym_kind kind, char *buf,
		   size_t size, bool strict)
{
	char raw[RAW_MAX];
	int r;

	r = sym_read_raw(path, raw, sizeof(raw));
	if (r == -ENOENT) {
		if (!strict)
			return -ENOENT;
		sym_err("cannot read %s: %s", path, strerror(ENOENT));
		return -1;
	}
	if (r)
		return -1;
	if (!(raw[0] == '\0' && may_be_empty(kind)) && !sym_valid(kind, raw)) {
		report_malformed(path, kind, raw);
		return -1;
	}
	if (strlen(raw) >= size) {
		report_malformed(path, kind, raw);
		return -1;
	}
	strcpy(buf, raw);
	return 0;
}

/* Read a mandatory number (domid, u32 or u64). */
int sym_read_num(const char *path, enum sym_kind kind, u64 *v)
{
	char buf[SYM_NUM_LEN];

	if (sym_read_value(path, kind, buf, sizeof(buf), true))
		return -1;
	return sym_parse_u64(buf, strlen(buf), v) ? -1 : 0;
}

/*
 * Re-read a u64 from an open file descriptor from offset 0, as sysfs poll
 * requires; returns 0 or -1 (reported).
 */
int sym_read_num_fd(int fd, const char *path, u64 *v)
{
	char buf[SYM_NUM_LEN];
	ssize_t r;
	size_t len;

	if (lseek(fd, 0, SEEK_SET) < 0) {
		sym_err("cannot seek %s: %s", path, strerror(errno));
		return -1;
	}
	do {
		r = read(fd, buf, sizeof(buf) - 1);
	} while (r < 0 && errno == EINTR);
	if (r < 0) {
		sym_err("cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	len = (size_t)r;
	if (len && buf[len - 1] == '\n')
		len--;
	buf[len] = '\0';
	if (sym_parse_u64(buf, strlen(buf), v)) {
		report_malformed(path, SYM_K_U64, buf);
		return -1;
	}
	return 0;
}
