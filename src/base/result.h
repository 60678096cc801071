/*
 * result.h - the one result type of duban.
 *
 * Every fallible function returns a duban_result, OK = 0, held by the caller
 * in a variable called `result` and passed up.  A function that can say more
 * than the code fills a struct duban_error supplied by its caller (which may
 * be NULL when the caller does not care).  The HTTP layer turns a result and
 * its error into a status and the JSON error of API.md in exactly one place
 * (http/respond.c); the command line prints err.message and exits 2 or 1.
 */
#ifndef DUBAN_BASE_RESULT_H
#define DUBAN_BASE_RESULT_H

#include <stddef.h>

typedef enum duban_result {
	DUBAN_OK = 0,
	DUBAN_E_MALFORMED,   /* 400: the request cannot be parsed */
	DUBAN_E_AUTH,        /* 401: not logged in, or bad credentials */
	DUBAN_E_FORBIDDEN,   /* 403: role or scope forbids it */
	DUBAN_E_NOT_FOUND,   /* 404 */
	DUBAN_E_METHOD,      /* 405: the path exists, not with this method */
	DUBAN_E_CONFLICT,    /* 409: stale version, duplicate, illegal move */
	DUBAN_E_TOO_LARGE,   /* 413 */
	DUBAN_E_INVALID,     /* 422: a value is out of its domain */
	DUBAN_E_RATE,        /* 429 */
	DUBAN_E_IO,          /* 500: a file or socket failed */
	DUBAN_E_STORE,       /* 500: the database failed */
	DUBAN_E_INTERNAL,    /* 500: a bug */
	DUBAN_E_UNAVAILABLE, /* 503: shutting down, pool exhausted */
	DUBAN_E_COUNT
} duban_result;

/** What went wrong, for a person and for a client program. */
struct duban_error {
	duban_result result;
	char code[48];     /* machine-readable, e.g. "invalid_value" */
	char field[96];    /* the field at fault, or "" */
	char message[256]; /* lowercase, no full stop, quotes the subject */
};

/**
 * Records an error in err (when err is not NULL) and returns r, so that a
 * caller writes `return duban_fail(err, DUBAN_E_INVALID, "field", "...")`.
 * The code is derived from r; field may be NULL.
 */
duban_result duban_fail(struct duban_error *err, duban_result r,
			const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/** Like duban_fail with an explicit machine-readable code. */
duban_result duban_fail_code(struct duban_error *err, duban_result r,
			     const char *code, const char *field,
			     const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/** The HTTP status for a result (200 for OK). */
int duban_result_status(duban_result r);

/** The default machine-readable code for a result, e.g. "not_found". */
const char *duban_result_code(duban_result r);

#endif
