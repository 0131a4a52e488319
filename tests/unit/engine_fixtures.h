/* Helpers shared by the engine and model tests: graphs from literal edge lists, a model config
 * from YAML text, and one cascade run outside the engine. */
#ifndef RC_ENGINE_FIXTURES_H
#define RC_ENGINE_FIXTURES_H

#include "rtcascade/specs.h"
#include "rtcascade/config.h"
#include "rtcascade/engine.h"
#include "rtcascade/graph.h"
#include "rtcascade/model.h"
#include "rtcascade/rng.h"

#include <stdio.h>
#include <stdlib.h>

/* Graph on n nodes from pairs (src[i], dst[i]); weights w may be NULL. Exits on failure (tests
 * only). */
static inline rc_graph_t *fx_graph(uint32_t n, size_t m, const uint32_t (*edges)[2],
                                   const float *w)
{
    rc_edges_t e = {0};
    rc_graph_t *g = NULL;
    if (rc_edges_init(&e, m ? m : 1, w != NULL) != RC_OK)
        goto fail;
    for (size_t i = 0; i < m; i++)
        if (rc_edges_push(&e, edges[i][0], edges[i][1], w ? w[i] : 0.0f) != RC_OK)
            goto fail;
    if (rc_graph_build(n, &e, 0, &g, NULL) != RC_OK)
        goto fail;
    return g;
fail:
    fprintf(stderr, "fixture graph: %s\n", rc_error_message());
    exit(1);
}

/* Star: 0 -> 1..n-1. */
static inline rc_graph_t *fx_star(uint32_t n)
{
    uint32_t(*e)[2] = malloc((size_t)n * sizeof *e);
    for (uint32_t i = 1; i < n; i++) {
        e[i - 1][0] = 0;
        e[i - 1][1] = i;
    }
    rc_graph_t *g = fx_graph(n, n - 1, (const uint32_t(*)[2])e, NULL);
    free(e);
    return g;
}

/* Path 0 -> 1 -> ... -> n-1. */
static inline rc_graph_t *fx_path(uint32_t n)
{
    uint32_t(*e)[2] = malloc((size_t)n * sizeof *e);
    for (uint32_t i = 1; i < n; i++) {
        e[i - 1][0] = i - 1;
        e[i - 1][1] = i;
    }
    rc_graph_t *g = fx_graph(n, n - 1, (const uint32_t(*)[2])e, NULL);
    free(e);
    return g;
}

/* Directed random graph with m edges drawn uniformly (duplicates and loops dropped), seeded. */
static inline rc_graph_t *fx_random(uint32_t n, uint64_t m, uint64_t seed)
{
    rc_edges_t e = {0};
    rc_graph_t *g = NULL;
    gsl_rng *r = rc_rng_alloc();
    rc_rng_seed(r, seed, 0, 0);
    if (rc_edges_init(&e, m, 0) != RC_OK)
        goto fail;
    for (uint64_t i = 0; i < m; i++)
        if (rc_edges_push(&e, rc_rng_below(r, n), rc_rng_below(r, n), 0.0f) != RC_OK)
            goto fail;
    if (rc_graph_build(n, &e, 0, &g, NULL) != RC_OK)
        goto fail;
    gsl_rng_free(r);
    return g;
fail:
    fprintf(stderr, "fixture graph: %s\n", rc_error_message());
    exit(1);
}

/* Parses a `model:` map given as YAML flow text, e.g. "{name: independent_cascade, p: 0.5}". */
static inline void fx_model(const char *yaml, const rc_model_t **model, void **params)
{
    rc_cfg_t *root = NULL;
    if (rc_cfg_parse_string(yaml, "<test>", &root) != RC_OK ||
        rc_model_parse(root, model, params) != RC_OK) {
        fprintf(stderr, "fixture model '%s': %s\n", yaml, rc_error_message());
        exit(1);
    }
    rc_cfg_free(root);
}

/* Parses a `seeds:` map from YAML flow text. */
static inline rc_status_t fx_seeds(const char *yaml, rc_seed_spec_t *spec)
{
    rc_cfg_t *root = NULL;
    rc_status_t s = rc_cfg_parse_string(yaml, "<test>", &root);
    if (s == RC_OK)
        s = rc_seeds_parse(root, spec);
    rc_cfg_free(root);
    return s;
}

#endif
