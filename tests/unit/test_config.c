/* test_config.c: unit tests of the "key = value" configuration parser */
#include <stdio.h>
#include <string.h>

#include "unit.h"

#include "config.h"

/* Parse a literal into c; config_defaults must have run on c. */
#define PARSE(c, text, err)						\
	config_parse((c), (text), sizeof(text) - 1, (err), sizeof(err))

static void
test_defaults(void **state)
{
	static const char	*texts[] = {
		"",
		"\n\n",
		"# only a comment\n",
		"   \t  \n# x = y\n\r\n",
	};
	struct config		 c;
	char			 err[256];
	size_t			 i;

	(void)state;
	config_defaults(&c);
	for (i = 0; i < NELEM(texts); i++) {
		err[0] = '\0';
		CASE_INT(i, config_parse(&c, texts[i], strlen(texts[i]), err,
		    sizeof(err)), 0);
		CASE_INT(i, err[0], '\0');
		assert_null(c.pg_dsn);
		assert_null(c.secret_key_file);
		assert_null(c.issuer);
		assert_null(c.template_dir);
		CASE_INT(i, c.access_token_ttl, 3600);
		CASE_INT(i, c.refresh_token_ttl, 2592000);
		CASE_INT(i, c.code_ttl, 600);
		CASE_INT(i, c.refresh_rotation, 1);
		CASE_INT(i, c.qq_compat, 1);
		CASE_INT(i, c.login_address_limit, 10);
		CASE_INT(i, c.keylen, 0);
	}
	config_free(&c);
}

static void
test_every_key(void **state)
{
	static const char	text[] =
	    "# oauth2-fcgi\n"
	    "pg_dsn = host=/run/pg dbname=oauth user=oauth\n"
	    "secret_key_file=/etc/oauth2-fcgi.key\n"
	    "\tissuer\t=\thttps://auth.example.com  \r\n"
	    "template_dir = /usr/share/oauth2-fcgi/templates\n"
	    "\n"
	    "access_token_ttl = 7200\n"
	    "refresh_token_ttl = 86400\n"
	    "code_ttl = 60\n"
	    "refresh_rotation = off\n"
	    "qq_compat = no\n"
	    "login_address_limit = 50\n"
	    "pg_dsn_read = host=db2 dbname=oauth target_session_attrs=standby\n"
	    "pg_statements = unnamed\n"
	    "  # indented comment = ignored\n"
	    "issuer = https://auth2.example.com";	/* last wins; no '\n' */
	struct config		c;
	char			err[256] = "";

	(void)state;
	config_defaults(&c);
	assert_int_equal(PARSE(&c, text, err), 0);
	assert_string_equal(err, "");
	assert_string_equal(c.pg_dsn, "host=/run/pg dbname=oauth user=oauth");
	assert_string_equal(c.secret_key_file, "/etc/oauth2-fcgi.key");
	assert_string_equal(c.issuer, "https://auth2.example.com");
	assert_string_equal(c.template_dir, "/usr/share/oauth2-fcgi/templates");
	assert_int_equal(c.access_token_ttl, 7200);
	assert_int_equal(c.refresh_token_ttl, 86400);
	assert_int_equal(c.code_ttl, 60);
	assert_int_equal(c.refresh_rotation, 0);
	assert_int_equal(c.qq_compat, 0);
	assert_int_equal(c.login_address_limit, 50);
	assert_string_equal(c.pg_dsn_read,
	    "host=db2 dbname=oauth target_session_attrs=standby");
	assert_int_equal(c.pg_unnamed, 1);
	/* A second parse starts again from the defaults. */
	assert_int_equal(PARSE(&c, "code_ttl = 30\n", err), 0);
	assert_null(c.pg_dsn);
	assert_null(c.issuer);
	assert_null(c.pg_dsn_read);
	assert_int_equal(c.pg_unnamed, 0);
	assert_int_equal(c.code_ttl, 30);
	assert_int_equal(c.access_token_ttl, 3600);
	config_free(&c);
	assert_null(c.pg_dsn);
	config_free(&c);
}

/* The numeric and boolean settings, by key: a table, as the code has. */
static long
setting(const struct config *c, const char *key)
{
	const struct {
		const char	*key;
		long		 value;
	} settings[] = {
		{ "access_token_ttl", c->access_token_ttl },
		{ "refresh_token_ttl", c->refresh_token_ttl },
		{ "code_ttl", c->code_ttl },
		{ "login_address_limit", c->login_address_limit },
		{ "refresh_rotation", c->refresh_rotation },
		{ "qq_compat", c->qq_compat },
		{ "pg_statements", c->pg_unnamed },
	};
	size_t	i;

	for (i = 0; i < NELEM(settings); i++)
		if (str_eq_c(str_c(key), settings[i].key))
			return settings[i].value;
	fail_msg("no setting %s", key);
	return 0;
}

