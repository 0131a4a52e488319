/* `rtcascade info`: a results file described in words — the experiment, who made it and how,
 * its points, scenarios and swept values, runs, metrics, networks, whether it is complete, and
 * a short per-point table. Reads only attributes, /points, /summary and the table sizes, so it
 * is quick even on files with millions of runs. */
#include "rtcascade/results.h"

#include "io/results_internal.h"

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

/* Prints "label" then the distinct values of v[0..n) in first-seen order. */
static void rc_print_distinct(FILE *f, char **v, uint64_t n)
{
    size_t shown = 0;
    for (uint64_t i = 0; i < n; i++) {
        int seen = 0;
        for (uint64_t j = 0; j < i && !seen; j++)
            seen = strcmp(v[i], v[j]) == 0;
        if (seen)
            continue;
        if (shown == 12) {
            fprintf(f, ", ...");
            break;
        }
        fprintf(f, "%s%s", shown ? ", " : "", v[i]);
        shown++;
    }
}

static void rc_print_value(FILE *f, const char *label, const char *value)
{
    fprintf(f, "%-13s%s\n", label, value && *value ? value : "(none)");
}

rc_status_t rc_results_describe(const char *path, FILE *f)
{
    rc_status_t status = RC_OK;
    hid_t file = -1, fapl = -1;
    uint64_t file_bytes = 0;
    char *format = NULL, *name = NULL, *created = NULL, *software = NULL, *commit = NULL;
    char *command = NULL, *config = NULL, *config_path = NULL, *resolved = NULL, *rng = NULL;
    char *resumed = NULL, *mode = NULL, *jpath = NULL;
    char **swept = NULL, **scen = NULL, **scen_col = NULL, ***values = NULL;
    char **net_desc = NULL;
    size_t n_swept = 0, n_scen = 0;
    uint64_t version = 0, seed = 0, runs = 0, n_points = 0, n = 0, n_nets = 0;
    uint64_t *status_col = NULL, *sum_point = NULL, *net_id = NULL, *net_nodes = NULL;
    uint64_t *net_edges = NULL;
    double *net_deg = NULL, *sum_retweets = NULL, *sum_reach = NULL, *sum_pglobal = NULL;
    double *sum_t50 = NULL;
    uint64_t n_sum = 0;
    char size_buf[32];

    rc_h5_quiet();
    RC_TRY(rc_h5_check_file(path, RC_RESULTS_KIND, &file_bytes));
    fapl = rc_rh5_fapl();
    file = fapl >= 0 ? H5Fopen(path, H5F_ACC_RDONLY, fapl) : -1;
    if (file < 0)
        RC_FAIL(RC_ERR_INPUT,
                "%s: damaged HDF5 file (rtcascade run --resume can rebuild it "
                "from its journal)",
                path);
    RC_TRY(rc_h5_read_str(file, "format", &format, path));
    if (format == NULL || strcmp(format, RC_RESULTS_FORMAT) != 0)
        RC_FAIL(RC_ERR_INPUT, "%s: not an rtcascade results file%s", path,
                format && strcmp(format, "rtcascade-graph") == 0 ? " (it is a graph file)" : "");
    RC_TRY(rc_h5_read_u64(file, "format_version", &version, path, RC_RESULTS_KIND));
    RC_TRY(rc_h5_read_u64(file, "seed", &seed, path, RC_RESULTS_KIND));
    RC_TRY(rc_h5_read_u64(file, "runs_per_point", &runs, path, RC_RESULTS_KIND));
    RC_TRY(rc_h5_read_u64(file, "n_points", &n_points, path, RC_RESULTS_KIND));
    RC_TRY(rc_h5_read_str(file, "name", &name, path));
    RC_TRY(rc_h5_read_str(file, "created", &created, path));
    RC_TRY(rc_h5_read_str(file, "software_version", &software, path));
    RC_TRY(rc_h5_read_str(file, "git_commit", &commit, path));
    RC_TRY(rc_h5_read_str(file, "command_line", &command, path));
    RC_TRY(rc_h5_read_str(file, "config", &config, path));
    RC_TRY(rc_h5_read_str(file, "config_path", &config_path, path));
    RC_TRY(rc_h5_read_str(file, "resolved_config", &resolved, path));
    RC_TRY(rc_h5_read_str(file, "rng", &rng, path));
    RC_TRY(rc_h5_read_str(file, "resumed", &resumed, path));
    RC_TRY(rc_h5_read_str(file, "sweep_mode", &mode, path));
    RC_TRY(rc_rh5_read_strs(file, "swept_keys", &swept, &n_swept, path));
    RC_TRY(rc_rh5_read_strs(file, "scenarios", &scen, &n_scen, path));

    RC_TRY(rc_rh5_read_col_u64(file, "points", "status", &status_col, &n, path));
    if (n != n_points)
        RC_FAIL(RC_ERR_INPUT, "%s: /points has %llu rows, expected %llu", path,
                (unsigned long long)n, (unsigned long long)n_points);
    RC_TRY(rc_rh5_read_col_str(file, "points", "scenario", &scen_col, &n, path));
    values = calloc(n_swept + 1, sizeof *values);
    RC_ALLOC_CHECK(values, "a column");
    for (size_t k = 0; k < n_swept; k++) {
        /* the column is the key, or "swept:<key>" when the key names a fixed column */
        char col[512];
        snprintf(col, sizeof col, "%s", swept[k]);
        rc_error_clear();
        if (rc_swept_text(file, col, &values[k], &n, path) != RC_OK) {
            snprintf(col, sizeof col, "swept:%s", swept[k]);
            RC_TRY(rc_swept_text(file, col, &values[k], &n, path));
        }
    }
    RC_TRY(rc_rh5_read_col_u64(file, "summary", "point", &sum_point, &n_sum, path));
    RC_TRY(rc_rh5_read_col_f64(file, "summary", "retweets_mean", &sum_retweets, &n, path));
    RC_TRY(rc_rh5_read_col_f64(file, "summary", "reach_mean", &sum_reach, &n, path));
    RC_TRY(rc_rh5_read_col_f64(file, "summary", "p_global", &sum_pglobal, &n, path));
    RC_TRY(rc_rh5_read_col_f64(file, "summary", "t50_mean", &sum_t50, &n, path));
    RC_TRY(rc_rh5_read_col_u64(file, "networks/stats", "network", &net_id, &n_nets, path));
    RC_TRY(rc_rh5_read_col_u64(file, "networks/stats", "nodes", &net_nodes, &n, path));
    RC_TRY(rc_rh5_read_col_u64(file, "networks/stats", "edges", &net_edges, &n, path));
    RC_TRY(rc_rh5_read_col_f64(file, "networks/stats", "mean_degree", &net_deg, &n, path));
    RC_TRY(rc_rh5_read_col_str(file, "networks/stats", "description", &net_desc, &n, path));
    uint64_t rows_runs = 0, rows_gen = 0, rows_ccdf = 0, rows_time = 0;
    RC_TRY(rc_rh5_rows(file, "runs", &rows_runs, path));
    RC_TRY(rc_rh5_rows(file, "curves/generations", &rows_gen, path));
    RC_TRY(rc_rh5_rows(file, "curves/size_ccdf", &rows_ccdf, path));
    RC_TRY(rc_rh5_rows(file, "curves/time", &rows_time, path));

    uint64_t done = 0;
    for (uint64_t p = 0; p < n_points; p++)
        done += status_col[p] == 1;
    int timed = 0;
    for (uint64_t i = 0; i < n_sum; i++)
        timed |= isfinite(sum_t50[i]);
    size_t jlen = strlen(path) + 16;
    jpath = malloc(jlen);
    RC_ALLOC_CHECK(jpath, "a path");
    snprintf(jpath, jlen, "%s.journal", path);
    struct stat jsb;
    int journal = stat(jpath, &jsb) == 0;

    char buf[1024];
    snprintf(buf, sizeof buf, "%s (rtcascade results, format %llu, %s)", path,
             (unsigned long long)version, rc_format_bytes(file_bytes, size_buf, sizeof size_buf));
    rc_print_value(f, "file:", buf);
    rc_print_value(f, "experiment:", name);
    snprintf(buf, sizeof buf, "%s by rtcascade %s (git %s)", created ? created : "?",
             software ? software : "?", commit ? commit : "?");
    rc_print_value(f, "created:", buf);
    rc_print_value(f, "command:", command);
    snprintf(buf, sizeof buf,
             "%s (%zu lines as given; %zu lines resolved, in the "
             "resolved_config attribute)",
             config_path && *config_path ? config_path : "the embedded default study",
             rc_count_lines(config), rc_count_lines(resolved));
    rc_print_value(f, "config:", buf);
    snprintf(buf, sizeof buf, "%llu (generator %s; run r of point p uses stream (seed, p, r))",
             (unsigned long long)seed, rng ? rng : "?");
    rc_print_value(f, "seed:", buf);
    if (resumed && *resumed) {
        const char *s = resumed;
        int first = 1;
        while (*s) {
            size_t len = strcspn(s, "\n");
            fprintf(f, "%-13s%.*s\n", first ? "resumed:" : "", (int)len, s);
            first = 0;
            s += len + (s[len] == '\n');
        }
    }
    if (done == n_points) {
        snprintf(buf, sizeof buf, "complete: %s %llu point%s done", n_points == 1 ? "its" : "all",
                 (unsigned long long)n_points, n_points == 1 ? "" : "s");
    } else {
        int len = snprintf(buf, sizeof buf, "INCOMPLETE: %llu of %llu points done (pending:",
                           (unsigned long long)done, (unsigned long long)n_points);
        int listed = 0;
        for (uint64_t p = 0; p < n_points && len < (int)sizeof buf - 64; p++) {
            if (status_col[p] == 1)
                continue;
            if (listed == 10) {
                len += snprintf(buf + len, sizeof buf - (size_t)len, " ...");
                break;
            }
            len += snprintf(buf + len, sizeof buf - (size_t)len, " %llu", (unsigned long long)p);
            listed++;
        }
        snprintf(buf + len, sizeof buf - (size_t)len, ")%s",
                 journal ? "; finish with rtcascade run --resume" : "");
    }
    rc_print_value(f, "status:", buf);
    fprintf(f, "%-13s%zu: ", "scenarios:", n_scen);
    for (size_t i = 0; i < n_scen; i++)
        fprintf(f, "%s%s", i ? ", " : "", scen[i]);
    fprintf(f, "\n");
    if (n_swept == 0) {
        rc_print_value(f, "swept keys:", "none");
    } else {
        fprintf(f, "%-13s%zu (%s)\n", "swept keys:", n_swept,
                mode && strcmp(mode, "zip") == 0 ? "zip: paired" : "grid product");
        for (size_t k = 0; k < n_swept; k++) {
            fprintf(f, "%-13s  %s = ", "", swept[k]);
            rc_print_distinct(f, values[k], n_points);
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
            c += strcmp(scen_col[p], scen[i]) == 0;
        uneven |= n_scen && c != n_points / n_scen;
        if (len < sizeof buf)
            len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s %llu", i ? ", " : "",
                                    scen[i], (unsigned long long)c);
    }
    if (len < sizeof buf)
        snprintf(buf + len, sizeof buf - len, ")");
    if (!uneven)
        snprintf(buf, sizeof buf, "%llu (%zu scenario%s x %llu sweep combination%s)",
                 (unsigned long long)n_points, n_scen, n_scen == 1 ? "" : "s",
                 (unsigned long long)(n_scen ? n_points / n_scen : n_points),
                 n_scen && n_points / n_scen == 1 ? "" : "s");
    rc_print_value(f, "points:", buf);
    snprintf(buf, sizeof buf, "%llu per point; %llu in /runs", (unsigned long long)runs,
             (unsigned long long)rows_runs);
    rc_print_value(f, "runs:", buf);
    fprintf(
        f,
        "%-13sper run in /runs: size, retweets, reach, depth, max_breadth, virality, "
        "global, capped, %s\n",
        "metrics:", timed ? "final_time, t50, t90" : "final_time, t50, t90 (NaN: untimed model)");
    fprintf(f,
            "%-13sper point in /summary: mean, sd, se, min, q05, q25, median, q75, q95, max "
            "of each; p_global, p_capped\n",
            "");
    snprintf(buf, sizeof buf,
             "/curves/generations %llu rows, /curves/size_ccdf %llu rows, "
             "/curves/time %llu rows",
             (unsigned long long)rows_gen, (unsigned long long)rows_ccdf,
             (unsigned long long)rows_time);
    rc_print_value(f, "curves:", buf);
    fprintf(f, "%-13s%llu\n", "networks:", (unsigned long long)n_nets);
    for (uint64_t i = 0; i < n_nets; i++)
        fprintf(f, "  %llu: %s (%llu nodes, %llu edges, mean degree %.3g)\n",
                (unsigned long long)net_id[i], net_desc[i], (unsigned long long)net_nodes[i],
                (unsigned long long)net_edges[i], net_deg[i]);

    /* the per-point table, each swept column as wide as its name or widest value */
    int width[64];
    for (size_t k = 0; k < n_swept && k < 64; k++) {
        size_t w = strlen(swept[k]);
        for (uint64_t p = 0; p < n_points; p++)
            if (strlen(values[k][p]) > w)
                w = strlen(values[k][p]);
        width[k] = w > 24 ? 24 : (int)w;
    }
    fprintf(f, "\n%6s  %-12s", "point", "scenario");
    for (size_t k = 0; k < n_swept && k < 64; k++)
        fprintf(f, "  %*.*s", width[k], width[k], swept[k]);
    fprintf(f, "  %-7s  %13s  %13s  %9s\n", "status", "retweets_mean", "reach_mean", "p_global");
    for (uint64_t p = 0; p < n_points; p++) {
        if (p == RC_INFO_MAX_ROWS) {
            fprintf(f, "... %llu more points\n", (unsigned long long)(n_points - p));
            break;
        }
        fprintf(f, "%6llu  %-12.12s", (unsigned long long)p, scen_col[p]);
        for (size_t k = 0; k < n_swept && k < 64; k++)
            fprintf(f, "  %*.*s", width[k], width[k], values[k][p]);
        uint64_t row = n_sum;
        for (uint64_t i = 0; i < n_sum; i++)
            if (sum_point[i] == p)
                row = i;
        if (row < n_sum)
            fprintf(f, "  %-7s  %13.6g  %13.6g  %9.4g\n", "done", sum_retweets[row], sum_reach[row],
                    sum_pglobal[row]);
        else
            fprintf(f, "  %-7s  %13s  %13s  %9s\n", "pending", "-", "-", "-");
    }
cleanup:
    rc_h5_close(file);
    rc_h5_close(fapl);
    free(format);
    free(name);
    free(created);
    free(software);
    free(commit);
    free(command);
    free(config);
    free(config_path);
    free(resolved);
    free(rng);
    free(resumed);
    free(mode);
    free(jpath);
    if (values != NULL)
        for (size_t k = 0; k < n_swept; k++)
            rc_rh5_free_strs(values[k], (size_t)n_points);
    free(values);
    rc_rh5_free_strs(swept, n_swept);
    rc_rh5_free_strs(scen, n_scen);
    rc_rh5_free_strs(scen_col, (size_t)n_points);
    rc_rh5_free_strs(net_desc, (size_t)n_nets);
    free(status_col);
    free(sum_point);
    free(sum_retweets);
    free(sum_reach);
    free(sum_pglobal);
    free(sum_t50);
    free(net_id);
    free(net_nodes);
    free(net_edges);
    free(net_deg);
    return status;
}
