/* ctl_client.c: oauthctl client add | list | show | set | delete | rotate-secret */
#include <stdio.h>
#include <string.h>

#include "console.h"
#include "crypto.h"
#include "ctl.h"
#include "grant.h"
#include "redirect_uri.h"
#include "scope.h"
#include "store.h"

#define MAX_URIS	16

/* A comma or space separated list parameter as text[]; NULL stays NULL. */
#define RESOURCE_SCOPES(p) \
	"array_remove(regexp_split_to_array(" p ", '[ ,]'), '')"

/* public, confidential, or resource-server (a confidential one). */
#define CLIENT_TYPE "CASE WHEN secret_hash IS NULL THEN 'public'" \
	" WHEN resource_server THEN 'resource-server'" \
	" ELSE 'confidential' END"

struct client_opts {
	const char	*id, *name, *website, *owner, *grants, *scopes;
	const char	*id_token_alg;
	const char	*at_format, *at_alg;	/* JWT access tokens (011) */
	const char	*uris[MAX_URIS];
	int		 nuris;
	const char	*logout_uris[MAX_URIS];	/* post_logout_redirect_uri */
	int		 nlogout;
	int		 public;
	int		 resource_server;	/* 1 on, -1 off, 0 unsaid */
	const char	*resource_scopes;	/* NULL: any scope */
};

/* Check a comma-separated grant list; returns its flags or 0 on error. */
static unsigned
parse_grants(const char *list)
{
	struct scopes	g;
	unsigned	flags = 0, f;
	size_t		i;

	if (scope_parse(&g, str_c(list)) || g.n == 0)
		return 0;
	for (i = 0; i < g.n; i++) {
		if ((f = grant_from_name(g.v[i])) == 0)
			return 0;
		flags |= f;
	}
	return flags;
}

/* The options from argv[start] on. */
static int
parse_opts(int argc, char **argv, int start, struct client_opts *o)
{
	int	i;

	for (i = start; i < argc; i++) {
		const char *opt = argv[i], **dst = NULL;

		if (strcmp(opt, "--public") == 0) {
			o->public = 1;
			continue;
		}
		if (strcmp(opt, "--resource-server") == 0 ||
		    strcmp(opt, "--no-resource-server") == 0) {
			o->resource_server = opt[2] == 'n' ? -1 : 1;
			continue;
		}
		if (strcmp(opt, "--resource-scopes") == 0)
			dst = &o->resource_scopes;
		else if (strcmp(opt, "--name") == 0)
			dst = &o->name;
		else if (strcmp(opt, "--website") == 0)
			dst = &o->website;
		else if (strcmp(opt, "--owner") == 0)
			dst = &o->owner;
		else if (strcmp(opt, "--grants") == 0)
			dst = &o->grants;
		else if (strcmp(opt, "--scopes") == 0)
			dst = &o->scopes;
		else if (strcmp(opt, "--id") == 0)
			dst = &o->id;
		else if (strcmp(opt, "--id-token-alg") == 0)
			dst = &o->id_token_alg;
		else if (strcmp(opt, "--access-token-format") == 0)
			dst = &o->at_format;
		else if (strcmp(opt, "--access-token-alg") == 0)
			dst = &o->at_alg;
		else if (strcmp(opt, "--post-logout-redirect-uri") == 0) {
			if (o->nlogout == MAX_URIS)
				return ctl_fail("at most %d post-logout URIs",
				    MAX_URIS);
			dst = &o->logout_uris[o->nlogout++];
		}
		else if (strcmp(opt, "--redirect-uri") == 0) {
			if (o->nuris == MAX_URIS)
				return ctl_fail("at most %d redirect URIs",
				    MAX_URIS);
			dst = &o->uris[o->nuris++];
		} else
			return ctl_fail("unknown option %s", opt);
		if ((*dst = ctl_optarg(argc, argv, &i)) == NULL)
			return ctl_fail("%s needs a value", opt);
	}
	return 0;
}

