/* Simulation-based calibration (fit layer): what fits a model without a tractable likelihood
 * (independent cascade, continuous cascade, audience engagement on a network) to observed
 * cascades. The simulations themselves are the run layer's (rc_run_calibrate, runner.h); here
 * are the pieces that need none: the observed data summarised for the objectives, the
 * objectives (a binned log-likelihood of the observed sizes under the simulated distribution,
 * Kolmogorov-Smirnov distances on sizes and growth curves, an L2 distance on log N(t)), the
 * search over a box of parameters (a grid then Brent in 1-D, Nelder-Mead in more, from GSL),
 * the profile of the objective for intervals, and the result written to a fit file.
 *
 * Sizes count the post: an observed cascade's events, a simulated run's reshares + 1. */
#ifndef RTCASCADE_CALIBRATE_H
#define RTCASCADE_CALIBRATE_H

#include "rtcascade/cascades.h"
#include "rtcascade/curves.h"
#include "rtcascade/error.h"

#include <stddef.h>
#include <stdint.h>

/* The objectives, all minimised. */
typedef enum rc_calib_objective {
    RC_CALIB_SIZE_LOGLIK = 0,  /* -sum over observed cascades of log P_sim(size bin) / width */
    RC_CALIB_KS_SIZE = 1,      /* sup_s |F_obs(s) - F_sim(s)| over sizes */
    RC_CALIB_KS_GROWTH = 2,    /* sup_t |G_obs(t) - G_sim(t)|, G the normalised growth curve */
    RC_CALIB_L2_LOG_GROWTH = 3 /* mean over grid times of (log N_obs(t) - log N_sim(t))^2 */
} rc_calib_objective_t;

#define RC_CALIB_N_OBJECTIVES 4

/* "size_loglik", "ks_size", "ks_growth", "l2_log_growth" (the config's names); NULL when out of
 * range. */
const char *rc_calib_objective_name(int objective);

/* 1 for the objectives that need times (the growth curves). */
int rc_calib_objective_timed(int objective);

/* Options of the objectives. */
typedef struct rc_calib_objective_options {
    int objective;        /* rc_calib_objective_t */
    uint32_t exact_sizes; /* size_loglik: sizes 1..exact_sizes have a bin each (default 10) */
    int bins_per_decade;  /* ... then log-spaced bins, this many a decade (default 5), the last
                             one open above the largest observed size */
    double smoothing;     /* ... pseudo-count added to every bin's simulated count, so that an
                             empty bin does not give -infinity (default 0.5) */
} rc_calib_objective_options_t;

/* The defaults above with objective size_loglik. Cannot fail. */
rc_calib_objective_options_t rc_calib_objective_defaults(void);

/* Observed cascades summarised for the objectives. */
typedef struct rc_calib_data {
    size_t n;        /* cascades */
    uint64_t *size;  /* their sizes (events, the post included), increasing */
    size_t n_bins;   /* size bins: bin b holds sizes [edge[b], edge[b+1]); the last is open */
    uint64_t *edge;  /* n_bins + 1 entries, edge[n_bins] = UINT64_MAX */
    uint64_t *count; /* observed cascades per bin */
    double growth[RC_GROWTH_TIMES]; /* mean N_obs(t_k) over the cascades (the post included) */
    size_t growth_last; /* the growth curves are compared at grid times 1..growth_last: up to
                           the grid time covering the last event, and not past the smallest
                           finite observation time */
} rc_calib_data_t;

/* Summarises cascades idx[0..k) of cs (all of them when idx is NULL; an index may repeat, as in
 * a bootstrap resample) under opt. The bins depend on the data only, so objectives at any
 * parameters compare. RC_ERR_NOMEM; RC_ERR_INPUT when there is no cascade. Free with
 * rc_calib_data_clear. */
rc_status_t rc_calib_data_make(const rc_cascades_t *cs, const size_t *idx, size_t k,
                               const rc_calib_objective_options_t *opt, rc_calib_data_t *out);

/* Frees what d holds and zeroes it (a zeroed d is harmless). */
void rc_calib_data_clear(rc_calib_data_t *d);

/* The objective of opt at simulated sizes sim[0..n_sim) (increasing; reshares + 1) and, for the
 * growth objectives, the simulated mean N(t_k) on the grid (the post included). Cannot fail:
 * INFINITY for what cannot be compared (no simulated runs). */
