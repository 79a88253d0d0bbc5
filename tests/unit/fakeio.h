/* fakeio.h: one request and its answer in memory, through struct io */
#ifndef FAKEIO_H
#define FAKEIO_H

#include <string.h>

#include "request.h"

/*
 * The environment is a NULL-ended list of "NAME=value" strings, the body
 * is read at most chunk bytes at a time (0: as much as asked), and what
 * is written collects in out, unless fail_write makes every write fail.
 */
struct fakeio {
	struct io		 io;
	const char *const	*env;
	const char		*body;
	size_t			 bodylen;
	size_t			 off;		/* bytes read */
	size_t			 chunk;
	int			 fail_write;
	struct strbuf		 out;
};

static inline const char *
fake_getenv(struct io *io, const char *name)
{
	struct fakeio	*f = io->ctx;
	size_t		 i, n = strlen(name);

	for (i = 0; f->env && f->env[i]; i++)
		if (strncmp(f->env[i], name, n) == 0 && f->env[i][n] == '=')
			return f->env[i] + n + 1;
	return NULL;
}

static inline long
fake_read(struct io *io, void *buf, size_t n)
{
	struct fakeio	*f = io->ctx;

	if (f->chunk && n > f->chunk)
		n = f->chunk;
	if (n > f->bodylen - f->off)
		n = f->bodylen - f->off;
	memcpy(buf, f->body + f->off, n);
	f->off += n;
	return (long)n;
}

static inline int
fake_write(struct io *io, const void *buf, size_t n)
{
	struct fakeio	*f = io->ctx;

	if (f->fail_write)
		return -1;
	strbuf_append(&f->out, buf, n);
	return 0;
}

/* Set f up for env and body (bodylen bytes), its output in arena a. */
static inline void
fakeio_init(struct fakeio *f, struct arena *a, const char *const *env,
    const char *body, size_t bodylen)
{
	memset(f, 0, sizeof(*f));
	f->io = (struct io){ fake_getenv, fake_read, fake_write, f };
	f->env = env;
	f->body = body;
	f->bodylen = bodylen;
	strbuf_init(&f->out, a);
}

#endif
