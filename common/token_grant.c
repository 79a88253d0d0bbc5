/* token_grant.c: the token endpoint's grants, their fast and slow paths */
#include "clientauth.h"
#include "crypto.h"
#include "grant.h"
#include "jwt_access.h"
#include "login.h"
#include "pkce.h"
#include "token_grant.h"

/*
 * An optional single-valued parameter, in form_get's convention: 0 with
 * *v set (FORM_ONE), 1 absent with *v empty, -1 repeated with e set.
 */
static int
optional(struct ctx *c, const char *name, struct str *v, struct oerror *e)
{
	switch (req_param(&c->req, name, v)) {
	case FORM_ONE:
		return 0;
	case FORM_DUP:
		OERR_SET(e, OERR_INVALID_REQUEST, 100000,
		    "a parameter was given more than once");
		return -1;
	default:
		*v = STR_NULL;
		return 1;
	}
}

int
token_grant_param_need(struct ctx *c, const char *name, struct str *v,
    int qq_missing, struct oerror *e)
{
	int	r = optional(c, name, v, e);

	if (r == 1)
		OERR_SET(e, OERR_INVALID_REQUEST, qq_missing,
		    "a required parameter is missing");
	return r ? -1 : 0;
}

void
token_grant_mint(struct ctx *c, int with_refresh, struct token_reply *out,
    struct token_digests *d)
{
	out->access = crypto_token(&c->a);
	out->refresh = with_refresh ? crypto_token(&c->a) : STR_NULL;
	out->expires_in = c->cfg.access_token_ttl;
	d->access_hash = store_digest(&c->a, out->access);
	d->refresh_hash = with_refresh ?
	    store_digest(&c->a, out->refresh) : NULL;
	d->access_ttl = c->cfg.access_token_ttl;
	d->refresh_ttl = c->cfg.refresh_token_ttl;
	/* JWT access tokens: the row stands for the jti (jwt_access.c). */
	if (out->jwt.on) {
		d->access_hash = jwt_access_row(c, &out->jwt);
		out->expires_in = d->access_ttl = c->cfg.jwt_access_token_ttl;
	}
}

/* The requested scope (default: all of the client's), checked. */
static int
requested_scope(struct ctx *c, const struct client *cl, struct scopes *s,
    struct oerror *e)
{
	struct str	v;
	int		r = optional(c, "scope", &v, e);

	if (r == -1)
		return -1;
	if (r == 1) {
		*s = cl->scopes;
		return 0;
	}
	if (scope_parse(s, v) || !scope_subset(s, &cl->scopes) || s->n == 0) {
		OERR_SET(e, OERR_INVALID_SCOPE, 100030,
		    "scope not allowed for this client");
		return -1;
	}
	return 0;
}

/*
 * A code or refresh token came back after its use: revoke everything
 * issued from the same authorization and fail with invalid_grant.
 */
static int
replayed(struct ctx *c, long family_id, int qq, const char *why,
    struct oerror *e)
{
	if (store_family_revoke(&c->db, family_id)) {
		oerror_from_db(c, e);
		return -1;
	}
	OERR_SET(e, OERR_INVALID_GRANT, qq, why);
	return -1;
}

/* code_redeem's redirect URI rule (RFC 6749 §4.1.3). */
static int
code_redirect_ok(const struct code_row *row, const struct code_redemption *q)
{
	return !row->had_redirect_uri || str_eq(q->redirect_uri,
	    row->redirect_uri);
}

/* code_redeem's PKCE rule (RFC 7636 §4.6): -1 no verifier was wanted. */
static int
code_pkce_ok(const struct code_row *row, const struct code_redemption *q)
{
	enum pkce_method	m;

	if (row->challenge.n == 0)
		return q->verifier.n ? -1 : 1;
	return q->verifier.n && pkce_method_parse(row->method, &m) == 0 &&
	    pkce_verify(m, row->challenge, q->verifier);
}

/*
 * Why a code could not be redeemed: the slow path, run only after the
 * one-statement redemption matched nothing (the table beside
 * code_redeem in store_code.c). Always returns -1 with e set.
 */
