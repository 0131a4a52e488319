/* Cascade models: a model is a table of functions in one file of models/, listed once in
 * models/models.def. The engine calls only these hooks; a model never allocates per run and
 * never sees threads, ranks or files.
 *
 * One run = one cascade from a seed set. The model writes the cascade tree (who adopted, through
 * whom, in which generation, at what time) into an rc_cascade_t whose arrays belong to the
 * per-thread workspace; the engine turns it into metrics. */
#ifndef RTCASCADE_MODEL_H
#define RTCASCADE_MODEL_H

#include "rtcascade/error.h"
#include "rtcascade/graph.h"
#include "rtcascade/params.h"

#include <gsl/gsl_rng.h>
#include <stddef.h>
#include <stdint.h>

#define RC_NO_PARENT 0xffffffffU

/* Per-thread scratch shared by all models, allocated once per thread for a graph of n nodes and
 * reset in O(cascade size) between runs by bumping `epoch`. */
typedef struct rc_workspace {
    uint32_t n;            /* nodes of the graph it was made for */
    uint32_t capacity;     /* adopters a run may hold (>= n; the cascade arrays' length) */
    uint32_t epoch;        /* current run's stamp; a node is "touched" when stamp[v] == epoch */
    uint32_t *stamp;       /* n: epoch at which node v was last touched */
    uint32_t *slot;        /* capacity: per-node scratch valid when stamp[v] == epoch (index,
                              count...), and the engine's per-generation counts */
    double *value;         /* capacity: per-node scratch value valid when stamp[v] == epoch */
    uint32_t *adopted;     /* capacity: adopters in adoption order (the cascade's node list) */
    uint32_t *parent;      /* capacity: index in adopted[] of each adopter's parent */
    uint32_t *generation;  /* capacity: generation of each adopter (seeds: 0) */
    double *time;          /* capacity: adoption times (timed models) */
    uint32_t *queue;       /* capacity: generic FIFO / frontier */
    void *heap;            /* event heap for timed models (models-layer owned, see rtcascade/heap.h) */
    void *model_state;     /* model_state_size bytes for the model's own use */
    size_t model_state_size;
} rc_workspace_t;

/* The cascade of one run. Arrays point into the workspace. */
typedef struct rc_cascade {
    uint32_t size;         /* adopters, seeds included */
    uint32_t n_seeds;      /* the first n_seeds entries of node[] are the seeds */
    const uint32_t *node;  /* adopters in order of adoption */
    const uint32_t *parent;/* index into node[] of the adopter's tree parent; RC_NO_PARENT for seeds */
    const uint32_t *generation; /* 0 for seeds, parent's + 1 otherwise */
    const double *time;    /* adoption times, or NULL for untimed models */
    const double *mark;    /* per adopter, the mark the model gave it (hawkes: its follower count
                              d), or NULL for models without marks */
    uint64_t reach;        /* distinct users shown the post (seeds, their followers, and every adopter's followers) */
    int capped;            /* 1 when the run stopped at the size cap (supercritical) */
    int rooted;            /* 1 in an audience scenario: the seeds are the first-hop resharers of a
                              virtual author (the tree's root, generation 0), so the metrics count
                              them as generation 1 and take depth and virality from the author */
    uint32_t degrees_read; /* the out-degrees of the first degrees_read adopters sum to
                              out_degrees: a model that read them as it went hands them over, so
                              the metrics need not read them again (0: the metrics read all) */
    uint64_t out_degrees;
} rc_cascade_t;

/* Hands a finished run to the engine: *out points at ws's adopted/parent/generation arrays (and
 * its times when `timed`), where a model's run hook wrote its first `size` entries. Every model
 * ends this way, so the rule "the arrays belong to the workspace" is written once. */
static inline void rc_cascade_finish(rc_cascade_t *out, const rc_workspace_t *ws, uint32_t size,
                                     uint32_t n_seeds, int timed, uint64_t reach, int capped,
                                     int rooted)
{
    out->size = size;
    out->n_seeds = n_seeds;
    out->node = ws->adopted;
    out->parent = ws->parent;
    out->generation = ws->generation;
    out->time = timed ? ws->time : NULL;
    out->mark = NULL;
    out->reach = reach;
    out->capped = capped;
    out->rooted = rooted;
    out->degrees_read = 0;
    out->out_degrees = 0;
}

/* What a model's run hook gets: the graph, the parsed parameters and the per-point data. */
typedef struct rc_run_ctx {
    const rc_graph_t *graph;
    const void *params;    /* the filled parameter struct (rc_model_t.params) */
    const void *shared;    /* from prepare(), or NULL */
    uint32_t max_size;     /* stop once this many have adopted (cap); 0 = no cap */
    /* Audience scenarios: an author outside the graph posted and its audience_size followers
     * were all shown the post; the seeds are those who reshared it (first hop), and a timed
     * model draws their reshare times from its delay kernel after the post at time 0. Bit v of
     * audience_bits is set when node v is in the audience: such a node is already counted in
     * reach, which starts at audience_size. NULL and 0 with ordinary seeds. */
    const uint64_t *audience_bits;
    uint32_t audience_size;
} rc_run_ctx_t;

