/* `rtcascade info`: a results file described in words — the experiment, who made it and how,
 * its points, scenarios and swept values, runs, metrics, networks, whether it is complete, and
 * a short per-point table. Reads only attributes, /points, /summary and the table sizes, so it
 * is quick even on files with millions of runs. */
#include "rtcascade/results.h"

#include "io/results_internal.h"
#include "io/sweep.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define RC_INFO_MAX_ROWS 30 /* points listed in the table */

static size_t rc_count_lines(const char *s)
{
    size_t n = 0;
    if (s == NULL || *s == '\0')
        return 0;
    for (; *s; s++)
        n += *s == '\n';
    return s[-1] == '\n' ? n : n + 1;
}

/* A swept column of /points as text, one entry per point (numbers as %.6g). */
static rc_status_t rc_swept_text(hid_t file, const char *col, char ***out, uint64_t *n,
                                 const char *path)
{
    rc_status_t status = RC_OK;
    double *x = NULL;
    char **s = NULL;
    rc_error_clear();
    if (rc_rh5_read_col_str(file, "points", col, out, n, path) == RC_OK)
        return RC_OK;
    RC_TRY(rc_rh5_read_col_f64(file, "points", col, &x, n, path));
    s = calloc((size_t)*n + 1, sizeof *s);
    RC_ALLOC_CHECK(s, "a column");
    for (uint64_t i = 0; i < *n; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%.6g", x[i]);
        s[i] = strdup(buf);
        RC_ALLOC_CHECK(s[i], "a column");
    }
    *out = s;
    s = NULL;
cleanup:
    rc_rh5_free_strs(s, (size_t)*n);
    free(x);
    return status;
}

/* Whether a scenario's plan (the scenario_sweeps attribute: "a (3) x zip(b, c) (4)") names key. */
static int rc_plan_has(const char *plan, const char *key)
{
    size_t len = strlen(key);
    for (const char *p = strstr(plan, key); p != NULL; p = strstr(p + 1, key)) {
        char before = p == plan ? ' ' : p[-1], after = p[len];
        if ((before == ' ' || before == '(') && (after == ' ' || after == ',' || after == ')'))
            return 1;
    }
    return 0;
}

static void rc_print_value(FILE *f, const char *label, const char *value)
{
    fprintf(f, "%-13s%s\n", label, value && *value ? value : "(none)");
}

/* What rtcascade info reads of a file: root attributes, /points, a few /summary and
 * /networks/stats columns, and the sizes of the appended tables. */
typedef struct rc_info {
    uint64_t file_bytes;
    char *format, *name, *created, *software, *commit, *command, *config, *config_path;
    char *resolved, *rng, *resumed, *mode;
    char **swept, **scen; /* root attributes swept_keys, scenarios */
    size_t n_swept, n_scen;
    char **plans;         /* root attribute scenario_sweeps (NULL when absent) */
    size_t n_plans;
    uint64_t version, seed, runs, n_points;
    uint64_t *status_col; /* /points status */
    char **scen_col;      /* /points scenario */
    char ***values;       /* values[k][p]: swept key k at point p, as text */
    uint64_t n_sum, *sum_point;
    double *sum_retweets, *sum_reach, *sum_pglobal, *sum_t50;
    uint64_t n_nets, *net_id, *net_nodes, *net_edges;
    double *net_deg;
    char **net_desc;
    uint64_t rows_runs, rows_gen, rows_ccdf, rows_time;
    int has_growth, has_events; /* format 2's datasets, when the file has them */
    uint64_t rows_growth, rows_events;
    uint64_t done; /* points with status 1 */
    int timed;     /* some point has a finite t50_mean */
    int journal;   /* "<path>.journal" exists */
    int ours;      /* format and version are rtcascade's: a failure from then on is damage */
} rc_info_t;

static void rc_info_free(rc_info_t *in)
{
    free(in->format);
    free(in->name);
    free(in->created);
    free(in->software);
    free(in->commit);
    free(in->command);
    free(in->config);
    free(in->config_path);
    free(in->resolved);
    free(in->rng);
    free(in->resumed);
    free(in->mode);
    if (in->values != NULL)
        for (size_t k = 0; k < in->n_swept; k++)
            rc_rh5_free_strs(in->values[k], (size_t)in->n_points);
    free(in->values);
    rc_rh5_free_strs(in->swept, in->n_swept);
    rc_rh5_free_strs(in->scen, in->n_scen);
    rc_rh5_free_strs(in->plans, in->n_plans);
    rc_rh5_free_strs(in->scen_col, (size_t)in->n_points);
    rc_rh5_free_strs(in->net_desc, (size_t)in->n_nets);
    free(in->status_col);
    free(in->sum_point);
    free(in->sum_retweets);
    free(in->sum_reach);
    free(in->sum_pglobal);
    free(in->sum_t50);
    free(in->net_id);
    free(in->net_nodes);
    free(in->net_edges);
    free(in->net_deg);
    memset(in, 0, sizeof *in);
}

