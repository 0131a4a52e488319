/* Account ids of an edge list: 64-bit original id -> dense uint32 node index, an
 * open-addressing table (idmap.c). Private to sim/graph. */
#ifndef RC_GRAPH_IDMAP_H
#define RC_GRAPH_IDMAP_H

#include "rtcascade/graph.h"

#include <stdint.h>

/* The table holds node indices only; the key of slot s is ids[slot[s]]. This costs 4 bytes per
 * slot on top of the orig_id array the graph keeps anyway, instead of 12+ for key/value pairs,
 * which matters at 10^8 nodes. */
typedef struct rc_idmap {
    uint32_t *slot; /* RC_NO_NODE = empty */
    uint64_t mask;  /* capacity - 1 (capacity a power of two) */
    uint64_t *ids;  /* ids[i] = original id of node i */
    uint64_t n;     /* nodes so far */
    uint64_t ids_cap;
} rc_idmap_t;

static inline uint64_t rc_idmap_hash(uint64_t x)
{
    /* splitmix64 finaliser: sequential ids (the common case) spread over the whole table */
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/* The slot of id (hash h = rc_idmap_hash(id)): where it is, or the empty slot where it would go.
 * Linear probing; the table is never full. */
static inline uint64_t rc_idmap_slot(const rc_idmap_t *m, uint64_t id, uint64_t h)
{
    uint64_t s = h & m->mask;
    while (m->slot[s] != RC_NO_NODE && m->ids[m->slot[s]] != id)
        s = (s + 1) & m->mask;
    return s;
}

/* An empty map sized for about expected_nodes ids. RC_ERR_NOMEM. */
rc_status_t rc_idmap_init(rc_idmap_t *m, uint64_t expected_nodes);
void rc_idmap_free(rc_idmap_t *m);
/* Doubles the table (kept at most half full so probes stay short) and rehashes. */
rc_status_t rc_idmap_grow(rc_idmap_t *m);

/* The index of id, or RC_NO_NODE when it is not in the map. */
uint32_t rc_idmap_find(const rc_idmap_t *m, uint64_t id);

/* Adds id as the next index (*idx), or gives its index when present (*added = 0).
 * RC_ERR_INPUT past RC_MAX_NODES ids (naming `what`), RC_ERR_NOMEM. */
rc_status_t rc_idmap_add(rc_idmap_t *m, uint64_t id, const char *what, uint32_t *idx,
                         int *added);

#endif
