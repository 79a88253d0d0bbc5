/* pkce.h: RFC 7636 code challenge checks */
#ifndef PKCE_H
#define PKCE_H

#include "str.h"

enum pkce_method {
	PKCE_NONE = 0,
	PKCE_PLAIN,
	PKCE_S256
};

/* Map "S256"/"plain" (case-sensitive) to a method; -1 otherwise. */
int	pkce_method_parse(struct str, enum pkce_method *);

/*
 * 1 if v is a well-formed verifier or challenge: 43-128 characters of
 * ALPHA / DIGIT / "-._~" (RFC 7636 §4.1, §4.2).
 */
int	pkce_well_formed(struct str v);

/*
 * 1 if verifier matches challenge under method, compared in constant
 * time; 0 otherwise.
 */
int	pkce_verify(enum pkce_method, struct str challenge,
	    struct str verifier);

/*
 * The S256 transform of a verifier: base64url(SHA-256(v)) without
 * padding, in the arena.
 */
struct str pkce_s256(struct arena *, struct str verifier);

#endif
