/* store_client.h: the authorization endpoint's view of a client */
#ifndef STORE_CLIENT_H
#define STORE_CLIENT_H

#include "store.h"

/* What a visit to the authorization endpoint finds besides the client. */
struct client_visit {
	int		 logged_in;	/* the session is live: user is set */
	struct user	 user;
	int		 consented;	/* the user consented to this client */
	struct scopes	 remembered;	/* to these scopes */
	struct str	 status;	/* approved, review or suspended */
	long		 owner_user_id;	/* the developer's; 0: none */
	struct str	 icon;		/* the app's icon URL, or empty */
	long		 session_age;	/* seconds since the login */
};

/*
 * store_client_get with the redirect URIs and, in the same statement,
 * the user of the session session_hash (NULL: none) and the consent that
 * user gave the client. Returns as store_client_get.
 */
int	store_client_visit(struct db *, struct arena *, struct str id,
	    const char *session_hash, struct client *c,
	    struct client_visit *v);

#endif
