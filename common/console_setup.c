/* console_setup.c: /admin/setup, the web installer */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "console.h"
#include "console_setup.h"
#include "crypto.h"
#include "csrf.h"
#include "login.h"
#include "migrate.h"
#include "page.h"
#include "password.h"
#include "session.h"
#include "store_util.h"

/* The scopes of SPEC, seeded by the installer. */
static const char *const seed_scopes[][3] = {
	{ "get_user_info", "获得您的昵称、头像、性别",
	    "your nickname, avatar and gender" },
	{ "list_album", "获取您的相册列表", "your photo albums" },
};

static void
setup_page(struct ctx *c, int status, const char *msg, struct str name)
{
	struct tvars	*v = tvars_new(&c->a, NULL);

	tvars_set(v, "username", name);
	if (msg != NULL)
		tvars_setc(v, msg, "1");
	if (status == 429)
		resp_header(&c->resp, "Retry-After", STR_LIT("300"));
	page_render(c, status, "setup", v);
}

/* 1 when an administrator exists, 0 when not (or no schema yet), -1. */
static int
installed(struct ctx *c)
{
	PGresult	*res;
	int		 yes;

	if ((res = store_console_q(c, CQ_ADMIN_EXISTS, NULL)) == NULL)
		return c->db.state == DB_DOWN ? -1 : 0;
	yes = store_bool(res, 0, 0);
	PQclear(res);
	return yes;
}

/* Make the secret key file when absent, then load it. 0 or -1. */
static int
setup_key_file(struct ctx *c)
{
	unsigned char	key[64];
	char		err[512];
	ssize_t		w;
	int		fd;

	fd = open(c->cfg.secret_key_file, O_WRONLY | O_CREAT | O_EXCL |
	    O_CLOEXEC, 0640);
	if (fd == -1 && errno != EEXIST) {
		fprintf(stderr, "admin: cannot create %s: %s\n",
		    c->cfg.secret_key_file, strerror(errno));
		return -1;
	}
	if (fd != -1) {
		crypto_random(key, sizeof(key));
		w = write(fd, key, sizeof(key));
		explicit_bzero(key, sizeof(key));
		if (close(fd) == -1 || w != (ssize_t)sizeof(key)) {
			fprintf(stderr, "admin: cannot write %s\n",
			    c->cfg.secret_key_file);
			unlink(c->cfg.secret_key_file);
			return -1;
		}
	}
	if (config_load_key(&c->cfg, err, sizeof(err))) {
		fprintf(stderr, "admin: %s\n", err);
		return -1;
	}
	return 0;
}

/* In one transaction under a lock: the first administrator, or none. */
static int
setup_admin(struct ctx *c, struct str name, const char *phc, long *made)
{
	const char	*params[2];
	PGresult	*res;
	size_t		 i;

	params[0] = str_dup(&c->a, name);
	params[1] = phc;
	if ((res = db_exec_plain(&c->db, "BEGIN")) == NULL)
		return -1;
	PQclear(res);
	if (store_console_do(c, CQ_SETUP_LOCK, NULL) < 0 ||
	    (*made = store_console_do(c, CQ_SETUP_ADMIN, params)) < 0)
		goto fail;
	for (i = 0; i < sizeof(seed_scopes) / sizeof(seed_scopes[0]); i++)
		if (store_console_do(c, CQ_SCOPE_SEED, seed_scopes[i]) < 0)
			goto fail;
	if ((res = db_exec_plain(&c->db, "COMMIT")) == NULL)
		goto fail;
	PQclear(res);
	return 0;
fail:
	if ((res = db_exec_plain(&c->db, "ROLLBACK")) != NULL)
		PQclear(res);
	return -1;
}

/*
 * What comes before the form is read: installed already (403), no setup
 * key in the configuration (403), a GET (the form), a cross-site POST.
 * 1 when answered.
 */
