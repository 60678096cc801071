/*
 * ratelimit.h - a per-client-address request budget for the public
 * endpoints: a fixed one-minute window per address in a small hash table.
 * Collisions replace the older address, which errs towards letting a
 * request through rather than blocking a stranger.
 */
#ifndef DUBAN_HTTP_RATELIMIT_H
#define DUBAN_HTTP_RATELIMIT_H

#include <stdbool.h>

/**
 * Counts one request from addr; false when the address has used up
 * per_minute requests in the current minute (*retry_after: seconds left).
 */
bool ratelimit_allow(const char *addr, int per_minute, int *retry_after);

#endif
