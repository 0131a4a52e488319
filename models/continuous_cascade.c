/* Continuous-time cascade: every follower shown the post reshares with probability p, after a
 * delay from a chosen distribution (exponential, log-normal, Weibull or the SEISMIC power-law
 * kernel), counted from the moment the followee it saw it from reshared. Event-driven: pending
 * reshares wait in the workspace's binary heap and a follower adopts at its earliest one. Times
 * are in the delay distribution's unit, seconds by convention; seeds post at time 0. An optional
 * infectiousness decay (SEISMIC's p(t)) thins the reshares by the time since the post. */
#include "rtcascade/heap.h"
#include "rtcascade/model.h"
#include "rtcascade/rng.h"
#include "timed.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>

typedef struct cc_params {
    double p;          /* probability that a shown follower reshares */
    double inv_log_q;  /* 1 / log(1 - p) for geometric skips, when 0 < p < 1 */
    rc_delay_t delay;  /* delay between a followee's reshare and the follower's */
    double horizon;    /* reshares later than this are dropped; INFINITY = none */
    rc_decay_t decay;  /* infectiousness decay with the time since the post */
} cc_params_t;

/* Default delay: exponential with a mean of one hour. */
static const rc_delay_t cc_default_delay = {RC_DELAY_EXPONENTIAL, 1.0 / 3600.0, 0.0, 0.0};

static const rc_param_t cc_params[] = {
    {.name = "p", .type = RC_PARAM_REAL, .offset = offsetof(cc_params_t, p), .def = 0.1,
     .lo = 0.0, .hi = 1.0, .doc = "probability that a follower shown the post reshares it"},
    RC_DELAY_PARAM(cc_params_t, delay, &cc_default_delay,
                   "reshare delay after the followee's reshare"),
    {.name = "horizon", .type = RC_PARAM_REAL, .offset = offsetof(cc_params_t, horizon),
     .flags = RC_PARAM_ABOVE, .def = INFINITY, .lo = 0.0, .hi = INFINITY, .unit = "s",
     .def_text = "none (infinite)", .doc = "observation window: later reshares are dropped"},
    RC_DECAY_PARAM(cc_params_t, decay),
    {0},
};

static rc_status_t cc_validate(void *params, uint64_t given, const char **key)
{
    cc_params_t *p = params;
    (void)given;
    *key = NULL;
    p->inv_log_q = (p->p > 0.0 && p->p < 1.0) ? 1.0 / log1p(-p->p) : 0.0;
    return RC_OK;
}

/* Runs one cascade. Node states: not shown (stamp != epoch); shown and pending (slot ==
 * RC_NO_PARENT, value = time of its earliest scheduled reshare, INFINITY if none); adopted
 * (slot = its index in adopted[]). A reshare that would come no earlier than one already
 * scheduled for the same follower is never pushed: it could not change the outcome. */
