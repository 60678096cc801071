#include "app/sessions.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app/audit.h"
#include "app/units.h"
#include "app/users.h"
#include "core/audit_hash.h"
#include "core/password.h"

static void new_token(char out[SESSION_TOKEN_LEN])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, SESSION_TOKEN_LEN, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

struct login_ctx {
	const char *username;
	const char *client_addr;
	/* read phase */
	int64_t user_id;
	char hash[PASSWORD_HASH_MAX];
	int64_t locked_until;
	bool active;
	/* write phase */
	bool password_ok;
	bool locked;
	char token[SESSION_TOKEN_LEN];
	char csrf[SESSION_TOKEN_LEN];
	json_t *user;
};

static duban_result login_read(struct store_conn *c, void *ctx,
			       struct duban_error *err)
{
	struct login_ctx *l = ctx;
	struct store_stmt *st;
	bool row = false;
	duban_result result = store_prepare(
		c,
		"SELECT id, password_hash, locked_until, active FROM users"
		" WHERE username = ?",
		&st, err);
	if (result)
		return result;
	store_bind_str(st, 1, l->username);
	result = store_step(st, &row, err);
	if (result == DUBAN_OK && row) {
		l->user_id = store_col_int(st, 0);
		snprintf(l->hash, sizeof(l->hash), "%s",
			 store_col_text(st, 1));
		l->locked_until = store_col_int(st, 2);
		l->active = store_col_int(st, 3) != 0;
	}
	store_reset(st);
	return result;
}

static duban_result actor_of_user(struct store_conn *c, int64_t user_id,
				  struct actor *a, struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	duban_result result = store_prepare(
		c,
		"SELECT u.username, u.unit_id, u.roles, n.path FROM users u"
		" JOIN units n ON n.id = u.unit_id WHERE u.id = ?",
		&st, err);
	if (result)
		return result;
	store_bind_int(st, 1, user_id);
	result = store_step(st, &row, err);
	if (result == DUBAN_OK && row) {
		a->user_id = user_id;
		snprintf(a->username, sizeof(a->username), "%s",
			 store_col_text(st, 0));
		a->unit_id = store_col_int(st, 1);
		a->roles = (uint32_t)store_col_int(st, 2);
		snprintf(a->unit_path, sizeof(a->unit_path), "%s",
			 store_col_text(st, 3));
	} else if (result == DUBAN_OK) {
		result = duban_fail(err, DUBAN_E_AUTH, NULL, "unknown user");
	}
	store_reset(st);
	return result;
}

/*
 * Records the outcome.  It returns OK even for a failed login, so that the
 * failure count commits; the caller turns the outcome into the error.
 */
static duban_result login_write(struct store_conn *c, void *ctx,
				struct duban_error *err)
{
	struct login_ctx *l = ctx;
	struct store_stmt *st;
	struct actor a;
	int64_t now = (int64_t)time(NULL), failed = 0;
	char th[AUDIT_HASH_HEX], ch[AUDIT_HASH_HEX];
	duban_result result = actor_of_user(c, l->user_id, &a, err);
	if (result)
		return result;
	snprintf(a.client_addr, sizeof(a.client_addr), "%s", l->client_addr);
	if (!l->password_ok) {
		result = store_prepare(
			c,
			"UPDATE users SET failed_logins = failed_logins + 1"
			" WHERE id = ? RETURNING failed_logins",
			&st, err);
		if (result)
			return result;
		store_bind_int(st, 1, l->user_id);
		result = store_one_int(st, &failed, NULL, err);
		if (result)
			return result;
		if (failed >= SESSION_MAX_FAILED) {
			result = store_prepare(
				c,
				"UPDATE users SET failed_logins = 0,"
				" locked_until = ? WHERE id = ?",
				&st, err);
			if (result)
				return result;
			store_bind_int(st, 1, now + SESSION_LOCK_SECONDS);
			store_bind_int(st, 2, l->user_id);
			if ((result = store_run(st, err)))
				return result;
			l->locked = true;
		}
		return audit_append(c, &a, "user", l->user_id, a.unit_id,
				    l->locked ? "locked" : "login_failed", NULL,
				    NULL, err);
	}
	result = store_prepare(c,
			       "UPDATE users SET failed_logins = 0 WHERE id = ?",
			       &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, l->user_id);
	if ((result = store_run(st, err)))
		return result;
	new_token(l->token);
	new_token(l->csrf);
	sha256_hex(l->token, strlen(l->token), th);
	sha256_hex(l->csrf, strlen(l->csrf), ch);
	result = store_prepare(
		c,
		"INSERT INTO sessions (token_hash, csrf_hash, user_id, kind,"
		" client_addr, created_at, last_seen) VALUES (?,?,?,?,?,?,?)",
		&st, err);
	if (result)
		return result;
	store_bind_str(st, 1, th);
	store_bind_str(st, 2, ch);
	store_bind_int(st, 3, l->user_id);
	store_bind_str(st, 4, "session");
	store_bind_str(st, 5, l->client_addr);
	store_bind_int(st, 6, now);
	store_bind_int(st, 7, now);
	if ((result = store_run(st, err)))
		return result;
	return audit_append(c, &a, "user", l->user_id, a.unit_id, "login", NULL, NULL,
			    err);
}

