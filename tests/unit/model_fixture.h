/* Test fixture for running one model directly, without the engine: a graph from an edge list,
 * the model parsed from a YAML `model:` map, a workspace and a keyed generator, plus a checker
 * of the cascade tree every run must produce. Used by the model tests. */
#ifndef RC_MODEL_FIXTURE_H
#define RC_MODEL_FIXTURE_H

#include "rc_test.h"
#include "rtcascade/specs.h"
#include "rtcascade/config.h"
#include "rtcascade/graph.h"
#include "rtcascade/model.h"
#include "rtcascade/rng.h"

#include <stdlib.h>

#define FX_MASTER_SEED 20240601ULL

typedef struct fixture {
    rc_cfg_t *cfg;
    const rc_model_t *model;
    void *params;
    void *shared;
    rc_workspace_t *ws;
    gsl_rng *rng;
    rc_run_ctx_t ctx;
} fixture_t;

/* Graph of n nodes from pairs (src[i], dst[i]), with weights when w != NULL. */
static inline rc_graph_t *fx_graph(uint32_t n, const uint32_t *src, const uint32_t *dst,
                                   const float *w, size_t m, int undirected)
{
    rc_edges_t e;
    rc_graph_t *g = NULL;
    if (rc_edges_init(&e, m, w != NULL) != RC_OK)
        return NULL;
    for (size_t i = 0; i < m; i++)
        if (rc_edges_push(&e, src[i], dst[i], w ? w[i] : 0.0f) != RC_OK) {
            rc_edges_free(&e);
            return NULL;
        }
    if (rc_graph_build(n, &e, undirected, &g, NULL) != RC_OK)
        fprintf(stderr, "graph build failed: %s\n", rc_error_message());
    rc_edges_free(&e);
    return g;
}

/* Parses `yaml` (a whole document whose `model:` map is used) for graph g. Returns 0 on success;
 * on failure prints why. max_size goes to the run context (0 = no cap). */
static inline int fx_open(fixture_t *f, const rc_graph_t *g, const char *yaml, uint32_t max_size)
{
    memset(f, 0, sizeof *f);
    rc_status_t st = rc_cfg_parse_string(yaml, "<test>", &f->cfg);
    if (st == RC_OK)
        st = rc_model_parse(rc_cfg_get(f->cfg, "model"), &f->model, &f->params);
    if (st == RC_OK && f->model->prepare != NULL)
        st = f->model->prepare(f->params, g, &f->shared);
    if (st == RC_OK)
        st = rc_model_workspace(f->model, f->params, g, &f->ws);
    if (st == RC_OK && (f->rng = rc_rng_alloc()) == NULL)
        st = RC_ERR_NOMEM;
    if (st != RC_OK) {
        fprintf(stderr, "fixture for '%s' failed: %s\n", yaml, rc_error_message());
        rc_test_failures++;
        return -1;
    }
    f->ctx.graph = g;
    f->ctx.params = f->params;
    f->ctx.shared = f->shared;
    f->ctx.max_size = max_size;
    return 0;
}

static inline void fx_close(fixture_t *f)
{
    if (f->shared != NULL && f->model->free_shared != NULL)
        f->model->free_shared(f->shared);
    if (f->params != NULL && f->model != NULL)
        rc_model_params_free(f->model, f->params);
    rc_workspace_free(f->ws);
    gsl_rng_free(f->rng);
    rc_cfg_free(f->cfg);
    memset(f, 0, sizeof *f);
}

/* Runs cascade number `run` (its own stream) from the seeds. */
static inline rc_status_t fx_run(fixture_t *f, uint64_t run, const uint32_t *seeds, uint32_t ns,
                                 rc_cascade_t *c)
{
    rc_rng_seed(f->rng, FX_MASTER_SEED, 0, run);
    rc_workspace_next_run(f->ws);
    return f->model->run(&f->ctx, seeds, ns, f->rng, f->ws, c);
}

/* 1 when u -> v is an edge of g. */
static inline int fx_has_edge(const rc_graph_t *g, uint32_t u, uint32_t v)
{
    for (uint64_t e = g->out_off[u]; e < g->out_off[u + 1]; e++)
        if (g->out_nbr[e] == v)
            return 1;
    return 0;
}

/* Checks the tree invariants of a cascade: seeds first without parents, every other adopter's
 * parent earlier, generation = parent's + 1, times (when present) non-decreasing in order and
 * never before the parent's; with graph_nodes, adopters are distinct graph nodes that follow
 * their parent. Returns the number of violations (also counted as failures). */
static inline int fx_check_tree(const rc_graph_t *g, const rc_cascade_t *c, int graph_nodes)
{
    int bad = 0;
    if (c->n_seeds > c->size)
        bad++;
    for (uint32_t i = 0; i < c->size && bad < 5; i++) {
        uint32_t p = c->parent[i];
        if (i < c->n_seeds) {
            bad += p != RC_NO_PARENT || c->generation[i] != 0;
            if (c->time != NULL)
                bad += c->time[i] != 0.0;
            continue;
        }
        if (p >= i) {
            bad++;
            continue;
        }
        bad += c->generation[i] != c->generation[p] + 1;
        if (c->time != NULL)
            bad += c->time[i] < c->time[i - 1] || c->time[i] < c->time[p];
        if (graph_nodes)
            bad += c->node[i] >= g->n || !fx_has_edge(g, c->node[p], c->node[i]);
    }
    if (graph_nodes && c->size <= 4096) /* quadratic: small cascades only */
        for (uint32_t i = 0; i < c->size && bad < 5; i++)
            for (uint32_t j = i + 1; j < c->size; j++)
                bad += c->node[i] == c->node[j];
    rc_test_checks++;
    if (bad) {
        rc_test_failures++;
        fprintf(stderr, "cascade of size %u violates the tree invariants (%d problems)\n",
                c->size, bad);
    }
    return bad;
}

#endif
