/* HDF5 results file: a small sweep written and read back table by table; refusing to
 * overwrite; resume after an interrupt gives the same /runs as an uninterrupted run; mismatched
 * experiments are refused; unwritable paths; and crash recovery: a truncated, corrupted or
 * missing file rebuilt from the journal, rows of an unfinished append cut, a torn journal tail,
 * a second writer refused, and real kill -9 at arbitrary moments.
 *
 * With an argument, writes a complete sample file there (for tests/integration/test_rcload.py)
 * and a partial one beside it (<path>.partial.h5, 3 of 8 points). */
#include "engine_fixtures.h"
#include "io/results_internal.h"
#include "rc_test.h"
#include "rtcascade/experiment.h"
#include "rtcascade/graph_h5.h"
#include "rtcascade/specs.h"
#include "rtcascade/results.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RUNS 300

static const char *const config_yaml =
    "name: results_test\n"
    "seed: 11\n"
    "runs: 300\n"
    "network: {generator: erdos_renyi, nodes: 400, mean_degree: 3}\n"
    "model: {name: independent_cascade, p: 0.1}\n"
    "scenarios:\n"
    "  one_seed: {seeds: {count: 1}}\n"
    "  three_seeds: {seeds: {count: 3}}\n"
    "sweep:\n"
    "  model.p: [0.1, 0.35]\n"
    "  seeds.strategy: [random, top_followers]\n";

typedef struct fixture {
    rc_experiment_t *ex;
    rc_graph_t *g;
    rc_graph_stats_t st;   /* of g, computed once (the forked writers must not start OpenMP) */
    rc_mc_results_t **res; /* per point */
} fixture_t;

static rc_experiment_t *make_experiment(const char *yaml)
{
    rc_cfg_t *cfg = NULL;
    rc_experiment_t *ex = NULL;
    if (rc_cfg_parse_string(yaml, "test.yaml", &cfg) != RC_OK ||
        rc_experiment_create(cfg, "test", &ex) != RC_OK) {
        fprintf(stderr, "experiment: %s\n", rc_error_message());
        exit(1);
    }
    rc_cfg_free(cfg);
    return ex;
}

/* Runs every point of the experiment on its (single) network. */
static void fixture_init(fixture_t *fx, const char *yaml)
{
    fx->ex = make_experiment(yaml);
    rc_experiment_t *ex = fx->ex;
    if (rc_network_load(&ex->networks[ex->points[0].network_id], NULL, &fx->g) != RC_OK) {
        fprintf(stderr, "network: %s\n", rc_error_message());
        exit(1);
    }
    if (rc_graph_compute_stats(fx->g, &fx->st) != RC_OK)
        exit(1);
    fx->res = calloc(ex->n_points, sizeof *fx->res);
    for (size_t p = 0; p < ex->n_points; p++) {
        const rc_point_t *pt = &ex->points[p];
        if (rc_mc_run(fx->g, pt->model, pt->params, &pt->seeds, ex->runs, ex->seed, p, NULL,
                      &fx->res[p]) != RC_OK) {
            fprintf(stderr, "point %zu: %s\n", p, rc_error_message());
            exit(1);
        }
    }
}

static void fixture_free(fixture_t *fx)
{
    for (size_t p = 0; p < fx->ex->n_points; p++)
        rc_mc_results_free(fx->res[p]);
    free(fx->res);
    rc_graph_free(fx->g);
    rc_experiment_free(fx->ex);
}

static const rc_results_provenance_t prov = {"rtcascade run test.yaml", "seed: 11\n# as given\n",
                                             "test.yaml"};

/* Writes points [from, to) (and the network first). */
static void write_points(rc_results_t *r, const fixture_t *fx, size_t from, size_t to)
{
    CHECK_OK(rc_results_write_network(r, 0, fx->g, NULL));
    for (size_t p = from; p < to; p++)
        CHECK_OK(rc_results_write_point(r, fx->res[p]));
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static char *cat(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 1;
    char *s = malloc(n);
    snprintf(s, n, "%s%s", a, b);
    return s;
}

/* Every /runs column of two files (or of one file and the fixture) is identical. */
typedef struct runs_cols {
    uint64_t n;
    uint64_t *point, *run, *size, *retweets, *reach, *depth, *breadth, *global, *capped;
    double *virality, *t50;
} runs_cols_t;

static int read_runs(const char *path, runs_cols_t *c)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    memset(c, 0, sizeof *c);
    if (f < 0)
        return 0;
    uint64_t n = 0;
    int ok = rc_rh5_read_col_u64(f, "runs", "point", &c->point, &c->n, path) == RC_OK &&
             rc_rh5_read_col_u64(f, "runs", "run", &c->run, &n, path) == RC_OK &&
             rc_rh5_read_col_u64(f, "runs", "size", &c->size, &n, path) == RC_OK &&
             rc_rh5_read_col_u64(f, "runs", "retweets", &c->retweets, &n, path) == RC_OK &&
             rc_rh5_read_col_u64(f, "runs", "reach", &c->reach, &n, path) == RC_OK &&
             rc_rh5_read_col_u64(f, "runs", "depth", &c->depth, &n, path) == RC_OK &&
             rc_rh5_read_col_u64(f, "runs", "max_breadth", &c->breadth, &n, path) == RC_OK &&
             rc_rh5_read_col_u64(f, "runs", "global", &c->global, &n, path) == RC_OK &&
             rc_rh5_read_col_u64(f, "runs", "capped", &c->capped, &n, path) == RC_OK &&
             rc_rh5_read_col_f64(f, "runs", "virality", &c->virality, &n, path) == RC_OK &&
             rc_rh5_read_col_f64(f, "runs", "t50", &c->t50, &n, path) == RC_OK;
    H5Fclose(f);
    return ok;
}

