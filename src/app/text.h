/*
 * text.h - checks on text values that business rules share.
 */
#ifndef DUBAN_APP_TEXT_H
#define DUBAN_APP_TEXT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/result.h"

/** Code points in a UTF-8 string (jansson guarantees valid UTF-8). */
size_t text_chars(const char *s);

/**
 * Checks in[key]: when present it must be a string of min..max characters
 * (trimmed of white space at the ends), with no control characters; when
 * absent it is an error only if required.  422 naming key otherwise.
 */
duban_result text_require(const json_t *in, const char *key, size_t min,
			  size_t max, bool required, struct duban_error *err);



/*
 * Field checks inside lists, naming the field as "list[i].key" in errors.
 * idx < 0 names plain "key".
 */

/** A date "YYYY-MM-DD" at obj[key]; absent is an error only if required. */
duban_result field_date(const json_t *obj, const char *list, int idx,
			const char *key, bool required, int32_t *out,
			bool *present, struct duban_error *err);

/** A string of min..max characters at obj[key] (see text_require). */
duban_result field_text(const json_t *obj, const char *list, int idx,
			const char *key, size_t min, size_t max, bool required,
			struct duban_error *err);

/** A number at obj[key]. */
duban_result field_number(const json_t *obj, const char *list, int idx,
			  const char *key, double *out,
			  struct duban_error *err);

/**
 * A review's input {decision, comment}: decision must be `yes` or
 * "return", and a return needs a comment of at most max characters.
 */
duban_result review_input(const json_t *in, const char *yes, size_t max,
			  struct duban_error *err);

/** Writes "list[i].key" (or "key") into buf. */
void field_name(char *buf, size_t n, const char *list, int idx,
		const char *key);
#endif
