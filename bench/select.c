/* select.c: ceiling responder: one SELECT by primary key, then the JSON */
#include <stdio.h>

#include "ceiling.h"

/* bench/run fills bench_rows with ids 1 .. BENCH_ROWS. */
#define BENCH_ROWS	1000

static void
params(unsigned long n, struct ceiling_params *p)
{
	snprintf(p->buf[0], sizeof(p->buf[0]), "%lu", n % BENCH_ROWS + 1);
	p->v[0] = p->buf[0];
}

static const struct ceiling	sel = {
	"select",
	"SELECT payload FROM bench_rows WHERE id = $1",
	1, params, PGRES_TUPLES_OK
};

int
main(void)
{
	return ceiling_main(&sel);
}
