/* authreq.c: the authorization request, parsed and checked */
#include <string.h>

#include "authreq.h"
#include "csrf.h"
#include "grant.h"
#include "idtoken.h"
#include "oidcreq.h"
#include "pkce.h"

/* The parameters of an authorization request, in fingerprint order. */
static const char *const request_params[] = {
	"response_type", "client_id", "redirect_uri", "scope", "state",
	"code_challenge", "code_challenge_method", "prompt", "display",
	/* OpenID Connect Core §3.1.2.1 */
	"nonce", "max_age", "response_mode", "login_hint", "id_token_hint",
};

_Static_assert(sizeof(request_params) / sizeof(request_params[0]) ==
    AUTHREQ_NPARAMS, "AUTHREQ_NPARAMS counts request_params");

struct str
authreq_given(const struct areq *r, const char *name)
{
	size_t	i;

	for (i = 0; i < AUTHREQ_NPARAMS; i++)
		if (strcmp(request_params[i], name) == 0)
			return r->given[i];
	return STR_NULL;
}

/* One optional parameter; -1 with e set when repeated. */
static int
param(struct ctx *c, const char *name, struct str *v, struct oerror *e)
{
	if (req_param(&c->req, name, v) == FORM_DUP) {
		OERR_SET(e, OERR_INVALID_REQUEST, 0,
		    "a parameter was given more than once");
		return -1;
	}
	return 0;
}

/*
 * Client and redirect URI: failures here never redirect (§4.1.2.1).
 * The same statement reads the session session_hash's user and consent
 * into *v.
 */
static int
check_client(struct ctx *c, struct areq *r, const char *session_hash,
    struct client_visit *v, struct oerror *e)
{
	struct str	id, uri;
	size_t		i;
	int		rc;

	if (req_param(&c->req, "client_id", &id) != FORM_ONE) {
		OERR_SET(e, OERR_INVALID_REQUEST, 0,
		    "client_id is missing or repeated");
		return -1;
	}
	if ((rc = store_client_visit(&c->db, &c->a, id, session_hash, &r->cl,
	    v)) == -1) {
		oerror_from_db(c, e);
		return -1;
	}
	if (rc == 1) {
		OERR_SET(e, OERR_INVALID_CLIENT, 0, "unknown client_id");
		return -1;
	}
	r->status = v->status;
	r->owner_user_id = v->owner_user_id;
	r->icon = v->icon;
	switch (req_param(&c->req, "redirect_uri", &uri)) {
	case FORM_DUP:
		OERR_SET(e, OERR_INVALID_REQUEST, 0, "redirect_uri repeated");
		return -1;
	case FORM_ABSENT:
		if (r->cl.nuris != 1) {
			OERR_SET(e, OERR_INVALID_REQUEST, 0,
			    "redirect_uri is required for this client");
			return -1;
		}
		r->redirect = r->cl.uris[0];
		return 0;
	case FORM_ONE:
		/* Exact string comparison (RFC 9700 §4.1.3). */
		for (i = 0; i < r->cl.nuris; i++) {
			if (str_eq(uri, r->cl.uris[i])) {
				r->redirect = uri;
				return 0;
			}
		}
		break;
	}
	OERR_SET(e, OERR_INVALID_REQUEST, 0,
	    "redirect_uri does not match a registered one");
	return -1;
}

/* The scope of the request (oidc_scope_pick: OpenID rules). */
static int
check_scope(struct areq *r, struct oerror *e)
{
	if (oidc_scope_pick(&r->cl.scopes, authreq_given(r, "scope"),
	    &r->scopes, &r->openid)) {
		OERR_SET(e, OERR_INVALID_SCOPE, 100030,
		    "scope not allowed for this client");
		return -1;
	}
	if (r->scopes.n == 0) {
		OERR_SET(e, OERR_INVALID_SCOPE, 100030, "no scope to grant");
		return -1;
	}
	return 0;
}

/* The OpenID Connect parameters: response_mode, max_age, nonce. */
static int
check_oidc(struct ctx *c, struct areq *r, struct oerror *e)
{
	struct str	mode = authreq_given(r, "response_mode"), v;

	if (req_param(&c->req, "request", &v) != FORM_ABSENT ||
	    req_param(&c->req, "request_uri", &v) != FORM_ABSENT) {
		OERR_SET(e, OERR_REQUEST_NOT_SUPPORTED, 0,
		    "request objects are not supported");
		return -1;
	}
	r->fragment = r->implicit;
	if (str_eq_c(mode, "fragment"))
		r->fragment = 1;
	else if (str_eq_c(mode, "form_post"))
		r->form_post = 1;
	else if (mode.n && !(str_eq_c(mode, "query") && !r->implicit)) {
		OERR_SET(e, OERR_INVALID_REQUEST, 0,
		    "unsupported response_mode");
		return -1;
	}
	r->max_age = -1;
	v = authreq_given(r, "max_age");
	if (v.n && (str_to_long(v, &r->max_age) || r->max_age < 0)) {
		OERR_SET(e, OERR_INVALID_REQUEST, 0, "bad max_age");
		return -1;
	}
	r->nonce = authreq_given(r, "nonce");
	if (r->nonce.n > 512) {
		OERR_SET(e, OERR_INVALID_REQUEST, 0, "nonce too long");
		return -1;
	}
	return 0;
}

