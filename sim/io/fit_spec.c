/* A fit config -> rc_fit_spec_t: the `data:` section (file, columns, observation time, cap,
 * held-out share), the `model:` to fit (a hawkes kernel, marked or not, HawkesN or not), the
 * `fit:` options and the `predict:` section. Every value is checked here with file:line:col;
 * the data's own content is checked when rc_run_fit reads it. */
#include "io/results_fs.h"
#include "rtcascade/experiment.h"
#include "rtcascade/fit_io.h"
#include "rtcascade/network.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const top_keys[] = {"name", "seed",    "output",    "data", "model",
                                       "fit",  "predict", "calibrate", NULL};

/* A string key of map into *out (malloc'ed; NULL when absent and def is NULL, or when the
 * value is null and nullable). */
static rc_status_t dup_string(const rc_cfg_t *map, const char *key, const char *def, int nullable,
                              char **out)
{
    rc_status_t status = RC_OK;
    const char *v = NULL;
    const rc_cfg_t *node = rc_cfg_get(map, key);
    *out = NULL;
    if (nullable && node != NULL && rc_cfg_kind(node) == RC_CFG_SCALAR && rc_cfg_is_null(node))
        return RC_OK;
    RC_TRY(rc_cfg_string(map, key, def, &v));
    if (v != NULL) {
        *out = strdup(v);
        RC_ALLOC_CHECK(*out, "a config value");
    }
cleanup:
    return status;
}

/* data.observation_time: a time > 0 (s), `complete` (.inf) or `last_event`. */
static rc_status_t read_obs_time(const rc_cfg_t *data, double *T)
{
    const rc_cfg_t *node = rc_cfg_get(data, "observation_time");
    *T = INFINITY;
    if (node == NULL || (rc_cfg_kind(node) == RC_CFG_SCALAR && rc_cfg_is_null(node)))
        return RC_OK;
    const char *text = rc_cfg_text(node);
    if (text != NULL && (strcmp(text, "complete") == 0 || strcmp(text, ".inf") == 0 ||
                         strcmp(text, "inf") == 0 || strcmp(text, ".Inf") == 0))
        return RC_OK;
    if (text != NULL && strcmp(text, "last_event") == 0) {
        *T = 0.0;
        return RC_OK;
    }
    if (rc_cfg_as_double(node, DBL_MIN, DBL_MAX, T) != RC_OK)
        return rc_error(RC_ERR_CONFIG,
                        "%s: %s: expected a time > 0 in seconds, 'complete' or "
                        "'last_event', got '%s'",
                        rc_cfg_where(node), rc_cfg_path(node), text ? text : "a list or map");
    return RC_OK;
}

static rc_status_t read_data(const rc_cfg_t *data, rc_fit_spec_t *s)
{
    rc_status_t status = RC_OK;
    static const char *const keys[] = {"path",        "cascade_column",   "time_column",
                                       "mark_column", "observation_time", "observation_time_column",
                                       "max_events",  "holdout",          NULL};
    uint64_t cap = 0;
    if (data == NULL || rc_cfg_kind(data) != RC_CFG_MAP)
        RC_FAIL(RC_ERR_CONFIG,
                "%s: data: expected a map with at least 'path:' (the observed "
                "cascades, CSV)",
                data ? rc_cfg_where(data) : rc_cfg_where(s->resolved));
    RC_TRY(rc_cfg_check_keys(data, keys));
    RC_TRY(rc_cfg_require(data, "path"));
    RC_TRY(dup_string(data, "path", NULL, 0, &s->data_path));
    RC_TRY(dup_string(data, "cascade_column", "cascade", 1, &s->cascade_column));
    RC_TRY(dup_string(data, "time_column", "time_s", 0, &s->time_column));
    RC_TRY(dup_string(data, "mark_column", "followers", 1, &s->mark_column));
    RC_TRY(dup_string(data, "observation_time_column", NULL, 1, &s->obs_time_column));
    RC_TRY(read_obs_time(data, &s->read.obs_time));
    if (s->obs_time_column != NULL && rc_cfg_get(data, "observation_time") != NULL)
        RC_FAIL(RC_ERR_CONFIG,
                "%s: data: give observation_time or observation_time_column, not "
                "both",
                rc_cfg_where(rc_cfg_get(data, "observation_time_column")));
    RC_TRY(rc_cfg_uint64(data, "max_events", 0, 0, (uint64_t)1 << 40, &cap));
    RC_TRY(rc_cfg_double(data, "holdout", 0.0, 0.0, 0.95, &s->holdout));
    s->read.cascade_column = s->cascade_column;
    s->read.time_column = s->time_column;
    s->read.mark_column = s->mark_column;
    s->read.obs_time_column = s->obs_time_column;
    s->read.max_events = (size_t)cap;
    if (s->obs_time_column != NULL || s->read.obs_time == 0.0)
        s->read.obs_time = 0.0; /* the reader's "not given" */
    s->data_file = rc_path_join(s->base_dir, s->data_path);
    RC_ALLOC_CHECK(s->data_file, "a file name");
    if (access(s->data_file, R_OK) != 0)
        RC_FAIL(RC_ERR_IO, "%s: data.path: %s: cannot open: %s",
                rc_cfg_where(rc_cfg_get(data, "path")), s->data_file, strerror(errno));
cleanup:
    return status;
}

