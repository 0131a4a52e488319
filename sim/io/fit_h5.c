/* The fit file (HDF5; docs/results-format.md, "Fit files"): root attributes with the
 * provenance of results files and the fit's numbers (model, nll, n*, fitted_model), and flat
 * tables /fit (one row per parameter, and n*), /predictions and /cascades. Written whole
 * through "PATH.tmp.<pid>" and a rename, so that a failure leaves nothing behind. */
#include "io/calib_internal.h"
#include "io/h5safe.h"
#include "io/h5util.h"
#include "io/results_fs.h"
#include "io/results_internal.h"
#include "rtcascade/fit_io.h"
#include "rtcascade/version.h"

#include <errno.h>
#include <fcntl.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

rc_status_t rc_fit_check_output(const char *path, int force)
{
    struct stat sb;
    if (path == NULL || path[0] == '\0')
        return rc_error(RC_ERR_ARGUMENT, "no fit file name given");
    if (stat(path, &sb) != 0)
        return RC_OK;
    if (S_ISDIR(sb.st_mode))
        return rc_error(RC_ERR_IO, "%s: cannot write: it is a folder", path);
    if (!S_ISREG(sb.st_mode))
        return rc_error(RC_ERR_IO, "%s: cannot write: it is not a regular file", path);
    if (!force)
        return rc_error(RC_ERR_EXISTS, "%s: exists; use --force to overwrite it", path);
    return RC_OK;
}

static rc_status_t attr_f64(hid_t loc, const char *name, double v, const char *path)
{
    return rc_h5_attr_num(loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &v, path);
}

/* The observation time in words, for the attribute of that name. */
static void obs_text(const rc_fit_spec_t *s, char *buf, size_t len)
{
    if (s->obs_time_column != NULL)
        snprintf(buf, len, "column %s", s->obs_time_column);
    else if (isinf(s->read.obs_time))
        snprintf(buf, len, "complete");
    else if (s->read.obs_time > 0.0)
        snprintf(buf, len, "%.17g", s->read.obs_time);
    else
        snprintf(buf, len, "last_event");
}

/* Provenance and the data's description. */
static rc_status_t write_head(hid_t file, const rc_fit_spec_t *s, const rc_fit_outcome_t *res,
                              const rc_results_provenance_t *prov, const char *path)
{
    rc_status_t status = RC_OK;
    char now[40], obs[96];
    char *resolved = rc_cfg_to_yaml(s->resolved);
    RC_ALLOC_CHECK(resolved, "the resolved config");
    rc_rh5_now(now, sizeof now);
    obs_text(s, obs, sizeof obs);
    RC_TRY(rc_h5_attr_str(file, "format", RC_FIT_FORMAT, path));
    RC_TRY(rc_rh5_attr_i32(file, "format_version", RC_FIT_FORMAT_VERSION, path));
    RC_TRY(rc_h5_attr_str(file, "software_version", RC_VERSION_STRING, path));
    RC_TRY(rc_h5_attr_str(file, "git_commit", RC_GIT_COMMIT, path));
    RC_TRY(rc_h5_attr_str(file, "created", now, path));
    RC_TRY(rc_h5_attr_str(file, "command_line", prov ? prov->command_line : NULL, path));
    RC_TRY(rc_h5_attr_str(file, "config", prov ? prov->config_text : s->config_text, path));
    RC_TRY(rc_h5_attr_str(file, "config_path", prov ? prov->config_path : s->config_path, path));
    RC_TRY(rc_h5_attr_str(file, "resolved_config", resolved, path));
    RC_TRY(rc_h5_attr_str(file, "name", s->name, path));
    RC_TRY(rc_rh5_attr_u64(file, "seed", s->seed, path));
    RC_TRY(rc_h5_attr_str(file, "data_path", s->data_path, path));
    RC_TRY(rc_h5_attr_str(file, "observation_time", obs, path));
    RC_TRY(rc_rh5_attr_u64(file, "max_events", s->read.max_events, path));
    RC_TRY(rc_rh5_attr_u64(file, "n_cascades_read", res->data->n, path));
    RC_TRY(rc_rh5_attr_u64(file, "n_events_read", res->data->n_events, path));
    RC_TRY(rc_rh5_attr_u64(file, "n_events_dropped", res->data->n_dropped, path));
    RC_TRY(attr_f64(file, "holdout", s->holdout, path));
    RC_TRY(rc_rh5_attr_u64(file, "n_heldout", res->n_heldout, path));
cleanup:
    free(resolved);
    return status;
}