/* PKCE (RFC 7636 §4.3), required of public clients in the code flow. */
static int
check_pkce(struct areq *r, struct oerror *e)
{
	enum pkce_method	m;

	if (r->method.n && r->challenge.n == 0) {
		OERR_SET(e, OERR_INVALID_REQUEST, 0,
		    "code_challenge_method without code_challenge");
		return -1;
	}
	if (r->challenge.n) {
		/* RFC 7636 §4.3: the method defaults to plain. */
		if (r->method.n == 0)
			r->method = STR_LIT("plain");
		if (pkce_method_parse(r->method, &m) ||
		    !pkce_well_formed(r->challenge) ||
		    (m == PKCE_S256 && r->challenge.n != 43)) {
			OERR_SET(e, OERR_INVALID_REQUEST, 0,
			    "bad code_challenge or code_challenge_method");
			return -1;
		}
	} else if (r->cl.secret_hash.n == 0 && !r->implicit) {
		OERR_SET(e, OERR_INVALID_REQUEST, 0,
		    "public clients must use PKCE (code_challenge)");
		return -1;
	}
	return 0;
}

/* Every parameter at most once, into r->given; response_type known. */
static int
check_params(struct ctx *c, struct areq *r, struct oerror *e)
{
	struct str	rt;
	size_t		i;

	/*
	 * A state that came once goes back with every error, whatever else
	 * is wrong (RFC 6749 §4.1.2.1), a repeated parameter included; in
	 * the fragment when response_type=token came once (§4.2.2.1).
	 */
	if (req_param(&c->req, "state", &r->state) != FORM_ONE)
		r->state = STR_NULL;
	if (req_param(&c->req, "response_type", &rt) == FORM_ONE)
		r->implicit = str_eq_c(rt, "token");
	r->fragment = r->implicit;
	for (i = 0; i < AUTHREQ_NPARAMS; i++)
		if (param(c, request_params[i], &r->given[i], e))
			return -1;
	rt = authreq_given(r, "response_type");
	r->implicit = str_eq_c(rt, "token");
	r->fragment = r->implicit;
	r->state = authreq_given(r, "state");
	r->challenge = authreq_given(r, "code_challenge");
	r->method = authreq_given(r, "code_challenge_method");
	if (rt.n == 0) {
		OERR_SET(e, OERR_INVALID_REQUEST, 100000,
		    "missing response_type");
		return -1;
	}
	if (!str_eq_c(rt, "code") && !r->implicit) {
		OERR_SET(e, OERR_UNSUPPORTED_RESPONSE_TYPE, 100000,
		    "response_type must be code or token");
		return -1;
	}
	return 0;
}

static int
check_request(struct ctx *c, struct areq *r, struct oerror *e)
{
	if (check_params(c, r, e) || check_oidc(c, r, e))
		return -1;
	if ((r->cl.grants & (r->implicit ? GRANT_IMPLICIT : GRANT_CODE)) == 0) {
		OERR_SET(e, OERR_UNAUTHORIZED_CLIENT, 100031,
		    "response_type not allowed for this client");
		return -1;
	}
	if (check_scope(r, e) || check_pkce(r, e))
		return -1;
	/* PKCE stands in for state only where it protects: the code flow. */
	if (r->state.n == 0 && (r->challenge.n == 0 || r->implicit)) {
		OERR_SET(e, OERR_INVALID_REQUEST, 0, "state is required");
		return -1;
	}
	if (oidc_prompt_parse(authreq_given(r, "prompt"), &r->prompt)) {
		OERR_SET(e, OERR_INVALID_REQUEST, 0, "unsupported prompt");
		return -1;
	}
	return 0;
}

int
authreq_parse(struct ctx *c, const char *session_hash, struct areq *r,
    struct client_visit *v, struct oerror *e)
{
	memset(r, 0, sizeof(*r));
	if (check_client(c, r, session_hash, v, e))
		return -1;
	r->redirect_ok = 1;
	return check_request(c, r, e);
}

struct str
authreq_fingerprint(struct ctx *c, const struct areq *r)
{
	return csrf_fingerprint(&c->a, r->given, AUTHREQ_NPARAMS);
}

void
authreq_hidden(struct tvars *v, const struct areq *r)
{
	struct tvars	*item;
	size_t		 i;

	for (i = 0; i < AUTHREQ_NPARAMS; i++) {
		if (r->given[i].n == 0)
			continue;
		item = tvars_add_item(v, "hidden");
		tvars_setc(item, "name", request_params[i]);
		tvars_set(item, "value", r->given[i]);
	}
}

int
authreq_session_fits(struct ctx *c, const struct areq *r,
    const struct client_visit *v)
{
	struct str	hint = authreq_given(r, "id_token_hint"), aud, sub;
	int		rc;

	if (hint.n) {
		if ((rc = idtoken_hint(c, hint, &aud, &sub)) != 0)
			return rc == 1 ? 2 : -1;
		if (v->logged_in &&
		    !str_eq(sub, idtoken_sub(c, aud, v->user.id)))
			return 1;
	}
	if (v->logged_in && r->max_age >= 0 && v->session_age >= r->max_age)
		return 1;
	return 0;
}

