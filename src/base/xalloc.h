/*
 * xalloc.h - allocation that never returns NULL.
 *
 * duban's decision on running out of memory: abort, in this one wrapper
 * (like redis zmalloc).  A server that cannot allocate a few bytes cannot
 * answer correctly either, and every write is transactional, so dying loses
 * nothing acknowledged.  No other code checks malloc's result.
 */
#ifndef DUBAN_BASE_XALLOC_H
#define DUBAN_BASE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
