/* A graph from arrays a program already holds (numpy arrays of the Python API): the edges are
 * checked and copied into an edge list for rc_graph_build, and the per-node arrays -- original
 * ids, communities -- are checked and copied beside it. Isolated nodes are kept: the node count
 * is given, not inferred from the edges. */
#include "rtcascade/graph.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Every edge inside [0, n), every weight finite and >= 0. */
static rc_status_t check_edges(const rc_graph_arrays_t *a)
{
    for (uint64_t i = 0; i < a->m; i++) {
        if (a->src[i] >= a->n || a->dst[i] >= a->n)
            return rc_error(RC_ERR_ARGUMENT,
                            "edge %" PRIu64 " (%u -> %u) names a node outside 0..%u (num_nodes "
                            "= %u)", i, a->src[i], a->dst[i], a->n - 1, a->n);
        if (a->weight != NULL && !(isfinite(a->weight[i]) && a->weight[i] >= 0.0f))
            return rc_error(RC_ERR_ARGUMENT,
                            "edge %" PRIu64 " (%u -> %u): expected a finite weight >= 0, got %g",
                            i, a->src[i], a->dst[i], (double)a->weight[i]);
    }
    return RC_OK;
}

/* Copies of the original ids (refused when one repeats: seed lists name nodes by them) and of
 * the communities (their count is the largest id + 1) into g. */
static rc_status_t copy_node_arrays(const rc_graph_arrays_t *a, rc_graph_t *g)
{
    rc_status_t status = RC_OK;
    uint64_t *sorted = NULL;
    const size_t n = a->n;
    if (a->orig_id != NULL) {
        RC_TRY(rc_memory_check(2 * (uint64_t)n * sizeof(uint64_t), "the original ids"));
        sorted = malloc(n * sizeof *sorted);
        g->orig_id = malloc(n * sizeof *g->orig_id);
        RC_ALLOC_CHECK(sorted, "the original ids");
        RC_ALLOC_CHECK(g->orig_id, "the original ids");
        memcpy(g->orig_id, a->orig_id, n * sizeof *g->orig_id);
        memcpy(sorted, a->orig_id, n * sizeof *sorted);
        qsort(sorted, n, sizeof *sorted, u64_cmp);
        for (size_t i = 1; i < n; i++)
            if (sorted[i] == sorted[i - 1])
                RC_FAIL(RC_ERR_ARGUMENT, "original id %" PRIu64 " names two nodes", sorted[i]);
    }
    if (a->community != NULL) {
        uint32_t top = 0;
        for (size_t v = 0; v < n; v++) {
            if (a->community[v] == UINT32_MAX)
                RC_FAIL(RC_ERR_ARGUMENT, "node %zu: community %u is out of range (at most %u)",
                        v, a->community[v], UINT32_MAX - 1);
            top = a->community[v] > top ? a->community[v] : top;
        }
        g->community = malloc(n * sizeof *g->community);
        RC_ALLOC_CHECK(g->community, "the communities");
        memcpy(g->community, a->community, n * sizeof *g->community);
        g->n_communities = top + 1;
    }
cleanup:
    free(sorted);
    return status;
}

static char *describe(const rc_graph_arrays_t *a)
{
    if (a->description != NULL)
        return strdup(a->description);
    char buf[128];
    snprintf(buf, sizeof buf, "arrays nodes=%u edges=%" PRIu64 "%s", a->n, a->m,
             a->undirected ? " undirected=true" : "");
    return strdup(buf);
}

rc_status_t rc_graph_from_arrays(const rc_graph_arrays_t *a, rc_graph_t **out,
                                 rc_build_report_t *report)
{
    rc_status_t status = RC_OK;
    rc_edges_t e;
    rc_graph_t *g = NULL;
    memset(&e, 0, sizeof e);
    *out = NULL;
    if (a->n == 0 || a->n > RC_MAX_NODES)
        RC_FAIL(RC_ERR_ARGUMENT, "num_nodes: expected 1 to %u nodes, got %u", RC_MAX_NODES, a->n);
    if (a->m > 0 && (a->src == NULL || a->dst == NULL))
        RC_FAIL(RC_ERR_ARGUMENT, "%" PRIu64 " edges but no source or target array", a->m);
    RC_TRY(check_edges(a));
    RC_TRY(rc_edges_init(&e, a->m, a->weight != NULL));
    if (a->m > 0) {
        memcpy(e.src, a->src, a->m * sizeof *e.src);
        memcpy(e.dst, a->dst, a->m * sizeof *e.dst);
        if (a->weight != NULL)
            memcpy(e.w, a->weight, a->m * sizeof *e.w);
    }
    e.len = a->m;
    RC_TRY(rc_graph_build(a->n, &e, a->undirected, &g, report));
    RC_TRY(copy_node_arrays(a, g));
    g->description = describe(a);
    RC_ALLOC_CHECK(g->description, "the graph description");
    *out = g;
    g = NULL;
cleanup:
    rc_edges_free(&e);
    rc_graph_free(g);
    return status;
}