/* 1 when node v is in the audience bitmap `bits`; 0 when bits is NULL (no audience). */
static inline uint32_t rc_audience_has(const uint64_t *bits, uint32_t v)
{
    return bits != NULL ? (uint32_t)(bits[v >> 6] >> (v & 63)) & 1u : 0u;
}

/* Places the distinct seeds as generation-0 adopters (stamp = current epoch, slot = `mark`),
 * counting in *reach those outside the audience, up to `cap` adopters (*capped = 1 when a seed
 * had to be refused). Returns how many were placed. For models whose seeds need nothing more
 * (the threshold models); models with seed times or exposure marks place their own. */
static inline uint32_t rc_place_seeds(rc_workspace_t *ws, const uint32_t *seeds, uint32_t n_seeds,
                                      uint32_t cap, uint32_t mark, const uint64_t *aud,
                                      uint64_t *reach, int *capped)
{
    uint32_t size = 0;
    for (uint32_t i = 0; i < n_seeds; i++) {
        uint32_t v = seeds[i];
        if (ws->stamp[v] == ws->epoch)
            continue; /* a repeated seed adopts once */
        if (size >= cap) {
            *capped = 1;
            break;
        }
        ws->stamp[v] = ws->epoch;
        ws->slot[v] = mark;
        *reach += 1u ^ rc_audience_has(aud, v);
        ws->adopted[size] = v;
        ws->parent[size] = RC_NO_PARENT;
        ws->generation[size] = 0;
        size++;
    }
    return size;
}

/* ---- The fused kernel: 64 runs at a time ----
 *
 * Runs 64 g .. 64 g + 63 of a point form group g (aligned on run numbers, so a run's lane is
 * run % 64 whichever runs a call holds). A model with a fused kernel advances the group's runs
 * together, one bit per run per node, generation by generation: each node reached in a pass
 * reads its followers once for all the runs that reached it. Every random number a run uses
 * is a function of (master seed, point, run, edge or node) alone (rng.h's counter words), so a
 * run's result does not depend on the other runs of its group, on the threads or on the
 * split of the runs between calls. Each run's cascade is then taken out of the group exactly
 * as the per-run kernel would have built it from the same coins (same order of adopters, same
 * parents) and handed to the engine, which computes its metrics as for any run. */
#define RC_LANES 64

/* What a group gets from the engine: its runs and each run's seeds (drawn from the run's own
 * stream, as in the per-run kernel). */
typedef struct rc_fused_group {
    uint64_t master, point;  /* the stream keys' first parts */
    uint64_t group;          /* runs RC_LANES * group + lane */
    uint64_t lanes;          /* bit j set: run RC_LANES * group + j is to be run */
    const uint32_t *seed_off; /* RC_LANES + 1 offsets: lane j's seeds are */
    const uint32_t *seeds;   /*   seeds[seed_off[j] .. seed_off[j + 1]) */
} rc_fused_group_t;

/* Told each run of a group once its cascade is built (arrays valid during the call only);
 * a status other than RC_OK stops the group. */
typedef rc_status_t (*rc_fused_emit_t)(void *ctx, unsigned lane, const rc_cascade_t *cascade);

/* A fused kernel's per-thread state (models layer; about 60 bytes a node, more while a group
 * holds many adopters). */
typedef struct rc_fused_ws rc_fused_ws_t;

/* Allocates the state for graphs of n nodes; NULL-safe free. */
rc_status_t rc_fused_ws_alloc(uint32_t n, rc_fused_ws_t **out);
void rc_fused_ws_free(rc_fused_ws_t *fw);

/* Visits of the group the last run_fused advanced: a visit reads a node's followers once for
 * every lane in which the node adopted in one generation, so the group's adoptions over its
 * visits is how many runs a read served (docs/benchmarks.md: fused pays from about 6). */
uint64_t rc_fused_ws_visits(const rc_fused_ws_t *fw);

