/* `calibrate:` of a fit config (docs/fit.md): the keys of a run config that say what a point
 * runs (network, model, seeds or audience, global_fraction, max_size), the free parameters with
 * their ranges, and the calibration's own options. Every value is checked here with its
 * file:line:col, the free ones by parsing the points at both ends of their ranges; the
 * candidates' points and the fitted sections are made from the same template. */
#include "rtcascade/fit_io.h"
#include "rtcascade/specs.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The keys of the section that are the calibration's own; the others are a run config's. */
static const char *const calib_keys[] = {
    "free",  "runs",     "objective", "smoothing", "exact_sizes", "bins_per_decade",
    "level", "interval", "bootstrap", "grid",      "max_iter",    "tol",
    NULL};
static const char *const point_keys[] = {"network",         "model",    "seeds", "audience",
                                         "global_fraction", "max_size", NULL};

void rc_calib_spec_free(rc_calib_spec_t *c)
{
    if (c == NULL)
        return;
    rc_cfg_free(c->point);
    rc_network_spec_clear(&c->network);
    for (size_t i = 0; i < RC_CALIB_MAX_FREE; i++)
        free(c->free_key[i]);
    free(c);
}

/* One free key: `key: [lo, hi]` or `key: {range: [lo, hi], scale: log|linear}`. */
static rc_status_t read_free_one(const rc_cfg_t *v, const char *key, rc_calib_spec_t *c, size_t i)
{
    static const char *const keys[] = {"range", "scale", NULL};
    static const char *const scales[] = {"linear", "log", NULL};
    rc_status_t status = RC_OK;
    const rc_cfg_t *range = v;
    int scale = -1;
    if (strncmp(key, "network", 7) == 0 || strchr(key, '.') == NULL ||
        (strncmp(key, "model.", 6) != 0 && strncmp(key, "seeds.", 6) != 0 &&
         strncmp(key, "audience.", 9) != 0))
        RC_FAIL(RC_ERR_CONFIG,
                "%s: calibrate.free: '%s' cannot be free: expected a number under model., "
                "audience. or seeds. (the network is built once)",
                rc_cfg_where(v), key);
    if (rc_cfg_kind(v) == RC_CFG_MAP) {
        RC_TRY(rc_cfg_check_keys(v, keys));
        RC_TRY(rc_cfg_require(v, "range"));
        range = rc_cfg_get(v, "range");
        RC_TRY(rc_cfg_choice(v, "scale", scales, 0, &scale));
        if (rc_cfg_get(v, "scale") == NULL)
            scale = -1;
    }
    if (rc_cfg_kind(range) != RC_CFG_SEQ || rc_cfg_size(range) != 2)
        RC_FAIL(RC_ERR_CONFIG, "%s: calibrate.free.%s: expected a range [low, high]",
                rc_cfg_where(range), key);
    RC_TRY(rc_cfg_as_double(rc_cfg_at(range, 0, NULL), -DBL_MAX, DBL_MAX, &c->box.lo[i]));
    RC_TRY(rc_cfg_as_double(rc_cfg_at(range, 1, NULL), -DBL_MAX, DBL_MAX, &c->box.hi[i]));
    if (!(c->box.lo[i] < c->box.hi[i]))
        RC_FAIL(RC_ERR_CONFIG, "%s: calibrate.free.%s: expected low < high, got [%g, %g]",
                rc_cfg_where(range), key, c->box.lo[i], c->box.hi[i]);
    /* default: log when the range is positive and spans a factor 10 or more */
    c->box.log[i] = scale < 0 ? c->box.lo[i] > 0 && c->box.hi[i] >= 10 * c->box.lo[i] : scale;
    if (c->box.log[i] && !(c->box.lo[i] > 0))
        RC_FAIL(RC_ERR_CONFIG, "%s: calibrate.free.%s: a log scale needs low > 0, got %g",
                rc_cfg_where(range), key, c->box.lo[i]);
    c->free_key[i] = strdup(key);
    RC_ALLOC_CHECK(c->free_key[i], "a free key");
cleanup:
    return status;
}

static rc_status_t read_free(const rc_cfg_t *f, const rc_cfg_t *section, rc_calib_spec_t *c)
{
    rc_status_t status = RC_OK;
    if (f == NULL || rc_cfg_kind(f) != RC_CFG_MAP || rc_cfg_size(f) == 0 ||
        rc_cfg_size(f) > RC_CALIB_MAX_FREE)
        RC_FAIL(RC_ERR_CONFIG,
                "%s: calibrate.free: expected a map of 1 to %d free keys with their ranges, "
                "e.g. {model.p: [0.001, 0.2]}",
                rc_cfg_where(f ? f : section), RC_CALIB_MAX_FREE);
    c->box.dim = rc_cfg_size(f);
    for (size_t i = 0; i < c->box.dim; i++) {
        const char *key = NULL;
        const rc_cfg_t *v = rc_cfg_at(f, i, &key);
        RC_TRY(read_free_one(v, key, c, i));
    }
cleanup:
    return status;
}