static rc_status_t cc_run(const rc_run_ctx_t *ctx, const uint32_t *seeds, uint32_t n_seeds,
                          gsl_rng *r, rc_workspace_t *ws, rc_cascade_t *out)
{
    rc_status_t status = RC_OK;
    const rc_graph_t *g = ctx->graph;
    const cc_params_t *p = ctx->params;
    rc_heap_t *heap = ws->heap;
    const uint32_t epoch = ws->epoch;
    uint32_t *restrict stamp = ws->stamp;
    uint32_t *restrict slot = ws->slot;
    double *restrict value = ws->value;
    uint32_t *restrict adopted = ws->adopted;
    uint32_t *restrict parent = ws->parent;
    uint32_t *restrict gen = ws->generation;
    double *restrict time = ws->time;
    const uint64_t *restrict off = g->out_off;
    const uint32_t *restrict nbr = g->out_nbr;
    const uint32_t cap = ctx->max_size ? ctx->max_size : UINT32_MAX;
    const uint64_t *aud = ctx->audience_bits; /* members are counted in reach from the start */
    uint32_t size = 0;
    uint64_t reach = ctx->audience_size;
    int capped = 0;

    rc_heap_clear(heap);
    for (uint32_t i = 0; i < n_seeds; i++) {
        uint32_t v = seeds[i];
        if (stamp[v] == epoch)
            continue; /* a repeated seed adopts once */
        double t0 = 0.0;
        if (aud != NULL) {
            /* A first-hop resharer reshares the author's post (time 0) after a delay of its
             * own, and not at all past the horizon. It keeps that time even if a followee's
             * reshare reaches it sooner: the author's resharers are the cascade's seeds. */
            t0 = rc_delay_sample(&p->delay, r);
            if (!(t0 <= p->horizon) || !rc_decay_keep(&p->decay, t0, r))
                continue;
        }
        if (size >= cap) {
            capped = 1;
            break;
        }
        stamp[v] = epoch;
        slot[v] = size;
        reach += 1u ^ rc_audience_has(aud, v);
        adopted[size] = v;
        parent[size] = RC_NO_PARENT;
        gen[size] = 0;
        time[size] = t0;
        size++;
    }
    const uint32_t seeds_kept = size;

    /* `next` is the first adopter whose followers have not been shown the post yet. */
    uint32_t next = 0;
    for (;;) {
        for (; next < size; next++) {
            const uint32_t u = adopted[next];
            const double tu = time[next];
            const uint64_t begin = off[u], end = off[u + 1];
            for (uint64_t e = begin; e < end; e++) {
                const uint32_t v = nbr[e];
                if (stamp[v] != epoch) {
                    stamp[v] = epoch;
                    slot[v] = RC_NO_PARENT;
                    value[v] = INFINITY;
                    reach += 1u ^ rc_audience_has(aud, v);
                }
            }
            /* At the cap the last adopter's reshares are still scheduled: a pending one is
             * what tells a capped run from one that ended by itself at exactly the cap. */
            if (p->p <= 0.0)
                continue;
            /* Successful exposures only: every follower when p = 1, else geometric gaps. */
            uint64_t e = begin;
            for (;;) {
                if (p->p < 1.0) {
                    double gap = floor(log(rc_rng_uniform_pos(r)) * p->inv_log_q);
                    if (gap >= (double)(end - e))
                        break;
                    e += (uint64_t)gap;
                }
                if (e >= end)
                    break;
                const uint32_t v = nbr[e++];
                if (slot[v] != RC_NO_PARENT)
                    continue; /* already reshared */
                const double t = tu + rc_delay_sample(&p->delay, r);
                if (!(t <= p->horizon) || t >= value[v])
                    continue; /* past the horizon (or infinite), or not v's earliest */
                if (!rc_decay_keep(&p->decay, t, r))
                    continue; /* the post was no longer infectious enough at t */
                value[v] = t;
                RC_TRY(rc_heap_push(heap, t, v, next));
            }
        }
        rc_event_t ev;
        int found = 0;
        while (rc_heap_pop(heap, &ev)) {
            /* Every event but a follower's earliest is stale once that one has adopted it. */
            if (slot[ev.node] == RC_NO_PARENT) {
                found = 1;
                break;
            }
        }
        if (!found)
            break;
        if (size >= cap) {
            capped = 1;
            break;
        }
        const uint32_t v = ev.node;
        slot[v] = size;
        adopted[size] = v;
        parent[size] = ev.parent;
        gen[size] = gen[ev.parent] + 1;
        time[size] = ev.time;
        size++;
    }

    rc_cascade_finish(out, ws, size, seeds_kept, 1, reach, capped, aud != NULL);
cleanup:
    return status;
}

const rc_model_t rc_model_continuous_cascade = {
    .name = "continuous_cascade",
    .summary = "each follower shown the post reshares with probability p after a random delay "
               "(exponential, log-normal, Weibull or SEISMIC power law)",
    .params = cc_params,
    .params_size = sizeof(cc_params_t),
    .timed = 1,
    .validate = cc_validate,
    .prepare = NULL,
    .free_shared = NULL,
    .state_size = NULL,
    .run = cc_run,
};
