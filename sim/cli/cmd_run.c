/* `rtcascade run`: config -> experiment -> every check -> for each network (built once) its
 * points, each run by the Monte Carlo engine and appended to the HDF5 results file as soon as it
 * finishes (by a writer thread, while the next point runs). Resumable after any interrupt; a
 * signal stops cleanly between points (exit 8). Progress line on a terminal, table at the end. */
#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/run_mpi.h"
#include "cli/signals.h"
#include "cli/writer.h"
#include "rtcascade/config.h"
#include "rtcascade/defaults.h"
#include "rtcascade/engine.h"
#include "rtcascade/experiment.h"
#include "rtcascade/greedy.h"
#include "rtcascade/model.h"
#include "rtcascade/graph_h5.h"
#include "rtcascade/specs.h"
#include "rtcascade/results.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SUMMARY_MAX_ROWS 60 /* longer sweeps: the table's head, then a pointer to `info` */

typedef struct run_args {
    const char *config; /* CONFIG.yaml, or NULL for the embedded default study */
    const char *output; /* -o, or NULL for the config's output: */
    char **sets;        /* --set assignments, in order */
    int n_sets;
    int resume, force, quiet, dry_run, verbose;
    int figures; /* 1 --figures, 0 --no-figures, -1 default (on for the default study) */
} run_args_t;

/* What the summary table shows of one point (filled when the point ran in this process). */
typedef struct point_row {
    int ran;     /* 1: ran in this process */
    int earlier; /* 1: done in an earlier session (--resume) */
    double retweets, retweets_se, reach, p_global;
} point_row_t;

/* Wall-clock seconds spent per phase, for --verbose (and scripts/bench_io.sh). */
typedef struct run_timers {
    double total;       /* the whole command */
    double build;       /* building or loading networks */
    double runs;        /* the Monte Carlo engine */
    double stats_write; /* rc_results_write_network (graph statistics included) */
    double open_close;  /* creating, reopening and closing the results file */
} run_timers_t;

/* Everything the run loop shares. */
typedef struct run_ctx {
    const run_args_t *args;
    const rc_experiment_t *ex;
    const char *base_dir; /* the config's folder, for relative network paths */
    const rc_results_provenance_t *prov;
    const size_t *order;  /* run order of the points (run_order) */
    point_row_t *rows;    /* per point index, for the final table */
    rc_results_t *file;   /* NULL until the first network is checked */
    unsigned char *done0; /* per point index: done before this process started */
    rc_writer_t writer;   /* appends points in the background once the file exists */
    int created;          /* 1 once a results file exists on disk */
    int interrupted;      /* 1 when a signal stopped the loop */
    rc_progress_t prog;
    run_timers_t tm;
} run_ctx_t;

static void usage(FILE *f)
{
    fprintf(f, "usage: rtcascade run [CONFIG.yaml] [-o OUT.h5] [--set key.path=value ...]\n"
               "                     [--threads N] [--resume] [--force] [--quiet] [--dry-run]\n"
               "                     [--verbose]\n\n"
               "Runs every point of the experiment (scenarios x sweep) and writes the results to\n"
               "OUT.h5 (default: the config's output:, else results/<name>.h5), one point at a\n"
               "time, so an interrupted run keeps every finished point. Without CONFIG the\n"
               "embedded default study is run.\n\n"
               "  -o, --output OUT.h5  write here instead of the config's output:\n"
               "  --set key.path=value override a config key (YAML value); repeatable\n"
               "  --threads N          OpenMP threads (results do not depend on it)\n"
               "  --resume             finish an interrupted OUT.h5 (same config required)\n"
               "  --force              overwrite an existing OUT.h5\n"
               "  --quiet              no progress line and no table; print only OUT.h5\n"
               "  --dry-run            print the resolved experiment and exit\n"
               "  -v, --verbose        print where the time went (network, runs, results file)\n"
               "  --figures            draw figures of the results next to OUT.h5 (Python;\n"
               "                       on by default for the default study, --no-figures: off)\n\n"
               "Exit status: 0 done, 2 bad command line or OUT.h5 exists, 3 bad config, 4 bad\n"
               "input file, 5 I/O error, 6 not enough memory, 8 interrupted (resumable).\n");
}

/* ---- Command line ---- */

