/* Config -> experiment: top-level keys, scenarios deep-merged over the base, sweeps (lists,
 * linear and logarithmic ranges; grid product or zip) expanded into points with their resolved
 * configs, and networks shared between points that describe the same one. */
#include "rtcascade/experiment.h"
#include "rtcascade/engine.h"
#include "rtcascade/model.h"
#include "rtcascade/graph_h5.h"
#include "rtcascade/specs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const rc_experiment_keys[] = {
    "name", "description", "seed", "runs", "network", "model", "seeds", "audience", "scenarios",
    "sweep", "output", "global_fraction", "max_size", NULL};

#define MAX_POINTS 10000000ULL
#define MAX_SWEEP_VALUES 1000000ULL

/* One swept key and its values as YAML text. */
typedef struct sweep_axis {
    const char *key;
    char **values;
    size_t len;
} sweep_axis_t;

static void free_strings(char **s, size_t n)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        free(s[i]);
    free(s);
}

void rc_experiment_free(rc_experiment_t *ex)
{
    if (ex == NULL)
        return;
    for (size_t i = 0; i < ex->n_points; i++) {
        rc_cfg_free(ex->points[i].config);
        free_strings(ex->points[i].values, ex->n_swept);
    }
    free(ex->points);
    free_strings(ex->swept_keys, ex->n_swept);
    free_strings(ex->scenarios, ex->n_scenarios);
    free(ex->name);
    free(ex->output);
    rc_cfg_free(ex->resolved);
    free(ex);
}

/* Shortest "%g" text that reads back as exactly v (so 0.1 stays "0.1"). */
static char *format_number(double v)
{
    char buf[64];
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return strdup(buf);
}

/* Values of a range map {from, to, step} or {from, to, num[, log]} as text. */
static rc_status_t range_values(const rc_cfg_t *map, char ***out, size_t *len)
{
    static const char *const keys[] = {"from", "to", "step", "num", "log", NULL};
    rc_status_t status = RC_OK;
    double from, to, step = 0;
    uint64_t num = 0;
    int logscale = 0;
    char **vals = NULL;
    size_t n = 0;
    RC_TRY(rc_cfg_check_keys(map, keys));
    RC_TRY(rc_cfg_require(map, "from"));
    RC_TRY(rc_cfg_require(map, "to"));
    RC_TRY(rc_cfg_double(map, "from", 0, -HUGE_VAL, HUGE_VAL, &from));
    RC_TRY(rc_cfg_double(map, "to", 0, -HUGE_VAL, HUGE_VAL, &to));
    RC_TRY(rc_cfg_bool(map, "log", 0, &logscale));
    int has_step = rc_cfg_get(map, "step") != NULL, has_num = rc_cfg_get(map, "num") != NULL;
    if (has_step == has_num)
        RC_FAIL(RC_ERR_CONFIG, "%s: %s: a range needs either step: or num: (got %s)",
                rc_cfg_where(map), rc_cfg_path(map), has_step ? "both" : "neither");
    if (has_step) {
        if (logscale)
            RC_FAIL(RC_ERR_CONFIG, "%s: %s: a log range takes num:, not step:",
                    rc_cfg_where(rc_cfg_get(map, "step")), rc_cfg_path(map));
        RC_TRY(rc_cfg_double(map, "step", 0, -HUGE_VAL, HUGE_VAL, &step));
        if (step == 0 || (to - from) / step < 0)
            RC_FAIL(RC_ERR_CONFIG, "%s: %s.step: a step of %g never gets from %g to %g",
                    rc_cfg_where(rc_cfg_get(map, "step")), rc_cfg_path(map), step, from, to);
        double count = floor((to - from) / step + 1e-9) + 1;
        if (count > (double)MAX_SWEEP_VALUES)
            RC_FAIL(RC_ERR_CONFIG, "%s: %s: %.0f values is too many (at most %llu)",
                    rc_cfg_where(map), rc_cfg_path(map), count,
                    (unsigned long long)MAX_SWEEP_VALUES);
        num = (uint64_t)count;
    } else {
        RC_TRY(rc_cfg_uint64(map, "num", 0, 1, MAX_SWEEP_VALUES, &num));
        if (logscale && (from <= 0 || to <= 0))
            RC_FAIL(RC_ERR_CONFIG, "%s: %s: a log range needs from: and to: > 0 (got %g, %g)",
                    rc_cfg_where(map), rc_cfg_path(map), from, to);
    }
    vals = calloc(num, sizeof *vals);
    RC_ALLOC_CHECK(vals, "sweep values");
    for (n = 0; n < num; n++) {
        double v;
        if (has_step)
            v = from + (double)n * step;
        else if (num == 1)
            v = from;
        else if (logscale)
            v = exp(log(from) + (log(to) - log(from)) * (double)n / (double)(num - 1));
        else
            v = from + (to - from) * (double)n / (double)(num - 1);
        if (n == 0)
            v = from; /* start and end exactly on the bounds the user wrote */
        else if (n == num - 1 && !has_step)
            v = to;
        else {
            /* 12 significant digits: 0.1 + 7 * 0.01 is 0.17, not 0.16999999999999998, and a
             * log range over an integer key lands on integers (10, not 9.999999999999998). */
            char tmp[40];
            snprintf(tmp, sizeof tmp, "%.12g", v);
            v = strtod(tmp, NULL);
        }
        vals[n] = format_number(v);
        RC_ALLOC_CHECK(vals[n], "sweep values");
    }
    *out = vals;
    *len = num;
    vals = NULL;
cleanup:
    free_strings(vals, n);
    return status;
}

