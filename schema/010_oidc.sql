-- 010_oidc.sql: OpenID Connect: signing keys, nonce and auth_time with
-- each code, the client's id_token algorithm and post-logout redirect
-- URIs, the user's email.

-- id_token signing keys, shared by every web node through the database.
-- The private key is stored only encrypted (AES-256-GCM under a key
-- derived from the server secret, common/jwk.c), so a dump of the
-- database holds no usable private key; public_jwk is what the JWKS
-- publishes. state: 'active' (the newest active key of an algorithm
-- signs), 'rotated' (still published, signs nothing new), 'retired'
-- (gone from the JWKS).
CREATE TABLE signing_keys (
	kid		text PRIMARY KEY,
	alg		text NOT NULL CHECK (alg IN ('RS256', 'ES256')),
	state		text NOT NULL DEFAULT 'active'
			    CHECK (state IN ('active', 'rotated', 'retired')),
	public_jwk	text NOT NULL,
	private_enc	bytea NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	rotated_at	timestamptz,
	retired_at	timestamptz
);
-- One key of each algorithm signs: the token statements find it with
-- one probe of this index.
CREATE UNIQUE INDEX signing_keys_active ON signing_keys (alg)
	WHERE state = 'active';

ALTER TABLE clients ADD COLUMN id_token_alg text NOT NULL DEFAULT 'RS256'
	CHECK (id_token_alg IN ('RS256', 'ES256'));

CREATE TABLE client_post_logout_uris (
	client_id	text NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
	uri		text NOT NULL,
	PRIMARY KEY (client_id, uri)
);

-- When the user logged in (the session's start) travels with the code
-- and stays with its family, for auth_time in every id_token of it.
ALTER TABLE auth_codes ADD COLUMN nonce text;
ALTER TABLE auth_codes ADD COLUMN auth_time timestamptz;
ALTER TABLE families ADD COLUMN auth_time timestamptz;

ALTER TABLE users ADD COLUMN email text NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN email_verified boolean NOT NULL DEFAULT false;
ALTER TABLE users ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
