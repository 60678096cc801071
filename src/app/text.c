#include "app/text.h"

#include <string.h>

size_t text_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

duban_result text_require(const json_t *in, const char *key, size_t min,
			  size_t max, bool required, struct duban_error *err)
{
	const json_t *v = json_object_get(in, key);
	if (!v || json_is_null(v)) {
		if (required)
			return duban_fail(err, DUBAN_E_INVALID, key,
					  "%s is required", key);
		return DUBAN_OK;
	}
	const char *s = json_string_value(v);
	if (!s)
		return duban_fail(err, DUBAN_E_INVALID, key,
				  "%s must be a string", key);
	size_t len = json_string_length(v);
	if (strlen(s) != len)
		return duban_fail(err, DUBAN_E_INVALID, key,
				  "%s contains a NUL character", key);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r')
			return duban_fail(err, DUBAN_E_INVALID, key,
					  "%s contains a control character",
					  key);
	size_t chars = text_chars(s);
	size_t lead = strspn(s, " \t\r\n");
	if (chars < min || (min > 0 && lead == len))
		return duban_fail(err, DUBAN_E_INVALID, key,
				  "%s must not be empty", key);
	if (chars > max)
		return duban_fail(err, DUBAN_E_INVALID, key,
				  "%s is longer than %zu characters", key,
				  max);
	return DUBAN_OK;
}
