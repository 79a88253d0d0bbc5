/* store_user.h: the user row, for the store files that read one */
#ifndef STORE_USER_H
#define STORE_USER_H

#include "db.h"
#include "store.h"

/* The user columns, in the order store_user_load reads them. */
#define USER_COLS \
	"u.id, u.username, u.password_hash, u.nickname, u.avatar, u.gender"

/*
 * Run s (one text parameter) whose row is USER_COLS of a "users u" and
 * load it into *u. 0 found, 1 absent, -1 database failure.
 */
int		store_user_load(struct db *, struct arena *, struct stmt *s,
		    const char *param, struct user *u);
/* USER_COLS from columns col .. col+5 of row 0 into *u. */
void		store_user_row(struct arena *, PGresult *, int col,
		    struct user *u);

#endif
