/* client_cache.h: each worker's clients and signing key ids, kept current by LISTEN/NOTIFY */
#ifndef CLIENT_CACHE_H
#define CLIENT_CACHE_H

#include "crypto.h"
#include "fcgi_loop.h"
#include "jwk.h"

#define CLIENT_CACHE_SLOTS	256
#define CLIENT_CACHE_SCOPES	2400	/* SCOPE_MAX names of 64 and spaces */

/* What the token endpoint needs to authenticate a client without SQL. */
struct cached_client {
	char		 id[129];
	char		 secret_hex[2 * SHA256_LEN + 1];	/* its digest */
	int		 has_secret;		/* 0: public client */
	unsigned	 grants;		/* GRANT_* */
	char		 scopes[CLIENT_CACHE_SCOPES];	/* space-separated */
	int		 suspended;
	int		 jwt;			/* access_token_format jwt */
	enum jwk_alg	 alg;			/* access_token_alg */
	long		 loaded;		/* monotonic seconds */
};

/*
 * The client id as this worker knows it. Before the lookup the worker
 * reads the change notices that arrived on its connection (without
 * waiting: PQconsumeInput, PQnotifies; the trigger of schema 011 sends
 * one at the commit of any change to clients or signing_keys) and
 * forgets everything when there is one. An entry older than
 * client_cache_max_age, or any entry when reload is set, is read again
 * (one query). NULL when there is no such client, or on a database
 * failure (c->db.state tells).
 */
const struct cached_client *client_cache_get(struct ctx *, struct str id,
	    int reload);

/* 1 if secret is the client's (its digest compared in constant time). */
int	client_cache_secret_ok(const struct cached_client *, struct arena *,
	    struct str secret);

/*
 * The kid of the active signing key of alg, cached like the clients.
 * Empty when there is none, or on a database failure.
 */
struct str client_cache_kid(struct ctx *, enum jwk_alg alg);

#endif
