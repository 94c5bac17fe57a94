// SPDX-License-Identifier: GPL-2.0
/*
 * Argument parsing and subcommand dispatch for symbiont(8).
 *
 * Options may appear before or after the subcommand. Anything the user got
 * wrong is a usage error: one line on stderr, exit status 2.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "symbiont.h"

static const char usage_text[] =
"Usage: symbiont [-j] COMMAND [OPTIONS]\n"
"\n"
"Show what the symbiont kernel modules know about co-resident VMs.\n"
"\n"
"Commands:\n"
"  self                 this VM as the suite sees it (dom0: role and members)\n"
"  list                 peers (guest) or members (dom0), sorted by domid\n"
"  events [-f]          the event log; -f, --follow: keep printing new records\n"
"  watch                print each change as it happens\n"
"      -c, --count N        exit 0 after N changes\n"
"      -t, --timeout SECS   exit 1 if nothing changes for SECS seconds\n"
"  channels             fast-path channels to peers, with their counters (guest)\n"
"\n"
"Options:\n"
"  -j, --json           JSON output (one object per line)\n"
"  -h, --help           show this help\n"
"      --version        show the version\n"
"\n"
"Environment: SYMBIONT_SYSFS (default " SYM_DEFAULT_SYSFS "),\n"
"             SYMBIONT_EVENTS (default " SYM_DEFAULT_EVENTS ").\n"
"Exit status: 0 success, 1 runtime failure, 2 usage error. See symbiont(8).\n";

static const struct {
	const char *name;
	int (*fn)(const struct sym_opts *o);
} commands[] = {
	{ "self", cmd_self },
	{ "list", cmd_list },
	{ "events", cmd_events },
	{ "watch", cmd_watch },
	{ "channels", cmd_channels },
};

enum { OPT_VERSION = 256 };

static const struct option long_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "follow", no_argument, NULL, 'f' },
	{ "count", required_argument, NULL, 'c' },
	{ "timeout", required_argument, NULL, 't' },
	{ NULL, 0, NULL, 0 },
};

/* Seconds with up to three decimals ("2", "0.5"), > 0, as milliseconds. */
static int parse_seconds(const char *s, long long *ms)
{
	const char *dot = strchr(s, '.');
	size_t ilen = dot ? (size_t)(dot - s) : strlen(s);
	long long frac = 0;
	int digits = 0;
	u64 whole;

	if (sym_parse_u64(s, ilen, &whole) || whole > 1000000000)
		return -1;
	if (dot) {
		for (s = dot + 1; *s; s++, digits++) {
			if (*s < '0' || *s > '9' || digits == 3)
				return -1;
			frac = frac * 10 + (*s - '0');
		}
		if (!digits)
			return -1;
		for (; digits < 3; digits++)
			frac *= 10;
	}
	*ms = (long long)whole * 1000 + frac;
	return *ms > 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct sym_opts o = { .timeout_ms = -1 };
	bool follow_set = false, count_set = false;
	const char *cmd = NULL;
	size_t i;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":jhfc:t:", long_opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o.json = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return sym_flush_stdout() ? SYM_EXIT_FAIL : SYM_EXIT_OK;
		case OPT_VERSION:
			printf("symbiont %s (protocol %s)\n", SYM_VERSION,
			       SYM_PROTOCOL_VERSION);
			return sym_flush_stdout() ? SYM_EXIT_FAIL : SYM_EXIT_OK;
		case 'f':
			o.follow = follow_set = true;
			break;
		case 'c':
			if (sym_parse_u64(optarg, strlen(optarg), &o.count) ||
			    !o.count)
				return sym_usage_err("--count needs a positive integer, not '%.32s'",
						     optarg);
			count_set = true;
			break;
		case 't':
			if (parse_seconds(optarg, &o.timeout_ms))
				return sym_usage_err("--timeout needs a positive number of seconds, not '%.32s'",
						     optarg);
			break;
		case ':':
			if (!strncmp(argv[optind - 1], "--", 2))
				return sym_usage_err("option '%.64s' needs an argument",
						     argv[optind - 1]);
			return sym_usage_err("option '-%c' needs an argument",
					     optopt);
		default:
			if (optopt)
				return sym_usage_err("unknown option '-%c'",
						     optopt);
			return sym_usage_err("unknown option '%.64s'",
					     argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return sym_usage_err("missing command");
	cmd = argv[optind];
	if (optind + 1 < argc)
		return sym_usage_err("unexpected argument '%.64s'",
				     argv[optind + 1]);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(cmd, commands[i].name))
			break;
	if (i == ARRAY_SIZE(commands))
		return sym_usage_err("unknown command '%.64s'", cmd);
	if (follow_set && strcmp(cmd, "events"))
		return sym_usage_err("--follow only applies to 'events'");
	if ((count_set || o.timeout_ms >= 0) && strcmp(cmd, "watch"))
		return sym_usage_err("--count and --timeout only apply to 'watch'");
	return commands[i].fn(&o);
}
