/* purge.c: expired rows deleted in short batches (oauthctl purge, /admin/) */
#include <stdio.h>
#include <stdlib.h>

#include "purge.h"

/*
 * Expired rows go in short transactions: each DELETE walks PURGE_BLOCKS
 * heap pages of its table by ctid (a TID range scan, no index needed:
 * tokens has none on expires_at, to keep its inserts cheap), so a batch
 * holds its row locks for milliseconds, the WAL it writes is cut into
 * small commits a standby applies as they come, and the whole run reads
 * each page once. Rows that expire behind the walk wait for the next run.
 * bench/purge measures it against one DELETE and against tokens
 * partitioned by expiry (bench/README.md).
 */
#define PURGE_BLOCKS	2048	/* 16 MB of heap per transaction */

#define PURGE_WALK(table, cond) \
	"DELETE FROM " table " WHERE ctid >= $1::tid AND ctid < $2::tid" \
	" AND " cond, 2, 0

static struct stmt walks[] = {
	{ "purge_codes", PURGE_WALK("auth_codes", "expires_at < now()") },
	{ "purge_tokens", PURGE_WALK("tokens", "expires_at < now()") },
	{ "purge_sessions", PURGE_WALK("sessions", "expires_at < now()") },
	{ "purge_failures",
	    PURGE_WALK("auth_failures", "at < now() - interval '1 day'") },
	{ "purge_jwt_revocations",	/* schema/011 */
	    PURGE_WALK("jwt_revocations", "expires_at < now()") },
};

static const char *const tables[] = {
	"auth_codes", "tokens", "sessions", "auth_failures", "jwt_revocations",
};

static struct stmt blocks_of = { "purge_blocks",
	"SELECT pg_relation_size($1::regclass) /"
	" current_setting('block_size')::bigint", 1, 0 };

/*
 * One anti-join (a hash of the tokens' families, spilled to disk if need
 * be; NOT IN would rescan tokens for every family once the set outgrows
 * work_mem). Its row locks are on families nothing reads. One statement
 * that reads all of tokens, so its transaction lifts the time limit.
 */
static struct stmt families = { "purge_families",
	"DELETE FROM families f WHERE created_at < now() - interval '1 hour'"
	" AND NOT EXISTS (SELECT 1 FROM tokens t WHERE t.family_id = f.id)",
	0, 0 };

/* The rows a DELETE changed, or -1 when it failed; res is cleared. */
static long
purge_count(PGresult *res)
{
	long	n;

	if (res == NULL)
		return -1;
	n = strtol(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return n;
}

static long
purge_walk(struct db *db, size_t t)
{
	const char	*params[2];
	char		 from[32], to[32];
	PGresult	*res;
	long		 blocks, b, n, total = 0;

	params[0] = tables[t];
	if ((res = db_exec(db, &blocks_of, params)) == NULL)
		return -1;
	blocks = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	params[0] = from;
	params[1] = to;
	for (b = 0; b < blocks; b += PURGE_BLOCKS) {
		snprintf(from, sizeof(from), "(%ld,0)", b);
		snprintf(to, sizeof(to), "(%ld,0)", b + PURGE_BLOCKS);
		if ((n = purge_count(db_exec(db, &walks[t], params))) < 0)
			return -1;
		total += n;
	}
	return total;
}

static int
purge_plain(struct db *db, const char *sql)
{
	PGresult	*res;

	if ((res = db_exec_plain(db, sql)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}

long
purge_expired(struct db *db)
{
	enum db_state	st;
	size_t		t;
	long		n, total = 0;

	for (t = 0; t < sizeof(walks) / sizeof(walks[0]); t++) {
		if ((n = purge_walk(db, t)) < 0)
			return -1;
		total += n;
	}
	if (purge_plain(db, "BEGIN") ||
	    purge_plain(db, "SET LOCAL statement_timeout = 0") ||
	    (n = purge_count(db_exec(db, &families, NULL))) < 0 ||
	    purge_plain(db, "COMMIT")) {
		st = db->state;
		purge_plain(db, "ROLLBACK");
		db->state = st;
		return -1;
	}
	return total + n;
}
