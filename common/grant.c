/* grant.c: the grant types a client may use (clients.grants) */
#include "grant.h"

static const struct {
	const char	*name;
	unsigned	 flag;
} grant_names[] = {
	{ "authorization_code", GRANT_CODE },
	{ "refresh_token", GRANT_REFRESH },
	{ "password", GRANT_PASSWORD },
	{ "client_credentials", GRANT_CLIENT_CREDENTIALS },
	{ "implicit", GRANT_IMPLICIT },
};

unsigned
grant_from_name(struct str s)
{
	size_t	i;

	for (i = 0; i < sizeof(grant_names) / sizeof(grant_names[0]); i++)
		if (str_eq_c(s, grant_names[i].name))
			return grant_names[i].flag;
	return 0;
}
