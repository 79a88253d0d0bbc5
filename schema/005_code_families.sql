-- 005_code_families.sql: from now on a code's family row is made with the
-- code, not at redemption; give the codes already issued theirs.
INSERT INTO families (id, client_id, user_id)
	SELECT family_id, client_id, user_id FROM auth_codes
	ON CONFLICT (id) DO NOTHING;
