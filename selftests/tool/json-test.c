// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the tool's JSON string escaping.
 *
 * Sysfs and event values are validated before they reach the JSON writer,
 * so hostile bytes cannot be injected through a fake tree; this program
 * feeds json_str() directly and prints one JSON string per line for
 * test-tool.sh to compare and to validate with python3.
 */
#include <stdio.h>

#include "symbiont.h"

int main(void)
{
	static const char *const inputs[] = {
		"plain",
		"",
		"quote\" backslash\\ slash/",
		"nl\n cr\r tab\t bs\b ff\f",
		"ctl\x01\x1f del\x7f",
		"utf8 \xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa7",
		"bad \xff \xc3 \xed\xa0\x80 \xc0\xaf end",
		NULL,
	};
	const char *const *s;
	char small[8];

	for (s = inputs; *s; s++) {
		json_str(stdout, *s);
		putchar('\n');
	}
	/* Truncation never splits an escape sequence. */
	json_escape(small, sizeof(small), "ab\x01", 16);
	printf("\"%s\"\n", small);
	return 0;
}
