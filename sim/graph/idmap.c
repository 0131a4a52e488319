/* The account-id map (idmap.h): the table holds node indices only; the key of slot s is
 * ids[slot[s]]. */
#include "graph/idmap.h"

#include <stdlib.h>
#include <string.h>

rc_status_t rc_idmap_init(rc_idmap_t *m, uint64_t expected_nodes)
{
    rc_status_t status = RC_OK;
    uint64_t cap = 1024;
    while (cap < 2 * expected_nodes && cap < (1ULL << 33))
        cap <<= 1;
    m->slot = malloc(cap * sizeof *m->slot);
    RC_ALLOC_CHECK(m->slot, "the node id table");
    memset(m->slot, 0xff, cap * sizeof *m->slot);
    m->mask = cap - 1;
    m->ids_cap = cap / 2;
    m->ids = malloc(m->ids_cap * sizeof *m->ids);
    RC_ALLOC_CHECK(m->ids, "the original node ids");
    m->n = 0;
cleanup:
    return status;
}

void rc_idmap_free(rc_idmap_t *m)
{
    free(m->slot);
    free(m->ids);
    memset(m, 0, sizeof *m);
}

rc_status_t rc_idmap_grow(rc_idmap_t *m)
{
    rc_status_t status = RC_OK;
    uint64_t cap = 2 * (m->mask + 1);
    uint32_t *slot = NULL;
    uint64_t *ids = NULL;
    RC_TRY(rc_memory_check(cap * sizeof *slot + cap / 2 * sizeof *ids, "the node id table"));
    slot = malloc(cap * sizeof *slot);
    RC_ALLOC_CHECK(slot, "the node id table");
    memset(slot, 0xff, cap * sizeof *slot);
    for (uint64_t i = 0; i < m->n; i++) {
        uint64_t s = rc_idmap_hash(m->ids[i]) & (cap - 1);
        while (slot[s] != RC_NO_NODE)
            s = (s + 1) & (cap - 1);
        slot[s] = (uint32_t)i;
    }
    ids = realloc(m->ids, cap / 2 * sizeof *ids);
    RC_ALLOC_CHECK(ids, "the original node ids");
    m->ids = ids;
    m->ids_cap = cap / 2;
    free(m->slot);
    m->slot = slot;
    slot = NULL;
    m->mask = cap - 1;
cleanup:
    free(slot);
    return status;
}

uint32_t rc_idmap_find(const rc_idmap_t *m, uint64_t id)
{
    return m->slot[rc_idmap_slot(m, id, rc_idmap_hash(id))];
}

rc_status_t rc_idmap_add(rc_idmap_t *m, uint64_t id, const char *what, uint32_t *idx,
                         int *added)
{
    rc_status_t status = RC_OK;
    const uint64_t s = rc_idmap_slot(m, id, rc_idmap_hash(id));
    *added = 0;
    if (m->slot[s] != RC_NO_NODE) {
        *idx = m->slot[s];
        return RC_OK;
    }
    if (m->n >= RC_MAX_NODES)
        RC_FAIL(RC_ERR_INPUT, "%s: more than %llu distinct account ids", what,
                (unsigned long long)RC_MAX_NODES);
    m->slot[s] = (uint32_t)m->n;
    m->ids[m->n] = id;
    *idx = (uint32_t)m->n++;
    *added = 1;
    if (2 * m->n >= m->mask + 1) /* also keeps ids[] (capacity/2) one entry ahead */
        RC_TRY(rc_idmap_grow(m));
cleanup:
    return status;
}
