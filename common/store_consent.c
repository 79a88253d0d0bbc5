/* store_consent.c: remembered consents, one row per user and client */
#include <stdio.h>
#include <string.h>

#include "store.h"
#include "store_util.h"

static struct stmt consent_get = { "consent_get",
	"SELECT array_to_string(scopes, ' ') FROM consents"
	" WHERE user_id = $1 AND client_id = $2", 2, 0 };

static struct stmt consent_set = { "consent_set",
	"INSERT INTO consents (user_id, client_id, scopes)"
	" VALUES ($1, $2, string_to_array($3, ' '))"
	" ON CONFLICT (user_id, client_id) DO UPDATE SET granted_at = now(),"
	" scopes = EXCLUDED.scopes", 3, 0 };

static struct stmt consent_list = { "consent_list",
	"SELECT c.id, c.name, c.website, coalesce((SELECT string_agg("
	"   coalesce(CASE WHEN $2::boolean THEN nullif(s.description_en, '')"
	"   END, s.description, x), CASE WHEN $2::boolean THEN ', '"
	"   ELSE '、' END) FROM unnest(k.scopes) x"
	"   LEFT JOIN scopes s ON s.name = x), ''),"
	" to_char(k.granted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'),"
	" c.icon FROM consents k JOIN clients c ON c.id = k.client_id"
	" WHERE k.user_id = $1 ORDER BY k.granted_at DESC LIMIT 100", 2, 0 };

int
store_consent_get(struct db *db, struct arena *a, long user_id,
    struct str client_id, struct scopes *s)
{
	char		 uid[24];
	const char	*params[2];
	PGresult	*res;
	int		 rc = 1;

	snprintf(uid, sizeof(uid), "%ld", user_id);
	params[0] = uid;
	params[1] = str_dup(a, client_id);
	if ((res = db_exec(db, &consent_get, params)) == NULL)
		return -1;
	s->n = 0;
	if (PQntuples(res) == 1) {
		store_scopes_cell(a, res, 0, 0, s);
		rc = 0;
	}
	PQclear(res);
	return rc;
}

int
store_consent_set(struct db *db, long user_id, struct str client_id,
    struct str scope)
{
	struct arena	 a = { 0 };
	char		 uid[24];
	const char	*params[3];
	PGresult	*res;
	int		 rc = -1;

	snprintf(uid, sizeof(uid), "%ld", user_id);
	params[0] = uid;
	params[1] = str_dup(&a, client_id);
	params[2] = str_dup(&a, scope);
	if ((res = db_exec(db, &consent_set, params)) != NULL) {
		PQclear(res);
		rc = 0;
	}
	arena_free(&a);
	return rc;
}

long
store_consent_list(struct db *db, struct arena *a, long user_id,
    const char *lang, struct grant_row *rows, size_t max)
{
	char		 uid[24];
	const char	*params[2] = { uid, strcmp(lang, "en") == 0 ? "true" :
	    "false" };
	PGresult	*res;
	long		 i, n;

	snprintf(uid, sizeof(uid), "%ld", user_id);
	if ((res = db_exec(db, &consent_list, params)) == NULL)
		return -1;
	n = PQntuples(res);
	if ((size_t)n > max)
		n = (long)max;
	for (i = 0; i < n; i++) {
		rows[i].client_id = store_cell(a, res, (int)i, 0);
		rows[i].client_name = store_cell(a, res, (int)i, 1);
		rows[i].client_website = store_cell(a, res, (int)i, 2);
		rows[i].scopes = store_cell(a, res, (int)i, 3);
		rows[i].granted_at = store_cell(a, res, (int)i, 4);
		rows[i].client_icon = store_cell(a, res, (int)i, 5);
	}
	PQclear(res);
	return n;
}
