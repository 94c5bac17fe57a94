// SPDX-License-Identifier: GPL-2.0
/*
 * Reading whole lines from the event log device.
 *
 * /dev/symbiont_events is opened non-blocking: each open() starts at the
 * oldest retained record and read() returns -1/EAGAIN once caught up. A
 * regular file may stand in for the device (tests): there, end of file
 * means caught up and a line without its newline is kept until the rest
 * arrives.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "symbiont.h"

int sym_evdev_open(struct sym_evdev *dev)
{
	struct stat st;

	dev->path = sym_events_path();
	dev->len = 0;
	dev->fd = open(dev->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (dev->fd < 0) {
		int err = errno;

		/* Say "module not loaded" rather than "no such file". */
		if (err == ENOENT && sym_check_loaded())
			return -1;
		sym_err("cannot open %s: %s", dev->path, strerror(err));
		return -1;
	}
	if (fstat(dev->fd, &st) < 0) {
		sym_err("cannot stat %s: %s", dev->path, strerror(errno));
		close(dev->fd);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		sym_err("%s: is a directory", dev->path);
		close(dev->fd);
		return -1;
	}
	dev->is_chr = S_ISCHR(st.st_mode);
	return 0;
}

void sym_evdev_close(struct sym_evdev *dev)
{
	if (dev->fd >= 0)
		close(dev->fd);
	dev->fd = -1;
}

/* Hand every complete line in the buffer to cb; keep the rest. */
static int split_lines(struct sym_evdev *dev,
		       int (*cb)(const char *line, void *arg), void *arg)
{
	size_t start = 0;
	char *nl;

	while ((nl = memchr(dev->buf + start, '\n', dev->len - start))) {
		*nl = '\0';
		if (cb && cb(dev->buf + start, arg))
			return -1;
		start = (size_t)(nl - dev->buf) + 1;
	}
	memmove(dev->buf, dev->buf + start, dev->len - start);
	dev->len -= start;
	if (dev->len == sizeof(dev->buf)) {
		sym_err("%s: record longer than %zu bytes", dev->path,
			sizeof(dev->buf));
		return -1;
	}
	return 0;
}

/*
 * Read everything available. Returns 0 when caught up (EAGAIN), 1 at end
 * of file, -1 on error (reported, including errors returned by cb).
 */
int sym_evdev_drain(struct sym_evdev *dev,
		    int (*cb)(const char *line, void *arg), void *arg)
{
	ssize_t r;

	for (;;) {
		r = read(dev->fd, dev->buf + dev->len,
			 sizeof(dev->buf) - dev->len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 0;
			sym_err("cannot read %s: %s", dev->path,
				strerror(errno));
			return -1;
		}
		if (r == 0)
			return 1;
		dev->len += (size_t)r;
		if (split_lines(dev, cb, arg))
			return -1;
	}
}
