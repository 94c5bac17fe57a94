// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_event_parse.c - libFuzzer target for the event record text form.
 *
 * The input is one candidate line, unterminated. sym_event_parse() and
 * sym_event_parse_overflow() must never read past it, and because both are
 * strict, any line they accept is canonical: formatting the parsed record
 * must reproduce the input byte for byte (plus the '\n' if it was missing).
 * A broken invariant aborts, which libFuzzer reports. Single-threaded.
 */
#include <stdlib.h>
#include "event_log.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static void check_same_line(const char *line, int len, const char *in, size_t size)
{
	CHECK(len > 0 && len < SYM_EVENT_LINE_MAX);
	CHECK(line[len - 1] == '\n');
	if (size && in[size - 1] == '\n')
		CHECK((size_t)len == size && !memcmp(line, in, size));
	else
		CHECK((size_t)len == size + 1 && !memcmp(line, in, size));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	char line[SYM_EVENT_LINE_MAX];
	struct sym_event ev, again;
	u64 seq, lost;
	int ret, len;

	ret = sym_event_parse(in, size, &ev);
	CHECK(ret == 0 || ret == -EINVAL);
	if (!ret) {
		len = sym_event_format(&ev, line, sizeof(line));
		check_same_line(line, len, in, size);
		CHECK(sym_event_parse(line, len, &again) == 0);
		CHECK(!memcmp(&ev, &again, sizeof(ev)));
		CHECK(sym_event_format(&ev, line, len) == -ENOSPC);
	}

	ret = sym_event_parse_overflow(in, size, &seq, &lost);
	CHECK(ret == 0 || ret == -EINVAL);
	if (!ret) {
		len = sym_event_format_overflow(seq, lost, line, sizeof(line));
		check_same_line(line, len, in, size);
		CHECK(sym_event_parse(in, size, &again) == -EINVAL);
	}
	return 0;
}
