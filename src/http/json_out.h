/*
 * json_out.h - jansson values written as compact JSON straight into a
 * dynbuf (bounded), the way every API answer leaves the server.
 *
 * The text is the one json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY |
 * JSON_REAL_PRECISION(12)) gives - keys in insertion order, UTF-8 as it
 * is, reals with 12 significant digits and always a dot or an exponent -
 * written without jansson's per-character callbacks and its copies.
 */
#ifndef DUBAN_HTTP_JSON_OUT_H
#define DUBAN_HTTP_JSON_OUT_H

#include <jansson.h>
#include <stdbool.h>

#include "core/dynbuf.h"

/** Appends v; false once b has passed its cap (see dynbuf). */
bool json_out(struct dynbuf *b, const json_t *v);

#endif