/* `model: {name: hawkes, kernel: exponential|power_law, marked: bool, hawkesn: bool}`. */
static rc_status_t read_model(const rc_cfg_t *m, rc_fit_spec_t *s)
{
    rc_status_t status = RC_OK;
    static const char *const keys[] = {"name", "kernel", "marked", "hawkesn", NULL};
    static const char *const names[] = {"hawkes", NULL};
    static const char *const kernels[] = {"exponential", "power_law", NULL};
    int name = 0, kernel = 0, marked = 0, n = 0;
    if (rc_cfg_kind(m) != RC_CFG_MAP)
        RC_FAIL(RC_ERR_CONFIG,
                "%s: model: expected a map like {name: hawkes, kernel: power_law, "
                "marked: true}",
                rc_cfg_where(m));
    RC_TRY(rc_cfg_check_keys(m, keys));
    RC_TRY(rc_cfg_require(m, "name"));
    RC_TRY(rc_cfg_choice(m, "name", names, 0, &name));
    RC_TRY(rc_cfg_choice(m, "kernel", kernels, 0, &kernel));
    RC_TRY(rc_cfg_bool(m, "marked", 0, &marked));
    RC_TRY(rc_cfg_bool(m, "hawkesn", 0, &n));
    if (marked && s->mark_column == NULL)
        RC_FAIL(RC_ERR_CONFIG,
                "%s: model.marked: a marked model needs data.mark_column (the "
                "follower counts), which is null",
                rc_cfg_where(rc_cfg_get(m, "marked")));
    s->has_model = 1;
    s->fit = rc_hawkes_fit_defaults((rc_hawkes_kind_t)(kernel | (marked << 1) | (n << 2)));
cleanup:
    return status;
}

/* fit.start: {K: .., beta: .., c: .., theta: .., N: ..}, every parameter of the kind. */
static rc_status_t read_start(const rc_cfg_t *st, rc_fit_spec_t *s)
{
    rc_status_t status = RC_OK;
    const char *keys[RC_HAWKES_MAX_PARAMS + 1];
    int np = rc_hawkes_n_params(s->fit.kind);
    for (int i = 0; i < np; i++)
        keys[i] = rc_hawkes_param_name(s->fit.kind, i);
    keys[np] = NULL;
    RC_TRY(rc_cfg_check_keys(st, keys));
    for (int i = 0; i < np; i++) {
        RC_TRY(rc_cfg_require(st, keys[i]));
        RC_TRY(rc_cfg_double(st, keys[i], 0.0, 0.0, DBL_MAX, &s->start[i]));
    }
    if (rc_hawkes_check_params(s->fit.kind, s->start, NULL) != RC_OK) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", rc_error_message());
        RC_FAIL(RC_ERR_CONFIG, "%s: %s: %s", rc_cfg_where(st), rc_cfg_path(st), msg);
    }
    s->has_start = 1;
    s->fit.start = s->start;
cleanup:
    return status;
}

