/* answer.c: an authorization response: redirect, or form_post page */
#include "answer.h"
#include "page.h"
#include "redirect_uri.h"

void
answer_begin(struct ctx *c, struct answer *ans, struct str redirect_uri,
    int fragment, int form_post, int status)
{
	ans->first = 1;
	ans->status = status;
	ans->v = NULL;
	if (form_post) {
		ans->v = tvars_new(&c->a, NULL);
		tvars_set(ans->v, "action", redirect_uri);
		return;
	}
	strbuf_init(&ans->b, &c->a);
	ruri_begin(&ans->b, redirect_uri, fragment);
}

void
answer_param(struct answer *ans, const char *name, struct str value)
{
	struct tvars	*item;

	if (ans->v == NULL) {
		ruri_param(&ans->b, &ans->first, name, value);
		return;
	}
	item = tvars_add_item(ans->v, "fields");
	tvars_setc(item, "name", name);
	tvars_set(item, "value", value);
}

int
answer_send(struct ctx *c, struct answer *ans)
{
	if (ans->v != NULL) {
		page_render(c, 200, "form_post", ans->v);
		return 0;
	}
	return resp_redirect(&c->resp, ans->status, strbuf_str(&ans->b));
}
