/* Curves of a sweep point: statistics of its runs as a whole rather than of one run, namely the
 * mean adoptions per generation, the CCDF of cascade sizes on log-spaced sizes, and for timed
 * models the empirical CDFs of t50, t90 and final_time over time. They are what /curves of a
 * results file holds (docs/results-format.md), computed here without any file in sight, so the
 * Python API and other sinks get the same numbers as the file, bit for bit. */
#ifndef RTCASCADE_CURVES_H
#define RTCASCADE_CURVES_H

#include "rtcascade/engine.h"
#include "rtcascade/error.h"

#include <stddef.h>
#include <stdint.h>

/* Times of the time curves after t = 0 (so a timed point has RC_CURVES_TIME_BINS + 1 of them). */
#define RC_CURVES_TIME_BINS 40

/* P(size >= s) at the sizes s = 1, 2, 3, 4, 6, 7, 10, 13, 18, 24, 32, 42, 56, 75, 100, ...
 * (10^(k/8) rounded to the nearest integer, repeats dropped) below the largest size, then at
 * the largest size itself. */
typedef struct rc_size_ccdf {
    uint64_t *size; /* the sizes s, increasing */
    double *ccdf;   /* fraction of the point's runs with size >= size[i] */
    size_t len;     /* entries; 0 (arrays NULL) when the point has no runs */
} rc_size_ccdf_t;

/* Fraction of a timed point's runs that had reached half, 90% and all of their final size by
 * time t: empirical CDFs of the per-run t50, t90 and final_time, over ALL runs (a run whose
 * time is NaN or infinite never counts as reached). t[0] = 0; then RC_CURVES_TIME_BINS times up
 * to tmax, the largest finite final_time, spaced logarithmically from tmin, the smallest
 * positive finite t50 (tmax when there is none or it exceeds tmax), when tmax / tmin >= 20,
 * and linearly (tmax * b / RC_CURVES_TIME_BINS) otherwise; the last is exactly tmax. The
 * engine keeps no per-adoption times, so this is what the per-run metrics say about timing. */
typedef struct rc_time_cdfs {
    double *t;         /* the times, increasing from 0 */
    double *cdf_t50;   /* fraction of runs with t50 <= t[i] */
    double *cdf_t90;   /* fraction of runs with t90 <= t[i] */
    double *cdf_final; /* fraction of runs with final_time <= t[i] */
    size_t len;        /* RC_CURVES_TIME_BINS + 1, or 0 (arrays NULL) for an untimed point, one
                          without runs, or one whose runs never spread in time (tmax <= 0) */
} rc_time_cdfs_t;

/* The curves of one point. */
typedef struct rc_point_curves {
    uint64_t point;           /* the sweep point (rc_mc_results_t.point) */
    double *generations;      /* generations[g]: adoptions in generation g (0 = the seeds)
                                 summed over runs, divided by runs (NaN when there are no runs),
                                 so the entries sum to the mean size; NULL when gen_len is 0 */
    uint32_t gen_len;         /* generations up to the deepest run (rc_mc_results_t.gen_len) */
    rc_size_ccdf_t size_ccdf; /* CCDF of the sizes (adopters, seeds included) */
    rc_time_cdfs_t time;      /* timed models only */
} rc_point_curves_t;

/* Computes the curves of res into *out (overwritten; free with rc_curves_free). Reads the
 * per-run size, t50, t90 and final_time arrays and gen_total; deterministic (the same res gives
 * the same bits). O(runs log log max size) time for the CCDF (runs counted into its bins, not
 * sorted), O(runs log runs) for the time curves; O(runs) scratch. RC_ERR_NOMEM only; *out is then
 * zeroed. */
rc_status_t rc_curves_compute(const rc_mc_results_t *res, rc_point_curves_t *out);

/* Frees what rc_curves_compute allocated and zeroes *c. NULL and zeroed curves are harmless. */
void rc_curves_free(rc_point_curves_t *c);

#endif