/* Values of one swept key: a list (any YAML values) or a range map. */
static rc_status_t axis_values(const rc_cfg_t *node, sweep_axis_t *axis)
{
    rc_status_t status = RC_OK;
    if (rc_cfg_kind(node) == RC_CFG_MAP)
        return range_values(node, &axis->values, &axis->len);
    if (rc_cfg_kind(node) != RC_CFG_SEQ || rc_cfg_size(node) == 0)
        return rc_error(RC_ERR_CONFIG,
                        "%s: %s: expected a non-empty list of values or a range "
                        "{from:, to:, step:|num:, log:}",
                        rc_cfg_where(node), rc_cfg_path(node));
    size_t n = rc_cfg_size(node);
    axis->values = calloc(n, sizeof *axis->values);
    RC_ALLOC_CHECK(axis->values, "sweep values");
    axis->len = n;
    for (size_t i = 0; i < n; i++) {
        axis->values[i] = rc_cfg_to_yaml(rc_cfg_at(node, i, NULL));
        RC_ALLOC_CHECK(axis->values[i], "sweep values");
        size_t l = strlen(axis->values[i]); /* scalars come back as "text\n" */
        if (l > 0 && axis->values[i][l - 1] == '\n' && rc_cfg_kind(rc_cfg_at(node, i, NULL)) == RC_CFG_SCALAR)
            axis->values[i][l - 1] = '\0';
    }
cleanup:
    return status;
}

/* Checks that the first component of a swept key is a top-level key. */
static rc_status_t check_swept_key(const rc_cfg_t *sweep, size_t i, const char *key)
{
    char head[128];
    size_t n = strcspn(key, ".");
    if (n == 0 || n >= sizeof head || key[strlen(key) - 1] == '.')
        goto bad;
    memcpy(head, key, n);
    head[n] = '\0';
    for (size_t k = 0; rc_experiment_keys[k]; k++) {
        if (strcmp(head, rc_experiment_keys[k]) == 0) {
            if (strcmp(head, "sweep") == 0 || strcmp(head, "scenarios") == 0 ||
                strcmp(head, "runs") == 0 || strcmp(head, "seed") == 0 || strcmp(head, "name") == 0 ||
                strcmp(head, "output") == 0)
                return rc_error(RC_ERR_CONFIG, "%s: sweep: '%s' cannot be swept",
                                rc_cfg_where(rc_cfg_at(sweep, i, NULL)), key);
            return RC_OK;
        }
    }
bad:;
    const rc_cfg_t *node = rc_cfg_at(sweep, i, NULL);
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t k = 0; rc_experiment_keys[k]; k++) {
        size_t d = rc_edit_distance(head, rc_experiment_keys[k]);
        if (d < best_d) {
            best_d = d;
            best = rc_experiment_keys[k];
        }
    }
    if (best_d <= 2)
        return rc_error(RC_ERR_CONFIG, "%s: sweep: '%s' does not name a config key (did you mean '%s.%s'?)",
                        rc_cfg_where(node), key, best, key + (n < strlen(key) ? n + 1 : n));
    return rc_error(RC_ERR_CONFIG,
                    "%s: sweep: '%s' does not name a config key (expected a dotted path such as "
                    "model.p or network.mean_degree)",
                    rc_cfg_where(node), key);
}