/* The calibration's own options. */
static rc_status_t read_options(const rc_cfg_t *s, rc_calib_spec_t *c)
{
    static const char *const intervals[] = {"profile", "bootstrap", NULL};
    rc_status_t status = RC_OK;
    uint64_t v = 0;
    int obj = 0, interval = 0;
    c->objective = rc_calib_objective_defaults();
    c->search = rc_calib_search_defaults();
    RC_TRY(rc_cfg_uint64(s, "runs", 2000, 10, (uint64_t)1 << 32, &c->runs));
    static const char *names[RC_CALIB_N_OBJECTIVES + 1];
    for (int k = 0; k < RC_CALIB_N_OBJECTIVES; k++)
        names[k] = rc_calib_objective_name(k);
    RC_TRY(rc_cfg_choice(s, "objective", names, RC_CALIB_SIZE_LOGLIK, &obj));
    c->objective.objective = obj;
    RC_TRY(rc_cfg_double(s, "smoothing", 0.5, DBL_MIN, 1e6, &c->objective.smoothing));
    RC_TRY(rc_cfg_uint32(s, "exact_sizes", 10, 1, 1000000, &c->objective.exact_sizes));
    RC_TRY(rc_cfg_uint64(s, "bins_per_decade", 5, 1, 100, &v));
    c->objective.bins_per_decade = (int)v;
    RC_TRY(rc_cfg_double(s, "level", 0.95, 0.5, 0.9999, &c->level));
    RC_TRY(rc_cfg_choice(s, "interval", intervals,
                         obj == RC_CALIB_SIZE_LOGLIK ? RC_CALIB_INTERVAL_PROFILE
                                                     : RC_CALIB_INTERVAL_BOOTSTRAP,
                         &interval));
    c->interval = interval;
    RC_TRY(rc_cfg_uint64(s, "bootstrap", interval == RC_CALIB_INTERVAL_BOOTSTRAP ? 50 : 0,
                         interval == RC_CALIB_INTERVAL_BOOTSTRAP ? 2 : 0, 10000, &v));
    c->bootstrap = (int)v;
    RC_TRY(rc_cfg_uint64(s, "grid", 9, 3, 64, &v));
    c->search.grid = (int)v;
    RC_TRY(rc_cfg_uint64(s, "max_iter", 60, 1, 10000, &v));
    c->search.max_iter = (int)v;
    RC_TRY(rc_cfg_double(s, "tol", 1e-3, 1e-9, 0.5, &c->search.tol));
    if (interval == RC_CALIB_INTERVAL_PROFILE && obj != RC_CALIB_SIZE_LOGLIK)
        RC_FAIL(RC_ERR_CONFIG,
                "%s: calibrate.interval: a profile interval needs objective size_loglik (a "
                "log-likelihood); with the distance %s use interval: bootstrap",
                rc_cfg_where(rc_cfg_get(s, "interval")), rc_calib_objective_name(obj));
cleanup:
    return status;
}

/* The point of the run keys in `cfg` (network removed) with the free values x. */
static rc_status_t point_at(const rc_fit_spec_t *spec, const double *x, uint64_t index,
                            rc_point_t **out)
{
    rc_status_t status = RC_OK;
    const rc_calib_spec_t *c = spec->calib;
    rc_cfg_t *cfg = rc_cfg_copy(c->point);
    char value[64];
    *out = NULL;
    RC_ALLOC_CHECK(cfg, "a candidate");
    rc_cfg_remove(cfg, "network");
    for (size_t i = 0; i < c->box.dim; i++) {
        snprintf(value, sizeof value, "%.17g", x[i]);
        RC_TRY(rc_cfg_set_from(cfg, c->free_key[i], value, c->point));
    }
    status = rc_point_parse_at(cfg, index, spec->base_dir, out);
    if (status != RC_OK) {
        char msg[768];
        snprintf(msg, sizeof msg, "%s", rc_error_message());
        RC_FAIL(status, "calibrate: at the free values %s = %g%s: %s", c->free_key[0], x[0],
                c->box.dim > 1 ? ", ..." : "", msg);
    }
cleanup:
    rc_cfg_free(cfg);
    return status;
}

rc_status_t rc_calib_point(const rc_fit_spec_t *spec, const double *x, uint64_t index,
                           rc_point_t **out)
{
    return point_at(spec, x, index, out);
}

