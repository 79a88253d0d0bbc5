/* client_cache.c: each worker's clients and signing key ids, kept current by LISTEN/NOTIFY */
#include <string.h>
#include <time.h>

#include "client_cache.h"
#include "store.h"
#include "store_jwt.h"

static struct cached_client	slot[CLIENT_CACHE_SLOTS];
static size_t			slot_next;
static char			kid[2][JWK_KID_MAX];	/* by enum jwk_alg */
static long			kid_loaded;		/* 0: not loaded */
static unsigned			listen_gen;	/* connection that LISTENs */

static long
mono_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec;
}

static void
forget_all(void)
{
	size_t	i;

	for (i = 0; i < CLIENT_CACHE_SLOTS; i++)
		slot[i].id[0] = '\0';
	kid_loaded = 0;
}

/*
 * LISTEN once per connection (a new connection may have missed notices:
 * forget everything then), and read the notices that have arrived. Not
 * through PgBouncer in transaction pooling (pg_statements = unnamed),
 * where a LISTEN does not stay with the worker: there entries live
 * client_cache_max_age seconds at most.
 */
static void
hear(struct ctx *c)
{
	PGnotify	*n;
	PGresult	*res;
	int		 heard = 0;

	if (c->db.unnamed)
		return;
	if (c->db.conn == NULL || listen_gen != c->db.gen) {
		forget_all();
		if ((res = db_exec_plain(&c->db, "LISTEN oauth_cache")) != NULL) {
			listen_gen = c->db.gen;
			PQclear(res);
		}
		return;
	}
	/* A broken link hears nothing: forget, and reconnect on the miss. */
	if (PQconsumeInput(c->db.conn) == 0) {
		forget_all();
		listen_gen = 0;
		return;
	}
	while ((n = PQnotifies(c->db.conn)) != NULL) {
		heard = 1;
		PQfreemem(n);
	}
	if (heard)
		forget_all();
}

static int
fresh(struct ctx *c, long loaded)
{
	return loaded != 0 && mono_s() - loaded < c->cfg.client_cache_max_age;
}

static struct cached_client *
find(struct str id)
{
	size_t	i;

	for (i = 0; i < CLIENT_CACHE_SLOTS; i++)
		if (slot[i].id[0] != '\0' && str_eq_c(id, slot[i].id))
			return &slot[i];
	return NULL;
}

/* Fill e from the store's row. -1 if it does not fit. */
static int
fill(struct cached_client *e, struct str id, const struct client_row *r)
{
	struct scopes	s;
	const char	*p = r->grants.p, *sp;

	if (id.n >= sizeof(e->id) || r->scopes.n >= sizeof(e->scopes) ||
	    (r->secret_hex.n != 0 && r->secret_hex.n != 2 * SHA256_LEN) ||
	    scope_parse(&s, r->scopes))
		return -1;
	e->has_secret = r->secret_hex.n != 0;
	memcpy(e->secret_hex, r->secret_hex.p, r->secret_hex.n);
	e->secret_hex[r->secret_hex.n] = '\0';
	e->grants = 0;
	for (; p != NULL && *p != '\0'; p = sp ? sp + 1 : NULL) {
		sp = strchr(p, ' ');
		e->grants |= grant_from_name((struct str){ p,
		    sp ? (size_t)(sp - p) : strlen(p) });
	}
	memcpy(e->scopes, r->scopes.p, r->scopes.n);
	e->scopes[r->scopes.n] = '\0';
	e->suspended = r->suspended;
	e->jwt = r->jwt;
	if (jwk_alg_parse(r->alg, &e->alg))
		e->alg = JWK_ES256;
	memcpy(e->id, id.p, id.n);
	e->id[id.n] = '\0';
	e->loaded = mono_s();
	return 0;
}

const struct cached_client *
client_cache_get(struct ctx *c, struct str id, int reload)
{
	struct cached_client	*e;
	struct client_row	 r;

	hear(c);
	if ((e = find(id)) != NULL && !reload && fresh(c, e->loaded))
		return e;
	if (e != NULL)
		e->id[0] = '\0';
	if (store_jwt_client_row(&c->db, &c->a, id, &r) != 0)
		return NULL;
	e = &slot[slot_next++ % CLIENT_CACHE_SLOTS];
	if (fill(e, id, &r)) {
		e->id[0] = '\0';
		return NULL;
	}
	return e;
}

int
client_cache_secret_ok(const struct cached_client *e, struct arena *a,
    struct str secret)
{
	struct client	cl = { 0 };

	if (!e->has_secret || secret.n == 0)
		return 0;
	cl.secret_hex = str_c(e->secret_hex);
	return store_client_secret_ok(&cl, a, secret);
}

struct str
client_cache_kid(struct ctx *c, enum jwk_alg alg)
{
	struct str	es, rs;

	hear(c);
	if (!fresh(c, kid_loaded)) {
		if (store_jwt_active_kids(&c->db, &c->a, &es, &rs) ||
		    es.n >= JWK_KID_MAX || rs.n >= JWK_KID_MAX)
			return STR_NULL;
		memcpy(kid[JWK_ES256], es.p, es.n);
		kid[JWK_ES256][es.n] = '\0';
		memcpy(kid[JWK_RS256], rs.p, rs.n);
		kid[JWK_RS256][rs.n] = '\0';
		kid_loaded = mono_s();
	}
	return str_c(kid[alg]);
}
