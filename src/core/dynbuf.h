/*
 * dynbuf.h - a growable text buffer with a cap, and the escaping that XML
 * and HTML output need.
 *
 * Appends never fail halfway: once an append would pass the cap, the buffer
 * frees what it holds and every later append is a no-op, so a writer appends
 * freely and checks once, at the end, with dynbuf_take() (like curl's dynbuf
 * and its "too big").  Memory itself comes from xmalloc (abort on OOM).
 */
#ifndef DUBAN_CORE_DYNBUF_H
#define DUBAN_CORE_DYNBUF_H

#include <stdbool.h>
#include <stddef.h>

#include "base/result.h"

struct dynbuf {
	char *p;      /* NUL-terminated while not failed; NULL when empty */
	size_t len;
	size_t cap;
	size_t max;   /* the cap: len never exceeds it */
	bool toobig;  /* an append passed max; the buffer was freed */
};

/** Sets up an empty buffer that may grow to max bytes. */
void dynbuf_init(struct dynbuf *b, size_t max);

/** Frees what the buffer holds; it can be used again after dynbuf_init. */
void dynbuf_release(struct dynbuf *b);

/* Appends; false once the buffer has failed (too big). */
bool dynbuf_addn(struct dynbuf *b, const char *s, size_t n);
bool dynbuf_add(struct dynbuf *b, const char *s);
bool dynbuf_addf(struct dynbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * Appends s as XML character data or attribute value: & < > " ' become
 * entities, and the characters XML 1.0 forbids (C0 controls other than
 * TAB, LF, CR) are dropped.  The same escaping serves HTML.  NULL appends
 * nothing.
 */
bool dynbuf_add_xml(struct dynbuf *b, const char *s);

/**
 * Hands over the text (malloc'd, NUL-terminated; the caller frees it) and
 * its length, leaving the buffer empty.  DUBAN_E_TOO_LARGE naming what
 * when the buffer failed.
 */
duban_result dynbuf_take(struct dynbuf *b, char **out, size_t *len,
			 const char *what, struct duban_error *err);

#endif
