-- 001_init.sql: the whole store of oauth2-fcgi.
-- Secrets (tokens, codes, session ids, client secrets) are kept only as
-- SHA-256 digests (bytea); passwords only as Argon2id PHC strings.

CREATE TABLE users (
	id		bigserial PRIMARY KEY,
	username	text NOT NULL UNIQUE CHECK (length(username) BETWEEN 1 AND 64),
	password_hash	text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
	nickname	text NOT NULL DEFAULT '',
	avatar		text NOT NULL DEFAULT '',
	gender		text NOT NULL DEFAULT '男' CHECK (gender IN ('男', '女')),
	created_at	timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE scopes (
	name		text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9_.:-]{1,64}$'),
	description	text NOT NULL,
	description_en	text NOT NULL DEFAULT ''
);

CREATE TABLE clients (
	id		text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 128),
	name		text NOT NULL,
	secret_hash	bytea,			-- NULL: public client
	website		text NOT NULL DEFAULT '',
	owner		text NOT NULL DEFAULT 'default',
	grants		text[] NOT NULL,
	scopes		text[] NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE client_redirect_uris (
	client_id	text NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
	uri		text NOT NULL,
	PRIMARY KEY (client_id, uri)
);

-- One family per authorization (a code, a password or client_credentials
-- grant): every access and refresh token descending from it shares it.
CREATE SEQUENCE token_families;

CREATE TABLE auth_codes (
	code_hash	bytea PRIMARY KEY,
	family_id	bigint NOT NULL DEFAULT nextval('token_families'),
	client_id	text NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
	user_id		bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	redirect_uri	text,			-- as sent to authorize; NULL if omitted
	scope		text NOT NULL,
	code_challenge	text,
	challenge_method text,
	expires_at	timestamptz NOT NULL,
	used_at		timestamptz
);

CREATE TABLE tokens (
	token_hash	bytea PRIMARY KEY,
	kind		char(1) NOT NULL CHECK (kind IN ('a', 'r')),
	family_id	bigint NOT NULL,
	client_id	text NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
	user_id		bigint REFERENCES users(id) ON DELETE CASCADE,
	scope		text NOT NULL,
	expires_at	timestamptz NOT NULL,
	revoked_at	timestamptz,
	rotated		boolean NOT NULL DEFAULT false,
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tokens_family ON tokens (family_id);
CREATE INDEX tokens_user_client ON tokens (user_id, client_id);
CREATE INDEX tokens_expires ON tokens (expires_at);

CREATE TABLE consents (
	user_id		bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	client_id	text NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
	scopes		text[] NOT NULL,
	granted_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, client_id)
);

CREATE TABLE sessions (
	session_hash	bytea PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed logins and client authentications, per username, client or
-- address; counted over a sliding window.
CREATE TABLE auth_failures (
	key		text NOT NULL,
	at		timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX auth_failures_key_at ON auth_failures (key, at);
