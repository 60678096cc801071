/*
 * csv.h - reading CSV files as offices write them: RFC 4180 records, in
 * UTF-8 (with or without a byte order mark) or in GB18030, which is what
 * Excel's "CSV (逗号分隔)" writes on Chinese Windows.
 */
#ifndef DUBAN_CORE_CSV_H
#define DUBAN_CORE_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/result.h"

/** True when s[0..n) is well-formed UTF-8 (no overlong forms, no
 * surrogates, nothing above U+10FFFF). */
bool utf8_valid(const char *s, size_t n);

/**
 * The length of the longest well-formed start of s[0..n): a text cut to a
 * buffer's size, or quoted byte by byte, ends before a broken character.
 */
size_t utf8_whole(const char *s, size_t n);

/**
 * The text of a CSV file as UTF-8.  A UTF-8 byte order mark is dropped;
 * valid UTF-8 is taken as it is; anything else is converted from GB18030
 * (a superset of GBK and GB2312).  A NUL byte, a UTF-16 byte order mark or
 * bytes that are not GB18030 either are DUBAN_E_INVALID (field "file").
 * *out is malloc'd and NUL-terminated (the caller frees it); *encoding is
 * "utf-8" or "gb18030" (static).
 */
duban_result csv_to_utf8(const char *in, size_t len, char **out,
			 size_t *out_len, const char **encoding,
			 struct duban_error *err);

/** A field of a record: p[0..len), NUL-terminated. */
struct csv_field {
	const char *p;
	size_t len;
};

/**
 * Called once per record.  row is the record's 1-based number (a blank line
 * is a record of one empty field, so numbers match a spreadsheet's rows).
 * The fields are valid until fn returns; a non-OK result stops parsing.
 */
typedef duban_result (*csv_row_fn)(void *ctx, uint32_t row,
				   const struct csv_field *fields, size_t n,
				   struct duban_error *err);

/**
 * Parses RFC 4180 CSV from text[0..len): fields separated by sep (0: the
 * one of , ; or TAB that the first line uses most, comma on a tie),
 * optionally quoted with "", records ending in CRLF, LF or CR.  A quoted
 * field may span lines.  An unterminated quote, more than 1024 fields in a
 * record or a field over 1 MiB is DUBAN_E_INVALID (field "file").
 */
duban_result csv_parse(const char *text, size_t len, char sep,
		       csv_row_fn fn, void *ctx, struct duban_error *err);

#endif
