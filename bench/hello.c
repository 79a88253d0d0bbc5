/* hello.c: ceiling responder: the fixed JSON answer, no database */
#include "ceiling.h"

static const struct ceiling	hello = { "hello", NULL, 0, NULL, 0 };

int
main(void)
{
	return ceiling_main(&hello);
}