static rc_status_t read_fit(const rc_cfg_t *f, rc_fit_spec_t *s)
{
    rc_status_t status = RC_OK;
    static const char *const keys[] = {"starts",    "max_iter", "grad_tol", "level",
                                       "bootstrap", "nstar",    "start",    NULL};
    static const char *const nstars[] = {"powerlaw", "empirical", NULL};
    uint64_t starts = 8, iters = 500, boot = 0;
    int nstar = RC_NSTAR_EMPIRICAL;
    s->fit.nstar = RC_NSTAR_EMPIRICAL;
    s->fit.seed = s->seed;
    if (f == NULL)
        return RC_OK;
    if (rc_cfg_kind(f) != RC_CFG_MAP)
        RC_FAIL(RC_ERR_CONFIG, "%s: fit: expected a map of options", rc_cfg_where(f));
    RC_TRY(rc_cfg_check_keys(f, keys));
    if (!s->has_model)
        RC_FAIL(RC_ERR_CONFIG, "%s: fit: there is no model: to fit", rc_cfg_where(f));
    RC_TRY(rc_cfg_uint64(f, "starts", 8, 1, 1000, &starts));
    RC_TRY(rc_cfg_uint64(f, "max_iter", 500, 1, 1000000, &iters));
    RC_TRY(rc_cfg_double(f, "grad_tol", s->fit.grad_tol, DBL_MIN, 1.0, &s->fit.grad_tol));
    RC_TRY(rc_cfg_double(f, "level", 0.95, 0.5, 0.9999, &s->fit.level));
    RC_TRY(rc_cfg_uint64(f, "bootstrap", 0, 0, 100000, &boot));
    RC_TRY(rc_cfg_choice(f, "nstar", nstars, RC_NSTAR_EMPIRICAL, &nstar));
    s->fit.n_starts = (int)starts;
    s->fit.max_iter = (int)iters;
    s->fit.bootstrap = (int)boot;
    s->fit.nstar = (rc_nstar_kind_t)nstar;
    if (rc_cfg_get(f, "start") != NULL)
        RC_TRY(read_start(rc_cfg_get(f, "start"), s));
cleanup:
    return status;
}

/* predict.seismic: SEISMIC's options (rc_seismic_options_t), defaults of its R package. */
static rc_status_t read_seismic(const rc_cfg_t *m, rc_seismic_options_t *o)
{
    rc_status_t status = RC_OK;
    static const char *const keys[] = {"theta",     "cutoff", "c",     "max_window", "min_window",
                                       "min_count", "n_star", "low_q", "high_q",     NULL};
    uint64_t mc = (uint64_t)o->min_count;
    RC_TRY(rc_cfg_check_keys(m, keys));
    RC_TRY(rc_cfg_double(m, "theta", o->theta, DBL_MIN, 100, &o->theta));
    RC_TRY(rc_cfg_double(m, "cutoff", o->cutoff, DBL_MIN, DBL_MAX, &o->cutoff));
    RC_TRY(rc_cfg_double(m, "c", o->c, DBL_MIN, DBL_MAX, &o->c));
    RC_TRY(rc_cfg_double(m, "max_window", o->max_window, DBL_MIN, DBL_MAX, &o->max_window));
    RC_TRY(rc_cfg_double(m, "min_window", o->min_window, DBL_MIN, DBL_MAX, &o->min_window));
    RC_TRY(rc_cfg_uint64(m, "min_count", mc, 1, 1000000, &mc));
    RC_TRY(rc_cfg_double(m, "n_star", o->n_star, DBL_MIN, DBL_MAX, &o->n_star));
    RC_TRY(rc_cfg_double(m, "low_q", o->low_q, DBL_MIN, 0.5, &o->low_q));
    RC_TRY(rc_cfg_double(m, "high_q", o->high_q, 0.5, 1.0 - DBL_EPSILON, &o->high_q));
    o->min_count = (int)mc;
cleanup:
    return status;
}

/* predict.methods: a list of hawkes / seismic. */
static rc_status_t read_methods(const rc_cfg_t *m, unsigned *bits)
{
    static const char *const names[] = {"hawkes", "seismic", NULL};
    *bits = 0;
    if (rc_cfg_kind(m) != RC_CFG_SEQ || rc_cfg_size(m) == 0)
        return rc_error(RC_ERR_CONFIG, "%s: %s: expected a list of methods (hawkes, seismic)",
                        rc_cfg_where(m), rc_cfg_path(m));
    for (size_t i = 0; i < rc_cfg_size(m); i++) {
        const rc_cfg_t *it = rc_cfg_at(m, i, NULL);
        const char *t = rc_cfg_text(it);
        int k = -1;
        for (int j = 0; t != NULL && names[j] != NULL; j++)
            if (strcmp(t, names[j]) == 0)
                k = j;
        if (k < 0)
            return rc_error(RC_ERR_CONFIG, "%s: %s: unknown method '%s' (valid: hawkes, seismic)",
                            rc_cfg_where(it), rc_cfg_path(m), t ? t : "a list or map");
        *bits |= 1u << k;
    }
    return RC_OK;
}

