/* end_session.c: GET|POST /oauth2.0/end_session: RP-Initiated Logout 1.0 */
#include "csrf.h"
#include "fcgi_loop.h"
#include "idtoken.h"
#include "page.h"
#include "redirect_uri.h"
#include "session.h"
#include "store_oidc.h"

/* The parameters of a logout request, in fingerprint order. */
static const char *const logout_params[] = {
	"id_token_hint", "client_id", "post_logout_redirect_uri", "state",
};
#define NLOGOUT	(sizeof(logout_params) / sizeof(logout_params[0]))

struct lreq {
	struct str	 v[NLOGOUT];
	struct str	 client_id;	/* client_id, or the hint's aud */
	struct str	 sub;		/* the hint's; empty: no hint */
	struct str	 redirect;	/* registered; empty: none */
	struct client	 cl;
	int		 have_client;
};

/*
 * Read and check the request: a hint must be ours, a client named twice
 * must be the same, and a post_logout_redirect_uri must be registered
 * for it (§3: never a redirect to another). 0, or -1 with the page set.
 */
static int
check(struct ctx *c, struct lreq *r)
{
	struct str	aud;
	size_t		i;
	int		rc;

	for (i = 0; i < NLOGOUT; i++) {
		if (req_param(&c->req, logout_params[i], &r->v[i]) ==
		    FORM_DUP) {
			page_error(c, 400, "invalid_request",
			    "A parameter was given more than once.");
			return -1;
		}
	}
	r->client_id = r->v[1];
	if (r->v[0].n) {
		if ((rc = idtoken_hint(c, r->v[0], &aud, &r->sub)) == -1)
			goto dbfail;
		if (rc == 1 || (r->client_id.n && !str_eq(aud, r->client_id))) {
			page_error(c, 400, "invalid_request",
			    "The id_token_hint is not valid here.");
			return -1;
		}
		r->client_id = aud;
	}
	if (r->client_id.n) {
		if ((rc = store_client_get(&c->db, &c->a, r->client_id, 0,
		    &r->cl)) == -1)
			goto dbfail;
		r->have_client = rc == 0;
	}
	if (r->v[2].n == 0)
		return 0;
	rc = r->have_client ? store_post_logout_ok(&c->db, &c->a,
	    r->client_id, r->v[2]) : 0;
	if (rc == -1)
		goto dbfail;
	if (rc == 0) {
		page_error(c, 400, "invalid_request",
		    "post_logout_redirect_uri is not registered for this "
		    "client.");
		return -1;
	}
	r->redirect = r->v[2];
	return 0;
dbfail:
	page_db_failure(c);
	return -1;
}

/* After the logout: back to the client with state, or our own page. */
static void
done(struct ctx *c, const struct lreq *r)
{
	struct strbuf	 b;
	struct tvars	*v;
	int		 first = 1;

	if (r->redirect.n) {
		strbuf_init(&b, &c->a);
		if (r->v[3].n) {
			ruri_begin(&b, r->redirect, 0);
			ruri_param(&b, &first, "state", r->v[3]);
		} else
			strbuf_append(&b, r->redirect.p, r->redirect.n);
		if (resp_redirect(&c->resp, req_is(&c->req, "POST") ? 303 : 302,
		    strbuf_str(&b)) == 0)
			return;
	}
	v = tvars_new(&c->a, NULL);
	tvars_setc(v, "done", "1");
	page_render(c, 200, "logout", v);
}

static void
confirm_page(struct ctx *c, const struct lreq *r, const struct user *u,
    const char *hash)
{
	struct tvars	*v = tvars_new(&c->a, NULL), *item;
	size_t		 i;

	tvars_setc(v, "confirm", "1");
	tvars_setc(v, "action", "/oauth2.0/end_session");
	tvars_set(v, "csrf", csrf_make(c, "end_session", str_c(hash),
	    csrf_fingerprint(&c->a, r->v, NLOGOUT)));
	if (r->have_client)
		tvars_set(v, "client_name", r->cl.name);
	tvars_set(v, "username", u->username);
	for (i = 0; i < NLOGOUT; i++) {
		if (r->v[i].n == 0)
			continue;
		item = tvars_add_item(v, "hidden");
		tvars_setc(item, "name", logout_params[i]);
		tvars_set(item, "value", r->v[i]);
	}
	page_render(c, 200, "logout", v);
}

static void
end_session(struct ctx *c)
{
	struct lreq	 r = { 0 };
	struct user	 u;
	struct str	 op = STR_NULL;
	const char	*hash;
	int		 rc;

	if (check(c, &r))
		return;
	if ((rc = session_current(c, &u, &hash)) == -1) {
		page_db_failure(c);
		return;
	}
	if (rc == 1) {		/* nobody to log out */
		session_clear_cookie(c);
		done(c, &r);
		return;
	}
	if (req_is(&c->req, "POST"))
		req_param(&c->req, "op", &op);
	if (str_eq_c(op, "logout")) {
		if (!csrf_form_ok(c, "end_session", str_c(hash),
		    csrf_fingerprint(&c->a, r.v, NLOGOUT))) {
			page_error(c, 403, "access_denied",
			    "The form expired or came from another site.");
			return;
		}
	} else if (r.sub.n == 0 ||
	    !str_eq(r.sub, idtoken_sub(c, r.client_id, u.id))) {
		/* §2: without a hint for this user, the user confirms. */
		confirm_page(c, &r, &u, hash);
		return;
	}
	if (store_session_delete(&c->db, hash)) {
		page_db_failure(c);
		return;
	}
	session_clear_cookie(c);
	done(c, &r);
}

static const struct endpoint endpoint = {
	.name = "end_session",
	.methods = METHOD_GET | METHOD_POST,
	.reply = REPLY_PAGE,
	.handler = end_session,
};

int
main(void)
{
	return fcgi_main(&endpoint);
}
