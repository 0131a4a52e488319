/* Audience scenarios in the engine: every model in audience mode (engagement 0 leaves only the
 * audience shown the post; invariants of every run), the first hop of the independent cascade
 * against the Binomial, a 10^6-member celebrity audience, timed first hops, threshold models
 * with the author outside the network, and thread invariance. The audience map and its picks
 * are test_audience.c. */
#include "engine_fixtures.h"
#include "rc_test.h"
#include "rtcascade/specs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

static rc_status_t parse_audience(const char *yaml, rc_audience_spec_t *spec)
{
    rc_cfg_t *root = NULL;
    rc_status_t s = rc_cfg_parse_string(yaml, "<test>", &root);
    if (s == RC_OK)
        s = rc_audience_parse(root, spec);
    rc_cfg_free(root);
    return s;
}

static rc_audience_spec_t spec_of(const char *yaml)
{
    rc_audience_spec_t spec;
    if (parse_audience(yaml, &spec) != RC_OK) {
        fprintf(stderr, "audience '%s': %s\n", yaml, rc_error_message());
        exit(1);
    }
    return spec;
}

/* ---- the engine in audience mode ---- */

static const char *const all_models[] = {
    "{name: independent_cascade, p: 0.3}",
    "{name: independent_cascade, probability: weighted_cascade}",
    "{name: linear_threshold}",
    "{name: watts_threshold, phi: 0.15}",
    "{name: continuous_cascade, p: 0.2}",
    "{name: hawkes, followers: network, kappa: 0.1}",
    "{name: hawkes, max_size: 3000}",
};
#define N_MODELS (sizeof all_models / sizeof all_models[0])

static rc_mc_results_t *run_audience(const rc_graph_t *g, const char *model_yaml,
                                     const char *aud_yaml, uint64_t runs, uint64_t point,
                                     int threads)
{
    const rc_model_t *m = NULL;
    void *params = NULL;
    fx_model(model_yaml, &m, &params);
    rc_audience_spec_t spec = spec_of(aud_yaml);
    rc_mc_options_t opt = rc_mc_default_options();
    opt.threads = threads;
    opt.chunk = threads > 1 ? 3 : 16;
    opt.audience = &spec;
    rc_mc_results_t *res = NULL;
    rc_status_t st = rc_mc_run(g, m, params, NULL, runs, 2024, point, &opt, &res);
    if (st != RC_OK)
        fprintf(stderr, "%s with %s: %s\n", model_yaml, aud_yaml, rc_error_message());
    CHECK(st == RC_OK);
    rc_model_params_free(m, params);
    return res;
}

static void test_engagement_zero_every_model(void)
{
    rc_graph_t *g = fx_random(5000, 25000, 3);
    for (size_t i = 0; i < N_MODELS; i++) {
        rc_mc_results_t *res = run_audience(
            g, all_models[i], "{size: 700, pick: top_followers, engagement: 0}", 200, 0, 2);
        if (res == NULL)
            continue;
        int ok = res->audience == 700 && res->seeds == 0;
        for (uint64_t r = 0; r < res->runs; r++)
            ok &= res->reach[r] == 700 && res->retweets[r] == 0 && res->size[r] == 0 &&
                  res->depth[r] == 0 && res->max_breadth[r] == 0 && res->virality[r] == 0.0 &&
                  !res->global[r];
        if (!ok)
            fprintf(stderr, "engagement 0 with %s: reach %llu retweets %u\n", all_models[i],
                    (unsigned long long)res->reach[0], res->retweets[0]);
        CHECK(ok);
        CHECK(res->reach_per_member.count == 200 && res->reach_per_member.mean == 1.0 &&
              res->reach_per_member.max == 1.0);
        CHECK(res->gen_len == 1 && res->gen_total[0] == 0);
        rc_mc_results_free(res);
    }
    rc_graph_free(g);
}

/* With engagement > 0: invariants every model must keep, and cascades that do go beyond the
 * first hop somewhere. */
