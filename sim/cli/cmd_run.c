/* `rtcascade run`: loads the experiment, opens the results file (new, or resumed), and hands
 * both to the library's runner, turning its progress and outcome into a progress line, a table
 * and the documented exit status. Ctrl-C or SIGTERM asks the runner to stop cleanly (exit 8). */
#include "cli/commands.h"
#include "cli/signals.h"
#include "rtcascade/experiment.h"
#include "rtcascade/progress.h"
#include "rtcascade/runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUMMARY_MAX_ROWS 60 /* longer sweeps: the table's head, then a pointer to `info` */

/* What the summary table shows of one point (filled when the point ran in this process). */
typedef struct point_row {
    int ran;     /* 1: ran in this process */
    int earlier; /* 1: done in an earlier session (--resume) */
    double retweets, retweets_se, reach, p_global, p_capped;
} point_row_t;

/* What the hooks share with the command. */
typedef struct run_view {
    rc_progress_t prog;
    point_row_t *rows; /* per point index */
    uint64_t runs;     /* per point */
} run_view_t;

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
               "  --quiet              no progress and no table; print only OUT.h5\n"
               "  --progress MODE      auto (a bar on a terminal, else a line every 10 s),\n"
               "                       bar, lines or none\n"
               "  --dry-run            print the resolved experiment and exit\n"
               "  -v, --verbose        print where the time went (network, runs, results file)\n"
               "  --figures            draw figures of the results next to OUT.h5 (Python;\n"
               "                       on by default for the default study, --no-figures: off)\n\n"
               "Exit status: 0 done, 2 bad command line or OUT.h5 exists, 3 bad config, 4 bad\n"
               "input file, 5 I/O error, 6 not enough memory, 8 interrupted (resumable).\n");
}

/* "rtcascade run ARGS...", shell-quoted. With for_resume, --force/--dry-run are dropped and
 * --resume added, which is the command that finishes an interrupted run. */
static char *command_line(int argc, char **argv, int for_resume)
{
    static const char *const drop[] = {"--force", "--dry-run", "-n", NULL};
    return rc_shell_command("rtcascade", argc, argv, for_resume ? drop : NULL,
                            for_resume ? "--resume" : NULL);
}

/* ---- Hooks: what the runner tells the command line ---- */

static void on_status(void *ctx, const char *what)
{
    run_view_t *v = ctx;
    rc_progress_status(&v->prog, "%s", what);
}

static void on_point_done(void *ctx, const rc_point_t *pt, const rc_mc_results_t *r)
{
    run_view_t *v = ctx;
    point_row_t *row = &v->rows[pt->index];
    row->ran = 1;
    row->retweets = r->summary[RC_METRIC_RETWEETS].mean;
    row->retweets_se = r->summary[RC_METRIC_RETWEETS].se;
    row->reach = r->summary[RC_METRIC_REACH].mean;
    row->p_global = r->p_global;
    row->p_capped = r->p_capped;
    rc_progress_point_done(&v->prog, v->runs);
}

static int on_cancel(void *ctx)
{
    (void)ctx;
    return rc_signals_stop_requested() != 0;
}

static void on_write_begin(void *ctx)
{
    (void)ctx;
    rc_signals_hold();
}

static void on_write_end(void *ctx)
{
    (void)ctx;
    rc_signals_release();
}

/* ---- Reporting ---- */

static void table_cell(void *ctx, const rc_point_t *pt, FILE *f)
{
    const point_row_t *row = &((const point_row_t *)ctx)[pt->index];
    if (row->ran) {
        char rt[64];
        snprintf(rt, sizeof rt, "%.4g +- %.2g", row->retweets, row->retweets_se);
        fprintf(f, "  %24s  %12.6g  %9.4g", rt, row->reach, row->p_global);
    } else {
        fprintf(f, "  %24s", row->earlier ? "(done earlier)" : "(not run)");
    }
}

