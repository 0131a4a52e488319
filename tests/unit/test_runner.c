/* The experiment runner through its sink interface, with sinks in memory: the run order (points
 * grouped by network, each network built and recorded once, in order of first use), resuming
 * from a sink that holds some points (only the rest run, and the results equal an uninterrupted
 * run), cancellation in the middle of a point (it is dropped, the earlier ones are kept, and
 * resuming finishes the experiment exactly), errors from a model and from a network surfacing
 * with their messages after the points before them, and thread invariance, also of many short
 * points run at once. */
#include "rc_test.h"
#include "rtcascade/rtcascade.h"

#include <stdlib.h>
#include <string.h>

/* Two networks used by alternating scenarios, so run order differs from point order: points 0
 * and 2 (a) share network 0 with 4 and 6 (c), points 1, 3 (b) and 5, 7 (d) use network 1. */
static const char *const config =
    "name: runner\nseed: 3\nruns: 300\n"
    "model: {name: independent_cascade, p: 0.2}\n"
    "scenarios:\n"
    "  a: {network: {generator: erdos_renyi, nodes: 2000, mean_degree: 4}}\n"
    "  b: {network: {generator: chung_lu, nodes: 1500, mean_degree: 5}}\n"
    "  c: {network: {generator: erdos_renyi, nodes: 2000, mean_degree: 4},"
    " seeds: {count: 3}}\n"
    "  d: {network: {generator: chung_lu, nodes: 1500, mean_degree: 5},"
    " model: {p: 0.3}}\n"
    "sweep: {max_size: [0, 50]}\n";

static rc_experiment_t *experiment(const char *yaml)
{
    rc_experiment_t *ex = NULL;
    CHECK_OK(rc_experiment_load_string(yaml, "runner.yaml", NULL, NULL, 0, &ex));
    if (ex == NULL)
        exit(1);
    return ex;
}

/* ---- A sink that logs what it is told, in order ---- */

typedef struct log_sink {
    size_t networks[16], n_networks;
    uint64_t points[64];
    size_t n_points;
} log_sink_t;

static rc_status_t log_network(void *ctx, size_t id, const rc_graph_t *g)
{
    log_sink_t *s = ctx;
    (void)g;
    if (s->n_networks < 16)
        s->networks[s->n_networks++] = id;
    return RC_OK;
}

static rc_status_t log_point(void *ctx, rc_mc_results_t **res)
{
    log_sink_t *s = ctx;
    if (s->n_points < 64)
        s->points[s->n_points++] = (*res)->point;
    return RC_OK;
}

static rc_status_t log_close(void *ctx)
{
    (void)ctx;
    return RC_OK;
}

static const rc_sink_ops_t log_ops = {NULL, log_network, log_point, log_close, NULL, NULL, NULL};

/* ---- helpers ---- */

static int same_runs(const rc_mc_results_t *a, const rc_mc_results_t *b)
{
    if (a == NULL || b == NULL || a->runs != b->runs || a->point != b->point)
        return 0;
    size_t n = (size_t)a->runs;
    return memcmp(a->size, b->size, n * sizeof *a->size) == 0 &&
           memcmp(a->retweets, b->retweets, n * sizeof *a->retweets) == 0 &&
           memcmp(a->reach, b->reach, n * sizeof *a->reach) == 0 &&
           memcmp(a->depth, b->depth, n * sizeof *a->depth) == 0 &&
           memcmp(a->max_breadth, b->max_breadth, n * sizeof *a->max_breadth) == 0 &&
           memcmp(a->virality, b->virality, n * sizeof *a->virality) == 0 &&
           memcmp(a->capped, b->capped, n * sizeof *a->capped) == 0 &&
           memcmp(a->summary, b->summary, sizeof a->summary) == 0;
}

/* A copy of r (through the block codec, which copies every per-run value). */
static rc_mc_results_t *copy_of(const rc_mc_results_t *r)
{
    void *buf = NULL;
    size_t len = 0;
    rc_mc_results_t *c = NULL;
    CHECK_OK(rc_mc_results_pack(r, &buf, &len));
    CHECK_OK(rc_mc_results_unpack(buf, len, &c));
    if (c != NULL)
        CHECK_OK(rc_mc_summarize(c));
    free(buf);
    return c;
}

static rc_sink_t *run_all(const rc_experiment_t *ex, int threads)
{
    rc_sink_t *sink = NULL;
    rc_run_options_t opt = rc_run_default_options();
    opt.threads = threads;
    CHECK_OK(rc_sink_memory_new(ex, &sink));
    CHECK_OK(rc_run_experiment(ex, &opt, sink, NULL, NULL));
    return sink;
}

/* ---- tests ---- */

