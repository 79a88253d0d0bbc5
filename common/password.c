/* password.c: Argon2id password hashing in PHC string form */
#include <gcrypt.h>
#include <string.h>

#include "b64.h"
#include "crypto.h"
#include "password.h"

static int
argon2id(struct str pw, const unsigned char *salt, size_t saltlen,
    unsigned long m, unsigned long t, unsigned long p,
    unsigned char out[PW_HASH_LEN])
{
	gcry_kdf_hd_t	h;
	unsigned long	param[4] = { PW_HASH_LEN, t, m, p };
	int		rc = -1;

	if (gcry_kdf_open(&h, GCRY_KDF_ARGON2, GCRY_KDF_ARGON2ID, param, 4,
	    pw.p, pw.n, salt, saltlen, NULL, 0, NULL, 0))
		return -1;
	if (gcry_kdf_compute(h, NULL) ||
	    gcry_kdf_final(h, PW_HASH_LEN, out))
		goto out;
	rc = 0;
out:
	gcry_kdf_close(h);
	return rc;
}

char *
password_hash(struct arena *a, struct str pw)
{
	unsigned char	salt[PW_SALT_LEN], hash[PW_HASH_LEN];
	struct strbuf	b;

	crypto_random(salt, sizeof(salt));
	if (argon2id(pw, salt, sizeof(salt), PW_M_KIB, PW_T, PW_P, hash))
		return NULL;
	strbuf_init(&b, a);
	strbuf_appendf(&b, "$argon2id$v=19$m=%d,t=%d,p=%d$",
	    PW_M_KIB, PW_T, PW_P);
	b64_encode(&b, salt, sizeof(salt), 0);
	strbuf_putc(&b, '$');
	b64_encode(&b, hash, sizeof(hash), 0);
	explicit_bzero(hash, sizeof(hash));
	return b.p;
}

/* Read "<key>=<number>" at *s, advancing it; bounded to 10 digits. */
static int
read_num(struct str *s, char key, unsigned long *out)
{
	unsigned long	v = 0;
	size_t		i = 2;

	if (s->n < 3 || s->p[0] != key || s->p[1] != '=')
		return -1;
	while (i < s->n && s->p[i] >= '0' && s->p[i] <= '9' && i < 12)
		v = v * 10 + (unsigned long)(s->p[i++] - '0');
	if (i == 2)
		return -1;
	*out = v;
	s->p += i;
	s->n -= i;
	return 0;
}

static int
skip(struct str *s, const char *lit)
{
	if (!str_has_prefix(*s, lit))
		return -1;
	s->p += strlen(lit);
	s->n -= strlen(lit);
	return 0;
}

int
password_parse(struct str s, struct phc *ph)
{
	const char	*dollar;
	struct str	 salt;
	long		 n;

	if (skip(&s, "$argon2id$v=19$") || read_num(&s, 'm', &ph->m) ||
	    skip(&s, ",") || read_num(&s, 't', &ph->t) || skip(&s, ",") ||
	    read_num(&s, 'p', &ph->p) || skip(&s, "$"))
		return -1;
	/* Bounds keep a forged row from costing minutes or gigabytes. */
	if (ph->m < 8 || ph->m > 1048576 || ph->t < 1 || ph->t > 16 ||
	    ph->p < 1 || ph->p > 16 || ph->m < 8 * ph->p)
		return -1;
	if ((dollar = memchr(s.p, '$', s.n)) == NULL)
		return -1;
	salt.p = s.p;
	salt.n = (size_t)(dollar - s.p);
	n = b64_decode(salt, ph->salt, sizeof(ph->salt));
	if (n < 8)
		return -1;
	ph->saltlen = (size_t)n;
	s.p = dollar + 1;
	s.n -= salt.n + 1;
	if (b64_decode(s, ph->hash, sizeof(ph->hash)) != PW_HASH_LEN)
		return -1;
	return 0;
}

int
password_verify(struct str pw, struct str phc)
{
	struct phc	ph;
	unsigned char	hash[PW_HASH_LEN];
	int		ok;

	if (password_parse(phc, &ph))
		return 0;
	if (argon2id(pw, ph.salt, ph.saltlen, ph.m, ph.t, ph.p, hash))
		return 0;
	ok = str_eq_ct((struct str){ (char *)hash, sizeof(hash) },
	    (struct str){ (char *)ph.hash, sizeof(ph.hash) });
	explicit_bzero(hash, sizeof(hash));
	return ok;
}