/* RFC 6749 appendix A.1: client_id = *VSCHAR (we also want 1-128). */
static int
vschar(const char *s)
{
	size_t	i, n = strlen(s);

	if (n == 0 || n > 128)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return 0;
	return 1;
}

static int
check_scopes(struct ctl *c, const char *list)
{
	const char	*params[1] = { list };
	PGresult	*res;
	int		 unknown;

	res = ctl_sql(c, "SELECT count(*) FROM unnest(string_to_array("
	    "replace($1, ',', ' '), ' ')) s WHERE s <> '' AND NOT EXISTS"
	    " (SELECT 1 FROM scopes WHERE name = s)", 1, params);
	if (res == NULL)
		return -1;
	unknown = strcmp(PQgetvalue(res, 0, 0), "0") != 0;
	PQclear(res);
	if (unknown)
		return ctl_fail("unknown scope in %s (add it with "
		    "'oauthctl scope add')", list);
	return 0;
}

/*
 * The resource-server options: --resource-scopes only with
 * --resource-server, every scope known. 0, or 1 after the message.
 */
static int
check_resource(struct ctl *c, const struct client_opts *o)
{
	struct scopes	sc;

	if (o->resource_scopes == NULL)
		return 0;
	if (o->resource_server != 1)
		return ctl_fail("--resource-scopes needs --resource-server");
	if (scope_parse(&sc, str_c(o->resource_scopes)) || sc.n == 0)
		return ctl_fail("bad --resource-scopes %s", o->resource_scopes);
	return check_scopes(c, o->resource_scopes) ? 1 : 0;
}

/* The options of client add, checked together. 0, or 1 when refused. */
static int
client_check(struct ctl *c, struct client_opts *o)
{
	struct scopes	sc;
	unsigned	flags = 0;
	int		i;

	if (o->name == NULL || *o->name == '\0')
		return ctl_fail("client add needs --name");
	/* A resource server only introspects unless given grants. */
	if (o->grants == NULL && o->resource_server == 1)
		o->grants = "";
	else if (o->grants == NULL)
		o->grants = "authorization_code,refresh_token";
	else if (*o->grants == '\0')
		return ctl_fail("bad --grants (empty)");
	if (*o->grants != '\0' && (flags = parse_grants(o->grants)) == 0)
		return ctl_fail("bad --grants %s", o->grants);
	if (o->public && o->resource_server == 1)
		return ctl_fail("a resource server must be confidential");
	if (check_resource(c, o))
		return 1;
	if (o->public && (flags & GRANT_CLIENT_CREDENTIALS))
		return ctl_fail("client_credentials needs a confidential client");
	if ((flags & (GRANT_CODE | GRANT_IMPLICIT)) && o->nuris == 0)
		return ctl_fail("client add needs --redirect-uri");
	for (i = 0; i < o->nuris; i++)
		if (!ruri_registrable(str_c(o->uris[i])))
			return ctl_fail("bad redirect URI %s (absolute https, or "
			    "http on loopback, no fragment)", o->uris[i]);
	for (i = 0; i < o->nlogout; i++)
		if (!ruri_registrable(str_c(o->logout_uris[i])))
			return ctl_fail("bad post-logout redirect URI %s",
			    o->logout_uris[i]);
	if (strcmp(o->id_token_alg, "RS256") != 0 &&
	    strcmp(o->id_token_alg, "ES256") != 0)
		return ctl_fail("--id-token-alg must be RS256 or ES256");
	if (strcmp(o->at_format, "opaque") != 0 &&
	    strcmp(o->at_format, "jwt") != 0)
		return ctl_fail("--access-token-format must be opaque or jwt");
	if (strcmp(o->at_alg, "RS256") != 0 && strcmp(o->at_alg, "ES256") != 0)
		return ctl_fail("--access-token-alg must be RS256 or ES256");
	if (*o->website && !ruri_website_ok(str_c(o->website)))
		return ctl_fail("bad --website %s (an absolute http or https "
		    "URL)", o->website);
	if (o->owner != NULL && *o->owner == '\0')
		return ctl_fail("--owner needs a value");
	if (o->id != NULL && !vschar(o->id))
		return ctl_fail("bad --id (1-128 printable ASCII characters)");
	if (o->scopes != NULL && (scope_parse(&sc, str_c(o->scopes)) ||
	    check_scopes(c, o->scopes)))
		return 1;
	return 0;
}

