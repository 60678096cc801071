/*
 * actor.h - who is acting: the authenticated user of a request, or the
 * system itself for the command line.  Every business operation takes one.
 */
#ifndef DUBAN_APP_ACTOR_H
#define DUBAN_APP_ACTOR_H

#include <stdbool.h>
#include <stdint.h>

struct actor {
	int64_t user_id;      /* 0 for the system (command line) */
	char username[72];
	int64_t unit_id;
	char unit_path[256];  /* "/1/4/" */
	uint32_t roles;       /* enum role bits */
	char client_addr[64];
};

/** The system actor, with every role, scoped to the whole tree. */
void actor_system(struct actor *a, const char *what);

/** True when the actor holds any of the roles in mask (ROLE_ANY: true). */
bool actor_has_any(const struct actor *a, uint32_t mask);

#endif
