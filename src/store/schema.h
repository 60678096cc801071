/*
 * schema.h - forward-only schema migrations (internal to src/store/).
 *
 * Each migration's `sql` is portable DDL with dialect tokens (@ID@ for an
 * auto-assigned integer primary key, @BIGINT@, @BLOB@, @REAL@) that the
 * driver rewrites; `sqlite_sql` and `pg_sql` hold what only one back end
 * understands (triggers).  A migration never changes once released: a later
 * change is a new migration.
 */
#ifndef DUBAN_STORE_SCHEMA_H
#define DUBAN_STORE_SCHEMA_H

struct schema_migration {
	int version;
	const char *sql;
	const char *sqlite_sql;
	const char *pg_sql;
};

/** Ordered by version, ended by a zero row. */
extern const struct schema_migration schema_migrations[];

#endif