static void test_every_model_invariants(void)
{
    rc_graph_t *g = fx_random(5000, 25000, 3);
    for (size_t i = 0; i < N_MODELS; i++) {
        rc_mc_results_t *res = run_audience(
            g, all_models[i], "{size: 300, pick: random, engagement: 0.05}", 300, 1, 2);
        if (res == NULL)
            continue;
        int ok = 1;
        uint32_t deepest = 0;
        for (uint64_t r = 0; r < res->runs; r++) {
            ok &= res->reach[r] >= 300 && res->retweets[r] == res->size[r];
            ok &= (res->size[r] > 0) == (res->depth[r] > 0);
            ok &= res->max_breadth[r] <= res->size[r];
            if (res->depth[r] > deepest)
                deepest = res->depth[r];
        }
        CHECK(ok);
        CHECK(deepest >= 2); /* someone beyond the first hop, in some run */
        CHECK_NEAR(res->reach_per_member.mean, res->summary[RC_METRIC_REACH].mean / 300.0,
                   1e-9 * res->reach_per_member.mean);
        CHECK(res->gen_total[0] == 0);
        rc_mc_results_free(res);
    }
    rc_graph_free(g);
}

static void test_first_hop_ic(void)
{
    rc_graph_t *g = fx_random(4000, 16000, 41);
    /* Engagement 1, p = 0: every member reshares, and reach is the audience with its
     * followers. The audience is the point's: resolve it the same way to know it. */
    const char *aud = "{size: 500, pick: random, engagement: 1}";
    rc_mc_results_t *res = run_audience(g, "{name: independent_cascade, p: 0}", aud, 20, 6, 1);
    rc_audience_spec_t spec = spec_of(aud);
    rc_audience_t *a = NULL;
    CHECK_OK(rc_audience_resolve(&spec, g, 2024, 6, &a));
    char *seen = calloc(g->n, 1);
    uint64_t expect = 0;
    for (uint32_t i = 0; i < 500; i++) {
        uint32_t u = a->members[i];
        expect += !seen[u];
        seen[u] = 1;
        for (uint64_t e = g->out_off[u]; e < g->out_off[u + 1]; e++) {
            expect += !seen[g->out_nbr[e]];
            seen[g->out_nbr[e]] = 1;
        }
    }
    int ok = res != NULL;
    for (uint64_t r = 0; ok && r < res->runs; r++)
        ok &= res->retweets[r] == 500 && res->reach[r] == expect && res->depth[r] == 1 &&
              res->max_breadth[r] == 500 && fabs(res->virality[r] - 1000.0 / 501.0) < 1e-12;
    CHECK(ok);
    CHECK(expect > 500);
    rc_mc_results_free(res);
    rc_audience_free(a);
    free(seen);

    /* Engagement e, p = 0: retweets ~ Binomial(size, e). */
    res = run_audience(g, "{name: independent_cascade, p: 0}",
                       "{size: 800, pick: preferential, engagement: 0.03}", 4000, 2, 2);
    if (res != NULL) {
        double se = sqrt(800 * 0.03 * 0.97 / 4000.0);
        CHECK_NEAR(res->summary[RC_METRIC_RETWEETS].mean, 24.0, 5 * se);
        /* Binomial variance too, loosely: sd within 10% of sqrt(23.28). */
        CHECK_NEAR(res->summary[RC_METRIC_RETWEETS].sd, sqrt(800 * 0.03 * 0.97), 0.1 * 4.83);
    }
    rc_mc_results_free(res);

    /* Path 0 -> 1 -> 2 -> 3 with p = 1 from the top account (node 0: ties go to the lower
     * index): the chain author -> 0 -> 1 -> 2 -> 3, depth 4, virality (5+1)/3 of a path. */
    rc_graph_t *path = fx_path(4);
    res = run_audience(path, "{name: independent_cascade, p: 1}",
                       "{size: 1, pick: top_followers, engagement: 1}", 3, 0, 1);
    if (res != NULL) {
        CHECK(res->retweets[0] == 4 && res->depth[0] == 4 && res->reach[0] == 4 &&
              res->max_breadth[0] == 1);
        CHECK_NEAR(res->virality[0], 2.0, 1e-12);
        CHECK(res->gen_len == 5 && res->gen_total[0] == 0 && res->gen_total[1] == 3 &&
              res->gen_total[4] == 3);
    }
    rc_mc_results_free(res);
    rc_graph_free(path);
    rc_graph_free(g);
}

