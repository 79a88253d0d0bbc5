/* replay_main.c: run corpus files through a harness without libFuzzer */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/*
 * Read the file at path into an exactly sized heap buffer, so that a read
 * past the end of the input is caught by ASan, and run it. Returns 0, or
 * -1 if the file cannot be read.
 */
static int
replay_file(const char *path)
{
	FILE		*f;
	uint8_t		*buf = NULL;
	long		 len;
	int		 rc = -1;

	if ((f = fopen(path, "rb")) == NULL)
		goto fail;
	if (fseek(f, 0, SEEK_END) == -1 || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) == -1)
		goto fail;
	/* malloc(0) may return NULL; libFuzzer never passes NULL. */
	if ((buf = malloc(len ? (size_t)len : 1)) == NULL)
		goto fail;
	if (len && fread(buf, 1, (size_t)len, f) != (size_t)len)
		goto fail;
	LLVMFuzzerTestOneInput(buf, (size_t)len);
	rc = 0;
fail:
	if (rc == -1)
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
	free(buf);
	if (f != NULL)
		fclose(f);
	return rc;
}

/* Run every regular file directly inside dir. Returns the count or -1. */
static long
replay_dir(const char *dir)
{
	DIR		*d;
	struct dirent	*e;
	struct stat	 st;
	char		 path[4096];
	long		 n = 0;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    e->d_name) >= sizeof(path) || stat(path, &st) == -1 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (replay_file(path) == -1) {
			n = -1;
			break;
		}
		n++;
	}
	closedir(d);
	return n;
}

int
main(int argc, char *argv[])
{
	struct stat	st;
	long		n, total = 0;
	int		i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s file|dir ...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			n = replay_dir(argv[i]);
		else
			n = replay_file(argv[i]) == 0 ? 1 : -1;
		if (n == -1)
			return 1;
		total += n;
	}
	printf("%ld inputs replayed\n", total);
	return 0;
}