/* Points with more than 1% of their runs stopped at a size cap: their means are biased low. */
static void warn_capped(const rc_experiment_t *ex, const point_row_t *rows)
{
    size_t n = 0;
    for (size_t p = 0; p < ex->n_points; p++)
        n += rows[p].ran && rows[p].p_capped > 0.01;
    if (n == 0)
        return;
    fprintf(stderr, "rtcascade: warning: %zu point%s had more than 1%% of their runs stopped at "
            "a size cap (max_size), so their sizes are biased low:", n, n == 1 ? "" : "s");
    for (size_t p = 0, shown = 0; p < ex->n_points && shown < 8; p++)
        if (rows[p].ran && rows[p].p_capped > 0.01)
            fprintf(stderr, "%s point %zu (%.3g%%)", shown++ ? "," : "", p,
                    100.0 * rows[p].p_capped);
    fprintf(stderr, "%s; raise max_size, or see whether the process is supercritical\n",
            n > 8 ? ", ..." : "");
}

/* The error after a stop or failure, with what is kept and the command that finishes it. */
static rc_status_t stopped(rc_status_t status, int file_made, uint64_t done,
                           const rc_experiment_t *ex, int argc, char **argv)
{
    char msg[1024], sig[32] = "";
    char *resume_cmd = command_line(argc, argv, 1);
    const char *finish = resume_cmd ? resume_cmd : "rtcascade run ... --resume";
    if (rc_signals_stop_requested() != 0)
        snprintf(sig, sizeof sig, " (signal %d)", rc_signals_stop_requested());
    if (status == RC_ERR_INTERRUPTED && !file_made) {
        status = rc_error(status, "interrupted%s before the first point; nothing was written",
                          sig);
    } else if (status == RC_ERR_INTERRUPTED) {
        status = rc_error(status, "interrupted%s: %llu of %zu points are complete in %s; to "
                          "finish, run: %s", sig, (unsigned long long)done, ex->n_points,
                          ex->output, finish);
    } else if (done > 0) {
        snprintf(msg, sizeof msg, "%s", rc_error_message());
        status = rc_error(status,
                          "%s\nrtcascade: %llu of %zu points are complete in %s; once "
                          "the problem is fixed, finish with: %s",
                          msg, (unsigned long long)done, ex->n_points, ex->output, finish);
    }
    free(resume_cmd);
    return status;
}

/* Opens the results file (new or resumed) and runs the experiment into it; *done gets the
 * points complete in the file at the end and *file_made whether it exists. */
static rc_status_t run_into_file(const rc_cli_args_t *a, const rc_experiment_t *ex,
                                 const rc_results_provenance_t *prov, run_view_t *v,
                                 rc_run_report_t *rep, uint64_t *done, int *file_made,
                                 double *open_close)
{
    rc_status_t status = RC_OK;
    rc_sink_t *sink = NULL;
    double t = rc_progress_now();
    if (a->resume)
        RC_TRY(rc_sink_h5_resume(ex->output, ex, prov, &sink));
    else
        RC_TRY(rc_sink_h5_create(ex->output, ex, prov, a->force, &sink));
    *open_close += rc_progress_now() - t;
    if (!a->quiet && *rc_sink_h5_note(sink))
        fprintf(stderr, "rtcascade: %s: %s\n", ex->output, rc_sink_h5_note(sink));
    for (size_t p = 0; p < ex->n_points; p++)
        v->rows[p].earlier = sink->ops->point_done(sink->ctx, p);
    rc_signals_install();
    rc_progress_init(&v->prog, a->quiet ? RC_PROGRESS_NONE : a->progress, ex->n_points,
                     rc_sink_h5_points_done(sink), ex->runs);
    rc_run_options_t opt = rc_run_default_options();
    opt.threads = a->threads;
    const rc_run_hooks_t hooks = {v, on_status, on_point_done, on_cancel, on_write_begin,
                                  on_write_end};
    status = rc_run_experiment(ex, &opt, sink, &hooks, rep);
cleanup:
    rc_progress_clear(&v->prog);
    /* Close the file so that it holds every finished point; report the first error. */
    *done = rc_sink_h5_points_done(sink);
    *file_made = rc_sink_h5_exists(sink);
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", rc_error_message());
    rc_signals_hold();
    t = rc_progress_now();
    rc_status_t cst = rc_sink_close(sink);
    *open_close += rc_progress_now() - t;
    rc_signals_release();
    if (status == RC_OK || status == RC_ERR_INTERRUPTED)
        status = cst != RC_OK ? cst : status;
    else
        rc_error(status, "%s", msg);
    return status;
}

