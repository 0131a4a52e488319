/* Per-run metrics on hand-made cascade trees: structural virality against brute-force pairwise
 * distances (single seed, and several seeds joined by a virtual root), the star and path
 * formulas 2(n-1)/n and (n+1)/3 (also end to end through the engine with p = 1), depth, breadth,
 * adoptions per generation, the times of timed cascades, and the edges a run examined when the
 * model hands their count over (independent cascade, linear threshold; capped runs too). */
#include "engine_fixtures.h"
#include "rc_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { MAXN = 64 };

/* Mean distance over all pairs by BFS on the undirected tree (parent links), with a virtual
 * root node index `size` joining several seeds. */
static double brute_virality(uint32_t size, uint32_t n_seeds, const uint32_t *parent)
{
    uint32_t nn = size + (n_seeds > 1);
    static uint32_t adj[MAXN + 1][MAXN + 1], deg[MAXN + 1];
    memset(deg, 0, sizeof deg);
    for (uint32_t i = 0; i < size; i++) {
        uint32_t p = parent[i] == RC_NO_PARENT ? (n_seeds > 1 ? size : RC_NO_PARENT) : parent[i];
        if (p == RC_NO_PARENT)
            continue;
        adj[i][deg[i]++] = p;
        adj[p][deg[p]++] = i;
    }
    double total = 0;
    for (uint32_t s = 0; s < nn; s++) {
        uint32_t dist[MAXN + 1], q[MAXN + 1], h = 0, t = 0;
        for (uint32_t v = 0; v < nn; v++)
            dist[v] = UINT32_MAX;
        dist[s] = 0;
        q[t++] = s;
        while (h < t) {
            uint32_t u = q[h++];
            for (uint32_t k = 0; k < deg[u]; k++)
                if (dist[adj[u][k]] == UINT32_MAX) {
                    dist[adj[u][k]] = dist[u] + 1;
                    q[t++] = adj[u][k];
                }
        }
        for (uint32_t v = s + 1; v < nn; v++)
            total += dist[v];
    }
    return nn < 2 ? 0.0 : total / (nn * (nn - 1) / 2.0);
}

static rc_cascade_t make(uint32_t size, uint32_t n_seeds, const uint32_t *parent, uint32_t *node,
                         uint32_t *gen)
{
    for (uint32_t i = 0; i < size; i++) {
        node[i] = i;
        gen[i] = parent[i] == RC_NO_PARENT ? 0 : gen[parent[i]] + 1;
    }
    rc_cascade_t c = {.size = size, .n_seeds = n_seeds, .node = node, .parent = parent,
                      .generation = gen, .time = NULL, .reach = 99, .capped = 0};
    return c;
}

static void test_hand_tree(void)
{
    /* 0 (seed) -> 1, 2; 1 -> 3, 4; 3 -> 5. Generations 0,1,1,2,2,3. */
    static const uint32_t parent[] = {RC_NO_PARENT, 0, 0, 1, 1, 3};
    uint32_t node[6], gen[6], sub[8], gc[8];
    rc_cascade_t c = make(6, 1, parent, node, gen);
    rc_run_metrics_t m;
    CHECK_OK(rc_metrics_compute(&c, NULL, 6, sub, gc, NULL, &m));
    CHECK_EQ_U64(m.size, 6);
    CHECK_EQ_U64(m.retweets, 5);
    CHECK_EQ_U64(m.reach, 99);
    CHECK_EQ_U64(m.depth, 3);
    CHECK_EQ_U64(m.max_breadth, 2);
    CHECK(gc[0] == 1 && gc[1] == 2 && gc[2] == 2 && gc[3] == 1);
    CHECK(m.global == 1 && m.capped == 0);
    CHECK(isnan(m.final_time) && isnan(m.t50));
    /* Sum over edges of s(N-s), s = subtree below the edge: node 1: 4*2, node 2: 1*5, node 3:
     * 2*4, nodes 4 and 5: 1*5 each; 31 over C(6,2) = 15 pairs. */
    CHECK_NEAR(m.virality, 31.0 / 15.0, 1e-12);
    CHECK_NEAR(m.virality, brute_virality(6, 1, parent), 1e-12);
    CHECK_OK(rc_metrics_compute(&c, NULL, 7, sub, gc, NULL, &m));
    CHECK(m.global == 0);
    CHECK_OK(rc_metrics_compute(&c, NULL, 0, sub, gc, NULL, &m));
    CHECK(m.global == 0);

    /* A bad tree is caught. */
    static const uint32_t bad[] = {RC_NO_PARENT, 2, 0};
    uint32_t g2[3] = {0, 1, 1};
    rc_cascade_t cb = {.size = 3, .n_seeds = 1, .node = node, .parent = bad, .generation = g2};
    CHECK_FAILS(rc_metrics_compute(&cb, NULL, 0, sub, gc, NULL, &m), RC_ERR_INTERNAL,
                "parents before their children");

    /* A lone seed. */
    rc_cascade_t one = make(1, 1, parent, node, gen);
    CHECK_OK(rc_metrics_compute(&one, NULL, 0, sub, gc, NULL, &m));
    CHECK(m.virality == 0.0 && m.depth == 0 && m.max_breadth == 0 && m.retweets == 0);
}

