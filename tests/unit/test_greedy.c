/* Influence-maximisation seeds on hand-made graphs where the answer is known: greedy picks the
 * hub of the biggest star first and then the hub of the next, with the same set for any thread
 * count; degree discount discounts the followers of a chosen seed exactly as Chen et al. (2009)
 * define it; and the parse errors name the key. */
#include "engine_fixtures.h"
#include "rc_test.h"
#include "rtcascade/greedy.h"

#include <omp.h>

/* Two stars: 0 -> 1..20 and 21 -> 22..26, plus 27 -> 28 (n = 29). */
static rc_graph_t *two_stars(void)
{
    uint32_t e[32][2];
    size_t m = 0;
    for (uint32_t v = 1; v <= 20; v++)
        e[m][0] = 0, e[m][1] = v, m++;
    for (uint32_t v = 22; v <= 26; v++)
        e[m][0] = 21, e[m][1] = v, m++;
    e[m][0] = 27, e[m][1] = 28, m++;
    return fx_graph(29, m, (const uint32_t(*)[2])e, NULL);
}

static void greedy_set(const rc_graph_t *g, int threads, rc_greedy_cache_t *cache, int count,
                       uint32_t *out)
{
    const rc_model_t *model = NULL;
    void *params = NULL, *shared = NULL;
    fx_model("{name: independent_cascade, p: 0.5}", &model, &params);
    if (model->prepare != NULL)
        CHECK_OK(model->prepare(params, g, &shared));
    rc_seed_spec_t spec;
    char yaml[96];
    snprintf(yaml, sizeof yaml, "{strategy: greedy, count: %d, greedy_runs: 300}", count);
    CHECK_OK(fx_seeds(yaml, &spec));
    rc_mc_options_t opt = rc_mc_default_options();
    opt.threads = threads;
    opt.greedy_cache = cache;
    opt.model_key = "independent_cascade p=0.5";
    CHECK_OK(rc_seeds_greedy(&spec, g, model, params, shared, 7, &opt, out));
    rc_seeds_clear(&spec);
    if (shared != NULL)
        model->free_shared(shared);
    rc_model_params_free(model, params);
}

int main(void)
{
    rc_graph_t *g = two_stars();

    /* Greedy: expected spreads 1 + 20/2 = 11, 1 + 5/2 = 3.5, 1.5 — hubs in that order. */
    uint32_t a[3], b[3];
    greedy_set(g, 1, NULL, 3, a);
    CHECK_EQ_U64(a[0], 0);
    CHECK_EQ_U64(a[1], 21);
    CHECK_EQ_U64(a[2], 27);
    greedy_set(g, 2, NULL, 3, b);
    CHECK(memcmp(a, b, sizeof a) == 0); /* the same set on 2 threads */

    /* A cache owned by the caller: a sequence of 2 is extended to 3, the same as computed
     * afresh, and a second cache knows nothing of the first. */
    rc_greedy_cache_t *cache = rc_greedy_cache_new(), *other = rc_greedy_cache_new();
    CHECK(cache != NULL && other != NULL);
    uint32_t c2[2], c3[3];
    greedy_set(g, 2, cache, 2, c2);
    greedy_set(g, 1, cache, 3, c3);
    CHECK(memcmp(c2, a, sizeof c2) == 0);
    CHECK(memcmp(c3, a, sizeof c3) == 0);
    greedy_set(g, 1, other, 3, c3);
    CHECK(memcmp(c3, a, sizeof c3) == 0);
    rc_greedy_cache_free(cache);
    rc_greedy_cache_free(other);

    /* Degree discount with p = 0.5: first the biggest hub (20 followers); node 21 (5) next. */
    rc_seed_spec_t spec;
    rc_seed_plan_t *plan = NULL;
    CHECK_OK(fx_seeds("{strategy: degree_discount, count: 2, p: 0.5}", &spec));
    CHECK_OK(rc_seeds_resolve(&spec, g, &plan));
    CHECK(plan != NULL && plan->fixed != NULL);
    if (plan != NULL && plan->fixed != NULL) {
        CHECK_EQ_U64(plan->fixed[0], 0);
        CHECK_EQ_U64(plan->fixed[1], 21);
    }
    rc_seed_plan_free(plan);
    rc_seeds_clear(&spec);
    rc_graph_free(g);

    /* Discount: on 0 -> {1, 2, 3}, 1 -> {0, 4, 5, 6}, 7 -> {8, 9, 10} with p = 0.5, after seed 1
     * (4 followers) node 0 has d = 3, t = 1 (it follows the seed): dd = 3 - 2 - 2 * 0.5 = 0,
     * while 7 keeps dd = 3, so the second seed is 7, not 0 (plain degree would pick 0). */
    static const uint32_t e2[][2] = {{0, 1}, {0, 2}, {0, 3}, {1, 0}, {1, 4}, {1, 5},
                                     {1, 6}, {7, 8}, {7, 9}, {7, 10}};
    g = fx_graph(11, 10, e2, NULL);
    CHECK_OK(fx_seeds("{strategy: degree_discount, count: 2, p: 0.5}", &spec));
    CHECK_OK(rc_seeds_resolve(&spec, g, &plan));
    if (plan != NULL && plan->fixed != NULL) {
        CHECK_EQ_U64(plan->fixed[0], 1);
        CHECK_EQ_U64(plan->fixed[1], 7);
    }
    rc_seed_plan_free(plan);
    rc_seeds_clear(&spec);
    rc_graph_free(g);

    /* Parse errors name the key and what was expected. */
    CHECK_FAILS(fx_seeds("{strategy: greedy, count: 2, greedy_runs: 0}", &spec), RC_ERR_CONFIG,
                "greedy_runs: expected an integer in [1, 100000000], got '0'");
    CHECK_FAILS(fx_seeds("{strategy: degree_discount, count: 2, p: 2}", &spec), RC_ERR_CONFIG,
                "p: expected a number in [0, 1], got '2'");
    return rc_test_report("test_greedy");
}
