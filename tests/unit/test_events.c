/* Events (rc_mc_options_t.recorder and the rc_events collector): recording never changes a
 * result; every run's recorded tree agrees with its metrics (size, retweets, depth, breadth,
 * structural virality recomputed from the parents, final time); parents are earlier adopters
 * that the adopter follows; the collection is the same on 1 and 3 threads; audience scenarios
 * number the first hop 1; a failing recorder fails the call naming its run. */
#include "engine_fixtures.h"
#include "rc_test.h"
#include "rtcascade/events.h"

#include <stdlib.h>
#include <string.h>

#define SAME_ARRAY(a, b, field)                                                                    \
    CHECK(((a)->field == NULL && (b)->field == NULL) ||                                            \
          memcmp((a)->field, (b)->field, (a)->runs * sizeof *(a)->field) == 0)

static rc_mc_results_t *run(const rc_graph_t *g, const char *model, const char *seeds,
                            const rc_audience_spec_t *aud, int threads, rc_events_t *ev)
{
    const rc_model_t *m = NULL;
    void *params = NULL;
    fx_model(model, &m, &params);
    rc_seed_spec_t spec;
    rc_seeds_default(&spec);
    if (seeds != NULL)
        CHECK_OK(fx_seeds(seeds, &spec));
    rc_mc_options_t opt = rc_mc_default_options();
    opt.threads = threads;
    opt.chunk = 3;
    opt.audience = aud;
    rc_mc_recorder_t rec;
    if (ev != NULL) {
        rec = rc_events_recorder(ev);
        opt.recorder = &rec;
    }
    rc_mc_results_t *res = NULL;
    CHECK_OK(rc_mc_run(g, m, params, aud ? NULL : &spec, ev ? ev->runs : 300, 99, 4, &opt, &res));
    if (ev != NULL)
        CHECK_OK(rc_events_finish(ev));
    rc_seeds_clear(&spec);
    rc_model_params_free(m, params);
    return res;
}

static void check_same_results(const rc_mc_results_t *a, const rc_mc_results_t *b)
{
    CHECK(a->runs == b->runs);
    SAME_ARRAY(a, b, size);
    SAME_ARRAY(a, b, reach);
    SAME_ARRAY(a, b, depth);
    SAME_ARRAY(a, b, virality);
    SAME_ARRAY(a, b, final_time);
    SAME_ARRAY(a, b, edges);
    CHECK(memcmp(a->summary, b->summary, sizeof a->summary) == 0);
}

/* Structural virality of run i's tree from its parents alone: sum over tree edges of
 * s (N - s) / C(N, 2), with a virtual root over several seeds or an audience's first hop. */
static double tree_virality(const rc_events_t *ev, uint64_t i)
{
    const uint64_t at = ev->offset[i], n = ev->offset[i + 1] - at;
    uint64_t roots = 0;
    for (uint64_t k = 0; k < n; k++)
        roots += ev->parent[at + k] == RC_NO_PARENT;
    const int virtual_root = ev->rooted || roots > 1;
    const uint64_t nn = n + (virtual_root ? 1 : 0);
    if (nn < 2)
        return 0.0;
    uint64_t *sub = calloc(n + 1, sizeof *sub);
    double total = 0.0;
    for (uint64_t k = n; k-- > 0;) {
        sub[k] += 1;
        uint32_t p = ev->parent[at + k];
        if (p != RC_NO_PARENT)
            sub[p] += sub[k];
        if (p != RC_NO_PARENT || virtual_root)
            total += (double)sub[k] * (double)(nn - sub[k]);
    }
    free(sub);
    return total / ((double)nn * (double)(nn - 1) / 2.0);
}

/* Each run's tree against its metrics, and against the graph (a parent is followed). */
static void check_trees(const rc_graph_t *g, const rc_events_t *ev, const rc_mc_results_t *res,
                        int follows)
{
    for (uint64_t i = 0; i < ev->runs; i++) {
        const uint64_t at = ev->offset[i], n = ev->offset[i + 1] - at;
        CHECK_EQ_U64(n, res->size[i]);
        uint32_t depth = 0, seeds = 0, *per_gen = calloc(n + 2, sizeof *per_gen);
        double last = 0.0;
        for (uint64_t k = 0; k < n; k++) {
            uint32_t p = ev->parent[at + k], gen = ev->generation[at + k];
            if (p == RC_NO_PARENT) {
                seeds++;
                CHECK(gen == (ev->rooted ? 1u : 0u));
            } else {
                CHECK(p < k && gen == ev->generation[at + p] + 1);
                uint32_t u = ev->node[at + p], v = ev->node[at + k];
                int edge = 0;
                for (uint64_t e = g->out_off[u]; e < g->out_off[u + 1]; e++)
                    edge |= g->out_nbr[e] == v;
                CHECK(edge || !follows);
            }
            depth = gen > depth ? gen : depth;
            per_gen[gen]++;
            if (ev->time != NULL && ev->time[at + k] > last)
                last = ev->time[at + k];
        }
        uint32_t breadth = 0;
        for (uint32_t k = 1; k <= depth; k++)
            breadth = per_gen[k] > breadth ? per_gen[k] : breadth;
        free(per_gen);
        CHECK_EQ_U64(depth, res->depth[i]);
        CHECK_EQ_U64(breadth, res->max_breadth[i]);
        CHECK_EQ_U64(ev->rooted ? n : n - seeds, res->retweets[i]);
        CHECK_NEAR(tree_virality(ev, i), res->virality[i], 1e-9 * (1 + res->virality[i]));
        if (ev->time != NULL && n > 0)
            CHECK(last == res->final_time[i]);
    }
}

