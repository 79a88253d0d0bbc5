/* config.c: the "key = value" configuration file of SPEC */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "config.h"
#include "str.h"

#define CONFIG_FILE_MAX	65536

void
config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	c->access_token_ttl = 3600;
	c->refresh_token_ttl = 2592000;
	c->code_ttl = 600;
	c->refresh_rotation = 1;
	c->qq_compat = 1;
	c->login_address_limit = 10;
	c->developer_registration = DEVREG_REVIEW;
	c->admin_reauth = 300;
	c->jwt_access_token_ttl = 300;
	c->client_cache_max_age = 60;
}

static struct str
trim(struct str s)
{
	while (s.n && (s.p[0] == ' ' || s.p[0] == '\t'))
		s.p++, s.n--;
	while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t' ||
	    s.p[s.n - 1] == '\r'))
		s.n--;
	return s;
}

static int
parse_bool(struct str v, int *out)
{
	if (str_eq_c(v, "on") || str_eq_c(v, "yes") || str_eq_c(v, "true") ||
	    str_eq_c(v, "1"))
		*out = 1;
	else if (str_eq_c(v, "off") || str_eq_c(v, "no") ||
	    str_eq_c(v, "false") || str_eq_c(v, "0"))
		*out = 0;
	else
		return -1;
	return 0;
}

static char *
dupstr(struct str v)
{
	char	*p = xmalloc(v.n + 1);

	memcpy(p, v.p, v.n);
	p[v.n] = '\0';
	return p;
}

/* One row a key: where its value goes and how it is read. */
enum key_kind { KEY_STR, KEY_LONG, KEY_BOOL, KEY_ENUM };

struct key {
	const char	*name;
	enum key_kind	 kind;
	size_t		 off;		/* of the field in struct config */
	long		 max;		/* KEY_LONG: 1 to max */
	const char	*words[4];	/* KEY_ENUM: the value's index is stored */
};

#define KSTR(f)		{ #f, KEY_STR, offsetof(struct config, f), 0, { 0 } }
#define KLONG(f, m)	{ #f, KEY_LONG, offsetof(struct config, f), m, { 0 } }
#define KBOOL(f)	{ #f, KEY_BOOL, offsetof(struct config, f), 0, { 0 } }

static const struct key keys[] = {
	KSTR(pg_dsn),
	KSTR(pg_dsn_read),
	{ "pg_statements", KEY_ENUM, offsetof(struct config, pg_unnamed), 0,
	    { "prepared", "unnamed" } },
	KSTR(secret_key_file),
	KSTR(issuer),
	KSTR(template_dir),
	KLONG(access_token_ttl, 31536000),
	KLONG(refresh_token_ttl, 315360000),
	KLONG(code_ttl, 600),			/* RFC 6749 §4.1.2 */
	KLONG(login_address_limit, 1000000),
	KBOOL(refresh_rotation),
	KBOOL(qq_compat),
	KSTR(setup_key),
	KLONG(admin_reauth, 86400),
	KLONG(jwt_access_token_ttl, 86400),
	KSTR(access_token_audience),
	KLONG(client_cache_max_age, 3600),
	{ "developer_registration", KEY_ENUM,
	    offsetof(struct config, developer_registration), 0,
	    { "off", "review", "open" } },
};

static int
set_enum(const struct key *e, struct str v, int *out)
{
	int	 i;

	for (i = 0; i < 4 && e->words[i]; i++)
		if (str_eq_c(v, e->words[i])) {
			*out = i;
			return 0;
		}
	return -1;
}

static int
set_key(struct config *c, struct str k, struct str v)
{
	const struct key	*e;
	char			*field;
	size_t			 i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (str_eq_c(k, keys[i].name))
			break;
	if (i == sizeof(keys) / sizeof(keys[0]))
		return -2;
	e = &keys[i];
	field = (char *)c + e->off;
	switch (e->kind) {
	case KEY_STR:
		free(*(char **)(void *)field);
		*(char **)(void *)field = dupstr(v);
		return 0;
	case KEY_BOOL:
		return parse_bool(v, (int *)(void *)field);
	case KEY_ENUM:
		return set_enum(e, v, (int *)(void *)field);
	case KEY_LONG:
		if (str_to_long(v, (long *)(void *)field) ||
		    *(long *)(void *)field < 1 || *(long *)(void *)field > e->max)
			return -1;
		return 0;
	}
	return -1;
}

