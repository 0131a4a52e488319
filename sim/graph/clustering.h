/* Private to the graph layer and its tests: clustering with its method chosen, so that the
 * sampled estimates can be checked against the exact counts on the same graph. */
#ifndef RC_GRAPH_CLUSTERING_H
#define RC_GRAPH_CLUSTERING_H

#include "rtcascade/graph.h"

enum {
    RC_CLUSTERING_AUTO = 0,   /* exact up to 2^22 undirected pairs, else sampled */
    RC_CLUSTERING_EXACT = 1,  /* triangles counted */
    RC_CLUSTERING_SAMPLED = 2 /* paths sampled */
};

/* rc_graph_clustering with the method `mode` and, when sampled, `samples` paths for each
 * measure (0: 2^20). */
rc_status_t rc_clustering_with(const rc_graph_t *g, int mode, uint64_t samples, rc_clustering_t *c);

#endif
