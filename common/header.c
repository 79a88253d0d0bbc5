/* header.c: Cookie, Authorization and Accept-Language header parsing */
#include <string.h>

#include "b64.h"
#include "header.h"
#include "urlenc.h"

int
header_cookie(struct str h, const char *name, struct str *v)
{
	size_t		i = 0, start, eq, nlen = strlen(name);
	int		found = 0;

	while (i < h.n) {
		while (i < h.n && (h.p[i] == ' ' || h.p[i] == ';'))
			i++;
		start = i;
		while (i < h.n && h.p[i] != ';')
			i++;
		eq = start;
		while (eq < i && h.p[eq] != '=')
			eq++;
		if (eq == i || eq - start != nlen ||
		    memcmp(h.p + start, name, nlen) != 0)
			continue;
		if (found)
			return -1;
		found = 1;
		v->p = h.p + eq + 1;
		v->n = i - eq - 1;
		while (v->n && v->p[v->n - 1] == ' ')
			v->n--;
	}
	return found ? 0 : 1;
}

/* Case-insensitive scheme match followed by at least one space. */
static int
scheme(struct str h, const char *name, struct str *rest)
{
	size_t	n = strlen(name);

	if (h.n <= n || h.p[n] != ' ' ||
	    !str_caseeq_c((struct str){ h.p, n }, name))
		return 0;
	rest->p = h.p + n;
	rest->n = h.n - n;
	while (rest->n && rest->p[0] == ' ')
		rest->p++, rest->n--;
	return 1;
}

int
header_basic(struct arena *a, struct str h, struct str *id, struct str *secret)
{
	unsigned char	 buf[1024];
	struct str	 rest, raw, rid, rsec;
	const char	*colon;
	long		 n;

	if (!scheme(h, "Basic", &rest)) {
		if (str_caseeq_c(h, "Basic"))
			return -1;
		return 1;
	}
	/* A failed decode may have written part of the secret: wipe it too. */
	if ((n = b64_decode(rest, buf, sizeof(buf))) <= 0)
		goto fail;
	raw.p = (char *)buf;
	raw.n = (size_t)n;
	if (memchr(raw.p, '\0', raw.n) != NULL ||
	    (colon = memchr(raw.p, ':', raw.n)) == NULL)
		goto fail;
	rid.p = raw.p;
	rid.n = (size_t)(colon - raw.p);
	rsec.p = colon + 1;
	rsec.n = raw.n - rid.n - 1;
	if (rid.n == 0 || url_decode(a, rid, 1, id) ||
	    url_decode(a, rsec, 1, secret))
		goto fail;
	explicit_bzero(buf, sizeof(buf));
	return 0;
fail:
	explicit_bzero(buf, sizeof(buf));
	return -1;
}

int
header_bearer(struct str h, struct str *token)
{
	struct str	rest;
	size_t		i, eq;
	char		c;

	if (!scheme(h, "Bearer", &rest))
		return str_caseeq_c(h, "Bearer") ? -1 : 1;
	if (rest.n == 0 || rest.n > 4096)
		return -1;
	/* b64token = 1*( ALPHA / DIGIT / "-._~+/" ) *"=" */
	for (i = 0; i < rest.n; i++) {
		c = rest.p[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~' || c == '+' || c == '/'))
			break;
	}
	if (i == 0)
		return -1;
	for (eq = i; eq < rest.n && rest.p[eq] == '='; eq++)
		;
	if (eq != rest.n)
		return -1;
	*token = rest;
	return 0;
}

/* Parse one "tag;q=0.8" item's quality as thousandths. */
static int
quality(struct str item)
{
	const char	*q;
	int		 v = 0, digits = 0;
	size_t		 i;

	q = memmem(item.p, item.n, ";q=", 3);
	if (q == NULL)
		return 1000;
	i = (size_t)(q - item.p) + 3;
	if (i < item.n && item.p[i] == '1')
		return 1000;
	for (i += 2; i < item.n && digits < 3; i++, digits++) {
		if (item.p[i] < '0' || item.p[i] > '9')
			break;
		v = v * 10 + (item.p[i] - '0');
	}
	while (digits++ < 3)
		v *= 10;
	return v;
}

const char *
header_accept_language(struct str h)
{
	size_t		i = 0, start;
	struct str	item;
	int		q, best_zh = -1, best_en = -1;

	while (i < h.n) {
		while (i < h.n && (h.p[i] == ' ' || h.p[i] == ','))
			i++;
		start = i;
		while (i < h.n && h.p[i] != ',')
			i++;
		item.p = h.p + start;
		item.n = i - start;
		if (item.n < 2)
			continue;
		q = quality(item);
		if (str_caseeq_c((struct str){ item.p, 2 }, "en") &&
		    (item.n == 2 || item.p[2] == '-' || item.p[2] == ';')) {
			if (q > best_en)
				best_en = q;
		} else if (str_caseeq_c((struct str){ item.p, 2 }, "zh") &&
		    (item.n == 2 || item.p[2] == '-' || item.p[2] == ';')) {
			if (q > best_zh)
				best_zh = q;
		}
	}
	return best_en > 0 && best_en > best_zh ? "en" : "zh-CN";
}