static void test_order_and_sharing(const rc_experiment_t *ex)
{
    log_sink_t log;
    memset(&log, 0, sizeof log);
    rc_sink_t sink = {&log_ops, &log, 0};
    rc_run_report_t rep;
    CHECK_OK(rc_run_experiment(ex, NULL, &sink, NULL, &rep));
    CHECK_EQ_U64(ex->n_points, 8);
    CHECK_EQ_U64(ex->n_networks, 2);
    /* Each network once, in order of first use, before its points. */
    CHECK_EQ_U64(log.n_networks, 2);
    CHECK(log.networks[0] == 0 && log.networks[1] == 1);
    static const uint64_t order[8] = {0, 1, 4, 5, 2, 3, 6, 7};
    CHECK_EQ_U64(log.n_points, 8);
    for (size_t i = 0; i < 8 && i < log.n_points; i++)
        CHECK_EQ_U64(log.points[i], order[i]);
    CHECK_EQ_U64(rep.points_run, 8);
    CHECK_EQ_U64(rep.points_earlier, 0);
    CHECK(!rep.interrupted);
    rc_run_report_clear(&rep);
}

/* A sink holding points 0, 1 and 4 (as a resumed file would) runs only the others. */
static void test_resume(const rc_experiment_t *ex, const rc_sink_t *full)
{
    rc_sink_t *part = NULL;
    CHECK_OK(rc_sink_memory_new(ex, &part));
    static const uint64_t earlier[] = {0, 1, 4};
    for (size_t i = 0; i < 3; i++) {
        rc_mc_results_t *c = copy_of(rc_sink_memory_get(full, earlier[i]));
        CHECK_OK(rc_sink_memory_put(part, &c));
        rc_mc_results_free(c);
    }
    rc_run_report_t rep;
    CHECK_OK(rc_run_experiment(ex, NULL, part, NULL, &rep));
    CHECK_EQ_U64(rep.points_earlier, 3);
    CHECK_EQ_U64(rep.points_run, 5);
    for (uint64_t p = 0; p < ex->n_points; p++)
        CHECK(same_runs(rc_sink_memory_get(part, p), rc_sink_memory_get(full, p)));
    rc_run_report_clear(&rep);
    CHECK_OK(rc_sink_close(part));
}

/* The cancel hook says stop from its k-th poll on (polled from any thread); the status hook
 * counts the points it is told of (the calling thread may run none of them: no count is due). */
typedef struct canceller {
    long polls, after;
    int begun;
} canceller_t;

static void count_points(void *ctx, const char *what)
{
    canceller_t *c = ctx;
    c->begun += strncmp(what, "building", 8) != 0;
}

static int cancel_after(void *ctx)
{
    canceller_t *c = ctx;
    long k;
#pragma omp atomic capture
    k = ++c->polls;
    return k >= c->after;
}

/* On one thread the stop lands at a fixed place, so some points are complete; on two, how many
 * are complete when it lands depends on how the threads were scheduled (a thread held up inside
 * the first point leaves none complete), so only what holds for any schedule is checked. */
static void test_cancel(const rc_experiment_t *ex, const rc_sink_t *full, int threads)
{
    rc_sink_t *sink = NULL;
    CHECK_OK(rc_sink_memory_new(ex, &sink));
    /* Polled before each point and each run: 3 points of 300 runs, then part of the 4th. */
    canceller_t c = {0, 3 * 302 + 150, 0};
    rc_run_hooks_t hooks = {.ctx = &c, .cancel = cancel_after, .status = count_points};
    rc_run_options_t opt = rc_run_default_options();
    opt.threads = threads;
    rc_run_report_t rep;
    CHECK_FAILS(rc_run_experiment(ex, &opt, sink, &hooks, &rep), RC_ERR_INTERRUPTED,
                "points are complete");
    CHECK(rep.interrupted);
    CHECK(rep.points_run < ex->n_points);
    if (threads == 1)
        CHECK(rep.points_run >= 1);
    size_t kept = 0;
    for (uint64_t p = 0; p < ex->n_points; p++) {
        const rc_mc_results_t *r = rc_sink_memory_get(sink, p);
        if (r != NULL) {
            kept++;
            CHECK(same_runs(r, rc_sink_memory_get(full, p)));
        }
    }
    CHECK_EQ_U64(kept, rep.points_run);
    /* What is kept is the run order's first points (0, 1, 4, 5, 2, ...): points finished after
     * an unfinished one are dropped with it, so the file's order rule holds. */
    static const uint64_t order[8] = {0, 1, 4, 5, 2, 3, 6, 7};
    for (size_t i = 0; i < 8; i++)
        CHECK((rc_sink_memory_get(sink, order[i]) != NULL) == (i < kept));
    rc_run_report_clear(&rep);
    /* Resuming from what was kept finishes the experiment exactly. */
    CHECK_OK(rc_run_experiment(ex, NULL, sink, NULL, &rep));
    CHECK_EQ_U64(rep.points_earlier, kept);
    for (uint64_t p = 0; p < ex->n_points; p++)
        CHECK(same_runs(rc_sink_memory_get(sink, p), rc_sink_memory_get(full, p)));
    rc_run_report_clear(&rep);
    CHECK_OK(rc_sink_close(sink));
}

