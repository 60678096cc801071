#include "core/dynbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

void dynbuf_init(struct dynbuf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

void dynbuf_release(struct dynbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

static bool fail(struct dynbuf *b)
{
	dynbuf_release(b);
	b->toobig = true;
	return false;
}

bool dynbuf_addn(struct dynbuf *b, const char *s, size_t n)
{
	if (b->toobig)
		return false;
	if (n > b->max - b->len)
		return fail(b);
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->p = xrealloc(b->p, cap);
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return true;
}

bool dynbuf_add(struct dynbuf *b, const char *s)
{
	return s ? dynbuf_addn(b, s, strlen(s)) : !b->toobig;
}

bool dynbuf_addf(struct dynbuf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n;
	if (b->toobig)
		return false;
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return fail(b);
	if ((size_t)n < sizeof(small))
		return dynbuf_addn(b, small, (size_t)n);
	char *big = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	bool ok = dynbuf_addn(b, big, (size_t)n);
	free(big);
	return ok;
}

bool dynbuf_add_xml(struct dynbuf *b, const char *s)
{
	const char *run = s;
	if (!s)
		return !b->toobig;
	for (const char *p = s;; p++) {
		const char *ent = NULL;
		unsigned char c = (unsigned char)*p;
		switch (c) {
		case '&':
			ent = "&amp;";
			break;
		case '<':
			ent = "&lt;";
			break;
		case '>':
			ent = "&gt;";
			break;
		case '"':
			ent = "&quot;";
			break;
		case '\'':
			ent = "&#39;";
			break;
		default:
			/* XML 1.0 has no place for the other C0 controls */
			if (c != 0 && (c >= 0x20 || c == '\t' || c == '\n' ||
				       c == '\r'))
				continue;
			ent = "";
		}
		dynbuf_addn(b, run, (size_t)(p - run));
		if (c == 0)
			break;
		dynbuf_add(b, ent);
		run = p + 1;
	}
	return !b->toobig;
}

duban_result dynbuf_take(struct dynbuf *b, char **out, size_t *len,
			 const char *what, struct duban_error *err)
{
	if (b->toobig)
		return duban_fail(err, DUBAN_E_TOO_LARGE, NULL,
				  "%s is larger than %zu bytes", what, b->max);
	if (!b->p)
		dynbuf_addn(b, "", 0);
	*out = b->p;
	if (len)
		*len = b->len;
	b->p = NULL;
	b->len = b->cap = 0;
	return DUBAN_OK;
}
