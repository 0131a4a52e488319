/* A sweep point's runs in blocks, from any thread: what lets a runner keep every core busy on
 * many short points at once. rc_mc_point_begin resolves a point once (seeds or audience, the
 * model's prepare, greedy seeds, the results arrays); then any threads run disjoint blocks of
 * its runs with rc_mc_point_run, each through a worker (one per thread) whose scratch is kept
 * from block to block and from point to point; rc_mc_point_finish summarizes it. Run r still
 * draws from stream (master seed, point, r) and lands at index r, and the adoptions per
 * generation are integer sums, so the result equals rc_mc_run's bit for bit whichever threads
 * ran which blocks, in whatever order. rc_mc_run is begin, an OpenMP loop over the runs, and
 * finish. */
#ifndef RTCASCADE_MC_POINT_H
#define RTCASCADE_MC_POINT_H

#include "rtcascade/engine.h"
#include "rtcascade/error.h"

#include <stdint.h>

typedef struct rc_mc_point rc_mc_point_t;
typedef struct rc_mc_worker rc_mc_worker_t;

/* Resolves point `point` for `runs` runs: the arguments of rc_mc_run (opt's first_run offsets
 * the streams as there; its threads only size greedy seed searches; its cancel hook is polled
 * before every run of every block). Does no run. g, model, params, seeds and opt's pointers
 * must outlive the point. Free with rc_mc_point_finish, or rc_mc_point_free to drop it. */
rc_status_t rc_mc_point_begin(const rc_graph_t *g, const rc_model_t *model, const void *params,
                              const rc_seed_spec_t *seeds, uint64_t runs, uint64_t master_seed,
                              uint64_t point, const rc_mc_options_t *opt, rc_mc_point_t **out);

/* Runs [first, first + count) of p on the calling thread with w's scratch (made or reused for
 * p on its first block of p). Blocks of one point may run on several threads at once if they
 * do not overlap; a worker serves one thread at a time. Returns RC_OK, RC_ERR_INTERRUPTED when
 * the cancel hook stopped the point, or the status of a failed run (the point is then stopped:
 * its later blocks do nothing); the message of a failure comes from rc_mc_point_finish. */
rc_status_t rc_mc_point_run(rc_mc_point_t *p, rc_mc_worker_t *w, uint64_t first, uint64_t count);

/* Once no block of p runs and every run is done (or p was stopped): the summary, as rc_mc_run
 * returns it, into *out (the caller frees it), or the error of the first failing run, or
 * RC_ERR_INTERRUPTED. Frees p in every case. */
rc_status_t rc_mc_point_finish(rc_mc_point_t *p, rc_mc_results_t **out);

/* Drops a point without its results. NULL is harmless. */
void rc_mc_point_free(rc_mc_point_t *p);

/* A worker's scratch (workspace, generator, seed buffer), empty until its first block. NULL
 * with a message when out of memory. rc_mc_worker_free(NULL) is harmless; free a worker only
 * while none of its blocks runs. */
rc_mc_worker_t *rc_mc_worker_new(void);
void rc_mc_worker_free(rc_mc_worker_t *w);

#endif