static void free_runs(runs_cols_t *c)
{
    free(c->point);
    free(c->run);
    free(c->size);
    free(c->retweets);
    free(c->reach);
    free(c->depth);
    free(c->breadth);
    free(c->global);
    free(c->capped);
    free(c->virality);
    free(c->t50);
}

/* The file's /runs hold exactly the fixture's points in index order. */
static int runs_match_fixture(const char *path, const fixture_t *fx)
{
    runs_cols_t c;
    int ok = read_runs(path, &c) && c.n == fx->ex->n_points * fx->ex->runs;
    for (uint64_t i = 0; ok && i < c.n; i++) {
        uint64_t p = i / fx->ex->runs, k = i % fx->ex->runs;
        const rc_mc_results_t *r = fx->res[p];
        ok = c.point[i] == p && c.run[i] == k && c.size[i] == r->size[k] &&
             c.retweets[i] == r->retweets[k] && c.reach[i] == r->reach[k] &&
             c.depth[i] == r->depth[k] && c.breadth[i] == r->max_breadth[k] &&
             c.global[i] == r->global[k] && c.capped[i] == r->capped[k] &&
             memcmp(&c.virality[i], &r->virality[k], sizeof(double)) == 0 && isnan(c.t50[i]);
        if (!ok)
            fprintf(stderr, "/runs row %llu of %s differs\n", (unsigned long long)i, path);
    }
    free_runs(&c);
    return ok;
}