/* Both ends of every range must make a valid point; notes what the model is. */
static rc_status_t check_ends(const rc_cfg_t *s, rc_fit_spec_t *spec)
{
    rc_status_t status = RC_OK;
    rc_calib_spec_t *c = spec->calib;
    rc_point_t *pt = NULL;
    for (int end = 0; end < 2; end++) {
        rc_point_free(pt);
        pt = NULL;
        status = point_at(spec, end ? c->box.hi : c->box.lo, 0, &pt);
        if (status != RC_OK) {
            char msg[900];
            snprintf(msg, sizeof msg, "%s", rc_error_message());
            RC_FAIL(status, "%s: calibrate.free: %s", rc_cfg_where(rc_cfg_get(s, "free")), msg);
        }
    }
    c->timed = pt->model->timed;
    c->audience = pt->has_audience;
    if (rc_calib_objective_timed(c->objective.objective) && !c->timed)
        RC_FAIL(RC_ERR_CONFIG,
                "%s: calibrate.objective: %s compares growth curves N(t), which the untimed "
                "model %s has not (use continuous_cascade or hawkes, or a size objective)",
                rc_cfg_where(rc_cfg_get(s, "objective")),
                rc_calib_objective_name(c->objective.objective), pt->model->name);
cleanup:
    rc_point_free(pt);
    return status;
}

rc_status_t rc_calib_spec_read(const rc_cfg_t *s, rc_fit_spec_t *spec)
{
    rc_status_t status = RC_OK;
    rc_calib_spec_t *c = NULL;
    const char
        *all[sizeof calib_keys / sizeof *calib_keys + sizeof point_keys / sizeof *point_keys];
    size_t n = 0;
    for (size_t i = 0; calib_keys[i]; i++)
        all[n++] = calib_keys[i];
    for (size_t i = 0; point_keys[i]; i++)
        all[n++] = point_keys[i];
    all[n] = NULL;
    if (rc_cfg_kind(s) != RC_CFG_MAP)
        RC_FAIL(RC_ERR_CONFIG,
                "%s: calibrate: expected a map with network:, model:, seeds: or audience:, "
                "and free: {key: [low, high]}",
                rc_cfg_where(s));
    RC_TRY(rc_cfg_check_keys(s, all));
    RC_TRY(rc_cfg_require(s, "network"));
    RC_TRY(rc_cfg_require(s, "model"));
    c = spec->calib = calloc(1, sizeof *c);
    RC_ALLOC_CHECK(c, "a calibration");
    RC_TRY(read_options(s, c));
    RC_TRY(read_free(rc_cfg_get(s, "free"), s, c));
    c->point = rc_cfg_copy(s);
    RC_ALLOC_CHECK(c->point, "a calibration");
    for (size_t i = 0; calib_keys[i]; i++)
        rc_cfg_remove(c->point, calib_keys[i]);
    RC_TRY(rc_network_spec_parse(rc_cfg_get(s, "network"), spec->seed, &c->network));
    RC_TRY(check_ends(s, spec));
cleanup:
    return status;
}

rc_status_t rc_calib_fitted_yaml(const rc_fit_spec_t *spec, const double *x, char **model,
                                 char **config)
{
    rc_status_t status = RC_OK;
    const rc_calib_spec_t *c = spec->calib;
    rc_cfg_t *cfg = NULL;
    char value[1100];
    *model = *config = NULL;
    cfg = rc_cfg_new_map("fitted");
    RC_ALLOC_CHECK(cfg, "the fitted config");
    snprintf(value, sizeof value, "%s_fitted", spec->name);
    RC_TRY(rc_cfg_set(cfg, "name", value));
    snprintf(value, sizeof value, "%llu", (unsigned long long)spec->seed);
    RC_TRY(rc_cfg_set(cfg, "seed", value));
    snprintf(value, sizeof value, "%llu", (unsigned long long)c->runs);
    RC_TRY(rc_cfg_set(cfg, "runs", value));
    RC_TRY(rc_cfg_merge(cfg, c->point));
    for (size_t i = 0; i < c->box.dim; i++) {
        snprintf(value, sizeof value, "%.17g", x[i]);
        RC_TRY(rc_cfg_set(cfg, c->free_key[i], value));
    }
    *model = rc_cfg_to_yaml(rc_cfg_get(cfg, "model"));
    *config = rc_cfg_to_yaml(cfg);
    if (*model == NULL || *config == NULL)
        RC_FAIL(RC_ERR_NOMEM, "out of memory writing the fitted sections");
cleanup:
    if (status != RC_OK) {
        free(*model);
        free(*config);
        *model = *config = NULL;
    }
    rc_cfg_free(cfg);
    return status;
}
