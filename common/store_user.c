/* store_user.c: users and their profiles */
#include <stdio.h>
#include <string.h>

#include "store.h"
#include "store_user.h"
#include "store_util.h"

static struct stmt user_by_name = { "user_by_name",
	"SELECT " USER_COLS " FROM users u WHERE username = $1"
	" AND NOT u.disabled", 1, 0 };
static struct stmt user_set_password = { "user_set_password",
	"UPDATE users SET password_hash = $2 WHERE id = $1", 2, 0 };

int
store_user_load(struct db *db, struct arena *a, struct stmt *s,
    const char *param, struct user *u)
{
	const char	*params[1] = { param };
	PGresult	*res;
	int		 rc = 1;

	if ((res = db_exec(db, s, params)) == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		store_user_row(a, res, 0, u);
		rc = 0;
	}
	PQclear(res);
	return rc;
}

void
store_user_row(struct arena *a, PGresult *res, int col, struct user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = store_long(res, 0, col);
	u->username = store_cell(a, res, 0, col + 1);
	u->password_hash = store_cell(a, res, 0, col + 2);
	u->nickname = store_cell(a, res, 0, col + 3);
	u->avatar = store_cell(a, res, 0, col + 4);
	u->gender = store_cell(a, res, 0, col + 5);
}

int
store_user_by_name(struct db *db, struct arena *a, struct str name,
    struct user *u)
{
	/* The schema counts characters; a longer name cannot exist. */
	if (name.n == 0 || name.n > USERNAME_MAX * 4 ||
	    str_utf8_len(name) > USERNAME_MAX)
		return 1;
	return store_user_load(db, a, &user_by_name, str_dup(a, name), u);
}

int
store_user_set_password(struct db *db, long id, const char *phc)
{
	char		 buf[24];
	const char	*params[2] = { store_num(buf, sizeof(buf), id), phc };

	return store_run(db, &user_set_password, params);
}
