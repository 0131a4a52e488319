/* Fitting self-exciting models to observed cascades (cascades.h), and predicting final sizes.
 *
 * Hawkes models in the parametrisation of the evently R package (Kong, Rizoiu & Xie, CIKM 2020;
 * Mishra, Rizoiu & Xie, CIKM 2016), so that numbers compare with the literature. An event j
 * (time t_j, mark m_j) excites later events with K w_j phi(t - t_j), w_j = m_j^beta for marked
 * models (1 otherwise):
 *   EXP  phi(s) = theta e^(-theta s)          (K, theta; theta a rate, 1/s)
 *   PL   phi(s) = (s + c)^(-(1 + theta))      (K, c, theta; c in s, theta an exponent)
 * HawkesN multiplies the intensity by (1 - N_t/N), N_t = events so far, N the population.
 * Events at time 0 (the original post) start the cascade and are not explained by the model:
 * the log-likelihood of a cascade observed over [0, T] is
 *   sum over events i with t_i > 0 of log lambda(t_i)  -  integral_0^T lambda(t) dt,
 * as evently's get_ampl_likelihood.hawkes_* do. Parameter vectors are in evently's order
 * (get_param_names): K, beta (marked), c (PL), theta, N (HawkesN). Allowed ranges: K > 0,
 * beta >= 0, c > 0, theta > 0, N >= the largest cascade's event count. The fitter works on
 * log K, log beta, log c, log theta, log(N - n_max), so it is unconstrained. */
#ifndef RTCASCADE_FIT_H
#define RTCASCADE_FIT_H

#include "rtcascade/cascades.h"

#include <stdint.h>

/* The eight models, named as evently names them. Bit 0: power-law kernel; bit 1: marked;
 * bit 2: HawkesN. */
typedef enum rc_hawkes_kind {
    RC_HAWKES_EXP = 0,
    RC_HAWKES_PL = 1,
    RC_HAWKES_MEXP = 2,
    RC_HAWKES_MPL = 3,
    RC_HAWKES_EXPN = 4,
    RC_HAWKES_PLN = 5,
    RC_HAWKES_MEXPN = 6,
    RC_HAWKES_MPLN = 7
} rc_hawkes_kind_t;

#define RC_HAWKES_MAX_PARAMS 5
#define RC_HAWKES_IS_PL(k) (((unsigned)(k)&1u) != 0)
#define RC_HAWKES_IS_MARKED(k) (((unsigned)(k)&2u) != 0)
#define RC_HAWKES_IS_N(k) (((unsigned)(k)&4u) != 0)

/* "EXP", "PL", "mEXP", "mPL", "EXPN", "PLN", "mEXPN", "mPLN"; NULL for a bad kind. */
const char *rc_hawkes_kind_name(rc_hawkes_kind_t kind);

/* The kind named `name` (as above); RC_ERR_CONFIG listing the valid names otherwise. */
rc_status_t rc_hawkes_kind_from_name(const char *name, rc_hawkes_kind_t *kind);

/* Number of parameters of `kind` (2..5). */
int rc_hawkes_n_params(rc_hawkes_kind_t kind);

/* Name of parameter i of `kind` ("K", "beta", "c", "theta", "N"); NULL when out of range. */
const char *rc_hawkes_param_name(rc_hawkes_kind_t kind, int i);

/* Checks a parameter vector against the allowed ranges for data set cs (cs may be NULL, then N
 * is only checked to be >= 1). RC_ERR_CONFIG naming the parameter otherwise. */
rc_status_t rc_hawkes_check_params(rc_hawkes_kind_t kind, const double *par,
                                   const rc_cascades_t *cs);

/* ---- Likelihood (hawkes_ll.c) ---- */

/* Log-likelihood (natural log) of the cascades under kind/par, summed over cascades, with each
 * cascade's compensator up to its T_c; grad (may be NULL) receives d ll / d par in the natural
 * parametrisation, ll_each (may be NULL) each cascade's log-likelihood. OpenMP over cascades and
 * events; the sums are formed per cascade and added in cascade order, so results do not depend
 * on the thread count. O(n) per cascade for EXP kernels, O(n^2) for PL. A log-likelihood of
 * -INFINITY means an event the model cannot produce (zero intensity). Fails with RC_ERR_CONFIG
 * for parameters out of range, RC_ERR_INPUT for a T_c before its cascade's last event,
 * RC_ERR_NOMEM. */
rc_status_t rc_hawkes_loglik(const rc_cascades_t *cs, rc_hawkes_kind_t kind, const double *par,
                             double *ll, double *grad, double *ll_each);

/* ---- Branching factor (hawkes_model.c) ---- */

