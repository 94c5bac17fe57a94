// SPDX-License-Identifier: GPL-2.0
/*
 * JSON string output.
 *
 * Strings are written as RFC 8259 string literals: '"' and '\\' are escaped,
 * control characters become \n, \t, ... or \u00XX, DEL becomes \u007f, and
 * bytes that are not part of well-formed UTF-8 become \ufffd, so the output
 * is always valid JSON whatever the input bytes. The same escaping is used
 * to quote values inside error messages.
 */
#include <stdio.h>
#include <string.h>

#include "symbiont.h"

/* Length of the well-formed UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/*
 * Escape at most maxin bytes of the NUL-terminated string in into out
 * (size bytes, always NUL-terminated when size > 0), without quotes.
 * Returns the number of input bytes consumed; output is never cut inside
 * an escape sequence.
 */
size_t json_escape(char *out, size_t size, const char *in, size_t maxin)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t n = strnlen(in, maxin);
	size_t i = 0, o = 0;

	if (!size)
		return 0;
	while (i < n) {
		char esc[8];
		size_t elen, clen = 1;

		switch (s[i]) {
		case '"':
			strcpy(esc, "\\\"");
			break;
		case '\\':
			strcpy(esc, "\\\\");
			break;
		case '\b':
			strcpy(esc, "\\b");
			break;
		case '\f':
			strcpy(esc, "\\f");
			break;
		case '\n':
			strcpy(esc, "\\n");
			break;
		case '\r':
			strcpy(esc, "\\r");
			break;
		case '\t':
			strcpy(esc, "\\t");
			break;
		default:
			if (s[i] < 0x20 || s[i] == 0x7f) {
				snprintf(esc, sizeof(esc), "\\u%04x", s[i]);
			} else if (s[i] < 0x80) {
				esc[0] = (char)s[i];
				esc[1] = '\0';
			} else {
				clen = utf8_len(s + i, n - i);
				if (!clen) {
					clen = 1;
					strcpy(esc, "\\ufffd");
				} else {
					memcpy(esc, s + i, clen);
					esc[clen] = '\0';
				}
			}
		}
		elen = strlen(esc);
		if (o + elen >= size)
			break;
		memcpy(out + o, esc, elen);
		o += elen;
		i += clen;
	}
	out[o] = '\0';
	return i;
}

/* Write s as a JSON string literal. */
void json_str(FILE *f, const char *s)
{
	char buf[512];
	size_t len = strlen(s);

	fputc('"', f);
	while (len) {
		size_t used = json_escape(buf, sizeof(buf), s, len);

		fputs(buf, f);
		s += used;
		len -= used;
	}
	fputc('"', f);
}

/* Write s as a JSON string, or null when it is empty (value unknown). */
void json_str_or_null(FILE *f, const char *s)
{
	if (*s)
		json_str(f, s);
	else
		fputs("null", f);
}

/* Write an object key, preceded by a comma unless it is the first one. */
void json_key(FILE *f, const char *key, bool first)
{
	if (!first)
		fputc(',', f);
	json_str(f, key);
	fputc(':', f);
}
