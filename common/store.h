/* store.h: every query of the store, grouped by table (store_*.c) */
#ifndef STORE_H
#define STORE_H

/*
 * The contract of every function here: -1 is a database failure, with
 * db->state saying which (DB_DOWN: retry later); the strings and rows
 * handed back are copies in the arena passed in, the caller's for the
 * request; nothing keeps a pointer to the arguments after it returns.
 */

#include "db.h"
#include "scope.h"
#include "str.h"

/* A username is 1 to USERNAME_MAX characters (not bytes), as the schema says. */
#define USERNAME_MAX	64

/*
 * The one stored form of a secret: "\x" and the lower-case hex of its
 * SHA-256, the text of a bytea parameter, and how the store reads a
 * bytea digest column back (client secrets). Tokens, codes, client
 * secrets and session ids are kept only as this digest. In the arena.
 */
char	*store_digest(struct arena *, struct str secret);

/* All fields are arena strings valid for the request. */
struct client {
	struct str	 id;
	struct str	 name;
	struct str	 website;
	struct str	 owner;
	struct str	 secret_hash;	/* store_digest; empty: public */
	unsigned	 grants;	/* GRANT_* (grant.h) */
	struct scopes	 scopes;
	struct str	 uris[16];	/* registered redirect URIs */
	size_t		 nuris;
};

/*
 * Load client id into *c (arena strings), its redirect URIs too when
 * with_uris is set. Returns 0, 1 if there is no such client, -1 on a
 * database failure.
 */
int	store_client_get(struct db *, struct arena *, struct str id,
	    int with_uris, struct client *c);

/*
 * 1 if store_digest(secret) is the client's stored digest (constant
 * time), 0 otherwise (a public client: always 0). The digest is made in
 * a.
 */
int	store_client_secret_ok(const struct client *, struct arena *,
	    struct str secret);

/*
 * Descriptions of the scopes in s into desc[0 .. s->n - 1] (arena), in
 * s's order, for lang ("en" uses description_en when set). A scope
 * without a row keeps its name. Returns 0 or -1.
 */
int	store_scope_describe(struct db *, struct arena *, const struct scopes *s,
	    const char *lang, struct str *desc);

struct user {
	long		 id;
	struct str	 username;
	struct str	 password_hash;
	struct str	 nickname;
	struct str	 avatar;
	struct str	 gender;
};

/*
 * Load an enabled user by name into *u (arena strings). 0 found, 1 absent
 * (or a name no row can hold), -1 database failure.
 */
int	store_user_by_name(struct db *, struct arena *, struct str name,
	    struct user *u);

/* Replace a user's password hash (a PHC string). 0, or -1. */
int	store_user_set_password(struct db *, long id, const char *phc);

/* Who a client says it is: its id and the digest of the secret it sent. */
struct client_key {
	struct str	 id;
	const char	*secret_hash;	/* store_digest; NULL: none sent */
};

/*
 * What an id_token needs from a code or refresh statement (arena
 * strings): kid is empty when openid was not granted or no key of the
 * client's algorithm is active.
 */
struct id_info {
	long		 user_id;
	struct str	 nonce;		/* empty: none was sent */
	long		 auth_time;	/* seconds since the epoch; 0: unknown */
	long		 now;		/* the database's clock */
	struct str	 alg;		/* the client's id_token_alg */
	struct str	 kid;		/* the active key of alg */
};

/*
 * The tokens a grant stores: the store_digest of each fresh token (the
 * plaintext goes only to the client), lifetimes in seconds, and for
 * store_token_issue the scopes.
 */
struct token_digests {
	const char	*access_hash;
	const char	*refresh_hash;	/* NULL: no refresh token */
	long		 access_ttl;
	long		 refresh_ttl;
	struct str	 scope;		/* of the access token */
	struct str	 refresh_scope;	/* of the refresh token */
};

/* What a one-statement grant issued (arena strings). */
struct token_issued {
	struct str	 scope;		/* of the new access token */
	int		 refresh;	/* a refresh token was issued */
	struct id_info	 id;		/* code and refresh grants only */
};