double rc_calib_objective(const rc_calib_data_t *d, const rc_calib_objective_options_t *opt,
                          const uint64_t *sim, size_t n_sim, const double *sim_growth);

/* log-likelihood of the observed sizes under the simulated distribution (the negative of the
 * size_loglik objective): sum over bins of count_b log((c_b + a) / ((n_sim + a B) w_b)), c_b the
 * simulated runs in bin b, a the smoothing, w_b the bin's width in sizes (the last bin's: its
 * lower edge). Cannot fail. */
double rc_calib_size_loglik(const rc_calib_data_t *d, double smoothing, const uint64_t *sim,
                            size_t n_sim);

/* ---- the search ---- */

#define RC_CALIB_MAX_FREE 8

/* The free parameters: a box, each side searched on a log or a linear scale. */
typedef struct rc_calib_box {
    size_t dim;                   /* 1..RC_CALIB_MAX_FREE */
    double lo[RC_CALIB_MAX_FREE]; /* lo < hi; lo > 0 for a log scale */
    double hi[RC_CALIB_MAX_FREE];
    int log[RC_CALIB_MAX_FREE]; /* 1: the search and the profile move on log x */
} rc_calib_box_t;

/* The objective at x (dim values inside the box); sets *status (with its message) on failure,
 * which ends the search with that status. */
typedef double (*rc_calib_fn)(const double *x, void *ctx, rc_status_t *status);

typedef struct rc_calib_search {
    int grid;     /* 1-D: points of the first grid (default 9, >= 3); more: the design's
                     points per side (3^dim points up to dim 3, else 2 dim + 1) */
    int max_iter; /* Brent / Nelder-Mead iterations at most (default 60) */
    double tol;   /* converged: the bracket (Brent) or the simplex (Nelder-Mead) below tol
                     times the box, on the search scale (default 1e-3) */
    int local;    /* 1: search near the start only (no grid or design): 1-D steps downhill
                     from it until the objective rises, then Brent; more: Nelder-Mead from
                     it with small steps. The profile's inner searches (default 0) */
} rc_calib_search_t;

/* The defaults above. Cannot fail. */
rc_calib_search_t rc_calib_search_defaults(void);

/* What a search found. */
typedef struct rc_calib_found {
    double x[RC_CALIB_MAX_FREE];     /* the minimiser */
    double f;                        /* the objective there */
    int at_bound[RC_CALIB_MAX_FREE]; /* 1: the minimum is on that side of the box */
    int converged;                   /* Brent's bracket or the simplex met tol */
    int iterations;
} rc_calib_found_t;

/* Minimises fn over the box. 1-D: the grid (evenly spaced on the search scale), then Brent
 * (gsl_min_fminimizer_brent) in the bracket around the best grid point; at an end of the box the
 * end is the answer (at_bound). More: the design, then Nelder-Mead (gsl_multimin
 * nmsimplex2) from its best point on logit coordinates of the box (so it stays inside).
 * start (may be NULL) is evaluated first and kept when best. Fails with the first failure of
 * fn, RC_ERR_NOMEM. */
rc_status_t rc_calib_minimize(const rc_calib_box_t *box, rc_calib_fn fn, void *ctx,
                              const rc_calib_search_t *opt, const double *start,
                              rc_calib_found_t *out);

/* The profile interval of parameter i: the values v on both sides of best->x[i] at which the
 * profile of fn (fn at v, minimised over the other parameters by a local search of `opt` from
 * where the last value inside the interval had its minimum) first rises `rise` above best->f,
 * found by stepping out and bisection on the search scale. An end of the box is returned when the
 * profile stays below there (*open_low / *open_high set). Fails as fn. */
rc_status_t rc_calib_profile(const rc_calib_box_t *box, rc_calib_fn fn, void *ctx,
                             const rc_calib_search_t *opt, const rc_calib_found_t *best, size_t i,
                             double rise, double *low, double *high, int *open_low, int *open_high);

