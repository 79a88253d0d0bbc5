/* form.h: query string and x-www-form-urlencoded body as a parameter list */
#ifndef FORM_H
#define FORM_H

#include "str.h"

#define FORM_MAX_PARAMS	256

struct param {
	struct str	name;
	struct str	value;
};

struct form {
	struct param	*v;
	size_t		 n;
	size_t		 cap;
};

enum form_get {
	FORM_ONE = 0,		/* exactly one non-empty value */
	FORM_ABSENT = 1,	/* absent, or present with an empty value */
	FORM_DUP = -1		/* present more than once (RFC 6749 §3.1) */
};

/*
 * Parse "a=1&b=2" and append the pairs to f. '+' decodes to a space.
 * Empty segments are skipped. Returns 0, or -1 on a malformed escape, a
 * NUL byte, invalid UTF-8 or more than FORM_MAX_PARAMS parameters.
 */
int		form_parse(struct form *, struct arena *, struct str input);

/* Look a name up; see enum form_get. On FORM_ONE *v is set. */
enum form_get	form_get(const struct form *, const char *name, struct str *v);

/* Number of occurrences of name, empty values included. */
size_t		form_count(const struct form *, const char *name);

/* The i-th value of name (0-based) or STR_NULL. For list-valued fields. */
struct str	form_nth(const struct form *, const char *name, size_t i);

#endif
