/* Fitting observed cascades from a config (io layer): a fit config (`data:`, `model:`, `fit:`,
 * `predict:`; docs/fit.md) read into a typed spec, the outcome of a fit (filled by rc_run_fit
 * in the run layer), the fit file (HDF5, docs/results-format.md) and the printed table, and the
 * `model:` section that makes `rtcascade run` simulate the fitted process. */
#ifndef RTCASCADE_FIT_IO_H
#define RTCASCADE_FIT_IO_H

#include "rtcascade/calibrate.h"
#include "rtcascade/cascades.h"
#include "rtcascade/config.h"
#include "rtcascade/error.h"
#include "rtcascade/experiment.h"
#include "rtcascade/fit.h"
#include "rtcascade/network.h"
#include "rtcascade/results.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define RC_FIT_FORMAT "rtcascade-fit"
#define RC_FIT_FORMAT_VERSION 1

/* What the fit predicts. */
enum { RC_FIT_PREDICT_HAWKES = 1, RC_FIT_PREDICT_SEISMIC = 2 };

/* How a calibration's intervals are made. */
enum { RC_CALIB_INTERVAL_PROFILE = 0, RC_CALIB_INTERVAL_BOOTSTRAP = 1 };

/* `calibrate:` of a fit config (docs/fit.md): what a run config says about a point (network,
 * model, seeds or audience, global_fraction, max_size), some of whose numbers are free. */
typedef struct rc_calib_spec {
    rc_cfg_t *point;                   /* the section's point keys (no network): the template each
                                          candidate sets its free values in */
    rc_network_spec_t network;         /* `network:`, built once */
    char *free_key[RC_CALIB_MAX_FREE]; /* the free keys' dotted paths ("model.p") */
    rc_calib_box_t box;                /* their ranges and scales */
    uint64_t runs;                     /* simulated runs per candidate (default 2000) */
    rc_calib_objective_options_t objective;
    rc_calib_search_t search;
    int interval;  /* RC_CALIB_INTERVAL_PROFILE (default for size_loglik) or
                      _BOOTSTRAP (the only one for the distances) */
    int bootstrap; /* replicates (default 0; 50 with interval: bootstrap) */
    double level;  /* of the intervals (default 0.95) */
    int timed;     /* the model is timed */
    int audience;  /* an audience scenario: sizes are resharers + 1 */
} rc_calib_spec_t;

/* A fit config, every value checked (errors name file:line:col). */
typedef struct rc_fit_spec {
    char *name;                      /* `name:` (default: the config file's base name) */
    uint64_t seed;                   /* master seed: random starts, bootstrap, held-out split */
    char *output;                    /* `output:` (default results/<name>.h5) */
    char *data_path;                 /* data.path as written */
    char *data_file;                 /* data.path against the config's folder */
    rc_cascades_read_options_t read; /* columns, observation time, cap; strings below */
    char *cascade_column, *time_column, *mark_column, *obs_time_column;
    double holdout;                  /* fraction of cascades held out of the fit, [0, 1) */
    int has_model;                   /* 0: no `model:` (predictions by SEISMIC only) */
    rc_hawkes_fit_options_t fit;     /* kind, starts, level, bootstrap, nstar, ... */
    double start[RC_HAWKES_MAX_PARAMS]; /* fit.start (evently's order), when has_start */
    int has_start;
    unsigned predict;                /* RC_FIT_PREDICT_* bits; 0 = no predictions */
    double *at;                      /* predict.at: observation times (s); NULL = each
                                        cascade's own T_c */
    size_t n_at;
    rc_seismic_options_t seismic;    /* predict.seismic */
    rc_calib_spec_t *calib;          /* `calibrate:` (then no model:, fit: or predict:), else
                                        NULL */
    rc_cfg_t *resolved;              /* the config with --set applied */
    char *config_text;               /* the file as given */
    char *config_path;               /* its path */
    char *base_dir;                  /* its folder ("" = the current one) */
} rc_fit_spec_t;

/* Loads the fit config at path, applies each "key.path=value" of sets, and checks it (the data
 * file must exist; its content is read by rc_run_fit). Free with rc_fit_spec_free. */
rc_status_t rc_fit_spec_load(const char *path, char *const *sets, size_t n_sets,
                             rc_fit_spec_t **out);

/* Replaces the output path (-o). RC_ERR_NOMEM. */
rc_status_t rc_fit_spec_set_output(rc_fit_spec_t *spec, const char *path);

void rc_fit_spec_free(rc_fit_spec_t *spec);

