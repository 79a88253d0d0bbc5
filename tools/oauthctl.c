/* oauthctl.c: the admin CLI: init, migrate, clients, users, scopes, purge, metadata */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "console.h"
#include "crypto.h"
#include "ctl.h"
#include "migrate.h"
#include "purge.h"

static int
make_key(const char *path)
{
	unsigned char	key[64];
	int		fd;
	ssize_t		w;

	if (access(path, F_OK) == 0)
		return 0;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (fd == -1)
		return ctl_fail("cannot create %s: %s", path, strerror(errno));
	crypto_random(key, sizeof(key));
	w = write(fd, key, sizeof(key));
	explicit_bzero(key, sizeof(key));
	if (w != (ssize_t)sizeof(key) || close(fd) == -1)
		return ctl_fail("cannot write %s", path);
	return 0;
}

static int
cmd_migrate(struct ctl *c)
{
	char	err[512];
	int	n;

	if ((n = migrate_run(&c->db, err, sizeof(err))) < 0)
		return ctl_fail("%s", err);
	printf("migrations applied: %d\n", n);
	return 0;
}

/* The OpenID Connect scopes, with the consent page's descriptions. */
static int
seed_scopes(struct ctl *c)
{
	static const char *const scopes[][3] = {
		{ "openid", "使用你的帐号登录", "sign you in with your account" },
		{ "profile", "获得您的昵称、头像、性别",
		    "your name, nickname, picture and gender" },
		{ "email", "获得您的电子邮箱地址", "your email address" },
	};
	size_t	i;

	for (i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++)
		if (ctl_do(c, "INSERT INTO scopes (name, description,"
		    " description_en) VALUES ($1, $2, $3)"
		    " ON CONFLICT (name) DO NOTHING", 3, scopes[i]))
			return 1;
	return 0;
}

static int
cmd_init(struct ctl *c)
{
	char	err[512];

	if (make_key(c->cfg.secret_key_file) || cmd_migrate(c))
		return 1;
	if (config_load(&c->cfg, c->config_path, err, sizeof(err)))
		return ctl_fail("%s", err);
	if (seed_scopes(c) || ctl_key_ensure(c))
		return 1;
	return 0;
}

static int
cmd_scope(struct ctl *c, int argc, char **argv)
{
	const char	*name, *desc = NULL, *desc_en = "", *params[3];
	int		 i;

	if (argc < 3 || strcmp(argv[1], "add") != 0)
		return ctl_fail("usage: scope add NAME --description TEXT "
		    "[--description-en TEXT]");
	name = argv[2];
	for (i = 3; i < argc; i++) {
		if (strcmp(argv[i], "--description") == 0)
			desc = ctl_optarg(argc, argv, &i);
		else if (strcmp(argv[i], "--description-en") == 0)
			desc_en = ctl_optarg(argc, argv, &i);
		else
			return ctl_fail("unknown option %s", argv[i]);
	}
	if (desc == NULL || desc_en == NULL)
		return ctl_fail("scope add needs --description TEXT");
	params[0] = name;
	params[1] = desc;
	params[2] = desc_en;
	if (ctl_do(c, "INSERT INTO scopes (name, description, description_en)"
	    " VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET"
	    " description = EXCLUDED.description,"
	    " description_en = EXCLUDED.description_en", 3, params))
		return 1;
	return 0;
}

/* The batched walk of common/purge.c, then the rotated keys. */
static int
cmd_purge(struct ctl *c)
{
	long	n;

	if ((n = purge_expired(&c->db)) < 0)
		return ctl_fail("purge failed");	/* db.c said why */
	printf("purged: %ld rows\n", n);
	return ctl_key_expire(c);
}

static void
add_endpoint(json_object *o, const char *key, const char *issuer,
    const char *path)
{
	char	buf[2048];
	size_t	n = strlen(issuer);

	while (n > 0 && issuer[n - 1] == '/')
		n--;
	snprintf(buf, sizeof(buf), "%.*s%s", (int)n, issuer, path);
	json_object_object_add(o, key, json_object_new_string(buf));
}

static json_object *
strings(const char *const *v)
{
	json_object	*a = json_object_new_array();

	for (; *v != NULL; v++)
		json_object_array_add(a, json_object_new_string(*v));
	return a;
}

static const char *const rtypes[] = { "code", "token", NULL };
static const char *const modes[] = { "query", "fragment", "form_post", NULL };
static const char *const gtypes[] = { "authorization_code", "refresh_token",
	"password", "client_credentials", "implicit", NULL };
static const char *const auth[] = { "client_secret_basic",
	"client_secret_post", "none", NULL };
static const char *const auth_conf[] = { "client_secret_basic",
	"client_secret_post", NULL };
static const char *const pkce[] = { "S256", "plain", NULL };
static const char *const algs[] = { "RS256", "ES256", NULL };
static const char *const subjects[] = { "pairwise", NULL };
static const char *const claims[] = { "sub", "iss", "aud", "exp", "iat",
	"auth_time", "nonce", "at_hash", "azp", "name", "nickname",
	"preferred_username", "picture", "gender", "locale", "updated_at",
	"email", "email_verified", NULL };

/* RFC 8414 §2; OpenID Connect Discovery 1.0 §3; RP-Initiated Logout §2.1. */
static const char *const meta_endpoints[][2] = {
	{ "authorization_endpoint", "/oauth2.0/authorize" },
	{ "token_endpoint", "/oauth2.0/token" },
	{ "revocation_endpoint", "/oauth2.0/revoke" },
	{ "introspection_endpoint", "/oauth2.0/introspect" },
	{ "userinfo_endpoint", "/oauth2.0/userinfo" },
	{ "jwks_uri", "/oauth2.0/jwks" },
	{ "end_session_endpoint", "/oauth2.0/end_session" },
};

