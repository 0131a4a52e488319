/* Config -> experiment: top-level keys, scenarios deep-merged over the base, the sweep expanded
 * into points (sweep.c), and every point resolved into typed specs (model parameters, seeds or
 * audience, engine options, network) once, with networks shared between points that describe
 * the same graph. Also loading a config file (or the embedded default) with --set applied. */
#include "rtcascade/experiment.h"
#include "rtcascade/defaults.h"
#include "rtcascade/memory.h"
#include "rtcascade/specs.h"

#include "io/results_fs.h"
#include "io/sweep.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const rc_experiment_keys[] = {
    "name", "description", "seed", "runs", "network", "model", "seeds", "audience", "scenarios",
    "sweep", "output", "global_fraction", "max_size", "events", "engine", NULL};

static void free_strings(char **s, size_t n)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        free(s[i]);
    free(s);
}

static void point_clear(rc_point_t *pt, size_t n_swept)
{
    free_strings(pt->values, n_swept);
    if (pt->model != NULL)
        rc_model_params_free(pt->model, pt->params);
    free(pt->model_key);
    rc_seeds_clear(&pt->seeds);
}

void rc_experiment_free(rc_experiment_t *ex)
{
    if (ex == NULL)
        return;
    for (size_t i = 0; i < ex->n_points; i++)
        point_clear(&ex->points[i], ex->n_swept);
    free(ex->points);
    for (size_t i = 0; i < ex->n_networks; i++)
        rc_network_spec_clear(&ex->networks[i]);
    free(ex->networks);
    free_strings(ex->swept_keys, ex->n_swept);
    free_strings(ex->scenarios, ex->n_scenarios);
    free_strings(ex->sweep_plans, ex->n_scenarios);
    free(ex->swept_in);
    free(ex->name);
    free(ex->output);
    free(ex->base_dir);
    free(ex->config_text);
    free(ex->config_path);
    rc_cfg_free(ex->resolved);
    free(ex);
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

/* The top-level values: name, seed, runs, output. */
static rc_status_t read_top(const rc_cfg_t *config, const char *default_name, rc_experiment_t *ex)
{
    rc_status_t status = RC_OK;
    const char *name = NULL, *output = NULL;
    RC_TRY(rc_cfg_string(config, "name", default_name, &name));
    if (name == NULL || *name == '\0')
        name = "experiment";
    if (strlen(name) > RC_NAME_MAX)
        RC_FAIL(RC_ERR_CONFIG, "%s: name: a name of %zu bytes is longer than the limit of %d "
                "(it names the results file)",
                rc_cfg_get(config, "name") ? rc_cfg_where(rc_cfg_get(config, "name")) : "config",
                strlen(name), RC_NAME_MAX);
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
cleanup:
    return status;
}

/* The experiment's network id for spec (moved into the list when new; cleared otherwise). */
static rc_status_t share_network(rc_experiment_t *ex, rc_network_spec_t *spec, size_t *cap,
                                 size_t *id)
{
    for (size_t i = 0; i < ex->n_networks; i++) {
        if (strcmp(ex->networks[i].signature, spec->signature) == 0) {
            rc_network_spec_clear(spec);
            *id = i;
            return RC_OK;
        }
    }
    if (ex->n_networks == *cap) {
        size_t ncap = *cap ? 2 * *cap : 4;
        rc_network_spec_t *n = realloc(ex->networks, ncap * sizeof *n);
        if (n == NULL)
            return rc_error(RC_ERR_NOMEM, "out of memory for the networks");
        ex->networks = n;
        *cap = ncap;
    }
    ex->networks[ex->n_networks] = *spec;
    memset(spec, 0, sizeof *spec);
    uint64_t bytes = rc_network_estimate_bytes(&ex->networks[ex->n_networks]);
    if (bytes > ex->peak_bytes)
        ex->peak_bytes = bytes;
    *id = ex->n_networks++;
    return RC_OK;
}

/* What a point runs, from its resolved config: engine options, model (its data files relative
 * to base_dir), seeds or audience (not the network). */
static rc_status_t resolve_point_specs(rc_point_t *pt, const rc_cfg_t *cfg, const char *base_dir)
{
    rc_status_t status = RC_OK;
    RC_TRY(rc_cfg_double(cfg, "global_fraction", 0.05, 0, 1, &pt->global_fraction));
    RC_TRY(rc_cfg_uint32(cfg, "max_size", 0, 0, RC_MAX_NODES, &pt->max_size));
    const rc_cfg_t *eng = rc_cfg_get(cfg, "engine");
    rc_engine_spec_t es;
    rc_params_defaults(rc_engine_params, &es);
    if (eng != NULL)
        RC_TRY(rc_params_fill(rc_engine_params, eng, NULL, &es, NULL));
    pt->kernel = es.kernel;
    const rc_cfg_t *mm = rc_cfg_get(cfg, "model");
    if (mm == NULL)
        RC_FAIL(RC_ERR_CONFIG, "%s: missing required key 'model' (point %llu, scenario %s)",
                rc_cfg_where(cfg), (unsigned long long)pt->index, pt->scenario);
    RC_TRY(rc_model_parse_at(mm, base_dir, &pt->model, &pt->params));
    if (pt->kernel == RC_KERNEL_FUSED && pt->model->run_fused == NULL)
        RC_FAIL(RC_ERR_CONFIG, "%s: engine.kernel: fused: model %s has no fused kernel "
                "(independent_cascade and linear_threshold have; use auto or per_run)",
                rc_cfg_where(rc_cfg_get(eng, "kernel")), pt->model->name);
    pt->model_key = rc_cfg_to_yaml(mm);
    RC_ALLOC_CHECK(pt->model_key, "the model's key");
    const rc_cfg_t *aud = rc_cfg_get(cfg, "audience");
    if (aud != NULL) {
        const rc_cfg_t *sd = rc_cfg_get(cfg, "seeds");
        if (sd != NULL) {
            char where[128]; /* rc_cfg_where's buffer is reused by the next call */
            snprintf(where, sizeof where, "%s", rc_cfg_where(sd));
            RC_FAIL(RC_ERR_CONFIG, "%s: scenario %s has both seeds: (%s) and audience: "
                    "(who posts: accounts of the network, or an author outside it whose "
                    "audience is picked from it); give only one, in the base config or in "
                    "each scenario", rc_cfg_where(aud), pt->scenario, where);
        }
        pt->has_audience = 1;
        RC_TRY(rc_audience_parse(aud, &pt->audience));
    } else {
        RC_TRY(rc_seeds_parse(rc_cfg_get(cfg, "seeds"), &pt->seeds));
    }
cleanup:
    return status;
}

/* `events: true | false | {max_rows: N}` of a point into pt->events_max_rows; refused when
 * its runs are sure to hold more rows than that (every run has its seeds). */
static rc_status_t resolve_events(const rc_experiment_t *ex, rc_point_t *pt, const rc_cfg_t *cfg)
{
    static const char *const keys[] = {"max_rows", NULL};
    rc_status_t status = RC_OK;
    const rc_cfg_t *node = rc_cfg_get(cfg, "events");
    int on = 0;
    pt->events_max_rows = 0;
    if (node == NULL)
        return RC_OK;
    if (rc_cfg_kind(node) == RC_CFG_MAP) {
        RC_TRY(rc_cfg_check_keys(node, keys));
        RC_TRY(rc_cfg_uint64(node, "max_rows", RC_EVENTS_DEFAULT_ROWS, 1, (uint64_t)1 << 40,
                             &pt->events_max_rows));
    } else {
        RC_TRY(rc_cfg_bool(cfg, "events", 0, &on));
        pt->events_max_rows = on ? RC_EVENTS_DEFAULT_ROWS : 0;
    }
    const uint64_t per_run = pt->has_audience ? 0 : pt->seeds.count;
    if (pt->events_max_rows > 0 && per_run > 0 && ex->runs > pt->events_max_rows / per_run)
        RC_FAIL(RC_ERR_CONFIG,
                "%s: events: point %llu (scenario %s) would write more than its max_rows %llu "
                "(%llu runs x %llu seeds at least); raise events.max_rows or lower runs",
                rc_cfg_where(node), (unsigned long long)pt->index, pt->scenario,
                (unsigned long long)pt->events_max_rows, (unsigned long long)ex->runs,
                (unsigned long long)per_run);
cleanup:
    return status;
}

/* Everything of point p from its resolved config: what it runs, and its network. */
static rc_status_t resolve_point(rc_experiment_t *ex, rc_point_t *pt, const rc_cfg_t *cfg,
                                 size_t *net_cap)
{
    rc_status_t status = RC_OK;
    rc_network_spec_t net;
    memset(&net, 0, sizeof net);
    RC_TRY(resolve_point_specs(pt, cfg, ex->base_dir));
    RC_TRY(resolve_events(ex, pt, cfg));
    RC_TRY(rc_network_spec_parse(rc_cfg_get(cfg, "network"), ex->seed, &net));
    RC_TRY(share_network(ex, &net, net_cap, &pt->network_id));
cleanup:
    rc_network_spec_clear(&net);
    return status;
}

/* Checks a scenario's overrides: a map, known keys, none of those fixed for the experiment. */
static rc_status_t check_scenario(const rc_cfg_t *sv)
{
    rc_status_t status = RC_OK;
    if (rc_cfg_kind(sv) != RC_CFG_MAP)
        RC_FAIL(RC_ERR_CONFIG, "%s: %s: expected a map of overrides", rc_cfg_where(sv),
                rc_cfg_path(sv));
    RC_TRY(rc_cfg_check_keys(sv, rc_experiment_keys));
    for (size_t k = 0; k < rc_cfg_size(sv); k++) {
        const char *kk = NULL;
        const rc_cfg_t *kv = rc_cfg_at(sv, k, &kk);
        if (strcmp(kk, "scenarios") == 0 || strcmp(kk, "runs") == 0 || strcmp(kk, "seed") == 0 ||
            strcmp(kk, "output") == 0 || strcmp(kk, "name") == 0)
            RC_FAIL(RC_ERR_CONFIG, "%s: %s: '%s' is the same for the whole experiment and "
                                   "cannot differ between scenarios",
                    rc_cfg_where(kv), rc_cfg_path(kv), kk);
    }
cleanup:
    return status;
}

static int sweep_has(const rc_sweep_t *set, const char *key)
{
    for (size_t a = 0; a < set->n; a++)
        if (strcmp(set->axes[a].key, key) == 0)
            return 1;
    return 0;
}

/* The sweeps: the top-level one (every scenario), then each scenario's own. Fills the
 * experiment's scenario names and swept keys, and *total points. */
static rc_status_t read_sweeps(const rc_cfg_t *config, rc_experiment_t *ex, rc_sweep_t *global,
                               rc_sweep_t *local, uint64_t *total)
{
    rc_status_t status = RC_OK;
    const rc_cfg_t *scen = rc_cfg_get(config, "scenarios");
    RC_TRY(rc_sweep_parse(rc_cfg_get(config, "sweep"), global));
    ex->zip = global->zip;
    for (size_t a = 0; a < global->n; a++)
        RC_TRY(add_swept_key(ex, global->axes[a].key));
    *total = 0;
    for (size_t s = 0; s < ex->n_scenarios; s++) {
        const char *sname = "base";
        local[s].combos = 1;
        if (scen != NULL) {
            const rc_cfg_t *sv = rc_cfg_at(scen, s, &sname);
            RC_TRY(check_scenario(sv));
            const rc_cfg_t *ssweep = rc_cfg_get(sv, "sweep");
            RC_TRY(rc_sweep_parse(ssweep, &local[s]));
            for (size_t a = 0; a < local[s].n; a++) {
                for (size_t b = 0; b < global->n; b++)
                    if (strcmp(local[s].axes[a].key, global->axes[b].key) == 0)
                        RC_FAIL(RC_ERR_CONFIG,
                                "%s: %s: '%s' is already swept by the top-level sweep",
                                rc_cfg_where(rc_cfg_get(ssweep, local[s].axes[a].key)),
                                rc_cfg_path(ssweep), local[s].axes[a].key);
                RC_TRY(add_swept_key(ex, local[s].axes[a].key));
            }
        }
        ex->scenarios[s] = strdup(sname);
        RC_ALLOC_CHECK(ex->scenarios[s], "the scenarios");
        ex->sweep_plans[s] = rc_sweep_plan(global, &local[s]);
        RC_ALLOC_CHECK(ex->sweep_plans[s], "the scenarios");
        *total += global->combos * local[s].combos;
        if (*total > RC_MAX_POINTS)
            RC_FAIL(RC_ERR_CONFIG, "%s: more than %llu points", rc_cfg_where(config),
                    (unsigned long long)RC_MAX_POINTS);
    }
    if (ex->swept_keys == NULL) {
        ex->swept_keys = calloc(1, sizeof *ex->swept_keys);
        RC_ALLOC_CHECK(ex->swept_keys, "the sweep");
    }
    ex->swept_in = calloc(ex->n_scenarios * ex->n_swept + 1, 1);
    RC_ALLOC_CHECK(ex->swept_in, "the sweep");
    for (size_t s = 0; s < ex->n_scenarios; s++)
        for (size_t k = 0; k < ex->n_swept; k++)
            ex->swept_in[s * ex->n_swept + k] =
                (unsigned char)(sweep_has(global, ex->swept_keys[k]) ||
                                sweep_has(&local[s], ex->swept_keys[k]));
cleanup:
    return status;
}

/* Point p: the base with scenario s merged in and its combinations (cg of the top-level sweep,
 * cs of the scenario's) applied, then resolved. */
static rc_status_t make_point(rc_experiment_t *ex, const rc_cfg_t *config, const rc_cfg_t *base,
                              size_t s, const rc_sweep_t *global, uint64_t cg,
                              const rc_sweep_t *local, uint64_t cs, size_t *net_cap)
{
    rc_status_t status = RC_OK;
    const rc_cfg_t *scen = rc_cfg_get(config, "scenarios");
    const rc_cfg_t *sv = scen ? rc_cfg_at(scen, s, NULL) : NULL;
    rc_point_t *pt = &ex->points[ex->n_points];
    rc_cfg_t *cfg = rc_cfg_copy(base);
    pt->index = ex->n_points++;
    pt->scenario = ex->scenarios[s];
    pt->values = calloc(ex->n_swept + 1, sizeof *pt->values);
    if (cfg == NULL || pt->values == NULL)
        RC_FAIL(RC_ERR_NOMEM, "out of memory expanding the sweep");
    if (sv != NULL) {
        RC_TRY(rc_cfg_merge(cfg, sv));
        rc_cfg_remove(cfg, "sweep");
    }
    RC_TRY(rc_sweep_apply(global, rc_cfg_get(config, "sweep"), cg, cfg));
    RC_TRY(rc_sweep_apply(local, sv ? rc_cfg_get(sv, "sweep") : NULL, cs, cfg));
    for (size_t k = 0; k < ex->n_swept; k++) {
        pt->values[k] = value_at(cfg, ex->swept_keys[k]);
        RC_ALLOC_CHECK(pt->values[k], "the sweep values");
    }
    RC_TRY(resolve_point(ex, pt, cfg, net_cap));
cleanup:
    rc_cfg_free(cfg);
    return status;
}

/* rc_experiment_create with data files of the config relative to base_dir. */
static rc_status_t create(const rc_cfg_t *config, const char *default_name, const char *base_dir,
                          rc_experiment_t **out)
{
    rc_status_t status = RC_OK;
    rc_experiment_t *ex = NULL;
    rc_sweep_t global = {0}, *local = NULL;
    rc_cfg_t *base = NULL;
    size_t n_local = 0, net_cap = 0;
    uint64_t total = 0;
    *out = NULL;

    if (rc_cfg_kind(config) != RC_CFG_MAP)
        RC_FAIL(RC_ERR_CONFIG, "%s: a config must be a map of keys", rc_cfg_where(config));
    RC_TRY(rc_cfg_check_keys(config, rc_experiment_keys));
    ex = calloc(1, sizeof *ex);
    RC_ALLOC_CHECK(ex, "an experiment");
    ex->resolved = rc_cfg_copy(config);
    ex->base_dir = strdup(base_dir ? base_dir : "");
    RC_ALLOC_CHECK(ex->resolved, "an experiment");
    RC_ALLOC_CHECK(ex->base_dir, "an experiment");
    RC_TRY(read_top(config, default_name, ex));

    /* Scenarios, each with an optional sweep of its own (combined as a grid with the top-level
     * one, its keys varying fastest). */
    const rc_cfg_t *scen = rc_cfg_get(config, "scenarios");
    if (scen != NULL && (rc_cfg_kind(scen) != RC_CFG_MAP || rc_cfg_size(scen) == 0))
        RC_FAIL(RC_ERR_CONFIG, "%s: scenarios: expected a map of name: {overrides}",
                rc_cfg_where(scen));
    ex->n_scenarios = scen ? rc_cfg_size(scen) : 1;
    ex->scenarios = calloc(ex->n_scenarios, sizeof *ex->scenarios);
    ex->sweep_plans = calloc(ex->n_scenarios, sizeof *ex->sweep_plans);
    local = calloc(ex->n_scenarios, sizeof *local);
    RC_ALLOC_CHECK(ex->scenarios, "the scenarios");
    RC_ALLOC_CHECK(ex->sweep_plans, "the scenarios");
    RC_ALLOC_CHECK(local, "the scenarios");
    n_local = ex->n_scenarios;
    RC_TRY(read_sweeps(config, ex, &global, local, &total));

    /* The points' memory is checked before they are made (a sweep may have 10^7 of them). */
    ex->points_bytes = total * (uint64_t)RC_POINT_BYTES;
    {
        char what[96];
        snprintf(what, sizeof what, "a sweep of %llu points", (unsigned long long)total);
        RC_TRY(rc_memory_check(ex->points_bytes, what));
    }

    /* Points: scenario-major, then the top-level sweep, then the scenario's own. */
    base = rc_cfg_copy(config);
    RC_ALLOC_CHECK(base, "the base config");
    rc_cfg_remove(base, "scenarios");
    rc_cfg_remove(base, "sweep");
    ex->points = calloc(total, sizeof *ex->points);
    RC_ALLOC_CHECK(ex->points, "the points");
    for (size_t s = 0; s < ex->n_scenarios; s++)
        for (uint64_t cg = 0; cg < global.combos; cg++)
            for (uint64_t cs = 0; cs < local[s].combos; cs++)
                RC_TRY(make_point(ex, config, base, s, &global, cg, &local[s], cs, &net_cap));
    *out = ex;
    ex = NULL;
cleanup:
    rc_sweep_free(&global);
    for (size_t s = 0; s < n_local; s++)
        rc_sweep_free(&local[s]);
    free(local);
    rc_cfg_free(base);
    rc_experiment_free(ex);
    return status;
}

rc_status_t rc_point_parse(const rc_cfg_t *map, uint64_t index, rc_point_t **out)
{
    return rc_point_parse_at(map, index, NULL, out);
}

rc_status_t rc_point_parse_at(const rc_cfg_t *map, uint64_t index, const char *base_dir,
                              rc_point_t **out)
{
    static const char *const keys[] = {"model", "seeds", "audience", "global_fraction",
                                       "max_size", "engine", NULL};
    rc_status_t status = RC_OK;
    rc_point_t *pt = NULL;
    *out = NULL;
    if (rc_cfg_kind(map) != RC_CFG_MAP)
        RC_FAIL(RC_ERR_CONFIG, "%s: a point must be a map of keys (model:, seeds:, ...)",
                rc_cfg_where(map));
    RC_TRY(rc_cfg_check_keys(map, keys));
    pt = calloc(1, sizeof *pt);
    RC_ALLOC_CHECK(pt, "a point");
    pt->index = index;
    pt->scenario = "base";
    RC_TRY(resolve_point_specs(pt, map, base_dir));
    *out = pt;
    pt = NULL;
cleanup:
    rc_point_free(pt);
    return status;
}

void rc_point_free(rc_point_t *pt)
{
    if (pt == NULL)
        return;
    point_clear(pt, 0);
    free(pt);
}

rc_status_t rc_experiment_create(const rc_cfg_t *config, const char *default_name,
                                 rc_experiment_t **out)
{
    return create(config, default_name, NULL, out);
}

rc_status_t rc_experiment_check(const rc_experiment_t *ex)
{
    if (ex->points_bytes == 0)
        return rc_memory_check(ex->peak_bytes * 3 / 2, "the largest network of the experiment");
    return rc_memory_check(ex->peak_bytes * 3 / 2 + ex->points_bytes,
                           "the points and the largest network of the experiment");
}

size_t rc_experiment_network_points(const rc_experiment_t *ex, size_t id,
                                    const rc_point_t **first)
{
    size_t count = 0;
    *first = NULL;
    for (size_t p = 0; p < ex->n_points; p++) {
        if (ex->points[p].network_id != id)
            continue;
        if (count++ == 0)
            *first = &ex->points[p];
    }
    return count;
}

rc_status_t rc_experiment_set_output(rc_experiment_t *ex, const char *path)
{
    char *o = strdup(path);
    if (o == NULL)
        return rc_error(RC_ERR_NOMEM, "out of memory for a file name");
    free(ex->output);
    ex->output = o;
    return RC_OK;
}

/* The experiment's default name: a file's base name without .yaml/.yml. */
static char *name_of(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char *name = strdup(base);
    if (name == NULL)
        return NULL;
    char *dot = strrchr(name, '.');
    if (dot != NULL && dot != name && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0))
        *dot = '\0';
    return name;
}