/* How E[w] = E[m^beta] of a future event is taken for marked models' branching factor. */
typedef enum rc_nstar_kind {
    RC_NSTAR_POWERLAW = 0, /* evently's get_branching_factor.hawkes_m*: marks power-law
                            * distributed with alpha = 2.016 (Mishra et al. 2016), so
                            * E[m^beta] = 1.016 / (1.016 - beta), infinite for beta >= 1.016 */
    RC_NSTAR_EMPIRICAL = 1 /* the mean of m^beta over the data's reshares (events with t > 0;
                            * over all events when there are none) */
} rc_nstar_kind_t;

/* The branching factor n* = E[w] K (kernel mass): EXP K E[w], PL K E[w] / (theta c^theta), the
 * same with HawkesN (evently ignores the (1 - N_t/N) factor). cs is needed for
 * RC_NSTAR_EMPIRICAL with a marked kind (else may be NULL). NAN on misuse. */
double rc_hawkes_branching_factor(rc_hawkes_kind_t kind, const double *par, rc_nstar_kind_t how,
                                  const rc_cascades_t *cs);

/* ---- Maximum likelihood (mle.c) ---- */

typedef struct rc_hawkes_fit_options {
    rc_hawkes_kind_t kind; /* model to fit */
    int n_starts;          /* starting points, >= 1 (default 8): the first min(3, n) from a
                            * fixed grid, the rest drawn from keyed streams (seed, 0xF17, s) */
    uint64_t seed;         /* master seed of the random starts and the bootstrap (default 1) */
    int max_iter;          /* BFGS iterations per start at most (default 500) */
    int screen_iter;       /* every start first gets this many iterations (default 20) ... */
    int refine;            /* ... then this many of the best go on to max_iter (default 2) */
    double grad_tol;       /* converged: |d (nll / n_events) / d log-params|_2 < grad_tol
                            * (default 1e-5; BFGS goes on to 1e-2 grad_tol while it makes
                            * progress) */
    double level;          /* confidence level of the intervals (default 0.95) */
    int bootstrap;         /* B resamples of the cascades for percentile intervals, 0 = none
                            * (default); resample b draws from stream (seed, 0xB007, b) */
    rc_nstar_kind_t nstar; /* how n* is computed (default RC_NSTAR_POWERLAW, as evently) */
    const double *start;   /* an extra first starting point (natural scale), or NULL */
} rc_hawkes_fit_options_t;

/* The defaults above for `kind`. Cannot fail. */
rc_hawkes_fit_options_t rc_hawkes_fit_defaults(rc_hawkes_kind_t kind);

typedef struct rc_hawkes_fit {
    rc_hawkes_kind_t kind;
    int n_params;
    const char *name[RC_HAWKES_MAX_PARAMS]; /* parameter names, evently's order */
    double par[RC_HAWKES_MAX_PARAMS];       /* maximum-likelihood estimates */
    double se[RC_HAWKES_MAX_PARAMS];        /* standard errors (delta method from the log
                                             * scale); NAN when the information is singular */
    double ci_low[RC_HAWKES_MAX_PARAMS];    /* Wald interval on the log scale, mapped back: */
    double ci_high[RC_HAWKES_MAX_PARAMS];   /* exp(log p -+ z se_log), always > 0 */
    double boot_low[RC_HAWKES_MAX_PARAMS];  /* bootstrap percentile interval; NAN without */
    double boot_high[RC_HAWKES_MAX_PARAMS];
    double nll; /* -log-likelihood at par, summed over cascades */
    size_t n_cascades, n_events;
    rc_nstar_kind_t nstar_kind;
    double n_star;                            /* branching factor at par */
    double n_star_low, n_star_high;           /* delta-method interval on log n* */
    double n_star_boot_low, n_star_boot_high; /* bootstrap percentiles; NAN without */
    int converged;                            /* the best start met grad_tol */
    int iterations;                           /* BFGS iterations of the best start */
    int best_start;                           /* index of the best start */
    int starts_converged;                     /* starts that met grad_tol */
    double grad_norm;                         /* final |gradient| of the best start (scaled) */
    int hessian_ok;                           /* the observed information was invertible */
    int boot_done;                            /* bootstrap fits that succeeded */
    double seconds;                           /* wall time of the whole fit */
    double level;                             /* confidence level of the intervals */
    double cov[RC_HAWKES_MAX_PARAMS * RC_HAWKES_MAX_PARAMS]; /* covariance of the fitted
                                               * log-parameters (log(N - n_max) for N), n_params
                                               * x n_params row-major; NAN unless hessian_ok */
} rc_hawkes_fit_t;

/* Maximum-likelihood fit of opt->kind (opt NULL = defaults for MEXP) to the cascades: BFGS
 * (GSL vector_bfgs2, analytic gradient) on the log-parameters from every starting point for
 * screen_iter iterations, the `refine` best continued to convergence, the best by nll; standard
 * errors from the observed information (central differences of the analytic gradient, inverted
 * through its GSL eigen-decomposition; not positive definite: hessian_ok = 0 and NAN errors);
 * optional bootstrap over cascades. Deterministic for a given seed, whatever the thread count.
 * Fails with RC_ERR_CONFIG for bad options, RC_ERR_INPUT when no start gives a finite
 * likelihood, RC_ERR_NOMEM. out->seconds is set in every case. */
