/* rc_point_parse + rc_run_point (what the Python API's simulate calls) against the runner: the
 * same point text on the experiment's own graph gives the very runs that rc_run_experiment
 * hands to a memory sink, for seeds and for an audience; bad points are refused with the
 * config's messages; the cancel flag stops a call; a recorder is passed to the engine. */
#include "engine_fixtures.h"
#include "rc_test.h"
#include "rtcascade/events.h"
#include "rtcascade/experiment.h"
#include "rtcascade/graph_h5.h"
#include "rtcascade/runner.h"

#include <string.h>

static const char *const EXPERIMENT =
    "name: point_test\n"
    "seed: 17\n"
    "runs: 250\n"
    "network: {generator: erdos_renyi, nodes: 2000, mean_degree: 4}\n"
    "model: {name: independent_cascade, p: 0.1}\n"
    "max_size: 300\n"
    "scenarios:\n"
    "  seeds: {seeds: {strategy: random, count: 2}}\n"
    "  audience: {audience: {size: 50, pick: top_followers, engagement: 0.3}}\n"
    "sweep:\n"
    "  model.p: [0.1, 0.3]\n";

/* The runs of point `index` through rc_run_point, from `text`. */
static rc_mc_results_t *point_runs(const rc_graph_t *g, const char *text, uint64_t index,
                                   int threads)
{
    rc_cfg_t *root = NULL;
    rc_point_t *pt = NULL;
    rc_mc_results_t *res = NULL;
    CHECK_OK(rc_cfg_parse_string(text, "<point>", &root));
    CHECK_OK(rc_point_parse(root, index, &pt));
    rc_run_options_t opt = rc_run_default_options();
    opt.threads = threads;
    CHECK_OK(rc_run_point(pt, g, 250, 17, &opt, NULL, NULL, &res));
    rc_point_free(pt);
    rc_cfg_free(root);
    return res;
}

static int same_runs(const rc_mc_results_t *a, const rc_mc_results_t *b)
{
    if (a == NULL || b == NULL || a->runs != b->runs)
        return 0;
    size_t n = a->runs;
    return memcmp(a->size, b->size, n * sizeof *a->size) == 0 &&
           memcmp(a->reach, b->reach, n * sizeof *a->reach) == 0 &&
           memcmp(a->virality, b->virality, n * sizeof *a->virality) == 0 &&
           memcmp(a->capped, b->capped, n * sizeof *a->capped) == 0 &&
           a->audience == b->audience && a->seeds == b->seeds;
}

static void test_same_as_experiment(void)
{
    rc_experiment_t *ex = NULL;
    rc_sink_t *sink = NULL;
    rc_graph_t *g = NULL;
    CHECK_OK(rc_experiment_load_string(EXPERIMENT, "point_test", NULL, NULL, 0, &ex));
    CHECK_OK(rc_sink_memory_new(ex, &sink));
    CHECK_OK(rc_run_experiment(ex, NULL, sink, NULL, NULL));
    CHECK_OK(rc_network_load(&ex->networks[0], NULL, &g));
    rc_mc_results_t *a = point_runs(
        g, "{model: {name: independent_cascade, p: 0.3}, seeds: {strategy: random, count: 2},"
           " max_size: 300}", 1, 2);
    CHECK(same_runs(a, rc_sink_memory_get(sink, 1)));
    rc_mc_results_t *b = point_runs(
        g, "{model: {name: independent_cascade, p: 0.1}, max_size: 300,"
           " audience: {size: 50, pick: top_followers, engagement: 0.3}}", 2, 1);
    CHECK(same_runs(b, rc_sink_memory_get(sink, 2)));
    CHECK(b != NULL && b->audience == 50);
    /* Another point index draws other runs. */
    rc_mc_results_t *c = point_runs(
        g, "{model: {name: independent_cascade, p: 0.3}, seeds: {strategy: random, count: 2},"
           " max_size: 300}", 0, 1);
    CHECK(!same_runs(c, rc_sink_memory_get(sink, 1)));
    rc_mc_results_free(a);
    rc_mc_results_free(b);
    rc_mc_results_free(c);
    rc_graph_free(g);
    CHECK_OK(rc_sink_close(sink));
    rc_experiment_free(ex);
}

static rc_status_t parse_point(const char *text, rc_point_t **pt)
{
    rc_cfg_t *root = NULL;
    rc_status_t st = rc_cfg_parse_string(text, "simulate", &root);
    if (st == RC_OK)
        st = rc_point_parse(root, 0, pt);
    rc_cfg_free(root);
    return st;
}

static void test_refusals_cancel_recorder(void)
{
    rc_point_t *pt = NULL;
    CHECK_FAILS(parse_point("{modle: {name: independent_cascade}}", &pt), RC_ERR_CONFIG,
                "did you mean 'model'");
    CHECK_FAILS(parse_point("{seeds: {count: 2}}", &pt), RC_ERR_CONFIG,
                "missing required key 'model'");
    CHECK_FAILS(parse_point("model:\n  name: independent_cascade\n  p: 1.5\n", &pt),
                RC_ERR_CONFIG, "simulate:3:6: model.p:");
    CHECK_FAILS(parse_point("[1, 2]", &pt), RC_ERR_CONFIG, "a point must be a map");
    CHECK(pt == NULL);

    rc_graph_t *g = fx_star(20);
    rc_mc_results_t *res = NULL;
    CHECK_OK(parse_point("{model: {name: independent_cascade, p: 1}, "
                         "seeds: {strategy: list, nodes: [25]}}", &pt));
    CHECK_FAILS(rc_run_point(pt, g, 10, 1, NULL, NULL, NULL, &res), RC_ERR_CONFIG,
                "seeds.nodes: node 25 does not exist");
    rc_point_free(pt);

    CHECK_OK(parse_point("{model: {name: independent_cascade, p: 1}, "
                         "seeds: {strategy: list, nodes: [0]}}", &pt));
    int stop = 1;
    rc_run_hooks_t hooks = {.ctx = &stop, .cancel = rc_run_flag_cancel};
    CHECK_FAILS(rc_run_point(pt, g, 10, 1, NULL, &hooks, NULL, &res), RC_ERR_INTERRUPTED,
                "stopped before its 10 runs were done");
    CHECK(res == NULL && rc_run_flag_cancel(NULL) == 0);
    stop = 0;
    rc_events_t *ev = NULL;
    CHECK_OK(rc_events_new(0, 10, &ev));
    rc_mc_recorder_t rec = rc_events_recorder(ev);
    CHECK_OK(rc_run_point(pt, g, 10, 1, NULL, &hooks, &rec, &res));
    CHECK_OK(rc_events_finish(ev));
    CHECK(res != NULL && res->size[0] == 20 && ev->count == 200 && ev->node[0] == 0);
    rc_events_free(ev);
    rc_mc_results_free(res);
    rc_point_free(pt);
    rc_graph_free(g);
}

int main(void)
{
    test_same_as_experiment();
    test_refusals_cancel_recorder();
    return rc_test_report("test_run_point");
}
