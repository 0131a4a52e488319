/* Influence-maximisation seed sets (greedy.c): degree discount (Chen, Wang & Yang 2009) and the
 * greedy hill-climbing of Kempe, Kleinberg & Tardos (2003) with CELF lazy evaluation (Leskovec et
 * al. 2007) over Monte Carlo estimates of the point's own model. seeds.c parses and resolves the
 * strategies through these; rc_mc_run fills a greedy plan once per point before its runs. */
#ifndef RTCASCADE_GREEDY_H
#define RTCASCADE_GREEDY_H

#include "rtcascade/engine.h"

/* Stream slot of the greedy estimates: run r of every marginal-gain estimate draws from
 * rc_rng_seed(master, RC_GREEDY_STREAM, r). Far above any point index and distinct from
 * RC_AUDIENCE_STREAM, and independent of the point, so that every point with the same graph,
 * model and greedy settings gets the same (nested) greedy sequence. */
#define RC_GREEDY_STREAM (UINT64_MAX - 2)

/* Default Monte Carlo runs per marginal-gain estimate. */
#define RC_GREEDY_DEFAULT_RUNS 1000u

/* The fixed seeds of degree_discount (computed here, O((n + m) log(n + m))), or for greedy a
 * check of count against the candidates and `count` RC_NO_NODE placeholders that rc_mc_run
 * replaces (rc_seeds_greedy) before any run. */
rc_status_t rc_seeds_resolve_influence(const rc_seed_spec_t *spec, const rc_graph_t *g,
                                       uint32_t *fixed);

/* Writes the first spec->count nodes of the greedy sequence into out: each next seed maximises
 * the estimated marginal gain of the spread (adopters, seeds included) of model/params on g,
 * estimated by spec->greedy_runs runs whose streams are common to all candidates (common random
 * numbers; sums are integers, so the result is the same for any thread count). The sequence
 * and its CELF state are cached in opt->greedy_cache per (graph contents, model, opt->model_key,
 * master seed, runs, candidates, max_size) when both are set, so a sweep over count extends one
 * sequence.
 * shared is the model's prepare() output (may be NULL). Uses opt->threads and opt->cancel. */
rc_status_t rc_seeds_greedy(const rc_seed_spec_t *spec, const rc_graph_t *g,
                            const rc_model_t *model, const void *params, const void *shared,
                            uint64_t master_seed, const rc_mc_options_t *opt, uint32_t *out);

/* A cache of greedy sequences, owned by whoever runs the points that share it (the experiment
 * runner); calls from several threads may share one. NULL when out of memory (message set).
 * rc_greedy_cache_free(NULL) is harmless. */
rc_greedy_cache_t *rc_greedy_cache_new(void);
void rc_greedy_cache_free(rc_greedy_cache_t *cache);

#endif
