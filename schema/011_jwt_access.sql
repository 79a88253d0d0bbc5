-- 011_jwt_access.sql: JWT access tokens (RFC 9068) per client, their
-- revocation, and the change notices that keep each worker's in-memory
-- client cache (common/client_cache.c) current.

-- opaque: a random token kept as a row (as before); jwt: a signed
-- RFC 9068 token of access_token_alg.
ALTER TABLE clients ADD COLUMN access_token_format text NOT NULL
	DEFAULT 'opaque' CHECK (access_token_format IN ('opaque', 'jwt'));
ALTER TABLE clients ADD COLUMN access_token_alg text NOT NULL
	DEFAULT 'ES256' CHECK (access_token_alg IN ('RS256', 'ES256'));

-- Revoked JWT access tokens (RFC 7009) by jti, kept until they expire
-- (`oauthctl purge` removes the rest). Tokens of a user's grant also
-- have a row in tokens, whose family revocation covers them.
CREATE TABLE jwt_revocations (
	jti		text PRIMARY KEY,
	client_id	text NOT NULL,
	expires_at	timestamptz NOT NULL
);

-- Any change to a client or a signing key tells every listening worker
-- to drop what it cached (pg_notify is sent at commit).
CREATE FUNCTION oauth_cache_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('oauth_cache', TG_TABLE_NAME);
	RETURN NULL;
END
$$;
CREATE TRIGGER clients_cache_notify
	AFTER INSERT OR UPDATE OR DELETE ON clients
	FOR EACH STATEMENT EXECUTE FUNCTION oauth_cache_notify();
CREATE TRIGGER signing_keys_cache_notify
	AFTER INSERT OR UPDATE OR DELETE ON signing_keys
	FOR EACH STATEMENT EXECUTE FUNCTION oauth_cache_notify();