/* The base config: the given one without scenarios: and sweep:. */
static rc_status_t make_base(const rc_cfg_t *config, rc_cfg_t **out)
{
    rc_cfg_t *base = rc_cfg_copy(config);
    if (base == NULL)
        return RC_ERR_NOMEM;
    rc_cfg_remove(base, "scenarios");
    rc_cfg_remove(base, "sweep");
    *out = base;
    return RC_OK;
}

/* The axes of one sweep: map (top level or a scenario's), its mode and number of combinations. */
typedef struct axis_set {
    sweep_axis_t *axes;
    size_t n;
    int zip;
    uint64_t combos;
} axis_set_t;

static void axis_set_free(axis_set_t *set)
{
    for (size_t a = 0; a < set->n; a++)
        free_strings(set->axes[a].values, set->axes[a].len);
    free(set->axes);
    memset(set, 0, sizeof *set);
}

/* Parses a sweep map (NULL: no axes, one combination). */
static rc_status_t parse_sweep(const rc_cfg_t *sweep, axis_set_t *set)
{
    rc_status_t status = RC_OK;
    memset(set, 0, sizeof *set);
    set->combos = 1;
    if (sweep == NULL)
        return RC_OK;
    if (rc_cfg_kind(sweep) != RC_CFG_MAP)
        RC_FAIL(RC_ERR_CONFIG, "%s: %s: expected a map of key.path: [values]", rc_cfg_where(sweep),
                rc_cfg_path(sweep));
    set->axes = calloc(rc_cfg_size(sweep) + 1, sizeof *set->axes);
    RC_ALLOC_CHECK(set->axes, "the sweep");
    for (size_t i = 0; i < rc_cfg_size(sweep); i++) {
        const char *key = NULL;
        const rc_cfg_t *v = rc_cfg_at(sweep, i, &key);
        if (strcmp(key, "mode") == 0) {
            static const char *const modes[] = {"grid", "zip", NULL};
            RC_TRY(rc_cfg_choice(sweep, "mode", modes, 0, &set->zip));
            continue;
        }
        RC_TRY(check_swept_key(sweep, i, key));
        set->axes[set->n].key = key;
        RC_TRY(axis_values(v, &set->axes[set->n]));
        set->n++;
    }
    if (set->zip && set->n > 0) {
        set->combos = set->axes[0].len;
        for (size_t a = 1; a < set->n; a++) {
            if (set->axes[a].len != set->combos)
                RC_FAIL(RC_ERR_CONFIG,
                        "%s: %s: mode zip pairs values, but %s has %zu values and %s has %zu",
                        rc_cfg_where(sweep), rc_cfg_path(sweep), set->axes[0].key,
                        set->axes[0].len, set->axes[a].key, set->axes[a].len);
        }
    } else {
        for (size_t a = 0; a < set->n; a++) {
            set->combos *= set->axes[a].len;
            if (set->combos > MAX_POINTS)
                RC_FAIL(RC_ERR_CONFIG, "%s: %s: more than %llu points", rc_cfg_where(sweep),
                        rc_cfg_path(sweep), (unsigned long long)MAX_POINTS);
        }
    }
cleanup:
    return status;
}

/* Applies combination c of set to cfg (last key fastest in a grid). */
static rc_status_t apply_combo(const axis_set_t *set, const rc_cfg_t *sweep, uint64_t c,
                               rc_cfg_t *cfg)
{
    uint64_t rest = c;
    for (size_t a = set->n; a-- > 0;) {
        size_t idx = set->zip ? (size_t)c : (size_t)(rest % set->axes[a].len);
        rest /= set->zip ? 1 : set->axes[a].len;
        const rc_cfg_t *origin = rc_cfg_get(sweep, set->axes[a].key);
        rc_status_t s = rc_cfg_set_from(cfg, set->axes[a].key, set->axes[a].values[idx], origin);
        if (s != RC_OK)
            return s;
    }
    return RC_OK;
}