static void
test_values(void **state)
{
	static const struct {
		const char	*key, *value;
		int		 rc;
		long		 want;
	} cases[] = {
		{ "refresh_rotation", "on", 0, 1 },
		{ "refresh_rotation", "yes", 0, 1 },
		{ "refresh_rotation", "true", 0, 1 },
		{ "refresh_rotation", "1", 0, 1 },
		{ "refresh_rotation", "off", 0, 0 },
		{ "pg_statements", "prepared", 0, 0 },
		{ "pg_statements", "unnamed", 0, 1 },
		{ "pg_statements", "Unnamed", -1, 0 },
		{ "pg_statements", "", -1, 0 },
		{ "qq_compat", "off", 0, 0 },
		{ "qq_compat", "no", 0, 0 },
		{ "qq_compat", "false", 0, 0 },
		{ "qq_compat", "0", 0, 0 },
		{ "qq_compat", "yes", 0, 1 },
		{ "qq_compat", "maybe", -1, 0 },
		{ "qq_compat", "ON", -1, 0 },
		{ "qq_compat", "2", -1, 0 },
		{ "qq_compat", "", -1, 0 },
		{ "refresh_rotation", "yes please", -1, 0 },
		{ "code_ttl", "1", 0, 1 },
		{ "code_ttl", "600", 0, 600 },
		{ "code_ttl", "0600", 0, 600 },
		/* RFC 6749 §4.1.2: ten minutes at most. */
		{ "code_ttl", "601", -1, 0 },
		{ "code_ttl", "3600", -1, 0 },
		{ "code_ttl", "0", -1, 0 },
		{ "code_ttl", "-5", -1, 0 },
		{ "code_ttl", "10m", -1, 0 },
		{ "code_ttl", "1 0", -1, 0 },
		{ "code_ttl", "0x10", -1, 0 },
		{ "code_ttl", "", -1, 0 },
		{ "access_token_ttl", "31536000", 0, 31536000 },
		{ "access_token_ttl", "31536001", -1, 0 },
		{ "access_token_ttl", "99999999999999999999", -1, 0 },
		{ "refresh_token_ttl", "315360000", 0, 315360000 },
		{ "refresh_token_ttl", "315360001", -1, 0 },
		{ "login_address_limit", "1000000", 0, 1000000 },
		{ "login_address_limit", "1000001", -1, 0 },
		{ "login_address_limit", "0", -1, 0 },
	};
	struct config	c;
	char		line[128], err[256];
	size_t		i;

	(void)state;
	config_defaults(&c);
	for (i = 0; i < NELEM(cases); i++) {
		snprintf(line, sizeof(line), "%s = %s\n", cases[i].key,
		    cases[i].value);
		err[0] = '\0';
		CASE_INT(i, config_parse(&c, line, strlen(line), err,
		    sizeof(err)), cases[i].rc);
		if (cases[i].rc == 0) {
			CASE_INT(i, setting(&c, cases[i].key), cases[i].want);
			continue;
		}
		if (strstr(err, "line 1:") == NULL ||
		    strstr(err, "bad value") == NULL ||
		    strstr(err, cases[i].key) == NULL)
			fail_msg("case %zu: err \"%s\"", i, err);
	}
	config_free(&c);
}

/* Each bad file fails with a reason that names the offending line. */
static void
test_bad_lines(void **state)
{
	static const struct {
		struct str	 text;
		const char	*line;
		const char	*reason;
	} cases[] = {
		{ SV("no equals sign"), "line 1:", "key = value" },
		{ SV("issuer = x\njust text\n"), "line 2:", "key = value" },
		{ SV("\n\n# c\nissuer\n"), "line 4:", "key = value" },
		{ SV("issuer = a\0b\n"), "line 1:", "key = value" },
		{ SV("unknown_key = 1\n"), "line 1:", "unknown key" },
		{ SV("issuer = x\nIssuer = y\n"), "line 2:", "unknown key" },
		{ SV("= value\n"), "line 1:", "unknown key" },
		{ SV("pg dsn = x\n"), "line 1:", "unknown key" },
		{ SV("code_ttl = 601\n"), "line 1:", "bad value" },
		{ SV("# c\r\n\r\nqq_compat = maybe\r\n"), "line 3:",
		  "bad value" },
	};
	struct config	c;
	char		err[256];
	size_t		i;

	(void)state;
	config_defaults(&c);
	for (i = 0; i < NELEM(cases); i++) {
		err[0] = '\0';
		CASE_INT(i, config_parse(&c, cases[i].text.p, cases[i].text.n,
		    err, sizeof(err)), -1);
		if (strstr(err, cases[i].line) == NULL ||
		    strstr(err, cases[i].reason) == NULL)
			fail_msg("case %zu: err \"%s\"", i, err);
		/* One line of text. */
		CASE_INT(i, strchr(err, '\n') == NULL, 1);
	}
	config_free(&c);
}

/* A long unknown key is cut in the message, and err never overflows. */
static void
test_err_bounded(void **state)
{
	struct config	c;
	char		text[600], err[32];
	size_t		n;

	(void)state;
	memset(text, 'k', 500);
	memcpy(text + 500, " = 1\n", 5);
	n = 505;
	config_defaults(&c);
	memset(err, 'x', sizeof(err));
	assert_int_equal(config_parse(&c, text, n, err, sizeof(err)), -1);
	assert_non_null(memchr(err, '\0', sizeof(err)));
	config_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_err_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