/* Insert the n URIs of client id with sql ($1 id, $2 URI). 0, or -1. */
static int
client_uris(struct ctl *c, const char *sql, const char *id,
    const char *const *uris, int n)
{
	int	i;

	for (i = 0; i < n; i++) {
		const char *up[2] = { id, uris[i] };

		if (ctl_do(c, sql, 2, up))
			return -1;
	}
	return 0;
}

static int
client_add(struct ctl *c, int argc, char **argv)
{
	struct client_opts	 o = { .owner = NULL, .website = "",
	    .id_token_alg = "RS256", .at_format = "opaque", .at_alg = "ES256" };
	struct str		 secret = STR_NULL;
	const char		*params[12];

	if (parse_opts(argc, argv, 2, &o) || client_check(c, &o))
		return 1;
	if (!o.public)
		secret = crypto_token(&c->a);
	params[0] = o.id ? o.id : console_client_id(&c->a);
	params[1] = o.name;
	params[2] = o.public ? NULL : store_digest(&c->a, secret);
	params[3] = o.website;
	params[4] = o.owner;
	params[5] = o.grants;
	params[6] = o.scopes;
	params[7] = o.resource_server == 1 ? "true" : "false";
	params[8] = o.resource_scopes;
	params[9] = o.id_token_alg;
	params[10] = o.at_format;
	params[11] = o.at_alg;
	if (ctl_do(c, "BEGIN", 0, NULL) ||
	    ctl_do(c, "INSERT INTO clients (id, name, secret_hash, website,"
	    " owner, grants, scopes, resource_server, resource_scopes,"
	    " id_token_alg, access_token_format, access_token_alg)"
	    " VALUES ($1, $2, $3, $4, $5,"
	    " string_to_array($6, ','), coalesce(string_to_array("
	    "replace($7, ' ', ','), ','), ARRAY(SELECT name FROM scopes"
	    " ORDER BY name)), $8, " RESOURCE_SCOPES("$9") ", $10, $11, $12)",
	    12, params) ||
	    client_uris(c, "INSERT INTO client_redirect_uris (client_id, uri)"
	    " VALUES ($1, $2) ON CONFLICT DO NOTHING", params[0], o.uris,
	    o.nuris) ||
	    client_uris(c, "INSERT INTO client_post_logout_uris (client_id,"
	    " uri) VALUES ($1, $2) ON CONFLICT DO NOTHING", params[0],
	    o.logout_uris, o.nlogout) ||
	    ctl_do(c, "COMMIT", 0, NULL))
		return 1;
	printf("client_id=%s\n", params[0]);
	if (!o.public)
		printf("client_secret=%.*s\n", (int)secret.n, secret.p);
	return 0;
}

static int
client_list(struct ctl *c)
{
	return ctl_print_rows(c, "", "SELECT id, name, " CLIENT_TYPE ","
	    " array_to_string(grants, ',') FROM clients ORDER BY created_at, id",
	    0, NULL);
}