/* Adds key to the experiment's list of swept keys unless it is there. */
static rc_status_t add_swept_key(rc_experiment_t *ex, const char *key)
{
    for (size_t k = 0; k < ex->n_swept; k++)
        if (strcmp(ex->swept_keys[k], key) == 0)
            return RC_OK;
    char **keys = realloc(ex->swept_keys, (ex->n_swept + 2) * sizeof *keys);
    if (keys == NULL)
        return rc_error(RC_ERR_NOMEM, "out of memory for the sweep");
    ex->swept_keys = keys;
    ex->swept_keys[ex->n_swept] = strdup(key);
    if (ex->swept_keys[ex->n_swept] == NULL)
        return rc_error(RC_ERR_NOMEM, "out of memory for the sweep");
    ex->n_swept++;
    return RC_OK;
}

/* The value a point has at a swept key, as text: the scalar, YAML for a map or list, "" when
 * the key is not set at that point (a key swept only in another scenario). */
static char *value_at(const rc_cfg_t *cfg, const char *key)
{
    const rc_cfg_t *node = rc_cfg_lookup(cfg, key);
    if (node == NULL)
        return strdup("");
    if (rc_cfg_kind(node) == RC_CFG_SCALAR)
        return strdup(rc_cfg_text(node));
    char *y = rc_cfg_to_yaml(node);
    size_t l = y ? strlen(y) : 0;
    if (l > 0 && y[l - 1] == '\n')
        y[l - 1] = '\0';
    return y;
}