static int
code_failure(struct ctx *c, const struct code_redemption *q, struct oerror *e)
{
	struct code_row	row;
	int		rc;

	if ((rc = store_code_get(&c->db, &c->a, q->code_hash, &row)) == -1)
		goto dbfail;
	if (rc == 1) {
		OERR_SET(e, OERR_INVALID_GRANT, 100068, "code invalid");
		return -1;
	}
	/*
	 * Another client's code changes nothing, used or not: only the
	 * code's own client may set off the replay revocation below.
	 */
	if (!str_eq(row.client_id, q->client.id)) {
		OERR_SET(e, OERR_INVALID_GRANT, 100019,
		    "code was issued to another client");
		return -1;
	}
	if (row.used)	/* RFC 6749 §4.1.2: revoke what the code gave. */
		return replayed(c, row.family_id, 100020, "code used twice", e);
	if (!row.live) {
		OERR_SET(e, OERR_INVALID_GRANT, 100067, "code expired");
		return -1;
	}
	if (!code_redirect_ok(&row, q)) {
		OERR_SET(e, OERR_INVALID_GRANT, 100010,
		    "redirect_uri does not match the authorization request");
		return -1;
	}
	switch (code_pkce_ok(&row, q)) {
	case -1:
		OERR_SET(e, OERR_INVALID_GRANT, 100019,
		    "code_verifier sent but no code_challenge was");
		return -1;
	case 0:
		/* One guess per code: a wrong verifier burns it. */
		if (q->verifier.n && store_code_burn(&c->db, q->code_hash))
			goto dbfail;
		OERR_SET(e, OERR_INVALID_GRANT, 100019,
		    "code_verifier does not match the code_challenge");
		return -1;
	}
	/* Every check passes now: another redemption won the race. */
	return replayed(c, row.family_id, 100020, "code used twice", e);
dbfail:
	oerror_from_db(c, e);
	return -1;
}

static int
grant_code(struct ctx *c, const struct client_key *k, const struct client *cl,
    struct token_reply *out, struct oerror *e)
{
	struct code_redemption	q = { .client = *k };
	struct token_issued	is = { 0 };
	struct str		code;
	int			rc;

	if (token_grant_param_need(c, "code", &code, 100005, e) ||
	    optional(c, "redirect_uri", &q.redirect_uri, e) == -1 ||
	    optional(c, "code_verifier", &q.verifier, e) == -1)
		return cl ? -1 : 1;
	if (code.n > 256) {
		OERR_SET(e, OERR_INVALID_GRANT, 100068, "code invalid");
		return cl ? -1 : 1;
	}
	q.code_hash = store_digest(&c->a, code);
	if (cl != NULL)
		return code_failure(c, &q, e);
	if (q.verifier.n && pkce_well_formed(q.verifier))
		q.verifier_s256 = pkce_s256(&c->a, q.verifier);
	token_grant_mint(c, 1, out, &q.tokens);
	if ((rc = store_code_redeem(&c->db, &c->a, &q, &is)) == -1) {
		oerror_from_db(c, e);
		return -1;
	}
	out->scope = is.scope;
	out->id = is.id;
	if (rc == 0 && !is.refresh)
		out->refresh = STR_NULL;
	return rc;
}

/*
 * Why a refresh token could not be used: the slow path, run only after
 * the one-statement refresh matched nothing (the table beside
 * REFRESH_OK in store_token.c). Always returns -1 with e set.
 */
static int
refresh_failure(struct ctx *c, const struct refresh_use *q,
    const struct scopes *want, struct oerror *e)
{
	struct token_row	t;
	struct scopes		have;
	int			rc;

	if ((rc = store_token_get(&c->db, &c->a, q->token_hash, 0, &t)) == -1) {
		oerror_from_db(c, e);
		return -1;
	}
	if (rc == 1 || t.kind != 'r' || !str_eq(t.client_id, q->client.id)) {
		OERR_SET(e, OERR_INVALID_GRANT, 100036,
		    "refresh token invalid");
		return -1;
	}
	if (t.revoked && !t.rotated) {
		OERR_SET(e, OERR_INVALID_GRANT, 100036,
		    "refresh token invalid");
		return -1;
	}
	if (!t.revoked && !t.live) {
		OERR_SET(e, OERR_INVALID_GRANT, 100037,
		    "refresh token expired");
		return -1;
	}
	if (!t.revoked && q->scope.n && (scope_parse(&have, t.scope) ||
	    !scope_subset(want, &have))) {
		OERR_SET(e, OERR_INVALID_SCOPE, 100030,
		    "scope exceeds the original grant");
		return -1;
	}
	/* A rotated token came back, or another use won the race. */
	return replayed(c, t.family_id, 100036, "refresh token invalid", e);
}

static int
grant_refresh(struct ctx *c, const struct client_key *k,
    const struct client *cl, struct token_reply *out, struct oerror *e)
{
	struct refresh_use	 q = { .client = *k };
	struct token_issued	 is = { 0 };
	struct str		 rt, v;
	struct scopes		 want;
	int			 rc;

	if (token_grant_param_need(c, "refresh_token", &rt, 100006, e) ||
	    optional(c, "scope", &v, e) == -1)
		return cl ? -1 : 1;
	if (rt.n > 256) {
		OERR_SET(e, OERR_INVALID_GRANT, 100036,
		    "refresh token invalid");
		return cl ? -1 : 1;
	}
	if (v.n) {
		if (scope_parse(&want, v) || want.n == 0) {
			OERR_SET(e, OERR_INVALID_SCOPE, 100030,
			    "invalid scope");
			return cl ? -1 : 1;
		}
		q.scope = scope_str(&c->a, &want);
	}
	q.token_hash = store_digest(&c->a, rt);
	if (cl != NULL)
		return refresh_failure(c, &q, &want, e);
	q.rotate = c->cfg.refresh_rotation;
	token_grant_mint(c, q.rotate, out, &q.tokens);
	if (!q.rotate)
		out->refresh = rt;
	if ((rc = store_refresh_use(&c->db, &c->a, &q, &is)) == -1)
		oerror_from_db(c, e);
	out->scope = is.scope;
	out->id = is.id;
	return rc;
}