/* Returns 1 when --help was asked (usage printed). */
static rc_status_t parse_args(int argc, char **argv, run_args_t *a, int *help)
{
    rc_status_t status = RC_OK;
    *help = 0;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        int has_next = i + 1 < argc;
        if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
            *help = 1;
            return RC_OK;
        } else if (strcmp(s, "--set") == 0 && has_next) {
            a->sets[a->n_sets++] = argv[++i];
        } else if (strncmp(s, "--set=", 6) == 0) {
            a->sets[a->n_sets++] = argv[i] + 6;
        } else if ((strcmp(s, "-o") == 0 || strcmp(s, "--output") == 0) && has_next) {
            a->output = argv[++i];
        } else if (strncmp(s, "--output=", 9) == 0) {
            a->output = s + 9;
        } else if (strcmp(s, "--threads") == 0 && has_next) {
            RC_TRY(rc_cli_set_threads(argv[++i]));
        } else if (strncmp(s, "--threads=", 10) == 0) {
            RC_TRY(rc_cli_set_threads(s + 10));
        } else if (strcmp(s, "--resume") == 0) {
            a->resume = 1;
        } else if (strcmp(s, "--force") == 0) {
            a->force = 1;
        } else if (strcmp(s, "--quiet") == 0 || strcmp(s, "-q") == 0) {
            a->quiet = 1;
        } else if (strcmp(s, "--dry-run") == 0 || strcmp(s, "-n") == 0) {
            a->dry_run = 1;
        } else if (strcmp(s, "--verbose") == 0 || strcmp(s, "-v") == 0) {
            a->verbose = 1;
        } else if (strcmp(s, "--figures") == 0) {
            a->figures = 1;
        } else if (strcmp(s, "--no-figures") == 0) {
            a->figures = 0;
        } else if (s[0] == '-' && s[1] != '\0') {
            RC_FAIL(RC_ERR_ARGUMENT,
                    "run: unknown or incomplete option '%s' (see rtcascade run "
                    "--help)",
                    s);
        } else if (a->config == NULL) {
            a->config = s;
        } else {
            RC_FAIL(RC_ERR_ARGUMENT, "run: more than one config given ('%s' and '%s')", a->config, s);
        }
    }
    if (a->resume && a->force)
        RC_FAIL(RC_ERR_ARGUMENT, "run: --resume and --force exclude each other (--resume finishes "
                              "an existing file, --force starts it afresh)");
cleanup:
    return status;
}

/* Appends s to the growing buffer, single-quoted when the shell would otherwise split or
 * expand it. NULL-safe: returns NULL (and frees buf) when out of memory. */
static char *append_word(char *buf, size_t *len, const char *s)
{
    int plain = *s != '\0';
    for (const char *c = s; *c; c++) {
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./=:,@+-%", *c))
            plain = 0;
    }
    size_t need = *len + 4 * strlen(s) + 4;
    char *nb = realloc(buf, need);
    if (nb == NULL) {
        free(buf);
        return NULL;
    }
    char *p = nb + *len;
    if (*len > 0)
        *p++ = ' ';
    if (plain) {
        p += sprintf(p, "%s", s);
    } else {
        *p++ = '\'';
        for (const char *c = s; *c; c++) {
            if (*c == '\'') {
                memcpy(p, "'\\''", 4); /* close, escaped quote, reopen */
                p += 4;
            } else {
                *p++ = *c;
            }
        }
        *p++ = '\'';
        *p = '\0';
    }
    *len = (size_t)(p - nb);
    return nb;
}

/* "rtcascade run ARGS...", shell-quoted. With for_resume, --force/--dry-run are dropped and
 * --resume added, which is the command that finishes an interrupted run. */
static char *command_line(int argc, char **argv, int for_resume)
{
    size_t len = 0;
    char *buf = append_word(NULL, &len, "rtcascade");
    int has_resume = 0;
    for (int i = 0; i < argc && buf != NULL; i++) {
        if (for_resume && (strcmp(argv[i], "--force") == 0 || strcmp(argv[i], "--dry-run") == 0 ||
                           strcmp(argv[i], "-n") == 0))
            continue;
        if (strcmp(argv[i], "--resume") == 0)
            has_resume = 1;
        buf = append_word(buf, &len, argv[i]);
    }
    if (for_resume && !has_resume && buf != NULL)
        buf = append_word(buf, &len, "--resume");
    return buf;
}

/* The config text as given (file contents), for the results file's provenance. */
static rc_status_t read_text(const char *path, char **out)
{
    rc_status_t status = RC_OK;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    FILE *f = fopen(path, "rb");
    *out = NULL;
    if (f == NULL)
        RC_FAIL(RC_ERR_IO, "%s: cannot read: %s", path, strerror(errno));
    for (;;) {
        if (cap - len < 4096) {
            cap = cap ? 2 * cap : 8192;
            char *nb = realloc(buf, cap);
            RC_ALLOC_CHECK(nb, "the config text");
            buf = nb;
        }
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f))
        RC_FAIL(RC_ERR_IO, "%s: cannot read: %s", path, strerror(errno));
    buf[len] = '\0';
    *out = buf;
    buf = NULL;
cleanup:
    if (f != NULL)
        fclose(f);
    free(buf);
    return status;
}

/* The experiment's default name: the config file's base name without .yaml/.yml. */
static char *default_name(const char *config)
{
    if (config == NULL)
        return strdup("default_study");
    const char *base = strrchr(config, '/');
    base = base ? base + 1 : config;
    char *name = strdup(base);
    if (name == NULL)
        return NULL;
    char *dot = strrchr(name, '.');
    if (dot != NULL && dot != name && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0))
        *dot = '\0';
    return name;
}

