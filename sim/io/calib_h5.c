/* What a calibration puts in its fit file (docs/results-format.md, "Fit files") besides the
 * provenance and /cascades that every fit file has: its numbers as root attributes (with the
 * fitted model: and run config), /fit as rtcascade fit writes it, the simulated sizes at the
 * estimate, the growth curves compared, and every evaluation of the objective; and the table
 * `rtcascade fit` prints for it. */
#include "io/calib_internal.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static rc_status_t attr_f64(hid_t loc, const char *name, double v, const char *path)
{
    return rc_h5_attr_num(loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &v, path);
}

static rc_status_t write_attrs(hid_t file, const rc_fit_spec_t *spec, const rc_fit_outcome_t *res,
                               const char *path)
{
    rc_status_t status = RC_OK;
    const rc_calib_spec_t *c = spec->calib;
    const rc_calib_result_t *r = res->calib;
    char *model = NULL, *config = NULL, *name = NULL;
    rc_point_t *pt = NULL;
    RC_TRY(rc_calib_fitted_yaml(spec, r->est, &model, &config));
    RC_TRY(rc_calib_point(spec, r->est, 0, &pt));
    RC_TRY(rc_h5_attr_str(file, "model", pt->model->name, path));
    RC_TRY(rc_h5_attr_str(file, "method", "calibrate", path));
    RC_TRY(
        rc_h5_attr_str(file, "objective", rc_calib_objective_name(c->objective.objective), path));
    RC_TRY(attr_f64(file, "objective_value", r->objective, path));
    RC_TRY(rc_rh5_attr_u64(file, "n_cascades", res->data->n, path));
    RC_TRY(rc_rh5_attr_u64(file, "n_events", res->data->n_events, path));
    RC_TRY(attr_f64(file, "nll", r->nll, path));
    RC_TRY(attr_f64(file, "ks_size", r->ks_size, path));
    RC_TRY(attr_f64(file, "branching_factor", NAN, path));
    RC_TRY(rc_h5_attr_str(file, "fitted_model", model, path));
    RC_TRY(rc_h5_attr_str(file, "fitted_config", config, path));
    RC_TRY(attr_f64(file, "level", c->level, path));
    RC_TRY(rc_h5_attr_str(file, "interval",
                          c->interval == RC_CALIB_INTERVAL_PROFILE ? "profile" : "bootstrap",
                          path));
    RC_TRY(attr_f64(file, "profile_rise", r->rise, path));
    RC_TRY(attr_f64(file, "simulation_inflation", r->inflation, path));
    RC_TRY(rc_rh5_attr_i32(file, "profile_surface", r->surface, path));
    RC_TRY(attr_f64(file, "objective_noise", r->noise, path));
    RC_TRY(attr_f64(file, "smoothing", c->objective.smoothing, path));
    RC_TRY(rc_rh5_attr_u64(file, "runs_per_candidate", c->runs, path));
    RC_TRY(rc_rh5_attr_u64(file, "evaluations", r->n_evals, path));
    RC_TRY(rc_rh5_attr_i32(file, "converged", r->converged, path));
    RC_TRY(rc_rh5_attr_i32(file, "iterations", r->iterations, path));
    RC_TRY(rc_rh5_attr_i32(file, "bootstrap", c->bootstrap, path));
    RC_TRY(rc_rh5_attr_i32(file, "bootstrap_done", r->boot_done, path));
    RC_TRY(rc_h5_attr_str(file, "network", r->network ? r->network : "", path));
    RC_TRY(rc_rh5_attr_u64(file, "network_nodes", r->nodes, path));
    RC_TRY(rc_rh5_attr_u64(file, "network_edges", r->edges, path));
    RC_TRY(attr_f64(file, "seconds_fit", r->seconds, path));
cleanup:
    free(name);
    free(model);
    free(config);
    rc_point_free(pt);
    return status;
}

/* A table of `n` rows whose columns are filled by row(): one call per table below. */
typedef void (*fill_fn)(const rc_table_t *t, void *row, size_t r, const rc_calib_result_t *res);

