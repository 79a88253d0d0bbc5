/* grant.h: the grant types a client may use (clients.grants) */
#ifndef GRANT_H
#define GRANT_H

#include "str.h"

enum grant {
	GRANT_CODE = 1 << 0,
	GRANT_REFRESH = 1 << 1,
	GRANT_PASSWORD = 1 << 2,
	GRANT_CLIENT_CREDENTIALS = 1 << 3,
	GRANT_IMPLICIT = 1 << 4
};

/* Map "authorization_code" etc. to a flag; 0 if unknown. */
unsigned	grant_from_name(struct str);

#endif
