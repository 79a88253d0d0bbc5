/* revoke.c: POST /oauth2.0/revoke: token revocation (RFC 7009) */
#include "clientauth.h"
#include "cors.h"
#include "crypto.h"
#include "fcgi_loop.h"
#include "jwt_access.h"

static void
revoke(struct ctx *c)
{
	struct oerror	e = { 0 };
	struct client	cl;
	struct str	tok;
	int		rc;

	cors_answer(c, STR_NULL);
	if (client_token_request(c, 1, &cl, &tok, &e))
		goto fail;
	/* A JWT access token: its jti (jwt_access.c). */
	if ((rc = jwt_access_revoke(c, tok, cl.id)) == -1) {
		oerror_from_db(c, &e);
		goto fail;
	}
	/* RFC 7009 §2.2: unknown tokens are not an error. */
	if (rc == 1 && tok.n <= 512 && store_token_revoke(&c->db,
	    crypto_digest_param(&c->a, tok), cl.id)) {
		oerror_from_db(c, &e);
		goto fail;
	}
	resp_text(&c->resp, 200, "application/json;charset=UTF-8",
	    STR_LIT(""));
	return;
fail:
	oerror_reply_json(c, &e);
}

static const struct endpoint endpoint = {
	.name = "revoke",
	.methods = METHOD_POST,
	.flags = EP_CORS,
	.reply = REPLY_OAUTH,
	.handler = revoke,
};

int
main(void)
{
	return fcgi_main(&endpoint);
}
