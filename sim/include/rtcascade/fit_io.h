/* Fitting observed cascades from a config (io layer): a fit config (`data:`, `model:`, `fit:`,
 * `predict:`; docs/fit.md) read into a typed spec, the outcome of a fit (filled by rc_run_fit
 * in the run layer), the fit file (HDF5, docs/results-format.md) and the printed table, and the
 * `model:` section that makes `rtcascade run` simulate the fitted process. */
#ifndef RTCASCADE_FIT_IO_H
#define RTCASCADE_FIT_IO_H

#include "rtcascade/cascades.h"
#include "rtcascade/config.h"
#include "rtcascade/error.h"
#include "rtcascade/fit.h"
#include "rtcascade/results.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define RC_FIT_FORMAT "rtcascade-fit"
#define RC_FIT_FORMAT_VERSION 1

/* What the fit predicts. */
enum { RC_FIT_PREDICT_HAWKES = 1, RC_FIT_PREDICT_SEISMIC = 2 };

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
 * convergence, time, and a summary of the predictions. RC_ERR_IO. */
rc_status_t rc_fit_print(const rc_fit_spec_t *spec, const rc_fit_outcome_t *res, FILE *f);

#endif
