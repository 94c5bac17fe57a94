// SPDX-License-Identifier: GPL-2.0
/*
 * Listing a sysfs directory of <domid>/ subdirectories (peers/, members/,
 * channels/) into an array sorted by domid, shared by view.c and
 * channels.c. Each entry is loaded by the caller's callback, which may
 * skip one whose directory vanished while we read it.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "symbiont.h"

static int cmp_domid(const void *a, const void *b)
{
	return (int)*(const u16 *)a - (int)*(const u16 *)b;
}

int sym_load_domid_dirs(const char *dir, size_t elem_size,
			sym_dir_load_fn load, void *arg, void **out, size_t *count)
{
	char sub[PATH_MAX], q[80];
	size_t n = 0, cap = 0;
	struct dirent *de;
	u16 domid;
	char *elems = NULL, *grown;
	DIR *d;
	int r = 0;

	d = opendir(dir);
	if (!d)
		return -errno;
	while ((errno = 0, de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			grown = realloc(elems, cap * elem_size);
			if (!grown) {
				sym_err("out of memory");
				r = -1;
				break;
			}
			elems = grown;
		}
		if (sym_parse_domid(de->d_name, strlen(de->d_name), &domid)) {
			json_escape(q, sizeof(q), de->d_name, 48);
			sym_err("%s: malformed domid directory name \"%s\"",
				dir, q);
			r = -1;
			break;
		}
		if (sym_path(sub, sizeof(sub), "%s/%s", dir, de->d_name)) {
			r = -1;
			break;
		}
		memset(elems + n * elem_size, 0, elem_size);
		*(u16 *)(elems + n * elem_size) = domid;
		r = load(sub, elems + n * elem_size, arg);
		if (r < 0)
			break;
		n += r == 0;
		r = 0;
	}
	if (!r && errno) {
		sym_err("cannot read %s: %s", dir, strerror(errno));
		r = -1;
	}
	closedir(d);
	if (r) {
		free(elems);
		return r;
	}
	if (n)
		qsort(elems, n, elem_size, cmp_domid);
	*out = elems;
	*count = n;
	return 0;
}
