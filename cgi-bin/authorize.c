/* authorize.c: /oauth2.0/authorize: login, consent, code or token redirect */
#include <stdio.h>
#include <string.h>

#include "answer.h"
#include "clientauth.h"
#include "crypto.h"
#include "csrf.h"
#include "fcgi_loop.h"
#include "idtoken.h"
#include "login.h"
#include "oidcreq.h"
#include "page.h"
#include "pkce.h"
#include "redirect_uri.h"
#include "session.h"

/* Parameters that make up an authorization request, in fingerprint order. */
static const char *const request_params[] = {
	"response_type", "client_id", "redirect_uri", "scope", "state",
	"code_challenge", "code_challenge_method", "prompt", "display",
	/* OpenID Connect Core §3.1.2.1 */
	"nonce", "max_age", "response_mode", "login_hint", "id_token_hint",
};
#define NPARAMS	(sizeof(request_params) / sizeof(request_params[0]))

/* A validated authorization request. */
struct areq {
	struct client	 cl;
	struct str	 given[NPARAMS];	/* as received; empty if absent */
	struct str	 redirect;		/* where to send the answer */
	struct str	 state;
	struct str	 challenge;
	struct str	 method;
	unsigned	 prompt;		/* PROMPT_* */
	long		 max_age;		/* -1: none */
	struct str	 nonce;
	struct scopes	 scopes;		/* requested, or the client's */
	int		 implicit;		/* response_type=token */
	int		 fragment;		/* answer in the fragment */
	int		 form_post;		/* response_mode=form_post */
	int		 openid;		/* an OpenID Connect request */
	int		 redirect_ok;		/* errors may redirect */
	struct str	 status;		/* the app's review status */
	long		 owner_user_id;		/* its developer; 0: none */
	struct str	 icon;
};

static struct str
given(const struct areq *r, const char *name)
{
	size_t	i;

	for (i = 0; i < NPARAMS; i++)
		if (strcmp(request_params[i], name) == 0)
			return r->given[i];
	return STR_NULL;
}

/* 302 after GET, 303 after POST (never 307: RFC 9700 §4.12). */
static int
redirect_status(struct ctx *c)
{
	return req_is(&c->req, "POST") ? 303 : 302;
}

static void
error_page(struct ctx *c, int status, const char *error, const char *desc)
{
	page_error(c, status, error, desc);
}

static void
db_failure_page(struct ctx *c)
{
	if (c->db.state == DB_DOWN)
		error_page(c, 503, "temporarily_unavailable",
		    "The service is temporarily unavailable. Please retry.");
	else
		error_page(c, 500, "server_error", "Internal server error.");
}

/* Send the error back to the client (RFC 6749 §4.1.2.1, §4.2.2.1). */
static void
error_redirect(struct ctx *c, const struct areq *r, const struct oerror *e)
{
	struct answer	ans;

	answer_begin(c, &ans, r->redirect, r->fragment, r->form_post,
	    redirect_status(c));
	answer_param(&ans, "error", str_c(oerr_name(e->code)));
	answer_param(&ans, "error_description", str_c(oerr_desc(e)));
	if (r->state.n)
		answer_param(&ans, "state", r->state);
	answer_param(&ans, "iss", str_c(c->cfg.issuer));
	if (answer_send(c, &ans))
		error_page(c, 400, "invalid_request", "Bad redirect.");
}

static void
fail(struct ctx *c, const struct areq *r, const struct oerror *e)
{
	if (e->code == OERR_TEMPORARILY_UNAVAILABLE ||
	    e->code == OERR_SERVER_ERROR)
		db_failure_page(c);
	else if (r->redirect_ok)
		error_redirect(c, r, e);
	else
		error_page(c, 400, oerr_name(e->code), oerr_desc(e));
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
	if (oidc_scope_pick(&r->cl.scopes, given(r, "scope"), &r->scopes,
	    &r->openid)) {
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
	struct str	mode = given(r, "response_mode"), v;

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
		OERR_SET(e, OERR_INVALID_REQUEST, 0, "unsupported response_mode");
		return -1;
	}
	r->max_age = -1;
	v = given(r, "max_age");
	if (v.n && (str_to_long(v, &r->max_age) || r->max_age < 0)) {
		OERR_SET(e, OERR_INVALID_REQUEST, 0, "bad max_age");
		return -1;
	}
	r->nonce = given(r, "nonce");
	if (r->nonce.n > 512) {
		OERR_SET(e, OERR_INVALID_REQUEST, 0, "nonce too long");
		return -1;
	}
	return 0;
}

