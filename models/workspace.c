/* Per-thread scratch for cascade runs (rc_workspace_t of model.h): node-indexed arrays made once
 * per thread and graph, an event heap, and the model's own state. Runs reset it in O(1) by
 * bumping the epoch, so no run ever pays O(n). */
#include "rtcascade/heap.h"
#include "rtcascade/graph.h"
#include "rtcascade/memory.h"
#include "rtcascade/model.h"

#include <stdlib.h>
#include <string.h>

/* Bytes per node of the arrays below: stamp, slot, adopted, parent, generation, queue (4 each),
 * value and time (8 each). */
#define RC_WS_BYTES_PER_NODE 40u

rc_status_t rc_workspace_alloc(uint32_t n, size_t model_state_size, rc_workspace_t **out)
{
    return rc_workspace_alloc_cap(n, n, model_state_size, out);
}

rc_status_t rc_model_workspace(const rc_model_t *model, const void *params, const rc_graph_t *g,
                               rc_workspace_t **out)
{
    uint32_t cap = model->capacity != NULL ? model->capacity(params, g) : 0;
    size_t state = model->state_size != NULL ? model->state_size(params, g) : 0;
    return rc_workspace_alloc_cap(g->n, cap > g->n ? cap : g->n, state, out);
}

rc_status_t rc_workspace_alloc_cap(uint32_t n, uint32_t capacity, size_t model_state_size,
                                   rc_workspace_t **out)
{
    rc_status_t status = RC_OK;
    rc_workspace_t *ws = NULL;
    *out = NULL;
    if (capacity < n)
        capacity = n;
    /* +1 keeps every array non-empty, so n = 0 needs no special case. */
    size_t len = (size_t)capacity + 1;
    RC_TRY(rc_memory_check((uint64_t)len * RC_WS_BYTES_PER_NODE + model_state_size,
                           "a per-thread cascade workspace"));
    ws = calloc(1, sizeof *ws);
    RC_ALLOC_CHECK(ws, "a cascade workspace");
    ws->n = n;
    ws->capacity = capacity;
    ws->epoch = 0;
    /* calloc: stamps must start below every epoch; large zeroed blocks are mapped lazily, so
     * pages a small cascade never touches cost nothing. */
    ws->stamp = calloc((size_t)n + 1, sizeof *ws->stamp);
    RC_ALLOC_CHECK(ws->stamp, "workspace stamps");
    ws->slot = malloc(len * sizeof *ws->slot);
    RC_ALLOC_CHECK(ws->slot, "workspace slots");
    ws->value = malloc(len * sizeof *ws->value);
    RC_ALLOC_CHECK(ws->value, "workspace values");
    /* read and written at random, node by node, in every run */
    rc_memory_advise_huge(ws->stamp, ((size_t)n + 1) * sizeof *ws->stamp);
    rc_memory_advise_huge(ws->slot, len * sizeof *ws->slot);
    rc_memory_advise_huge(ws->value, len * sizeof *ws->value);
    ws->adopted = malloc(len * sizeof *ws->adopted);
    RC_ALLOC_CHECK(ws->adopted, "workspace adopter list");
    ws->parent = malloc(len * sizeof *ws->parent);
    RC_ALLOC_CHECK(ws->parent, "workspace parent list");
    ws->generation = malloc(len * sizeof *ws->generation);
    RC_ALLOC_CHECK(ws->generation, "workspace generation list");
    ws->time = malloc(len * sizeof *ws->time);
    RC_ALLOC_CHECK(ws->time, "workspace time list");
    ws->queue = malloc(len * sizeof *ws->queue);
    RC_ALLOC_CHECK(ws->queue, "workspace queue");
    ws->heap = rc_heap_alloc(1024);
    if (ws->heap == NULL) {
        status = RC_ERR_NOMEM; /* message set by rc_heap_alloc */
        goto cleanup;
    }
    if (model_state_size > 0) {
        ws->model_state = calloc(1, model_state_size);
        RC_ALLOC_CHECK(ws->model_state, "per-thread model state");
    }
    ws->model_state_size = model_state_size;
    *out = ws;
    ws = NULL;
cleanup:
    rc_workspace_free(ws);
    return status;
}

void rc_workspace_free(rc_workspace_t *ws)
{
    if (ws == NULL)
        return;
    free(ws->stamp);
    free(ws->slot);
    free(ws->value);
    free(ws->adopted);
    free(ws->parent);
    free(ws->generation);
    free(ws->time);
    free(ws->queue);
    rc_heap_free(ws->heap);
    free(ws->model_state);
    free(ws);
}

void rc_workspace_next_run(rc_workspace_t *ws)
{
    ws->epoch++;
    if (ws->epoch == 0) {
        /* Wrapped after 2^32 runs: old stamps could now look current, so clear them once. */
        memset(ws->stamp, 0, ((size_t)ws->n + 1) * sizeof *ws->stamp);
        ws->epoch = 1;
    }
    rc_heap_clear(ws->heap);
}