static void test_seeds_and_threads(void)
{
    rc_graph_t *g = fx_random(3000, 12000, 5); /* z = 4, p = 0.3: supercritical */
    const char *ic = "{name: independent_cascade, p: 0.3}";
    rc_mc_results_t *plain = run(g, ic, "{strategy: random, count: 2}", NULL, 2, NULL);
    rc_events_t *e1 = NULL, *e3 = NULL;
    CHECK_OK(rc_events_new(0, 300, &e1));
    CHECK_OK(rc_events_new(0, 300, &e3));
    rc_mc_results_t *one = run(g, ic, "{strategy: random, count: 2}", NULL, 1, e1);
    rc_mc_results_t *three = run(g, ic, "{strategy: random, count: 2}", NULL, 3, e3);
    check_same_results(plain, one);
    check_same_results(plain, three);
    CHECK(!e1->timed && !e1->rooted && e1->time == NULL);
    CHECK_EQ_U64(e1->count, plain->total_adoptions);
    CHECK(e1->count == e3->count &&
          memcmp(e1->offset, e3->offset, (e1->runs + 1) * sizeof *e1->offset) == 0 &&
          memcmp(e1->node, e3->node, e1->count * sizeof *e1->node) == 0 &&
          memcmp(e1->parent, e3->parent, e1->count * sizeof *e1->parent) == 0);
    check_trees(g, e1, one, 1);
    rc_events_free(e1);
    rc_events_free(e3);
    rc_mc_results_free(plain);
    rc_mc_results_free(one);
    rc_mc_results_free(three);
    rc_graph_free(g);
}

static void test_timed_and_audience(void)
{
    rc_graph_t *g = fx_random(2000, 10000, 8);
    rc_events_t *ev = NULL;
    CHECK_OK(rc_events_new(0, 200, &ev));
    rc_mc_results_t *res = run(g, "{name: continuous_cascade, p: 0.25}", NULL, NULL, 2, ev);
    CHECK(ev->timed && ev->time != NULL);
    check_trees(g, ev, res, 1);
    rc_events_free(ev);
    rc_mc_results_free(res);

    rc_cfg_t *root = NULL;
    rc_audience_spec_t aud;
    CHECK_OK(rc_cfg_parse_string("{size: 300, pick: top_followers, engagement: 0.1}", "<test>",
                                 &root));
    CHECK_OK(rc_audience_parse(root, &aud));
    rc_cfg_free(root);
    CHECK_OK(rc_events_new(0, 200, &ev));
    res = run(g, "{name: independent_cascade, p: 0.2}", NULL, &aud, 2, ev);
    CHECK(ev->rooted && !ev->timed);
    CHECK_EQ_U64(ev->count, res->total_adoptions);
    check_trees(g, ev, res, 1);
    rc_events_free(ev);
    rc_mc_results_free(res);
    rc_graph_free(g);
}

static uint64_t failing_run = 0;
static rc_status_t fail_at_7(void *ctx, uint64_t run, const rc_cascade_t *c)
{
    (void)ctx;
    (void)c;
    if (run == 7) {
        failing_run = run;
        return rc_error(RC_ERR_NOMEM, "no room for run %llu", (unsigned long long)run);
    }
    return RC_OK;
}

static void test_failures(void)
{
    rc_graph_t *g = fx_star(50);
    const rc_model_t *m = NULL;
    void *params = NULL;
    fx_model("{name: independent_cascade, p: 1}", &m, &params);
    rc_seed_spec_t spec;
    rc_seeds_default(&spec);
    rc_mc_recorder_t rec = {fail_at_7, NULL};
    rc_mc_options_t opt = rc_mc_default_options();
    opt.recorder = &rec;
    opt.threads = 2;
    rc_mc_results_t *res = NULL;
    CHECK_FAILS(rc_mc_run(g, m, params, &spec, 20, 1, 0, &opt, &res), RC_ERR_NOMEM,
                "run 7 of point 0: no room for run 7");
    CHECK(res == NULL && failing_run == 7);

    /* A collector for other runs refuses them; one not fed every run cannot finish. */
    rc_events_t *ev = NULL;
    CHECK_FAILS(rc_events_new(0, 0, &ev), RC_ERR_ARGUMENT, "1 or more runs");
    CHECK_OK(rc_events_new(100, 10, &ev));
    rec = rc_events_recorder(ev);
    opt.first_run = 95;
    CHECK_FAILS(rc_mc_run(g, m, params, &spec, 10, 1, 0, &opt, &res), RC_ERR_ARGUMENT,
                "run 95 is not one of runs 100..109");
    CHECK_FAILS(rc_events_finish(ev), RC_ERR_ARGUMENT, "run 100 was not recorded");
    rc_events_free(ev);
    rc_events_free(NULL);
    rc_model_params_free(m, params);
    rc_graph_free(g);
}

int main(void)
{
    test_seeds_and_threads();
    test_timed_and_audience();
    test_failures();
    return rc_test_report("test_events");
}
