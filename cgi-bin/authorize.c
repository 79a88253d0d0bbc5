/* authorize.c: /oauth2.0/authorize: login, consent, code or token redirect */
#include <stdio.h>

#include "answer.h"
#include "authreq.h"
#include "consent.h"
#include "crypto.h"
#include "fcgi_loop.h"
#include "login.h"
#include "oidcreq.h"
#include "page.h"
#include "session.h"
#include "token_grant.h"

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

static void
login_fill(struct ctx *c, struct tvars *v, const void *arg)
{
	const struct areq	*r = arg;

	(void)c;
	tvars_set(v, "client_name", r->cl.name);
	authreq_hidden(v, r);
}

/* The login form of this request: it posts every parameter again. */
static void
login_form(struct ctx *c, const struct areq *r, struct login_form *f)
{
	(void)c;
	f->action = "/oauth2.0/authorize";
	f->fill = login_fill;
	f->arg = r;
	f->db_failure = db_failure_page;
}

/* The implicit flow's access token (RFC 6749 §4.2.2), stored: 0 or -1. */
static int
implicit_token(struct ctx *c, const struct areq *r, const struct user *u,
    struct str scope, struct token_reply *t)
{
	struct token_digests	d = { 0 };

	token_grant_mint(c, 0, t, &d);
	d.scope = d.refresh_scope = scope;
	return store_token_issue(&c->db, r->cl.id, u->id, &d);
}

/* A fresh authorization code (RFC 6749 §4.1.2), stored: 0 or -1. */
static int
code_issue(struct ctx *c, const struct areq *r, const struct user *u,
    struct str scope, const char *session_hash, struct str *code)
{
	struct code_grant	g = { 0 };

	*code = crypto_token(&c->a);
	g.code_hash = store_digest(&c->a, *code);
	g.client_id = r->cl.id;
	g.user_id = u->id;
	g.redirect_uri = authreq_given(r, "redirect_uri");
	g.scope = scope;
	g.challenge = r->challenge;
	g.method = r->challenge.n ? r->method : STR_NULL;
	g.ttl = c->cfg.code_ttl;
	g.nonce = r->nonce;
	g.session_hash = session_hash;
	return store_code_insert(&c->db, &g);
}

/* Issue the code or the implicit token and redirect to the client. */
static void
grant(struct ctx *c, const struct areq *r, const struct user *u,
    struct str scope, const char *session_hash)
{
	struct answer		ans;
	struct token_reply	t = { 0 };
	struct str		code;
	char			ttl[24];

	if (r->implicit ? implicit_token(c, r, u, scope, &t) :
	    code_issue(c, r, u, scope, session_hash, &code)) {
		db_failure_page(c);
		return;
	}
	answer_begin(c, &ans, r->redirect, r->fragment, r->form_post,
	    redirect_status(c));
	if (r->implicit) {
		snprintf(ttl, sizeof(ttl), "%ld", t.expires_in);
		answer_param(&ans, "access_token", t.access);
		answer_param(&ans, "token_type", STR_LIT("Bearer"));
		answer_param(&ans, "expires_in", str_c(ttl));
		answer_param(&ans, "scope", scope);
	} else
		answer_param(&ans, "code", code);
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
	if (consent_page(c, r, u, session_hash))
		db_failure_page(c);
}

static void
do_login(struct ctx *c, const struct areq *r)
{
	struct login_form	 f;
	struct user		 u;
	struct scopes		 remembered;
	const char		*hash;

	login_form(c, r, &f);
	if (login_form_post(c, &f, &u, &hash) == 0)
		proceed(c, r, &u, hash, -1, &remembered);
}

static void
do_consent(struct ctx *c, const struct areq *r)
{
	struct str		 decision, scope;
	struct scopes		 granted;
	struct login_form	 f;
	struct oerror		 e;
	struct user		 u;
	const char		*hash;
	int			 rc;

	if ((rc = session_current(c, &u, &hash)) == -1) {
		db_failure_page(c);
		return;
	}
	if (rc == 1) {
		login_form(c, r, &f);
		login_page(c, &f, 200, NULL, STR_NULL);
		return;
	}
	if (review_gate(c, r, &u))
		return;
	if (!consent_form_ok(c, r, hash)) {
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
	consent_granted(c, r, &granted);
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

/* After a valid request: the posted forms, or the session's next step. */
static void
route(struct ctx *c, const struct areq *r, struct client_visit *v,
    const char *hash)
{
	struct login_form	f;
	struct oerror		e;
	struct str		op = STR_NULL;

	if (req_is(&c->req, "POST"))
		req_param(&c->req, "op", &op);
	if (str_eq_c(op, "login")) {
		do_login(c, r);
		return;
	}
	if (str_eq_c(op, "consent")) {
		do_consent(c, r);
		return;
	}
	switch (authreq_session_fits(c, r, v)) {
	case -1:
		db_failure_page(c);
		return;
	case 1:
		v->logged_in = 0;
		break;
	case 2:
		OERR_SET(&e, OERR_INVALID_REQUEST, 0, "bad id_token_hint");
		error_redirect(c, r, &e);
		return;
	}
	if (!v->logged_in && (r->prompt & PROMPT_NONE)) {
		OERR_SET(&e, OERR_LOGIN_REQUIRED, 0, "the user is not logged in");
		error_redirect(c, r, &e);
		return;
	}
	if (!v->logged_in || (r->prompt & (PROMPT_LOGIN | PROMPT_SELECT))) {
		login_form(c, r, &f);
		login_page(c, &f, 200, NULL, authreq_given(r, "login_hint"));
		return;
	}
	proceed(c, r, &v->user, hash, v->consented, &v->remembered);
}

static void
authorize(struct ctx *c)
{
	struct areq		 r;
	struct oerror		 e = { 0 };
	struct client_visit	 v;
	const char		*hash = NULL;

	if (session_cookie_hash(c, &hash))
		hash = NULL;
	if (authreq_parse(c, hash, &r, &v, &e)) {
		fail(c, &r, &e);
		return;
	}
	/* OpenID Connect Core §3.1.2.1: redirect_uri is REQUIRED. */
	if (r.openid && authreq_given(&r, "redirect_uri").n == 0) {
		error_page(c, 400, "invalid_request",
		    "redirect_uri is required in an OpenID Connect request.");
		return;
	}
	route(c, &r, &v, hash);
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
