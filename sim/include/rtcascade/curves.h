/* Curves of a sweep point: statistics of its runs as a whole rather than of one run, namely the
 * mean adoptions per generation, the CCDF of cascade sizes on log-spaced sizes, and for timed
 * models the empirical CDFs of t50, t90 and final_time over time and the growth curve N(t). They
 * are what /curves of a results file holds (docs/results-format.md), computed here without any file
 * in sight, so the Python API and other sinks get the same numbers as the file, bit for bit. */
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

/* The growth curve N(t) -- adopters by time t, seeds included -- of timed models, on one fixed
 * grid: t_0 = 0, then RC_GROWTH_TIMES - 1 times 10^(-3 + (k - 1) / 8) from 10^-3 to 10^9 (8 a
 * decade, in the model's time unit). The engine adds each run's N(t_k) and N(t_k)^2 (integers)
 * as the run ends (rc_growth_add_run), so no adoption time is kept. An adoption at t <= 10^-3
 * counts from t_1 on, one after 10^9 (or at a time that is not finite) at no grid time. */
#define RC_GROWTH_TIMES 98

/* t_k of the grid (k < RC_GROWTH_TIMES). Cannot fail. */
double rc_growth_time(size_t k);

/* The first k with t <= t_k, or RC_GROWTH_TIMES when t is past the grid (or NaN). */
size_t rc_growth_bin(double t);

/* Adds one run's N(t_k) and N(t_k)^2 to acc (3 * RC_GROWTH_TIMES words, rc_mc_results_t.growth)
 * from its `size` adoption times; hist is the caller's scratch of RC_GROWTH_TIMES + 1 zeroed
 * words, left zeroed. O(size + RC_GROWTH_TIMES). Cannot fail. */
void rc_growth_add_run(uint64_t *acc, uint32_t *hist, const double *time, uint32_t size);

/* Adds the sums src into dst (both 3 * RC_GROWTH_TIMES words; carries into the high words).
 * Cannot fail. */
void rc_growth_merge(uint64_t *dst, const uint64_t *src);

/* Mean N(t) over a timed point's runs with its 95% confidence band, at the grid times from the
 * last one before anything changes (t_0 = 0 always first) to the first by which every run's
 * adoptions on the grid are in: mean = sum N / runs, sd the runs' standard deviation of N(t),
 * low/high = mean -+ 1.959964 sd / sqrt(runs) (the band of the mean, not of single runs). */
typedef struct rc_growth_curve {
    double *t;    /* grid times, increasing from 0 */
    double *mean; /* mean adopters by t (seeds included) */
    double *sd;   /* standard deviation of N(t) over runs (0 with one run) */
    double *low;  /* 95% band of the mean */
    double *high;
    size_t len; /* 0 (arrays NULL) for an untimed point or one without runs */
} rc_growth_curve_t;

/* The curves of one point. */
typedef struct rc_point_curves {
    uint64_t point;           /* the sweep point (rc_mc_results_t.point) */
    double *generations;      /* generations[g]: adoptions in generation g (0 = the seeds)
                                 summed over runs, divided by runs (NaN when there are no runs),
                                 so the entries sum to the mean size; NULL when gen_len is 0 */
    uint32_t gen_len;         /* generations up to the deepest run (rc_mc_results_t.gen_len) */
    rc_size_ccdf_t size_ccdf; /* CCDF of the sizes (adopters, seeds included) */
    rc_time_cdfs_t time;      /* timed models only */
    rc_growth_curve_t growth; /* timed models only (from rc_mc_results_t.growth) */
} rc_point_curves_t;

/* Computes the curves of res into *out (overwritten; free with rc_curves_free). Reads the
 * per-run size, t50, t90 and final_time arrays, gen_total and growth; deterministic (the same res
 * gives the same bits). O(runs log log max size) time for the CCDF (runs counted into its bins,
 * not sorted), O(runs log runs) for the time curves; O(runs) scratch. RC_ERR_NOMEM only; *out is
 * then zeroed. */
rc_status_t rc_curves_compute(const rc_mc_results_t *res, rc_point_curves_t *out);

/* Frees what rc_curves_compute allocated and zeroes *c. NULL and zeroed curves are harmless. */
void rc_curves_free(rc_point_curves_t *c);

#endif
