/* ctl_user.c: oauthctl user add | passwd | delete | admin */
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "password.h"
#include "store.h"

static char *
read_password(struct ctl *c)
{
	char	*pw = ctl_read_line(c);

	if (pw == NULL || *pw == '\0') {
		ctl_fail("give the password as one line on stdin");
		return NULL;
	}
	if (!str_is_utf8(str_c(pw))) {
		ctl_fail("the password is not valid UTF-8");
		return NULL;
	}
	return password_hash(&c->a, str_c(pw));
}

/* The options of user add, with their defaults. */
struct user_opts {
	const char	*nick, *avatar, *gender, *email, *verified;
	int		 admin;
};

static int
user_opts(int argc, char **argv, struct user_opts *o)
{
	int	i;

	for (i = 3; i < argc; i++) {
		const char **dst;

		if (strcmp(argv[i], "--admin") == 0) {
			o->admin = 1;
			continue;
		}
		if (strcmp(argv[i], "--email-verified") == 0) {
			o->verified = "true";
			continue;
		}
		if (strcmp(argv[i], "--email") == 0)
			dst = &o->email;
		else if (strcmp(argv[i], "--nickname") == 0)
			dst = &o->nick;
		else if (strcmp(argv[i], "--avatar") == 0)
			dst = &o->avatar;
		else if (strcmp(argv[i], "--gender") == 0)
			dst = &o->gender;
		else
			return ctl_fail("unknown option %s", argv[i]);
		if ((*dst = ctl_optarg(argc, argv, &i)) == NULL)
			return ctl_fail("%s needs a value", argv[i]);
	}
	return 0;
}

static int
user_add(struct ctl *c, int argc, char **argv)
{
	struct user_opts o = { "", "", "男", "", "false", 0 };
	const char	*params[8], *email;
	char		*phc;

	if (argc < 3)
		return ctl_fail("usage: user add NAME [--nickname N] "
		    "[--avatar URL] [--gender 男|女] [--email ADDR "
		    "[--email-verified]] [--admin]");
	if (user_opts(argc, argv, &o))
		return 1;
	email = o.email;
	if (strcmp(o.gender, "男") != 0 && strcmp(o.gender, "女") != 0)
		return ctl_fail("--gender must be 男 or 女");
	if (!str_is_utf8(str_c(argv[2])) || !str_is_utf8(str_c(o.nick)) ||
	    !str_is_utf8(str_c(o.avatar)))
		return ctl_fail("names must be valid UTF-8");
	if (*argv[2] == '\0' || str_utf8_len(str_c(argv[2])) > USERNAME_MAX)
		return ctl_fail("the username must be 1 to %d characters",
		    USERNAME_MAX);
	/* A plain check: one @, something on each side, no space. */
	if (*email && (strchr(email, '@') == NULL || *email == '@' ||
	    strchr(email, '@')[1] == '\0' || strchr(email, '@') !=
	    strrchr(email, '@') || strpbrk(email, " \t\r\n<>\"") != NULL ||
	    !str_is_utf8(str_c(email)) || strlen(email) > 254))
		return ctl_fail("bad --email %s", email);
	if ((phc = read_password(c)) == NULL)
		return 1;
	params[0] = argv[2];
	params[1] = phc;
	params[2] = *o.nick ? o.nick : argv[2];
	params[3] = o.avatar;
	params[4] = o.gender;
	params[5] = email;
	params[6] = o.verified;
	params[7] = o.admin ? "true" : "false";
	return ctl_do(c, "INSERT INTO users (username, password_hash, nickname,"
	    " avatar, gender, email, email_verified, is_admin) VALUES ($1, $2,"
	    " $3, $4, $5, $6, $7, $8)", 8, params) ? 1 : 0;
}

static int
user_change(struct ctl *c, const char *sql, int n, const char *const *params)
{
	PGresult	*res = ctl_sql(c, sql, n, params);
	int		 rc = 0;

	if (res == NULL)
		return 1;
	if (strcmp(PQcmdTuples(res), "0") == 0)
		rc = ctl_fail("no user %s", params[0]);
	PQclear(res);
	return rc;
}

int
ctl_user(struct ctl *c, int argc, char **argv)
{
	const char	*params[2];

	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return user_add(c, argc, argv);
	if (argc == 4 && strcmp(argv[1], "admin") == 0) {
		if (strcmp(argv[3], "on") != 0 && strcmp(argv[3], "off") != 0)
			return ctl_fail("usage: user admin NAME on|off");
		params[0] = argv[2];
		params[1] = strcmp(argv[3], "on") == 0 ? "true" : "false";
		return user_change(c, "UPDATE users SET is_admin = $2"
		    " WHERE username = $1", 2, params);
	}
	if (argc != 3)
		return ctl_fail("usage: user add|passwd|delete NAME, "
		    "user admin NAME on|off");
	params[0] = argv[2];
	if (strcmp(argv[1], "delete") == 0)
		return user_change(c, "DELETE FROM users WHERE username = $1",
		    1, params);
	if (strcmp(argv[1], "passwd") == 0) {
		if ((params[1] = read_password(c)) == NULL)
			return 1;
		/* A new password ends every session of the user. */
		if (user_change(c, "UPDATE users SET password_hash = $2"
		    " WHERE username = $1", 2, params))
			return 1;
		return ctl_do(c, "DELETE FROM sessions WHERE user_id ="
		    " (SELECT id FROM users WHERE username = $1)", 1,
		    params) ? 1 : 0;
	}
	return ctl_fail("unknown user command %s", argv[1]);
}
