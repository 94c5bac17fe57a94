// SPDX-License-Identifier: GPL-2.0
/*
 * The "channels" subcommand: the fast-path channels of this guest, one per
 * co-resident peer of its group, from /sys/kernel/symbiont/channels/<peer>/
 * (symbiont_fastpath.ko; Documentation/ABI/testing/
 * sysfs-kernel-symbiont-fastpath).
 *
 * A channel directory that vanishes while we read it (the peer left) is
 * skipped; any other missing or malformed file is an error. The peer's
 * name comes from peers/<peer>/name when discovery still lists it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "symbiont.h"

/* The counters, in sysfs file order; also the JSON keys. */
static const char *const counter_files[] = {
	"tx_packets", "tx_bytes", "rx_packets", "rx_bytes", "fallbacks",
	"errors", "stalls", "reclaimed", "rx_spoofed", "rx_filtered",
};

struct sym_channel {
	u16 peer;
	char name[SYM_NAME_MAX + 1];
	char state[SYM_WORD_LEN];
	u64 counter[ARRAY_SIZE(counter_files)];
};

/* 0, 1 if the directory vanished (skip), -1 reported. */
static int load_channel(const char *dir, void *elem, void *arg __attribute__((unused)))
{
	struct sym_channel *c = elem;
	char path[PATH_MAX], num[SYM_NUM_LEN];
	struct stat st;
	size_t i;
	int r;

	if (sym_path(path, sizeof(path), "%s/state", dir))
		return -1;
	r = sym_read_value(path, SYM_K_CHAN_STATE, c->state, sizeof(c->state),
			   false);
	for (i = 0; !r && i < ARRAY_SIZE(counter_files); i++) {
		if (sym_path(path, sizeof(path), "%s/%s", dir,
			     counter_files[i]))
			return -1;
		r = sym_read_value(path, SYM_K_U64, num, sizeof(num), false);
		if (!r)
			sym_parse_u64(num, strlen(num), &c->counter[i]);
	}
	if (r == -ENOENT) {
		if (stat(dir, &st) < 0 && errno == ENOENT)
			return 1;
		sym_err("cannot read %s: %s", path, strerror(ENOENT));
		return -1;
	}
	if (r)
		return -1;

	/* Best effort: the peer may have left discovery already. */
	if (sym_path(path, sizeof(path), "%s/peers/%u/name", sym_sysfs_root(),
		     c->peer) ||
	    sym_read_value(path, SYM_K_NAME, c->name, sizeof(c->name), false))
		c->name[0] = '\0';
	return 0;
}

static int load_channels(struct sym_channel **out, size_t *count)
{
	char dir[PATH_MAX];
	void *chans;
	int r;

	if (sym_check_loaded() ||
	    sym_path(dir, sizeof(dir), "%s/channels", sym_sysfs_root()))
		return -1;
	r = sym_load_domid_dirs(dir, sizeof(struct sym_channel), load_channel,
				NULL, &chans, count);
	if (r == -ENOENT)
		sym_err("%s: no such directory: is symbiont_fastpath loaded?",
			dir);
	else if (r < -1)
		sym_err("cannot read %s: %s", dir, strerror(-r));
	if (r)
		return -1;
	*out = chans;
	return 0;
}

static void channels_human(const struct sym_channel *chans, size_t n)
{
	size_t i;

	printf("%-5s  %-16s  %-9s  %10s  %12s  %10s  %12s  %9s  %6s  %6s  %9s  %7s  %8s\n",
	       "PEER", "NAME", "STATE", "TX_PKTS", "TX_BYTES", "RX_PKTS",
	       "RX_BYTES", "FALLBACKS", "ERRORS", "STALLS", "RECLAIMED",
	       "SPOOFED", "FILTERED");
	for (i = 0; i < n; i++) {
		const struct sym_channel *c = &chans[i];

		printf("%-5u  %-16s  %-9s  %10" PRIu64 "  %12" PRIu64 "  %10" PRIu64
		       "  %12" PRIu64 "  %9" PRIu64 "  %6" PRIu64 "  %6" PRIu64
		       "  %9" PRIu64 "  %7" PRIu64 "  %8" PRIu64 "\n",
		       c->peer, sym_dash(c->name), c->state,
		       c->counter[0], c->counter[1], c->counter[2],
		       c->counter[3], c->counter[4], c->counter[5],
		       c->counter[6], c->counter[7], c->counter[8],
		       c->counter[9]);
	}
}

static void channels_json(const struct sym_channel *chans, size_t n)
{
	FILE *f = stdout;
	size_t i, k;

	fputc('{', f);
	json_key(f, "channels", true);
	fputc('[', f);
	for (i = 0; i < n; i++) {
		fputs(i ? ",{" : "{", f);
		json_key(f, "peer", true);
		fprintf(f, "%u", chans[i].peer);
		json_key(f, "name", false);
		json_str_or_null(f, chans[i].name);
		json_key(f, "state", false);
		json_str(f, chans[i].state);
		for (k = 0; k < ARRAY_SIZE(counter_files); k++) {
			json_key(f, counter_files[k], false);
			fprintf(f, "%" PRIu64, chans[i].counter[k]);
		}
		fputc('}', f);
	}
	fputs("]}\n", f);
}

int cmd_channels(const struct sym_opts *o)
{
	struct sym_channel *chans;
	size_t n;

	if (load_channels(&chans, &n))
		return SYM_EXIT_FAIL;
	if (o->json)
		channels_json(chans, n);
	else
		channels_human(chans, n);
	free(chans);
	return sym_flush_stdout() ? SYM_EXIT_FAIL : SYM_EXIT_OK;
}
