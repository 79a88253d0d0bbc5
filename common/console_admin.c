/* console_admin.c: the admin console's views and its client forms (/admin/) */
#include <stdio.h>
#include <string.h>

#include "console.h"
#include "console_admin.h"
#include "crypto.h"
#include "grant.h"
#include "page.h"
#include "redirect_uri.h"
#include "store_util.h"

static const char *const grant_list[] = {
	"authorization_code", "refresh_token", "password",
	"client_credentials", "implicit",
};
#define NGRANTS	(sizeof(grant_list) / sizeof(grant_list[0]))

static void
scope_items(struct ctx *c, struct tvars *v, PGresult *scopes,
    struct str selected)
{
	struct tvars	*item;
	struct str	 name;
	struct scopes	 sel;
	int		 i;

	if (scope_parse(&sel, selected))
		sel.n = 0;
	for (i = 0; i < PQntuples(scopes); i++) {
		name = store_cell(&c->a, scopes, i, 0);
		item = tvars_add_item(v, "scopes");
		tvars_set(item, "name", name);
		tvars_set(item, "description", store_cell(&c->a, scopes, i,
		    strcmp(c->lang, "en") == 0 &&
		    PQgetlength(scopes, i, 2) ? 2 : 1));
		tvars_set(item, "description_zh",
		    store_cell(&c->a, scopes, i, 1));
		tvars_set(item, "description_en",
		    store_cell(&c->a, scopes, i, 2));
		if (selected.n == 0 || scope_has(&sel, name))
			tvars_setc(item, "checked", "1");
	}
}

static void
grant_items(struct tvars *v, struct str selected)
{
	struct tvars	*item;
	struct scopes	 sel;
	size_t		 i;

	if (scope_parse(&sel, selected))
		sel.n = 0;
	for (i = 0; i < NGRANTS; i++) {
		item = tvars_add_item(v, "grants");
		tvars_setc(item, "name", grant_list[i]);
		/* New clients: authorization_code and refresh_token. */
		if (selected.n == 0 ? i < 2 :
		    scope_has(&sel, str_c(grant_list[i])))
			tvars_setc(item, "checked", "1");
	}
}

/*
 * The rows of res into a list of items called list, column j under the
 * name cols[j]; a name with a leading '?' is a flag, set when true.
 */
static void
rows_items(struct ctx *c, struct tvars *v, PGresult *res, const char *list,
    const char *const *cols)
{
	struct tvars	*item;
	int		 i, j;

	for (i = 0; i < PQntuples(res); i++) {
		item = tvars_add_item(v, list);
		for (j = 0; cols[j] != NULL; j++) {
			if (cols[j][0] != '?')
				tvars_set(item, cols[j],
				    store_cell(&c->a, res, i, j));
			else if (store_bool(res, i, j))
				tvars_setc(item, cols[j] + 1, "1");
		}
	}
}

/* The views' fillers: 0, 1 not found, -1 database failure. */
static int
fill_clients(struct ctx *c, struct tvars *v, const struct console_view *w,
    PGresult *scopes)
{
	PGresult	*res;
	int		 i;

	(void)w;
	if ((res = store_console_q(c, CQ_CLIENT_LIST, NULL)) == NULL)
		return -1;
	for (i = 0; i < PQntuples(res); i++)
		console_client_vars(c, tvars_add_item(v, "clients"), res, i);
	PQclear(res);
	scope_items(c, v, scopes, STR_NULL);
	grant_items(v, STR_NULL);
	return 0;
}

static int
fill_client(struct ctx *c, struct tvars *v, const struct console_view *w,
    PGresult *scopes)
{
	const char	*params[2];
	PGresult	*res;
	struct str	 sc;
	int		 rc = 0;

	params[0] = str_dup(&c->a, w->client_id);
	params[1] = NULL;
	if ((res = store_console_q(c, CQ_CLIENT_ONE, params)) == NULL)
		return -1;
	if (PQntuples(res) != 1)
		rc = 1;
	else {
		console_client_vars(c, v, res, 0);
		sc = store_cell(&c->a, res, 0, 7);
		grant_items(v, store_cell(&c->a, res, 0, 6));
		scope_items(c, v, scopes, sc.n ? sc : STR_LIT(" "));
	}
	PQclear(res);
	return rc;
}

