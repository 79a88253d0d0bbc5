/* migrate.c: numbered schema migrations, applied in order, recorded */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "migrate.h"

static struct stmt migration_done = { "migration_done",
	"SELECT 1 FROM schema_migrations WHERE version = $1", 1, 0 };
static struct stmt migration_record = { "migration_record",
	"INSERT INTO schema_migrations (version) VALUES ($1)", 1, 0 };

static int
plain(struct db *db, const char *sql)
{
	PGresult	*res;

	if ((res = db_exec_plain(db, sql)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}

static int
applied(struct db *db, const char *version)
{
	const char	*params[1] = { version };
	PGresult	*res;
	int		 rc;

	if ((res = db_exec(db, &migration_done, params)) == NULL)
		return -1;
	rc = PQntuples(res) > 0;
	PQclear(res);
	return rc;
}

int
migrate_run(struct db *db, char *err, size_t errlen)
{
	const struct migration	*m;
	const char		*params[1];
	PGresult		*res;
	int			 n = 0, done;

	if (plain(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    "version text PRIMARY KEY, applied_at timestamptz NOT NULL "
	    "DEFAULT now())") ||
	    plain(db, "SELECT pg_advisory_lock(724011)"))
		goto fail;
	for (m = migrations; m->version != NULL; m++) {
		if ((done = applied(db, m->version)) == -1)
			goto fail;
		if (done)
			continue;
		params[0] = m->version;
		if (plain(db, "BEGIN") || plain(db, m->sql)) {
			snprintf(err, errlen, "migration %s failed: %s",
			    m->version, db->conn ? PQerrorMessage(db->conn) :
			    "no connection");
			err[strcspn(err, "\n")] = '\0';
			plain(db, "ROLLBACK");
			goto unlock;
		}
		if ((res = db_exec(db, &migration_record, params)) == NULL)
			goto fail;
		PQclear(res);
		if (plain(db, "COMMIT"))
			goto fail;
		n++;
	}
	plain(db, "SELECT pg_advisory_unlock(724011)");
	return n;
fail:
	snprintf(err, errlen, "database: %s", db->conn ?
	    PQerrorMessage(db->conn) : "cannot connect");
	err[strcspn(err, "\n")] = '\0';
unlock:
	plain(db, "SELECT pg_advisory_unlock(724011)");
	return -1;
}