/* The fit's numbers (NAN and "none" without a model). */
static rc_status_t write_fit_attrs(hid_t file, const rc_fit_spec_t *s, const rc_fit_outcome_t *res,
                                   const char *path)
{
    rc_status_t status = RC_OK;
    const rc_hawkes_fit_t *f = &res->fit;
    const int ok = res->fitted;
    char *model = ok ? rc_fit_model_yaml(f->kind, f->par, res->train) : NULL;
    if (ok && model == NULL)
        return RC_ERR_NOMEM;
    RC_TRY(rc_h5_attr_str(file, "model", ok ? rc_hawkes_kind_name(f->kind) : "none", path));
    RC_TRY(rc_rh5_attr_u64(file, "n_cascades", ok ? f->n_cascades : res->train->n, path));
    RC_TRY(rc_rh5_attr_u64(file, "n_events", ok ? f->n_events : res->train->n_events, path));
    RC_TRY(attr_f64(file, "nll", ok ? f->nll : NAN, path));
    RC_TRY(attr_f64(file, "branching_factor", ok ? f->n_star : NAN, path));
    RC_TRY(attr_f64(file, "branching_factor_low", ok ? f->n_star_low : NAN, path));
    RC_TRY(attr_f64(file, "branching_factor_high", ok ? f->n_star_high : NAN, path));
    RC_TRY(rc_h5_attr_str(file, "branching_factor_marks",
                          !ok                                   ? ""
                          : f->nstar_kind == RC_NSTAR_EMPIRICAL ? "empirical"
                                                                : "powerlaw",
                          path));
    RC_TRY(attr_f64(file, "branching_factor_empirical", ok ? res->n_star_empirical : NAN, path));
    RC_TRY(attr_f64(file, "branching_factor_powerlaw", ok ? res->n_star_powerlaw : NAN, path));
    RC_TRY(rc_h5_attr_str(file, "fitted_model", model ? model : "", path));
    RC_TRY(attr_f64(file, "level", s->fit.level, path));
    RC_TRY(rc_rh5_attr_i32(file, "converged", ok ? f->converged : 0, path));
    RC_TRY(rc_rh5_attr_i32(file, "hessian_ok", ok ? f->hessian_ok : 0, path));
    RC_TRY(rc_rh5_attr_i32(file, "iterations", ok ? f->iterations : 0, path));
    RC_TRY(rc_rh5_attr_i32(file, "starts", ok ? s->fit.n_starts : 0, path));
    RC_TRY(rc_rh5_attr_i32(file, "starts_converged", ok ? f->starts_converged : 0, path));
    RC_TRY(rc_rh5_attr_i32(file, "bootstrap", ok ? s->fit.bootstrap : 0, path));
    RC_TRY(rc_rh5_attr_i32(file, "bootstrap_done", ok ? f->boot_done : 0, path));
    RC_TRY(attr_f64(file, "seconds_fit", res->seconds_fit, path));
cleanup:
    free(model);
    return status;
}

/* /fit: parameter, estimate, se, ci_low, ci_high, boot_low, boot_high; the last row n*
 * (NAN columns where there is nothing: no bootstrap, a singular information). */
static rc_status_t write_fit_table(hid_t file, const rc_fit_outcome_t *res, double level,
                                   const char *path)
{
    rc_status_t status = RC_OK;
    rc_table_t t = {0};
    unsigned char *rows = NULL;
    const rc_hawkes_fit_t *f = &res->fit;
    size_t n = res->fitted ? (size_t)f->n_params + 1 : 0;
    const double z = gsl_cdf_ugaussian_Pinv(0.5 + 0.5 * level);
    rc_table_add(&t, "parameter", RC_COL_STR, 8);
    const char *num[] = {"estimate", "se", "ci_low", "ci_high", "boot_low", "boot_high"};
    for (int i = 0; i < 6; i++)
        rc_table_add(&t, num[i], RC_COL_F64, 0);
    if (t.failed)
        RC_FAIL(RC_ERR_NOMEM, "out of memory for /fit");
    size_t stride = rc_table_stride(&t);
    rows = calloc(n + 1, stride);
    RC_ALLOC_CHECK(rows, "the /fit table");
    for (size_t r = 0; r < n; r++) {
        void *row = rows + r * stride;
        int p = (int)r;
        int last = r + 1 == n;
        double v[6];
        if (last) {
            /* the interval is exp(log n* -+ z se_log): se by the delta method, n* se_log */
            v[0] = f->n_star;
            v[1] = f->n_star * log(f->n_star_high / f->n_star_low) / (2.0 * z);
            v[2] = f->n_star_low;
            v[3] = f->n_star_high;
            v[4] = f->n_star_boot_low;
            v[5] = f->n_star_boot_high;
        } else {
            v[0] = f->par[p];
            v[1] = f->se[p];
            v[2] = f->ci_low[p];
            v[3] = f->ci_high[p];
            v[4] = f->boot_low[p];
            v[5] = f->boot_high[p];
        }
        rc_row_str(&t, row, 0, last ? "n*" : f->name[p]);
        for (int i = 0; i < 6; i++)
            rc_row_f64(&t, row, (size_t)i + 1, v[i]);
    }
    RC_TRY(rc_table_create(file, "fit", &t, rows, n, 0, 0, path));
cleanup:
    free(rows);
    rc_table_free(&t);
    return status;
}

