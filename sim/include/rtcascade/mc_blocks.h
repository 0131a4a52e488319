/* Blocks of runs: a sweep point's runs computed in pieces (rc_mc_options_t.first_run), possibly
 * in other processes, and joined into exactly the result one rc_mc_run call gives. A block is
 * flattened into bytes to travel (rc_mc_results_pack), and put at its place in the point's
 * result (rc_mc_results_put_block); rc_mc_summarize then finishes the point. Nothing here knows
 * about MPI: the bytes are a plain buffer, read back by the same build of the program (same
 * byte order and type sizes, as on the nodes of one cluster). */
#ifndef RTCASCADE_MC_BLOCKS_H
#define RTCASCADE_MC_BLOCKS_H

#include "rtcascade/engine.h"
#include "rtcascade/error.h"

#include <stddef.h>
#include <stdint.h>

/* An empty result for `runs` runs (per-run arrays zeroed; time arrays only when timed; no
 * gen_total yet), as rc_mc_run allocates it. Free with rc_mc_results_free. */
rc_status_t rc_mc_results_alloc(uint64_t runs, int timed, rc_mc_results_t **out);

/* Flattens the per-run arrays, the per-point constants (point, seeds, timed, global threshold,
 * audience size), gen_total and the growth sums of res into one malloc'd buffer (*buf, *len; caller
 * frees). The summary is left out: it is recomputed from the joined runs. RC_ERR_NOMEM only. */
rc_status_t rc_mc_results_pack(const rc_mc_results_t *res, void **buf, size_t *len);

/* Reads back what rc_mc_results_pack wrote. RC_ERR_INTERNAL (naming what is wrong) when buf is
 * not such a buffer (short, long, or inconsistent), RC_ERR_NOMEM. The summary of *out is
 * zeroed. Free with rc_mc_results_free. */
rc_status_t rc_mc_results_unpack(const void *buf, size_t len, rc_mc_results_t **out);

/* Copies block (the runs [first_run, first_run + block->runs) of dst's point) into dst at that
 * place, adds its adoptions per generation to dst->gen_total and its growth sums to
 * dst->growth, takes over its per-point
 * constants and adds its seconds. Blocks may come in any order; once every run is in,
 * rc_mc_summarize(dst) gives bit for bit the summary of a one-call run (gen_total is a sum of
 * integers). RC_ERR_INTERNAL when the block does not fit (past dst->runs, timed differs, other
 * point or constants), RC_ERR_NOMEM. */
rc_status_t rc_mc_results_put_block(rc_mc_results_t *dst, uint64_t first_run,
                                    const rc_mc_results_t *block);

#endif
