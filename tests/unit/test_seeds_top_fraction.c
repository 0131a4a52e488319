/* Seed strategy top_fraction (Watts & Dodds 2007's influentials): the top set is the
 * ceil(fraction n) nodes with most followers, ties by lower index; every run draws `count`
 * distinct seeds uniformly from it. Checks the set, that draws never leave it, that each member
 * is drawn equally often (within 5 standard errors), and the config errors. */
#include "engine_fixtures.h"
#include "rc_test.h"

#include <math.h>
#include <string.h>

/* Node v has out-degree deg[v] (edges to the next nodes round the ring, so no loops). */
static rc_graph_t *graph_with_degrees(uint32_t n, const uint32_t *deg)
{
    size_t m = 0;
    for (uint32_t v = 0; v < n; v++)
        m += deg[v];
    uint32_t(*e)[2] = malloc((m ? m : 1) * sizeof *e);
    size_t i = 0;
    for (uint32_t v = 0; v < n; v++)
        for (uint32_t j = 1; j <= deg[v]; j++) {
            e[i][0] = v;
            e[i][1] = (v + j) % n;
            i++;
        }
    rc_graph_t *g = fx_graph(n, m, (const uint32_t(*)[2])e, NULL);
    free(e);
    return g;
}

static void test_top_set_and_uniform_draws(void)
{
    /* 20 nodes; degrees chosen so that the top 25% (5 nodes) has a tie at its edge: nodes with
     * degree 9: 3, 11; degree 7: 5, 8 (both in), degree 4: 1, 14, 17 (only 1 gets in). */
    enum { N = 20 };
    uint32_t deg[N] = {0};
    deg[3] = deg[11] = 9;
    deg[5] = deg[8] = 7;
    deg[1] = deg[14] = deg[17] = 4;
    deg[0] = deg[2] = 2;
    for (uint32_t v = 0; v < N; v++)
        if (deg[v] == 0)
            deg[v] = 1;
    rc_graph_t *g = graph_with_degrees(N, deg);
    rc_seed_spec_t spec;
    CHECK_OK(fx_seeds("{strategy: top_fraction, fraction: 0.25, count: 2}", &spec));
    CHECK(spec.strategy == RC_SEEDS_TOP_FRACTION && spec.count == 2 && spec.fraction == 0.25);
    rc_seed_plan_t *plan = NULL;
    CHECK_OK(rc_seeds_resolve(&spec, g, &plan));
    CHECK(plan->fixed == NULL && plan->pool_size == 5);
    static const uint32_t want[5] = {3, 11, 5, 8, 1};
    for (uint32_t i = 0; i < 5 && i < plan->pool_size; i++)
        CHECK(plan->pool[i] == want[i]);

    rc_workspace_t *ws = NULL;
    CHECK_OK(rc_workspace_alloc(N, 0, &ws));
    gsl_rng *r = rc_rng_alloc();
    rc_rng_seed(r, 2007, 0, 0);
    const uint32_t runs = 50000;
    uint64_t hits[N] = {0};
    int outside = 0, repeated = 0;
    for (uint32_t run = 0; run < runs; run++) {
        uint32_t s[2];
        rc_seeds_draw(plan, r, ws, s);
        repeated += s[0] == s[1];
        for (int j = 0; j < 2; j++) {
            int in = 0;
            for (int i = 0; i < 5; i++)
                in |= s[j] == want[i];
            outside += !in;
            hits[s[j]]++;
        }
    }
    CHECK(outside == 0 && repeated == 0);
    /* Each member is in a draw with probability 2/5: binomial count, 5 standard errors. */
    const double p = 2.0 / 5.0, sd = sqrt(runs * p * (1 - p));
    for (int i = 0; i < 5; i++)
        CHECK_NEAR((double)hits[want[i]], runs * p, 5 * sd);
    gsl_rng_free(r);
    rc_workspace_free(ws);
    rc_seed_plan_free(plan);
    rc_seeds_clear(&spec);

    /* fraction 1 with count 1 is the random strategy over every node; the set is then the
     * whole graph in degree order. */
    CHECK_OK(fx_seeds("{strategy: top_fraction, fraction: 1, count: 1}", &spec));
    CHECK_OK(rc_seeds_resolve(&spec, g, &plan));
    CHECK(plan->pool_size == N && plan->pool[0] == 3 && plan->pool[N - 1] == 19);
    rc_seed_plan_free(plan);
    rc_seeds_clear(&spec);
    /* A tiny fraction still holds one node (ceil), the top one. */
    CHECK_OK(fx_seeds("{strategy: top_fraction, fraction: 0.001}", &spec));
    CHECK_OK(rc_seeds_resolve(&spec, g, &plan));
    CHECK(plan->pool_size == 1 && plan->pool[0] == 3);
    rc_seed_plan_free(plan);
    rc_seeds_clear(&spec);
    rc_graph_free(g);
}

