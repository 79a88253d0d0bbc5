/* fuzz_config.c: fuzz the configuration file parser */
#include <string.h>

#include "config.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	c;
	char		err[256];

	config_defaults(&c);
	err[0] = '\0';
	if (config_parse(&c, (const char *)data, size, err, sizeof(err))) {
		/* One line that names the line. */
		FUZZ_CHECK(strncmp(err, "config line ", 12) == 0);
		FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL);
		FUZZ_CHECK(strchr(err, '\n') == NULL);
	} else {
		FUZZ_CHECK(err[0] == '\0');
		FUZZ_CHECK(c.access_token_ttl >= 1 &&
		    c.access_token_ttl <= 31536000);
		FUZZ_CHECK(c.refresh_token_ttl >= 1 &&
		    c.refresh_token_ttl <= 315360000);
		FUZZ_CHECK(c.code_ttl >= 1 && c.code_ttl <= 600);
		FUZZ_CHECK(c.login_address_limit >= 1 &&
		    c.login_address_limit <= 1000000);
		FUZZ_CHECK(c.refresh_rotation == 0 || c.refresh_rotation == 1);
		FUZZ_CHECK(c.qq_compat == 0 || c.qq_compat == 1);
		FUZZ_CHECK(c.pg_dsn == NULL ||
		    memchr(c.pg_dsn, '\n', strlen(c.pg_dsn)) == NULL);
		FUZZ_CHECK(c.keylen == 0);
	}
	config_free(&c);
	return 0;
}