/* Reads a whole file's tables and checks them against the fixture. */
static void check_complete_file(const char *path, const fixture_t *fx)
{
    const rc_experiment_t *ex = fx->ex;
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    CHECK(f >= 0);
    if (f < 0)
        return;
    char *s = NULL;
    uint64_t v = 0, n = 0;
    CHECK_OK(rc_h5_read_str(f, "format", &s, path));
    CHECK(s && strcmp(s, "rtcascade-results") == 0);
    free(s);
    CHECK_OK(rc_h5_read_u64(f, "format_version", &v, path, RC_RESULTS_KIND));
    CHECK_EQ_U64(v, RC_RESULTS_FORMAT_VERSION);
    CHECK_OK(rc_h5_read_u64(f, "seed", &v, path, RC_RESULTS_KIND));
    CHECK_EQ_U64(v, 11);
    CHECK_OK(rc_h5_read_u64(f, "points_done", &v, path, RC_RESULTS_KIND));
    CHECK_EQ_U64(v, ex->n_points);
    CHECK_OK(rc_h5_read_str(f, "command_line", &s, path));
    CHECK(s && strcmp(s, prov.command_line) == 0);
    free(s);
    CHECK_OK(rc_h5_read_str(f, "config", &s, path));
    CHECK(s && strcmp(s, prov.config_text) == 0);
    free(s);
    CHECK_OK(rc_h5_read_str(f, "rng", &s, path));
    CHECK(s && strcmp(s, "rc_xoshiro256pp") == 0);
    free(s);
    CHECK_OK(rc_h5_read_str(f, "resolved_config", &s, path));
    CHECK(s && strstr(s, "independent_cascade") != NULL && strstr(s, "sweep") != NULL);
    free(s);
    char **keys = NULL;
    size_t nk = 0;
    CHECK_OK(rc_rh5_read_strs(f, "swept_keys", &keys, &nk, path));
    CHECK(nk == 2 && strcmp(keys[0], "model.p") == 0 && strcmp(keys[1], "seeds.strategy") == 0);
    rc_rh5_free_strs(keys, nk);

    /* /points: numeric and string swept columns, network, status */
    uint64_t *status = NULL, *net = NULL;
    double *pcol = NULL;
    char **strat = NULL, **scen = NULL;
    CHECK_OK(rc_rh5_read_col_u64(f, "points", "status", &status, &n, path));
    CHECK_EQ_U64(n, 8);
    CHECK_OK(rc_rh5_read_col_f64(f, "points", "model.p", &pcol, &n, path));
    CHECK_OK(rc_rh5_read_col_str(f, "points", "seeds.strategy", &strat, &n, path));
    CHECK_OK(rc_rh5_read_col_str(f, "points", "scenario", &scen, &n, path));
    CHECK_OK(rc_rh5_read_col_u64(f, "points", "network", &net, &n, path));
    for (uint64_t p = 0; p < n && status && pcol && strat && scen && net; p++) {
        CHECK_EQ_U64(status[p], 1);
        CHECK_EQ_U64(net[p], 0);
        CHECK(pcol[p] == strtod(ex->points[p].values[0], NULL));
        CHECK(strcmp(strat[p], ex->points[p].values[1]) == 0);
        CHECK(strcmp(scen[p], ex->points[p].scenario) == 0);
    }
    CHECK(scen && strcmp(scen[0], "one_seed") == 0 && strcmp(scen[7], "three_seeds") == 0);
    free(status);
    free(pcol);
    free(net);
    rc_rh5_free_strs(strat, (size_t)n);
    rc_rh5_free_strs(scen, (size_t)n);

    /* /runs */
    CHECK(runs_match_fixture(path, fx));

    /* /summary: one row per point with the engine's numbers */
    uint64_t *sp = NULL;
    double *mean = NULL, *q95 = NULL, *pg = NULL, *t50 = NULL;
    CHECK_OK(rc_rh5_read_col_u64(f, "summary", "point", &sp, &n, path));
    CHECK_OK(rc_rh5_read_col_f64(f, "summary", "retweets_mean", &mean, &n, path));
    CHECK_OK(rc_rh5_read_col_f64(f, "summary", "virality_q95", &q95, &n, path));
    CHECK_OK(rc_rh5_read_col_f64(f, "summary", "p_global", &pg, &n, path));
    CHECK_OK(rc_rh5_read_col_f64(f, "summary", "t50_mean", &t50, &n, path));
    CHECK_EQ_U64(n, 8);
    for (uint64_t i = 0; i < n && sp && mean && q95 && pg && t50; i++) {
        const rc_mc_results_t *r = fx->res[sp[i]];
        CHECK_EQ_U64(sp[i], i);
        CHECK(mean[i] == r->summary[RC_METRIC_RETWEETS].mean);
        CHECK(q95[i] == r->summary[RC_METRIC_VIRALITY].q95);
        CHECK(pg[i] == r->p_global);
        CHECK(isnan(t50[i]));
    }
    free(sp);
    free(mean);
    free(q95);
    free(pg);
    free(t50);

    /* /curves/generations sums to the mean size; /curves/size_ccdf starts at 1 */
    uint64_t *gp = NULL, *gg = NULL, *cs = NULL, *cp = NULL, ng = 0, nc = 0;
    double *ga = NULL, *cc = NULL;
    CHECK_OK(rc_rh5_read_col_u64(f, "curves/generations", "point", &gp, &ng, path));
    CHECK_OK(rc_rh5_read_col_u64(f, "curves/generations", "generation", &gg, &ng, path));
    CHECK_OK(rc_rh5_read_col_f64(f, "curves/generations", "adoptions_mean", &ga, &ng, path));
    double total[8] = {0};
    for (uint64_t i = 0; i < ng && gp && ga && gp[i] < 8; i++)
        total[gp[i]] += ga[i];
    for (size_t p = 0; p < 8; p++) {
        double mean_size = 0;
        for (uint64_t k = 0; k < RUNS; k++)
            mean_size += fx->res[p]->size[k];
        CHECK_NEAR(total[p], mean_size / RUNS, 1e-9 * (1 + total[p]));
    }
    CHECK_OK(rc_rh5_read_col_u64(f, "curves/size_ccdf", "point", &cp, &nc, path));
    CHECK_OK(rc_rh5_read_col_u64(f, "curves/size_ccdf", "size", &cs, &nc, path));
    CHECK_OK(rc_rh5_read_col_f64(f, "curves/size_ccdf", "ccdf", &cc, &nc, path));
    CHECK(nc > 8);
    for (uint64_t i = 0; i < nc && cp && cs && cc; i++) {
        const rc_mc_results_t *r = fx->res[cp[i]];
        uint64_t ge = 0;
        for (uint64_t k = 0; k < RUNS; k++)
            ge += r->size[k] >= cs[i];
        CHECK(cc[i] == (double)ge / RUNS);
        if (i == 0 || cp[i] != cp[i - 1])
            CHECK(cs[i] == 1 && cc[i] == 1.0);
        else
            CHECK(cs[i] > cs[i - 1]);
    }
    CHECK_OK(rc_rh5_rows(f, "curves/time", &v, path));
    CHECK_EQ_U64(v, 0); /* untimed model */
    free(gp);
    free(gg);
    free(ga);
    free(cp);
    free(cs);
    free(cc);

    /* /networks */
    uint64_t *nid = NULL, *nodes = NULL;
    char **desc = NULL;
    CHECK_OK(rc_rh5_read_col_u64(f, "networks/stats", "network", &nid, &n, path));
    CHECK_EQ_U64(n, 1);
    CHECK_OK(rc_rh5_read_col_u64(f, "networks/stats", "nodes", &nodes, &n, path));
    CHECK(nodes && nodes[0] == 400);
    CHECK_OK(rc_rh5_read_col_str(f, "networks/stats", "description", &desc, &n, path));
    CHECK(desc && strstr(desc[0], "erdos_renyi") != NULL);
    CHECK(H5Lexists(f, "networks/0", H5P_DEFAULT) > 0 &&
          H5Lexists(f, "networks/0/out_degree_hist", H5P_DEFAULT) > 0);
    free(nid);
    free(nodes);
    rc_rh5_free_strs(desc, (size_t)n);
    H5Fclose(f);
}