/* ---- Output path ---- */

/* Creates every missing folder of path's parent (mkdir -p). */
static rc_status_t make_parent_dirs(const char *path)
{
    rc_status_t status = RC_OK;
    char *dir = strdup(path);
    RC_ALLOC_CHECK(dir, "a folder name");
    char *slash = strrchr(dir, '/');
    if (slash == NULL || slash == dir)
        goto cleanup;
    *slash = '\0';
    for (char *p = dir + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(dir, 0777) != 0 && errno != EEXIST)
                RC_FAIL(RC_ERR_IO, "%s: cannot create folder '%s' for the results: %s", path, dir,
                        strerror(errno));
            struct stat st;
            if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
                RC_FAIL(RC_ERR_IO, "%s: cannot create folder '%s' for the results: %s", path, dir,
                        strerror(errno ? errno : ENOTDIR));
            *p = c;
            if (c == '\0')
                break;
        }
    }
    if (access(dir, W_OK | X_OK) != 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot write in folder '%s': %s", path, dir, strerror(errno));
cleanup:
    free(dir);
    return status;
}

/* Before any work: an existing output (or its journal) needs --force or --resume, and the
 * output's folder must exist (created if missing) and be writable. */
static rc_status_t check_output(const char *path, const run_args_t *a)
{
    rc_status_t status = RC_OK;
    struct stat st;
    size_t jl = strlen(path) + 16;
    char *journal = malloc(jl);
    RC_ALLOC_CHECK(journal, "a file name");
    snprintf(journal, jl, "%s.journal", path);
    if (!a->force && !a->resume) {
        if (stat(path, &st) == 0)
            RC_FAIL(RC_ERR_ARGUMENT,
                    "%s: exists; use --resume to finish it or --force to "
                    "overwrite it",
                    path);
        if (stat(journal, &st) == 0)
            RC_FAIL(RC_ERR_ARGUMENT,
                    "%s: an interrupted run left %s; use --resume to finish it "
                    "or --force to start afresh",
                    path, journal);
    }
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        RC_FAIL(RC_ERR_IO, "%s: is a folder, not a results file", path);
    RC_TRY(make_parent_dirs(path));
cleanup:
    free(journal);
    return status;
}

/* ---- --dry-run ---- */

/* Widths of the table columns: each swept key's (w[k]), then the scenario's (w[n_swept]).
 * NULL when out of memory. */
