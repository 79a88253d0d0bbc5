/* oidcreq.c: OpenID Connect rules of an authorization request (pure functions) */
#include <string.h>

#include "oidcreq.h"

static const struct {
	const char	*name;
	unsigned	 flag;
} prompts[] = {
	{ "none", PROMPT_NONE },
	{ "login", PROMPT_LOGIN },
	{ "consent", PROMPT_CONSENT },
	{ "select_account", PROMPT_SELECT },
};

/* Scopes that only an OpenID Connect request names; never a default. */
static const char *const oidc_only[] = { "openid", "profile", "email" };

int
oidc_prompt_parse(struct str prompt, unsigned *flags)
{
	struct scopes	v;
	size_t		i, j;

	*flags = 0;
	if (prompt.n == 0)
		return 0;
	if (scope_parse(&v, prompt))
		return -1;
	for (i = 0; i < v.n; i++) {
		for (j = 0; j < sizeof(prompts) / sizeof(prompts[0]); j++)
			if (str_eq_c(v.v[i], prompts[j].name))
				break;
		if (j == sizeof(prompts) / sizeof(prompts[0]))
			return -1;
		*flags |= prompts[j].flag;
	}
	/* Core §3.1.2.1: none with any other value is an error. */
	return (*flags & PROMPT_NONE) && *flags != PROMPT_NONE ? -1 : 0;
}

static int
oidc_only_scope(struct str s)
{
	size_t	i;

	for (i = 0; i < sizeof(oidc_only) / sizeof(oidc_only[0]); i++)
		if (str_eq_c(s, oidc_only[i]))
			return 1;
	return 0;
}

int
oidc_scope_pick(const struct scopes *client, struct str requested,
    struct scopes *out, int *openid)
{
	struct scopes	want;
	size_t		i;

	out->n = 0;
	*openid = 0;
	if (requested.n == 0) {
		for (i = 0; i < client->n; i++)
			if (!oidc_only_scope(client->v[i]))
				out->v[out->n++] = client->v[i];
		return 0;
	}
	if (scope_parse(&want, requested))
		return -1;
	if (scope_has(&want, STR_LIT("openid")) &&
	    scope_has(client, STR_LIT("openid"))) {
		*openid = 1;
		for (i = 0; i < want.n; i++)
			if (scope_has(client, want.v[i]))
				out->v[out->n++] = want.v[i];
		return 0;
	}
	if (!scope_subset(&want, client))
		return -1;
	*out = want;
	return 0;
}
