-- 007_owner_website.sql: a client's owner only when it was given, and
-- only http(s) websites.
-- Clients registered without --owner all shared the owner 'default', so
-- unrelated sites got the same unionid for a user. A unionid is now
-- answered only for clients whose owner was set; the shared default
-- becomes "no owner".
ALTER TABLE clients ALTER COLUMN owner DROP NOT NULL,
	ALTER COLUMN owner DROP DEFAULT;
UPDATE clients SET owner = NULL WHERE owner = 'default';
-- A website is shown as a link on the consent and grants pages: only
-- absolute http and https URLs (oauthctl checks new ones the same way).
UPDATE clients SET website = ''
	WHERE website <> '' AND website !~* '^https?://[^/?#@[:space:][:cntrl:]]+([/?#][^[:space:][:cntrl:]]*)?$';
