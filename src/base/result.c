#include "base/result.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
	int status;
	const char *code;
} table[DUBAN_E_COUNT] = {
	[DUBAN_OK] = { 200, "ok" },
	[DUBAN_E_MALFORMED] = { 400, "malformed" },
	[DUBAN_E_AUTH] = { 401, "unauthenticated" },
	[DUBAN_E_FORBIDDEN] = { 403, "forbidden" },
	[DUBAN_E_NOT_FOUND] = { 404, "not_found" },
	[DUBAN_E_METHOD] = { 405, "method_not_allowed" },
	[DUBAN_E_CONFLICT] = { 409, "conflict" },
	[DUBAN_E_TOO_LARGE] = { 413, "too_large" },
	[DUBAN_E_INVALID] = { 422, "invalid_value" },
	[DUBAN_E_RATE] = { 429, "rate_limited" },
	[DUBAN_E_IO] = { 500, "io_error" },
	[DUBAN_E_STORE] = { 500, "store_error" },
	[DUBAN_E_INTERNAL] = { 500, "internal_error" },
	[DUBAN_E_UNAVAILABLE] = { 503, "unavailable" },
};

int duban_result_status(duban_result r)
{
	if ((unsigned)r >= DUBAN_E_COUNT)
		return 500;
	return table[r].status;
}

const char *duban_result_code(duban_result r)
{
	if ((unsigned)r >= DUBAN_E_COUNT)
		return "internal_error";
	return table[r].code;
}

/*
 * Drops a UTF-8 sequence left incomplete at the end of s, as a text cut to
 * fit a buffer ends: the message goes into a JSON error body, which holds
 * only valid UTF-8.
 */
static void whole_characters(char *s)
{
	size_t n = strlen(s), k = n, need;
	while (k > 0 && n - k < 4 && ((unsigned char)s[k - 1] & 0xC0) == 0x80)
		k--;
	if (k == 0 || (unsigned char)s[k - 1] < 0xC0)
		return; /* ASCII, or continuation bytes without a lead */
	unsigned char lead = (unsigned char)s[k - 1];
	need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
	if (n - (k - 1) < need)
		s[k - 1] = '\0';
}

static duban_result vfail(struct duban_error *err, duban_result r,
			  const char *code, const char *field,
			  const char *fmt, va_list ap)
{
	if (!err)
		return r;
	err->result = r;
	snprintf(err->code, sizeof(err->code), "%s",
		 code ? code : duban_result_code(r));
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	whole_characters(err->field);
	whole_characters(err->message);
	return r;
}

duban_result duban_fail(struct duban_error *err, duban_result r,
			const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(err, r, NULL, field, fmt, ap);
	va_end(ap);
	return r;
}

duban_result duban_fail_code(struct duban_error *err, duban_result r,
			     const char *code, const char *field,
			     const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(err, r, code, field, fmt, ap);
	va_end(ap);
	return r;
}