/* The root attributes; RC_ERR_INPUT when the file is not an rtcascade results file. */
static rc_status_t rc_info_attrs(hid_t file, const char *path, rc_info_t *in)
{
    rc_status_t status = RC_OK;
    /* the version first (an integer): format 1 kept its strings in HDF5's global heap, which a
     * damaged file can crash HDF5 1.10 on, so they are not read */
    htri_t has_version = H5Aexists(file, "format_version");
    if (has_version < 0)
        RC_FAIL(RC_ERR_INPUT, "%s: damaged: cannot read its attributes", path);
    if (has_version == 0)
        RC_FAIL(RC_ERR_INPUT, "%s: not an rtcascade results file%s", path,
                H5Lexists(file, "graph", H5P_DEFAULT) > 0 ? " (it is a graph file)" : "");
    RC_TRY(rc_h5_read_u64(file, "format_version", &in->version, path, RC_RESULTS_KIND));
    if (in->version < RC_RESULTS_FORMAT_VERSION)
        RC_FAIL(RC_ERR_INPUT,
                "%s: results format %llu, written by an older rtcascade, is not read by this one "
                "(format %d); read it with h5py or scripts/rcload.py",
                path, (unsigned long long)in->version, RC_RESULTS_FORMAT_VERSION);
    if (in->version > RC_RESULTS_FORMAT_VERSION)
        RC_FAIL(RC_ERR_INPUT, "%s: results format %llu is newer than this rtcascade reads (%d)",
                path, (unsigned long long)in->version, RC_RESULTS_FORMAT_VERSION);
    RC_TRY(rc_h5_read_str(file, "format", &in->format, path));
    if (in->format == NULL || strcmp(in->format, RC_RESULTS_FORMAT) != 0)
        RC_FAIL(RC_ERR_INPUT, "%s: not an rtcascade results file", path);
    in->ours = 1;
    RC_TRY(rc_h5_read_u64(file, "seed", &in->seed, path, RC_RESULTS_KIND));
    RC_TRY(rc_h5_read_u64(file, "runs_per_point", &in->runs, path, RC_RESULTS_KIND));
    RC_TRY(rc_h5_read_u64(file, "n_points", &in->n_points, path, RC_RESULTS_KIND));
    RC_TRY(rc_h5_read_str(file, "name", &in->name, path));
    RC_TRY(rc_h5_read_str(file, "created", &in->created, path));
    RC_TRY(rc_h5_read_str(file, "software_version", &in->software, path));
    RC_TRY(rc_h5_read_str(file, "git_commit", &in->commit, path));
    RC_TRY(rc_h5_read_str(file, "command_line", &in->command, path));
    RC_TRY(rc_h5_read_str(file, "config", &in->config, path));
    RC_TRY(rc_h5_read_str(file, "config_path", &in->config_path, path));
    RC_TRY(rc_h5_read_str(file, "resolved_config", &in->resolved, path));
    RC_TRY(rc_h5_read_str(file, "rng", &in->rng, path));
    RC_TRY(rc_h5_read_str(file, "resumed", &in->resumed, path));
    RC_TRY(rc_h5_read_str(file, "sweep_mode", &in->mode, path));
    RC_TRY(rc_rh5_read_strs(file, "swept_keys", &in->swept, &in->n_swept, path));
    RC_TRY(rc_rh5_read_strs(file, "scenarios", &in->scen, &in->n_scen, path));
    if (H5Aexists(file, "scenario_sweeps") > 0)
        RC_TRY(rc_rh5_read_strs(file, "scenario_sweeps", &in->plans, &in->n_plans, path));
    if (in->plans != NULL && in->n_plans != in->n_scen)
        RC_FAIL(RC_ERR_INPUT, "%s: attribute scenario_sweeps has %zu entries for %zu scenarios",
                path, in->n_plans, in->n_scen);
cleanup:
    return status;
}

