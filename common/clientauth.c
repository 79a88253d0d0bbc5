/* clientauth.c: client authentication at the token, revoke and introspect endpoints */
#include <stdio.h>

#include "clientauth.h"
#include "header.h"

/* Client-secret failures per client before 429 (brute-force guard). */
#define CLIENT_FAIL_MAX		20
#define CLIENT_FAIL_WINDOW	300

int
client_credentials(struct ctx *c, struct str *id, struct str *secret,
    struct oerror *e)
{
	struct str	 bid = STR_NULL, bsecret = STR_NULL, pid, psecret;
	enum form_get	 gid, gsecret;
	int		 basic = 1;

	*secret = STR_NULL;
	if (c->req.nauthorization)
		basic = header_basic(&c->a, c->req.authorization, &bid, &bsecret);
	if (basic == -1) {
		OERR_SET(e, OERR_INVALID_CLIENT, 100009,
		    "malformed Basic authorization header");
		return -1;
	}
	gid = req_param(&c->req, "client_id", &pid);
	gsecret = req_param(&c->req, "client_secret", &psecret);
	if (gid == FORM_DUP || gsecret == FORM_DUP) {
		OERR_SET(e, OERR_INVALID_REQUEST, 0,
		    "client_id or client_secret repeated");
		return -1;
	}
	/*
	 * RFC 6749 §2.3.1: no secrets in the request URI. Only QQ's GET
	 * (qq_compat) carries one there, and that is its whole request.
	 */
	if (gsecret == FORM_ONE && req_in_query(&c->req, "client_secret") &&
	    !req_is(&c->req, "GET")) {
		OERR_SET(e, OERR_INVALID_REQUEST, 0,
		    "client_secret must not be sent in the URL");
		return -1;
	}
	if (basic == 0) {
		/* RFC 6749 §2.3: one authentication method per request. */
		if (gsecret == FORM_ONE ||
		    (gid == FORM_ONE && !str_eq(pid, bid))) {
			OERR_SET(e, OERR_INVALID_REQUEST, 0,
			    "client credentials in both header and body");
			return -1;
		}
		*id = bid;
		*secret = bsecret;
		return 0;
	}
	if (gid != FORM_ONE) {
		OERR_SET(e, OERR_INVALID_CLIENT, 100001, "missing client_id");
		return -1;
	}
	*id = pid;
	if (gsecret == FORM_ONE)
		*secret = psecret;
	return 0;
}

int
client_authenticate(struct ctx *c, int allow_public, struct client *cl,
    struct oerror *e)
{
	struct str	 id, secret;
	int		 rc;
	char		 key[160];
	long		 fails;

	if (client_credentials(c, &id, &secret, e))
		return -1;
	if ((rc = store_client_get(&c->db, &c->a, id, 0, cl)) == -1) {
		oerror_from_db(c, e);
		return -1;
	}
	if (rc == 1) {
		OERR_SET(e, OERR_INVALID_CLIENT, 100008, "unknown client_id");
		return -1;
	}
	if (cl->secret_hex.n == 0) {
		if (allow_public && secret.n == 0)
			return 0;
		OERR_SET(e, OERR_INVALID_CLIENT, 100009,
		    "client authentication failed");
		return -1;
	}
	if (secret.n == 0) {
		OERR_SET(e, OERR_INVALID_CLIENT, 100002, "missing client_secret");
		return -1;
	}
	if (store_client_secret_ok(cl, &c->a, secret))
		return 0;
	/*
	 * Secrets carry 256 random bits, so the count is kept only on the
	 * failure path: the hot path stays one query.
	 */
	snprintf(key, sizeof(key), "c:%.*s", (int)cl->id.n, cl->id.p);
	if (store_failure_add(&c->db, key, NULL) == 0 &&
	    store_failures_count(&c->db, key, NULL, CLIENT_FAIL_WINDOW, &fails,
	    NULL) == 0 && fails > CLIENT_FAIL_MAX) {
		OERR_SET(e, OERR_TOO_MANY_REQUESTS, 0,
		    "too many failed client authentications, retry later");
		return -1;
	}
	OERR_SET(e, OERR_INVALID_CLIENT, 100009, "bad client_secret");
	return -1;
}

int
client_token_request(struct ctx *c, int allow_public, struct client *cl,
    struct str *tok, struct oerror *e)
{
	struct str	hint;

	if (req_param(&c->req, "token", tok) != FORM_ONE ||
	    req_param(&c->req, "token_type_hint", &hint) == FORM_DUP) {
		OERR_SET(e, OERR_INVALID_REQUEST, 0,
		    "token is missing or repeated");
		return -1;
	}
	return cl ? client_authenticate(c, allow_public, cl, e) : 0;
}
