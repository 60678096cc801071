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

#include <stdio.h>

#include "base/date.h"

void field_name(char *buf, size_t n, const char *list, int idx,
		const char *key)
{
	if (list && idx >= 0)
		snprintf(buf, n, "%s[%d].%s", list, idx, key);
	else
		snprintf(buf, n, "%s", key);
}

duban_result field_date(const json_t *obj, const char *list, int idx,
			const char *key, bool required, int32_t *out,
			bool *present, struct duban_error *err)
{
	char name[96];
	const json_t *v = json_object_get(obj, key);
	field_name(name, sizeof(name), list, idx, key);
	if (present)
		*present = false;
	if (!v || json_is_null(v)) {
		if (required)
			return duban_fail(err, DUBAN_E_INVALID, name,
					  "%s is required", name);
		return DUBAN_OK;
	}
	if (!json_is_string(v) ||
	    !date_parse(json_string_value(v), json_string_length(v), out))
		return duban_fail(err, DUBAN_E_INVALID, name,
				  "%s must be a real date as YYYY-MM-DD", name);
	if (present)
		*present = true;
	return DUBAN_OK;
}

duban_result field_text(const json_t *obj, const char *list, int idx,
			const char *key, size_t min, size_t max, bool required,
			struct duban_error *err)
{
	char name[96];
	duban_result result = text_require(obj, key, min, max, required, err);
	if (result && list && idx >= 0 && err) {
		field_name(name, sizeof(name), list, idx, key);
		snprintf(err->field, sizeof(err->field), "%s", name);
	}
	return result;
}

duban_result field_number(const json_t *obj, const char *list, int idx,
			  const char *key, double *out,
			  struct duban_error *err)
{
	char name[96];
	const json_t *v = json_object_get(obj, key);
	field_name(name, sizeof(name), list, idx, key);
	if (!json_is_number(v))
		return duban_fail(err, DUBAN_E_INVALID, name,
				  "%s must be a number", name);
	*out = json_number_value(v);
	return DUBAN_OK;
}

duban_result review_input(const json_t *in, const char *yes, size_t max,
			  struct duban_error *err)
{
	const char *d = json_string_value(json_object_get(in, "decision"));
	if (!d || (strcmp(d, yes) != 0 && strcmp(d, "return") != 0))
		return duban_fail(err, DUBAN_E_INVALID, "decision",
				  "decision must be %s or return", yes);
	return text_require(in, "comment", 1, max, strcmp(d, "return") == 0,
			    err);
}
