/* oauthctl.c: the admin CLI: init, migrate, clients, users, scopes, purge, metadata */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
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

int
ctl_fail(const char *fmt, ...)
{
	va_list	ap;

	fputs("oauthctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

PGresult *
ctl_sql(struct ctl *c, const char *sql, int n, const char *const *params)
{
	PGresult	*res;
	const char	*msg;
	ExecStatusType	 st;

	if (c->db.conn == NULL) {
		if ((res = db_exec_plain(&c->db, "SELECT 1")) == NULL) {
			ctl_fail("cannot connect to the database");
			return NULL;
		}
		PQclear(res);
	}
	res = PQexecParams(c->db.conn, sql, n, NULL, params, NULL, NULL, 0);
	st = PQresultStatus(res);
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
		return res;
	msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	ctl_fail("database: %s", msg ? msg : "error");
	PQclear(res);
	return NULL;
}

int
ctl_do(struct ctl *c, const char *sql, int n, const char *const *params)
{
	PGresult	*res = ctl_sql(c, sql, n, params);

	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

char *
ctl_read_line(struct ctl *c)
{
	char	buf[1024];
	size_t	n;

	if (fgets(buf, sizeof(buf), stdin) == NULL)
		return NULL;
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	return arena_strndup(&c->a, buf, n);
}

const char *
ctl_optarg(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

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

static int
cmd_metadata(struct ctl *c)
{
	static const char *const rtypes[] = { "code", "token", NULL };
	static const char *const modes[] = { "query", "fragment", "form_post",
	    NULL };
	static const char *const gtypes[] = { "authorization_code",
	    "refresh_token", "password", "client_credentials", "implicit",
	    NULL };
	static const char *const auth[] = { "client_secret_basic",
	    "client_secret_post", "none", NULL };
	static const char *const auth_conf[] = { "client_secret_basic",
	    "client_secret_post", NULL };
	static const char *const pkce[] = { "S256", "plain", NULL };
	static const char *const algs[] = { "RS256", "ES256", NULL };
	static const char *const subjects[] = { "pairwise", NULL };
	static const char *const claims[] = { "sub", "iss", "aud", "exp",
	    "iat", "auth_time", "nonce", "at_hash", "azp", "name", "nickname",
	    "preferred_username", "picture", "gender", "locale", "updated_at",
	    "email", "email_verified", NULL };
	json_object	*o = json_object_new_object(), *scopes;
	PGresult	*res;
	int		 i;

	json_object_object_add(o, "issuer",
	    json_object_new_string(c->cfg.issuer));
	add_endpoint(o, "authorization_endpoint", c->cfg.issuer,
	    "/oauth2.0/authorize");
	add_endpoint(o, "token_endpoint", c->cfg.issuer, "/oauth2.0/token");
	add_endpoint(o, "revocation_endpoint", c->cfg.issuer,
	    "/oauth2.0/revoke");
	add_endpoint(o, "introspection_endpoint", c->cfg.issuer,
	    "/oauth2.0/introspect");
	/* OpenID Connect Discovery 1.0 §3; RP-Initiated Logout 1.0 §2.1. */
	add_endpoint(o, "userinfo_endpoint", c->cfg.issuer,
	    "/oauth2.0/userinfo");
	add_endpoint(o, "jwks_uri", c->cfg.issuer, "/oauth2.0/jwks");
	add_endpoint(o, "end_session_endpoint", c->cfg.issuer,
	    "/oauth2.0/end_session");
	json_object_object_add(o, "subject_types_supported", strings(subjects));
	json_object_object_add(o, "id_token_signing_alg_values_supported",
	    strings(algs));
	json_object_object_add(o, "claims_supported", strings(claims));
	json_object_object_add(o, "request_parameter_supported",
	    json_object_new_boolean(0));
	json_object_object_add(o, "request_uri_parameter_supported",
	    json_object_new_boolean(0));
	json_object_object_add(o, "response_types_supported", strings(rtypes));
	json_object_object_add(o, "response_modes_supported", strings(modes));
	json_object_object_add(o, "grant_types_supported", strings(gtypes));
	json_object_object_add(o, "token_endpoint_auth_methods_supported",
	    strings(auth));
	json_object_object_add(o, "revocation_endpoint_auth_methods_supported",
	    strings(auth_conf));
	json_object_object_add(o,
	    "introspection_endpoint_auth_methods_supported", strings(auth_conf));
	json_object_object_add(o, "code_challenge_methods_supported",
	    strings(pkce));
	json_object_object_add(o,
	    "authorization_response_iss_parameter_supported",
	    json_object_new_boolean(1));
	if ((res = ctl_sql(c, "SELECT name FROM scopes ORDER BY name", 0,
	    NULL)) == NULL) {
		json_object_put(o);
		return 1;
	}
	scopes = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++)
		json_object_array_add(scopes,
		    json_object_new_string(PQgetvalue(res, i, 0)));
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