static const struct {
	const char		 *key;
	const char *const	 *values;
} meta_lists[] = {
	{ "subject_types_supported", subjects },
	{ "id_token_signing_alg_values_supported", algs },
	/* JWT access tokens (RFC 9068), per client: jwt_access.c. */
	{ "access_token_signing_alg_values_supported", algs },
	{ "claims_supported", claims },
	{ "response_types_supported", rtypes },
	{ "response_modes_supported", modes },
	{ "grant_types_supported", gtypes },
	{ "token_endpoint_auth_methods_supported", auth },
	{ "revocation_endpoint_auth_methods_supported", auth_conf },
	{ "introspection_endpoint_auth_methods_supported", auth_conf },
	{ "code_challenge_methods_supported", pkce },
};

static const struct {
	const char	*key;
	int		 value;
} meta_flags[] = {
	{ "request_parameter_supported", 0 },
	{ "request_uri_parameter_supported", 0 },
	{ "authorization_response_iss_parameter_supported", 1 },
};

static int
cmd_metadata(struct ctl *c)
{
	json_object	*o = json_object_new_object(), *scopes;
	PGresult	*res;
	size_t		 i;
	int		 j;

	json_object_object_add(o, "issuer",
	    json_object_new_string(c->cfg.issuer));
	for (i = 0; i < sizeof(meta_endpoints) / sizeof(meta_endpoints[0]); i++)
		add_endpoint(o, meta_endpoints[i][0], c->cfg.issuer,
		    meta_endpoints[i][1]);
	for (i = 0; i < sizeof(meta_lists) / sizeof(meta_lists[0]); i++)
		json_object_object_add(o, meta_lists[i].key,
		    strings(meta_lists[i].values));
	for (i = 0; i < sizeof(meta_flags) / sizeof(meta_flags[0]); i++)
		json_object_object_add(o, meta_flags[i].key,
		    json_object_new_boolean(meta_flags[i].value));
	if ((res = ctl_sql(c, "SELECT name FROM scopes ORDER BY name", 0,
	    NULL)) == NULL) {
		json_object_put(o);
		return 1;
	}
	scopes = json_object_new_array();
	for (j = 0; j < PQntuples(res); j++)
		json_object_array_add(scopes,
		    json_object_new_string(PQgetvalue(res, j, 0)));
	PQclear(res);
	json_object_object_add(o, "scopes_supported", scopes);
	printf("%s\n", json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return 0;
}

static int
usage(void)
{
	return ctl_fail("usage: oauthctl [--config FILE] init|migrate|client|"
	    "user|scope|key|purge|metadata ... (oauthctl help for more)");
}

static int
help(void)
{
	fputs("usage: oauthctl [--config FILE] command ...\n"
	    "  init | migrate | purge | metadata\n"
	    "  client add --name N --redirect-uri URI ... [--grants G,...]"
	    " [--scopes S,...] [--public] [--website URL] [--owner NAME]"
	    " [--id ID] [--id-token-alg RS256|ES256]"
	    " [--post-logout-redirect-uri URI ...]\n"
	    "      [--resource-server [--resource-scopes S,...]]\n"
	    "  client set ID --resource-server [--resource-scopes S,...]"
	    " | --no-resource-server\n"
	    "  client list | show ID | delete ID | rotate-secret ID\n"
	    "  user add NAME [--nickname N] [--avatar URL] [--gender 男|女]"
	    " [--email ADDR [--email-verified]] [--admin]\n"
	    "  user passwd NAME | delete NAME | admin NAME on|off\n"
	    "  scope add NAME --description TEXT [--description-en TEXT]\n"
	    "  key list | rotate [RS256|ES256] | retire KID\n",
	    stdout);
	return 0;
}

int
main(int argc, char **argv)
{
	static struct ctl	c;
	char			err[512];
	int			rc, i = 1;

	if (argc > 2 && strcmp(argv[1], "--config") == 0) {
		c.config_path = argv[2];
		i = 3;
	}
	if (i >= argc)
		return usage();
	if (strcmp(argv[i], "help") == 0 || strcmp(argv[i], "--help") == 0)
		return help();
	argc -= i;
	argv += i;
	if (crypto_init())
		return ctl_fail("libgcrypt initialisation failed");
	config_defaults(&c.cfg);
	if (config_read(&c.cfg, c.config_path, err, sizeof(err)))
		return ctl_fail("%s", err);
	if (strcmp(argv[0], "init") != 0 &&
	    config_load(&c.cfg, c.config_path, err, sizeof(err)))
		return ctl_fail("%s", err);
	db_init(&c.db, c.cfg.pg_dsn);
	/* Deletions are revocations: a read replica sees them at once. */
	c.db.remote_apply = 1;
	c.db.unnamed = c.cfg.pg_unnamed;
	if (strcmp(argv[0], "init") == 0)
		rc = cmd_init(&c);
	else if (strcmp(argv[0], "migrate") == 0)
		rc = cmd_migrate(&c);
	else if (strcmp(argv[0], "client") == 0)
		rc = ctl_client(&c, argc, argv);
	else if (strcmp(argv[0], "user") == 0)
		rc = ctl_user(&c, argc, argv);
	else if (strcmp(argv[0], "scope") == 0)
		rc = cmd_scope(&c, argc, argv);
	else if (strcmp(argv[0], "purge") == 0)
		rc = cmd_purge(&c);
	else if (strcmp(argv[0], "metadata") == 0)
		rc = cmd_metadata(&c);
	else if (strcmp(argv[0], "key") == 0)
		rc = ctl_key(&c, argc, argv);
	else
		rc = usage();
	db_close(&c.db);
	arena_free(&c.a);
	config_free(&c.cfg);
	return rc;
}
