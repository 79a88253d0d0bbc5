/* console_admin.h: the admin console's views and its client forms (/admin/) */
#ifndef CONSOLE_ADMIN_H
#define CONSOLE_ADMIN_H

#include "console.h"

/* What one page of /admin/ shows. */
struct console_view {
	const char	*name;		/* clients client users scopes audit */
	const char	*msg;		/* a notice or error key */
	struct str	 client_id;	/* for "client" */
	struct str	 secret;	/* shown once */
	struct str	 secret_for;
	struct str	 form_name;	/* a refused form's values, kept */
};

/* Answer with view w of the console (404 for a gone client). */
void	console_admin_page(struct ctx *, const struct console *k,
	    int status, const struct console_view *w);

/* The new-client form: the client made and shown with its secret. */
void	console_admin_client_add(struct ctx *, struct console *k,
	    struct console_view *w);

/* The client form of client id: saved (200), refused (400) or 404. */
void	console_admin_client_edit(struct ctx *, struct console *k,
	    struct console_view *w, struct str id);

#endif
