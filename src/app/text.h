/*
 * text.h - checks on text values that business rules share.
 */
#ifndef DUBAN_APP_TEXT_H
#define DUBAN_APP_TEXT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

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

#endif
