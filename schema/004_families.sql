-- 004_families.sql: revoke a whole authorization with one row.
-- Until now a family (every token descending from one authorization) was
-- revoked by updating each of its tokens, which needed two more indexes
-- on tokens (family, client+user) and made every token insert maintain
-- three. Now an authorization that has a user owns a row here; revoking
-- the family or a user's grant to a client marks that row, and a token
-- is dead if it or its family is revoked. tokens keeps its primary key
-- only. (client_credentials tokens have no user and no family row.)

CREATE TABLE families (
	id		bigint PRIMARY KEY,
	client_id	text NOT NULL,
	user_id		bigint NOT NULL,
	revoked_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX families_client_user ON families (client_id, user_id);

INSERT INTO families (id, client_id, user_id, revoked_at)
	SELECT family_id, min(client_id), min(user_id),
	    CASE WHEN bool_and(revoked_at IS NOT NULL) THEN now() END
	FROM tokens WHERE user_id IS NOT NULL GROUP BY family_id;

DROP INDEX tokens_family;
DROP INDEX tokens_client_user;

-- Deleting a client or a user scans tokens once: an administrator's
-- operation, not a request's.
CREATE OR REPLACE FUNCTION oauth_client_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM tokens WHERE client_id = OLD.id;
	DELETE FROM families WHERE client_id = OLD.id;
	DELETE FROM auth_codes WHERE client_id = OLD.id;
	RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION oauth_user_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM tokens WHERE user_id = OLD.id;
	DELETE FROM families WHERE user_id = OLD.id;
	DELETE FROM auth_codes WHERE user_id = OLD.id;
	RETURN NULL;
END
$$;
