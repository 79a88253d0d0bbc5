/* oidcreq.h: OpenID Connect rules of an authorization request (pure functions) */
#ifndef OIDCREQ_H
#define OIDCREQ_H

#include "scope.h"
#include "str.h"

/* prompt values (OpenID Connect Core §3.1.2.1), a space-separated set. */
#define PROMPT_NONE	0x1
#define PROMPT_LOGIN	0x2
#define PROMPT_CONSENT	0x4
#define PROMPT_SELECT	0x8	/* select_account */

/*
 * Parse prompt (empty: none given) into PROMPT_* flags. Returns 0, or -1
 * on an unknown value or none together with another value.
 */
int	oidc_prompt_parse(struct str prompt, unsigned *flags);

/*
 * The scope an authorization request is granted, given the client's
 * scopes and the requested scope (empty: none given), into *out (views
 * into the inputs):
 * - none given: the client's scopes less openid, profile and email,
 *   which only an OpenID Connect request names;
 * - with openid, and openid is the client's: an OpenID Connect request
 *   (*openid set): values that are unknown or not the client's are
 *   ignored (Core §3.1.2.1);
 * - otherwise every value must be the client's.
 * Returns 0, or -1 (invalid_scope) when a plain request asks for more
 * than the client's or the list does not parse. *out may be empty.
 */
int	oidc_scope_pick(const struct scopes *client, struct str requested,
	    struct scopes *out, int *openid);

#endif
