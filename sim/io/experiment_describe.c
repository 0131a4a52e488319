/* What an experiment will do, in words, for `rtcascade run --dry-run`: scenarios, swept keys and
 * their values, points per scenario, networks with their estimated memory and the points using
 * each, total runs and the output, then a table of the points when there are few. */
#include "rtcascade/experiment.h"
#include "rtcascade/memory.h"
#include "io/sweep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TABLE_MAX_ROWS 60 /* longer experiments: no table */

/* Widths of the table columns: each swept key's (w[k]), then the scenario's (w[n_swept]).
 * NULL when out of memory. */
static size_t *column_widths(const rc_experiment_t *ex)
{
    size_t *w = calloc(ex->n_swept + 1, sizeof *w);
    if (w == NULL)
        return NULL;
    for (size_t k = 0; k < ex->n_swept; k++) {
        w[k] = strlen(ex->swept_keys[k]);
        for (size_t p = 0; p < ex->n_points; p++) {
            char line[RC_VALUE_SHOWN];
            size_t l = strlen(rc_value_one_line(ex->points[p].values[k], line, sizeof line));
            if (l > w[k])
                w[k] = l;
        }
    }
    w[ex->n_swept] = strlen("scenario");
    for (size_t s = 0; s < ex->n_scenarios; s++)
        if (strlen(ex->scenarios[s]) > w[ex->n_swept])
            w[ex->n_swept] = strlen(ex->scenarios[s]);
    return w;
}

/* One-line flow text of a config node ({a: 1, b: [2, 3]}). */
static void print_flow(FILE *f, const rc_cfg_t *node)
{
    size_t n = rc_cfg_size(node);
    switch (rc_cfg_kind(node)) {
    case RC_CFG_SCALAR:
        fputs(rc_cfg_text(node), f);
        break;
    case RC_CFG_MAP:
        fputc('{', f);
        for (size_t i = 0; i < n; i++) {
            const char *key = NULL;
            const rc_cfg_t *v = rc_cfg_at(node, i, &key);
            fprintf(f, "%s%s: ", i ? ", " : "", key);
            print_flow(f, v);
        }
        fputc('}', f);
        break;
    case RC_CFG_SEQ:
        fputc('[', f);
        for (size_t i = 0; i < n; i++) {
            fputs(i ? ", " : "", f);
            print_flow(f, rc_cfg_at(node, i, NULL));
        }
        fputc(']', f);
        break;
    }
}

static void network_cell(void *ctx, const rc_point_t *pt, FILE *f)
{
    (void)ctx;
    fprintf(f, "  %zu", pt->network_id);
}

/* A network spec as one line of flow YAML ({generator: ..., nodes: ...}). */
static rc_status_t print_spec(FILE *f, const rc_network_spec_t *spec)
{
    rc_cfg_t *cfg = NULL;
    rc_status_t status = rc_cfg_parse_string(spec->text ? spec->text : "{}", "<network>", &cfg);
    if (status == RC_OK)
        print_flow(f, cfg);
    rc_cfg_free(cfg);
    return status;
}

/* Values a swept key takes, in order of first appearance. */
/* Index of the point's scenario among the experiment's. */
static size_t scenario_of(const rc_experiment_t *ex, const rc_point_t *pt)
{
    for (size_t s = 0; s < ex->n_scenarios; s++)
        if (pt->scenario == ex->scenarios[s])
            return s;
    return 0;
}

/* The distinct values key k takes where it is swept (not the base value of the scenarios that
 * do not sweep it), then the scenarios that sweep it when not all do. */
static void print_swept_values(FILE *f, const rc_experiment_t *ex, size_t k)
{
    size_t shown = 0, in = 0;
    const size_t ns = ex->n_swept;
    for (size_t p = 0; p < ex->n_points; p++) {
        if (!ex->swept_in[scenario_of(ex, &ex->points[p]) * ns + k])
            continue;
        const char *v = ex->points[p].values[k];
        int seen = 0;
        for (size_t q = 0; q < p && !seen; q++)
            seen = ex->swept_in[scenario_of(ex, &ex->points[q]) * ns + k] &&
                   strcmp(ex->points[q].values[k], v) == 0;
        if (seen)
            continue;
        if (shown == 12) {
            fputs(", ...", f);
            break;
        }
        char line[RC_VALUE_SHOWN];
        fprintf(f, "%s%s", shown ? ", " : "", rc_value_one_line(v, line, sizeof line));
        shown++;
    }
    for (size_t s = 0; s < ex->n_scenarios; s++)
        in += ex->swept_in[s * ns + k];
    if (in < ex->n_scenarios) {
        fprintf(f, " (in ");
        for (size_t s = 0, i = 0; s < ex->n_scenarios; s++)
            if (ex->swept_in[s * ns + k])
                fprintf(f, "%s%s", i++ ? ", " : "", ex->scenarios[s]);
        fprintf(f, " only)");
    }
}

/* Points of scenario s. */
static size_t scenario_points(const rc_experiment_t *ex, size_t s)
{
    size_t c = 0;
    for (size_t p = 0; p < ex->n_points; p++)
        c += ex->points[p].scenario == ex->scenarios[s];
    return c;
}

/* The sweep: one plan for all scenarios, or each scenario's when they differ; then the values
 * of each swept key. */
