/*
 * sessions.h - logging in and out, and resolving a token to an actor.
 *
 * Sessions live in the database, stored as the SHA-256 of their token, so
 * any number of server processes share them and a stolen database holds no
 * usable token.  The same token serves as the cookie and as a bearer token.
 */
#ifndef DUBAN_APP_SESSIONS_H
#define DUBAN_APP_SESSIONS_H

#include <jansson.h>

#include "app/actor.h"
#include "store/store.h"

#define SESSION_TOKEN_LEN 44 /* 32 random bytes in base64url, and a NUL */
#define SESSION_MAX_FAILED 5
#define SESSION_LOCK_SECONDS (15 * 60)

/**
 * Checks username and password.  On success fills token and csrf (each
 * SESSION_TOKEN_LEN bytes) and *user (new reference).  Bad credentials are
 * DUBAN_E_AUTH; the fifth failure in a row locks the account for 15 minutes,
 * and a locked account is DUBAN_E_FORBIDDEN with code "account_locked".
 */
duban_result session_login(struct store *s, const char *username,
			   const char *password, const char *client_addr,
			   char *token, char *csrf, json_t **user,
			   struct duban_error *err);

/**
 * Resolves a token into the actor it stands for; fills csrf_hash (65 bytes)
 * with the hash of the session's CSRF token.  An unknown token, an inactive
 * user or a session idle longer than idle_seconds is DUBAN_E_AUTH.
 */
duban_result session_resolve(struct store *s, const char *token,
			     int idle_seconds, struct actor *a,
			     char *csrf_hash, struct duban_error *err);

/** Ends the session of token. */
duban_result session_logout(struct store *s, const struct actor *a,
			    const char *token, struct duban_error *err);

/** GET /me: the actor's user with its unit. */
duban_result session_me(struct store *s, const struct actor *a,
			json_t **out, struct duban_error *err);

#endif
