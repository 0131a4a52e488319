/* Reproducibility: every per-run result, the per-generation totals and the summary are bit for
 * bit the same with 1 and 2 threads and with static, dynamic and guided schedules of any chunk,
 * and a different master seed or point gives different runs; every registered model too. */
#include "engine_fixtures.h"
#include "rc_test.h"

#include <string.h>

#define SAME_ARRAY(a, b, field)                                                                    \
    CHECK(((a)->field == NULL && (b)->field == NULL) ||                                            \
          memcmp((a)->field, (b)->field, (a)->runs * sizeof *(a)->field) == 0)

/* Cancel hook for the test: says stop from its 100th poll on. */
static int cancel_polls = 0;
static int cancel_after_100(void *ctx)
{
    int k;
#pragma omp atomic capture
    k = ++cancel_polls;
    return k >= 100;
}

static int same(const rc_mc_results_t *a, const rc_mc_results_t *b)
{
    int before = rc_test_failures;
    CHECK(a->runs == b->runs);
    SAME_ARRAY(a, b, size);
    SAME_ARRAY(a, b, retweets);
    SAME_ARRAY(a, b, reach);
    SAME_ARRAY(a, b, depth);
    SAME_ARRAY(a, b, max_breadth);
    SAME_ARRAY(a, b, virality);
    SAME_ARRAY(a, b, edges);
    SAME_ARRAY(a, b, global);
    SAME_ARRAY(a, b, capped);
    CHECK(a->gen_len == b->gen_len &&
          memcmp(a->gen_total, b->gen_total, a->gen_len * sizeof *a->gen_total) == 0);
    CHECK(memcmp(a->summary, b->summary, sizeof a->summary) == 0);
    CHECK(a->p_global == b->p_global);
    return rc_test_failures == before;
}

int main(void)
{
    /* z = 5, p = 0.25: slightly supercritical, so run sizes range from 1 to thousands and a
     * dynamic schedule really does hand runs to threads in a timing-dependent order. */
    rc_graph_t *g = fx_random(20000, 100000, 8);
    const rc_model_t *m = NULL;
    void *params = NULL;
    fx_model("{name: independent_cascade, p: 0.25}", &m, &params);
    rc_seed_spec_t spec;
    CHECK_OK(fx_seeds("{strategy: random, count: 2}", &spec));

    static const struct {
        int threads;
        rc_schedule_t schedule;
        uint32_t chunk;
    } setups[] = {
        {1, RC_SCHEDULE_DYNAMIC, 16}, {2, RC_SCHEDULE_DYNAMIC, 1}, {2, RC_SCHEDULE_STATIC, 7},
        {2, RC_SCHEDULE_GUIDED, 3},   {3, RC_SCHEDULE_DYNAMIC, 5},
    };
    rc_mc_results_t *ref = NULL;
    for (size_t i = 0; i < sizeof setups / sizeof setups[0]; i++) {
        rc_mc_options_t opt = rc_mc_default_options();
        opt.threads = setups[i].threads;
        opt.schedule = setups[i].schedule;
        opt.chunk = setups[i].chunk;
        opt.max_size = 5000; /* global runs (~7400) hit the cap: capped runs must agree too */
        rc_mc_results_t *res = NULL;
        CHECK_OK(rc_mc_run(g, m, params, &spec, 1500, 99, 4, &opt, &res));
        if (ref == NULL) {
            ref = res;
            CHECK(ref->p_global > 0.05 && ref->p_global < 0.95);
            continue;
        }
        if (!same(ref, res))
            fprintf(stderr, "setup %zu differs from the one-thread run\n", i);
        rc_mc_results_free(res);
    }
    /* A cancel hook that fires after some runs abandons the rest: no results, an
     * RC_ERR_INTERRUPTED naming the point. */
    {
        rc_mc_options_t opt = rc_mc_default_options();
        opt.threads = 2;
        opt.cancel = cancel_after_100;
        rc_mc_results_t *res = NULL;
        CHECK_FAILS(rc_mc_run(g, m, params, &spec, 1500, 99, 4, &opt, &res), RC_ERR_INTERRUPTED,
                    "point 4: stopped before its 1500 runs were done");
        CHECK(res == NULL);
        CHECK(cancel_polls >= 100 && cancel_polls < 1500);
    }
    /* Another point is another set of streams. */
    rc_mc_results_t *other = NULL;
    CHECK_OK(rc_mc_run(g, m, params, &spec, 1500, 99, 5, NULL, &other));
    CHECK(memcmp(ref->size, other->size, ref->runs * sizeof *ref->size) != 0);
    rc_mc_results_free(other);

    rc_mc_results_free(ref);
    rc_model_params_free(m, params);

    /* Every registered model, 1 thread against 2 with another schedule (time metrics too). */
    static const char *const models[] = {
        "{name: independent_cascade, probability: weighted_cascade, engagement: {distribution: "
        "beta, a: 2, b: 2}}",
        "{name: linear_threshold}",
        "{name: watts_threshold, phi: 0.15}",
        "{name: continuous_cascade, p: 0.22}",
        "{name: hawkes, max_size: 3000}",
    };
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
        rc_cfg_t *root = NULL;
        CHECK_OK(rc_cfg_parse_string(models[i], "<test>", &root));
        const rc_cfg_t *name = rc_cfg_get(root, "name");
        if (rc_model_find(rc_cfg_text(name)) == NULL) {
            rc_cfg_free(root);
            continue; /* not registered in this build */
        }
        CHECK_OK(rc_model_parse(root, &m, &params));
        rc_cfg_free(root);
        if (params == NULL)
            continue;
        rc_mc_results_t *a = NULL, *b = NULL;
        rc_mc_options_t opt = rc_mc_default_options();
        opt.threads = 1;
        CHECK_OK(rc_mc_run(g, m, params, &spec, 400, 5, 1, &opt, &a));
        opt.threads = 2;
        opt.schedule = RC_SCHEDULE_DYNAMIC;
        opt.chunk = 1;
        CHECK_OK(rc_mc_run(g, m, params, &spec, 400, 5, 1, &opt, &b));
        if (a != NULL && b != NULL) {
            if (!same(a, b))
                fprintf(stderr, "model %s: results depend on threads\n", m->name);
            SAME_ARRAY(a, b, final_time);
            SAME_ARRAY(a, b, t50);
            SAME_ARRAY(a, b, t90);
            CHECK(a->timed == m->timed);
        }
        rc_mc_results_free(a);
        rc_mc_results_free(b);
        rc_model_params_free(m, params);
    }
    rc_seeds_clear(&spec);
    rc_graph_free(g);
    return rc_test_report("test_engine_threads");
}
