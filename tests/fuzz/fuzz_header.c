/* fuzz_header.c: fuzz the Cookie, Authorization and Accept-Language parsers */
#include <string.h>

#include "header.h"

#include "fuzz.h"

#define NAME_MAX_LEN	32

static const char *const cookies[] = { "sid", "csrf", "lang", "a", "" };

/* 1 if the view v lies inside h. */
static int
inside(struct str v, struct str h)
{
	return v.p >= h.p && v.n <= h.n &&
	    (size_t)(v.p - h.p) <= h.n - v.n;
}

static void
check_cookie(struct str h, const char *name)
{
	struct str	v = STR_NULL;
	int		rc;

	rc = header_cookie(h, name, &v);
	FUZZ_CHECK(rc == 0 || rc == 1 || rc == -1);
	if (rc != 0)
		return;
	FUZZ_CHECK(inside(v, h));
	FUZZ_CHECK(memchr(v.p, ';', v.n) == NULL);
	FUZZ_CHECK(v.n == 0 || v.p[v.n - 1] != ' ');
}

static void
check_basic(struct arena *a, struct str h)
{
	struct str	id = STR_NULL, secret = STR_NULL;
	int		rc;

	rc = header_basic(a, h, &id, &secret);
	FUZZ_CHECK(rc == 0 || rc == 1 || rc == -1);
	if (rc != 0)
		return;
	FUZZ_CHECK(id.n > 0 && id.n < 1024 && secret.n < 1024);
	FUZZ_CHECK(id.p[id.n] == '\0' && secret.p[secret.n] == '\0');
	FUZZ_CHECK(memchr(id.p, '\0', id.n) == NULL);
	FUZZ_CHECK(memchr(secret.p, '\0', secret.n) == NULL);
	FUZZ_CHECK(str_is_utf8(id) && str_is_utf8(secret));
}

static void
check_bearer(struct str h)
{
	struct str	t = STR_NULL;
	size_t		i;
	int		rc;
	char		c;

	rc = header_bearer(h, &t);
	FUZZ_CHECK(rc == 0 || rc == 1 || rc == -1);
	if (rc != 0)
		return;
	FUZZ_CHECK(inside(t, h) && t.n > 0 && t.n <= 4096);
	FUZZ_CHECK(t.p[0] != '=');
	for (i = 0; i < t.n; i++) {
		c = t.p[i];
		FUZZ_CHECK((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || strchr("-._~+/=", c) != NULL);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	 a = { 0 };
	struct str	 h = { (const char *)data, size };
	const char	*lang;
	char		 name[NAME_MAX_LEN + 1];
	size_t		 i, n;

	for (i = 0; i < sizeof(cookies) / sizeof(cookies[0]); i++)
		check_cookie(h, cookies[i]);
	/* Also look up the header's own first name, to reach duplicates. */
	for (n = 0; n < size && n < NAME_MAX_LEN && data[n] != '=' &&
	    data[n] != '\0'; n++)
		name[n] = (char)data[n];
	name[n] = '\0';
	check_cookie(h, name);

	check_basic(&a, h);
	check_bearer(h);
	lang = header_accept_language(h);
	FUZZ_CHECK(strcmp(lang, "en") == 0 || strcmp(lang, "zh-CN") == 0);
	arena_free(&a);
	return 0;
}
