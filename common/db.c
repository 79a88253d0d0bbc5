/* db.c: one persistent libpq connection, prepared statements, reconnect */
#include <stdio.h>
#include <string.h>

#include "db.h"

void
db_init(struct db *db, const char *dsn)
{
	memset(db, 0, sizeof(*db));
	db->dsn = dsn;
}

/* Connection generations, shared by the primary's and the replica's. */
static unsigned	generation;

static int
db_connect(struct db *db)
{
	/*
	 * connect_timeout and the options come first so that the conninfo
	 * may override them (later keywords win). Every statement is a
	 * primary-key or index lookup whose plan never depends on the
	 * values: plan once per connection, not once per request.
	 * PgBouncer refuses the options startup parameter: unnamed mode
	 * sends none (the role's settings give the timeouts there).
	 */
	const char *const	keys[] = { "connect_timeout", "options",
	    "dbname", NULL };
	const char		*vals[] = { "3",
	    "-c statement_timeout=5000 -c idle_in_transaction_session_timeout=10000"
	    " -c plan_cache_mode=force_generic_plan",
	    db->dsn, NULL };

	if (db->remote_apply)
		vals[1] = "-c statement_timeout=5000"
		    " -c idle_in_transaction_session_timeout=10000"
		    " -c synchronous_commit=remote_apply";
	if (db->unnamed)
		vals[1] = "";

	if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK)
		return 0;
	if (db->conn != NULL)
		PQfinish(db->conn);
	db->conn = PQconnectdbParams(keys, vals, 1);
	db->gen = ++generation;
	if (PQstatus(db->conn) != CONNECTION_OK) {
		fprintf(stderr, "database: %s", PQerrorMessage(db->conn));
		PQfinish(db->conn);
		db->conn = NULL;
		db->state = DB_DOWN;
		return -1;
	}
	return 0;
}

static int
result_ok(PGresult *res)
{
	ExecStatusType	st = PQresultStatus(res);

	return st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK;
}

static int
already_prepared(PGresult *res)
{
	const char	*ss = PQresultErrorField(res, PG_DIAG_SQLSTATE);

	return ss != NULL && strcmp(ss, "42P05") == 0;
}

static void
note_failure(struct db *db, PGresult *res)
{
	const char	*ss = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	snprintf(db->sqlstate, sizeof(db->sqlstate), "%s", ss ? ss : "");
	/*
	 * No SQLSTATE means libpq raised the error itself: after a server
	 * crash it reports "server closed the connection unexpectedly" while
	 * PQstatus still says CONNECTION_OK.
	 */
	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK ||
	    db->sqlstate[0] == '\0' || strncmp(db->sqlstate, "08", 2) == 0 ||
	    strncmp(db->sqlstate, "57P", 3) == 0 ||
	    strcmp(db->sqlstate, "25006") == 0) {
		/*
		 * Lost connection, shutdown, or a server turned read-only:
		 * drop the connection so the next call starts afresh.
		 */
		db->state = DB_DOWN;
		if (db->conn != NULL)
			PQfinish(db->conn);
		db->conn = NULL;
		return;
	}
	db->state = DB_ERROR;
	fprintf(stderr, "database: SQLSTATE %s: %s", db->sqlstate,
	    db->conn ? PQerrorMessage(db->conn) : "\n");
}

static PGresult *
exec_once(struct db *db, struct stmt *s, const char *const *params)
{
	PGresult	*res;

	if (db_connect(db))
		return NULL;
	if (db->unnamed) {
		/* Parse, bind and execute in one round trip, as prepared. */
		res = PQexecParams(db->conn, s->sql, s->nparams, NULL, params,
		    NULL, NULL, 0);
		goto done;
	}
	if (s->gen != db->gen) {
		/*
		 * A statement last prepared on the other connection (primary
		 * or replica) may exist here already: a name is one text.
		 */
		res = PQprepare(db->conn, s->name, s->sql, s->nparams, NULL);
		if (!result_ok(res) && !already_prepared(res)) {
			note_failure(db, res);
			PQclear(res);
			return NULL;
		}
		PQclear(res);
		s->gen = db->gen;
	}
	res = PQexecPrepared(db->conn, s->name, s->nparams, params, NULL,
	    NULL, 0);
done:
	if (!result_ok(res)) {
		note_failure(db, res);
		PQclear(res);
		return NULL;
	}
	db->state = DB_OK;
	db->sqlstate[0] = '\0';
	return res;
}

PGresult *
db_exec(struct db *db, struct stmt *s, const char *const *params)
{
	PGresult	*res;
	int		 had_conn = db->conn != NULL;

	if ((res = exec_once(db, s, params)) != NULL)
		return res;
	/*
	 * A connection that was fine at the last request may have died
	 * with a database restart since; try once on a fresh one.
	 */
	if (had_conn && db->state == DB_DOWN)
		res = exec_once(db, s, params);
	return res;
}

PGresult *
db_exec_plain(struct db *db, const char *sql)
{
	PGresult	*res;

	if (db_connect(db))
		return NULL;
	res = PQexec(db->conn, sql);
	if (!result_ok(res)) {
		note_failure(db, res);
		PQclear(res);
		return NULL;
	}
	db->state = DB_OK;
	return res;
}

void
db_close(struct db *db)
{
	if (db->conn != NULL)
		PQfinish(db->conn);
	db->conn = NULL;
}
