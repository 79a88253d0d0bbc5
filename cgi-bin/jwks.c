/* jwks.c: GET /oauth2.0/jwks: the public signing keys (RFC 7517 §5) */
#include "fcgi_loop.h"
#include "page.h"
#include "store_oidc.h"

/*
 * Read from the store at every request, so that every web node
 * publishes a key the moment `oauthctl key rotate` made it, and stops
 * publishing it at `oauthctl key retire`.
 */
static void
jwks(struct ctx *c)
{
	struct str	doc;

	if (store_jwks(&c->db, &c->a, &doc)) {
		page_db_failure(c);
		return;
	}
	resp_text(&c->resp, 200, "application/json;charset=UTF-8",
	    doc);
}

static const struct endpoint endpoint = {
	.name = "jwks",
	.methods = METHOD_GET | METHOD_HEAD,
	.flags = EP_NO_PARAMS,
	.reply = REPLY_PLAIN,
	.handler = jwks,
};

int
main(void)
{
	return fcgi_main(&endpoint);
}