static void test_random_trees(void)
{
    gsl_rng *r = rc_rng_alloc();
    uint32_t parent[MAXN], node[MAXN], gen[MAXN], sub[MAXN + 1], gc[MAXN + 1];
    int ok = 1;
    for (int t = 0; t < 300; t++) {
        rc_rng_seed(r, 21, 0, (uint64_t)t);
        uint32_t size = 1 + rc_rng_below(r, MAXN);
        uint32_t seeds = 1 + rc_rng_below(r, size < 4 ? size : 4);
        for (uint32_t i = 0; i < size; i++)
            parent[i] = i < seeds ? RC_NO_PARENT : rc_rng_below(r, i);
        rc_cascade_t c = make(size, seeds, parent, node, gen);
        rc_run_metrics_t m;
        CHECK_OK(rc_metrics_compute(&c, NULL, 0, sub, gc, NULL, &m));
        ok &= fabs(m.virality - brute_virality(size, seeds, parent)) < 1e-9;
        uint32_t count = 0;
        for (uint32_t k = 0; k <= m.depth; k++)
            count += gc[k];
        ok &= count == size && gc[0] == seeds;
    }
    CHECK(ok);
    gsl_rng_free(r);
}

static void test_star_path_formulas(void)
{
    uint32_t parent[MAXN], node[MAXN], gen[MAXN], sub[MAXN + 1], gc[MAXN + 1];
    rc_run_metrics_t m;
    for (uint32_t n = 2; n <= 40; n++) {
        for (uint32_t i = 0; i < n; i++)
            parent[i] = i == 0 ? RC_NO_PARENT : 0;
        rc_cascade_t c = make(n, 1, parent, node, gen);
        CHECK_OK(rc_metrics_compute(&c, NULL, 0, sub, gc, NULL, &m));
        CHECK_NEAR(m.virality, 2.0 * (n - 1) / n, 1e-12);
        CHECK_EQ_U64(m.max_breadth, n - 1);
        for (uint32_t i = 0; i < n; i++)
            parent[i] = i == 0 ? RC_NO_PARENT : i - 1;
        c = make(n, 1, parent, node, gen);
        CHECK_OK(rc_metrics_compute(&c, NULL, 0, sub, gc, NULL, &m));
        CHECK_NEAR(m.virality, (n + 1) / 3.0, 1e-12);
        CHECK_EQ_U64(m.depth, n - 1);
        CHECK_EQ_U64(m.max_breadth, 1);
    }
    /* Two seeds, no reshares: the virtual root makes a path of 3 -> mean distance 4/3. */
    parent[0] = parent[1] = RC_NO_PARENT;
    rc_cascade_t c = make(2, 2, parent, node, gen);
    CHECK_OK(rc_metrics_compute(&c, NULL, 0, sub, gc, NULL, &m));
    CHECK_NEAR(m.virality, 4.0 / 3.0, 1e-12);
}

static void test_engine_star_path(void)
{
    const rc_model_t *mod = NULL;
    void *params = NULL;
    fx_model("{name: independent_cascade, p: 1}", &mod, &params);
    rc_seed_spec_t spec;
    CHECK_OK(fx_seeds("{strategy: list, nodes: [0]}", &spec));
    for (uint32_t n = 2; n <= 50; n += 16) {
        rc_graph_t *g = fx_star(n);
        rc_mc_results_t *res = NULL;
        CHECK_OK(rc_mc_run(g, mod, params, &spec, 3, 1, 0, NULL, &res));
        CHECK_NEAR(res->virality[2], 2.0 * (n - 1) / n, 1e-12);
        CHECK_EQ_U64(res->reach[0], n);
        CHECK_EQ_U64(res->edges[0], n - 1);
        CHECK(res->gen_len == 2 && res->gen_total[1] == 3 * (uint64_t)(n - 1));
        rc_mc_results_free(res);
        rc_graph_free(g);
        g = fx_path(n);
        CHECK_OK(rc_mc_run(g, mod, params, &spec, 3, 1, 0, NULL, &res));
        CHECK_NEAR(res->virality[1], (n + 1) / 3.0, 1e-12);
        CHECK_EQ_U64(res->depth[0], n - 1);
        CHECK_NEAR(res->summary[RC_METRIC_DEPTH].mean, n - 1, 0);
        CHECK(res->summary[RC_METRIC_T50].count == 0 && res->t50 == NULL);
        rc_mc_results_free(res);
        rc_graph_free(g);
    }
    rc_seeds_clear(&spec);
    rc_model_params_free(mod, params);
}

