/* page.c: HTML pages from templates, and the plain database-failure answer */
#include <stdio.h>

#include "page.h"

void
page_render(struct ctx *c, int status, const char *name, struct tvars *v)
{
	struct str	t;
	const char	*dir = c->cfg.template_dir ? c->cfg.template_dir :
	    OAUTH_TEMPLATE_DIR;

	tvars_setc(v, "lang", c->lang);
	strbuf_reset(&c->resp.body);
	if (template_load(dir, c->lang, name, &t) ||
	    template_render(&c->resp.body, t, v)) {
		fprintf(stderr, "%s: template %s/%s/%s.html unusable\n",
		    c->prog, dir, c->lang, name);
		resp_plain(&c->resp, 500, "server error: template");
		return;
	}
	c->resp.status = status;
	c->resp.html = 1;
	c->resp.content_type = "text/html;charset=UTF-8";
}

void
page_error(struct ctx *c, int status, const char *error, const char *desc)
{
	struct tvars	*v = tvars_new(&c->a, NULL);
	char		 s[8];

	snprintf(s, sizeof(s), "%d", status);
	tvars_setc(v, "status", s);
	tvars_setc(v, "error", error);
	tvars_setc(v, "description", desc);
	page_render(c, status, "error", v);
}

void
page_db_failure(struct ctx *c)
{
	if (c->db.state == DB_DOWN)
		resp_plain(&c->resp, 503, "service temporarily unavailable");
	else
		resp_plain(&c->resp, 500, "internal server error");
}