rc_status_t rc_experiment_create(const rc_cfg_t *config, const char *default_name,
                                 rc_experiment_t **out)
{
    rc_status_t status = RC_OK;
    rc_experiment_t *ex = NULL;
    axis_set_t global = {0}, *local = NULL;
    rc_cfg_t *base = NULL;
    char **netsig = NULL;
    size_t n_local = 0;
    uint64_t total = 0;
    *out = NULL;

    if (rc_cfg_kind(config) != RC_CFG_MAP)
        RC_FAIL(RC_ERR_CONFIG, "%s: a config must be a map of keys", rc_cfg_where(config));
    RC_TRY(rc_cfg_check_keys(config, rc_experiment_keys));
    ex = calloc(1, sizeof *ex);
    RC_ALLOC_CHECK(ex, "an experiment");
    ex->resolved = rc_cfg_copy(config);
    RC_ALLOC_CHECK(ex->resolved, "an experiment");

    const char *name = NULL, *output = NULL;
    RC_TRY(rc_cfg_string(config, "name", default_name, &name));
    if (name == NULL || *name == '\0')
        name = "experiment";
    ex->name = strdup(name);
    RC_ALLOC_CHECK(ex->name, "a name");
    RC_TRY(rc_cfg_uint64(config, "seed", 42, 0, UINT64_MAX, &ex->seed));
    RC_TRY(rc_cfg_uint64(config, "runs", 1000, 1, (uint64_t)1 << 40, &ex->runs));
    RC_TRY(rc_cfg_string(config, "output", NULL, &output));
    if (output != NULL) {
        ex->output = strdup(output);
    } else {
        size_t need = strlen(ex->name) + 16;
        ex->output = malloc(need);
        if (ex->output != NULL)
            snprintf(ex->output, need, "results/%s.h5", ex->name);
    }
    RC_ALLOC_CHECK(ex->output, "a file name");

    /* The top-level sweep applies to every scenario. */
    const rc_cfg_t *sweep = rc_cfg_get(config, "sweep");
    RC_TRY(parse_sweep(sweep, &global));
    ex->zip = global.zip;
    for (size_t a = 0; a < global.n; a++)
        RC_TRY(add_swept_key(ex, global.axes[a].key));

    /* Scenarios, each with an optional sweep of its own (combined as a grid with the top-level
     * one, its keys varying fastest). */
    const rc_cfg_t *scen = rc_cfg_get(config, "scenarios");
    if (scen != NULL && (rc_cfg_kind(scen) != RC_CFG_MAP || rc_cfg_size(scen) == 0))
        RC_FAIL(RC_ERR_CONFIG, "%s: scenarios: expected a map of name: {overrides}",
                rc_cfg_where(scen));
    ex->n_scenarios = scen ? rc_cfg_size(scen) : 1;
    ex->scenarios = calloc(ex->n_scenarios, sizeof *ex->scenarios);
    local = calloc(ex->n_scenarios, sizeof *local);
    RC_ALLOC_CHECK(ex->scenarios, "the scenarios");
    RC_ALLOC_CHECK(local, "the scenarios");
    n_local = ex->n_scenarios;
    for (size_t s = 0; s < ex->n_scenarios; s++) {
        const char *sname = "base";
        local[s].combos = 1;
        if (scen != NULL) {
            const rc_cfg_t *sv = rc_cfg_at(scen, s, &sname);
            if (rc_cfg_kind(sv) != RC_CFG_MAP)
                RC_FAIL(RC_ERR_CONFIG, "%s: %s: expected a map of overrides", rc_cfg_where(sv),
                        rc_cfg_path(sv));
            RC_TRY(rc_cfg_check_keys(sv, rc_experiment_keys));
            for (size_t k = 0; k < rc_cfg_size(sv); k++) {
                const char *kk = NULL;
                const rc_cfg_t *kv = rc_cfg_at(sv, k, &kk);
                if (strcmp(kk, "scenarios") == 0 || strcmp(kk, "runs") == 0 ||
                    strcmp(kk, "seed") == 0 || strcmp(kk, "output") == 0 || strcmp(kk, "name") == 0)
                    RC_FAIL(RC_ERR_CONFIG, "%s: %s: '%s' is the same for the whole experiment and "
                                           "cannot differ between scenarios",
                            rc_cfg_where(kv), rc_cfg_path(kv), kk);
            }
            const rc_cfg_t *ssweep = rc_cfg_get(sv, "sweep");
            RC_TRY(parse_sweep(ssweep, &local[s]));
            for (size_t a = 0; a < local[s].n; a++) {
                for (size_t b = 0; b < global.n; b++) {
                    if (strcmp(local[s].axes[a].key, global.axes[b].key) == 0)
                        RC_FAIL(RC_ERR_CONFIG,
                                "%s: %s: '%s' is already swept by the top-level sweep",
                                rc_cfg_where(rc_cfg_get(ssweep, local[s].axes[a].key)),
                                rc_cfg_path(ssweep), local[s].axes[a].key);
                }
                RC_TRY(add_swept_key(ex, local[s].axes[a].key));
            }
        }
        ex->scenarios[s] = strdup(sname);
        RC_ALLOC_CHECK(ex->scenarios[s], "the scenarios");
        total += global.combos * local[s].combos;
        if (total > MAX_POINTS)
            RC_FAIL(RC_ERR_CONFIG, "%s: more than %llu points", rc_cfg_where(config),
                    (unsigned long long)MAX_POINTS);
    }
    if (ex->swept_keys == NULL) {
        ex->swept_keys = calloc(1, sizeof *ex->swept_keys);
        RC_ALLOC_CHECK(ex->swept_keys, "the sweep");
    }

    /* Points: scenario-major, then the top-level sweep, then the scenario's own (last key of
     * each fastest). */
    RC_TRY(make_base(config, &base));
    ex->points = calloc(total, sizeof *ex->points);
    netsig = calloc(total, sizeof *netsig);
    RC_ALLOC_CHECK(ex->points, "the points");
    RC_ALLOC_CHECK(netsig, "the points");
    size_t p = 0;
    for (size_t s = 0; s < ex->n_scenarios; s++) {
        const rc_cfg_t *sv = scen ? rc_cfg_at(scen, s, NULL) : NULL;
        const rc_cfg_t *ssweep = sv ? rc_cfg_get(sv, "sweep") : NULL;
        for (uint64_t cg = 0; cg < global.combos; cg++) {
            for (uint64_t cs = 0; cs < local[s].combos; cs++, p++) {
                rc_point_t *pt = &ex->points[p];
                ex->n_points = p + 1;
                pt->index = p;
                pt->scenario = ex->scenarios[s];
                pt->config = rc_cfg_copy(base);
                pt->values = calloc(ex->n_swept + 1, sizeof *pt->values);
                if (pt->config == NULL || pt->values == NULL)
                    RC_FAIL(RC_ERR_NOMEM, "out of memory expanding the sweep");
                if (sv != NULL) {
                    RC_TRY(rc_cfg_merge(pt->config, sv));
                    rc_cfg_remove(pt->config, "sweep");
                }
                RC_TRY(apply_combo(&global, sweep, cg, pt->config));
                RC_TRY(apply_combo(&local[s], ssweep, cs, pt->config));
                for (size_t k = 0; k < ex->n_swept; k++) {
                    pt->values[k] = value_at(pt->config, ex->swept_keys[k]);
                    RC_ALLOC_CHECK(pt->values[k], "the sweep values");
                }
                /* Points share a network when its spec (seed included) is the same. Only the
                 * first point of each network keeps its spec text, so matching costs
                 * O(points x networks), not O(points^2). */
                const rc_cfg_t *net = rc_cfg_get(pt->config, "network");
                char *sig = net ? rc_cfg_to_yaml(net) : strdup("");
                RC_ALLOC_CHECK(sig, "the points");
                pt->network_id = ex->n_networks;
                for (size_t id = 0; id < ex->n_networks; id++) {
                    if (strcmp(netsig[id], sig) == 0) {
                        pt->network_id = id;
                        break;
                    }
                }
                if (pt->network_id == ex->n_networks)
                    netsig[ex->n_networks++] = sig;
                else
                    free(sig);
            }
        }
    }
    *out = ex;
    ex = NULL;
cleanup:
    for (size_t q = 0; netsig != NULL && q < total; q++)
        free(netsig[q]);
    free(netsig);
    axis_set_free(&global);
    for (size_t s = 0; s < n_local; s++)
        axis_set_free(&local[s]);
    free(local);
    rc_cfg_free(base);
    rc_experiment_free(ex);
    return status;
}