int
config_parse(struct config *c, const char *text, size_t n, char *err,
    size_t errlen)
{
	size_t		 i = 0, start, line = 0;
	struct str	 l, k, v;
	const char	*eq;
	int		 rc;

	config_free(c);
	config_defaults(c);
	while (i < n) {
		start = i;
		while (i < n && text[i] != '\n')
			i++;
		line++;
		l = trim((struct str){ text + start, i - start });
		i++;
		if (l.n == 0 || l.p[0] == '#')
			continue;
		if (memchr(l.p, '\0', l.n) != NULL ||
		    (eq = memchr(l.p, '=', l.n)) == NULL) {
			snprintf(err, errlen, "config line %zu: expected "
			    "\"key = value\"", line);
			return -1;
		}
		k = trim((struct str){ l.p, (size_t)(eq - l.p) });
		v = trim((struct str){ eq + 1, l.n - (size_t)(eq - l.p) - 1 });
		rc = set_key(c, k, v);
		if (rc == -2) {
			snprintf(err, errlen, "config line %zu: unknown key "
			    "\"%.*s\"", line, (int)(k.n > 40 ? 40 : k.n), k.p);
			return -1;
		}
		if (rc == -1) {
			snprintf(err, errlen, "config line %zu: bad value for "
			    "%.*s", line, (int)k.n, k.p);
			return -1;
		}
	}
	return 0;
}

static int
read_file(const char *path, char *buf, size_t cap, size_t *len)
{
	ssize_t	r;
	size_t	n = 0;
	int	fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while (n < cap && (r = read(fd, buf + n, cap - n)) != 0) {
		if (r == -1) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		n += (size_t)r;
	}
	close(fd);
	*len = n;
	return 0;
}

const char *
config_default_path(void)
{
	static char	 buf[4096];
	const char	*env = getenv("OAUTH_CONFIG");
	char		*slash;
	ssize_t		 n;

	if (env != NULL)
		return env;
	/* <bundle>/cgi-bin/prog.fcgi -> <bundle>/private/oauth2-fcgi.conf */
	n = readlink("/proc/self/exe", buf, sizeof(buf) - 64);
	if (n > 0) {
		buf[n] = '\0';
		if ((slash = strrchr(buf, '/')) != NULL) {
			*slash = '\0';
			if ((slash = strrchr(buf, '/')) != NULL) {
				snprintf(slash, sizeof(buf) - (size_t)(slash - buf),
				    "/private/oauth2-fcgi.conf");
				if (access(buf, F_OK) == 0)
					return buf;
			}
		}
	}
	return CONFIG_DEFAULT_PATH;
}

/* A relative path in the file is relative to the file's directory. */
static void
resolve(char **p, const char *conf)
{
	const char	*slash = strrchr(conf, '/');
	size_t		 d, n;
	char		*out;

	if (*p == NULL || **p == '/' || slash == NULL)
		return;
	d = (size_t)(slash - conf) + 1;
	n = strlen(*p);
	out = xmalloc(d + n + 1);
	memcpy(out, conf, d);
	memcpy(out + d, *p, n + 1);
	free(*p);
	*p = out;
}

int
config_read(struct config *c, const char *path, char *err, size_t errlen)
{
	static char	buf[CONFIG_FILE_MAX];
	size_t		n;

	if (path == NULL)
		path = config_default_path();
	if (read_file(path, buf, sizeof(buf), &n)) {
		snprintf(err, errlen, "cannot read config %s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (n == sizeof(buf)) {
		snprintf(err, errlen, "config %s is too large", path);
		return -1;
	}
	if (config_parse(c, buf, n, err, errlen))
		return -1;
	if (c->pg_dsn == NULL || c->secret_key_file == NULL ||
	    c->issuer == NULL) {
		snprintf(err, errlen, "config %s: pg_dsn, secret_key_file and "
		    "issuer are required", path);
		return -1;
	}
	resolve(&c->secret_key_file, path);
	resolve(&c->template_dir, path);
	n = strlen(path) + 1;
	c->path = xmalloc(n);
	memcpy(c->path, path, n);
	return 0;
}

int
config_load(struct config *c, const char *path, char *err, size_t errlen)
{
	if (config_read(c, path, err, errlen))
		return -1;
	return config_load_key(c, err, errlen);
}

int
config_load_key(struct config *c, char *err, size_t errlen)
{
	if (read_file(c->secret_key_file, (char *)c->key, sizeof(c->key),
	    &c->keylen)) {
		snprintf(err, errlen, "cannot read secret_key_file %s: %s",
		    c->secret_key_file, strerror(errno));
		return -1;
	}
	if (c->keylen < 32) {
		snprintf(err, errlen, "secret_key_file %s holds fewer than 32 "
		    "bytes", c->secret_key_file);
		return -1;
	}
	return 0;
}

void
config_free(struct config *c)
{
	free(c->pg_dsn);
	free(c->pg_dsn_read);
	free(c->secret_key_file);
	free(c->issuer);
	free(c->template_dir);
	free(c->setup_key);
	free(c->path);
	free(c->access_token_audience);
	c->access_token_audience = NULL;
	c->pg_dsn = c->pg_dsn_read = c->secret_key_file = c->issuer = NULL;
	c->template_dir = c->setup_key = c->path = NULL;
	explicit_bzero(c->key, sizeof(c->key));
	c->keylen = 0;
}