static size_t *column_widths(const rc_experiment_t *ex)
{
    size_t *w = calloc(ex->n_swept + 1, sizeof *w);
    if (w == NULL)
        return NULL;
    for (size_t k = 0; k < ex->n_swept; k++) {
        w[k] = strlen(ex->swept_keys[k]);
        for (size_t p = 0; p < ex->n_points; p++)
            if (strlen(ex->points[p].values[k]) > w[k])
                w[k] = strlen(ex->points[p].values[k]);
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

/* Values a swept key takes, in order of first appearance. */
static void print_swept_values(FILE *f, const rc_experiment_t *ex, size_t k)
{
    size_t shown = 0;
    for (size_t p = 0; p < ex->n_points; p++) {
        const char *v = ex->points[p].values[k];
        int seen = 0;
        for (size_t q = 0; q < p && !seen; q++)
            seen = strcmp(ex->points[q].values[k], v) == 0;
        if (seen)
            continue;
        if (shown == 12) {
            fputs(", ...", f);
            break;
        }
        fprintf(f, "%s%s", shown ? ", " : "", v);
        shown++;
    }
}

static rc_status_t dry_run(const rc_experiment_t *ex)
{
    rc_status_t status = RC_OK;
    char buf[32];
    printf("experiment:  %s\n", ex->name);
    printf("seed:        %llu\n", (unsigned long long)ex->seed);
    printf("runs:        %llu per point\n", (unsigned long long)ex->runs);
    printf("scenarios:   ");
    for (size_t s = 0; s < ex->n_scenarios; s++)
        printf("%s%s", s ? ", " : "", ex->scenarios[s]);
    /* Points per scenario differ when scenarios have sweeps of their own. */
    size_t combos = ex->n_points / (ex->n_scenarios ? ex->n_scenarios : 1);
    int uneven = 0;
    for (size_t s = 0; s < ex->n_scenarios; s++) {
        size_t c = 0;
        for (size_t p = 0; p < ex->n_points; p++)
            c += ex->points[p].scenario == ex->scenarios[s];
        uneven |= c != combos;
    }
    printf("\nsweep:       ");
    if (ex->n_swept == 0)
        printf("none\n");
    else if (uneven)
        printf("%zu keys, some swept only in some scenarios (points per scenario below)\n",
               ex->n_swept);
    else if (ex->n_swept == 1)
        printf("1 key, %zu values\n", combos);
    else
        printf("%zu keys, %s, %zu combinations\n", ex->n_swept,
               ex->zip ? "zip (values paired)" : "grid (every combination)", combos);
    for (size_t k = 0; k < ex->n_swept; k++) {
        printf("  %s: ", ex->swept_keys[k]);
        print_swept_values(stdout, ex, k);
        printf("\n");
    }
    printf("points:      %zu", ex->n_points);
    if (uneven) {
        for (size_t s = 0; s < ex->n_scenarios; s++) {
            size_t c = 0;
            for (size_t p = 0; p < ex->n_points; p++)
                c += ex->points[p].scenario == ex->scenarios[s];
            printf("%s%s %zu", s ? ", " : " (", ex->scenarios[s], c);
        }
        printf(")");
    }
    printf("\n");
    printf("networks:    %zu\n", ex->n_networks);
    uint64_t peak = 0;
    for (size_t id = 0; id < ex->n_networks; id++) {
        size_t first = 0, count = 0;
        for (size_t p = 0; p < ex->n_points; p++) {
            if (ex->points[p].network_id != id)
                continue;
            if (count++ == 0)
                first = p;
        }
        const rc_cfg_t *spec = rc_cfg_get(ex->points[first].config, "network");
        uint64_t bytes = 0;
        RC_TRY(rc_network_estimate(spec, &bytes));
        if (bytes > peak)
            peak = bytes;
        printf("  network %zu: ", id);
        print_flow(stdout, spec);
        if (bytes > 0)
            printf("\n    about %s, ", rc_format_bytes(bytes, buf, sizeof buf));
        else
            printf("\n    size known once loaded, ");
        printf("used by %zu point%s\n", count, count == 1 ? "" : "s");
    }
    if (peak > 0)
        printf("memory:      about %s for the largest network (one is held at a time)\n",
               rc_format_bytes(peak, buf, sizeof buf));
    printf("total runs:  %llu\n", (unsigned long long)(ex->runs * ex->n_points));
    printf("output:      %s\n", ex->output);
    if (ex->n_points <= SUMMARY_MAX_ROWS) {
        size_t *w = column_widths(ex);
        RC_ALLOC_CHECK(w, "the table");
        printf("\n%5s  %-*s", "point", (int)w[ex->n_swept], "scenario");
        for (size_t k = 0; k < ex->n_swept; k++)
            printf("  %-*s", (int)w[k], ex->swept_keys[k]);
        printf("  network\n");
        for (size_t p = 0; p < ex->n_points; p++) {
            const rc_point_t *pt = &ex->points[p];
            printf("%5llu  %-*s", (unsigned long long)pt->index, (int)w[ex->n_swept], pt->scenario);
            for (size_t k = 0; k < ex->n_swept; k++)
                printf("  %-*s", (int)w[k], pt->values[k]);
            printf("  %zu\n", pt->network_id);
        }
        free(w);
    }
cleanup:
    return status;
}

/* ---- Running ---- */

/* Points in the order they run: grouped by network (first use first), by index inside a
 * group, so each network is built once and held alone. The order is fixed by the config, so
 * files are identical whatever the thread count, and a resumed run appends in the same order. */
static size_t *run_order(const rc_experiment_t *ex)
{
    size_t *order = malloc((ex->n_points + 1) * sizeof *order);
    size_t *start = calloc(ex->n_networks + 1, sizeof *start);
    if (order == NULL || start == NULL) {
        free(order);
        free(start);
        return NULL;
    }
    for (size_t p = 0; p < ex->n_points; p++)
        start[ex->points[p].network_id + 1]++;
    for (size_t id = 0; id < ex->n_networks; id++)
        start[id + 1] += start[id];
    for (size_t p = 0; p < ex->n_points; p++)
        order[start[ex->points[p].network_id]++] = p;
    free(start);
    return order;
}

/* Checks every pending point's seeds or audience against the built network (more seeds or
 * audience members than nodes, ids not in the graph, a community out of range), before any of
 * them runs. */
static rc_status_t check_seeds(const rc_experiment_t *ex, const size_t *order, size_t from,
                               size_t to, const unsigned char *done0, const rc_graph_t *g)
{
    rc_status_t status = RC_OK;
    rc_seed_spec_t spec;
    rc_seed_plan_t *plan = NULL;
    memset(&spec, 0, sizeof spec);
    for (size_t i = from; i < to; i++) {
        const rc_point_t *pt = &ex->points[order[i]];
        if (done0[pt->index])
            continue;
        const rc_cfg_t *aud = rc_cfg_get(pt->config, "audience");
        if (aud != NULL) {
            rc_audience_spec_t as;
            RC_TRY(rc_audience_parse(aud, &as));
            RC_TRY(rc_audience_check(&as, g));
            continue;
        }
        RC_TRY(rc_seeds_parse(rc_cfg_get(pt->config, "seeds"), &spec));
        RC_TRY(rc_seeds_resolve(&spec, g, &plan));
        rc_seed_plan_free(plan);
        plan = NULL;
        rc_seeds_clear(&spec);
    }
cleanup:
    rc_seed_plan_free(plan);
    rc_seeds_clear(&spec);
    return status;
}

/* Greedy seed sequences shared by the points of this run (a sweep over count extends one). */
static rc_greedy_cache_t *g_greedy_cache;

static int stop_requested(void *ctx)
{
    (void)ctx;
    return rc_signals_stop_requested();
}

/* Runs the runs [first, first + count) of one point on g (all of them: 0, ex->runs) and returns
 * their results (caller frees). */
static rc_status_t run_point(const rc_experiment_t *ex, const rc_point_t *pt, const rc_graph_t *g,
                             uint64_t first, uint64_t count, rc_mc_results_t **out)
{
    rc_status_t status = RC_OK;
    const rc_model_t *model = NULL;
    void *params = NULL;
    rc_seed_spec_t seeds;
    rc_audience_spec_t audience;
    char *model_key = NULL;
    memset(&seeds, 0, sizeof seeds);
    rc_mc_options_t opt = rc_mc_default_options();
    RC_TRY(rc_cfg_double(pt->config, "global_fraction", opt.global_fraction, 0.0, 1.0,
                         &opt.global_fraction));
    RC_TRY(rc_cfg_uint32(pt->config, "max_size", 0, 0, RC_MAX_NODES, &opt.max_size));
    RC_TRY(rc_model_parse(rc_cfg_get(pt->config, "model"), &model, &params));
    const rc_cfg_t *aud = rc_cfg_get(pt->config, "audience");
    if (aud != NULL) {
        RC_TRY(rc_audience_parse(aud, &audience));
        opt.audience = &audience; /* seeds: are then ignored (rc_experiment_check refuses both) */
    } else {
        RC_TRY(rc_seeds_parse(rc_cfg_get(pt->config, "seeds"), &seeds));
    }
    opt.first_run = first;
    /* One process: Ctrl-C abandons the point at once rather than after all its runs (a point
     * of the default study can take tens of seconds). Under MPI, rank 0 stops handing out
     * units instead. */
    if (rc_mpi_size() == 1)
        opt.cancel = stop_requested;
    /* Greedy seed sequences are shared between points with the same model: */
    model_key = rc_cfg_to_yaml(rc_cfg_get(pt->config, "model"));
    RC_ALLOC_CHECK(model_key, "the model's key");
    opt.model_key = model_key;
    opt.greedy_cache = g_greedy_cache;
    RC_TRY(rc_mc_run(g, model, params, &seeds, count, ex->seed, pt->index, &opt, out));
cleanup:
    free(model_key);
    rc_seeds_clear(&seeds);
    if (params != NULL)
        rc_model_params_free(model, params);
    return status;
}

/* "a model.p=0.1": what the progress line shows for a point. */
static void describe_point(const rc_experiment_t *ex, const rc_point_t *pt, char *buf, size_t size)
{
    size_t len = (size_t)snprintf(buf, size, "%s", pt->scenario);
    for (size_t k = 0; k < ex->n_swept && len < size; k++)
        len += (size_t)snprintf(buf + len, size - len, " %s=%s", ex->swept_keys[k], pt->values[k]);
}

/* The table printed at the end: one row per point. */
static void print_table(const rc_experiment_t *ex, const point_row_t *rows)
{
    size_t *w = column_widths(ex);
    if (w == NULL)
        return; /* the table is a courtesy; the results are in the file */
    printf("%5s  %-*s", "point", (int)w[ex->n_swept], "scenario");
    for (size_t k = 0; k < ex->n_swept; k++)
        printf("  %-*s", (int)w[k], ex->swept_keys[k]);
    printf("  %24s  %12s  %9s\n", "retweets (mean +- se)", "reach", "p_global");
    size_t shown = ex->n_points <= SUMMARY_MAX_ROWS ? ex->n_points : SUMMARY_MAX_ROWS - 10;
    for (size_t p = 0; p < shown; p++) {
        const rc_point_t *pt = &ex->points[p];
        printf("%5llu  %-*s", (unsigned long long)pt->index, (int)w[ex->n_swept], pt->scenario);
        for (size_t k = 0; k < ex->n_swept; k++)
            printf("  %-*s", (int)w[k], pt->values[k]);
        if (rows[p].ran) {
            char rt[64];
            snprintf(rt, sizeof rt, "%.4g +- %.2g", rows[p].retweets, rows[p].retweets_se);
            printf("  %24s  %12.6g  %9.4g\n", rt, rows[p].reach, rows[p].p_global);
        } else {
            printf("  %24s\n", rows[p].earlier ? "(done earlier)" : "(not run)");
        }
    }
    if (shown < ex->n_points)
        printf("... %zu more points: rtcascade info %s\n", ex->n_points - shown, ex->output);
    free(w);
}

/* Notes the point's table row and hands it to the background writer (which owns it then). */
static rc_status_t save_point(run_ctx_t *c, rc_mc_results_t **res)
{
    const rc_mc_results_t *r = *res;
    point_row_t *row = &c->rows[r->point];
    row->ran = 1;
    row->retweets = r->summary[RC_METRIC_RETWEETS].mean;
    row->retweets_se = r->summary[RC_METRIC_RETWEETS].se;
    row->reach = r->summary[RC_METRIC_REACH].mean;
    row->p_global = r->p_global;
    return rc_writer_submit(&c->writer, res);
}

/* Creates the file when this is the first network to run (so that a config error found on the
 * built network leaves no file behind) and starts the writer, then records the network. The
 * writer must be idle (rc_writer_drain). */
static rc_status_t save_network(run_ctx_t *c, size_t id, const rc_graph_t *g)
{
    rc_status_t status = RC_OK;
    rc_signals_hold();
    double t = rc_progress_now();
    if (c->file == NULL) {
        status = rc_results_create(c->ex->output, c->ex, c->prov, c->args->force, &c->file);
        c->created = c->file != NULL;
    }
    c->tm.open_close += rc_progress_now() - t;
    t = rc_progress_now();
    if (status == RC_OK)
        status = rc_results_write_network(c->file, id, g, NULL);
    c->tm.stats_write += rc_progress_now() - t;
    rc_signals_release();
    if (status == RC_OK && !c->writer.started)
        status = rc_writer_start(&c->writer, c->file);
    return status;
}

/* Runs the points order[from..to) that share one network: builds it, checks every pending
 * point's seeds on it, then runs and saves the points one by one, stopping between points when
 * a signal came. */
static rc_status_t run_network(run_ctx_t *c, size_t from, size_t to)
{
    rc_status_t status = RC_OK;
    const rc_experiment_t *ex = c->ex;
    const rc_point_t *first = &ex->points[c->order[from]];
    rc_graph_t *g = NULL;
    rc_mc_results_t *res = NULL;
    size_t pending = 0;
    for (size_t i = from; i < to; i++)
        pending += !c->done0[ex->points[c->order[i]].index];
    if (pending == 0)
        goto cleanup;
    /* Loading a network may read an HDF5 cache: the writer must be idle (HDF5 is not
     * thread-safe). A write error surfaces here at the latest. */
    RC_TRY(rc_writer_drain(&c->writer));

    rc_progress_status(&c->prog, "building network %zu of %zu", first->network_id + 1,
                       ex->n_networks);
    double t = rc_progress_now();
    RC_TRY(rc_network_build(rc_cfg_get(first->config, "network"), ex->seed, c->base_dir, &g));
    c->tm.build += rc_progress_now() - t;
    RC_TRY(check_seeds(ex, c->order, from, to, c->done0, g));
    if (rc_signals_stop_requested()) {
        c->interrupted = 1;
        goto cleanup;
    }
    RC_TRY(save_network(c, first->network_id, g));

    for (size_t i = from; i < to; i++) {
        const rc_point_t *pt = &ex->points[c->order[i]];
        if (c->done0[pt->index])
            continue;
        if (rc_signals_stop_requested()) {
            c->interrupted = 1;
            break;
        }
        char what[160];
        describe_point(ex, pt, what, sizeof what);
        rc_progress_status(&c->prog, "%s", what);
        t = rc_progress_now();
        status = run_point(ex, pt, g, 0, ex->runs, &res);
        if (status == RC_ERR_INTERRUPTED) { /* a signal during the point: it is not kept */
            status = RC_OK;
            c->interrupted = 1;
            break;
        }
        if (status != RC_OK)
            goto cleanup;
        c->tm.runs += rc_progress_now() - t;
        RC_TRY(save_point(c, &res));
        rc_progress_point_done(&c->prog, ex->runs);
    }
cleanup:
    rc_mc_results_free(res);
    rc_graph_free(g);
    return status;
}

/* ---- Several MPI ranks (run_mpi.c) ---- */

/* Rank 0's compute thread: what run_network does before its points (build, check the seeds,
 * record the network, creating the file the first time), without the progress line, which
 * belongs to the main thread. */
static rc_status_t mpi_open_network(void *ctx, size_t from, size_t to, rc_graph_t **g)
{
    rc_status_t status = RC_OK;
    run_ctx_t *c = ctx;
    const rc_point_t *first = &c->ex->points[c->order[from]];
    RC_TRY(rc_writer_drain(&c->writer)); /* a network's HDF5 cache and point writes exclude */
    double t = rc_progress_now();
    RC_TRY(rc_network_build(rc_cfg_get(first->config, "network"), c->ex->seed, c->base_dir, g));
    c->tm.build += rc_progress_now() - t;
    RC_TRY(check_seeds(c->ex, c->order, from, to, c->done0, *g));
    RC_TRY(save_network(c, first->network_id, *g));
cleanup:
    return status;
}

/* Rank 0's main thread: a point joined from its blocks, saved as run_network saves one. */
static rc_status_t mpi_save_point(void *ctx, rc_mc_results_t **res)
{
    run_ctx_t *c = ctx;
    rc_status_t status = save_point(c, res);
    if (status == RC_OK)
        rc_progress_point_done(&c->prog, c->ex->runs);
    return status;
}

/* Waits for the writer, then closes the file (its journal goes once every point is in). */
static rc_status_t close_file(run_ctx_t *c)
{
    rc_status_t first = rc_writer_stop(&c->writer);
    rc_signals_hold();
    double t = rc_progress_now();
    rc_status_t status = rc_results_close(c->file);
    c->file = NULL;
    c->tm.open_close += rc_progress_now() - t;
    rc_signals_release();
    return first != RC_OK ? first : status;
}

/* Where the time went. "results file" is what writing costs the run: the time the run loop
 * waited for the background writer plus the network records and create/open/close done in the
 * foreground; the writer's own time overlaps the runs. */
static void print_timing(const run_timers_t *tm, const rc_writer_t *w)
{
    double io = w->wait_seconds + tm->stats_write + tm->open_close;
    fprintf(stderr,
            "timing: total %.3f s; networks built %.3f s; runs %.3f s; results file %.3f s "
            "(%.2f%% of total: waiting for point writes %.3f s, networks %.3f s, "
            "create/open/close %.3f s); point writes in the background %.3f s\n",
            tm->total, tm->build, tm->runs, io, tm->total > 0 ? 100.0 * io / tm->total : 0.0,
            w->wait_seconds, tm->stats_write, tm->open_close, w->write_seconds);
}

/* The error after a stop or failure, with what is kept and the command that finishes it. */
static rc_status_t stopped(const run_ctx_t *c, rc_status_t status, uint64_t done, int argc,
                           char **argv)
{
    char msg[1024];
    char *resume_cmd = command_line(argc, argv, 1);
    const char *finish = resume_cmd ? resume_cmd : "rtcascade run ... --resume";
    if (status == RC_ERR_INTERRUPTED && !c->created) {
        status = rc_error(status,
                          "interrupted (signal %d) before the first point; nothing was "
                          "written",
                          rc_signals_stop_requested());
    } else if (status == RC_ERR_INTERRUPTED) {
        status = rc_error(status,
                          "interrupted (signal %d): %llu of %zu points are complete in "
                          "%s; to finish, run: %s",
                          rc_signals_stop_requested(), (unsigned long long)done, c->ex->n_points,
                          c->ex->output, finish);
    } else if (done > 0) {
        snprintf(msg, sizeof msg, "%s", rc_error_message());
        status = rc_error(status,
                          "%s\nrtcascade: %llu of %zu points are complete in %s; once "
                          "the problem is fixed, finish with: %s",
                          msg, (unsigned long long)done, c->ex->n_points, c->ex->output, finish);
    }
    free(resume_cmd);
    return status;
}

int rc_cmd_run(int argc, char **argv)
{
    rc_status_t status = RC_OK;
    run_args_t a;
    run_ctx_t c;
    memset(&a, 0, sizeof a);
    a.figures = -1;
    memset(&c, 0, sizeof c);
    int help = 0, signals_on = 0;
    rc_cfg_t *root = NULL;
    char *base_dir = NULL, *name = NULL, *config_text = NULL, *cmdline = NULL;
    rc_experiment_t *ex = NULL;
    size_t *order = NULL;
    point_row_t *rows = NULL;
    unsigned char *done0 = NULL;
    double t_start = rc_progress_now();

    RC_TRY(rc_mpi_begin());
    g_greedy_cache = rc_greedy_cache_new();
    RC_ALLOC_CHECK(g_greedy_cache, "the greedy cache");
    a.sets = calloc((size_t)argc + 1, sizeof *a.sets);
    RC_ALLOC_CHECK(a.sets, "the command line");
    RC_TRY(parse_args(argc, argv, &a, &help));
    if (help) {
        if (rc_mpi_rank() == 0)
            usage(stdout);
        goto cleanup;
    }

    /* 1. Everything that can be checked without building anything. */
    RC_TRY(rc_cli_load_config(a.config, a.sets, a.n_sets, &root, &base_dir));
    name = default_name(a.config);
    RC_ALLOC_CHECK(name, "a name");
    RC_TRY(rc_experiment_create(root, name, &ex));
    if (a.output != NULL) {
        char *o = strdup(a.output);
        RC_ALLOC_CHECK(o, "a file name");
        free(ex->output);
        ex->output = o;
    }
    RC_TRY(rc_experiment_check(ex));
    if (a.dry_run) {
        if (rc_mpi_rank() == 0)
            RC_TRY(dry_run(ex));
        goto cleanup;
    }
    if (rc_mpi_rank() > 0) {
        /* Another MPI rank: it runs the units rank 0 hands out; rank 0 does all the rest. */
        rc_mpi_hooks_t hooks = {NULL, NULL, run_point, NULL};
        status = rc_mpi_work(ex, base_dir, &hooks);
        goto cleanup;
    }
    RC_TRY(check_output(ex->output, &a));
    if (a.config != NULL)
        RC_TRY(read_text(a.config, &config_text));
    cmdline = command_line(argc, argv, 0);
    RC_ALLOC_CHECK(cmdline, "the command line");
    rc_results_provenance_t prov = {cmdline, config_text ? config_text : rc_default_study_yaml,
                                    a.config};
    order = run_order(ex);
    RC_ALLOC_CHECK(order, "the run order");
    rows = calloc(ex->n_points + 1, sizeof *rows);
    RC_ALLOC_CHECK(rows, "the summary table");
    done0 = calloc(ex->n_points + 1, 1);
    RC_ALLOC_CHECK(done0, "the list of points");
    c.args = &a;
    c.ex = ex;
    c.base_dir = base_dir;
    c.prov = &prov;
    c.order = order;
    c.rows = rows;
    c.done0 = done0;

    /* 2. A resumed file says which points remain (and refuses another experiment). */
    if (a.resume) {
        double t = rc_progress_now();
        RC_TRY(rc_results_open_resume(ex->output, ex, &prov, &c.file));
        c.created = 1;
        c.tm.open_close += rc_progress_now() - t;
        if (!a.quiet && *rc_results_note(c.file))
            fprintf(stderr, "rtcascade: %s: %s\n", ex->output, rc_results_note(c.file));
        for (size_t p = 0; p < ex->n_points; p++)
            done0[p] = (unsigned char)rc_results_point_done(c.file, p);
        RC_TRY(rc_writer_start(&c.writer, c.file));
    }
    rc_signals_install();
    signals_on = 1;
    rc_progress_init(&c.prog, !a.quiet, ex->n_points, c.file ? rc_results_points_done(c.file) : 0,
                     ex->runs);

    /* 3. Each network once, with its points; on several MPI ranks, handed out by rank 0. */
    if (rc_mpi_size() > 1) {
        rc_mpi_hooks_t hooks = {&c, mpi_open_network, run_point, mpi_save_point};
        double t = rc_progress_now();
        rc_progress_status(&c.prog, "%d MPI ranks", rc_mpi_size());
        RC_TRY(rc_mpi_coordinate(ex, order, done0, &hooks, a.verbose, &c.interrupted));
        c.tm.runs = rc_progress_now() - t;
    }
    size_t from = 0;
    while (rc_mpi_size() == 1 && from < ex->n_points && !c.interrupted) {
        size_t to = from + 1, id = ex->points[order[from]].network_id;
        while (to < ex->n_points && ex->points[order[to]].network_id == id)
            to++;
        RC_TRY(run_network(&c, from, to));
        c.interrupted |= rc_signals_stop_requested() != 0;
        from = to;
    }

    /* 4. Close and report. A signal after the last point has nothing left to stop. */
    RC_TRY(rc_writer_drain(&c.writer));
    uint64_t done = c.file ? rc_results_points_done(c.file) : 0;
    if (c.interrupted && done == ex->n_points)
        c.interrupted = 0;
    for (size_t p = 0; p < ex->n_points && c.file != NULL; p++)
        rows[p].earlier = done0[p];
    RC_TRY(close_file(&c));
    rc_progress_clear(&c.prog);
    c.tm.total = rc_progress_now() - t_start;
    if (c.interrupted) {
        status = stopped(&c, RC_ERR_INTERRUPTED, done, argc, argv);
    } else if (a.quiet) {
        printf("%s\n", ex->output);
    } else {
        print_table(ex, rows);
        printf("results: %s (%zu points x %llu runs)\n", ex->output, ex->n_points,
               (unsigned long long)ex->runs);
    }
    if (!c.interrupted && (a.figures == 1 || (a.figures == -1 && a.config == NULL))) {
        fflush(stdout);
        rc_cli_draw_figures(ex->output, a.config == NULL, a.quiet);
    }
    if (a.verbose) {
        fflush(stdout);
        print_timing(&c.tm, &c.writer);
    }

cleanup:
    if (c.file != NULL) {
        /* A failure after the file was made: close it so that it holds every finished point,
         * and report the first error (close may set its own message). */
        char msg[1024];
        snprintf(msg, sizeof msg, "%s", rc_error_message());
        (void)rc_writer_stop(&c.writer);
        uint64_t kept = rc_results_points_done(c.file);
        (void)close_file(&c);
        if (status != RC_OK) {
            rc_error(status, "%s", msg);
            status = stopped(&c, status, kept, argc, argv);
        }
    }
    rc_progress_clear(&c.prog);
    if (signals_on)
        rc_signals_restore();
    rc_experiment_free(ex);
    rc_cfg_free(root);
    free(rows);
    free(done0);
    free(order);
    free(cmdline);
    free(config_text);
    free(name);
    free(base_dir);
    free(a.sets);
    rc_greedy_cache_free(g_greedy_cache);
    return rc_mpi_end(status);
}