static void test_ceil_and_errors(void)
{
    /* 0.1 of 1000 nodes is 100, not 101 from the rounding of the product. */
    rc_graph_t *g = fx_random(1000, 4000, 7);
    rc_seed_spec_t spec;
    rc_seed_plan_t *plan = NULL;
    CHECK_OK(fx_seeds("{strategy: top_fraction, fraction: 0.1, count: 3}", &spec));
    CHECK_OK(rc_seeds_resolve(&spec, g, &plan));
    CHECK(plan->pool_size == 100);
    /* Every member has at least the out-degree of every non-member. */
    uint64_t min_in = UINT64_MAX, max_out = 0;
    unsigned char *in = calloc(1000, 1);
    for (uint32_t i = 0; i < plan->pool_size; i++) {
        in[plan->pool[i]] = 1;
        uint64_t d = rc_graph_out_degree(g, plan->pool[i]);
        min_in = d < min_in ? d : min_in;
    }
    for (uint32_t v = 0; v < 1000; v++)
        if (!in[v] && rc_graph_out_degree(g, v) > max_out)
            max_out = rc_graph_out_degree(g, v);
    CHECK(min_in >= max_out);
    free(in);
    rc_seed_plan_free(plan);
    rc_seeds_clear(&spec);
    /* 0.3 of 1000 = 300 (0.3 * 1000 rounds to 300.00000000000006). */
    CHECK_OK(fx_seeds("{strategy: top_fraction, fraction: 0.3}", &spec));
    CHECK_OK(rc_seeds_resolve(&spec, g, &plan));
    CHECK(plan->pool_size == 300);
    rc_seed_plan_free(plan);
    rc_seeds_clear(&spec);

    /* More seeds than the top set holds. */
    CHECK_OK(fx_seeds("{strategy: top_fraction, fraction: 0.01, count: 11}", &spec));
    CHECK_FAILS(rc_seeds_resolve(&spec, g, &plan), RC_ERR_CONFIG, "holds only 10 nodes");
    CHECK(plan == NULL);
    rc_seeds_clear(&spec);
    CHECK_FAILS(fx_seeds("{strategy: top_fraction, count: 1}", &spec), RC_ERR_CONFIG,
                "fraction");
    CHECK_FAILS(fx_seeds("{strategy: top_fraction, fraction: 0}", &spec), RC_ERR_CONFIG,
                "above 0");
    CHECK_FAILS(fx_seeds("{strategy: top_fraction, fraction: 1.5}", &spec), RC_ERR_CONFIG,
                "fraction");
    CHECK_FAILS(fx_seeds("{strategy: random, fraction: 0.1}", &spec), RC_ERR_CONFIG,
                "only with strategy: top_fraction");
    rc_graph_free(g);
}

/* Through the engine: every run's seed is in the top set (the seed is the cascade's only
 * adopter with p = 0, and its reach is 1 + its followers). */
static void test_engine(void)
{
    rc_graph_t *g = fx_random(500, 2500, 11);
    const rc_model_t *mod = NULL;
    void *params = NULL;
    fx_model("{name: independent_cascade, p: 0}", &mod, &params);
    rc_seed_spec_t spec;
    rc_seed_plan_t *plan = NULL;
    CHECK_OK(fx_seeds("{strategy: top_fraction, fraction: 0.1}", &spec));
    CHECK_OK(rc_seeds_resolve(&spec, g, &plan));
    uint64_t cut = UINT64_MAX;
    for (uint32_t i = 0; i < plan->pool_size; i++)
        if (rc_graph_out_degree(g, plan->pool[i]) < cut)
            cut = rc_graph_out_degree(g, plan->pool[i]);
    rc_mc_results_t *res = NULL;
    CHECK_OK(rc_mc_run(g, mod, params, &spec, 400, 5, 0, NULL, &res));
    int below = 0;
    for (int i = 0; i < 400; i++)
        below += res->reach[i] < 1 + cut;
    CHECK(below == 0);
    rc_mc_results_free(res);
    rc_seed_plan_free(plan);
    rc_seeds_clear(&spec);
    rc_model_params_free(mod, params);
    rc_graph_free(g);
}

int main(void)
{
    test_top_set_and_uniform_draws();
    test_ceil_and_errors();
    test_engine();
    return rc_test_report("test_seeds_top_fraction");
}