static int
check_request(struct ctx *c, struct areq *r, struct oerror *e)
{
	struct str		 rt;
	enum pkce_method	 m;
	size_t			 i;

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
	for (i = 0; i < NPARAMS; i++)
		if (param(c, request_params[i], &r->given[i], e))
			return -1;
	rt = given(r, "response_type");
	r->implicit = str_eq_c(rt, "token");
	r->fragment = r->implicit;
	r->state = given(r, "state");
	r->challenge = given(r, "code_challenge");
	r->method = given(r, "code_challenge_method");
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
	if (check_oidc(c, r, e))
		return -1;
	if ((r->cl.grants & (r->implicit ? GRANT_IMPLICIT : GRANT_CODE)) == 0) {
		OERR_SET(e, OERR_UNAUTHORIZED_CLIENT, 100031,
		    "response_type not allowed for this client");
		return -1;
	}
	if (check_scope(r, e))
		return -1;
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
	} else if (r->cl.secret_hex.n == 0 && !r->implicit) {
		OERR_SET(e, OERR_INVALID_REQUEST, 0,
		    "public clients must use PKCE (code_challenge)");
		return -1;
	}
	/* PKCE stands in for state only where it protects: the code flow. */
	if (r->state.n == 0 && (r->challenge.n == 0 || r->implicit)) {
		OERR_SET(e, OERR_INVALID_REQUEST, 0, "state is required");
		return -1;
	}
	if (oidc_prompt_parse(given(r, "prompt"), &r->prompt)) {
		OERR_SET(e, OERR_INVALID_REQUEST, 0, "unsupported prompt");
		return -1;
	}
	return 0;
}

/* The request's fingerprint, to bind the consent form's CSRF token. */
static struct str
fingerprint(struct ctx *c, const struct areq *r)
{
	return csrf_fingerprint(&c->a, r->given, NPARAMS);
}

static void
add_hidden(struct tvars *v, const struct areq *r)
{
	struct tvars	*item;
	size_t		 i;

	for (i = 0; i < NPARAMS; i++) {
		if (r->given[i].n == 0)
			continue;
		item = tvars_add_item(v, "hidden");
		tvars_setc(item, "name", request_params[i]);
		tvars_set(item, "value", r->given[i]);
	}
}

static void
login_page(struct ctx *c, const struct areq *r, int status, const char *err,
    struct str username)
{
	struct tvars	*v = tvars_new(&c->a, NULL);

	session_login_form(c, v, "/oauth2.0/authorize");
	tvars_set(v, "client_name", r->cl.name);
	tvars_set(v, "username", username);
	if (err != NULL)
		tvars_setc(v, err, "1");
	add_hidden(v, r);
	if (status == 429)
		resp_header(&c->resp, "Retry-After", STR_LIT("300"));
	page_render(c, status, "login", v);
}

static void
consent_page(struct ctx *c, const struct areq *r, const struct user *u,
    const char *session_hash)
{
	struct tvars	*v = tvars_new(&c->a, NULL), *item;
	struct str	 desc[SCOPE_MAX];
	size_t		 i;

	if (store_scope_describe(&c->db, &c->a, &r->scopes, c->lang, desc)) {
		db_failure_page(c);
		return;
	}
	tvars_setc(v, "action", "/oauth2.0/authorize");
	tvars_set(v, "csrf", csrf_make(c, "consent", str_c(session_hash),
	    fingerprint(c, r)));
	tvars_set(v, "client_name", r->cl.name);
	tvars_set(v, "client_website", r->cl.website);
	tvars_set(v, "client_icon", r->icon);
	tvars_set(v, "nickname", u->nickname.n ? u->nickname : u->username);
	tvars_set(v, "avatar", u->avatar);
	tvars_set(v, "username", u->username);
	for (i = 0; i < r->scopes.n; i++) {
		item = tvars_add_item(v, "scopes");
		tvars_set(item, "name", r->scopes.v[i]);
		tvars_set(item, "description", desc[i]);
		tvars_setc(item, "checked", "1");
	}
	add_hidden(v, r);
	page_render(c, 200, "consent", v);
}

/* Issue the code or the implicit token and redirect to the client. */
static void
grant(struct ctx *c, const struct areq *r, const struct user *u,
    struct str scope, const char *session_hash)
{
	struct answer	 ans;
	struct issue	 is = { 0 };
	struct str	 tok = crypto_token(&c->a);
	const char	*hash = crypto_digest_param(&c->a, tok);
	int		 rc;

