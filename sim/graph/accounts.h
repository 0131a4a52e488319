/* The files that go with an edge list (load_accounts.c): the accounts (a file of ids) and their
 * communities. Private to sim/graph. */
#ifndef RC_GRAPH_ACCOUNTS_H
#define RC_GRAPH_ACCOUNTS_H

#include "graph/idmap.h"

#include <stdint.h>

/* Adds the ids of the accounts file at path to the empty map m, in file order: one id per line
 * (the first field, whitespace- or comma-separated; a header line of words and '#' or '%'
 * comments skipped). An id listed twice, a bad id or no id at all is RC_ERR_INPUT naming
 * path:line. */
rc_status_t rc_accounts_read(const char *path, rc_idmap_t *m);

/* Reads the communities file at path: lines "id community" (whitespace or commas; a header line
 * of words and comments skipped), community an integer 0 .. 2^32-2. The node of an id is its
 * index in m, or the id itself when m is NULL (accounts 0 .. n-1). Every one of the n accounts
 * needs exactly one community; *community (n entries, malloc'ed) and *n_communities (largest
 * + 1) are set. RC_ERR_INPUT naming path:line (an unknown account, a second community, a bad
 * number) or the first account without one. */
rc_status_t rc_communities_read(const char *path, const rc_idmap_t *m, uint64_t n,
                                uint32_t **community, uint32_t *n_communities);

#endif