/* Many short points on one network, run at once in blocks of 4 runs on 1, 2 and 3 threads:
 * the same results, handed to the sink in point order. */
static void test_many_points(void)
{
    rc_experiment_t *ex = experiment(
        "seed: 5\nruns: 37\nmodel: {name: independent_cascade, p: 0.2}\n"
        "network: {generator: erdos_renyi, nodes: 3000, mean_degree: 5}\n"
        "scenarios:\n  one: {}\n  aud: {audience: {size: 30, pick: random, engagement: 0.2}}\n"
        "sweep: {model.p: {from: 0.05, to: 0.3, num: 20}}\n");
    rc_sink_t *ref = NULL;
    for (int threads = 1; threads <= 3; threads++) {
        log_sink_t log;
        memset(&log, 0, sizeof log);
        rc_sink_t logger = {&log_ops, &log, 0}, *sink = NULL;
        rc_run_options_t opt = rc_run_default_options();
        opt.threads = threads;
        opt.chunk = 4;
        CHECK_OK(rc_run_experiment(ex, &opt, &logger, NULL, NULL));
        CHECK_EQ_U64(log.n_points, 40);
        for (size_t i = 0; i < log.n_points; i++)
            CHECK_EQ_U64(log.points[i], i);
        CHECK_OK(rc_sink_memory_new(ex, &sink));
        CHECK_OK(rc_run_experiment(ex, &opt, sink, NULL, NULL));
        for (uint64_t p = 0; ref != NULL && p < ex->n_points; p++)
            CHECK(same_runs(rc_sink_memory_get(sink, p), rc_sink_memory_get(ref, p)));
        if (ref == NULL)
            ref = sink;
        else
            CHECK_OK(rc_sink_close(sink));
    }
    CHECK_OK(rc_sink_close(ref));
    rc_experiment_free(ex);
}

/* A model's error (IC with edge weights on a graph without them) and a network's (a missing
 * file) come back with their messages; the points before them are in the sink. */
static void test_errors(void)
{
    rc_experiment_t *ex = experiment(
        "seed: 1\nruns: 50\nmodel: {name: independent_cascade, p: 0.1}\n"
        "network: {generator: star, nodes: 30}\n"
        "scenarios:\n  ok: {}\n  weighted: {model: {probability: weights, p: null}}\n");
    rc_sink_t *sink = NULL;
    CHECK_OK(rc_sink_memory_new(ex, &sink));
    CHECK_FAILS(rc_run_experiment(ex, NULL, sink, NULL, NULL), RC_ERR_CONFIG,
                "model.probability: weights needs a network with edge weights");
    CHECK(rc_sink_memory_get(sink, 0) != NULL && rc_sink_memory_get(sink, 1) == NULL);
    CHECK_OK(rc_sink_close(sink));
    rc_experiment_free(ex);

    ex = experiment("seed: 1\nruns: 10\nmodel: {name: independent_cascade}\n"
                    "network: {generator: file, path: /nonexistent/edges.txt, direction: flows}\n");
    CHECK_OK(rc_sink_memory_new(ex, &sink));
    CHECK_FAILS(rc_run_experiment(ex, NULL, sink, NULL, NULL), RC_ERR_IO,
                "/nonexistent/edges.txt: cannot open");
    CHECK_EQ_U64(rc_sink_memory_networks(sink), 0);
    CHECK_OK(rc_sink_close(sink));
    rc_experiment_free(ex);
    CHECK_FAILS(rc_run_experiment(ex = experiment(config), NULL, NULL, NULL, NULL),
                RC_ERR_ARGUMENT, "no sink");
    rc_experiment_free(ex);
}

int main(void)
{
    rc_experiment_t *ex = experiment(config);
    rc_sink_t *full = run_all(ex, 1);
    rc_sink_t *two = run_all(ex, 2);
    CHECK_EQ_U64(rc_sink_memory_networks(full), 2);
    for (uint64_t p = 0; p < ex->n_points; p++)
        CHECK(same_runs(rc_sink_memory_get(full, p), rc_sink_memory_get(two, p)));
    test_order_and_sharing(ex);
    test_resume(ex, full);
    test_cancel(ex, full, 1);
    test_cancel(ex, full, 2);
    test_errors();
    test_many_points();
    CHECK_OK(rc_sink_close(two));
    CHECK_OK(rc_sink_close(full));
    rc_experiment_free(ex);
    return rc_test_report("test_runner");
}
