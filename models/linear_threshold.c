/* Linear threshold model (Kempe, Kleinberg & Tardos 2003): follower v reshares once the summed
 * weights b(u, v) of the followees u who reshared reach v's threshold, drawn uniformly on [0, 1]
 * the first time v is shown the post. Weights are 1/in-degree(v) or the network's edge weights.
 * Generations are synchronous: the adopter list doubles as the BFS frontier. */
#include "rtcascade/model.h"
#include "rtcascade/rng.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>

typedef enum lt_weights {
    LT_IN_DEGREE = 0, /* b(u, v) = 1 / in-degree(v) */
    LT_GRAPH = 1      /* b(u, v) = the edge weight; each node's incoming weights sum to <= 1 */
} lt_weights_t;

static const char *const lt_weight_names[] = {"in_degree", "graph", NULL};

typedef struct lt_params {
    int weights; /* lt_weights_t: where b(u, v) comes from */
} lt_params_t;

/* slot[v] of a node that has reshared (other shown nodes: see lt_run). */
#define LT_ADOPTED 0xffffffffU
/* Slack for float rounding when checking that incoming weights sum to at most 1. */
#define LT_WEIGHT_SLACK 1e-5

static const rc_param_t lt_params[] = {
    {.name = "weights", .type = RC_PARAM_CHOICE, .offset = offsetof(lt_params_t, weights),
     .def = LT_IN_DEGREE, .choices = lt_weight_names,
     .doc = "edge weight b(u,v): in_degree (1/in-degree of the follower v) or graph (the "
            "network's edge weights; each node's incoming weights must sum to <= 1)"},
    {0},
};

/* With graph weights, checks once per point that they are usable: non-negative and summing to at
 * most 1 over each node's followees (otherwise the live-edge reading of the model breaks).
 * Shares nothing: runs read g->out_w directly. */
static rc_status_t lt_prepare(const void *params, const rc_graph_t *g, void **shared)
{
    rc_status_t status = RC_OK;
    const lt_params_t *p = params;
    *shared = NULL;
    if (p->weights != LT_GRAPH)
        goto cleanup;
    if (g->in_w == NULL || g->out_w == NULL)
        RC_FAIL(RC_ERR_CONFIG, "model.weights: graph needs a network with edge weights (load one "
                "with weighted: true), or use weights: in_degree");
    for (uint32_t v = 0; v < g->n; v++) {
        double sum = 0.0;
        for (uint64_t e = g->in_off[v]; e < g->in_off[v + 1]; e++) {
            if (!(g->in_w[e] >= 0.0f))
                RC_FAIL(RC_ERR_CONFIG, "model.weights: graph: edge %u -> %u has weight %g; "
                        "linear threshold weights must be >= 0", g->in_nbr[e], v,
                        (double)g->in_w[e]);
            sum += g->in_w[e];
        }
        if (sum > 1.0 + LT_WEIGHT_SLACK)
            RC_FAIL(RC_ERR_CONFIG, "model.weights: graph: the incoming weights of node %u sum to "
                    "%g; linear threshold needs at most 1 per node", v, sum);
    }
cleanup:
    return status;
}

static rc_status_t lt_run(const rc_run_ctx_t *ctx, const uint32_t *seeds, uint32_t n_seeds,
                          gsl_rng *r, rc_workspace_t *ws, rc_cascade_t *out)
{
    const rc_graph_t *g = ctx->graph;
    const lt_params_t *p = ctx->params;
    const uint32_t epoch = ws->epoch;
    uint32_t *restrict stamp = ws->stamp;
    uint32_t *restrict slot = ws->slot;
    double *restrict value = ws->value;
    uint32_t *restrict adopted = ws->adopted;
    uint32_t *restrict parent = ws->parent;
    uint32_t *restrict gen = ws->generation;
    const uint64_t *restrict off = g->out_off;
    const uint32_t *restrict nbr = g->out_nbr;
    const float *restrict w = p->weights == LT_GRAPH ? g->out_w : NULL;
    const uint32_t cap = ctx->max_size ? ctx->max_size : UINT32_MAX;
    /* An audience was shown the post by its author, who is outside the graph: it counts in
     * reach from the start and is no one's followee, so it adds no weight to any threshold. */
    const uint64_t *aud = ctx->audience_bits;
    uint64_t reach = ctx->audience_size;
    int capped = 0;
    uint32_t size = rc_place_seeds(ws, seeds, n_seeds, cap, LT_ADOPTED, aud, &reach, &capped);
    const uint32_t seeds_kept = size;

    /* in_degree weights: slot[v] counts down the adopted followees v needs, ceil(theta_v k_v)
     * (at least 1), so the test "count / k >= theta" is exact and costs one decrement per
     * exposure. Graph weights: value[v] holds what is left of theta_v. Once the cap is reached
     * nobody else adopts, but the loop still walks the adopters' followers so that reach counts
     * everyone shown the post. */
    for (uint32_t head = 0; head < size; head++) {
        const uint32_t u = adopted[head];
        for (uint64_t e = off[u]; e < off[u + 1]; e++) {
            const uint32_t v = nbr[e];
            if (stamp[v] != epoch) {
                stamp[v] = epoch;
                reach += 1u ^ rc_audience_has(aud, v);
                const double theta = rc_rng_uniform(r);
                if (w == NULL) {
                    double need = ceil(theta * (double)(g->in_off[v + 1] - g->in_off[v]));
                    slot[v] = need < 1.0 ? 1 : (uint32_t)need;
                } else {
                    slot[v] = 0;
                    value[v] = theta;
                }
            } else if (slot[v] == LT_ADOPTED) {
                continue;
            }
            int crossed;
            if (w == NULL) {
                crossed = --slot[v] == 0;
            } else {
                value[v] -= w[e];
                crossed = value[v] <= 0.0;
            }
            if (!crossed)
                continue;
            if (size >= cap) {
                capped = 1;
                slot[v] = LT_ADOPTED; /* settled: nobody adopts past the cap */
                continue;
            }
            slot[v] = LT_ADOPTED;
            adopted[size] = v;
            parent[size] = head;
            gen[size] = gen[head] + 1;
            size++;
        }
    }

    rc_cascade_finish(out, ws, size, seeds_kept, 0, reach, capped, aud != NULL);
    return RC_OK;
}

const rc_model_t rc_model_linear_threshold = {
    .name = "linear_threshold",
    .summary = "a follower reshares once the weights of its followees who reshared reach its "
               "uniform [0,1] threshold (Kempe et al. 2003)",
    .params = lt_params,
    .params_size = sizeof(lt_params_t),
    .timed = 0,
    .prepare = lt_prepare,
    .free_shared = NULL,
    .state_size = NULL,
    .run = lt_run,
};
