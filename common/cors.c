/* cors.c: CORS for the endpoints the JavaScript SDK calls from a site's page */
#include "cors.h"
#include "redirect_uri.h"
#include "store.h"

/* The client named in the request: client_id, else oauth_consumer_key. */
static struct str
named_client(struct ctx *c)
{
	struct str	v;

	if (req_param(&c->req, "client_id", &v) == FORM_ONE ||
	    req_param(&c->req, "oauth_consumer_key", &v) == FORM_ONE)
		return v;
	return STR_NULL;
}

/* 1 if the request's Origin is an origin of client id. */
static int
allowed(struct ctx *c, struct str id)
{
	struct client	cl;
	size_t		i;

	if (id.n == 0 || id.n > 128 ||
	    store_client_get(&c->db, &c->a, id, 1, &cl) != 0)
		return 0;
	for (i = 0; i < cl.nuris; i++)
		if (ruri_origin_of(c->req.origin, cl.uris[i]))
			return 1;
	return 0;
}

void
cors_answer(struct ctx *c, struct str client_id)
{
	if (c->req.origin.n == 0 ||
	    !(req_is(&c->req, "GET") || req_is(&c->req, "POST")))
		return;
	resp_header(&c->resp, "Vary", STR_LIT("Origin"));
	if (allowed(c, client_id.n ? client_id : named_client(c)))
		resp_header(&c->resp, "Access-Control-Allow-Origin",
		    c->req.origin);
}

int
cors_preflight(struct ctx *c)
{
	struct str	m = c->req.cors_method;

	if (!req_is(&c->req, "OPTIONS") || c->req.origin.n == 0 ||
	    !(str_eq_c(m, "GET") || str_eq_c(m, "POST")) ||
	    !allowed(c, named_client(c)))
		return 0;
	resp_text(&c->resp, 200, "text/plain;charset=UTF-8", STR_LIT(""));
	resp_header(&c->resp, "Vary", STR_LIT("Origin"));
	resp_header(&c->resp, "Access-Control-Allow-Origin", c->req.origin);
	resp_header(&c->resp, "Access-Control-Allow-Methods",
	    STR_LIT("GET, POST"));
	resp_header(&c->resp, "Access-Control-Allow-Headers",
	    STR_LIT("Authorization"));
	resp_header(&c->resp, "Access-Control-Max-Age", STR_LIT("600"));
	return 1;
}