rc_status_t rc_hawkes_fit(const rc_cascades_t *cs, const rc_hawkes_fit_options_t *opt,
                          rc_hawkes_fit_t *out);

/* ---- Prediction (predict.c) ---- */

/* A prediction for one cascade. Sizes count events, the original post included (evently's
 * convention); SEISMIC's pred.cascade counts reshares only, i.e. predicted_final - 1. */
typedef struct rc_prediction {
    double observed_until;  /* t: events at or before t were seen (min of asked t and T_c) */
    size_t observed_size;   /* events seen */
    double predicted_final; /* expected final number of events; INFINITY when supercritical */
    double low, high;       /* interval, NAN when the method gives none */
    double rate;            /* Hawkes: n* used; SEISMIC: the estimated infectiousness p_t */
} rc_prediction_t;

/* Hawkes expected final size of each cascade seen up to t (t NAN or INFINITY: up to T_c), as
 * evently's predict_final_popularity.hawkes: observed + a1 / (1 - n_star), a1 the expected
 * direct offspring after t of the observed events (EXP: K sum w_i e^(-theta (t - t_i)); PL:
 * K sum w_i (t - t_i + c)^(-theta) / theta). n_star >= 1 gives INFINITY. out has cs->n
 * entries; low/high are NAN. HawkesN kinds fail with RC_ERR_CONFIG (evently has no
 * prediction for them either). */
rc_status_t rc_hawkes_predict(const rc_cascades_t *cs, rc_hawkes_kind_t kind, const double *par,
                              double n_star, double t, rc_prediction_t *out);

/* rc_hawkes_predict with a fit's estimates and its n* (fit->nstar_kind; the empirical n* over
 * the fitted cascades `fitted`), and an interval for each expected final size from the
 * estimates' uncertainty: the delta method on log(predicted - observed) over fit->cov, at
 * fit->level (a 95% fit gives a 95% interval of the expectation, not of one cascade's size,
 * which varies far more). No interval (NAN) when the information was singular; an infinite
 * high end when the prediction is. Fails as rc_hawkes_predict, or with RC_ERR_NOMEM. */
rc_status_t rc_hawkes_predict_fitted(const rc_cascades_t *cs, const rc_hawkes_fit_t *fit,
                                     const rc_cascades_t *fitted, double t, rc_prediction_t *out);

/* SEISMIC (Zhao, Erdogdu, He, Rajaraman & Leskovec, KDD 2015) as its R package (CRAN seismic
 * 1.1, R/tweetfunctions.R) computes it; the defaults are that package's. */
typedef struct rc_seismic_options {
    double theta;      /* memory kernel exponent: 0.2314843 (memory.pdf default; the paper
                        * prints 0.242) */
    double cutoff;     /* s0, end of the kernel's flat part: 300 s (memory.pdf) */
    double c;          /* the kernel's flat density: 0.0006265725 per s (memory.pdf) */
    double max_window; /* 2 * 60 * 60 s (get.infectiousness) */
    double min_window; /* 300 s (get.infectiousness) */
    int min_count;     /* 5 (get.infectiousness) */
    double n_star;     /* 100, "the average node degree" (pred.cascade) */
    double low_q;      /* 0.05 and 0.95: the chi-square quantiles get.infectiousness uses for */
    double high_q;     /* its p.low / p.up (a 90% interval, though its help says 95) */
} rc_seismic_options_t;

/* The defaults above. Cannot fail. */
rc_seismic_options_t rc_seismic_defaults(void);

/* Infectiousness p_t of one cascade (times sorted from 0, marks >= 0) at time t > 0, with its
 * interval, as get.infectiousness(share.time, degree, t) returns it (0, 0, 0 when no reshare
 * falls in the window). Cannot fail for valid input; NAN for t <= 0 or n = 0. */
void rc_seismic_infectiousness(const double *time, const double *mark, size_t n, double t,
                               const rc_seismic_options_t *opt, double *p, double *p_low,
                               double *p_high);

/* SEISMIC prediction for each cascade seen up to t (NAN/INFINITY: up to T_c): pred.cascade with
 * the infectiousness above, plus 1 for the original post; low/high apply pred.cascade to
 * p.low / p.up (an interval the package does not print but its parts give). opt NULL =
 * defaults. Fails with RC_ERR_CONFIG for bad options or t <= 0. */
rc_status_t rc_seismic_predict(const rc_cascades_t *cs, const rc_seismic_options_t *opt, double t,
                               rc_prediction_t *out);

#endif
