/* gnutls_skip.c: no implicit GnuTLS setup in our processes */

/*
 * libpq needs libldap, and Debian's libldap needs GnuTLS, whose library
 * constructor initializes all of GnuTLS in every process that loads it:
 * about 0.8 MB of resident memory per worker for a library these
 * programs never call.  GnuTLS skips that implicit initialization when
 * the program defines this function (its GNUTLS_SKIP_GLOBAL_INIT macro,
 * written out here so that no GnuTLS header is needed); libldap still
 * initializes GnuTLS itself on the day it needs TLS.  The Makefile links
 * it into every program (-u) and exports it for GnuTLS to find.
 */
int	_gnutls_global_init_skip(void);

int
_gnutls_global_init_skip(void)
{
	return 1;
}
