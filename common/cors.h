/* cors.h: CORS for the endpoints the JavaScript SDK calls from a site's page */
#ifndef CORS_H
#define CORS_H

#include "fcgi_loop.h"

/*
 * An origin a client may call from is the scheme://host[:port] of one of
 * its registered redirect URIs: the page that loads the SDK also serves
 * the redirect URI. Nothing else is ever allowed, no wildcard, no
 * credentials (the SDK sends its token in an Authorization header, never
 * a cookie). The match is ruri_origin_of (redirect_uri.h).
 */

/*
 * When the request carries an Origin that is an origin of client_id (when
 * empty: of the client named by the request's client_id or
 * oauth_consumer_key parameter), add Access-Control-Allow-Origin naming
 * it; with any Origin add "Vary: Origin". Does nothing without an Origin
 * (the hot path of server-side clients costs nothing) or for a method
 * other than GET and POST (whose 405 stays as it was).
 */
void	cors_answer(struct ctx *, struct str client_id);

/*
 * Answer a CORS preflight: OPTIONS with an Origin of the client named by
 * the client_id or oauth_consumer_key parameter of the URL and an
 * Access-Control-Request-Method of GET or POST gets 200 with the allowed
 * methods and the Authorization header. Returns 1 when it answered, 0
 * otherwise (the endpoint then answers OPTIONS with its 405 as before).
 */
int	cors_preflight(struct ctx *);

#endif
