/*
 * driver.h - what a storage back end provides (internal to src/store/).
 *
 * Like curl's vtls: store.c owns the pool, the units of work, statement
 * caching and migrations; a driver owns one connection's calls into its
 * library.  sqlite.c is one driver; a PostgreSQL driver is the other.
 */
#ifndef DUBAN_STORE_DRIVER_H
#define DUBAN_STORE_DRIVER_H

#include "store/store.h"

struct store_driver {
	const char *name;
	/* opens one connection; `writer` asks for the write connection */
	duban_result (*connect)(const char *uri, bool writer,
				const struct store_options *opt, void **conn,
				struct duban_error *err);
	void (*disconnect)(void *conn);
	duban_result (*exec)(void *conn, const char *sql,
			     struct duban_error *err);
	/* begin/commit/rollback of a read or write transaction */
	duban_result (*begin)(void *conn, bool write, struct duban_error *err);
	duban_result (*commit)(void *conn, struct duban_error *err);
	void (*rollback)(void *conn);
	duban_result (*prepare)(void *conn, const char *sql, void **stmt,
				struct duban_error *err);
	void (*finalize)(void *stmt);
	void (*bind_int)(void *stmt, int idx, int64_t v);
	void (*bind_double)(void *stmt, int idx, double v);
	void (*bind_text)(void *stmt, int idx, const char *s, size_t len);
	void (*bind_null)(void *stmt, int idx);
	duban_result (*step)(void *stmt, bool *row, struct duban_error *err);
	bool (*col_null)(void *stmt, int col);
	int64_t (*col_int)(void *stmt, int col);
	double (*col_double)(void *stmt, int col);
	const char *(*col_text)(void *stmt, int col);
	size_t (*col_len)(void *stmt, int col);
	void (*reset)(void *stmt);
	int64_t (*changes)(void *conn);
	/* rewrites portable DDL tokens (see schema.c) for this back end */
	const char *(*dialect)(const char *token);
};

extern const struct store_driver store_sqlite_driver;
extern const struct store_driver store_pg_driver; /* pg.c */

#endif