/* A celebrity: 10^6 followers (everyone), engagement 10^-4, 1000 runs. Geometric skips make the
 * first hop ~100 steps a run, not 10^6 draws. */
static void test_celebrity(void)
{
    rc_graph_t *g = fx_random(1000000, 1000000, 8);
    rc_mc_results_t *res = run_audience(g, "{name: independent_cascade, p: 0}",
                                        "{size: 1000000, engagement: 0.0001}", 1000, 0, 2);
    if (res != NULL) {
        double se = sqrt(1e6 * 1e-4 * (1 - 1e-4) / 1000.0);
        CHECK_NEAR(res->summary[RC_METRIC_RETWEETS].mean, 100.0, 5 * se);
        int ok = 1;
        for (uint64_t r = 0; r < res->runs; r++)
            ok &= res->reach[r] == 1000000; /* everyone is in the audience already */
        CHECK(ok);
        CHECK_NEAR(res->reach_per_member.mean, 1.0, 0);
    }
    rc_mc_results_free(res);
    rc_graph_free(g);
}

/* Timed first hops: reshare times are delays from the model's kernel after the post at 0. */
static void test_timed_first_hop(void)
{
    /* No edges: nothing beyond the first hop, so final_time is the one resharer's delay. */
    rc_graph_t *g = fx_graph(10, 0, NULL, NULL);
    const char *models[] = {
        "{name: continuous_cascade, p: 0.5, delay: {distribution: exponential, rate: 0.5}}",
        "{name: hawkes, followers: network, delay: {distribution: exponential, rate: 0.5}}",
    };
    for (int i = 0; i < 2; i++) {
        rc_mc_results_t *res = run_audience(g, models[i], "{size: 1, engagement: 1}", 2000, 0, 2);
        if (res == NULL)
            continue;
        CHECK(res->timed);
        /* Exponential with mean 2 and sd 2. */
        CHECK_NEAR(res->summary[RC_METRIC_FINAL_TIME].mean, 2.0, 5 * 2.0 / sqrt(2000.0));
        CHECK(res->summary[RC_METRIC_FINAL_TIME].min > 0.0);
        rc_mc_results_free(res);
    }
    /* A horizon drops first-hop reshares after it: P(delay <= 1) = 1 - e^-0.5. */
    rc_mc_results_t *res = run_audience(
        g,
        "{name: continuous_cascade, p: 0.5, horizon: 1, delay: {distribution: exponential, "
        "rate: 0.5}}",
        "{size: 10, engagement: 1}", 2000, 0, 1);
    if (res != NULL) {
        double q = 1 - exp(-0.5);
        CHECK_NEAR(res->summary[RC_METRIC_RETWEETS].mean, 10 * q,
                   5 * sqrt(10 * q * (1 - q) / 2000.0));
        CHECK(res->summary[RC_METRIC_FINAL_TIME].max <= 1.0);
    }
    rc_mc_results_free(res);
    rc_graph_free(g);
}

/* Threshold models: the author is no one's followee. Watts with phi = 0.6 on 0 -> 2 <- 1 with
 * the audience {0, 2} and resharer 0: node 2 has 1 of 2 followees resharing (0.5 < 0.6) and
 * stays put; counting the author would make it 2 of 3. Reach: the audience only. */