static int
setup_gate(struct ctx *c)
{
	int	rc;

	if ((rc = installed(c)) == -1) {
		page_db_failure(c);
		return 1;
	}
	if (rc == 1) {
		setup_page(c, 403, "err_installed", STR_NULL);
		return 1;
	}
	if (c->cfg.setup_key == NULL || strlen(c->cfg.setup_key) < 16) {
		setup_page(c, 403, "err_no_setup_key", STR_NULL);
		return 1;
	}
	if (!req_is(&c->req, "POST")) {
		setup_page(c, 200, NULL, STR_NULL);
		return 1;
	}
	if (csrf_cross_site(c)) {
		setup_page(c, 403, "err_csrf", STR_NULL);
		return 1;
	}
	return 0;
}

/*
 * The schema, then the setup key, counted and limited per address as
 * logins are. 0 to go on, 1 when answered.
 */
static int
setup_key_ok(struct ctx *c, struct str *name)
{
	struct str	 key = STR_NULL;
	char		 err[512], addr[2 + 64 + 1];
	long		 nu, na;

	/* The schema first: the failure counters live in it. */
	if (migrate_run(&c->db, err, sizeof(err)) < 0) {
		fprintf(stderr, "admin: %s\n", err);
		setup_page(c, c->db.state == DB_DOWN ? 503 : 500,
		    "err_database", STR_NULL);
		return 1;
	}
	snprintf(addr, sizeof(addr), "a:%.*s",
	    (int)(c->req.remote_addr.n > 64 ? 64 : c->req.remote_addr.n),
	    c->req.remote_addr.p);
	if (store_failures_count(&c->db, "s:setup", addr, LOGIN_FAIL_WINDOW,
	    &nu, &na)) {
		page_db_failure(c);
		return 1;
	}
	if (nu >= LOGIN_FAIL_MAX || na >= c->cfg.login_address_limit) {
		setup_page(c, 429, "err_throttled", STR_NULL);
		return 1;
	}
	req_param(&c->req, "username", name);
	if (req_param(&c->req, "setup_key", &key) == FORM_ONE &&
	    str_eq_ct(key, str_c(c->cfg.setup_key)))
		return 0;
	if (store_failure_add(&c->db, "s:setup", addr))
		page_db_failure(c);
	else
		setup_page(c, 403, "err_setup_key", *name);
	return 1;
}

void
console_setup(struct ctx *c)
{
	struct str	 name = STR_NULL, pw, pw2;
	struct user	 u;
	char		*phc;
	const char	*hash;
	long		 made;

	if (setup_gate(c) || setup_key_ok(c, &name))
		return;
	if (console_text(c, "username", USERNAME_MAX, 1, &name) ||
	    req_param(&c->req, "password", &pw) != FORM_ONE ||
	    req_param(&c->req, "password2", &pw2) != FORM_ONE ||
	    !str_eq(pw, pw2) || str_utf8_len(pw) < CONSOLE_PASSWORD_MIN) {
		setup_page(c, 400, "err_admin_form", name);
		return;
	}
	if (setup_key_file(c)) {
		setup_page(c, 500, "err_key_file", name);
		return;
	}
	if ((phc = password_hash(&c->a, pw)) == NULL ||
	    setup_admin(c, name, phc, &made)) {
		setup_page(c, c->db.state == DB_DOWN ? 503 : 400,
		    "err_admin_taken", name);
		return;
	}
	if (made == 0) {
		setup_page(c, 403, "err_installed", STR_NULL);
		return;
	}
	store_failures_clear(&c->db, "s:setup");
	if (store_user_by_name(&c->db, &c->a, name, &u) != 0 ||
	    console_audit(c, u.username.p, "setup", u.username,
	    STR_LIT("schema, secret key, scopes, first administrator")) ||
	    session_start(c, u.id, &hash)) {
		page_db_failure(c);
		return;
	}
	console_redirect(c, "/admin/");
}
