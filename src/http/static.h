/*
 * static.h - the web front end compiled into the binary (src/http/static.c).
 *
 * web/dist (Vite's build) is embedded by CMake; when it was not built, a
 * one-page note that says how to build it is embedded instead.
 */
#ifndef DUBAN_HTTP_STATIC_H
#define DUBAN_HTTP_STATIC_H

#include <stdbool.h>

#include "http/http.h"

/**
 * Answers a GET or HEAD that no route matched: the embedded file at the
 * path, or index.html for a client-side route of the single-page app.
 * Returns false, answering nothing, for another method, for paths under
 * /api/, /open311/, /metrics, /healthz and /assets/ that have no file, so
 * that the caller's JSON 404 stands.  Thread-safe.
 */
bool static_serve(struct http_request *r);

#endif
