/* purge.h: expired rows deleted in short batches (oauthctl purge, /admin/) */
#ifndef PURGE_H
#define PURGE_H

#include "db.h"

/*
 * Delete the expired codes, tokens, sessions and JWT revocations, the
 * day-old login failures and the families that have no token left, each
 * table walked in short transactions. Returns the number of rows deleted, or -1 with
 * db->state set (the batches committed before the failure stay done).
 */
long	purge_expired(struct db *);

#endif