/* One prediction: a cascade seen up to a time, by one method. */
typedef struct rc_fit_row {
    size_t cascade;    /* index in rc_fit_outcome_t.data */
    int method;        /* RC_FIT_PREDICT_HAWKES or RC_FIT_PREDICT_SEISMIC */
    double at;         /* the time asked (predict.at), NAN for the cascade's own T_c */
    rc_prediction_t p; /* observed_until, observed_size, predicted_final, low, high */
} rc_fit_row_t;

/* What a fit produced (rc_run_fit fills it; free with rc_fit_outcome_free). */
typedef struct rc_fit_outcome {
    rc_cascades_t *data;        /* every cascade read */
    unsigned char *heldout;     /* per cascade of data: 1 when left out of the fit */
    size_t n_heldout;
    rc_cascades_t *train;       /* the fitted cascades (the data without the held-out ones) */
    int fitted;                 /* 1 when a model was fitted */
    rc_hawkes_fit_t fit;        /* its estimates; fit.n_star is by spec->fit.nstar */
    double n_star_powerlaw;     /* evently's n* (power-law marks, alpha 2.016) at the estimates */
    double n_star_empirical;    /* n* with the training reshares' own marks */
    rc_fit_row_t *rows;         /* predictions, by time, then method, then cascade */
    size_t n_rows;
    double seconds_read, seconds_fit, seconds_predict;
    rc_calib_result_t *calib; /* a calibration's result (spec->calib), else NULL */
} rc_fit_outcome_t;

void rc_fit_outcome_free(rc_fit_outcome_t *out);

/* The `model:` section (YAML text, caller frees) under which `rtcascade run` simulates exactly
 * the fitted process of kind/par: kappa = K times the kernel's mass, the kernel as a delay
 * density (exponential rate theta, or lomax c, theta), beta, and for marked kinds the follower
 * counts of the reshares (followers) and of the original posts (seed_followers) of `cs` as
 * empirical distributions (unmarked: constant 1); HawkesN: population N. NULL when out of
 * memory. */
char *rc_fit_model_yaml(rc_hawkes_kind_t kind, const double *par, const rc_cascades_t *cs);

/* Checks before any work that the fit file can be written at path: RC_ERR_EXISTS when it
 * exists (unless force), RC_ERR_IO for a folder or another non-regular file. Makes nothing. */
rc_status_t rc_fit_check_output(const char *path, int force);

/* Writes the fit file (layout: docs/results-format.md, "Fit files") through "PATH.tmp.<pid>"
 * and a rename, so that a failure leaves nothing; missing folders are made. prov's strings may
 * be NULL. RC_ERR_IO naming the path. */
rc_status_t rc_fit_write_h5(const char *path, const rc_fit_spec_t *spec,
                            const rc_fit_outcome_t *res, const rc_results_provenance_t *prov,
                            int force);

/* The table `rtcascade fit` prints: data, model, estimates with intervals, n*, likelihood,
 * convergence, time, and a summary of the predictions (a calibration's own table for
 * calibrate:). RC_ERR_IO. */
rc_status_t rc_fit_print(const rc_fit_spec_t *spec, const rc_fit_outcome_t *res, FILE *f);

/* ---- calibrate: (calib_spec.c, calib_h5.c) ---- */

/* Reads the `calibrate:` section c into a new spec->calib. */
rc_status_t rc_calib_spec_read(const rc_cfg_t *c, rc_fit_spec_t *spec);

void rc_calib_spec_free(rc_calib_spec_t *c);

/* The point a candidate runs: spec->calib's template with free key k set to x[k], parsed as a
 * point of index `index` (the `point` of its runs' stream keys: the same index for every
 * candidate of one calibration gives common random numbers). Errors name the free key. Free
 * with rc_point_free. */
rc_status_t rc_calib_point(const rc_fit_spec_t *spec, const double *x, uint64_t index,
                           rc_point_t **out);

/* The fitted sections as YAML (caller frees both): the `model:` section at x (*model), and a
 * whole run config at x (*config: name, seed, runs, network, model, seeds or audience, ...)
 * that `rtcascade run` accepts. RC_ERR_NOMEM; the errors of rc_cfg_set. */
rc_status_t rc_calib_fitted_yaml(const rc_fit_spec_t *spec, const double *x, char **model,
                                 char **config);

/* A calibration's printed table. RC_ERR_IO. */
rc_status_t rc_calib_print(const rc_fit_spec_t *spec, const rc_fit_outcome_t *res, FILE *f);

#endif
