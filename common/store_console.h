/* store_console.h: the statements of the installer and the consoles */
#ifndef STORE_CONSOLE_H
#define STORE_CONSOLE_H

#include "fcgi_loop.h"

/* Statements of the consoles (store_console.c), run with store_console_q. */
enum cq {
	CQ_SESSION,		/* $1 session hash: user, is_admin, auth age */
	CQ_REAUTHED,		/* $1 session hash: password given now */
	CQ_AUDIT_ADD,		/* actor, action, target, detail, address */
	CQ_AUDIT_LIST,
	CQ_ADMIN_EXISTS,
	CQ_SETUP_LOCK,
	CQ_SETUP_ADMIN,		/* username, password hash */
	CQ_SCOPE_SEED,		/* name, description, description_en */
	CQ_SCOPE_LIST,
	CQ_CLIENT_LIST,
	CQ_CLIENT_ONE,		/* id, owner user id (NULL: any client) */
	CQ_CLIENT_ADD,
	CQ_CLIENT_EDIT,		/* id, name, website, grants, scopes */
	CQ_CLIENT_APP_EDIT,	/* id, owner, name, website, description,
				   icon, icp */
	CQ_CLIENT_URIS_CLEAR,	/* id */
	CQ_CLIENT_URIS_ADD,	/* id, newline-separated URIs */
	CQ_CLIENT_SECRET,	/* id, secret digest, owner (NULL: any) */
	CQ_CLIENT_DELETE,	/* id, owner (NULL: any) */
	CQ_CLIENT_STATUS,	/* id, status */
	CQ_CLIENT_REVOKE_ALL,	/* id */
	CQ_CLIENT_REVOKE_CC,	/* id */
	CQ_APP_LIST,		/* owner user id */
	CQ_APP_COUNT,		/* owner user id */
	CQ_USER_LIST,
	CQ_USER_ADD,		/* username, password hash */
	CQ_USER_PASSWORD,	/* username, password hash */
	CQ_USER_DISABLE,	/* username, on, acting admin's id */
	CQ_USER_SESSIONS_END,	/* username */
	CQ_USER_REVOKE_ALL,	/* username */
	CQ_USER_DELETE,		/* username, acting admin's id */
	CQ_SCOPE_SET,		/* name, description, description_en */
	CQ__N
};

/*
 * Run statement q with text parameters (NULL for SQL NULL). Returns the
 * result for the caller to PQclear, or NULL with c->db.state set.
 */
PGresult	*store_console_q(struct ctx *, enum cq q,
		    const char *const *params);

/* Run q, drop the result: the rows it changed, or -1. */
long		 store_console_do(struct ctx *, enum cq q,
		    const char *const *params);

#endif