/* Authorization codes (store_code.c). */
struct code_row {
	long		 family_id;
	struct str	 client_id;
	long		 user_id;
	struct str	 redirect_uri;	/* empty: omitted at authorize */
	int		 had_redirect_uri;
	struct str	 scope;
	struct str	 challenge;
	struct str	 method;
	int		 live;		/* not expired */
	int		 used;
};

/* A code as the authorization endpoint grants it. */
struct code_grant {
	const char	*code_hash;	/* store_digest of the code */
	struct str	 client_id;
	long		 user_id;
	struct str	 redirect_uri;	/* as sent; empty: none */
	struct str	 scope;
	struct str	 challenge;	/* PKCE; empty: none */
	struct str	 method;	/* empty with no challenge */
	long		 ttl;
	struct str	 nonce;		/* empty: none */
	const char	*session_hash;	/* the login's session; NULL: none */
};

/*
 * Store a code in a new family. The login time of the session (NULL, or
 * gone: now) becomes the code's and its family's auth_time. 0 or -1
 * (db->state says which failure).
 */
int	store_code_insert(struct db *, const struct code_grant *);

/* Load a code by digest into *row (arena). 0 found, 1 absent, -1 failure. */
int	store_code_get(struct db *, struct arena *, const char *code_hash,
	    struct code_row *row);

/* Mark a code used without issuing anything (a failed PKCE check). 0 or -1. */
int	store_code_burn(struct db *, const char *code_hash);

/* A token request's code, as the client sent it. */
struct code_redemption {
	const char		*code_hash;	/* store_digest of the code */
	struct client_key	 client;
	struct str		 redirect_uri;	/* empty: none sent */
	struct str		 verifier;	/* empty: none sent */
	struct str		 verifier_s256;	/* empty: not well-formed */
	struct token_digests	 tokens;	/* to issue */
};

/*
 * Redeem a code in one statement, checking the client too: q->client
 * must name a client with that secret digest (none for a public client)
 * and the authorization_code grant; the code must be unused, live, its
 * own, for the same redirect URI, and the PKCE verifier must match. Then
 * the access token and, if the client may refresh and q->tokens has one,
 * the refresh token are issued with the code's scope. Returns 0 with
 * *out set, 1 when any condition failed and nothing changed, -1 on
 * database failure.
 */
int	store_code_redeem(struct db *, struct arena *,
	    const struct code_redemption *q, struct token_issued *out);

/* Access and refresh tokens, families (store_token.c). */

/*
 * client_credentials in one statement: if k is a confidential client with
 * that secret and the grant, not suspended, and want_scope (empty: all of
 * its scopes) is within its scopes, issue the access token of d in a new
 * family. 0 with out->scope set, 1 nothing matched, -1 database failure.
 */
int	store_cc_issue(struct db *, struct arena *, const struct client_key *k,
	    struct str want_scope, const struct token_digests *d,
	    struct token_issued *out);

/*
 * Issue the tokens of d in a new family (password grant, implicit flow);
 * user_id 0: none. 0 or -1.
 */
int	store_token_issue(struct db *, struct str client_id, long user_id,
	    const struct token_digests *d);

/* A token request's refresh token, as the client sent it. */
struct refresh_use {
	const char		*token_hash;	/* store_digest of the token */
	struct client_key	 client;
	struct str		 scope;		/* narrower; empty: same */
	int			 rotate;	/* kill it, issue a new one */
	struct token_digests	 tokens;	/* to issue */
};

/*
 * Use a refresh token in one statement: if q->client is its client (with
 * that secret digest and the refresh_token grant) and it is a live
 * refresh token whose scope covers q->scope, kill it when rotating and
 * issue the new access token (q->scope) and, when rotating, the new
 * refresh token (the old scope) in its family. Returns 0 with *out set,
 * 1 when nothing matched, -1 on database failure.
 */