static rc_status_t read_predict(const rc_cfg_t *p, rc_fit_spec_t *s)
{
    rc_status_t status = RC_OK;
    static const char *const keys[] = {"at", "methods", "seismic", NULL};
    s->seismic = rc_seismic_defaults();
    if (p == NULL)
        return RC_OK;
    if (rc_cfg_kind(p) != RC_CFG_MAP)
        RC_FAIL(RC_ERR_CONFIG,
                "%s: predict: expected a map {at: [times], methods: [hawkes, "
                "seismic]}",
                rc_cfg_where(p));
    RC_TRY(rc_cfg_check_keys(p, keys));
    const rc_cfg_t *m = rc_cfg_get(p, "methods");
    s->predict = s->has_model ? RC_FIT_PREDICT_HAWKES : RC_FIT_PREDICT_SEISMIC;
    if (m != NULL)
        RC_TRY(read_methods(m, &s->predict));
    if ((s->predict & RC_FIT_PREDICT_HAWKES) && !s->has_model)
        RC_FAIL(RC_ERR_CONFIG, "%s: predict.methods: hawkes needs a model: to fit",
                rc_cfg_where(m ? m : p));
    if ((s->predict & RC_FIT_PREDICT_HAWKES) && RC_HAWKES_IS_N(s->fit.kind))
        RC_FAIL(RC_ERR_CONFIG,
                "%s: predict.methods: a HawkesN model has no closed-form final "
                "size (evently has none either); predict with hawkesn: false",
                rc_cfg_where(m ? m : p));
    if ((s->predict & RC_FIT_PREDICT_SEISMIC) && s->mark_column == NULL)
        RC_FAIL(RC_ERR_CONFIG,
                "%s: predict.methods: seismic needs data.mark_column (the "
                "follower counts)",
                rc_cfg_where(m ? m : p));
    const rc_cfg_t *at = rc_cfg_get(p, "at");
    if (at != NULL) {
        if (rc_cfg_kind(at) != RC_CFG_SEQ || rc_cfg_size(at) == 0)
            RC_FAIL(RC_ERR_CONFIG, "%s: predict.at: expected a list of observation times (s)",
                    rc_cfg_where(at));
        s->n_at = rc_cfg_size(at);
        s->at = calloc(s->n_at, sizeof *s->at);
        RC_ALLOC_CHECK(s->at, "predict.at");
        for (size_t i = 0; i < s->n_at; i++)
            RC_TRY(rc_cfg_as_double(rc_cfg_at(at, i, NULL), DBL_MIN, DBL_MAX, &s->at[i]));
    } else if (isinf(s->read.obs_time)) {
        RC_FAIL(RC_ERR_CONFIG,
                "%s: predict.at: expected the observation times to predict from "
                "(s): the data are complete (data.observation_time), so there is nothing to "
                "predict at their end",
                rc_cfg_where(p));
    }
    if (rc_cfg_get(p, "seismic") != NULL)
        RC_TRY(read_seismic(rc_cfg_get(p, "seismic"), &s->seismic));
cleanup:
    return status;
}