/* The columns and table sizes the description shows, and what follows from them. */
static rc_status_t rc_info_tables(hid_t file, const char *path, rc_info_t *in)
{
    rc_status_t status = RC_OK;
    uint64_t n = 0;
    RC_TRY(rc_rh5_read_col_u64(file, "points", "status", &in->status_col, &n, path));
    if (n != in->n_points)
        RC_FAIL(RC_ERR_INPUT, "%s: /points has %llu rows, expected %llu", path,
                (unsigned long long)n, (unsigned long long)in->n_points);
    RC_TRY(rc_rh5_read_col_str(file, "points", "scenario", &in->scen_col, &n, path));
    in->values = calloc(in->n_swept + 1, sizeof *in->values);
    RC_ALLOC_CHECK(in->values, "a column");
    for (size_t k = 0; k < in->n_swept; k++) {
        /* the column is the key, or "swept:<key>" when the key names a fixed column */
        char col[512];
        snprintf(col, sizeof col, "%s", in->swept[k]);
        rc_error_clear();
        if (rc_swept_text(file, col, &in->values[k], &n, path) != RC_OK) {
            snprintf(col, sizeof col, "swept:%s", in->swept[k]);
            RC_TRY(rc_swept_text(file, col, &in->values[k], &n, path));
        }
        /* shown on one line: a map's YAML lines become {a: 1, b: 2} */
        for (uint64_t p = 0; p < n; p++) {
            if (strchr(in->values[k][p], '\n') == NULL)
                continue;
            char line[RC_VALUE_SHOWN];
            char *one = strdup(rc_value_one_line(in->values[k][p], line, sizeof line));
            RC_ALLOC_CHECK(one, "a column");
            free(in->values[k][p]);
            in->values[k][p] = one;
        }
    }
    RC_TRY(rc_rh5_read_col_u64(file, "summary", "point", &in->sum_point, &in->n_sum, path));
    RC_TRY(rc_rh5_read_col_f64(file, "summary", "retweets_mean", &in->sum_retweets, &n, path));
    RC_TRY(rc_rh5_read_col_f64(file, "summary", "reach_mean", &in->sum_reach, &n, path));
    RC_TRY(rc_rh5_read_col_f64(file, "summary", "p_global", &in->sum_pglobal, &n, path));
    RC_TRY(rc_rh5_read_col_f64(file, "summary", "t50_mean", &in->sum_t50, &n, path));
    RC_TRY(rc_rh5_read_col_u64(file, "networks/stats", "network", &in->net_id, &in->n_nets, path));
    RC_TRY(rc_rh5_read_col_u64(file, "networks/stats", "nodes", &in->net_nodes, &n, path));
    RC_TRY(rc_rh5_read_col_u64(file, "networks/stats", "edges", &in->net_edges, &n, path));
    RC_TRY(rc_rh5_read_col_f64(file, "networks/stats", "mean_degree", &in->net_deg, &n, path));
    RC_TRY(rc_rh5_read_col_str(file, "networks/stats", "description", &in->net_desc, &n, path));
    RC_TRY(rc_rh5_rows(file, "runs", &in->rows_runs, path));
    RC_TRY(rc_rh5_rows(file, "curves/generations", &in->rows_gen, path));
    RC_TRY(rc_rh5_rows(file, "curves/size_ccdf", &in->rows_ccdf, path));
    RC_TRY(rc_rh5_rows(file, "curves/time", &in->rows_time, path));
    in->has_growth = H5Lexists(file, "curves/growth", H5P_DEFAULT) > 0;
    in->has_events = H5Lexists(file, "events", H5P_DEFAULT) > 0;
    if (in->has_growth)
        RC_TRY(rc_rh5_rows(file, "curves/growth", &in->rows_growth, path));
    if (in->has_events)
        RC_TRY(rc_rh5_rows(file, "events", &in->rows_events, path));
    for (uint64_t p = 0; p < in->n_points; p++)
        in->done += in->status_col[p] == 1;
    for (uint64_t i = 0; i < in->n_sum; i++)
        in->timed |= isfinite(in->sum_t50[i]);
cleanup:
    return status;
}

