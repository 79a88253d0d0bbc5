/* consent.c: the consent page of an authorization request and its answer */
#include "consent.h"
#include "csrf.h"
#include "page.h"

int
consent_page(struct ctx *c, const struct areq *r, const struct user *u,
    const char *session_hash)
{
	struct tvars	*v = tvars_new(&c->a, NULL), *item;
	struct str	 desc[SCOPE_MAX];
	size_t		 i;

	if (store_scope_describe(&c->db, &c->a, &r->scopes, c->lang, desc)) {
		return -1;
	}
	tvars_setc(v, "action", "/oauth2.0/authorize");
	tvars_set(v, "csrf", csrf_make(c, "consent", str_c(session_hash),
	    authreq_fingerprint(c, r)));
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
	authreq_hidden(v, r);
	page_render(c, 200, "consent", v);
	return 0;
}

int
consent_form_ok(struct ctx *c, const struct areq *r, const char *session_hash)
{
	return csrf_form_ok(c, "consent", str_c(session_hash),
	    authreq_fingerprint(c, r));
}

void
consent_granted(struct ctx *c, const struct areq *r, struct scopes *granted)
{
	struct str	s;
	size_t		i, n;

	granted->n = 0;
	n = form_count(&c->req.params, "grant_scope");
	for (i = 0; i < n && granted->n < SCOPE_MAX; i++) {
		s = form_nth(&c->req.params, "grant_scope", i);
		if (scope_has(&r->scopes, s) && !scope_has(granted, s))
			granted->v[granted->n++] = s;
	}
}
