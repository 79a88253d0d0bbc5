-- 003_hot_updates.sql: room on every page for the one update a token or
-- code gets (revoked/used), so that it is a HOT update that touches no
-- index.
ALTER TABLE tokens SET (fillfactor = 80);
ALTER TABLE auth_codes SET (fillfactor = 80);