/* Takes the swept keys at or below `key` out of the sweep map `sweep` (a --set fixes them);
 * refuses a --set below a swept key, which the sweep would overwrite whole. */
static rc_status_t pin_in_sweep(rc_cfg_t *sweep, const char *key, const char *assignment)
{
    size_t klen = strlen(key);
    if (sweep == NULL || rc_cfg_kind(sweep) != RC_CFG_MAP)
        return RC_OK;
    for (size_t i = rc_cfg_size(sweep); i-- > 0;) {
        const char *swept = NULL;
        const rc_cfg_t *v = rc_cfg_at(sweep, i, &swept);
        size_t slen = strlen(swept);
        if (strcmp(swept, "mode") == 0)
            continue;
        if (strncmp(swept, key, klen) == 0 && (swept[klen] == '\0' || swept[klen] == '.')) {
            rc_cfg_remove(sweep, swept); /* the --set value holds at every point */
        } else if (strncmp(key, swept, slen) == 0 && key[slen] == '.') {
            return rc_error(RC_ERR_ARGUMENT,
                            "--set %s: %s is swept (%s), which sets it whole at every point; "
                            "--set %s=... to fix it, or change the sweep",
                            assignment, swept, rc_cfg_where(v), swept);
        }
    }
    return RC_OK;
}

