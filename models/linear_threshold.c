/* Linear threshold model (Kempe, Kleinberg & Tardos 2003): follower v reshares once the summed
 * weights b(u, v) of the followees u who reshared reach v's threshold, drawn uniformly on [0, 1]
 * the first time v is shown the post. Weights are 1/in-degree(v) or the network's edge weights.
 * Generations are synchronous: the adopter list doubles as the BFS frontier. The fused kernel
 * (lt_run_fused) runs 64 runs at once, thresholds from counter words keyed by (run, node). */
#include "fused.h"
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

/* How far ahead in the adopter queue an adopter's offsets, follower list (its first and last
 * lines) and its followers' states (stamp, count, in-degree) are requested: all random reads of
 * arrays larger than the caches, as in the independent cascade. */
#define LT_AHEAD_OFF 16
#define LT_AHEAD_NBR 8
#define LT_AHEAD_STATE 3

static inline void lt_look_ahead(const rc_graph_t *g, const uint32_t *adopted, uint32_t head,
                                 uint32_t size, uint32_t *stamp, uint32_t *slot)
{
    const uint64_t *off = g->out_off;
    if (head + LT_AHEAD_OFF < size)
        __builtin_prefetch(&off[adopted[head + LT_AHEAD_OFF]]);
    if (head + LT_AHEAD_NBR < size)
        rc_graph_prefetch_followers(g, adopted[head + LT_AHEAD_NBR]);
    if (head + LT_AHEAD_STATE < size) {
        const uint32_t x = adopted[head + LT_AHEAD_STATE];
        for (uint64_t k = off[x]; k < off[x + 1]; k++) {
            const uint32_t w = g->out_nbr[k];
            __builtin_prefetch(&stamp[w], 1);
            __builtin_prefetch(&slot[w], 1);
            __builtin_prefetch(&g->in_off[w]);
        }
    }
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
    uint64_t out_degrees = 0; /* of every adopter: each is read (rc_cascade_t.out_degrees) */
    for (uint32_t head = 0; head < size; head++) {
        lt_look_ahead(g, adopted, head, size, stamp, slot);
        const uint32_t u = adopted[head];
        out_degrees += off[u + 1] - off[u];
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
    out->degrees_read = size;
    out->out_degrees = out_degrees;
    return RC_OK;
}

/* ---- The fused kernel (weights: in_degree) ---- */

/* Domain of the thresholds' counter words: key (master ^ this, point, run), counter = node. */
#define LT_THRESHOLD_DOMAIN 0x7468726573ULL

/* Decrements of one pass: each entry's node u reads its followers once for the lanes L where
 * it adopted last pass; follower v is shown the post in L, and in the lanes of L where it has
 * not adopted yet its count of adopted followees grows (its threshold, need = ceil(theta k),
 * drawn the first time: theta from the word of key (master, point, run) at counter v). Every
 * such edge is a claim; those into nodes that do not adopt are dropped at the pass's end. */
static rc_status_t lt_pass(const rc_run_ctx_t *ctx, rc_fused_ws_t *fw, const uint64_t *keys)
{
    rc_status_t status = RC_OK;
    const rc_graph_t *g = ctx->graph;
    for (uint64_t k = fw->pass_first; k < fw->n_entries; k++) {
        fz_entry_t *en = &fw->entries[k];
        const uint64_t lanes = en->lanes & fw->live;
        const uint32_t u = en->node;
        const uint64_t b = g->out_off[u], d = g->out_off[u + 1] - b;
        RC_TRY(fz_reserve_claims(fw, d));
        en->begin = fw->n_claims;
        for (uint64_t i = 0; i < d && lanes != 0; i++) {
            const uint32_t v = g->out_nbr[b + i];
            fz_node_t *nd = fz_touch(fw, v);
            nd->exposed |= lanes;
            const uint64_t rel = lanes & ~nd->adopted;
            if (rel == 0)
                continue;
            fz_block_t *bl = NULL;
            RC_TRY(fz_block_of(fw, nd, &bl));
            if (nd->pass != fw->pass_id) {
                nd->pass = fw->pass_id;
                fw->counted[fw->n_counted++] = v;
            }
            for (uint64_t fresh = rel & ~bl->init; fresh != 0; fresh &= fresh - 1) {
                const int j = __builtin_ctzll(fresh);
                const double theta = (double)(rc_ctr_u64(keys[j], v) >> 11) * 0x1.0p-53;
                const double need = ceil(theta * (double)(g->in_off[v + 1] - g->in_off[v]));
                bl->rem[j] = need < 1.0 ? 1 : (int32_t)need;
                bl->dec[j] = 0;
            }
            bl->init |= rel;
            bl->dirty |= rel;
            for (uint64_t x = rel; x != 0; x &= x - 1)
                bl->dec[__builtin_ctzll(x)]++;
            fz_claim_t *c = &fw->claims[fw->n_claims++];
            c->v = v;
            c->entry = 0;
            c->lanes = rel;
        }
        en->end = fw->n_claims;
    }
cleanup:
    return status;
}

/* The end of an LT pass: each counted node adopts in the lanes where its need is met (and
 * keeps there, as its rank, the need it had before the pass: the claim of that rank in the
 * run's order is the one that made it adopt); then the pass's claims keep only such lanes. */
static void lt_pass_settle(rc_fused_ws_t *fw, uint64_t claims_first)
{
    for (uint32_t i = 0; i < fw->n_counted; i++) {
        const uint32_t v = fw->counted[i];
        fz_node_t *nd = &fw->node[v];
        fz_block_t *bl = &fw->blocks[nd->block];
        uint64_t adopt = 0;
        for (uint64_t x = bl->dirty; x != 0; x &= x - 1) {
            const int j = __builtin_ctzll(x);
            const int32_t before = bl->rem[j];
            bl->rem[j] -= (int32_t)bl->dec[j];
            bl->dec[j] = 0;
            if (bl->rem[j] <= 0) {
                bl->rem[j] = before;
                adopt |= (uint64_t)1 << j;
            }
        }
        bl->dirty = 0;
        if (adopt != 0) {
            nd->next = fw->n_next;
            fw->next[fw->n_next++] = v;
            nd->claimed = adopt;
        }
    }
    fw->n_counted = 0;
    uint64_t w = claims_first;
    for (uint64_t k = fw->pass_first; k < fw->n_entries; k++) {
        fz_entry_t *en = &fw->entries[k];
        const uint64_t begin = w;
        for (uint64_t c = en->begin; c < en->end; c++) {
            fz_claim_t cl = fw->claims[c];
            const fz_node_t *nd = &fw->node[cl.v];
            cl.lanes &= nd->claimed;
            if (cl.lanes == 0)
                continue;
            cl.entry = (uint32_t)(fw->n_entries + nd->next);
            fw->claims[w++] = cl;
        }
        en->begin = begin;
        en->end = w;
    }
    fw->n_claims = w;
}

static rc_status_t lt_run_fused(const rc_run_ctx_t *ctx, const rc_fused_group_t *grp,
                                rc_fused_ws_t *fw, rc_workspace_t *ws, rc_fused_emit_t emit,
                                void *emit_ctx)
{
    rc_status_t status = RC_OK;
    uint64_t keys[RC_LANES];
    for (int j = 0; j < RC_LANES; j++)
        keys[j] = rc_ctr_key(grp->master ^ LT_THRESHOLD_DOMAIN, grp->point,
                             (uint64_t)RC_LANES * grp->group + (uint64_t)j);
    RC_TRY(fz_begin(fw, grp));
    int more = fw->n_entries > 0;
    while (more) {
        const uint64_t claims_first = fw->n_claims;
        RC_TRY(lt_pass(ctx, fw, keys));
        lt_pass_settle(fw, claims_first);
        RC_TRY(fz_pass_end(fw, ctx->max_size, &more));
    }
    fz_count_reach(fw, ctx->audience_bits);
    for (uint64_t x = grp->lanes; x != 0; x &= x - 1)
        RC_TRY(fz_emit_lane(fw, ctx, grp, (unsigned)__builtin_ctzll(x), FZ_RANK, ws, emit,
                            emit_ctx));
cleanup:
    return status;
}

/* weights: in_degree only. */
static const char *lt_fused_check(const void *params, const void *shared, const rc_graph_t *g)
{
    const lt_params_t *p = params;
    (void)shared;
    (void)g;
    return p->weights != LT_IN_DEGREE ? "linear_threshold runs fused with weights: in_degree only"
                                      : NULL;
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
    .fused_check = lt_fused_check,
    .run_fused = lt_run_fused,
};