int	store_refresh_use(struct db *, struct arena *,
	    const struct refresh_use *q, struct token_issued *out);

struct token_row {
	char		 kind;		/* 'a' or 'r' */
	long		 family_id;
	struct str	 client_id;
	long		 user_id;	/* 0: no user (client_credentials) */
	struct str	 scope;
	int		 live;		/* not expired */
	int		 revoked;
	int		 rotated;
	long		 exp;		/* seconds since the epoch */
	long		 iat;
	struct str	 owner;		/* the client's owner, for unionid */
	struct str	 nickname, avatar, gender, username;
	int		 by_resource_server;	/* store_token_get_own only */
};

/*
 * Look a token up by digest, any kind, with the parts of the row that
 * with asks for (the others are left empty): the client's owner, the
 * user's profile. 0 found, 1 absent, -1 failure.
 */
#define TOKEN_OWNER	0x1
#define TOKEN_USER	0x2
int	store_token_get(struct db *, struct arena *, const char *hash,
	    unsigned with, struct token_row *);

/*
 * The same lookup that also authenticates, for introspection: found only
 * if k's secret digest is the client's (confidential clients only) and
 * the token is the client's own or, when k is a resource server, an
 * access token within its resource scopes. The user's profile is filled
 * in, not the owner. 0 found, 1 not (either reason), -1 failure.
 */
int	store_token_get_own(struct db *, struct arena *, const char *hash,
	    const struct client_key *k, struct token_row *);

/* Revoke every token of a family (none: still 0). 0 or -1. */
int	store_family_revoke(struct db *, long family_id);

/*
 * Revoke one token of this client (refresh: its whole family); another
 * client's token or none at all is left alone and still 0. 0 or -1.
 */
int	store_token_revoke(struct db *, const char *hash, struct str client_id);

/*
 * Revoke a user's tokens for a client and forget the consent (none:
 * still 0). 0 or -1.
 */
int	store_grant_revoke(struct db *, long user_id, struct str client_id);

/* Consents (store_consent.c). */
/* Load the remembered scopes into s (arena). 0, 1 none (s empty), -1. */
int	store_consent_get(struct db *, struct arena *, long user_id,
	    struct str client_id, struct scopes *s);
/* Remember exactly these scopes as the consent (the last approval): 0, -1. */
int	store_consent_set(struct db *, long user_id, struct str client_id,
	    struct str scope_space_separated);

struct grant_row {
	struct str	client_id, client_name, client_website, scopes,
			granted_at, client_icon;
};
/*
 * A user's consents, newest first, at most max into rows (arena
 * strings), scope descriptions in lang. Returns the count or -1.
 */
long	store_consent_list(struct db *, struct arena *, long user_id,
	    const char *lang, struct grant_row *rows, size_t max);

/* Sessions and throttling (store_session.c). */
/* Keep session hash (store_digest) of user_id for ttl seconds. 0 or -1. */
int	store_session_create(struct db *, const char *hash, long user_id,
	    long ttl);
/* The user of a live session into *u (arena). 0, 1 none or expired, -1. */
int	store_session_user(struct db *, struct arena *, const char *hash,
	    struct user *u);
/* End one session (none: still 0). 0 or -1. */
int	store_session_delete(struct db *, const char *hash);
/* End every session of the user except keep_hash (may be NULL). 0 or -1. */
int	store_session_delete_others(struct db *, long user_id,
	    const char *keep_hash);

/*
 * Failures recorded in the last window seconds for key1 (into *n1) and
 * key2 (into *n2; key2 and n2 may be NULL), in one query. 0 or -1.
 */
int	store_failures_count(struct db *, const char *key1, const char *key2,
	    long window, long *n1, long *n2);
/* Record a failure for key1 and key2 (may be NULL) in one statement: 0, -1. */
int	store_failure_add(struct db *, const char *key1, const char *key2);
/* Forget the failures of key (after a success). 0 or -1. */
int	store_failures_clear(struct db *, const char *key);

#endif