/* Width of the cascade-id column: the longest id (strings are fixed-length, results-format.md). */
static size_t id_width(const rc_cascades_t *cs)
{
    size_t w = 1;
    for (size_t c = 0; c < cs->n; c++) {
        size_t len = strlen(cs->id[c]);
        if (len > w)
            w = len;
    }
    return w;
}

/* /predictions: cascade, method, heldout, observed_until, observed_size, predicted_final, low,
 * high, final_size, rate. */
static rc_status_t write_predictions(hid_t file, const rc_fit_outcome_t *res, const char *path)
{
    rc_status_t status = RC_OK;
    rc_table_t t = {0};
    unsigned char *rows = NULL;
    rc_table_add(&t, "cascade", RC_COL_STR, id_width(res->data));
    rc_table_add(&t, "method", RC_COL_STR, 8);
    rc_table_add(&t, "heldout", RC_COL_U8, 0);
    rc_table_add(&t, "at", RC_COL_F64, 0);
    rc_table_add(&t, "observed_until", RC_COL_F64, 0);
    rc_table_add(&t, "observed_size", RC_COL_U64, 0);
    rc_table_add(&t, "predicted_final", RC_COL_F64, 0);
    rc_table_add(&t, "low", RC_COL_F64, 0);
    rc_table_add(&t, "high", RC_COL_F64, 0);
    rc_table_add(&t, "final_size", RC_COL_U64, 0);
    rc_table_add(&t, "rate", RC_COL_F64, 0);
    if (t.failed)
        RC_FAIL(RC_ERR_NOMEM, "out of memory for /predictions");
    size_t stride = rc_table_stride(&t);
    rows = calloc(res->n_rows + 1, stride);
    RC_ALLOC_CHECK(rows, "the /predictions table");
    for (size_t r = 0; r < res->n_rows; r++) {
        const rc_fit_row_t *p = &res->rows[r];
        void *row = rows + r * stride;
        rc_row_str(&t, row, 0, res->data->id[p->cascade]);
        rc_row_str(&t, row, 1, p->method == RC_FIT_PREDICT_HAWKES ? "hawkes" : "seismic");
        rc_row_u8(&t, row, 2, res->heldout[p->cascade]);
        rc_row_f64(&t, row, 3, p->at);
        rc_row_f64(&t, row, 4, p->p.observed_until);
        rc_row_u64(&t, row, 5, p->p.observed_size);
        rc_row_f64(&t, row, 6, p->p.predicted_final);
        rc_row_f64(&t, row, 7, p->p.low);
        rc_row_f64(&t, row, 8, p->p.high);
        rc_row_u64(&t, row, 9, rc_cascades_size(res->data, p->cascade));
        rc_row_f64(&t, row, 10, p->p.rate);
    }
    RC_TRY(rc_table_create(file, "predictions", &t, rows, res->n_rows, 4096, 1, path));
cleanup:
    free(rows);
    rc_table_free(&t);
    return status;
}

/* /cascades: cascade, size, observation_time, post_mark, heldout (one row per cascade read). */
static rc_status_t write_cascades(hid_t file, const rc_fit_outcome_t *res, const char *path)
{
    rc_status_t status = RC_OK;
    rc_table_t t = {0};
    unsigned char *rows = NULL;
    const rc_cascades_t *cs = res->data;
    rc_table_add(&t, "cascade", RC_COL_STR, id_width(cs));
    rc_table_add(&t, "size", RC_COL_U64, 0);
    rc_table_add(&t, "observation_time", RC_COL_F64, 0);
    rc_table_add(&t, "post_mark", RC_COL_F64, 0);
    rc_table_add(&t, "heldout", RC_COL_U8, 0);
    if (t.failed)
        RC_FAIL(RC_ERR_NOMEM, "out of memory for /cascades");
    size_t stride = rc_table_stride(&t);
    rows = calloc(cs->n + 1, stride);
    RC_ALLOC_CHECK(rows, "the /cascades table");
    for (size_t c = 0; c < cs->n; c++) {
        void *row = rows + c * stride;
        rc_row_str(&t, row, 0, cs->id[c]);
        rc_row_u64(&t, row, 1, rc_cascades_size(cs, c));
        rc_row_f64(&t, row, 2, cs->obs_time[c]);
        rc_row_f64(&t, row, 3, cs->mark[cs->offset[c]]);
        rc_row_u8(&t, row, 4, res->heldout[c]);
    }
    RC_TRY(rc_table_create(file, "cascades", &t, rows, cs->n, 4096, 1, path));
cleanup:
    free(rows);
    rc_table_free(&t);
    return status;
}

