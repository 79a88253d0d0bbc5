/* oerror.c: protocol errors: name, HTTP status, QQ code, JSON answer */
#include "fcgi_loop.h"
#include "json.h"
#include "oerror.h"

static const struct {
	const char	*name;
	int		 status;
	int		 qq;
	const char	*desc;
} oerr_table[OERR__COUNT] = {
	[OERR_NONE] = { "", 200, 0, "" },
	[OERR_INVALID_REQUEST] = { "invalid_request", 400, 100000,
	    "invalid request" },
	[OERR_INVALID_CLIENT] = { "invalid_client", 401, 100009,
	    "client authentication failed" },
	[OERR_INVALID_GRANT] = { "invalid_grant", 400, 100019,
	    "invalid grant" },
	[OERR_UNAUTHORIZED_CLIENT] = { "unauthorized_client", 400, 100031,
	    "client is not allowed to use this grant" },
	[OERR_UNSUPPORTED_GRANT_TYPE] = { "unsupported_grant_type", 400,
	    100004, "unsupported grant_type" },
	[OERR_INVALID_SCOPE] = { "invalid_scope", 400, 100030,
	    "invalid scope" },
	[OERR_ACCESS_DENIED] = { "access_denied", 403, 100030,
	    "the user denied the request" },
	[OERR_UNSUPPORTED_RESPONSE_TYPE] = { "unsupported_response_type", 400,
	    100000, "unsupported response_type" },
	[OERR_SERVER_ERROR] = { "server_error", 500, 100016,
	    "internal server error" },
	[OERR_TEMPORARILY_UNAVAILABLE] = { "temporarily_unavailable", 503,
	    100016, "service temporarily unavailable" },
	[OERR_LOGIN_REQUIRED] = { "login_required", 400, 100000,
	    "the user is not logged in" },
	[OERR_CONSENT_REQUIRED] = { "consent_required", 400, 100030,
	    "the user has not consented" },
	[OERR_INVALID_TOKEN] = { "invalid_token", 401, 100016,
	    "access token check failed" },
	[OERR_INSUFFICIENT_SCOPE] = { "insufficient_scope", 403, 100030,
	    "the token lacks the scope this API needs" },
	[OERR_METHOD_NOT_ALLOWED] = { "invalid_request", 405, 100000,
	    "method not allowed" },
	[OERR_TOO_LARGE] = { "invalid_request", 413, 100000,
	    "request body too large" },
	[OERR_TOO_MANY_REQUESTS] = { "slow_down", 429, 100000,
	    "too many attempts, try again later" },
	[OERR_REQUEST_NOT_SUPPORTED] = { "request_not_supported", 400, 100000,
	    "request objects are not supported" },
	[OERR_INVALID_TARGET] = { "invalid_target", 400, 100000,
	    "resource must be one absolute URI without a fragment" },
};

static int
valid(enum oerr c)
{
	return c >= 0 && c < OERR__COUNT;
}

const char *
oerr_name(enum oerr c)
{
	return valid(c) ? oerr_table[c].name : "server_error";
}

int
oerr_status(enum oerr c)
{
	return valid(c) ? oerr_table[c].status : 500;
}

int
oerr_qq(const struct oerror *e)
{
	if (e->qq)
		return e->qq;
	return valid(e->code) ? oerr_table[e->code].qq : 100016;
}

const char *
oerr_desc(const struct oerror *e)
{
	if (e->desc)
		return e->desc;
	return valid(e->code) ? oerr_table[e->code].desc : "error";
}

void
oerror_from_db(struct ctx *c, struct oerror *e)
{
	if (c->db.state == DB_DOWN)
		OERR_SET(e, OERR_TEMPORARILY_UNAVAILABLE, 0,
		    "the database is unavailable, retry later");
	else
		OERR_SET(e, OERR_SERVER_ERROR, 0, "internal server error");
}

void
oerror_reply_json(struct ctx *c, const struct oerror *e)
{
	json_object	*o = json_object_new_object();

	json_object_object_add(o, "error",
	    json_object_new_string(oerr_name(e->code)));
	json_object_object_add(o, "error_description",
	    json_object_new_string(oerr_desc(e)));
	resp_json(&c->resp, oerr_status(e->code), o, RESP_JSON, STR_NULL);
	json_object_put(o);
	if (e->code == OERR_INVALID_CLIENT)
		resp_header(&c->resp, "WWW-Authenticate",
		    STR_LIT("Basic realm=\"oauth2\""));
	if (e->code == OERR_TOO_MANY_REQUESTS)
		resp_header(&c->resp, "Retry-After", STR_LIT("300"));
	if (e->code == OERR_TEMPORARILY_UNAVAILABLE)
		resp_header(&c->resp, "Retry-After", STR_LIT("5"));
}
