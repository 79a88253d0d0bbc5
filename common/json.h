/* json.h: JSON text with json-c, safe inside JavaScript too */
#ifndef JSON_H
#define JSON_H

#include <json-c/json.h>

#include "str.h"

/* 1 if name matches ^[A-Za-z_$][A-Za-z0-9_$.]{0,63}$. */
int	json_callback_ok(struct str name);

/*
 * Append o (not consumed) as compact JSON, with U+2028/U+2029 escaped so
 * the text is also valid JavaScript (a JSONP body).
 */
void	json_append(struct strbuf *, json_object *o);

/* json_object_new_string_len over a view. Caller owns the result. */
json_object *json_str(struct str s);

#endif
