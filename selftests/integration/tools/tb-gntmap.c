// SPDX-License-Identifier: GPL-2.0
/*
 * tb-gntmap: the hostile mapper of the testbed, from userspace. It maps a
 * granter's whole fast-path offer through /dev/xen/gntdev, as any guest
 * may, and keeps it mapped, whatever the granter does afterwards:
 *
 *   tb-gntmap hold DOMID REF0
 *	map the control page that DOMID granted as REF0, read the list of
 *	data-page references in it (struct sym_fp_ctrl_page), map every one
 *	of them, print "mapped N" (N pages, the control page included) and
 *	keep them mapped until killed. Exit 1 with a reason if any map
 *	fails.
 *
 * The layout constants are the protocol's (drivers/core/fp_proto.h); the
 * gntdev interface is the kernel's uapi (<xen/gntdev.h>).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
/* What <xen/gntdev.h> expects its includer to define. */
typedef uint32_t grant_ref_t;
typedef uint16_t domid_t;
#include <xen/gntdev.h>
#include "fp_proto.h"

#define PAGE	4096u

/* Maps n grants of domid at one address; the pages, or NULL. */
static void *map_grants(int fd, uint32_t domid, const uint32_t *refs,
			unsigned int n)
{
	struct ioctl_gntdev_map_grant_ref *op;
	unsigned int i;
	void *addr;

	op = calloc(1, sizeof(*op) + (n - 1) * sizeof(op->refs[0]));
	if (!op)
		return NULL;
	op->count = n;
	for (i = 0; i < n; i++) {
		op->refs[i].domid = domid;
		op->refs[i].ref = refs[i];
	}
	if (ioctl(fd, IOCTL_GNTDEV_MAP_GRANT_REF, op)) {
		fprintf(stderr, "tb-gntmap: IOCTL_GNTDEV_MAP_GRANT_REF: %s\n",
			strerror(errno));
		free(op);
		return NULL;
	}
	addr = mmap(NULL, (size_t)n * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
		    fd, op->index);
	if (addr == MAP_FAILED) {
		fprintf(stderr, "tb-gntmap: mmap of %u grants of domain %u: %s\n",
			n, domid, strerror(errno));
		addr = NULL;
	}
	free(op);
	return addr;
}

int main(int argc, char **argv)
{
	uint32_t refs[2 * FP_DATA_PAGES];
	const struct sym_fp_ctrl_page *ctrl;
	uint32_t domid, ref0;
	unsigned int i;
	int fd;

	if (argc != 4 || strcmp(argv[1], "hold")) {
		fprintf(stderr, "usage: tb-gntmap hold DOMID REF0\n");
		return 2;
	}
	domid = strtoul(argv[2], NULL, 10);
	ref0 = strtoul(argv[3], NULL, 10);
	fd = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "tb-gntmap: /dev/xen/gntdev: %s\n", strerror(errno));
		return 1;
	}
	ctrl = map_grants(fd, domid, &ref0, 1);
	if (!ctrl)
		return 1;
	for (i = 0; i < 2 * FP_DATA_PAGES; i++)
		refs[i] = ctrl->refs[i];	/* little-endian, as we are */
	if (!map_grants(fd, domid, refs, 2 * FP_DATA_PAGES))
		return 1;
	printf("mapped %u\n", 1 + 2 * FP_DATA_PAGES);
	fflush(stdout);
	for (;;)
		pause();
}