static rc_experiment_t *variant(const char *from, const char *to)
{
    char *yaml = strdup(config_yaml);
    char *at = strstr(yaml, from);
    size_t n = strlen(yaml) + strlen(to) + 1;
    char *out = malloc(n);
    snprintf(out, n, "%.*s%s%s", (int)(at - yaml), yaml, to, at + strlen(from));
    rc_experiment_t *ex = make_experiment(out);
    free(yaml);
    free(out);
    return ex;
}

/* Fabricates a timed result from an untimed one (t50 <= t90 <= final), to check /curves/time
 * without depending on a timed model. */
static void make_timed(rc_mc_results_t *r)
{
    r->timed = 1;
    r->t50 = malloc(r->runs * sizeof *r->t50);
    r->t90 = malloc(r->runs * sizeof *r->t90);
    r->final_time = malloc(r->runs * sizeof *r->final_time);
    for (uint64_t k = 0; k < r->runs; k++) {
        r->final_time[k] = r->size[k] > 1 ? 0.5 * (double)(k % 97 + 1) : 0.0;
        r->t50[k] = 0.3 * r->final_time[k];
        r->t90[k] = 0.8 * r->final_time[k];
    }
    rc_mc_summarize(r);
}

static void test_write_and_read(const fixture_t *fx, const char *dir)
{
    char *path = cat(dir, "/sub/dir/full.h5"); /* parents are created */
    char *jpath = cat(path, ".journal");
    rc_results_t *r = NULL;
    CHECK_OK(rc_results_create(path, fx->ex, &prov, 0, &r));
    CHECK(exists(path) && exists(jpath));
    CHECK_EQ_U64(rc_results_points_done(r), 0);
    write_points(r, fx, 0, fx->ex->n_points);
    /* the network again is a no-op; a point again is a bug */
    CHECK_OK(rc_results_write_network(r, 0, fx->g, NULL));
    CHECK_FAILS(rc_results_write_point(r, fx->res[0]), RC_ERR_INTERNAL, "already");
    CHECK_EQ_U64(rc_results_points_done(r), 8);
    CHECK_OK(rc_results_close(r));
    CHECK(!exists(jpath)); /* complete: journal gone */
    check_complete_file(path, fx);

    /* refusing to overwrite, then --force */
    CHECK_FAILS(rc_results_create(path, fx->ex, &prov, 0, &r), RC_ERR_EXISTS, "exists");
    CHECK(r == NULL);
    CHECK(runs_match_fixture(path, fx));
    CHECK_OK(rc_results_create(path, fx->ex, &prov, 1, &r));
    CHECK_OK(rc_results_close(r));
    runs_cols_t c;
    CHECK(read_runs(path, &c) && c.n == 0);
    free_runs(&c);

    /* resuming a complete file does nothing and touches nothing */
    char *full2 = cat(dir, "/full2.h5");
    CHECK_OK(rc_results_create(full2, fx->ex, &prov, 0, &r));
    write_points(r, fx, 0, 8);
    CHECK_OK(rc_results_close(r));
    struct stat before, after;
    stat(full2, &before);
    CHECK_OK(rc_results_open_resume(full2, fx->ex, &prov, &r));
    CHECK_EQ_U64(rc_results_points_done(r), 8);
    CHECK(strstr(rc_results_note(r), "already done") != NULL);
    CHECK_OK(rc_results_close(r));
    stat(full2, &after);
    CHECK(before.st_mtime == after.st_mtime && before.st_size == after.st_size);

    /* describe */
    char *info = cat(dir, "/info.txt");
    FILE *out = fopen(info, "w+");
    CHECK_OK(rc_results_describe(full2, out));
    rewind(out);
    char text[8192] = {0};
    size_t got = fread(text, 1, sizeof text - 1, out);
    fclose(out);
    CHECK(got > 0 && strstr(text, "results_test") && strstr(text, "complete: all 8 points") &&
          strstr(text, "model.p = 0.1, 0.35") && strstr(text, "random, top_followers") &&
          strstr(text, "one_seed, three_seeds") && strstr(text, "300 per point; 2400 in /runs"));
    char *missing = cat(dir, "/missing.h5");
    CHECK_FAILS(rc_results_describe(missing, stdout), RC_ERR_IO, "cannot open");
    free(missing);
    CHECK_FAILS(rc_results_describe(info, stdout), RC_ERR_INPUT, "not an rtcascade results");
    free(info);
    free(full2);
    free(path);
    free(jpath);
}