static int
grant_password(struct ctx *c, const struct client_key *k,
    const struct client *cl, struct token_reply *out, struct oerror *e)
{
	struct str		name, pw;
	struct scopes		s;
	struct user		u;
	struct token_digests	d;

	(void)k;
	if (token_grant_param_need(c, "username", &name, 100000, e) ||
	    token_grant_param_need(c, "password", &pw, 100000, e) ||
	    requested_scope(c, cl, &s, e))
		return -1;
	switch (login_check(c, name, pw, &u)) {
	case LOGIN_OK:
		break;
	case LOGIN_BAD:
		OERR_SET(e, OERR_INVALID_GRANT, 100019,
		    "wrong username or password");
		return -1;
	case LOGIN_THROTTLED:
		OERR_SET(e, OERR_TOO_MANY_REQUESTS, 0, NULL);
		return -1;
	default:
		oerror_from_db(c, e);
		return -1;
	}
	token_grant_mint(c, (cl->grants & GRANT_REFRESH) != 0, out, &d);
	d.scope = d.refresh_scope = out->scope = scope_str(&c->a, &s);
	out->jwt.user_id = u.id;	/* JWT access tokens: the sub */
	if (store_token_issue(&c->db, cl->id, u.id, &d)) {
		oerror_from_db(c, e);
		return -1;
	}
	return 0;
}

/*
 * client_credentials (RFC 6749 §4.4): an access token for the client
 * itself, no user, no refresh token (§4.4.3).
 */
static int
grant_client_credentials(struct ctx *c, const struct client_key *k,
    const struct client *cl, struct token_reply *out, struct oerror *e)
{
	struct str		 v, want_scope = STR_NULL;
	struct scopes		 s;
	struct token_digests	 d;
	struct token_issued	 is = { 0 };
	int			 rc;

	if (cl == NULL) {
		/* The first try: the statement checks client and scope. */
		if (optional(c, "scope", &v, e) == -1)
			return 1;
		if (v.n) {
			if (scope_parse(&s, v) || s.n == 0)
				return 1;
			want_scope = scope_str(&c->a, &s);
		}
	} else {
		if (requested_scope(c, cl, &s, e))
			return -1;
		want_scope = scope_str(&c->a, &s);
	}
	token_grant_mint(c, 0, out, &d);
	rc = store_cc_issue(&c->db, &c->a, k, want_scope, &d, &is);
	out->scope = is.scope;
	if (rc == -1)
		oerror_from_db(c, e);
	else if (rc == 1 && cl != NULL)
		/* Authenticated, grant and scope allowed: an administrator
		 * suspended the client. */
		OERR_SET(e, OERR_UNAUTHORIZED_CLIENT, 100031,
		    "the client is suspended");
	return rc;
}

static const struct token_grant grants[] = {
	{ "authorization_code", GRANT_CODE, 1, 1, 1, grant_code },
	{ "refresh_token", GRANT_REFRESH, 1, 1, 1, grant_refresh },
	{ "password", GRANT_PASSWORD, 0, 0, 0, grant_password },
	{ "client_credentials", GRANT_CLIENT_CREDENTIALS, 0, 0, 1,
	    grant_client_credentials },
};

const struct token_grant *
token_grant_find(struct str grant_type)
{
	size_t	i;

	for (i = 0; i < sizeof(grants) / sizeof(grants[0]); i++)
		if (str_eq_c(grant_type, grants[i].name))
			return &grants[i];
	return NULL;
}

static int
token_grant_allowed(const struct token_grant *g, const struct client *cl,
    struct oerror *e)
{
	if ((cl->grants & g->flag) == 0) {
		OERR_SET(e, OERR_UNAUTHORIZED_CLIENT, 100031,
		    "grant_type not allowed for this client");
		return -1;
	}
	return 0;
}

int
token_grant_run(struct ctx *c, const struct token_grant *g,
    const struct client_key *k, struct token_reply *out,
    struct str *client_id, struct oerror *e)
{
	struct client	cl;
	int		rc;

	*client_id = k->id;
	if (g->fast && (rc = g->run(c, k, NULL, out, e)) != 1)
		return rc;
	/* Not on the fast path: authenticate, then find out what is wrong. */
	*e = (struct oerror){ 0 };
	if (client_authenticate(c, g->public_ok, &cl, e) ||
	    token_grant_allowed(g, &cl, e))
		return -1;
	*client_id = cl.id;
	return g->run(c, k, &cl, out, e) ? -1 : 0;
}
