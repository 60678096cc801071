/*
 * jalloc.h - where jansson's memory comes from: a per-request arena while
 * a request is handled on this thread, the heap otherwise.
 *
 * jalloc_install() hands jansson these allocation functions; it must run
 * before any JSON value exists (first thing in main()).  Between
 * jalloc_begin() and jalloc_end() a thread's small allocations come from
 * a few 64 KiB blocks, which jalloc_end() frees all at once: a request
 * builds and drops thousands of small objects, and the heap's bookkeeping
 * for each was a tenth of a read's cost.  Every allocation carries a
 * header saying which it came from, so a value made in a request and
 * released on another thread (the store's writer) frees correctly.  No
 * JSON value made inside a request may outlive jalloc_end(); under
 * AddressSanitizer a released arena allocation is poisoned until then.
 */
#ifndef DUBAN_APP_JALLOC_H
#define DUBAN_APP_JALLOC_H

#include <jansson.h>
#include <stddef.h>

void jalloc_install(void);

/** Starts and ends this thread's arena (one request). */
void jalloc_begin(void);
void jalloc_end(void);

/** json_dumps(v, flags) in a malloc'd copy that free() releases (NULL
 * when jansson fails). */
char *json_text(const json_t *v, size_t flags);

#endif