static rc_status_t write_table(hid_t loc, const char *name, rc_table_t *t, size_t n, fill_fn fill,
                               const rc_calib_result_t *res, const char *path)
{
    rc_status_t status = RC_OK;
    unsigned char *rows = NULL;
    if (t->failed)
        RC_FAIL(RC_ERR_NOMEM, "out of memory for /%s", name);
    size_t stride = rc_table_stride(t);
    rows = calloc(n + 1, stride);
    RC_ALLOC_CHECK(rows, "a table of the fit file");
    for (size_t r = 0; r < n; r++)
        fill(t, rows + r * stride, r, res);
    RC_TRY(rc_table_create(loc, name, t, rows, n, n > 4096 ? 4096 : (n ? n : 1), n > 4096, path));
cleanup:
    free(rows);
    rc_table_free(t);
    return status;
}

static void fill_fit(const rc_table_t *t, void *row, size_t r, const rc_calib_result_t *c)
{
    const double v[6] = {c->est[r],     c->se[r],       c->ci_low[r],
                         c->ci_high[r], c->boot_low[r], c->boot_high[r]};
    rc_row_str(t, row, 0, c->name[r]);
    for (size_t i = 0; i < 6; i++)
        rc_row_f64(t, row, i + 1, v[i]);
}

static void fill_simulated(const rc_table_t *t, void *row, size_t r, const rc_calib_result_t *c)
{
    rc_row_u64(t, row, 0, r);
    rc_row_u64(t, row, 1, c->sim_size[r]);
    rc_row_f64(t, row, 2, c->sim_final_time ? c->sim_final_time[r] : NAN);
}

static void fill_growth(const rc_table_t *t, void *row, size_t r, const rc_calib_result_t *c)
{
    rc_row_f64(t, row, 0, c->growth_t[r]);
    rc_row_f64(t, row, 1, c->growth_obs[r]);
    rc_row_f64(t, row, 2, c->growth_sim[r]);
    rc_row_f64(t, row, 3, c->growth_low[r]);
    rc_row_f64(t, row, 4, c->growth_high[r]);
}

static void fill_evals(const rc_table_t *t, void *row, size_t r, const rc_calib_result_t *c)
{
    const rc_calib_eval_t *e = &c->evals[r];
    rc_row_u64(t, row, 0, r);
    for (size_t i = 0; i < c->dim; i++)
        rc_row_f64(t, row, i + 1, e->x[i]);
    rc_row_f64(t, row, c->dim + 1, e->f);
    rc_row_u8(t, row, c->dim + 2, (uint8_t)e->phase);
}

rc_status_t rc_calib_write(hid_t file, const rc_fit_spec_t *spec, const rc_fit_outcome_t *res,
                           const char *path)
{
    rc_status_t status = RC_OK;
    const rc_calib_result_t *c = res->calib;
    rc_table_t t = {0};
    RC_TRY(write_attrs(file, spec, res, path));
    size_t width = 8;
    for (size_t i = 0; i < c->dim; i++)
        width = strlen(c->name[i]) > width ? strlen(c->name[i]) : width;
    rc_table_add(&t, "parameter", RC_COL_STR, width);
    const char *num[] = {"estimate", "se", "ci_low", "ci_high", "boot_low", "boot_high"};
    for (int i = 0; i < 6; i++)
        rc_table_add(&t, num[i], RC_COL_F64, 0);
    RC_TRY(write_table(file, "fit", &t, c->dim, fill_fit, c, path));
    rc_table_add(&t, "run", RC_COL_U64, 0);
    rc_table_add(&t, "size", RC_COL_U64, 0);
    rc_table_add(&t, "final_time", RC_COL_F64, 0);
    RC_TRY(write_table(file, "simulated", &t, c->runs, fill_simulated, c, path));
    const char *gcols[] = {"t", "observed", "simulated", "simulated_low", "simulated_high"};
    for (int i = 0; i < 5; i++)
        rc_table_add(&t, gcols[i], RC_COL_F64, 0);
    RC_TRY(write_table(file, "growth", &t, c->growth_len, fill_growth, c, path));
    rc_table_add(&t, "evaluation", RC_COL_U64, 0);
    for (size_t i = 0; i < c->dim; i++)
        rc_table_add(&t, c->name[i], RC_COL_F64, 0);
    rc_table_add(&t, "objective", RC_COL_F64, 0);
    rc_table_add(&t, "phase", RC_COL_U8, 0);
    RC_TRY(write_table(file, "evaluations", &t, c->n_evals, fill_evals, c, path));
cleanup:
    rc_table_free(&t);
    return status;
}

