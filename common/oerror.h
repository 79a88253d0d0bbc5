/* oerror.h: protocol errors: name, HTTP status, QQ code, JSON answer */
#ifndef OERROR_H
#define OERROR_H

enum oerr {
	OERR_NONE = 0,
	OERR_INVALID_REQUEST,
	OERR_INVALID_CLIENT,
	OERR_INVALID_GRANT,
	OERR_UNAUTHORIZED_CLIENT,
	OERR_UNSUPPORTED_GRANT_TYPE,
	OERR_INVALID_SCOPE,
	OERR_ACCESS_DENIED,
	OERR_UNSUPPORTED_RESPONSE_TYPE,
	OERR_SERVER_ERROR,
	OERR_TEMPORARILY_UNAVAILABLE,
	OERR_LOGIN_REQUIRED,
	OERR_CONSENT_REQUIRED,
	OERR_INVALID_TOKEN,
	OERR_INSUFFICIENT_SCOPE,
	OERR_METHOD_NOT_ALLOWED,
	OERR_TOO_LARGE,
	OERR_TOO_MANY_REQUESTS,
	OERR_REQUEST_NOT_SUPPORTED,	/* OpenID Connect Core §3.1.2.6 */
	OERR_INVALID_TARGET,		/* RFC 8707 §2 */
	OERR__COUNT
};

/* One protocol failure: what, the QQ numeric code, and a description. */
struct oerror {
	enum oerr	 code;
	int		 qq;	/* 0: the table's default */
	const char	*desc;	/* static text, printable ASCII only */
};

#define OERR_SET(e, c, q, d)	do {					\
	(e)->code = (c); (e)->qq = (q); (e)->desc = (d);		\
} while (0)

/* The RFC 6749/6750/7009 error string, e.g. "invalid_grant". */
const char	*oerr_name(enum oerr);

/* The HTTP status the RFCs give the error (400, 401, 403, 405, …). */
int		 oerr_status(enum oerr);

/* The QQ code of e: e->qq if set, else the table's default. */
int		 oerr_qq(const struct oerror *e);

/* e->desc if set, else the table's default English description. */
const char	*oerr_desc(const struct oerror *e);

struct ctx;

/* Set e from the database state after a failed store call. */
void	oerror_from_db(struct ctx *, struct oerror *e);

/*
 * Answer e as RFC 6749 §5.2 JSON ({"error","error_description"}) with its
 * status, WWW-Authenticate for invalid_client and Retry-After for 429/503
 * (the loop adds Allow to its 405).
 */
void	oerror_reply_json(struct ctx *, const struct oerror *e);

#endif
