-- 002_token_writes.sql: cheaper token and code writes.
-- A foreign key on the hot insert paths makes every token or code insert
-- check and lock (FOR KEY SHARE) the same clients and users rows; under
-- load that is most of the statement's cost. Deleting a client or a user
-- still removes its codes and tokens, now by trigger.

ALTER TABLE tokens DROP CONSTRAINT tokens_client_id_fkey;
ALTER TABLE tokens DROP CONSTRAINT tokens_user_id_fkey;
ALTER TABLE auth_codes DROP CONSTRAINT auth_codes_client_id_fkey;
ALTER TABLE auth_codes DROP CONSTRAINT auth_codes_user_id_fkey;

CREATE FUNCTION oauth_client_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM tokens WHERE client_id = OLD.id;
	DELETE FROM auth_codes WHERE client_id = OLD.id;
	RETURN NULL;
END
$$;

CREATE FUNCTION oauth_user_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM tokens WHERE user_id = OLD.id;
	DELETE FROM auth_codes WHERE user_id = OLD.id;
	RETURN NULL;
END
$$;

CREATE TRIGGER clients_cascade AFTER DELETE ON clients
	FOR EACH ROW EXECUTE FUNCTION oauth_client_deleted();
CREATE TRIGGER users_cascade AFTER DELETE ON users
	FOR EACH ROW EXECUTE FUNCTION oauth_user_deleted();

-- Revoking a user's grant looks up (client, user); deleting a client
-- looks up the client alone: one index in that order serves both.
-- (Codes live ten minutes and are purged: their rare deletes may scan.)
DROP INDEX tokens_user_client;
CREATE INDEX tokens_client_user ON tokens (client_id, user_id);

-- Only `oauthctl purge` reads expiry in bulk; a sequential scan there is
-- cheaper than one more index on every insert.
DROP INDEX tokens_expires;