duban_result session_login(struct store *s, const char *username,
			   const char *password, const char *client_addr,
			   char *token, char *csrf, json_t **user,
			   struct duban_error *err)
{
	struct login_ctx l;
	duban_result result;
	memset(&l, 0, sizeof(l));
	l.username = username;
	l.client_addr = client_addr;
	result = store_read(s, login_read, &l, err);
	if (result)
		return result;
	if (!l.user_id || !l.active) {
		/* spend the same time as a real check: no user enumeration */
		char dummy[PASSWORD_HASH_MAX];
		password_hash("x", 1, dummy, NULL);
		return duban_fail_code(err, DUBAN_E_AUTH, "bad_credentials",
				       NULL, "wrong username or password");
	}
	if (l.locked_until > (int64_t)time(NULL))
		return duban_fail_code(
			err, DUBAN_E_FORBIDDEN, "account_locked", NULL,
			"account is locked after %d failed logins; try again"
			" in %lld minutes",
			SESSION_MAX_FAILED,
			(long long)(l.locked_until - time(NULL) + 59) / 60);
	l.password_ok = password_verify(l.hash, password, strlen(password));
	result = store_write(s, login_write, &l, err);
	if (result)
		return result;
	if (!l.password_ok)
		return duban_fail_code(err, DUBAN_E_AUTH, "bad_credentials",
				       NULL, "wrong username or password");
	struct actor sys;
	actor_system(&sys, "system");
	result = user_get(s, &sys, l.user_id, &l.user, err);
	if (result)
		return result;
	memcpy(token, l.token, SESSION_TOKEN_LEN);
	memcpy(csrf, l.csrf, SESSION_TOKEN_LEN);
	*user = l.user;
	return DUBAN_OK;
}

struct resolve_ctx {
	char token_hash[AUDIT_HASH_HEX];
	int idle;
	struct actor *a;
	char *csrf_hash;
	int64_t last_seen;
	bool found;
};

static duban_result resolve_read(struct store_conn *c, void *ctx,
				 struct duban_error *err)
{
	struct resolve_ctx *r = ctx;
	struct store_stmt *st;
	bool row = false;
	duban_result result = store_prepare(
		c,
		"SELECT s.csrf_hash, s.last_seen, u.id, u.username, u.roles,"
		" u.unit_id, n.path, u.active FROM sessions s"
		" JOIN users u ON u.id = s.user_id"
		" JOIN units n ON n.id = u.unit_id WHERE s.token_hash = ?",
		&st, err);
	if (result)
		return result;
	store_bind_str(st, 1, r->token_hash);
	result = store_step(st, &row, err);
	if (result == DUBAN_OK && row && store_col_int(st, 7)) {
		struct actor *a = r->a;
		r->found = true;
		snprintf(r->csrf_hash, AUDIT_HASH_HEX, "%s",
			 store_col_text(st, 0));
		r->last_seen = store_col_int(st, 1);
		a->user_id = store_col_int(st, 2);
		snprintf(a->username, sizeof(a->username), "%s",
			 store_col_text(st, 3));
		a->roles = (uint32_t)store_col_int(st, 4);
		a->unit_id = store_col_int(st, 5);
		snprintf(a->unit_path, sizeof(a->unit_path), "%s",
			 store_col_text(st, 6));
	}
	store_reset(st);
	return result;
}