static void test_timed(const fixture_t *fx, const char *dir)
{
    char *path = cat(dir, "/timed.h5");
    rc_results_t *r = NULL;
    make_timed(fx->res[5]);
    CHECK_OK(rc_results_create(path, fx->ex, &prov, 0, &r));
    CHECK_OK(rc_results_write_point(r, fx->res[5]));
    CHECK_OK(rc_results_close(r));
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    uint64_t *tp = NULL, n = 0;
    double *t = NULL, *c50 = NULL, *cfin = NULL, *t50 = NULL;
    CHECK_OK(rc_rh5_read_col_u64(f, "curves/time", "point", &tp, &n, path));
    CHECK_OK(rc_rh5_read_col_f64(f, "curves/time", "t", &t, &n, path));
    CHECK_OK(rc_rh5_read_col_f64(f, "curves/time", "cdf_t50", &c50, &n, path));
    CHECK_OK(rc_rh5_read_col_f64(f, "curves/time", "cdf_final_time", &cfin, &n, path));
    CHECK_OK(rc_rh5_read_col_f64(f, "runs", "t50", &t50, &n, path));
    CHECK(n == RUNS && memcmp(t50, fx->res[5]->t50, RUNS * sizeof *t50) == 0);
    CHECK_OK(rc_rh5_rows(f, "curves/time", &n, path));
    CHECK_EQ_U64(n, 41);
    for (uint64_t i = 0; i < n && tp && t && c50 && cfin; i++) {
        CHECK_EQ_U64(tp[i], 5);
        if (i > 0)
            CHECK(t[i] > t[i - 1] && c50[i] >= c50[i - 1] && cfin[i] >= cfin[i - 1]);
        CHECK(c50[i] >= cfin[i]); /* half is reached before all */
    }
    CHECK(n == 41 && t && cfin && t[40] == 0.5 * 97 && cfin[40] == 1.0);
    free(tp);
    free(t);
    free(c50);
    free(cfin);
    free(t50);
    H5Fclose(f);
    /* the file is incomplete: its journal stays for --resume */
    char *jpath = cat(path, ".journal");
    CHECK(exists(jpath));
    free(jpath);
    free(path);
}

/* Interrupted after 3 points, resumed, finished: the same file as an uninterrupted run. */
static void test_resume(const fixture_t *fx, const char *dir)
{
    char *path = cat(dir, "/resume.h5");
    char *jpath = cat(path, ".journal");
    rc_results_t *r = NULL;
    CHECK_OK(rc_results_create(path, fx->ex, &prov, 0, &r));
    write_points(r, fx, 0, 3);
    CHECK_OK(rc_results_close(r));
    CHECK(exists(jpath));
    /* a plain create refuses; so does a create when only the journal is left */
    CHECK_FAILS(rc_results_create(path, fx->ex, &prov, 0, &r), RC_ERR_EXISTS, "--resume");

    /* different experiments are refused, naming the difference */
    rc_experiment_t *other = variant("seed: 11", "seed: 12");
    CHECK_FAILS(rc_results_open_resume(path, other, &prov, &r), RC_ERR_MISMATCH, "seed 11");
    rc_experiment_free(other);
    other = variant("runs: 300", "runs: 301");
    CHECK_FAILS(rc_results_open_resume(path, other, &prov, &r), RC_ERR_MISMATCH, "300 runs");
    rc_experiment_free(other);
    other = variant("p: 0.1}", "p: 0.2}");
    CHECK_FAILS(rc_results_open_resume(path, other, &prov, &r), RC_ERR_MISMATCH, "different config");
    rc_experiment_free(other);
    other = variant("[0.1, 0.35]", "[0.1, 0.35, 0.5]");
    CHECK_FAILS(rc_results_open_resume(path, other, &prov, &r), RC_ERR_MISMATCH, "8 points");
    rc_experiment_free(other);

    rc_results_provenance_t again = {"rtcascade run test.yaml --resume", NULL, NULL};
    CHECK_OK(rc_results_open_resume(path, fx->ex, &again, &r));
    CHECK_EQ_U64(rc_results_points_done(r), 3);
    for (size_t p = 0; p < 8; p++)
        CHECK(rc_results_point_done(r, p) == (p < 3));
    CHECK(!rc_results_point_done(r, 99));
    /* a second writer is refused while this one holds the file */
    rc_results_t *r2 = NULL;
    CHECK_FAILS(rc_results_open_resume(path, fx->ex, &prov, &r2), RC_ERR_IO, "another");
    CHECK_FAILS(rc_results_create(path, fx->ex, &prov, 1, &r2), RC_ERR_IO, "another");
    write_points(r, fx, 3, 8);
    CHECK_OK(rc_results_close(r));
    CHECK(!exists(jpath));
    check_complete_file(path, fx);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    char *s = NULL;
    CHECK_OK(rc_h5_read_str(f, "resumed", &s, path));
    CHECK(s && strstr(s, "--resume") != NULL);
    free(s);
    CHECK_OK(rc_h5_read_str(f, "command_line", &s, path)); /* the original is kept */
    CHECK(s && strcmp(s, prov.command_line) == 0);
    free(s);
    H5Fclose(f);

    /* --resume with nothing there starts a new file */
    char *fresh = cat(dir, "/fresh.h5");
    CHECK_OK(rc_results_open_resume(fresh, fx->ex, &prov, &r));
    CHECK(strstr(rc_results_note(r), "new") != NULL);
    write_points(r, fx, 0, 8);
    CHECK_OK(rc_results_close(r));
    CHECK(runs_match_fixture(fresh, fx));
    free(fresh);
    free(path);
    free(jpath);
}

static void test_unwritable(const fixture_t *fx, const char *dir)
{
    rc_results_t *r = NULL;
    CHECK_FAILS(rc_results_create("/etc/passwd/x.h5", fx->ex, &prov, 0, &r), RC_ERR_IO,
                "/etc/passwd/x.h5");
    CHECK_FAILS(rc_results_create("/proc/rc_results_test.h5", fx->ex, &prov, 0, &r), RC_ERR_IO,
                "/proc/rc_results_test.h5");
    CHECK_FAILS(rc_results_create(dir, fx->ex, &prov, 1, &r), RC_ERR_IO, "folder");
    CHECK(r == NULL);
}

