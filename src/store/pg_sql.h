/*
 * pg_sql.h - the pure text transformations of the PostgreSQL driver
 * (internal to src/store/; exposed so that tests/unit/test_pg.c can check
 * them without a server).
 */
#ifndef DUBAN_STORE_PG_SQL_H
#define DUBAN_STORE_PG_SQL_H

/** The most parameters one PostgreSQL statement can take. */
#define PG_MAX_PARAMS 65535

/**
 * Rewrites the `?` placeholders of portable SQL to PostgreSQL's `$1..$n`,
 * in order.  A `?` inside a string literal ('...', E'...'), a quoted
 * identifier ("..."), a comment (-- and nested block comments) or a
 * dollar-quoted body ($$...$$, $tag$...$tag$) is left alone; everything
 * else is copied unchanged, unterminated quotes included (the server
 * reports those).  Returns a new string the caller frees and sets *nparams;
 * returns NULL (and *nparams = -1) when there are more than PG_MAX_PARAMS
 * placeholders.
 */
char *pg_rewrite_placeholders(const char *sql, int *nparams);

/**
 * A copy of a postgresql:// URI fit for messages and logs: the password of
 * its user information ("user:secret@") and any `password=` query parameter
 * are left out.  The caller frees the result.
 */
char *pg_redact_uri(const char *uri);

#endif