static void test_threshold_author_outside(void)
{
    static const uint32_t edges[][2] = {{0, 2}, {1, 2}};
    rc_graph_t *g = fx_graph(3, 2, edges, NULL);
    const rc_model_t *m = NULL;
    void *params = NULL;
    fx_model("{name: watts_threshold, phi: 0.6}", &m, &params);
    rc_workspace_t *ws = NULL;
    CHECK_OK(rc_workspace_alloc(g->n, 0, &ws));
    gsl_rng *r = rc_rng_alloc();
    uint64_t bits[2] = {(1u << 0) | (1u << 2), 0};
    rc_run_ctx_t ctx = {.graph = g, .params = params, .audience_bits = bits, .audience_size = 2};
    const uint32_t seeds[] = {0};
    rc_cascade_t c;
    rc_rng_seed(r, 1, 0, 0);
    rc_workspace_next_run(ws);
    CHECK_OK(m->run(&ctx, seeds, 1, r, ws, &c));
    CHECK(c.size == 1 && c.reach == 2 && c.rooted == 1);
    /* Without the audience the same seed reaches 2 too (itself and node 2), unrooted. */
    ctx.audience_bits = NULL;
    ctx.audience_size = 0;
    rc_workspace_next_run(ws);
    CHECK_OK(m->run(&ctx, seeds, 1, r, ws, &c));
    CHECK(c.size == 1 && c.reach == 2 && c.rooted == 0);
    rc_model_params_free(m, params);
    gsl_rng_free(r);
    rc_workspace_free(ws);
    rc_graph_free(g);
}

#define SAME_ARRAY(a, b, field)                                                                    \
    (((a)->field == NULL && (b)->field == NULL) ||                                                 \
     memcmp((a)->field, (b)->field, (a)->runs * sizeof *(a)->field) == 0)

static void test_threads(void)
{
    rc_graph_t *g = fx_random(6000, 30000, 12);
    static const char *const auds[] = {
        "{size: 400, pick: random, engagement: 0.05}",
        "{size: 400, pick: preferential, engagement: 0.05, redraw: true}",
        "{size: 4000, pick: random, engagement: 0.01, redraw: true}",
    };
    for (size_t i = 0; i < N_MODELS; i++)
        for (size_t j = 0; j < 3; j++) {
            if (j > 0 && i != 0 && i != 4)
                continue; /* redraws: one untimed and one timed model suffice */
            rc_mc_results_t *a = run_audience(g, all_models[i], auds[j], 300, 3, 1);
            rc_mc_results_t *b = run_audience(g, all_models[i], auds[j], 300, 3, 2);
            if (a == NULL || b == NULL) {
                rc_mc_results_free(a);
                rc_mc_results_free(b);
                continue;
            }
            int same =
                SAME_ARRAY(a, b, size) && SAME_ARRAY(a, b, retweets) && SAME_ARRAY(a, b, reach) &&
                SAME_ARRAY(a, b, depth) && SAME_ARRAY(a, b, max_breadth) &&
                SAME_ARRAY(a, b, virality) && SAME_ARRAY(a, b, edges) && SAME_ARRAY(a, b, global) &&
                SAME_ARRAY(a, b, final_time) && SAME_ARRAY(a, b, t50) && SAME_ARRAY(a, b, t90) &&
                a->gen_len == b->gen_len &&
                memcmp(a->gen_total, b->gen_total, a->gen_len * sizeof *a->gen_total) == 0 &&
                memcmp(a->summary, b->summary, sizeof a->summary) == 0 &&
                memcmp(&a->reach_per_member, &b->reach_per_member, sizeof a->reach_per_member) == 0;
            if (!same)
                fprintf(stderr, "%s with %s: results depend on threads\n", all_models[i], auds[j]);
            CHECK(same);
            rc_mc_results_free(a);
            rc_mc_results_free(b);
        }
    rc_graph_free(g);
}

int main(void)
{
    test_engagement_zero_every_model();
    test_every_model_invariants();
    test_first_hop_ic();
    test_celebrity();
    test_timed_first_hop();
    test_threshold_author_outside();
    test_threads();
    return rc_test_report("test_audience_runs");
}