/* A write that would pass the file size limit (as a full disk would) is refused before
 * anything is written, with a one-line error; the file keeps its points and resumes. */
static void test_file_limit(const fixture_t *fx, const char *dir)
{
    char *path = cat(dir, "/limited.h5");
    pid_t pid = fork();
    if (pid == 0) {
        rc_results_t *r = NULL;
        struct stat sb;
        if (rc_results_create(path, fx->ex, &prov, 0, &r) != RC_OK ||
            rc_results_write_network(r, 0, fx->g, &fx->st) != RC_OK ||
            rc_results_write_point(r, fx->res[0]) != RC_OK ||
            rc_results_write_point(r, fx->res[1]) != RC_OK || stat(path, &sb) != 0)
            _exit(2);
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit lim = {(rlim_t)sb.st_size + 4096, (rlim_t)sb.st_size + 4096};
        if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
            _exit(3);
        rc_status_t s = rc_results_write_point(r, fx->res[2]);
        const char *msg = rc_error_message();
        int ok = s == RC_ERR_IO && strstr(msg, path) && strstr(msg, "file size limit") &&
                 strchr(msg, '\n') == NULL;
        if (!ok)
            fprintf(stderr, "file limit: status %d '%s'\n", (int)s, msg);
        rc_results_close(r);
        _exit(ok ? 0 : 4);
    }
    int wst = 0;
    waitpid(pid, &wst, 0);
    CHECK(WIFEXITED(wst) && WEXITSTATUS(wst) == 0);
    rc_results_t *r = NULL;
    CHECK_OK(rc_results_open_resume(path, fx->ex, &prov, &r));
    CHECK_EQ_U64(rc_results_points_done(r), 2);
    for (size_t p = 2; p < 8 && r; p++)
        CHECK_OK(rc_results_write_point(r, fx->res[p]));
    CHECK_OK(rc_results_close(r));
    check_complete_file(path, fx);
    free(path);
}

static void corrupt(const char *path, long offset, size_t len)
{
    FILE *f = fopen(path, "r+b");
    if (f == NULL)
        return;
    fseek(f, offset, offset < 0 ? SEEK_END : SEEK_SET);
    for (size_t i = 0; i < len; i++)
        fputc((int)(0xA5 ^ i), f);
    fclose(f);
}

/* Appends n rows whose only written column is point = p (the others keep the fill value, as
 * after a kill between extending a table and writing all of its row). */
static void append_point_only(hid_t f, const char *name, hsize_t n, uint64_t p)
{
    uint64_t *pts = malloc(n * sizeof *pts);
    for (hsize_t i = 0; i < n; i++)
        pts[i] = p;
    hid_t d = H5Dopen2(f, name, H5P_DEFAULT), sp = H5Dget_space(d);
    hsize_t dims[1], cnt[1] = {n};
    H5Sget_simple_extent_dims(sp, dims, NULL);
    H5Sclose(sp);
    hsize_t nd[1] = {dims[0] + n};
    CHECK(H5Dset_extent(d, nd) >= 0);
    sp = H5Dget_space(d);
    H5Sselect_hyperslab(sp, H5S_SELECT_SET, dims, NULL, cnt, NULL);
    hid_t ms = H5Screate_simple(1, cnt, NULL);
    hid_t mt = H5Tcreate(H5T_COMPOUND, sizeof(uint64_t));
    H5Tinsert(mt, "point", 0, H5T_NATIVE_UINT64);
    CHECK(H5Dwrite(d, mt, ms, sp, H5P_DEFAULT, pts) >= 0);
    H5Tclose(mt);
    H5Sclose(ms);
    H5Sclose(sp);
    H5Dclose(d);
    free(pts);
}

