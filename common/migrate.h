/* migrate.h: numbered schema migrations, applied in order, recorded */
#ifndef MIGRATE_H
#define MIGRATE_H

#include <stddef.h>

struct db;

struct migration {
	const char	*version;	/* "001_init" */
	const char	*sql;
};

/* The schema/NNN_name.sql files compiled in, ending with { NULL, NULL }. */
extern const struct migration	migrations[];

/*
 * Apply every migration not yet in schema_migrations, each in its own
 * transaction, under an advisory lock. Returns the number applied, or -1
 * with a one-line reason in err.
 */
int	migrate_run(struct db *, char *err, size_t errlen);

#endif