static void test_times(void)
{
    /* Ten adopters on a path with shuffled times 0..9 (as a branching model may emit them). */
    static const double t[10] = {0, 3, 1, 9, 2, 8, 4, 7, 5, 6};
    uint32_t parent[10], node[10], gen[10], sub[11], gc[11];
    double ts[10];
    for (uint32_t i = 0; i < 10; i++)
        parent[i] = i == 0 ? RC_NO_PARENT : i - 1;
    rc_cascade_t c = make(10, 1, parent, node, gen);
    c.time = t;
    rc_run_metrics_t m;
    CHECK_OK(rc_metrics_compute(&c, NULL, 0, sub, gc, ts, &m));
    CHECK(m.final_time == 9 && m.t50 == 4 && m.t90 == 8);
    static const double sorted[3] = {0, 0.5, 2.5};
    c = make(3, 1, parent, node, gen);
    c.time = sorted;
    CHECK_OK(rc_metrics_compute(&c, NULL, 0, sub, gc, NULL, &m));
    /* ceil(1.5) = 2nd adoption, ceil(2.7) = 3rd. */
    CHECK(m.final_time == 2.5 && m.t50 == 0.5 && m.t90 == 2.5);
}

/* m.edges from the out-degrees a model handed over equals the sum over every adopter read
 * afresh, for runs that end by themselves and runs stopped at a cap. */
static void test_handed_degrees(void)
{
    static const char *const models[] = {
        "{name: independent_cascade, p: 0.3}",
        "{name: independent_cascade, probability: weighted_cascade}",
        "{name: linear_threshold}"};
    rc_graph_t *g = fx_random(300, 1500, 7);
    uint32_t *sub = malloc(((size_t)g->n + 1) * sizeof *sub);
    uint32_t *gc = malloc(((size_t)g->n + 2) * sizeof *gc);
    gsl_rng *r = rc_rng_alloc();
    CHECK(sub != NULL && gc != NULL && r != NULL);
    for (int k = 0; k < 3; k++) {
        const rc_model_t *mod = NULL;
        void *params = NULL, *shared = NULL;
        fx_model(models[k], &mod, &params);
        if (mod->prepare != NULL)
            CHECK_OK(mod->prepare(params, g, &shared));
        rc_workspace_t *ws = NULL;
        CHECK_OK(rc_workspace_alloc(g->n, mod->state_size ? mod->state_size(params, g) : 0, &ws));
        int handed = 0, capped = 0;
        for (uint32_t run = 0; run < 200; run++) {
            rc_run_ctx_t ctx = {.graph = g, .params = params, .shared = shared,
                                .max_size = run % 2 ? 20 : 0};
            uint32_t seed = (run * 37) % g->n;
            rc_rng_seed(r, 3, (uint64_t)k, run);
            rc_workspace_next_run(ws);
            rc_cascade_t c;
            CHECK_OK(mod->run(&ctx, &seed, 1, r, ws, &c));
            uint64_t want = 0;
            for (uint32_t i = 0; i < c.size; i++)
                want += rc_graph_out_degree(g, c.node[i]);
            rc_run_metrics_t m, m0;
            CHECK_OK(rc_metrics_compute(&c, g, 0, sub, gc, NULL, &m));
            CHECK_EQ_U64(m.edges, want);
            handed += c.degrees_read > 0;
            capped += c.capped;
            c.degrees_read = 0; /* the metrics read them all */
            c.out_degrees = 0;
            CHECK_OK(rc_metrics_compute(&c, g, 0, sub, gc, NULL, &m0));
            CHECK_EQ_U64(m0.edges, want);
        }
        CHECK(handed > 0 && capped > 0); /* both paths ran */
        rc_workspace_free(ws);
        if (mod->free_shared != NULL)
            mod->free_shared(shared);
        rc_model_params_free(mod, params);
    }
    gsl_rng_free(r);
    free(sub);
    free(gc);
    rc_graph_free(g);
}

int main(void)
{
    test_hand_tree();
    test_random_trees();
    test_star_path_formulas();
    test_engine_star_path();
    test_times();
    test_handed_degrees();
    return rc_test_report("test_metrics");
}