/* "complete: ..." or "INCOMPLETE: d of n points done (pending: ...)" into buf. */
static void rc_info_status(const rc_info_t *in, char *buf, size_t size)
{
    const uint64_t n_points = in->n_points;
    if (in->done == n_points) {
        snprintf(buf, size, "complete: %s %llu point%s done", n_points == 1 ? "its" : "all",
                 (unsigned long long)n_points, n_points == 1 ? "" : "s");
        return;
    }
    int len = snprintf(buf, size, "INCOMPLETE: %llu of %llu points done (pending:",
                       (unsigned long long)in->done, (unsigned long long)n_points);
    int listed = 0;
    for (uint64_t p = 0; p < n_points && len < (int)size - 64; p++) {
        if (in->status_col[p] == 1)
            continue;
        if (listed == 10) {
            len += snprintf(buf + len, size - (size_t)len, " ...");
            break;
        }
        len += snprintf(buf + len, size - (size_t)len, " %llu", (unsigned long long)p);
        listed++;
    }
    snprintf(buf + len, size - (size_t)len, ")%s",
             in->journal ? "; finish with rtcascade run --resume" : "");
}

/* file, experiment, created, command, config, seed, resumed and status lines. */
static void rc_info_print_origin(FILE *f, const char *path, const rc_info_t *in)
{
    char buf[1024], size_buf[32];
    snprintf(buf, sizeof buf, "%s (rtcascade results, format %llu, %s)", path,
             (unsigned long long)in->version,
             rc_format_bytes(in->file_bytes, size_buf, sizeof size_buf));
    rc_print_value(f, "file:", buf);
    rc_print_value(f, "experiment:", in->name);
    snprintf(buf, sizeof buf, "%s by rtcascade %s (git %s)", in->created ? in->created : "?",
             in->software ? in->software : "?", in->commit ? in->commit : "?");
    rc_print_value(f, "created:", buf);
    rc_print_value(f, "command:", in->command);
    snprintf(buf, sizeof buf,
             "%s (%zu lines as given; %zu lines resolved, in the "
             "resolved_config attribute)",
             in->config_path && *in->config_path ? in->config_path : "the embedded default study",
             rc_count_lines(in->config), rc_count_lines(in->resolved));
    rc_print_value(f, "config:", buf);
    snprintf(buf, sizeof buf, "%llu (generator %s; run r of point p uses stream (seed, p, r))",
             (unsigned long long)in->seed, in->rng ? in->rng : "?");
    rc_print_value(f, "seed:", buf);
    if (in->resumed && *in->resumed) {
        const char *s = in->resumed;
        int first = 1;
        while (*s) {
            size_t len = strcspn(s, "\n");
            fprintf(f, "%-13s%.*s\n", first ? "resumed:" : "", (int)len, s);
            first = 0;
            s += len + (s[len] == '\n');
        }
    }
    rc_info_status(in, buf, sizeof buf);
    rc_print_value(f, "status:", buf);
}

/* Whether swept key k is swept in the scenario of point p (always, without scenario_sweeps). */
static int rc_info_swept_at(const rc_info_t *in, size_t k, uint64_t p)
{
    if (in->plans == NULL)
        return 1;
    for (size_t s = 0; s < in->n_scen; s++)
        if (strcmp(in->scen_col[p], in->scen[s]) == 0)
            return rc_plan_has(in->plans[s], in->swept[k]);
    return 1;
}

/* The distinct values of swept key k where it is swept, then the scenarios that sweep it when
 * not all do. */
static void rc_info_print_values(FILE *f, const rc_info_t *in, size_t k)
{
    size_t shown = 0, n_in = 0;
    char **v = in->values[k];
    for (uint64_t i = 0; i < in->n_points; i++) {
        if (!rc_info_swept_at(in, k, i))
            continue;
        int seen = 0;
        for (uint64_t j = 0; j < i && !seen; j++)
            seen = strcmp(v[i], v[j]) == 0 && rc_info_swept_at(in, k, j);
        if (seen)
            continue;
        if (shown == 12) {
            fprintf(f, ", ...");
            break;
        }
        fprintf(f, "%s%s", shown ? ", " : "", v[i]);
        shown++;
    }
    for (size_t s = 0; in->plans != NULL && s < in->n_scen; s++)
        n_in += (size_t)rc_plan_has(in->plans[s], in->swept[k]);
    if (in->plans != NULL && n_in < in->n_scen) {
        fprintf(f, " (in ");
        for (size_t s = 0, i = 0; s < in->n_scen; s++)
            if (rc_plan_has(in->plans[s], in->swept[k]))
                fprintf(f, "%s%s", i++ ? ", " : "", in->scen[s]);
        fprintf(f, " only)");
    }
}