rc_status_t rc_experiment_check(const rc_experiment_t *ex)
{
    rc_status_t status = RC_OK;
    uint64_t peak = 0;
    for (size_t p = 0; p < ex->n_points; p++) {
        const rc_cfg_t *cfg = ex->points[p].config;
        const rc_model_t *model = NULL;
        void *params = NULL;
        rc_seed_spec_t seeds;
        uint64_t bytes = 0;
        double gf;
        uint64_t cap;
        RC_TRY(rc_cfg_double(cfg, "global_fraction", 0.05, 0, 1, &gf));
        RC_TRY(rc_cfg_uint64(cfg, "max_size", 0, 0, RC_MAX_NODES, &cap));
        const rc_cfg_t *mm = rc_cfg_get(cfg, "model");
        if (mm == NULL)
            RC_FAIL(RC_ERR_CONFIG, "%s: missing required key 'model' (point %zu, scenario %s)",
                    rc_cfg_where(cfg), p, ex->points[p].scenario);
        RC_TRY(rc_model_parse(mm, &model, &params));
        rc_model_params_free(model, params);
        const rc_cfg_t *aud = rc_cfg_get(cfg, "audience");
        if (aud != NULL) {
            const rc_cfg_t *sd = rc_cfg_get(cfg, "seeds");
            if (sd != NULL) {
                char where[128]; /* rc_cfg_where's buffer is reused by the next call */
                snprintf(where, sizeof where, "%s", rc_cfg_where(sd));
                RC_FAIL(RC_ERR_CONFIG, "%s: scenario %s has both seeds: (%s) and audience: "
                        "(who posts: accounts of the network, or an author outside it whose "
                        "audience is picked from it); give only one, in the base config or in "
                        "each scenario", rc_cfg_where(aud), ex->points[p].scenario, where);
            }
            rc_audience_spec_t as;
            RC_TRY(rc_audience_parse(aud, &as));
        } else {
            RC_TRY(rc_seeds_parse(rc_cfg_get(cfg, "seeds"), &seeds));
            rc_seeds_clear(&seeds);
        }
        RC_TRY(rc_network_estimate(rc_cfg_get(cfg, "network"), &bytes));
        if (bytes > peak)
            peak = bytes;
    }
    RC_TRY(rc_memory_check(peak * 3 / 2, "the largest network of the experiment"));
cleanup:
    return status;
}
