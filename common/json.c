/* json.c: JSON text with json-c, safe inside JavaScript too */
#include <string.h>

#include "json.h"

int
json_callback_ok(struct str s)
{
	size_t	i;
	char	c;

	if (s.n < 1 || s.n > 64)
		return 0;
	for (i = 0; i < s.n; i++) {
		c = s.p[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    c == '_' || c == '$')
			continue;
		if (i > 0 && ((c >= '0' && c <= '9') || c == '.'))
			continue;
		return 0;
	}
	return 1;
}

/* Append JSON text, escaping the two line terminators JavaScript lacks. */
static void
append_js_safe(struct strbuf *b, const char *s, size_t n)
{
	size_t	i, start = 0;

	for (i = 0; i + 2 < n; i++) {
		if ((unsigned char)s[i] != 0xe2 ||
		    (unsigned char)s[i + 1] != 0x80 ||
		    ((unsigned char)s[i + 2] != 0xa8 &&
		    (unsigned char)s[i + 2] != 0xa9))
			continue;
		strbuf_append(b, s + start, i - start);
		strbuf_puts(b, (unsigned char)s[i + 2] == 0xa8 ?
		    "\\u2028" : "\\u2029");
		i += 2;
		start = i + 1;
	}
	strbuf_append(b, s + start, n - start);
}

void
json_append(struct strbuf *b, json_object *o)
{
	const char	*s;
	size_t		 n;

	s = json_object_to_json_string_length(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);
	append_js_safe(b, s, n);
}

json_object *
json_str(struct str s)
{
	return json_object_new_string_len(s.p, (int)s.n);
}
