/* Graph lifetime and size: freeing, and the byte count behind every memory check of a graph
 * (the check itself is rc_memory_check, in core). */
#include "rtcascade/graph.h"

#include <stdlib.h>

void rc_graph_free(rc_graph_t *g)
{
    if (g == NULL)
        return;
    if (g->release != NULL) {
        g->release(g->release_ctx);
    } else {
        free(g->out_off);
        free(g->out_nbr);
        free(g->in_off);
        free(g->in_nbr);
        free(g->out_w);
        free(g->in_w);
        free(g->community);
        free(g->orig_id);
    }
    free(g->description);
    free(g->stats);
    free(g);
}

uint64_t rc_graph_memory_bytes(uint32_t n, uint64_t m, int weighted, int orig_ids, int communities)
{
    uint64_t bytes = 2 * ((uint64_t)n + 1) * sizeof(uint64_t) + 2 * m * sizeof(uint32_t);
    if (weighted)
        bytes += 2 * m * sizeof(float);
    if (orig_ids)
        bytes += (uint64_t)n * sizeof(uint64_t);
    if (communities)
        bytes += (uint64_t)n * sizeof(uint32_t);
    return bytes + sizeof(rc_graph_t);
}
