/* store_client.c: clients, their redirect URIs, grants and scopes */
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "grant.h"
#include "store.h"
#include "store_client.h"
#include "store_user.h"
#include "store_util.h"

#define CLIENT_COLS "c.id, c.name, c.website, c.owner," \
	" coalesce('\\x' || encode(c.secret_hash, 'hex'), '')," \
	" array_to_string(c.grants, ' '), array_to_string(c.scopes, ' ')"

#define CLIENT_URIS \
	" coalesce((SELECT string_agg(uri, ' ' ORDER BY uri)" \
	"   FROM client_redirect_uris WHERE client_id = c.id), '')"

/* With the redirect URIs. */
static struct stmt client_get = { "client_get",
	"SELECT " CLIENT_COLS "," CLIENT_URIS
	" FROM clients c WHERE c.id = $1", 1, 0 };

/*
 * The same, the session $2's user (columns 8-13, 14: found) and the
 * consent the user gave the client (15: found, 16: its scopes), and the
 * app's status, developer and icon (17-19), and the session's age in
 * seconds (20), for the authorization endpoint.
 */
static struct stmt client_visit = { "client_visit",
	"SELECT " CLIENT_COLS "," CLIENT_URIS ", " USER_COLS ","
	" u.id IS NOT NULL, k.scopes IS NOT NULL,"
	" coalesce(array_to_string(k.scopes, ' '), ''),"
	" c.status, coalesce(c.owner_user_id, 0), c.icon,"
	" coalesce(extract(epoch FROM now() - s.created_at)::bigint, 0)"
	" FROM clients c"
	" LEFT JOIN (sessions s JOIN users u ON u.id = s.user_id)"
	"   ON s.session_hash = $2::bytea AND s.expires_at > now()"
	" LEFT JOIN consents k ON k.user_id = u.id AND k.client_id = c.id"
	" WHERE c.id = $1", 2, 0 };

/* Without them, for client authentication on the hot paths. */
static struct stmt client_get_auth = { "client_get_auth",
	"SELECT " CLIENT_COLS ", '' FROM clients c WHERE c.id = $1", 1, 0 };

static struct stmt scope_describe = { "scope_describe",
	"SELECT name, description, description_en FROM scopes"
	" WHERE name = ANY (string_to_array($1, ' '))", 1, 0 };

/* Split a space-separated list into at most max views. */
static size_t
split(struct str s, struct str *out, size_t max)
{
	size_t	i = 0, start, n = 0;

	while (i < s.n && n < max) {
		while (i < s.n && s.p[i] == ' ')
			i++;
		start = i;
		while (i < s.n && s.p[i] != ' ')
			i++;
		if (i > start)
			out[n++] = (struct str){ s.p + start, i - start };
	}
	return n;
}

/* CLIENT_COLS and the URIs from columns 0-7 of row 0 into *c. */
static void
client_row(struct arena *a, PGresult *res, struct client *c)
{
	struct str	grants[8];
	size_t		i, n;

	memset(c, 0, sizeof(*c));
	c->id = store_cell(a, res, 0, 0);
	c->name = store_cell(a, res, 0, 1);
	c->website = store_cell(a, res, 0, 2);
	c->owner = store_cell(a, res, 0, 3);
	c->secret_hash = store_cell(a, res, 0, 4);
	n = split(store_cell(a, res, 0, 5), grants, 8);
	for (i = 0; i < n; i++)
		c->grants |= grant_from_name(grants[i]);
	if (scope_parse(&c->scopes, store_cell(a, res, 0, 6)))
		c->scopes.n = 0;
	c->nuris = split(store_cell(a, res, 0, 7), c->uris, 16);
}

/*
 * Run s for the client id (and a second parameter p2) and load the row
 * into *c: 0 with *res kept for the caller to read more of and clear,
 * 1 no such client, -1 failure.
 */
static int
client_load(struct db *db, struct arena *a, struct stmt *s, struct str id,
    const char *p2, struct client *c, PGresult **res)
{
	const char	*params[2];

	/* Longer than any stored id: no lookup (and no 500 on huge input). */
	if (id.n == 0 || id.n > 128)
		return 1;
	params[0] = str_dup(a, id);
	params[1] = p2;
	if ((*res = db_exec(db, s, params)) == NULL)
		return -1;
	if (PQntuples(*res) != 1) {
		PQclear(*res);
		return 1;
	}
	client_row(a, *res, c);
	return 0;
}

int
store_client_get(struct db *db, struct arena *a, struct str id,
    int with_uris, struct client *c)
{
	PGresult	*res;
	int		 rc;

	rc = client_load(db, a, with_uris ? &client_get : &client_get_auth, id,
	    NULL, c, &res);
	if (rc == 0)
		PQclear(res);
	return rc;
}

int
store_client_visit(struct db *db, struct arena *a, struct str id,
    const char *session_hash, struct client *c, struct client_visit *v)
{
	PGresult	*res;
	int		 rc;

	memset(v, 0, sizeof(*v));
	if ((rc = client_load(db, a, &client_visit, id, session_hash, c,
	    &res)) != 0)
		return rc;
	v->status = store_cell(a, res, 0, 17);
	v->owner_user_id = store_long(res, 0, 18);
	v->icon = store_cell(a, res, 0, 19);
	if ((v->logged_in = store_bool(res, 0, 14))) {
		store_user_row(a, res, 8, &v->user);
		v->session_age = store_long(res, 0, 20);
		if ((v->consented = store_bool(res, 0, 15)))
			store_scopes_cell(a, res, 0, 16, &v->remembered);
	}
	PQclear(res);
	return 0;
}

int
store_client_secret_ok(const struct client *c, struct arena *a,
    struct str secret)
{
	if (c->secret_hash.n == 0)
		return 0;
	return str_eq_ct(str_c(store_digest(a, secret)), c->secret_hash);
}

int
store_scope_describe(struct db *db, struct arena *a, const struct scopes *s,
    const char *lang, struct str *desc)
{
	const char	*params[1];
	PGresult	*res;
	size_t		 i;
	int		 row, col;

	params[0] = scope_str(a, s).p;
	if ((res = db_exec(db, &scope_describe, params)) == NULL)
		return -1;
	for (i = 0; i < s->n; i++) {
		desc[i] = s->v[i];
		for (row = 0; row < PQntuples(res); row++) {
			if (!str_eq_c(s->v[i], PQgetvalue(res, row, 0)))
				continue;
			col = strcmp(lang, "en") == 0 &&
			    PQgetlength(res, row, 2) > 0 ? 2 : 1;
			desc[i] = str_c(arena_strndup(a,
			    PQgetvalue(res, row, col),
			    (size_t)PQgetlength(res, row, col)));
		}
	}
	PQclear(res);
	return 0;
}
