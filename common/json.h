/* json.h: JSON and JSONP replies built with json-c */
#ifndef JSON_H
#define JSON_H

#include <json-c/json.h>

#include "response.h"

enum json_fmt {
	JSON_PLAIN,		/* application/json */
	JSON_QQ_CALLBACK,	/* QQ's exact "callback( … );" bytes */
	JSON_NAMED_CALLBACK	/* caller-chosen name, with a "/ ** /" guard */
};

/* 1 if name matches ^[A-Za-z_$][A-Za-z0-9_$.]{0,63}$. */
int	json_callback_ok(struct str name);

/*
 * Serialise o (not consumed) into r's body in the chosen format, with
 * U+2028/U+2029 escaped so the output is also valid JavaScript.
 * cb is used only for JSON_NAMED_CALLBACK.
 */
void	json_reply(struct resp *r, int status, json_object *o,
	    enum json_fmt fmt, struct str cb);

/* json_object_new_string_len over a view. Caller owns the result. */
json_object *json_str(struct str s);

#endif
