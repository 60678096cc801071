#include "core/csv.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#define MAX_FIELDS 1024
#define MAX_FIELD_BYTES (1u << 20)

bool utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t k;
		unsigned cp;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			k = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			k = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			k = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (n - i - 1 < k)
			return false;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + j] & 0x3F);
		}
		if ((k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
		    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
			return false;
		i += k + 1;
	}
	return true;
}

size_t utf8_whole(const char *s, size_t n)
{
	/* a character is at most four bytes: the cut is among the last */
	while (n > 0 && !utf8_valid(s, n))
		n--;
	return n;
}

duban_result csv_to_utf8(const char *in, size_t len, char **out,
			 size_t *out_len, const char **encoding,
			 struct duban_error *err)
{
	iconv_t cd;
	char *buf, *src, *dst;
	size_t left, room, cap;
	*out = NULL;
	*out_len = 0;
	if (len >= 2 && ((unsigned char)in[0] == 0xFF ||
			 (unsigned char)in[0] == 0xFE) &&
	    ((unsigned char)in[1] == 0xFE || (unsigned char)in[1] == 0xFF) &&
	    in[0] != in[1])
		return duban_fail(err, DUBAN_E_INVALID, "file",
				  "the file is UTF-16 text; save it as CSV "
				  "(UTF-8 or GB18030)");
	if (memchr(in, '\0', len))
		return duban_fail(err, DUBAN_E_INVALID, "file",
				  "the file is not text: it holds NUL bytes");
	if (len >= 3 && memcmp(in, "\xEF\xBB\xBF", 3) == 0) {
		in += 3;
		len -= 3;
		if (!utf8_valid(in, len))
			return duban_fail(err, DUBAN_E_INVALID, "file",
					  "the file starts as UTF-8 but is not "
					  "valid UTF-8");
	}
	if (utf8_valid(in, len)) {
		*out = xstrndup(in, len);
		*out_len = len;
		*encoding = "utf-8";
		return DUBAN_OK;
	}
	cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		return duban_fail(err, DUBAN_E_INTERNAL, "file",
				  "unable to convert from GB18030: %s",
				  strerror(errno));
	/* two GB18030 bytes make at most three UTF-8 ones */
	cap = len * 2 + 4;
	buf = xmalloc(cap);
	src = (char *)in;
	left = len;
	dst = buf;
	room = cap - 1;
	if (iconv(cd, &src, &left, &dst, &room) == (size_t)-1) {
		size_t at = (size_t)(src - in);
		iconv_close(cd);
		free(buf);
		return duban_fail(err, DUBAN_E_INVALID, "file",
				  "the file is neither UTF-8 nor GB18030 text "
				  "(at byte %zu)",
				  at);
	}
	iconv_close(cd);
	*dst = '\0';
	*out = buf;
	*out_len = (size_t)(dst - buf);
	*encoding = "gb18030";
	return DUBAN_OK;
}

/* The separator the first line uses most, outside quotes. */
static char guess_sep(const char *t, size_t len)
{
	size_t comma = 0, semi = 0, tab = 0;
	bool quoted = false;
	for (size_t i = 0; i < len; i++) {
		char c = t[i];
		if (c == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (c == '\n' || c == '\r')
			break;
		else if (c == ',')
			comma++;
		else if (c == ';')
			semi++;
		else if (c == '\t')
			tab++;
	}
	if (tab > comma && tab >= semi)
		return '\t';
	if (semi > comma)
		return ';';
	return ',';
}

struct record {
	char *buf;
	size_t len, cap;
	size_t off[MAX_FIELDS + 1];
	size_t n;
};

static void put(struct record *r, const char *s, size_t n)
{
	if (r->len + n + 1 > r->cap) {
		size_t cap = r->cap ? r->cap : 1024;
		while (cap < r->len + n + 1)
			cap *= 2;
		r->buf = xrealloc(r->buf, cap);
		r->cap = cap;
	}
	memcpy(r->buf + r->len, s, n);
	r->len += n;
}

duban_result csv_parse(const char *text, size_t len, char sep,
		       csv_row_fn fn, void *ctx, struct duban_error *err)
{
	struct record *rec = xcalloc(1, sizeof(*rec));
	struct csv_field *fields = xmalloc(sizeof(*fields) * MAX_FIELDS);
	duban_result result = DUBAN_OK;
	uint32_t row = 1;
	size_t i = 0;
	if (!sep)
		sep = guess_sep(text, len);
	while (i < len) {
		/* one record: fields until an unquoted line end */
		uint32_t start_row = row;
		rec->len = 0;
		rec->n = 0;
		for (;;) {
			size_t field_start = rec->len;
			if (rec->n == MAX_FIELDS) {
				result = duban_fail(err, DUBAN_E_INVALID, "file",
						    "row %u has more than %d "
						    "fields",
						    (unsigned)start_row,
						    MAX_FIELDS);
				goto out;
			}
			rec->off[rec->n] = rec->len;
			if (i < len && text[i] == '"') {
				i++;
				for (;;) {
					const char *e = memchr(text + i, '"',
							       len - i);
					if (!e) {
						result = duban_fail(
							err, DUBAN_E_INVALID,
							"file",
							"row %u: a quoted field "
							"is not closed",
							(unsigned)start_row);
						goto out;
					}
					size_t at = (size_t)(e - text);
					for (size_t k = i; k < at; k++)
						if (text[k] == '\n' ||
						    (text[k] == '\r' &&
						     (k + 1 >= len ||
						      text[k + 1] != '\n')))
							row++;
					put(rec, text + i, at - i);
					i = at + 1;
					if (i < len && text[i] == '"') {
						put(rec, "\"", 1);
						i++;
						continue;
					}
					break;
				}
			}
			/* unquoted text, or what trails a closing quote */
			size_t s = i;
			while (i < len && text[i] != sep && text[i] != '\n' &&
			       text[i] != '\r')
				i++;
			put(rec, text + s, i - s);
			if (rec->len - field_start > MAX_FIELD_BYTES) {
				result = duban_fail(err, DUBAN_E_INVALID, "file",
						    "row %u has a field larger "
						    "than %u bytes",
						    (unsigned)start_row,
						    MAX_FIELD_BYTES);
				goto out;
			}
			put(rec, "", 1); /* the field's NUL */
			rec->n++;
			if (i < len && text[i] == sep) {
				i++;
				continue;
			}
			break;
		}
		/* the line end: CRLF, LF or CR */
		if (i < len && text[i] == '\r') {
			i++;
			if (i < len && text[i] == '\n')
				i++;
		} else if (i < len && text[i] == '\n') {
			i++;
		}
		for (size_t k = 0; k < rec->n; k++) {
			size_t end = k + 1 < rec->n ? rec->off[k + 1] - 1
						    : rec->len - 1;
			fields[k].p = rec->buf + rec->off[k];
			fields[k].len = end - rec->off[k];
		}
		if ((result = fn(ctx, start_row, fields, rec->n, err)))
			goto out;
		row++;
	}
out:
	free(rec->buf);
	free(rec);
	free(fields);
	return result;
}