/* The spec from a loaded config tree. */
static rc_status_t read_spec(const rc_cfg_t *cfg, const char *default_name, rc_fit_spec_t *s)
{
    rc_status_t status = RC_OK;
    const char *name = NULL;
    if (rc_cfg_kind(cfg) != RC_CFG_MAP)
        RC_FAIL(RC_ERR_CONFIG, "%s: a fit config must be a map (name:, data:, model:, ...)",
                rc_cfg_where(cfg));
    RC_TRY(rc_cfg_check_keys(cfg, top_keys));
    RC_TRY(rc_cfg_string(cfg, "name", default_name, &name));
    s->name = strdup(name != NULL && *name ? name : "fit");
    RC_ALLOC_CHECK(s->name, "a name");
    RC_TRY(rc_cfg_uint64(cfg, "seed", 1, 0, UINT64_MAX, &s->seed));
    RC_TRY(dup_string(cfg, "output", NULL, 0, &s->output));
    if (s->output == NULL) {
        s->output = rc_rfs_strcat3("results/", s->name, ".h5");
        RC_ALLOC_CHECK(s->output, "a file name");
    }
    RC_TRY(read_data(rc_cfg_get(cfg, "data"), s));
    const rc_cfg_t *cal = rc_cfg_get(cfg, "calibrate");
    if (cal != NULL) {
        static const char *const not_with[] = {"model", "fit", "predict", NULL};
        for (int i = 0; not_with[i]; i++)
            if (rc_cfg_get(cfg, not_with[i]) != NULL)
                RC_FAIL(RC_ERR_CONFIG,
                        "%s: %s: a fit config has model: (a Hawkes fit, with fit: and "
                        "predict:) or calibrate: (a simulation-based calibration), not both",
                        rc_cfg_where(rc_cfg_get(cfg, not_with[i])), not_with[i]);
        if (s->holdout > 0)
            RC_FAIL(RC_ERR_CONFIG,
                    "%s: data.holdout: not used by calibrate: (every cascade is "
                    "fitted)",
                    rc_cfg_where(cfg));
        RC_TRY(rc_calib_spec_read(cal, s));
        goto cleanup;
    }
    const rc_cfg_t *m = rc_cfg_get(cfg, "model");
    if (m != NULL)
        RC_TRY(read_model(m, s));
    RC_TRY(read_fit(rc_cfg_get(cfg, "fit"), s));
    RC_TRY(read_predict(rc_cfg_get(cfg, "predict"), s));
    if (!s->has_model && !(s->predict & RC_FIT_PREDICT_SEISMIC))
        RC_FAIL(RC_ERR_CONFIG,
                "%s: missing required key 'model' (what to fit, e.g. {name: "
                "hawkes, kernel: power_law, marked: true}); without one, only predict: "
                "{methods: [seismic]} can run",
                rc_cfg_where(cfg));
cleanup:
    return status;
}

rc_status_t rc_fit_spec_load(const char *path, char *const *sets, size_t n_sets,
                             rc_fit_spec_t **out)
{
    rc_status_t status = RC_OK;
    rc_fit_spec_t *s = NULL;
    char *name = NULL;
    *out = NULL;
    if (path == NULL)
        RC_FAIL(RC_ERR_ARGUMENT, "fit: no config given (usage: rtcascade fit CONFIG.yaml)");
    s = calloc(1, sizeof *s);
    RC_ALLOC_CHECK(s, "a fit");
    s->read = rc_cascades_read_defaults();
    RC_TRY(rc_config_load(path, sets, n_sets, &s->resolved, &s->base_dir));
    RC_TRY(rc_rfs_read_text(path, &s->config_text));
    s->config_path = strdup(path);
    RC_ALLOC_CHECK(s->config_path, "a file name");
    const char *base = strrchr(path, '/');
    name = strdup(base ? base + 1 : path);
    RC_ALLOC_CHECK(name, "a name");
    char *dot = strrchr(name, '.');
    if (dot != NULL && dot != name && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0))
        *dot = '\0';
    RC_TRY(read_spec(s->resolved, name, s));
    *out = s;
    s = NULL;
cleanup:
    free(name);
    rc_fit_spec_free(s);
    return status;
}

rc_status_t rc_fit_spec_set_output(rc_fit_spec_t *spec, const char *path)
{
    char *p = strdup(path);
    if (p == NULL)
        return rc_error(RC_ERR_NOMEM, "out of memory for a file name");
    free(spec->output);
    spec->output = p;
    return RC_OK;
}

void rc_fit_spec_free(rc_fit_spec_t *s)
{
    if (s == NULL)
        return;
    free(s->name);
    free(s->output);
    free(s->data_path);
    free(s->data_file);
    free(s->cascade_column);
    free(s->time_column);
    free(s->mark_column);
    free(s->obs_time_column);
    free(s->at);
    rc_calib_spec_free(s->calib);
    rc_cfg_free(s->resolved);
    free(s->config_text);
    free(s->config_path);
    free(s->base_dir);
    free(s);
}