/* /growth of a Hawkes fit: the observed cascades' mean N(t) on the engine's grid (t = 0 to the
 * grid time covering the last event), so that a plot can set the simulated /curves/growth of a
 * results file against it; the simulated columns are NaN (a calibration fills them). */
static rc_status_t write_observed_growth(hid_t file, const rc_fit_outcome_t *res, const char *path)
{
    rc_status_t status = RC_OK;
    rc_table_t t = {0};
    rc_calib_data_t d = {0};
    unsigned char *rows = NULL;
    rc_calib_objective_options_t o = rc_calib_objective_defaults();
    const char *cols[] = {"t", "observed", "simulated", "simulated_low", "simulated_high"};
    for (int i = 0; i < 5; i++)
        rc_table_add(&t, cols[i], RC_COL_F64, 0);
    if (t.failed)
        RC_FAIL(RC_ERR_NOMEM, "out of memory for /growth");
    RC_TRY(rc_calib_data_make(res->data, NULL, 0, &o, &d));
    const size_t n = d.growth_last + 1, stride = rc_table_stride(&t);
    rows = calloc(n, stride);
    RC_ALLOC_CHECK(rows, "the /growth table");
    for (size_t k = 0; k < n; k++) {
        rc_row_f64(&t, rows + k * stride, 0, rc_growth_time(k));
        rc_row_f64(&t, rows + k * stride, 1, d.growth[k]);
        for (size_t c = 2; c < 5; c++)
            rc_row_f64(&t, rows + k * stride, c, NAN);
    }
    RC_TRY(rc_table_create(file, "growth", &t, rows, n, n, 0, path));
cleanup:
    free(rows);
    rc_calib_data_clear(&d);
    rc_table_free(&t);
    return status;
}

rc_status_t rc_fit_write_h5(const char *path, const rc_fit_spec_t *spec,
                            const rc_fit_outcome_t *res, const rc_results_provenance_t *prov,
                            int force)
{
    rc_status_t status = RC_OK;
    rc_h5safe_report_t io;
    hid_t file = -1, fapl = -1;
    char *tmp = NULL;
    int made = 0;
    memset(&io, 0, sizeof io);
    rc_h5_quiet();
    RC_TRY(rc_fit_check_output(path, force));
    RC_TRY(rc_rfs_make_parents(path));
    size_t len = strlen(path) + 32;
    tmp = malloc(len);
    RC_ALLOC_CHECK(tmp, "a file name");
    snprintf(tmp, len, "%s.tmp.%ld", path, (long)getpid());
    /* Create the file ourselves first: HDF5's own failure says nothing about why. */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
    made = 1;
    if (close(fd) != 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot create %s: %s", path, tmp, strerror(errno));
    /* through the checked driver: every write checked, the file synced when closed */
    fapl = rc_h5safe_fapl(&io);
    file = fapl >= 0 ? H5Fcreate(tmp, H5F_ACC_TRUNC, H5P_DEFAULT, fapl) : -1;
    if (file < 0) {
        RC_TRY(rc_h5safe_status(&io, path, RC_OK));
        RC_FAIL(RC_ERR_IO, "%s: cannot create: HDF5 could not create %s", path, tmp);
    }
    status = write_head(file, spec, res, prov, path);
    if (status == RC_OK && res->calib != NULL) {
        status = rc_calib_write(file, spec, res, path);
    } else if (status == RC_OK) {
        status = write_fit_attrs(file, spec, res, path);
        if (status == RC_OK)
            status = write_fit_table(file, res, spec->fit.level, path);
        if (status == RC_OK)
            status = write_observed_growth(file, res, path);
    }
    if (status == RC_OK)
        status = write_predictions(file, res, path);
    if (status == RC_OK)
        status = write_cascades(file, res, path);
    herr_t flushed = status == RC_OK ? H5Fflush(file, H5F_SCOPE_LOCAL) : 0;
    herr_t closed = H5Fclose(file);
    file = -1;
    RC_TRY(rc_h5safe_status(&io, path, status));
    if (flushed < 0 || closed < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot finish writing (HDF5 could not %s it)", path,
                flushed < 0 ? "flush" : "close");
    if (rename(tmp, path) != 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot rename %s into place: %s", path, tmp, strerror(errno));
    made = 0;
    RC_TRY(rc_rfs_sync_dir(path));
cleanup:
    rc_h5_close(file);
    rc_h5_close(fapl);
    if (made)
        unlink(tmp);
    free(tmp);
    return status;
}