static duban_result touch_write(struct store_conn *c, void *ctx,
				struct duban_error *err)
{
	struct resolve_ctx *r = ctx;
	struct store_stmt *st;
	duban_result result = store_prepare(
		c, "UPDATE sessions SET last_seen = ? WHERE token_hash = ?",
		&st, err);
	if (result)
		return result;
	store_bind_int(st, 1, (int64_t)time(NULL));
	store_bind_str(st, 2, r->token_hash);
	return store_run(st, err);
}

duban_result session_resolve(struct store *s, const char *token,
			     int idle_seconds, struct actor *a,
			     char *csrf_hash, struct duban_error *err)
{
	struct resolve_ctx r;
	int64_t now = (int64_t)time(NULL);
	duban_result result;
	memset(&r, 0, sizeof(r));
	r.idle = idle_seconds;
	r.a = a;
	r.csrf_hash = csrf_hash;
	sha256_hex(token, strlen(token), r.token_hash);
	result = store_read(s, resolve_read, &r, err);
	if (result)
		return result;
	if (!r.found)
		return duban_fail_code(err, DUBAN_E_AUTH, "unauthenticated",
				       NULL, "not logged in");
	if (now - r.last_seen > idle_seconds)
		return idle_seconds >= 60
			       ? duban_fail_code(err, DUBAN_E_AUTH,
						 "session_expired", NULL,
						 "session expired after %d "
						 "minutes idle",
						 idle_seconds / 60)
			       : duban_fail_code(err, DUBAN_E_AUTH,
						 "session_expired", NULL,
						 "session expired after %d "
						 "seconds idle",
						 idle_seconds);
	/* touching on every request would make every read a write: touch
	 * once the session is a little stale, well before it expires */
	int64_t stale = idle_seconds >= 60 ? 30 : idle_seconds / 4;
	if (now - r.last_seen >= stale)
		return store_write(s, touch_write, &r, err);
	return DUBAN_OK;
}

struct logout_ctx {
	const struct actor *a;
	char token_hash[AUDIT_HASH_HEX];
};

static duban_result logout_write(struct store_conn *c, void *ctx,
				 struct duban_error *err)
{
	struct logout_ctx *l = ctx;
	struct store_stmt *st;
	duban_result result = store_prepare(
		c, "DELETE FROM sessions WHERE token_hash = ?", &st, err);
	if (result)
		return result;
	store_bind_str(st, 1, l->token_hash);
	if ((result = store_run(st, err)))
		return result;
	return audit_append(c, l->a, "user", l->a->user_id, l->a->unit_id, "logout", NULL,
			    NULL, err);
}

duban_result session_logout(struct store *s, const struct actor *a,
			    const char *token, struct duban_error *err)
{
	struct logout_ctx l = { a, "" };
	sha256_hex(token, strlen(token), l.token_hash);
	return store_write(s, logout_write, &l, err);
}

duban_result session_me(struct store *s, const struct actor *a,
			json_t **out, struct duban_error *err)
{
	json_t *user = NULL, *unit = NULL;
	duban_result result = user_get(s, a, a->user_id, &user, err);
	if (result)
		return result;
	result = unit_get(s, a, a->unit_id, &unit, err);
	if (result) {
		json_decref(user);
		return result;
	}
	json_object_set_new(user, "unit", unit);
	*out = user;
	return DUBAN_OK;
}