/* scenarios, swept keys and points lines. */
static void rc_info_print_points(FILE *f, const rc_info_t *in)
{
    const uint64_t n_points = in->n_points;
    const size_t n_scen = in->n_scen;
    char buf[1024];
    fprintf(f, "%-13s%zu: ", "scenarios:", n_scen);
    for (size_t i = 0; i < n_scen; i++)
        fprintf(f, "%s%s", i ? ", " : "", in->scen[i]);
    fprintf(f, "\n");
    if (in->n_swept == 0) {
        rc_print_value(f, "swept keys:", "none");
    } else {
        int same = 1;
        for (size_t i = 1; in->plans != NULL && i < n_scen; i++)
            same &= strcmp(in->plans[i], in->plans[0]) == 0;
        if (in->plans == NULL)
            fprintf(f, "%-13s%zu (%s)\n", "swept keys:", in->n_swept,
                    in->mode && strcmp(in->mode, "zip") == 0 ? "zip: paired" : "grid product");
        else if (same)
            fprintf(f, "%-13s%zu: %s\n", "swept keys:", in->n_swept, in->plans[0]);
        else {
            fprintf(f, "%-13s%zu, per scenario:\n", "swept keys:", in->n_swept);
            for (size_t i = 0; i < n_scen; i++)
                fprintf(f, "%-13s  %s: %s\n", "", in->scen[i], in->plans[i]);
            fprintf(f, "%-13s\n", "values:");
        }
        for (size_t k = 0; k < in->n_swept; k++) {
            fprintf(f, "%-13s  %s = ", "", in->swept[k]);
            rc_info_print_values(f, in, k);
            fprintf(f, "\n");
        }
    }
    /* Scenarios with sweeps of their own have different numbers of points: list them. */
    int uneven = 0;
    size_t len = 0;
    len += (size_t)snprintf(buf + len, sizeof buf - len, "%llu (", (unsigned long long)n_points);
    for (size_t i = 0; i < n_scen; i++) {
        uint64_t c = 0;
        for (uint64_t p = 0; p < n_points; p++)
            c += strcmp(in->scen_col[p], in->scen[i]) == 0;
        uneven |= n_scen && c != n_points / n_scen;
        if (len < sizeof buf)
            len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s %llu", i ? ", " : "",
                                    in->scen[i], (unsigned long long)c);
    }
    if (len < sizeof buf)
        snprintf(buf + len, sizeof buf - len, ")");
    if (!uneven)
        snprintf(buf, sizeof buf, "%llu (%zu scenario%s x %llu sweep combination%s)",
                 (unsigned long long)n_points, n_scen, n_scen == 1 ? "" : "s",
                 (unsigned long long)(n_scen ? n_points / n_scen : n_points),
                 n_scen && n_points / n_scen == 1 ? "" : "s");
    rc_print_value(f, "points:", buf);
}

/* runs, metrics, curves and networks lines. */
static void rc_info_print_contents(FILE *f, const rc_info_t *in)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%llu per point; %llu in /runs", (unsigned long long)in->runs,
             (unsigned long long)in->rows_runs);
    rc_print_value(f, "runs:", buf);
    fprintf(f,
            "%-13sper run in /runs: size, retweets, reach, depth, max_breadth, virality, "
            "global, capped, %s\n",
            "metrics:",
            in->timed ? "final_time, t50, t90" : "final_time, t50, t90 (NaN: untimed model)");
    fprintf(f,
            "%-13sper point in /summary: mean, sd, se, min, q05, q25, median, q75, q95, max "
            "of each; p_global, p_capped\n",
            "");
    int len = snprintf(buf, sizeof buf,
                       "/curves/generations %llu rows, /curves/size_ccdf %llu rows, "
                       "/curves/time %llu rows",
                       (unsigned long long)in->rows_gen, (unsigned long long)in->rows_ccdf,
                       (unsigned long long)in->rows_time);
    if (in->has_growth && len > 0 && (size_t)len < sizeof buf)
        snprintf(buf + len, sizeof buf - (size_t)len, ", /curves/growth %llu rows",
                 (unsigned long long)in->rows_growth);
    rc_print_value(f, "curves:", buf);
    if (in->has_events) {
        snprintf(buf, sizeof buf,
                 "%llu rows in /events (every adoption of the points that "
                 "asked for them)",
                 (unsigned long long)in->rows_events);
        rc_print_value(f, "events:", buf);
    }
    fprintf(f, "%-13s%llu\n", "networks:", (unsigned long long)in->n_nets);
    for (uint64_t i = 0; i < in->n_nets; i++)
        fprintf(f, "  %llu: %s (%llu nodes, %llu edges, mean degree %.3g)\n",
                (unsigned long long)in->net_id[i], in->net_desc[i],
                (unsigned long long)in->net_nodes[i], (unsigned long long)in->net_edges[i],
                in->net_deg[i]);
}