	if (r->implicit) {
		is.access_hash = hash;
		is.access_ttl = c->cfg.access_token_ttl;
		is.scope = is.refresh_scope = scope;
		rc = store_token_issue(&c->db, r->cl.id, u->id, &is);
	} else
		rc = store_code_insert(&c->db, hash, r->cl.id, u->id,
		    given(r, "redirect_uri"), scope, r->challenge,
		    r->challenge.n ? r->method : STR_NULL, c->cfg.code_ttl,
		    r->nonce, session_hash);
	if (rc) {
		db_failure_page(c);
		return;
	}
	answer_begin(c, &ans, r->redirect, r->fragment, r->form_post,
	    redirect_status(c));
	if (r->implicit) {
		char ttl[24];

		snprintf(ttl, sizeof(ttl), "%ld", c->cfg.access_token_ttl);
		answer_param(&ans, "access_token", tok);
		answer_param(&ans, "token_type", STR_LIT("Bearer"));
		answer_param(&ans, "expires_in", str_c(ttl));
		answer_param(&ans, "scope", scope);
	} else
		answer_param(&ans, "code", tok);
	if (r->state.n)
		answer_param(&ans, "state", r->state);
	answer_param(&ans, "iss", str_c(c->cfg.issuer));	/* RFC 9207 */
	if (answer_send(c, &ans))
		error_page(c, 400, "invalid_request", "Bad redirect.");
}

/*
 * developer_registration = review: an app under review logs in only its
 * developer, a suspended one nobody. 0 to go on; otherwise the page that
 * says so has been answered.
 */
static int
review_gate(struct ctx *c, const struct areq *r, const struct user *u)
{
	struct tvars	*v;

	if (str_eq_c(r->status, "approved") || (str_eq_c(r->status, "review") &&
	    r->owner_user_id == u->id))
		return 0;
	v = tvars_new(&c->a, NULL);
	tvars_set(v, "client_name", r->cl.name);
	tvars_setc(v, str_eq_c(r->status, "review") ? "under_review" :
	    "suspended", "1");
	page_render(c, 403, "review", v);
	return -1;
}

/*
 * A logged-in user: remembered consent, prompt handling, or the page.
 * consented and remembered: the consent already read with the session
 * (consented -1: not read yet).
 */
static void
proceed(struct ctx *c, const struct areq *r, const struct user *u,
    const char *session_hash, int consented, struct scopes *remembered)
{
	struct oerror	e;

	if (review_gate(c, r, u))
		return;
	if (consented == -1) {
		switch (store_consent_get(&c->db, &c->a, u->id, r->cl.id,
		    remembered)) {
		case -1:
			db_failure_page(c);
			return;
		case 0:
			consented = 1;
			break;
		default:
			consented = 0;
		}
	}
	if (consented && !(r->prompt & PROMPT_CONSENT) &&
	    scope_subset(&r->scopes, remembered)) {
		grant(c, r, u, scope_str(&c->a, &r->scopes), session_hash);
		return;
	}
	if (r->prompt & PROMPT_NONE) {
		OERR_SET(&e, OERR_CONSENT_REQUIRED, 0,
		    "the user has not consented to this request");
		error_redirect(c, r, &e);
		return;
	}
	consent_page(c, r, u, session_hash);
}

static void
do_login(struct ctx *c, const struct areq *r)
{
	struct str	 name = STR_NULL, pw = STR_NULL;
	struct user	 u;
	struct scopes	 remembered;
	const char	*hash;

	req_param(&c->req, "username", &name);
	if (!session_login_form_ok(c)) {
		login_page(c, r, 403, "err_csrf", name);
		return;
	}
	if (req_param(&c->req, "password", &pw) != FORM_ONE ||
	    name.n == 0) {
		login_page(c, r, 200, "err_bad_login", name);
		return;
	}
	switch (login_check(c, name, pw, &u)) {
	case LOGIN_OK:
		break;
	case LOGIN_BAD:
		login_page(c, r, 200, "err_bad_login", name);
		return;
	case LOGIN_THROTTLED:
		login_page(c, r, 429, "err_throttled", name);
		return;
	default:
		db_failure_page(c);
		return;
	}
	if (session_start(c, u.id, &hash)) {
		db_failure_page(c);
		return;
	}
	proceed(c, r, &u, hash, -1, &remembered);
}

