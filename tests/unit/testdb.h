/* testdb.h - a fresh, migrated SQLite store in a temporary folder. */
#ifndef DUBAN_TESTS_TESTDB_H
#define DUBAN_TESTS_TESTDB_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/store.h"

struct testdb {
	char dir[64];
	char path[128];
	struct store *store;
};

static inline int testdb_open(struct testdb *t)
{
	snprintf(t->dir, sizeof(t->dir), "/tmp/duban-unit-XXXXXX");
	if (!mkdtemp(t->dir))
		return -1;
	snprintf(t->path, sizeof(t->path), "%s/t.db", t->dir);
	if (store_open(t->path, NULL, &t->store, NULL))
		return -1;
	return store_migrate(t->store, NULL, NULL, NULL) ? -1 : 0;
}

static inline void testdb_close(struct testdb *t)
{
	char cmd[200];
	store_free(t->store);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "unable to remove '%s'\n", t->dir);
}

#endif