static int
client_show(struct ctl *c, const char *id)
{
	const char	*params[1] = { id };
	PGresult	*res;
	int		 rc = 0;

	res = ctl_sql(c, "SELECT id, name, " CLIENT_TYPE ", website,"
	    " coalesce(owner, ''),"
	    " array_to_string(grants, ','), array_to_string(scopes, ','),"
	    " coalesce((SELECT string_agg(uri, ' ' ORDER BY uri) FROM"
	    " client_redirect_uris WHERE client_id = c.id), ''), created_at,"
	    " CASE WHEN NOT resource_server THEN 'no' WHEN resource_scopes"
	    " IS NULL THEN 'yes' ELSE 'yes, tokens with scope ' ||"
	    " array_to_string(resource_scopes, ' or ') END,"
	    " id_token_alg, coalesce((SELECT string_agg(uri, ' ' ORDER BY uri)"
	    " FROM client_post_logout_uris WHERE client_id = c.id), ''),"
	    " access_token_format || ' ' || access_token_alg"
	    " FROM clients c WHERE id = $1", 1, params);
	if (res == NULL)
		return 1;
	if (PQntuples(res) != 1)
		rc = ctl_fail("no client %s", id);
	else
		printf("client_id=%s\nname=%s\ntype=%s\nwebsite=%s\nowner=%s\n"
		    "grants=%s\nscopes=%s\nredirect_uris=%s\ncreated=%s\n"
		    "resource_server=%s\nid_token_alg=%s\n"
		    "post_logout_redirect_uris=%s\naccess_token_format=%s\n",
		    PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
		    PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3),
		    PQgetvalue(res, 0, 4), PQgetvalue(res, 0, 5),
		    PQgetvalue(res, 0, 6), PQgetvalue(res, 0, 7),
		    PQgetvalue(res, 0, 8), PQgetvalue(res, 0, 9),
		    PQgetvalue(res, 0, 10), PQgetvalue(res, 0, 11),
		    PQgetvalue(res, 0, 12));
	PQclear(res);
	return rc;
}

static int
client_change(struct ctl *c, const char *sql, int nparams,
    const char *const *params, const char *id)
{
	PGresult	*res = ctl_sql(c, sql, nparams, params);
	int		 rc = 0;

	if (res == NULL)
		return 1;
	if (strcmp(PQcmdTuples(res), "0") == 0)
		rc = ctl_fail("no client %s (or it is public)", id);
	PQclear(res);
	return rc;
}

/*
 * client set ID --resource-server [--resource-scopes a,b] |
 * --no-resource-server: each --resource-server states the whole setting.
 */
static int
client_set(struct ctl *c, int argc, char **argv)
{
	struct client_opts	 o = { 0 };
	const char		*params[3];

	if (parse_opts(argc, argv, 3, &o))
		return 1;
	if (o.resource_server == 0 || o.name || o.website || o.owner ||
	    o.grants || o.scopes || o.id || o.nuris || o.public)
		return ctl_fail("usage: client set ID --resource-server "
		    "[--resource-scopes S,...] | --no-resource-server");
	if (check_resource(c, &o))
		return 1;
	params[0] = argv[2];
	params[1] = o.resource_server == 1 ? "true" : "false";
	params[2] = o.resource_scopes;
	return client_change(c, "UPDATE clients SET resource_server = $2,"
	    " resource_scopes = " RESOURCE_SCOPES("$3")
	    " WHERE id = $1 AND secret_hash IS NOT NULL", 3, params, argv[2]);
}

int
ctl_client(struct ctl *c, int argc, char **argv)
{
	const char	*params[2];
	struct str	 secret;

	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return client_add(c, argc, argv);
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return client_list(c);
	if (argc >= 3 && strcmp(argv[1], "set") == 0)
		return client_set(c, argc, argv);
	if (argc != 3)
		return ctl_fail("usage: client add|list|show|set|delete|"
		    "rotate-secret");
	params[0] = argv[2];
	if (strcmp(argv[1], "show") == 0)
		return client_show(c, argv[2]);
	if (strcmp(argv[1], "delete") == 0)
		return client_change(c, "DELETE FROM clients WHERE id = $1", 1,
		    params, argv[2]);
	if (strcmp(argv[1], "rotate-secret") == 0) {
		secret = crypto_token(&c->a);
		params[1] = store_digest(&c->a, secret);
		if (client_change(c, "UPDATE clients SET secret_hash = $2"
		    " WHERE id = $1 AND secret_hash IS NOT NULL", 2, params,
		    argv[2]))
			return 1;
		printf("client_secret=%.*s\n", (int)secret.n, secret.p);
		return 0;
	}
	return ctl_fail("unknown client command %s", argv[1]);
}