/* A --set wins over the sweep and the scenarios: its key is taken out of every sweep, and set
 * in every scenario that sets it (or a map above it). Keys of sweep: and scenarios: themselves
 * are edited as given. */
static rc_status_t pin_set(rc_cfg_t *cfg, const char *assignment)
{
    rc_status_t status = RC_OK;
    char key[512];
    const char *eq = strchr(assignment, '=');
    if (eq == NULL || (size_t)(eq - assignment) >= sizeof key)
        return RC_OK; /* rc_cfg_set_assignment said what is wrong */
    memcpy(key, assignment, (size_t)(eq - assignment));
    key[eq - assignment] = '\0';
    if (strcmp(key, "sweep") == 0 || strncmp(key, "sweep.", 6) == 0 ||
        strcmp(key, "scenarios") == 0 || strncmp(key, "scenarios.", 10) == 0)
        return RC_OK;
    RC_TRY(pin_in_sweep((rc_cfg_t *)rc_cfg_get(cfg, "sweep"), key, assignment));
    rc_cfg_t *scen = (rc_cfg_t *)rc_cfg_get(cfg, "scenarios");
    for (size_t s = 0; scen != NULL && rc_cfg_kind(scen) == RC_CFG_MAP && s < rc_cfg_size(scen);
         s++) {
        rc_cfg_t *sv = (rc_cfg_t *)rc_cfg_at(scen, s, NULL);
        if (rc_cfg_kind(sv) != RC_CFG_MAP)
            continue; /* refused later, with its place */
        RC_TRY(pin_in_sweep((rc_cfg_t *)rc_cfg_get(sv, "sweep"), key, assignment));
        if (rc_cfg_lookup(sv, key) != NULL)
            RC_TRY(rc_cfg_set_assignment(sv, assignment));
    }
cleanup:
    return status;
}