/* ---- the printed table ---- */

/* Mean, share of size 1 and largest of sizes s[0..n). */
static void size_facts(const uint64_t *s, size_t n, double *mean, double *one, uint64_t *max)
{
    double sum = 0.0, ones = 0.0;
    *max = 0;
    for (size_t i = 0; i < n; i++) {
        sum += (double)s[i];
        ones += s[i] == 1;
        *max = s[i] > *max ? s[i] : *max;
    }
    *mean = n ? sum / (double)n : NAN;
    *one = n ? ones / (double)n : NAN;
}

rc_status_t rc_calib_print(const rc_fit_spec_t *spec, const rc_fit_outcome_t *res, FILE *f)
{
    const rc_calib_spec_t *c = spec->calib;
    const rc_calib_result_t *r = res->calib;
    const int prof = c->interval == RC_CALIB_INTERVAL_PROFILE;
    fprintf(f, "data: %s: %zu cascades, %zu events\n", spec->data_path, res->data->n,
            res->data->n_events);
    fprintf(f, "calibrate: %s, %llu runs per candidate (common random numbers), objective %s\n",
            r->network ? r->network : "", (unsigned long long)c->runs,
            rc_calib_objective_name(c->objective.objective));
    fprintf(f, "  %-22s %12s %10s   %g%% interval (%s)\n", "parameter", "estimate", "se",
            100 * c->level, prof ? "profile" : "bootstrap over cascades");
    for (size_t i = 0; i < r->dim; i++) {
        char iv[96];
        snprintf(iv, sizeof iv, "%s%.4g, %.4g%s", r->open_low[i] ? "(" : "[", r->ci_low[i],
                 r->ci_high[i], r->open_high[i] ? ")" : "]");
        fprintf(f, "  %-22s %12.5g %10.3g   %s%s%s\n", r->name[i], r->est[i], r->se[i], iv,
                r->open_low[i] || r->open_high[i] ? " (reaches the range's end)" : "",
                r->at_bound[i] ? " AT THE END OF ITS RANGE" : "");
    }
    fprintf(f, "  objective %.6g; -log-likelihood of the sizes %.6g; %zu evaluations, %s\n",
            r->objective, r->nll, r->n_evals,
            r->converged ? "converged" : "NOT converged (max_iter)");
    if (prof)
        fprintf(f,
                "  profile: -log-likelihood within %.4g of its minimum (chi2(1) %g%% / 2 = "
                "%.4g, times %.4g for the simulation's own noise, 1 + cascades / runs), %s\n",
                r->rise, 100 * c->level, r->rise / r->inflation, r->inflation,
                r->surface ? "of the quadratic fitted around the minimum"
                           : "of the objective "
                             "itself (no quadratic fitted: no curvature found)");
    if (prof && r->surface)
        fprintf(f,
                "  objective noise: sd %.3g about the quadratic (the search's own minimum: "
                "%s = %.5g)\n",
                r->noise, r->name[0], r->raw_est[0]);
    if (r->boot_done)
        fprintf(f, "  bootstrap: %d replicates (cascades resampled, fresh simulation streams)\n",
                r->boot_done);
    double mo, po, ms, ps;
    uint64_t xo, xs;
    size_facts(r->sim_size, r->runs, &ms, &ps, &xs);
    uint64_t *obs = malloc((res->data->n + 1) * sizeof *obs);
    for (size_t k = 0; obs != NULL && k < res->data->n; k++)
        obs[k] = rc_cascades_size(res->data, k);
    size_facts(obs, obs ? res->data->n : 0, &mo, &po, &xo);
    free(obs);
    fprintf(f,
            "  fit: sizes observed mean %.4g, P(size = 1) %.3f, largest %llu; simulated at the "
            "estimate mean %.4g, P(size = 1) %.3f, largest %llu; KS distance %.4f\n",
            mo, po, (unsigned long long)xo, ms, ps, (unsigned long long)xs, r->ks_size);
    fprintf(f, "  time: %.2f s\n", r->seconds);
    return ferror(f) ? rc_error(RC_ERR_IO, "cannot write the calibration's table") : RC_OK;
}