/* The per-point table, each swept column as wide as its name or widest value (at most 24). */
static void rc_info_print_table(FILE *f, const rc_info_t *in)
{
    const uint64_t n_points = in->n_points;
    const size_t n_swept = in->n_swept;
    int width[64];
    for (size_t k = 0; k < n_swept && k < 64; k++) {
        size_t w = strlen(in->swept[k]);
        for (uint64_t p = 0; p < n_points; p++)
            if (strlen(in->values[k][p]) > w)
                w = strlen(in->values[k][p]);
        width[k] = w > 24 ? 24 : (int)w;
    }
    fprintf(f, "\n%6s  %-12s", "point", "scenario");
    for (size_t k = 0; k < n_swept && k < 64; k++)
        fprintf(f, "  %*.*s", width[k], width[k], in->swept[k]);
    fprintf(f, "  %-7s  %13s  %13s  %9s\n", "status", "retweets_mean", "reach_mean", "p_global");
    for (uint64_t p = 0; p < n_points; p++) {
        if (p == RC_INFO_MAX_ROWS) {
            fprintf(f, "... %llu more points\n", (unsigned long long)(n_points - p));
            break;
        }
        fprintf(f, "%6llu  %-12.12s", (unsigned long long)p, in->scen_col[p]);
        for (size_t k = 0; k < n_swept && k < 64; k++)
            fprintf(f, "  %*.*s", width[k], width[k], in->values[k][p]);
        uint64_t row = in->n_sum;
        for (uint64_t i = 0; i < in->n_sum; i++)
            if (in->sum_point[i] == p)
                row = i;
        if (row < in->n_sum)
            fprintf(f, "  %-7s  %13.6g  %13.6g  %9.4g\n", "done", in->sum_retweets[row],
                    in->sum_reach[row], in->sum_pglobal[row]);
        else
            fprintf(f, "  %-7s  %13s  %13s  %9s\n", "pending", "-", "-", "-");
    }
}

rc_status_t rc_results_describe(const char *path, FILE *f)
{
    rc_status_t status = RC_OK;
    hid_t file = -1, fapl = -1;
    char *jpath = NULL;
    rc_info_t in;
    memset(&in, 0, sizeof in);
    rc_h5_quiet();
    RC_TRY(rc_h5_check_file(path, RC_RESULTS_KIND, &in.file_bytes));
    fapl = rc_h5safe_read_fapl();
    file = fapl >= 0 ? H5Fopen(path, H5F_ACC_RDONLY, fapl) : -1;
    if (file < 0)
        RC_FAIL(RC_ERR_INPUT,
                "%s: damaged HDF5 file (rtcascade run --resume can rebuild it "
                "from its journal)",
                path);
    size_t jlen = strlen(path) + 16;
    jpath = malloc(jlen);
    RC_ALLOC_CHECK(jpath, "a path");
    snprintf(jpath, jlen, "%s.journal", path);
    struct stat jsb;
    in.journal = stat(jpath, &jsb) == 0;
    status = rc_info_attrs(file, path, &in);
    if (status == RC_OK)
        status = rc_info_tables(file, path, &in);
    if (status == RC_ERR_INPUT && in.ours) {
        /* one line: what is damaged, and what can repair it */
        char what[512];
        const char *msg = rc_error_message();
        size_t plen = strlen(path);
        if (strncmp(msg, path, plen) == 0 && strncmp(msg + plen, ": ", 2) == 0)
            msg += plen + 2;
        snprintf(what, sizeof what, "%s", msg);
        RC_FAIL(RC_ERR_INPUT, "%s: damaged rtcascade results file: %s%s", path, what,
                in.journal ? " (rtcascade run --resume can rebuild it from its journal)" : "");
    }
    RC_TRY(status);
    rc_info_print_origin(f, path, &in);
    rc_info_print_points(f, &in);
    rc_info_print_contents(f, &in);
    rc_info_print_table(f, &in);
cleanup:
    rc_h5_close(file);
    rc_h5_close(fapl);
    free(jpath);
    rc_info_free(&in);
    return status;
}