/* Writes 4 points, damages the file (how), resumes, finishes; must equal the fixture. */
static void crash_case(const fixture_t *fx, const char *dir, const char *name, int how,
                       const char *expect_note)
{
    char *path = cat(dir, name);
    char *jpath = cat(path, ".journal");
    rc_results_t *r = NULL;
    CHECK_OK(rc_results_create(path, fx->ex, &prov, 0, &r));
    write_points(r, fx, 0, 4);
    CHECK_OK(rc_results_close(r));
    struct stat sb;
    stat(path, &sb);
    switch (how) {
    case 0: /* truncated to half */
        CHECK(truncate(path, sb.st_size / 2) == 0);
        break;
    case 1: /* garbage over the middle (metadata or data) */
        corrupt(path, (long)sb.st_size / 3, 4096);
        break;
    case 2: /* gone */
        unlink(path);
        break;
    case 3: /* garbage over the superblock */
        corrupt(path, 0, 64);
        break;
    case 4: { /* a torn journal tail: a kill during a journal append */
        int fd = open(jpath, O_WRONLY | O_APPEND);
        CHECK(fd >= 0 && write(fd, "RCJ1\003\0\0\0garbage", 15) == 15);
        close(fd);
        break;
    }
    case 5:   /* killed inside an append: point 4's rows written, its status not flipped */
    case 7: { /* ... or /summary extended but its row not written (zeros: point 0 again) */
        hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
        append_point_only(f, "runs", 100, 4);
        append_point_only(f, "summary", 1, how == 5 ? 4 : 0);
        append_point_only(f, "curves/generations", 3, 4);
        H5Fclose(f);
        break;
    }
    case 6: /* point 4 is done in the journal, not in the file (killed before its status
               flip): cut and replayed from the journal */
        break;
    }
    if (how == 6) {
        CHECK_OK(rc_results_open_resume(path, fx->ex, &prov, &r));
        CHECK_OK(rc_results_write_point(r, fx->res[4]));
        CHECK_OK(rc_results_close(r));
        /* undo point 4's status flip in the HDF5 file: its rows are there, it is not done */
        hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
        hid_t mt = H5Tcreate(H5T_COMPOUND, 1);
        H5Tinsert(mt, "status", 0, H5T_NATIVE_UINT8);
        hid_t d = H5Dopen2(f, "points", H5P_DEFAULT), sp = H5Dget_space(d);
        hsize_t st[1] = {4}, cnt[1] = {1};
        H5Sselect_hyperslab(sp, H5S_SELECT_SET, st, NULL, cnt, NULL);
        hid_t ms = H5Screate_simple(1, cnt, NULL);
        uint8_t zero = 0;
        CHECK(H5Dwrite(d, mt, ms, sp, H5P_DEFAULT, &zero) >= 0);
        H5Sclose(ms);
        H5Sclose(sp);
        H5Dclose(d);
        H5Tclose(mt);
        H5Fclose(f);
    }
    CHECK_OK(rc_results_open_resume(path, fx->ex, &prov, &r));
    CHECK(r != NULL);
    if (r == NULL)
        goto out;
    if (strstr(rc_results_note(r), expect_note) == NULL)
        fprintf(stderr, "%s: note '%s', expected '%s'\n", name, rc_results_note(r), expect_note);
    CHECK(strstr(rc_results_note(r), expect_note) != NULL);
    size_t expect_done = how == 6 ? 5 : 4;
    CHECK_EQ_U64(rc_results_points_done(r), expect_done);
    for (size_t p = expect_done; p < 8; p++)
        CHECK_OK(rc_results_write_point(r, fx->res[p]));
    CHECK_OK(rc_results_close(r));
    CHECK(!exists(jpath));
    check_complete_file(path, fx);
out:
    free(path);
    free(jpath);
}

static void test_crashes(const fixture_t *fx, const char *dir)
{
    /* a temporary file left by a writer killed while building the file is cleared */
    char *stale = cat(dir, "/trunc.h5.tmp.12345");
    FILE *sf = fopen(stale, "w");
    if (sf)
        fclose(sf);
    crash_case(fx, dir, "/trunc.h5", 0, "rebuilt");
    CHECK(!exists(stale));
    free(stale);
    crash_case(fx, dir, "/garbage.h5", 1, "4 of 8");
    crash_case(fx, dir, "/gone.h5", 2, "rebuilt");
    crash_case(fx, dir, "/super.h5", 3, "rebuilt");
    crash_case(fx, dir, "/torn.h5", 4, "4 of 8");
    crash_case(fx, dir, "/partial.h5", 5, "cut the rows");
    crash_case(fx, dir, "/journal_only.h5", 6, "journal's points");
    crash_case(fx, dir, "/zeros.h5", 7, "rebuilt");

    /* damaged and no journal: a clear error, the file left alone */
    char *path = cat(dir, "/nojournal.h5");
    char *jpath = cat(path, ".journal");
    rc_results_t *r = NULL;
    CHECK_OK(rc_results_create(path, fx->ex, &prov, 0, &r));
    write_points(r, fx, 0, 2);
    CHECK_OK(rc_results_close(r));
    unlink(jpath);
    corrupt(path, 0, 64);
    CHECK_FAILS(rc_results_open_resume(path, fx->ex, &prov, &r), RC_ERR_INPUT, "--force");
    CHECK(exists(path) && !exists(jpath));
    /* a valid partial file without its journal still resumes (a new journal is started) */
    CHECK_OK(rc_results_create(path, fx->ex, &prov, 1, &r));
    write_points(r, fx, 0, 2);
    CHECK_OK(rc_results_close(r));
    unlink(jpath);
    CHECK_OK(rc_results_open_resume(path, fx->ex, &prov, &r));
    CHECK_EQ_U64(rc_results_points_done(r), 2);
    for (size_t p = 2; p < 8; p++)
        CHECK_OK(rc_results_write_point(r, fx->res[p]));
    CHECK_OK(rc_results_close(r));
    check_complete_file(path, fx);
    /* a foreign HDF5 file is never overwritten by a resume */
    char *graph = cat(dir, "/graph.h5");
    CHECK_OK(rc_graph_save_h5(fx->g, graph, NULL));
    CHECK_FAILS(rc_results_open_resume(graph, fx->ex, &prov, &r), RC_ERR_INPUT,
                "not an rtcascade results file");
    free(graph);
    free(path);
    free(jpath);
}

/* Real kills: a child writes all points over and over into fresh files while the parent
 * kill -9's it at staggered moments; every survivor must resume to the uninterrupted file. */