static void
do_consent(struct ctx *c, const struct areq *r)
{
	struct str	 token, decision, s, scope;
	struct scopes	 granted = { .n = 0 };
	struct oerror	 e;
	struct user	 u;
	const char	*hash;
	size_t		 i, n;
	int		 rc;

	if ((rc = session_current(c, &u, &hash)) == -1) {
		db_failure_page(c);
		return;
	}
	if (rc == 1) {
		login_page(c, r, 200, NULL, STR_NULL);
		return;
	}
	if (review_gate(c, r, &u))
		return;
	if (req_param(&c->req, "csrf", &token) != FORM_ONE ||
	    csrf_cross_site(c) ||
	    !csrf_check(c, "consent", str_c(hash), fingerprint(c, r), token)) {
		error_page(c, 403, "access_denied",
		    "The form expired or came from another site.");
		return;
	}
	if (req_param(&c->req, "decision", &decision) != FORM_ONE ||
	    !str_eq_c(decision, "allow")) {
		OERR_SET(&e, OERR_ACCESS_DENIED, 100030,
		    "the user denied the request");
		error_redirect(c, r, &e);
		return;
	}
	/* The granted scope is what stayed checked, within the request. */
	n = form_count(&c->req.params, "grant_scope");
	for (i = 0; i < n && granted.n < SCOPE_MAX; i++) {
		s = form_nth(&c->req.params, "grant_scope", i);
		if (scope_has(&r->scopes, s) && !scope_has(&granted, s))
			granted.v[granted.n++] = s;
	}
	if (granted.n == 0) {
		OERR_SET(&e, OERR_ACCESS_DENIED, 100030,
		    "the user granted no scope");
		error_redirect(c, r, &e);
		return;
	}
	scope = scope_str(&c->a, &granted);
	if (store_consent_set(&c->db, u.id, r->cl.id, scope)) {
		db_failure_page(c);
		return;
	}
	grant(c, r, &u, scope, hash);
}

/*
 * Whether the session may answer this request (OpenID Connect Core
 * §3.1.2.1): older than max_age, or another user than id_token_hint
 * names, it must log in again. 0 it fits (or there is none), 1 it does
 * not, 2 the hint is none of ours, -1 database failure.
 */
static int
session_fits(struct ctx *c, const struct areq *r, const struct client_visit *v)
{
	struct str	hint = given(r, "id_token_hint"), aud, sub;
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

static void
authorize(struct ctx *c)
{
	struct areq		 r;
	struct oerror		 e = { 0 };
	struct str		 op = STR_NULL;
	struct client_visit	 v;
	const char		*hash = NULL;

	memset(&r, 0, sizeof(r));
	if (session_cookie_hash(c, &hash))
		hash = NULL;
	if (check_client(c, &r, hash, &v, &e)) {
		fail(c, &r, &e);
		return;
	}
	r.redirect_ok = 1;
	if (check_request(c, &r, &e)) {
		fail(c, &r, &e);
		return;
	}
	/* OpenID Connect Core §3.1.2.1: redirect_uri is REQUIRED. */
	if (r.openid && given(&r, "redirect_uri").n == 0) {
		error_page(c, 400, "invalid_request",
		    "redirect_uri is required in an OpenID Connect request.");
		return;
	}
	if (req_is(&c->req, "POST"))
		req_param(&c->req, "op", &op);
	if (str_eq_c(op, "login")) {
		do_login(c, &r);
		return;
	}
	if (str_eq_c(op, "consent")) {
		do_consent(c, &r);
		return;
	}
	switch (session_fits(c, &r, &v)) {
	case -1:
		db_failure_page(c);
		return;
	case 1:
		v.logged_in = 0;
		break;
	case 2:
		OERR_SET(&e, OERR_INVALID_REQUEST, 0, "bad id_token_hint");
		error_redirect(c, &r, &e);
		return;
	}
	if (!v.logged_in && (r.prompt & PROMPT_NONE)) {
		OERR_SET(&e, OERR_LOGIN_REQUIRED, 0, "the user is not logged in");
		error_redirect(c, &r, &e);
		return;
	}
	if (!v.logged_in || (r.prompt & (PROMPT_LOGIN | PROMPT_SELECT))) {
		login_page(c, &r, 200, NULL, given(&r, "login_hint"));
		return;
	}
	proceed(c, &r, &v.user, hash, v.consented, &v.remembered);
}

static const struct endpoint endpoint = {
	.name = "authorize",
	.methods = METHOD_GET | METHOD_POST,
	.reply = REPLY_PAGE,
	.handler = authorize,
};

int
main(void)
{
	return fcgi_main(&endpoint);
}