static void print_sweep(FILE *f, const rc_experiment_t *ex)
{
    int same = 1;
    for (size_t s = 1; s < ex->n_scenarios; s++)
        same &= strcmp(ex->sweep_plans[s], ex->sweep_plans[0]) == 0;
    fprintf(f, "sweep:       ");
    if (ex->n_swept == 0) {
        fprintf(f, "none\n");
        return;
    }
    if (same) {
        size_t combos = scenario_points(ex, 0);
        fprintf(f, "%s = %zu combination%s%s\n", ex->sweep_plans[0], combos,
                combos == 1 ? "" : "s", ex->n_scenarios > 1 ? " per scenario" : "");
    } else {
        fprintf(f, "%zu key%s, per scenario:\n", ex->n_swept, ex->n_swept == 1 ? "" : "s");
        for (size_t s = 0; s < ex->n_scenarios; s++) {
            size_t c = scenario_points(ex, s);
            fprintf(f, "  %s: %s = %zu point%s\n", ex->scenarios[s], ex->sweep_plans[s], c,
                    c == 1 ? "" : "s");
        }
        fprintf(f, "values:\n");
    }
    for (size_t k = 0; k < ex->n_swept; k++) {
        fprintf(f, "  %s: ", ex->swept_keys[k]);
        print_swept_values(f, ex, k);
        fprintf(f, "\n");
    }
}

rc_status_t rc_experiment_describe(const rc_experiment_t *ex, FILE *f)
{
    rc_status_t status = RC_OK;
    char buf[32];
    fprintf(f, "experiment:  %s\n", ex->name);
    fprintf(f, "seed:        %llu\n", (unsigned long long)ex->seed);
    fprintf(f, "runs:        %llu per point\n", (unsigned long long)ex->runs);
    fprintf(f, "scenarios:   ");
    for (size_t s = 0; s < ex->n_scenarios; s++)
        fprintf(f, "%s%s", s ? ", " : "", ex->scenarios[s]);
    fprintf(f, "\n");
    print_sweep(f, ex);
    /* Points per scenario differ when scenarios have sweeps of their own. */
    size_t combos = ex->n_points / (ex->n_scenarios ? ex->n_scenarios : 1);
    int uneven = 0;
    for (size_t s = 0; s < ex->n_scenarios; s++)
        uneven |= scenario_points(ex, s) != combos;
    fprintf(f, "points:      %zu", ex->n_points);
    if (uneven) {
        for (size_t s = 0; s < ex->n_scenarios; s++)
            fprintf(f, "%s%s %zu", s ? ", " : " (", ex->scenarios[s], scenario_points(ex, s));
        fprintf(f, ")");
    }
    fprintf(f, "\n");
    fprintf(f, "networks:    %zu\n", ex->n_networks);
    uint64_t peak = 0;
    for (size_t id = 0; id < ex->n_networks; id++) {
        const rc_point_t *first = NULL;
        size_t count = rc_experiment_network_points(ex, id, &first);
        uint64_t bytes = rc_network_estimate_bytes(&ex->networks[id]);
        if (bytes > peak)
            peak = bytes;
        fprintf(f, "  network %zu: ", id);
        RC_TRY(print_spec(f, &ex->networks[id]));
        if (bytes > 0)
            fprintf(f, "\n    about %s, ", rc_format_bytes(bytes, buf, sizeof buf));
        else
            fprintf(f, "\n    size known once loaded, ");
        fprintf(f, "used by %zu point%s\n", count, count == 1 ? "" : "s");
    }
    if (peak > 0)
        fprintf(f, "memory:      about %s for the largest network (one is held at a time)\n",
               rc_format_bytes(peak, buf, sizeof buf));
    if (ex->points_bytes >= ((uint64_t)64 << 20))
        fprintf(f, "             and about %s for the points themselves\n",
                rc_format_bytes(ex->points_bytes, buf, sizeof buf));
    fprintf(f, "total runs:  %llu\n", (unsigned long long)(ex->runs * ex->n_points));
    fprintf(f, "output:      %s\n", ex->output);
    if (ex->n_points <= TABLE_MAX_ROWS) {
        fputc('\n', f);
        RC_TRY(rc_experiment_print_points(ex, f, ex->n_points, "  network", network_cell, NULL));
    }
    if (ferror(f))
        RC_FAIL(RC_ERR_IO, "cannot write the description of the experiment");
cleanup:
    return status;
}

rc_status_t rc_experiment_print_points(const rc_experiment_t *ex, FILE *f, size_t max_rows,
                                       const char *header,
                                       void (*cell)(void *ctx, const rc_point_t *pt, FILE *f),
                                       void *ctx)
{
    size_t *w = column_widths(ex);
    if (w == NULL)
        return rc_error(RC_ERR_NOMEM, "out of memory for the table of points");
    fprintf(f, "%5s  %-*s", "point", (int)w[ex->n_swept], "scenario");
    for (size_t k = 0; k < ex->n_swept; k++)
        fprintf(f, "  %-*s", (int)w[k], ex->swept_keys[k]);
    fprintf(f, "%s\n", header);
    size_t shown = ex->n_points <= max_rows ? ex->n_points : (max_rows > 10 ? max_rows - 10 : 0);
    for (size_t p = 0; p < shown; p++) {
        const rc_point_t *pt = &ex->points[p];
        fprintf(f, "%5llu  %-*s", (unsigned long long)pt->index, (int)w[ex->n_swept],
                pt->scenario);
        for (size_t k = 0; k < ex->n_swept; k++) {
            char line[RC_VALUE_SHOWN];
            fprintf(f, "  %-*s", (int)w[k], rc_value_one_line(pt->values[k], line, sizeof line));
        }
        cell(ctx, pt, f);
        fputc('\n', f);
    }
    if (shown < ex->n_points)
        fprintf(f, "... %zu more points: rtcascade info %s\n", ex->n_points - shown, ex->output);
    free(w);
    return ferror(f) ? rc_error(RC_ERR_IO, "cannot write the table of points") : RC_OK;
}

