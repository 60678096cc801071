/*
 * fuzz_csv.c - csv_to_utf8() and csv_parse() on any bytes, as an import
 * reads an uploaded .csv.
 *
 * Invariants: the text is valid UTF-8 without NUL bytes; every record has
 * 1 to 1024 fields, each NUL-terminated at its length, on increasing rows;
 * the records written back with every field quoted parse to the same
 * records on the same rows.
 */
#include <string.h>

#include "base/xalloc.h"
#include "fuzz.h"

struct records {
	char *text; /* the records as "row\0nfields\0field\0field\0..." */
	size_t len, cap;
	uint32_t last_row;
	size_t count;
};

static void put(struct records *rs, const char *s, size_t n)
{
	if (rs->len + n > rs->cap) {
		rs->cap = (rs->len + n) * 2;
		rs->text = xrealloc(rs->text, rs->cap);
	}
	memcpy(rs->text + rs->len, s, n);
	rs->len += n;
}

static duban_result collect(void *ctx, uint32_t row,
			    const struct csv_field *f, size_t n,
			    struct duban_error *err)
{
	struct records *rs = ctx;
	char head[32];
	(void)err;
	FUZZ_ASSERT(n >= 1 && n <= 1024);
	FUZZ_ASSERT(row > rs->last_row);
	rs->last_row = row;
	rs->count++;
	put(rs, head, (size_t)snprintf(head, sizeof(head), "%u %zu",
				       (unsigned)row, n) + 1);
	for (size_t i = 0; i < n; i++) {
		FUZZ_ASSERT(f[i].p[f[i].len] == '\0');
		put(rs, f[i].p, f[i].len + 1);
	}
	return DUBAN_OK;
}

/* The records of rs again, every field quoted, LF after each record. */
static char *write_back(const struct records *rs, size_t *len)
{
	struct records out = { NULL, 0, 0, 0, 0 };
	const char *p = rs->text;
	while (p && p < rs->text + rs->len) {
		unsigned row;
		size_t n;
		FUZZ_ASSERT(sscanf(p, "%u %zu", &row, &n) == 2);
		p += strlen(p) + 1;
		for (size_t i = 0; i < n; i++) {
			size_t flen = strlen(p);
			if (i)
				put(&out, ",", 1);
			put(&out, "\"", 1);
			for (size_t k = 0; k < flen; k++) {
				if (p[k] == '"') /* a quote is written twice */
					put(&out, "\"", 1);
				put(&out, p + k, 1);
			}
			put(&out, "\"", 1);
			p += flen + 1;
		}
		put(&out, "\n", 1);
	}
	*len = out.len;
	return out.text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct duban_error err = { 0 };
	struct records first = { 0 }, again = { 0 };
	const char *encoding = NULL;
	char *text = NULL, *back = NULL;
	size_t len = 0, blen = 0;
	duban_result result;

	result = csv_to_utf8((const char *)data, size, &text, &len, &encoding,
			     &err);
	fuzz_check_error(result, &err);
	if (result)
		goto out;
	FUZZ_ASSERT(text[len] == '\0' && strlen(text) == len);
	FUZZ_ASSERT(utf8_valid(text, len));
	FUZZ_ASSERT(strcmp(encoding, "utf-8") == 0 ||
		    strcmp(encoding, "gb18030") == 0);

	result = csv_parse(text, len, 0, collect, &first, &err);
	fuzz_check_error(result, &err);
	if (result)
		goto out;
	back = write_back(&first, &blen);
	result = csv_parse(back ? back : "", blen, ',', collect, &again, &err);
	FUZZ_ASSERT(result == DUBAN_OK);
	FUZZ_ASSERT(again.count == first.count);
	FUZZ_ASSERT(again.len == first.len &&
		    (first.len == 0 ||
		     memcmp(again.text, first.text, first.len) == 0));
out:
	free(text);
	free(back);
	free(first.text);
	free(again.text);
	return 0;
}
