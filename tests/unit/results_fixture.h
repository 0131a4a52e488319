/* The fixture of the results-file tests (test_results_h5.c, test_results_crash.c): a small
 * sweep of 8 points run once on its network, written whole or in part, and the checks that a
 * file holds exactly the fixture's results. */
#ifndef RC_TEST_RESULTS_FIXTURE_H
#define RC_TEST_RESULTS_FIXTURE_H

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

static inline rc_experiment_t *make_experiment(const char *yaml)
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
static inline void fixture_init(fixture_t *fx, const char *yaml)
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

static inline void fixture_free(fixture_t *fx)
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
static inline void write_points(rc_results_t *r, const fixture_t *fx, size_t from, size_t to)
{
    CHECK_OK(rc_results_write_network(r, 0, fx->g, NULL));
    for (size_t p = from; p < to; p++)
        CHECK_OK(rc_results_write_point(r, fx->res[p]));
}

static inline int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static inline char *cat(const char *a, const char *b)
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

static inline int read_runs(const char *path, runs_cols_t *c)
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

static inline void free_runs(runs_cols_t *c)
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
static inline int runs_match_fixture(const char *path, const fixture_t *fx)
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

/* The root attributes and /points of a complete file. */
static inline void check_head_and_points(hid_t f, const char *path, const fixture_t *fx)
{
    const rc_experiment_t *ex = fx->ex;
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
}

/* /summary and /curves of a complete file against the fixture's results. */
static inline void check_summary_and_curves(hid_t f, const char *path, const fixture_t *fx)
{
    uint64_t v = 0, n = 0;
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
}

/* Reads a whole file's tables and checks them against the fixture. */
static inline void check_complete_file(const char *path, const fixture_t *fx)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    CHECK(f >= 0);
    if (f < 0)
        return;
    check_head_and_points(f, path, fx);
    CHECK(runs_match_fixture(path, fx));
    check_summary_and_curves(f, path, fx);

    /* /networks */
    uint64_t n = 0, *nid = NULL, *nodes = NULL;
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

static inline rc_experiment_t *variant(const char *from, const char *to)
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

#endif
