-- 008_resource_servers.sql: clients that may introspect other clients'
-- tokens.  A resource server (an API, or a gateway such as Apache's
-- mod_oauth2 in front of one) authenticates as its own confidential
-- client and asks about the access tokens that callers present to it;
-- those were issued to other clients.  resource_scopes, when set, limits
-- it to tokens that carry at least one of those scopes.
ALTER TABLE clients ADD COLUMN resource_server boolean NOT NULL DEFAULT false;
ALTER TABLE clients ADD COLUMN resource_scopes text[];	-- NULL: any scope
ALTER TABLE clients ADD CONSTRAINT clients_resource_server_confidential
	CHECK (NOT resource_server OR secret_hash IS NOT NULL);
