/* console_setup.h: /admin/setup, the web installer */
#ifndef CONSOLE_SETUP_H
#define CONSOLE_SETUP_H

#include "fcgi_loop.h"

/*
 * Answer /admin/setup: the form, or, with the configured setup key, the
 * schema, the secret key file, the seeded scopes and the first
 * administrator, logged in. Refused (403) once an administrator exists.
 */
void	console_setup(struct ctx *);

#endif