/* Applies the sets to cfg (consumed) and creates the experiment, which takes the text. */
static rc_status_t finish_load(rc_cfg_t *cfg, char **text, const char *default_name,
                               const char *base_dir, char *const *sets, size_t n_sets,
                               rc_experiment_t **out)
{
    rc_status_t status = RC_OK;
    rc_experiment_t *ex = NULL;
    for (size_t i = 0; i < n_sets; i++)
        RC_TRY(rc_cfg_set_assignment(cfg, sets[i]));
    for (size_t i = 0; i < n_sets; i++)
        RC_TRY(pin_set(cfg, sets[i]));
    RC_TRY(create(cfg, default_name, base_dir, &ex));
    ex->config_text = *text;
    *text = NULL;
    *out = ex;
    ex = NULL;
cleanup:
    rc_cfg_free(cfg);
    rc_experiment_free(ex);
    return status;
}

rc_status_t rc_experiment_load(const char *path, char *const *sets, size_t n_sets,
                               rc_experiment_t **out)
{
    rc_status_t status = RC_OK;
    char *text = NULL, *name = NULL, *dir = NULL;
    rc_cfg_t *cfg = NULL;
    *out = NULL;
    if (path == NULL) {
        text = strdup(rc_default_study_yaml);
        RC_ALLOC_CHECK(text, "the default study");
        RC_TRY(rc_cfg_parse_string(text, RC_DEFAULT_STUDY_NAME, &cfg));
        status = finish_load(cfg, &text, "default_study", "", sets, n_sets, out);
        goto cleanup;
    }
    RC_TRY(rc_cfg_parse_file(path, &cfg));
    status = rc_rfs_read_text(path, &text);
    name = name_of(path);
    const char *slash = strrchr(path, '/');
    dir = slash ? strndup(path, (size_t)(slash - path + (slash == path))) : strdup("");
    if (status == RC_OK && (name == NULL || dir == NULL))
        status = rc_error(RC_ERR_NOMEM, "out of memory for a name");
    if (status != RC_OK) {
        rc_cfg_free(cfg);
        goto cleanup;
    }
    RC_TRY(finish_load(cfg, &text, name, dir, sets, n_sets, out));
    (*out)->config_path = strdup(path);
    if ((*out)->config_path == NULL) {
        rc_experiment_free(*out);
        *out = NULL;
        RC_FAIL(RC_ERR_NOMEM, "out of memory for a file name");
    }
cleanup:
    free(text);
    free(name);
    free(dir);
    return status;
}

