/* config.h: the "key = value" configuration file of SPEC */
#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>

#define CONFIG_DEFAULT_PATH	"/etc/oauth2-fcgi.conf"
#define CONFIG_KEY_MAX		1024

/* developer_registration = off | review | open */
enum { DEVREG_OFF = 0, DEVREG_REVIEW, DEVREG_OPEN };

struct config {
	char		*pg_dsn;
	char		*pg_dsn_read;	/* a synchronous standby, or NULL */
	int		 pg_unnamed;	/* pg_statements = unnamed */
	char		*secret_key_file;
	char		*issuer;
	char		*template_dir;
	long		 access_token_ttl;
	long		 refresh_token_ttl;
	long		 code_ttl;
	int		 refresh_rotation;
	int		 qq_compat;
	long		 login_address_limit;	/* failed logins per address */
	char		*setup_key;		/* the web installer's key */
	int		 developer_registration; /* DEVREG_* */
	long		 admin_reauth;		/* seconds a login counts as fresh */
	/* JWT access tokens (RFC 9068, common/jwt_access.c) */
	long		 jwt_access_token_ttl;
	char		*access_token_audience;	/* aud without a resource; NULL: issuer */
	long		 client_cache_max_age;	/* seconds (common/client_cache.c) */
	char		*path;			/* the file read */
	unsigned char	 key[CONFIG_KEY_MAX];	/* the server secret */
	size_t		 keylen;
};

/*
 * Set every field to its default (strings NULL, key empty). Must run once
 * before any other call on the struct.
 */
void	config_defaults(struct config *);

/*
 * Parse the text of a config file into c (defaults first). Returns 0, or
 * -1 with a one-line reason (naming the line) in err.
 */
int	config_parse(struct config *, const char *text, size_t n,
	    char *err, size_t errlen);

/*
 * The config file to read when none is named: $OAUTH_CONFIG, else
 * private/oauth2-fcgi.conf beside the program's directory when it exists
 * (the upload bundle's layout), else CONFIG_DEFAULT_PATH.
 */
const char *config_default_path(void);

/*
 * Read and parse the config file (path, else config_default_path()) and check the required keys, without loading the secret key.
 * Returns 0, or -1 with a one-line reason in err.
 */
int	config_read(struct config *, const char *path, char *err,
	    size_t errlen);

/*
 * Read the file named by $OAUTH_CONFIG (or path if not NULL, else the
 * default), parse it, check the required keys and load the secret key.
 * Returns 0, or -1 with a one-line reason in err.
 */
int	config_load(struct config *, const char *path, char *err,
	    size_t errlen);

/*
 * Load secret_key_file into c->key (after config_read). Returns 0, or -1
 * with a one-line reason in err.
 */
int	config_load_key(struct config *, char *err, size_t errlen);

/* Free the strings and wipe the key. */
void	config_free(struct config *);

#endif