int rc_cmd_run(int argc, char **argv)
{
    rc_status_t status = RC_OK;
    rc_cli_args_t a;
    memset(&a, 0, sizeof a);
    rc_parallel_t par;
    rc_run_report_t rep;
    memset(&rep, 0, sizeof rep);
    rc_experiment_t *ex = NULL;
    char *cmdline = NULL;
    run_view_t view;
    memset(&view, 0, sizeof view);
    double t_start = rc_progress_now(), open_close = 0.0;

    RC_TRY(rc_parallel_begin(&par));
    RC_TRY(rc_cli_parse_args(argc, argv, "run", "hsotfqrnvFNP", &a));
    if (a.help) {
        if (par.rank == 0)
            usage(stdout);
        goto cleanup;
    }
    if (a.resume && a.force)
        RC_FAIL(RC_ERR_ARGUMENT, "run: --resume and --force exclude each other (--resume finishes "
                              "an existing file, --force starts it afresh)");
    /* 1. Everything that can be checked without building anything. */
    RC_TRY(rc_experiment_load(a.config, a.sets, (size_t)a.n_sets, &ex));
    if (a.output != NULL)
        RC_TRY(rc_experiment_set_output(ex, a.output));
    RC_TRY(rc_experiment_check(ex));
    if (a.dry_run) {
        if (par.rank == 0)
            RC_TRY(rc_experiment_describe(ex, stdout));
        goto cleanup;
    }
    if (par.rank > 0) { /* another MPI rank: it runs the units rank 0 hands out */
        rc_run_options_t opt = rc_run_default_options();
        opt.threads = a.threads;
        const rc_run_hooks_t hooks = {NULL, NULL, NULL, on_cancel, NULL, NULL};
        rc_signals_install();
        status = rc_run_experiment(ex, &opt, NULL, &hooks, &rep);
        goto cleanup;
    }
    /* 2. The file, and the runs. */
    cmdline = command_line(argc, argv, 0);
    RC_ALLOC_CHECK(cmdline, "the command line");
    rc_results_provenance_t prov = {cmdline, ex->config_text, ex->config_path};
    view.rows = calloc(ex->n_points + 1, sizeof *view.rows);
    RC_ALLOC_CHECK(view.rows, "the summary table");
    view.runs = ex->runs;
    uint64_t done = 0;
    int file_made = 0;
    status = run_into_file(&a, ex, &prov, &view, &rep, &done, &file_made, &open_close);
    if (status != RC_OK) {
        status = stopped(status, file_made, done, ex, argc, argv);
        goto cleanup;
    }
    /* 3. Report. */
    if (a.quiet) {
        printf("%s\n", ex->output);
    } else {
        RC_TRY(rc_experiment_print_points(ex, stdout, SUMMARY_MAX_ROWS,
                                          "     retweets (mean +- se)         reach   p_global",
                                          table_cell, view.rows));
        printf("results: %s (%zu points x %llu runs)\n", ex->output, ex->n_points,
               (unsigned long long)ex->runs);
    }
    warn_capped(ex, view.rows);
    if (a.figures == 1 || (a.figures == -1 && a.config == NULL)) {
        fflush(stdout);
        rc_cli_draw_figures(ex->output, a.config == NULL, a.quiet);
    }
    if (a.verbose) {
        fflush(stdout);
        rc_run_report_print(&rep, stderr, rc_progress_now() - t_start, open_close);
        fprintf(stderr, "openmp: OMP_WAIT_POLICY=%s\n",
                getenv("OMP_WAIT_POLICY") ? getenv("OMP_WAIT_POLICY") : "(unset)");
    }
cleanup:
    rc_signals_restore();
    status = rc_parallel_settle(&par, &rep, status);
    int code = par.rank == 0 && status != RC_OK ? rc_cli_fail(status) : rc_cli_exit_code(status);
    rc_parallel_end(&par, &rep, status, code);
    rc_run_report_clear(&rep);
    rc_experiment_free(ex);
    free(view.rows);
    free(cmdline);
    free(a.sets);
    return code;
}
