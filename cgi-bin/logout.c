/* logout.c: POST /oauth2.0/logout: end the login session server-side */
#include "csrf.h"
#include "fcgi_loop.h"
#include "page.h"
#include "session.h"
#include "store.h"

static void
logout(struct ctx *c)
{
	struct str	 client, uri;
	struct client	 cl;
	struct user	 u;
	const char	*hash;
	size_t		 i;
	int		 rc;

	if ((rc = session_current(c, &u, &hash)) == -1) {
		page_db_failure(c);
		return;
	}
	if (rc == 0) {
		if (!csrf_form_ok(c, "grants", str_c(hash), STR_NULL)) {
			resp_plain(&c->resp, 403, "the form expired or came "
			    "from another site");
			return;
		}
		if (store_session_delete(&c->db, hash)) {
			page_db_failure(c);
			return;
		}
	}
	session_clear_cookie(c);
	/* Only a redirect URI registered for the named client is followed. */
	if (req_param(&c->req, "post_logout_redirect_uri", &uri) == FORM_ONE &&
	    req_param(&c->req, "client_id", &client) == FORM_ONE &&
	    store_client_get(&c->db, &c->a, client, 1, &cl) == 0) {
		for (i = 0; i < cl.nuris; i++) {
			if (str_eq(uri, cl.uris[i])) {
				resp_redirect(&c->resp, 303, uri);
				return;
			}
		}
	}
	resp_redirect(&c->resp, 303, STR_LIT("/user/grants"));
}

static const struct endpoint endpoint = {
	.name = "logout",
	.methods = METHOD_POST,
	.reply = REPLY_PLAIN,
	.handler = logout,
};

int
main(void)
{
	return fcgi_main(&endpoint);
}
