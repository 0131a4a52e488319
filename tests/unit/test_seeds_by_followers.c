/* Seed strategy by_followers: every run draws `count` distinct seeds, each next one with
 * probability proportional to followers + offset among those not yet drawn (successive
 * sampling). Checks the one-seed frequencies and the two-seed pair probabilities against that
 * law (5 standard errors of each count), offset 0 (accounts without followers never post), the
 * refusals (too few accounts with weight, rejection too slow, offset with another strategy)
 * and that the engine's results with it do not depend on the thread count. */
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

enum { N = 8 };
static const uint32_t degrees[N] = {0, 1, 2, 3, 0, 5, 6, 7};

/* Draws `runs` seed sets of `count` with `yaml`; hits[v] counts v, pairs[a][b] ordered pairs. */
static void draw_many(const rc_graph_t *g, const char *yaml, uint32_t count, uint32_t runs,
                      uint64_t *hits, uint64_t (*pairs)[N], int *repeated)
{
    rc_seed_spec_t spec;
    rc_seed_plan_t *plan = NULL;
    CHECK_OK(fx_seeds(yaml, &spec));
    CHECK(spec.strategy == RC_SEEDS_BY_FOLLOWERS && spec.count == count);
    CHECK_OK(rc_seeds_resolve(&spec, g, &plan));
    if (plan == NULL)
        return;
    CHECK(plan->fixed == NULL && plan->alias != NULL);
    rc_workspace_t *ws = NULL;
    CHECK_OK(rc_workspace_alloc(N, 0, &ws));
    gsl_rng *r = rc_rng_alloc();
    *repeated = 0;
    for (uint32_t run = 0; run < runs; run++) {
        uint32_t s[2];
        rc_rng_seed(r, 99, 0, run);
        rc_seeds_draw(plan, r, ws, s);
        hits[s[0]]++;
        if (count == 2) {
            hits[s[1]]++;
            pairs[s[0]][s[1]]++;
            *repeated += s[0] == s[1];
        }
    }
    gsl_rng_free(r);
    rc_workspace_free(ws);
    rc_seed_plan_free(plan);
    rc_seeds_clear(&spec);
}

static void test_one_seed(void)
{
    rc_graph_t *g = graph_with_degrees(N, degrees);
    const uint32_t runs = 100000;
    double w[N], total = 0.0;
    for (int off = 0; off < 2; off++) {
        uint64_t hits[N] = {0};
        int repeated = 0;
        draw_many(g,
                  off ? "{strategy: by_followers, count: 1}"
                      : "{strategy: by_followers, count: 1, offset: 0}",
                  1, runs, hits, NULL, &repeated);
        total = 0.0;
        for (int v = 0; v < N; v++)
            total += (w[v] = degrees[v] + (off ? 1.0 : 0.0));
        for (int v = 0; v < N; v++) {
            double p = w[v] / total;
            CHECK_NEAR((double)hits[v], runs * p, 5 * sqrt(runs * p * (1 - p)) + 1e-9);
        }
        if (!off)
            CHECK(hits[0] == 0 && hits[4] == 0); /* no followers, no offset: never a seed */
    }
    rc_graph_free(g);
}

/* Two seeds: P(a then b) = w_a / W * w_b / (W - w_a). */
static void test_two_seeds(void)
{
    rc_graph_t *g = graph_with_degrees(N, degrees);
    const uint32_t runs = 200000;
    uint64_t hits[N] = {0}, pairs[N][N];
    memset(pairs, 0, sizeof pairs);
    int repeated = 0;
    draw_many(g, "{strategy: by_followers, count: 2, offset: 0.5}", 2, runs, hits, pairs,
              &repeated);
    CHECK(repeated == 0);
    double w[N], total = 0.0;
    for (int v = 0; v < N; v++)
        total += (w[v] = degrees[v] + 0.5);
    int bad = 0;
    for (int a = 0; a < N; a++)
        for (int b = 0; b < N; b++) {
            double p = a == b ? 0.0 : w[a] / total * w[b] / (total - w[a]);
            double tol = 5 * sqrt(runs * p * (1 - p)) + 1e-9;
            if (fabs((double)pairs[a][b] - runs * p) > tol) {
                fprintf(stderr, "pair (%d, %d): %llu, expected %.1f +- %.1f\n", a, b,
                        (unsigned long long)pairs[a][b], runs * p, tol);
                bad++;
            }
        }
    CHECK(bad == 0);
    rc_graph_free(g);
}

static void test_errors(void)
{
    rc_graph_t *g = graph_with_degrees(N, degrees);
    rc_seed_spec_t spec;
    rc_seed_plan_t *plan = NULL;
    /* offset 0: only 6 accounts have followers, so 7 distinct seeds cannot be drawn */
    CHECK_OK(fx_seeds("{strategy: by_followers, count: 7, offset: 0}", &spec));
    CHECK_FAILS(rc_seeds_resolve(&spec, g, &plan), RC_ERR_CONFIG, "impossible");
    rc_seeds_clear(&spec);
    CHECK_FAILS(fx_seeds("{strategy: random, offset: 1}", &spec), RC_ERR_CONFIG,
                "offset applies only with strategy: by_followers");
    CHECK_FAILS(fx_seeds("{strategy: by_followers, offset: -1}", &spec), RC_ERR_CONFIG, "offset");
    rc_graph_free(g);
    /* a star of 10^4 followers and 3 other lone accounts: with offset 0.001 the centre holds
     * nearly all the weight, so a second seed takes ~10^7 draws: refused */
    rc_graph_t *s = fx_star(10000);
    CHECK_OK(fx_seeds("{strategy: by_followers, count: 2, offset: 0.0001}", &spec));
    CHECK_FAILS(rc_seeds_resolve(&spec, s, &plan), RC_ERR_CONFIG, "too slow");
    rc_seeds_clear(&spec);
    rc_graph_free(s);
}

/* The engine: the same per-run results with 1 and 2 threads. */
static void test_threads(void)
{
    rc_graph_t *g = fx_random(3000, 15000, 5);
    const rc_model_t *m = NULL;
    void *params = NULL;
    fx_model("{name: independent_cascade, p: 0.15}", &m, &params);
    rc_seed_spec_t spec;
    CHECK_OK(fx_seeds("{strategy: by_followers, count: 3}", &spec));
    rc_mc_results_t *res[2] = {NULL, NULL};
    for (int t = 0; t < 2; t++) {
        rc_mc_options_t opt = rc_mc_default_options();
        opt.threads = t + 1;
        opt.chunk = 3;
        CHECK_OK(rc_mc_run(g, m, params, &spec, 500, 8, 2, &opt, &res[t]));
    }
    if (res[0] != NULL && res[1] != NULL) {
        CHECK(memcmp(res[0]->size, res[1]->size, 500 * sizeof *res[0]->size) == 0);
        CHECK(memcmp(res[0]->reach, res[1]->reach, 500 * sizeof *res[0]->reach) == 0);
    }
    rc_mc_results_free(res[0]);
    rc_mc_results_free(res[1]);
    rc_seeds_clear(&spec);
    rc_model_params_free(m, params);
    rc_graph_free(g);
}

int main(void)
{
    test_one_seed();
    test_two_seeds();
    test_errors();
    test_threads();
    return rc_test_report("test_seeds_by_followers");
}