static int
fill_users(struct ctx *c, struct tvars *v, const struct console_view *w,
    PGresult *scopes)
{
	static const char *const cols[] = { "name", "nick", "?admin",
	    "?disabled", "created", NULL };
	PGresult	*res;

	(void)w, (void)scopes;
	if ((res = store_console_q(c, CQ_USER_LIST, NULL)) == NULL)
		return -1;
	rows_items(c, v, res, "users", cols);
	PQclear(res);
	return 0;
}

static int
fill_scopes(struct ctx *c, struct tvars *v, const struct console_view *w,
    PGresult *scopes)
{
	(void)w;
	scope_items(c, v, scopes, STR_NULL);
	return 0;
}

static int
fill_audit(struct ctx *c, struct tvars *v, const struct console_view *w,
    PGresult *scopes)
{
	static const char *const cols[] = { "at", "actor", "action", "target",
	    "detail", "address", NULL };
	PGresult	*res;

	(void)w, (void)scopes;
	if ((res = store_console_q(c, CQ_AUDIT_LIST, NULL)) == NULL)
		return -1;
	rows_items(c, v, res, "audit", cols);
	PQclear(res);
	return 0;
}

/* The views; the last one (audit) also stands for any other name. */
static const struct {
	const char	*name;
	int		 scopes;	/* shows the scope list */
	int		(*fill)(struct ctx *, struct tvars *,
			    const struct console_view *, PGresult *);
} views[] = {
	{ "clients", 1, fill_clients },
	{ "client", 1, fill_client },
	{ "users", 0, fill_users },
	{ "scopes", 1, fill_scopes },
	{ "audit", 0, fill_audit },
};
#define NVIEWS	(sizeof(views) / sizeof(views[0]))

/* Fill the variables of one view. 0, 1 not found, -1 database failure. */
static int
view_fill(struct ctx *c, struct tvars *v, const struct console_view *w)
{
	PGresult	*scopes = NULL;
	size_t		 i;
	int		 rc;

	for (i = 0; i < NVIEWS - 1; i++)
		if (strcmp(w->name, views[i].name) == 0)
			break;
	if (views[i].scopes &&
	    (scopes = store_console_q(c, CQ_SCOPE_LIST, NULL)) == NULL)
		return -1;
	rc = views[i].fill(c, v, w, scopes);
	PQclear(scopes);
	return rc;
}

void
console_admin_page(struct ctx *c, const struct console *k, int status,
    const struct console_view *w)
{
	struct tvars	*v = console_vars(c, k);
	char		 key[32];
	int		 rc;

	snprintf(key, sizeof(key), "view_%s", w->name);
	tvars_setc(v, key, "1");
	if (w->msg != NULL)
		tvars_setc(v, w->msg, "1");
	if (w->secret.n) {
		tvars_set(v, "secret", w->secret);
		tvars_set(v, "secret_for", w->secret_for);
	}
	tvars_set(v, "form_name", w->form_name);
	if ((rc = view_fill(c, v, w)) == -1) {
		page_db_failure(c);
		return;
	}
	if (rc == 1) {
		console_error(c, 404, "err_not_found");
		return;
	}
	page_render(c, status, "admin", v);
}

/* -- the client forms ---------------------------------------------------- */

/* The values of the checked boxes called name, joined with ','. */
static struct str
form_joined(struct ctx *c, const char *name)
{
	struct strbuf	b;
	struct str	v;
	size_t		i, n = form_count(&c->req.params, name);

	strbuf_init(&b, &c->a);
	for (i = 0; i < n; i++) {
		v = form_nth(&c->req.params, name, i);
		if (b.n)
			strbuf_putc(&b, ',');
		strbuf_append(&b, v.p, v.n);
	}
	return strbuf_str(&b);
}

