#include "app/unitsum.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/scope.h"
#include "base/xalloc.h"

duban_result unitsum_load(struct store_conn *c, const struct actor *a,
			  const char *lo, const char *hi, size_t k,
			  struct unitsum *s, struct duban_error *err)
{
	struct store_stmt *st;
	size_t cap = 0;
	bool row = false;
	memset(s, 0, sizeof(*s));
	s->k = k < UNITSUM_MAX ? k : UNITSUM_MAX;
	duban_result result = store_prepare(
		c,
		"SELECT id, path FROM units WHERE path >= ? AND path < ?"
		" AND (? = '' OR (path >= ? AND path < ?)) ORDER BY id",
		&st, err);
	if (result)
		return result;
	scope_bind_subtree(st, 1, a);
	store_bind_str(st, 3, lo ? lo : "");
	store_bind_str(st, 4, lo ? lo : "");
	store_bind_str(st, 5, hi ? hi : "");
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		if (s->n == cap) {
			cap = cap ? cap * 2 : 64;
			s->u = xrealloc(s->u, cap * sizeof(*s->u));
		}
		struct unitsum_unit *u = &s->u[s->n++];
		memset(u, 0, sizeof(*u));
		u->id = store_col_int(st, 0);
		snprintf(u->path, sizeof(u->path), "%s", store_col_text(st, 1));
	}
	store_reset(st);
	if (result)
		unitsum_release(s);
	return result;
}

struct unitsum_unit *unitsum_find(const struct unitsum *s, int64_t id)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->u[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n && s->u[lo].id == id ? &s->u[lo] : NULL;
}

bool unitsum_add(const struct unitsum *s, int64_t id, const int64_t *v)
{
	struct unitsum_unit *u = unitsum_find(s, id);
	for (size_t i = 0; u && i < s->k; i++)
		u->own[i] += v[i];
	return u != NULL;
}

void unitsum_roll_up(struct unitsum *s)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct unitsum_unit *u = &s->u[i];
		bool any = false;
		for (size_t j = 0; j < s->k; j++)
			any |= u->own[j] != 0;
		if (!any)
			continue;
		/* its own path's ids, itself the last */
		for (const char *p = u->path; *p == '/';) {
			char *end;
			long long id = strtoll(p + 1, &end, 10);
			if (end == p + 1)
				break;
			struct unitsum_unit *anc = unitsum_find(s, id);
			for (size_t j = 0; anc && j < s->k; j++)
				anc->sub[j] += u->own[j];
			p = end;
		}
	}
}

void unitsum_release(struct unitsum *s)
{
	free(s->u);
	memset(s, 0, sizeof(*s));
}
