/* db.h: one persistent libpq connection, prepared statements, reconnect */
#ifndef DB_H
#define DB_H

#include <libpq-fe.h>

enum db_state {
	DB_OK = 0,
	DB_DOWN,	/* cannot reach the database: answer 503 */
	DB_ERROR	/* the statement failed: answer 500 */
};

struct db {
	PGconn		*conn;
	const char	*dsn;
	unsigned	 gen;		/* new at every (re)connect, unique
					   among the process's connections */
	enum db_state	 state;		/* of the last call */
	char		 sqlstate[6];	/* of the last failure, or "" */
	int		 unnamed;	/* unnamed statements, no startup options
					   (PgBouncer in transaction pooling) */
	int		 remote_apply;	/* every commit waits for the standbys
					   to apply it (oauthctl) */
};

/*
 * A statement, prepared lazily once per connection (or sent unnamed with
 * its parameters at every call when db->unnamed). Static storage.
 */
struct stmt {
	const char	*name;
	const char	*sql;
	int		 nparams;
	unsigned	 gen;		/* connection generation it was prepared on */
};

/* Remember the conninfo; no connection is made yet. */
void		 db_init(struct db *, const char *dsn);

/*
 * Run a prepared statement with text parameters (NULL for SQL NULL).
 * Connects or reconnects as needed, prepares s on this connection if it
 * is new, and retries once when the connection died since the last call.
 * Returns a result the caller must PQclear, or NULL with db->state set.
 */
PGresult	*db_exec(struct db *, struct stmt *s, const char *const *params);

/* Run a plain statement without parameters (BEGIN, COMMIT, migrations). */
PGresult	*db_exec_plain(struct db *, const char *sql);

/* Close the connection. */
void		 db_close(struct db *);

#endif