rc_status_t rc_config_load(const char *path, char *const *sets, size_t n_sets, rc_cfg_t **root,
                          char **base_dir)
{
    rc_status_t status = RC_OK;
    rc_cfg_t *cfg = NULL;
    *root = NULL;
    *base_dir = NULL;
    if (path != NULL) {
        RC_TRY(rc_cfg_parse_file(path, &cfg));
        const char *slash = strrchr(path, '/');
        *base_dir = slash ? strndup(path, (size_t)(slash - path + (slash == path))) : strdup("");
    } else {
        RC_TRY(rc_cfg_parse_string(rc_default_study_yaml, RC_DEFAULT_STUDY_NAME, &cfg));
        *base_dir = strdup("");
    }
    RC_ALLOC_CHECK(*base_dir, "a folder name");
    for (size_t i = 0; i < n_sets; i++)
        RC_TRY(rc_cfg_set_assignment(cfg, sets[i]));
    *root = cfg;
    cfg = NULL;
cleanup:
    rc_cfg_free(cfg);
    if (status != RC_OK) {
        free(*base_dir);
        *base_dir = NULL;
    }
    return status;
}

rc_status_t rc_experiment_load_string(const char *text, const char *name, const char *base_dir,
                                      char *const *sets, size_t n_sets, rc_experiment_t **out)
{
    rc_status_t status = RC_OK;
    rc_cfg_t *cfg = NULL;
    char *copy = NULL;
    *out = NULL;
    copy = strdup(text);
    RC_ALLOC_CHECK(copy, "a config");
    RC_TRY(rc_cfg_parse_string(copy, name, &cfg));
    if (rc_cfg_kind(cfg) != RC_CFG_MAP) {
        rc_cfg_free(cfg);
        RC_FAIL(RC_ERR_CONFIG, "%s:1:1: a config must be a map of keys (name:, seed:, ...)",
                name);
    }
    RC_TRY(finish_load(cfg, &copy, name, base_dir, sets, n_sets, out));
cleanup:
    free(copy);
    return status;
}
