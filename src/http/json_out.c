#include "http/json_out.h"

#include <stdio.h>
#include <string.h>

/* dynbuf_addn() without its call when the bytes fit (most do): answers
 * are written a few bytes at a time */
static inline bool put(struct dynbuf *b, const char *s, size_t n)
{
	if (b->p && n < b->cap - b->len && n <= b->max - b->len) {
		memcpy(b->p + b->len, s, n);
		b->len += n;
		b->p[b->len] = '\0';
		return true;
	}
	return dynbuf_addn(b, s, n);
}

/* the escape of each byte below 0x20, and of " and \ */
static const char *escape_of(unsigned char c, char tmp[8])
{
	switch (c) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\b':
		return "\\b";
	case '\f':
		return "\\f";
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	default:
		snprintf(tmp, 8, "\\u%04X", c);
		return tmp;
	}
}

/* s[0..n) as a JSON string: runs that need no escape are copied whole */
static bool out_string(struct dynbuf *b, const char *s, size_t n)
{
	char tmp[8];
	size_t run = 0;
	put(b, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		const char *e = escape_of(c, tmp);
		put(b, s + run, i - run);
		put(b, e, strlen(e));
		run = i + 1;
	}
	put(b, s + run, n - run);
	return put(b, "\"", 1);
}

static bool out_integer(struct dynbuf *b, json_int_t v)
{
	char buf[24], *p = buf + sizeof(buf);
	/* as unsigned, so that the most negative value negates */
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v
				      : (unsigned long long)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	return put(b, p, (size_t)(buf + sizeof(buf) - p));
}

/* "%.12g", then a dot or an exponent always, and the exponent without its
 * '+' and leading zeros - as jansson writes a real */
static bool out_real(struct dynbuf *b, double v)
{
	char buf[48], out[48];
	int n = snprintf(buf, sizeof(buf), "%.12g", v);
	size_t k = 0;
	if (n < 0 || (size_t)n >= sizeof(buf))
		return put(b, "null", 4);
	for (int i = 0; i < n; i++) {
		out[k++] = buf[i];
		if (buf[i] == 'e') {
			i++;
			if (buf[i] == '-')
				out[k++] = buf[i++];
			else if (buf[i] == '+')
				i++;
			while (buf[i] == '0' && i + 1 < n)
				i++;
			while (i < n)
				out[k++] = buf[i++];
		}
	}
	if (!memchr(out, '.', k) && !memchr(out, 'e', k)) {
		out[k++] = '.';
		out[k++] = '0';
	}
	return put(b, out, k);
}

bool json_out(struct dynbuf *b, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *key;
		json_t *item;
		bool first = true;
		put(b, "{", 1);
		/* jansson keeps insertion order: the foreach walks it */
		json_object_foreach((json_t *)v, key, item)
		{
			if (!first)
				put(b, ",", 1);
			first = false;
			out_string(b, key, strlen(key));
			put(b, ":", 1);
			json_out(b, item);
		}
		return put(b, "}", 1);
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *item;
		put(b, "[", 1);
		json_array_foreach(v, i, item)
		{
			if (i)
				put(b, ",", 1);
			json_out(b, item);
		}
		return put(b, "]", 1);
	}
	case JSON_STRING:
		return out_string(b, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		return out_integer(b, json_integer_value(v));
	case JSON_REAL:
		return out_real(b, json_real_value(v));
	case JSON_TRUE:
		return put(b, "true", 4);
	case JSON_FALSE:
		return put(b, "false", 5);
	default:
		return put(b, "null", 4);
	}
}