/* A quadratic fitted to the objective around its minimum (calib_surface.c). */
typedef struct rc_calib_surface {
    int ok;                        /* the quadratic has a minimum (positive curvature) */
    double x[RC_CALIB_MAX_FREE];   /* its vertex, inside the box */
    double f;                      /* its value there */
    double low[RC_CALIB_MAX_FREE]; /* the profile of the quadratic rises `rise` at these */
    double high[RC_CALIB_MAX_FREE];
    double half[RC_CALIB_MAX_FREE];      /* half that interval's width on the search scale */
    double vertex_sd[RC_CALIB_MAX_FREE]; /* the vertex's standard deviation from the least
                                         squares (the objective's noise), search scale */
    int open_low[RC_CALIB_MAX_FREE];     /* 1: the interval reaches that end of the box */
    int open_high[RC_CALIB_MAX_FREE];
    int at_bound[RC_CALIB_MAX_FREE]; /* the vertex is at an end of the box */
    double noise;                    /* the residual sd of the fit: the objective's own noise */
    size_t points;                   /* evaluations in the last fit */
} rc_calib_surface_t;

/* Fits a quadratic by least squares (GSL multifit) to fn on a design around best (9 points in
 * 1-D, a 5 x 5 grid in 2-D, 3^3 + 6 in 3-D, a central composite design above) in a window
 * first as wide as where fn rises 4 rise above best->f, then resized and recentred (at most 3
 * times) until the quadratic's vertex is inside it and it rises about max(4 rise, 6 times the
 * fit's residual sd) across it. The interval of parameter i is where the quadratic's profile
 * rises `rise`, widened for the vertex's own noise: vertex -+ sqrt(2 rise (H^-1)_ii + z_noise^2
 * var(vertex_i)) on the search scale, var(vertex) = H^-1 Var(b) H^-1 from the least squares.
 * out->ok = 0 when no positive curvature was found. Fails as fn. */
rc_status_t rc_calib_surface(const rc_calib_box_t *box, rc_calib_fn fn, void *ctx,
                             const rc_calib_found_t *best, double rise, double z_noise,
                             rc_calib_surface_t *out);

/* ---- the result ---- */

/* One evaluation of the objective, kept for the fit file. */
typedef struct rc_calib_eval {
    double x[RC_CALIB_MAX_FREE];
    double f;
    int phase; /* 0 search, 1 profile, 2 bootstrap, 3 the estimate's simulation */
} rc_calib_eval_t;

/* What a calibration produced (rc_run_calibrate fills it; rc_calib_result_free). */
typedef struct rc_calib_result {
    size_t dim;
    const char *name[RC_CALIB_MAX_FREE]; /* the free keys ("model.p"), owned by the spec */
    double est[RC_CALIB_MAX_FREE];       /* the minimiser */
    double se[RC_CALIB_MAX_FREE];        /* profile: half the interval over z; bootstrap: the
                                            replicates' standard deviation */
    double ci_low[RC_CALIB_MAX_FREE], ci_high[RC_CALIB_MAX_FREE];     /* at level, by `interval` */
    int open_low[RC_CALIB_MAX_FREE], open_high[RC_CALIB_MAX_FREE];    /* ends at the box */
    double boot_low[RC_CALIB_MAX_FREE], boot_high[RC_CALIB_MAX_FREE]; /* NAN without */
    int at_bound[RC_CALIB_MAX_FREE];
    double objective; /* at the estimate */
    double nll;       /* -log-likelihood of the observed sizes (size_loglik's, whatever the
                         objective) at the estimate, natural log, summed over cascades */
    double ks_size;   /* the KS distance of the sizes at the estimate (how well it fits) */
    double rise;      /* profile: the rise of the objective that bounds the interval */
    double inflation; /* the simulation-noise factor (1 + n_obs / runs) in that rise */
    int surface;      /* profile: 1 from the quadratic response surface, 0 from the raw
                         objective (no positive curvature found) */
    double noise;     /* the surface's residual sd: the objective's own simulation noise */
    double raw_est[RC_CALIB_MAX_FREE]; /* the search's own minimiser (the estimate is the
                         surface's vertex when there is one) */
    int converged, iterations;
    int boot_done;
    size_t n_evals;
    rc_calib_eval_t *evals;
    uint64_t runs;          /* simulated runs per evaluation */
    uint64_t *sim_size;     /* the estimate's simulated sizes (reshares + 1), in run order */
    double *sim_final_time; /* their final times (NAN untimed); NULL untimed */
    int timed;
    size_t growth_len; /* rows of the growth comparison (0 untimed): */
    double *growth_t, *growth_obs, *growth_sim, *growth_low, *growth_high;
    uint32_t nodes; /* the network */
    uint64_t edges;
    char *network; /* its description (owned) */
    double seconds;
} rc_calib_result_t;

/* Frees r and what it holds (NULL is harmless). */
void rc_calib_result_free(rc_calib_result_t *r);

#endif
