/* page.h: HTML pages from templates, and the plain database-failure answer */
#ifndef PAGE_H
#define PAGE_H

#include "fcgi_loop.h"

/*
 * Render template name with v into an HTML response with the given
 * status. A missing or broken template becomes a plain 500.
 */
void	page_render(struct ctx *, int status, const char *name,
	    struct tvars *v);

/*
 * The error page (template "error") with status, an error code and a
 * description for the user.
 */
void	page_error(struct ctx *, int status, const char *error,
	    const char *desc);

/* The 500/503 answer for a database failure, as plain text. */
void	page_db_failure(struct ctx *);

#endif