/* The checked grants as "a,b" (0), or -1 when none or an unknown one. */
static int
form_grants(struct ctx *c, int public, struct str *out)
{
	struct str	g;
	size_t		i, n = form_count(&c->req.params, "grant");

	for (i = 0; i < n; i++) {
		g = form_nth(&c->req.params, "grant", i);
		if (grant_from_name(g) == 0 ||
		    (public && grant_from_name(g) == GRANT_CLIENT_CREDENTIALS))
			return -1;
	}
	*out = form_joined(c, "grant");
	return out->n ? 0 : -1;
}

/* Name, website, redirect URIs and grants of the client forms. */
struct client_form {
	struct str	name, website, uris, grants, scopes;
};

static int
client_form(struct ctx *c, int public, struct client_form *f)
{
	struct str	text;

	if (console_text(c, "name", 100, 1, &f->name) ||
	    console_text(c, "website", 2000, 0, &f->website) ||
	    (f->website.n && !ruri_website_ok(f->website)) ||
	    console_text(c, "redirect_uris", 40000, 1, &text) ||
	    console_uris(c, text, &f->uris) ||
	    form_grants(c, public, &f->grants))
		return -1;
	f->scopes = form_joined(c, "scope");
	return 0;
}

static int
set_uris(struct ctx *c, struct str id, struct str uris)
{
	const char	*params[2];

	params[0] = str_dup(&c->a, id);
	params[1] = str_dup(&c->a, uris);
	return store_console_do(c, CQ_CLIENT_URIS_CLEAR, params) < 0 ||
	    store_console_do(c, CQ_CLIENT_URIS_ADD, params) < 0 ? -1 : 0;
}

void
console_admin_client_add(struct ctx *c, struct console *k,
    struct console_view *w)
{
	struct client_form	 f;
	struct str		 secret = STR_NULL, pub = STR_NULL;
	const char		*params[12];
	char			*id = console_client_id(&c->a);

	req_param(&c->req, "public", &pub);
	if (client_form(c, pub.n > 0, &f)) {
		w->msg = "err_client_form";
		w->name = "clients";
		req_param(&c->req, "name", &w->form_name);
		console_admin_page(c, k, 400, w);
		return;
	}
	if (pub.n == 0)
		secret = crypto_token(&c->a);
	params[0] = id;
	params[1] = f.name.p;
	params[2] = pub.n ? NULL : store_digest(&c->a, secret);
	params[3] = f.website.p;
	params[4] = f.grants.p;
	params[5] = f.scopes.p;
	params[6] = NULL;
	params[7] = "approved";
	params[8] = params[9] = params[10] = "";
	params[11] = NULL;
	if (console_tx(c, "BEGIN") ||
	    store_console_do(c, CQ_CLIENT_ADD, params) < 0 ||
	    set_uris(c, str_c(id), f.uris) ||
	    console_audit(c, k->u.username.p, "client.create", str_c(id),
	    f.name) || console_tx(c, "COMMIT")) {
		console_tx(c, "ROLLBACK");
		page_db_failure(c);
		return;
	}
	w->name = "client";
	w->client_id = str_c(id);
	w->secret = secret;
	w->secret_for = str_c(id);
	w->msg = "msg_saved";
	console_admin_page(c, k, 200, w);
}

void
console_admin_client_edit(struct ctx *c, struct console *k,
    struct console_view *w, struct str id)
{
	struct client_form	 f;
	const char		*params[5];
	long			 n;

	if (client_form(c, 0, &f)) {
		w->msg = "err_client_form";
		console_admin_page(c, k, 400, w);
		return;
	}
	params[0] = str_dup(&c->a, id);
	params[1] = f.name.p;
	params[2] = f.website.p;
	params[3] = f.grants.p;
	params[4] = f.scopes.p;
	if ((n = console_client_save(c, CQ_CLIENT_EDIT, params, f.uris,
	    k->u.username.p, "client.edit", f.name)) < 0) {
		page_db_failure(c);
		return;
	}
	if (n == 0) {
		console_error(c, 404, "err_not_found");
		return;
	}
	w->msg = "msg_saved";
	console_admin_page(c, k, 200, w);
}
