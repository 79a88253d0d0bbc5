/* resource.c: access-token checks shared by /oauth2.0/me and /user/get_user_info */
#include "cors.h"
#include "crypto.h"
#include "header.h"
#include "json.h"
#include "jwt_access.h"
#include "resource.h"

/*
 * The row of the token whose digest is hash: from the replica when one
 * answers, else (also when it does not know a token younger than its
 * copy) from the primary. store_token_get's return.
 */
static int
lookup(struct ctx *c, const char *hash, unsigned with, struct token_row *t)
{
	struct db	*r;
	int		 rc = 1;

	if ((r = fcgi_replica(c)) != NULL) {
		rc = store_token_get(r, &c->a, hash, with, t);
		fcgi_replica_done(c, rc);
	}
	if (rc != 0)
		rc = store_token_get(&c->db, &c->a, hash, with, t);
	return rc;
}

/* A token found: dead or alive. */
static int
live(const struct token_row *t, struct oerror *e)
{
	if (t->revoked) {
		OERR_SET(e, OERR_INVALID_TOKEN, 100015,
		    "access token revoked");
		return -1;
	}
	if (!t->live) {
		OERR_SET(e, OERR_INVALID_TOKEN, 100014, "access token expired");
		return -1;
	}
	return 0;
}

int
resource_token(struct ctx *c, unsigned with, struct token_row *t,
    int *bearer, struct oerror *e)
{
	struct str	 q, h = STR_NULL;
	enum form_get	 g;
	struct jwt_at	 j;
	int		 hb = 1, rc;

	*bearer = 0;
	g = req_param(&c->req, "access_token", &q);
	if (c->req.nauthorization) {
		hb = header_bearer(c->req.authorization, &h);
		if (hb == -1) {
			*bearer = 1;
			OERR_SET(e, OERR_INVALID_REQUEST, 100016,
			    "malformed Bearer authorization header");
			return -1;
		}
	}
	if (g == FORM_DUP || (g == FORM_ONE && hb == 0)) {
		*bearer = hb == 0;
		OERR_SET(e, OERR_INVALID_REQUEST, 100016,
		    "access token given more than once");
		return -1;
	}
	if (hb == 0) {
		*bearer = 1;
		q = h;
	} else if (g != FORM_ONE) {
		OERR_SET(e, OERR_INVALID_REQUEST, 100007, "missing access_token");
		return -1;
	}
	/* JWT access tokens (jwt_access.c), checked at once against PG. */
	if ((rc = jwt_access_check(c, q, with, t, &j, e)) != 1)
		return rc ? -1 : live(t, e);
	if (q.n > 512) {
		OERR_SET(e, OERR_INVALID_TOKEN, 100016,
		    "access token check failed");
		return -1;
	}
	rc = lookup(c, crypto_digest_param(&c->a, q), with, t);
	if (rc == -1) {
		oerror_from_db(c, e);
		return -1;
	}
	if (rc == 1 || t->kind != 'a') {
		OERR_SET(e, OERR_INVALID_TOKEN, 100016,
		    "access token check failed");
		return -1;
	}
	return live(t, e);
}

/* Add "WWW-Authenticate: Bearer …" for e (RFC 6750 §3). */
static void
resource_challenge(struct ctx *c, const struct oerror *e)
{
	struct strbuf	b;

	strbuf_init(&b, &c->a);
	strbuf_puts(&b, "Bearer realm=\"oauth2\"");
	if (e->code == OERR_INVALID_TOKEN || e->code == OERR_INVALID_REQUEST ||
	    e->code == OERR_INSUFFICIENT_SCOPE)
		strbuf_appendf(&b, ", error=\"%s\", error_description=\"%s\"",
		    oerr_name(e->code), oerr_desc(e));
	if (e->code == OERR_INSUFFICIENT_SCOPE)
		strbuf_puts(&b, ", scope=\"get_user_info\"");
	resp_header(&c->resp, "WWW-Authenticate", strbuf_str(&b));
}

/*
 * The reply format a resource request asked for: JSONP when callback is
 * given (it must be a valid name, else -1 with e set), JSON otherwise.
 */
static int
resource_callback(struct ctx *c, int *jsonp, struct str *cb,
    struct oerror *e)
{
	enum form_get	g = req_param(&c->req, "callback", cb);

	*jsonp = 0;
	if (g == FORM_ABSENT)
		return 0;
	if (g == FORM_DUP || !json_callback_ok(*cb)) {
		OERR_SET(e, OERR_INVALID_REQUEST, 100000,
		    "invalid callback name");
		return -1;
	}
	*jsonp = 1;
	return 0;
}

int
resource_error_status(struct ctx *c, const struct oerror *e, int bearer)
{
	switch (e->code) {
	case OERR_METHOD_NOT_ALLOWED:
	case OERR_TEMPORARILY_UNAVAILABLE:
	case OERR_SERVER_ERROR:
	case OERR_TOO_LARGE:
		return oerr_status(e->code);
	default:
		break;
	}
	if (bearer) {
		resource_challenge(c, e);
		return oerr_status(e->code);
	}
	return c->req.err != REQ_OK ? 400 : 200;
}

int
resource_begin(struct ctx *c, unsigned with, struct token_row *t,
    int *bearer, int *jsonp, struct str *cb, struct oerror *e)
{
	int	rc = -1;

	*bearer = *jsonp = 0;
	if (resource_callback(c, jsonp, cb, e))
		c->req.err = REQ_BAD_ENCODING;	/* a 400, not QQ's 200 */
	else
		rc = resource_token(c, with, t, bearer, e);
	/* The SDK's page reads the answer when the token's client is its. */
	cors_answer(c, t->client_id);
	return rc;
}