static pid_t spawn_writer(const fixture_t *fx, const char *path)
{
    pid_t pid = fork();
    if (pid == 0) {
        /* GNU OpenMP is not fork-safe: the child must not start a parallel region, so the
         * network's statistics come precomputed */
        rc_results_t *r = NULL;
        if (rc_results_create(path, fx->ex, &prov, 0, &r) != RC_OK ||
            rc_results_write_network(r, 0, fx->g, &fx->st) != RC_OK)
            _exit(2);
        for (size_t p = 0; p < fx->ex->n_points; p++)
            if (rc_results_write_point(r, fx->res[p]) != RC_OK)
                _exit(3);
        _exit(rc_results_close(r) == RC_OK ? 0 : 4);
    }
    return pid;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Real kills: a child writes all points into a fresh file while the parent kill -9's it at
 * staggered moments over the time a whole write takes; every survivor must resume to the
 * uninterrupted file. */
static void test_kill9(const fixture_t *fx, const char *dir)
{
    char *path = cat(dir, "/killed.h5");
    char *jpath = cat(path, ".journal");
    int rounds = 0, recovered = 0, partial = 0;
    /* how long an uninterrupted writer takes */
    unlink(path);
    double t0 = now_ms();
    pid_t pid = spawn_writer(fx, path);
    int wst = 0;
    waitpid(pid, &wst, 0);
    double total = now_ms() - t0;
    CHECK(WIFEXITED(wst) && WEXITSTATUS(wst) == 0);
    CHECK(runs_match_fixture(path, fx));
    const int n_rounds = 30;
    for (int round = 0; round < n_rounds; round++) {
        unlink(path);
        unlink(jpath);
        pid = spawn_writer(fx, path);
        double delay = total * (round + 0.5) / n_rounds;
        struct timespec ts = {(time_t)(delay / 1e3), (long)(fmod(delay, 1e3) * 1e6)};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        waitpid(pid, &wst, 0);
        rounds++;
        rc_results_t *r = NULL;
        rc_status_t s = rc_results_open_resume(path, fx->ex, &prov, &r);
        CHECK_OK(s);
        if (s != RC_OK)
            continue;
        uint64_t done = rc_results_points_done(r);
        partial += done > 0 && done < fx->ex->n_points;
        if (getenv("RC_TEST_VERBOSE"))
            printf("kill after %.1f of %.1f ms: %s\n", delay, total, rc_results_note(r));
        CHECK_OK(rc_results_write_network(r, 0, fx->g, NULL));
        for (size_t p = 0; p < fx->ex->n_points; p++)
            if (!rc_results_point_done(r, p))
                CHECK_OK(rc_results_write_point(r, fx->res[p]));
        CHECK_OK(rc_results_close(r));
        int ok = runs_match_fixture(path, fx);
        CHECK(ok);
        recovered += ok;
    }
    printf("kill -9: %d of %d rounds resumed to the uninterrupted file (%d killed between the "
           "first and the last point; a whole write takes %.1f ms)\n",
           recovered, rounds, partial, total);
    CHECK(partial >= 3); /* the kills did land mid-run (timing varies; 3 is ample margin) */
    free(path);
    free(jpath);
}

/* Sample files for the Python test: complete, and 3 of 8 points done. */
static int write_samples(const char *path)
{
    fixture_t fx;
    fixture_init(&fx, config_yaml);
    rc_results_t *r = NULL;
    char *partial = cat(path, ".partial.h5");
    char *pj = cat(partial, ".journal");
    unlink(path);
    unlink(partial);
    unlink(pj);
    int ok = rc_results_create(path, fx.ex, &prov, 1, &r) == RC_OK;
    ok = ok && rc_results_write_network(r, 0, fx.g, NULL) == RC_OK;
    for (size_t p = 0; ok && p < fx.ex->n_points; p++)
        ok = rc_results_write_point(r, fx.res[p]) == RC_OK;
    ok = ok && rc_results_close(r) == RC_OK;
    r = NULL;
    ok = ok && rc_results_create(partial, fx.ex, &prov, 1, &r) == RC_OK;
    ok = ok && rc_results_write_network(r, 0, fx.g, NULL) == RC_OK;
    for (size_t p = 0; ok && p < 3; p++)
        ok = rc_results_write_point(r, fx.res[p]) == RC_OK;
    ok = ok && rc_results_close(r) == RC_OK;
    if (!ok)
        fprintf(stderr, "sample: %s\n", rc_error_message());
    free(partial);
    free(pj);
    fixture_free(&fx);
    return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return write_samples(argv[1]);
    char dir[] = "/tmp/rc_results_test_XXXXXX";
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    fixture_t fx;
    fixture_init(&fx, config_yaml);
    CHECK_EQ_U64(fx.ex->n_points, 8);
    CHECK_EQ_U64(fx.ex->n_networks, 1);
    test_write_and_read(&fx, dir);
    test_resume(&fx, dir);
    test_unwritable(&fx, dir);
    test_file_limit(&fx, dir);
    test_crashes(&fx, dir);
    test_kill9(&fx, dir);
    test_timed(&fx, dir); /* last: it turns point 5 into a timed result */
    fixture_free(&fx);
    if (rc_test_failures == 0) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", dir);
    } else {
        fprintf(stderr, "files kept in %s\n", dir);
    }
    return rc_test_report("test_results_h5");
}