typedef struct rc_model {
    const char *name;               /* config name, e.g. "independent_cascade" */
    const char *summary;            /* one line */
    const rc_param_t *params;       /* its parameters as data, {NULL}-terminated: filled into a
                                       struct of params_size bytes (io layer from a config, or
                                       rc_params_defaults); docs are written from it */
    size_t params_size;
    int timed;                      /* 1 when runs produce adoption times */
    /* Optional: checks across parameters and derived values, once the struct is filled. `given`
     * has bit i set when params[i] was given explicitly. On failure: RC_ERR_CONFIG with the
     * message (without location) and *key the parameter path it concerns ("p",
     * "followers.max"), or NULL for the whole section. */
    rc_status_t (*validate)(void *params, uint64_t given, const char **key);
    /* Optional: checks that need the graph (a parameter beyond the network's size...), made
     * once the network is built and before any point on it runs; RC_ERR_CONFIG with a message
     * naming the key (model.KEY). */
    rc_status_t (*check_graph)(const void *params, const rc_graph_t *g);
    /* Optional: per-point data computed once from params and the graph (edge probabilities,
     * kernels...). Read-only afterwards and shared by all threads. */
    rc_status_t (*prepare)(const void *params, const rc_graph_t *g, void **shared);
    void (*free_shared)(void *shared);
    /* Optional: bytes of per-thread model state (beyond the common workspace). */
    size_t (*state_size)(const void *params, const rc_graph_t *g);
    /* Optional: adopters one run may hold when it can exceed the graph's nodes (a model whose
     * adopters are not all nodes of the graph); the workspace is sized max(n, this). */
    uint32_t (*capacity)(const void *params, const rc_graph_t *g);
    /* Runs one cascade from the seeds with the run's own generator. Fills *out (rooted = 1
     * exactly when ctx->audience_bits != NULL). */
    rc_status_t (*run)(const rc_run_ctx_t *ctx, const uint32_t *seeds, uint32_t n_seeds,
                       gsl_rng *rng, rc_workspace_t *ws, rc_cascade_t *out);
    /* Optional: the fused kernel. fused_check (after prepare; NULL when run_fused runs every
     * parameter set) returns NULL when run_fused can run these parameters on g, else why not
     * (one phrase, for messages). */
    const char *(*fused_check)(const void *params, const void *shared, const rc_graph_t *g);
    /* Runs the group's runs and calls emit once per lane of grp->lanes, in lane order, with
     * its cascade (built in ws's arrays, as run would). ctx as for run (max_size >= every
     * run's seeds). RC_ERR_NOMEM when the group outgrows memory. */
    rc_status_t (*run_fused)(const rc_run_ctx_t *ctx, const rc_fused_group_t *grp,
                             rc_fused_ws_t *fw, rc_workspace_t *ws, rc_fused_emit_t emit,
                             void *emit_ctx);
    /* 1 when run_fused beats run where a group's runs share their follower reads (about 6
     * runs a read), so that engine.kernel: auto may pick it after a pilot (kernel.c); 0 when
     * it is slower whatever they share (the linear threshold's per-lane counters). */
    int fused_auto;
} rc_model_t;

/* The registry (models/registry.c from models/models.def). */
/* The model called name, or NULL with a message listing every valid name. */
const rc_model_t *rc_model_find(const char *name);
/* Number of models and the i-th (in registry order). */
size_t rc_model_count(void);
const rc_model_t *rc_model_at(size_t i);
/* "independent_cascade, linear_threshold, ..." into buf (cut to fit). Cannot fail. */
const char *rc_model_names(char *buf, size_t len);

/* A parameter struct of `model` holding its defaults (required parameters zero), for programs
 * that set parameters without a config; free with rc_model_params_free. NULL when out of memory
 * (message set). */
void *rc_model_params_new(const rc_model_t *model);
/* Runs model->validate on a filled struct (RC_OK when the model has none). */
rc_status_t rc_model_params_check(const rc_model_t *model, void *params, uint64_t given,
                                  const char **key);
/* Frees a parameter struct (NULL is harmless). */
void rc_model_params_free(const rc_model_t *model, void *params);

/* The reference of a model (name, summary, parameters) as `rtcascade models NAME` prints it, and
 * of every model as `rtcascade models` prints it and docs/models.md embeds it. RC_ERR_IO when f
 * cannot be written. */
rc_status_t rc_model_describe(const rc_model_t *model, FILE *f);
rc_status_t rc_models_describe(FILE *f);

/* Workspace for graphs of n nodes and cascades of at most n adopters; NULL-safe free.
 * model_state_size may be 0. */
rc_status_t rc_workspace_alloc(uint32_t n, size_t model_state_size, rc_workspace_t **out);
/* The same for cascades of up to `capacity` adopters (>= n). */
rc_status_t rc_workspace_alloc_cap(uint32_t n, uint32_t capacity, size_t model_state_size,
                                   rc_workspace_t **out);
/* The workspace a model needs on g: its state size and its capacity (max(n, model->capacity)). */
rc_status_t rc_model_workspace(const rc_model_t *model, const void *params, const rc_graph_t *g,
                               rc_workspace_t **out);
void rc_workspace_free(rc_workspace_t *ws);
/* Starts a new run: bumps the epoch (clearing stamps in O(n) only once every 2^32 runs). */
void rc_workspace_next_run(rc_workspace_t *ws);

#endif
