/* `rtcascade fit` as a library call: read the observed cascades, split off the held-out ones,
 * fit the model, predict final sizes. The reading, the fit and the predictions are the fit
 * layer's; this file orders them, times them and applies the thread count. */
#include "rtcascade/rng.h"
#include "rtcascade/runner.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

/* Stream of the held-out split: (seed, RC_FIT_SPLIT_STREAM, cascade). */
#define RC_FIT_SPLIT_STREAM 0x401DULL

/* out->heldout and out->train from out->data; *target (caller frees) gets the indices of the
 * cascades to predict (the held-out ones, or all), *n_target their number. */
static rc_status_t split(const rc_fit_spec_t *spec, rc_fit_outcome_t *out, size_t **target,
                         size_t *n_target)
{
    rc_status_t status = RC_OK;
    const rc_cascades_t *cs = out->data;
    size_t *train = malloc(cs->n * sizeof *train), nt = 0;
    gsl_rng *r = rc_rng_alloc();
    out->heldout = calloc(cs->n, 1);
    *target = malloc(cs->n * sizeof **target);
    RC_ALLOC_CHECK(train, "the held-out split");
    RC_ALLOC_CHECK(out->heldout, "the held-out split");
    RC_ALLOC_CHECK(*target, "the held-out split");
    RC_ALLOC_CHECK(r, "a random stream");
    *n_target = 0;
    for (size_t c = 0; c < cs->n; c++) {
        rc_rng_seed(r, spec->seed, RC_FIT_SPLIT_STREAM, c);
        out->heldout[c] = spec->holdout > 0.0 && rc_rng_uniform(r) < spec->holdout;
        if (out->heldout[c])
            (*target)[(*n_target)++] = c;
        else
            train[nt++] = c;
    }
    out->n_heldout = *n_target;
    if (nt == 0)
        RC_FAIL(RC_ERR_INPUT,
                "%s: all %zu cascades were held out (data.holdout %g); nothing is "
                "left to fit",
                spec->data_path, cs->n, spec->holdout);
    if (*n_target == 0)
        for (size_t c = 0; c < cs->n; c++)
            (*target)[(*n_target)++] = c;
    RC_TRY(rc_cascades_subset(cs, train, nt, &out->train));
cleanup:
    free(train);
    gsl_rng_free(r);
    return status;
}

/* 1 when cascade c of cs, seen up to t (NAN: T_c), was seen for some time: SEISMIC needs it. */
static int seen_for_some_time(const rc_cascades_t *cs, size_t c, double t)
{
    double tc = isnan(t) || t > cs->obs_time[c] ? cs->obs_time[c] : t;
    return tc > 0.0 && isfinite(tc);
}

/* The predictions of method m at time t for the target cascades, appended to out->rows. */
static rc_status_t predict_at(const rc_fit_spec_t *spec, rc_fit_outcome_t *out,
                              const size_t *target, size_t n_target, int m, double t)
{
    rc_status_t status = RC_OK;
    rc_cascades_t *sub = NULL;
    size_t *idx = malloc((n_target + 1) * sizeof *idx), k = 0;
    rc_prediction_t *p = calloc(n_target + 1, sizeof *p);
    RC_ALLOC_CHECK(idx, "the predictions");
    RC_ALLOC_CHECK(p, "the predictions");
    for (size_t i = 0; i < n_target; i++)
        if (m == RC_FIT_PREDICT_HAWKES || seen_for_some_time(out->data, target[i], t))
            idx[k++] = target[i];
    if (k == 0)
        goto cleanup;
    RC_TRY(rc_cascades_subset(out->data, idx, k, &sub));
    if (m == RC_FIT_PREDICT_HAWKES)
        RC_TRY(rc_hawkes_predict_fitted(sub, &out->fit, out->train, t, p));
    else
        RC_TRY(rc_seismic_predict(sub, &spec->seismic, t, p));
    for (size_t i = 0; i < k; i++)
        out->rows[out->n_rows++] = (rc_fit_row_t){idx[i], m, t, p[i]};
cleanup:
    rc_cascades_free(sub);
    free(idx);
    free(p);
    return status;
}

/* calibrate: the cascades read, every one fitted by simulation. */
static rc_status_t calibrate(const rc_fit_spec_t *spec, int threads, rc_fit_outcome_t *out)
{
    rc_status_t status = RC_OK;
    double t0 = omp_get_wtime();
    RC_TRY(rc_cascades_read(spec->data_file, &spec->read, &out->data));
    out->heldout = calloc(out->data->n, 1);
    RC_ALLOC_CHECK(out->heldout, "the cascades");
    out->seconds_read = omp_get_wtime() - t0;
    RC_TRY(rc_run_calibrate(spec, out->data, threads, &out->calib));
    out->seconds_fit = out->calib->seconds;
cleanup:
    return status;
}

static rc_status_t fit_and_predict(const rc_fit_spec_t *spec, rc_fit_outcome_t *out)
{
    rc_status_t status = RC_OK;
    size_t *target = NULL, n_target = 0;
    double t0 = omp_get_wtime();
    RC_TRY(rc_cascades_read(spec->data_file, &spec->read, &out->data));
    RC_TRY(split(spec, out, &target, &n_target));
    out->seconds_read = omp_get_wtime() - t0;
    if (spec->has_model) {
        RC_TRY(rc_hawkes_fit(out->train, &spec->fit, &out->fit));
        out->fitted = 1;
        out->seconds_fit = out->fit.seconds;
        out->n_star_powerlaw =
            rc_hawkes_branching_factor(out->fit.kind, out->fit.par, RC_NSTAR_POWERLAW, out->train);
        out->n_star_empirical =
            rc_hawkes_branching_factor(out->fit.kind, out->fit.par, RC_NSTAR_EMPIRICAL, out->train);
    }
    t0 = omp_get_wtime();
    size_t n_at = spec->n_at ? spec->n_at : 1;
    out->rows = calloc(2 * n_at * n_target + 1, sizeof *out->rows);
    RC_ALLOC_CHECK(out->rows, "the predictions");
    for (size_t a = 0; a < n_at && spec->predict; a++)
        for (int m = RC_FIT_PREDICT_HAWKES; m <= RC_FIT_PREDICT_SEISMIC; m++)
            if (spec->predict & (unsigned)m)
                RC_TRY(predict_at(spec, out, target, n_target, m, spec->n_at ? spec->at[a] : NAN));
    out->seconds_predict = omp_get_wtime() - t0;
cleanup:
    free(target);
    return status;
}

rc_status_t rc_run_fit(const rc_fit_spec_t *spec, int threads, rc_fit_outcome_t **out)
{
    rc_status_t status = RC_OK;
    rc_fit_outcome_t *res = calloc(1, sizeof *res);
    const int old = omp_get_max_threads();
    *out = NULL;
    RC_ALLOC_CHECK(res, "a fit");
    if (threads > 0)
        omp_set_num_threads(threads);
    status = spec->calib != NULL ? calibrate(spec, threads, res) : fit_and_predict(spec, res);
    if (threads > 0)
        omp_set_num_threads(old);
    if (status == RC_OK) {
        *out = res;
        res = NULL;
    }
cleanup:
    rc_fit_outcome_free(res);
    return status;
}
