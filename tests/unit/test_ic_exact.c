/* Independent cascade against exact answers: the registry, p = 0 (only the seed), p = 1 (exactly
 * the reachable set, generations = BFS distances), spread probabilities on a 4-node graph from
 * enumerating all live-edge worlds, engagement thinning against per-edge draws, the size cap,
 * and every seed strategy. Tolerances are 5 standard errors of the run count. */
#include "engine_fixtures.h"
#include "rc_test.h"

#include <math.h>
#include <string.h>

static void test_registry(void)
{
    CHECK(rc_model_count() >= 1);
    CHECK(rc_model_at(rc_model_count()) == NULL);
    const rc_model_t *ic = rc_model_find("independent_cascade");
    CHECK(ic != NULL && strcmp(ic->name, "independent_cascade") == 0);
    for (size_t i = 0; i < rc_model_count(); i++) {
        const rc_model_t *m = rc_model_at(i);
        CHECK(m->name && m->summary && m->params && m->params_size > 0 && m->run);
        CHECK(rc_model_find(m->name) == m);
    }
    CHECK(rc_model_find("independent_cascades") == NULL);
    CHECK(strstr(rc_error_message(), "valid: independent_cascade") != NULL);

    rc_cfg_t *root = NULL;
    const rc_model_t *m = NULL;
    void *params = NULL;
    static const struct {
        const char *yaml, *text;
    } bad[] = {
        {"{name: nope}", "unknown model 'nope'"},
        {"{p: 0.1}", "missing required key"},
        {"{name: independent_cascade, p: 1.5}", "p"},
        {"{name: independent_cascade, probability: weighted}", "did you mean"},
        {"{name: independent_cascade, probability: weights, p: 0.2}", "applies only with"},
        {"{name: independent_cascade, engagement: 2}", "engagement"},
        {"{name: independent_cascade, engagement: {distribution: uniform, low: 0.8, high: 0.2}}",
         "must not exceed"},
        {"{name: independent_cascade, q: 0.1}", "unknown key 'q'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_OK(rc_cfg_parse_string(bad[i].yaml, "<test>", &root));
        CHECK_FAILS(rc_model_parse(root, &m, &params), RC_ERR_CONFIG, bad[i].text);
        CHECK(m == NULL && params == NULL);
        rc_cfg_free(root);
    }
}

static rc_mc_results_t *run_list(const rc_graph_t *g, const char *model_yaml, uint32_t seed,
                                 uint64_t runs, uint32_t max_size)
{
    const rc_model_t *m = NULL;
    void *params = NULL;
    rc_seed_spec_t spec;
    char seeds_yaml[64];
    snprintf(seeds_yaml, sizeof seeds_yaml, "{strategy: list, nodes: [%u]}", seed);
    fx_model(model_yaml, &m, &params);
    CHECK_OK(fx_seeds(seeds_yaml, &spec));
    rc_mc_options_t opt = rc_mc_default_options();
    opt.max_size = max_size;
    rc_mc_results_t *res = NULL;
    CHECK_OK(rc_mc_run(g, m, params, &spec, runs, 1234, 0, &opt, &res));
    rc_model_params_free(m, params);
    rc_seeds_clear(&spec);
    return res;
}

static void test_p0(void)
{
    rc_graph_t *g = fx_random(300, 1500, 3);
    uint32_t seed = 0;
    for (uint32_t v = 0; v < g->n; v++)
        if (rc_graph_out_degree(g, v) > rc_graph_out_degree(g, seed))
            seed = v;
    rc_mc_results_t *res = run_list(g, "{name: independent_cascade, p: 0}", seed, 50, 0);
    for (uint64_t i = 0; i < res->runs; i++) {
        CHECK_EQ_U64(res->size[i], 1);
        CHECK_EQ_U64(res->retweets[i], 0);
        CHECK_EQ_U64(res->reach[i], 1 + rc_graph_out_degree(g, seed));
        CHECK_EQ_U64(res->depth[i], 0);
        CHECK_EQ_U64(res->max_breadth[i], 0);
        CHECK(res->virality[i] == 0.0);
    }
    CHECK(res->gen_len == 1 && res->gen_total[0] == 50);
    rc_mc_results_free(res);
    rc_graph_free(g);
}

/* BFS distances from s (UINT32_MAX when unreachable). */
static uint32_t *bfs(const rc_graph_t *g, uint32_t s)
{
    uint32_t *dist = malloc(g->n * sizeof *dist), *q = malloc(g->n * sizeof *q);
    for (uint32_t v = 0; v < g->n; v++)
        dist[v] = UINT32_MAX;
    uint32_t head = 0, tail = 0;
    dist[s] = 0;
    q[tail++] = s;
    while (head < tail) {
        uint32_t u = q[head++];
        for (uint64_t e = g->out_off[u]; e < g->out_off[u + 1]; e++)
            if (dist[g->out_nbr[e]] == UINT32_MAX) {
                dist[g->out_nbr[e]] = dist[u] + 1;
                q[tail++] = g->out_nbr[e];
            }
    }
    free(q);
    return dist;
}

static void test_p1(void)
{
    /* Sparse enough that the reachable set is a strict subset of the graph. */
    rc_graph_t *g = fx_random(400, 420, 5);
    const rc_model_t *m = NULL;
    void *params = NULL;
    fx_model("{name: independent_cascade, p: 1}", &m, &params);
    void *shared = NULL;
    CHECK_OK(m->prepare(params, g, &shared));
    rc_workspace_t *ws = NULL;
    CHECK_OK(rc_workspace_alloc(g->n, m->state_size ? m->state_size(params, g) : 0, &ws));
    gsl_rng *r = rc_rng_alloc();
    rc_run_ctx_t ctx = {.graph = g, .params = params, .shared = shared, .max_size = 0};
    int strict_subset = 0;
    for (uint32_t s = 0; s < g->n; s += 7) {
        uint32_t *dist = bfs(g, s);
        uint32_t reachable = 0;
        for (uint32_t v = 0; v < g->n; v++)
            reachable += dist[v] != UINT32_MAX;
        strict_subset |= reachable > 5 && reachable < g->n;
        rc_rng_seed(r, 1, 0, s);
        rc_workspace_next_run(ws);
        rc_cascade_t c;
        CHECK_OK(m->run(&ctx, &s, 1, r, ws, &c));
        CHECK_EQ_U64(c.size, reachable);
        CHECK_EQ_U64(c.reach, reachable); /* followers of reachable nodes are reachable */
        CHECK(c.n_seeds == 1 && c.capped == 0 && c.time == NULL);
        int ok = 1;
        for (uint32_t i = 0; i < c.size; i++) {
            ok &= dist[c.node[i]] == c.generation[i];
            if (i > 0) {
                uint32_t p = c.parent[i];
                ok &= p < i && c.generation[p] + 1 == c.generation[i];
                /* the parent really is followed by the child */
                int edge = 0;
                for (uint64_t e = g->out_off[c.node[p]]; e < g->out_off[c.node[p] + 1]; e++)
                    edge |= g->out_nbr[e] == c.node[i];
                ok &= edge;
            }
        }
        CHECK(ok);
        free(dist);
    }
    CHECK(strict_subset);
    gsl_rng_free(r);
    rc_workspace_free(ws);
    m->free_shared(shared);
    rc_model_params_free(m, params);
    rc_graph_free(g);
}

/* The 4-node test graph (7 edges, so 128 live-edge worlds). Node 3 has in-degree 3. */
static const uint32_t small_edges[7][2] = {{0, 1}, {0, 2}, {1, 2}, {1, 3}, {2, 3}, {3, 1}, {0, 3}};
#define SMALL_M 7
#define SMALL_N 4

typedef struct exact {
    double p_size[SMALL_N + 1]; /* P(size = k) */
    double p_active[SMALL_N];   /* P(node v adopts) */
    double reach_mean, reach_var;
} exact_t;

/* Enumerates all live-edge worlds with edge probabilities q[]: seed 0. */
static exact_t enumerate(const double *q)
{
    exact_t x;
    memset(&x, 0, sizeof x);
    double reach2 = 0;
    for (uint32_t mask = 0; mask < (1u << SMALL_M); mask++) {
        double pr = 1;
        for (int e = 0; e < SMALL_M; e++)
            pr *= (mask >> e & 1) ? q[e] : 1 - q[e];
        int active[SMALL_N] = {1, 0, 0, 0}, changed = 1;
        while (changed) {
            changed = 0;
            for (int e = 0; e < SMALL_M; e++)
                if ((mask >> e & 1) && active[small_edges[e][0]] && !active[small_edges[e][1]])
                    active[small_edges[e][1]] = changed = 1;
        }
        int shown[SMALL_N] = {1, 0, 0, 0}, size = 0, reach = 0;
        for (int e = 0; e < SMALL_M; e++)
            if (active[small_edges[e][0]])
                shown[small_edges[e][1]] = 1;
        for (int v = 0; v < SMALL_N; v++) {
            size += active[v];
            reach += shown[v] | active[v];
            x.p_active[v] += pr * active[v];
        }
        x.p_size[size] += pr;
        x.reach_mean += pr * reach;
        reach2 += pr * reach * reach;
    }
    x.reach_var = reach2 - x.reach_mean * x.reach_mean;
    return x;
}

static void compare_small(const char *model_yaml, const double *q, const float *w)
{
    enum { RUNS = 40000 };
    rc_graph_t *g = fx_graph(SMALL_N, SMALL_M, small_edges, w);
    exact_t x = enumerate(q);
    rc_mc_results_t *res = run_list(g, model_yaml, 0, RUNS, 0);
    double count[SMALL_N + 1] = {0}, reach = 0;
    for (uint64_t i = 0; i < RUNS; i++) {
        count[res->size[i]]++;
        reach += (double)res->reach[i];
    }
    for (int k = 1; k <= SMALL_N; k++) {
        double p = x.p_size[k];
        CHECK_NEAR(count[k] / RUNS, p, 5 * sqrt(fmax(p * (1 - p), 0) / RUNS) + 1e-9);
    }
    CHECK_NEAR(reach / RUNS, x.reach_mean, 5 * sqrt(fmax(x.reach_var, 0) / RUNS) + 1e-9);
    rc_mc_results_free(res);

    /* Per-node adoption probabilities, from runs of the model alone. */
    const rc_model_t *m = NULL;
    void *params = NULL, *shared = NULL;
    fx_model(model_yaml, &m, &params);
    CHECK_OK(m->prepare(params, g, &shared));
    rc_workspace_t *ws = NULL;
    CHECK_OK(rc_workspace_alloc(g->n, m->state_size ? m->state_size(params, g) : 0, &ws));
    gsl_rng *r = rc_rng_alloc();
    rc_run_ctx_t ctx = {.graph = g, .params = params, .shared = shared, .max_size = 0};
    double active[SMALL_N] = {0};
    uint32_t seed = 0;
    for (uint64_t run = 0; run < RUNS; run++) {
        rc_rng_seed(r, 77, 1, run);
        rc_workspace_next_run(ws);
        rc_cascade_t c;
        CHECK_OK(m->run(&ctx, &seed, 1, r, ws, &c));
        for (uint32_t i = 0; i < c.size; i++)
            active[c.node[i]]++;
    }
    for (int v = 0; v < SMALL_N; v++) {
        double p = x.p_active[v];
        CHECK_NEAR(active[v] / RUNS, p, 5 * sqrt(fmax(p * (1 - p), 0) / RUNS) + 1e-9);
    }
    gsl_rng_free(r);
    rc_workspace_free(ws);
    m->free_shared(shared);
    rc_model_params_free(m, params);
    rc_graph_free(g);
}

static void test_small_exact(void)
{
    double q[SMALL_M];
    for (int e = 0; e < SMALL_M; e++)
        q[e] = 0.4;
    compare_small("{name: independent_cascade, p: 0.4}", q, NULL);
    /* Engagement 0.5 everywhere halves every edge: p = 0.8 acts like 0.4. */
    compare_small("{name: independent_cascade, p: 0.8, engagement: 0.5}", q, NULL);

    static const float w[SMALL_M] = {0.9f, 0.3f, 0.5f, 0.2f, 0.7f, 0.6f, 0.25f};
    for (int e = 0; e < SMALL_M; e++)
        q[e] = w[e];
    compare_small("{name: independent_cascade, probability: weights}", q, w);
    for (int e = 0; e < SMALL_M; e++)
        q[e] = w[e] * 0.5;
    compare_small("{name: independent_cascade, probability: weights, engagement: {distribution: "
                  "uniform, low: 0.5, high: 0.5}}", q, w);

    /* Weighted cascade: 1 / in-degree of the follower (in-degrees 0, 2, 2, 3). */
    static const double indeg[SMALL_N] = {0, 2, 2, 3};
    for (int e = 0; e < SMALL_M; e++)
        q[e] = 1.0 / indeg[small_edges[e][1]];
    compare_small("{name: independent_cascade, probability: weighted_cascade}", q, NULL);
}

/* The thinned geometric skips (constant p with varying engagement) against per-edge draws with
 * the same probabilities (weights all p, same engagement stream): same distribution. */
static void test_thinning(void)
{
    enum { RUNS = 20000 };
    const uint32_t n = 3000;
    const uint64_t m = 9000;
    rc_graph_t *g0 = fx_random(n, m, 11);
    /* The same graph with every weight 0.5. */
    rc_edges_t e = {0};
    CHECK_OK(rc_edges_init(&e, g0->m, 1));
    for (uint32_t u = 0; u < n; u++)
        for (uint64_t k = g0->out_off[u]; k < g0->out_off[u + 1]; k++)
            CHECK_OK(rc_edges_push(&e, u, g0->out_nbr[k], 0.5f));
    rc_graph_t *g1 = NULL;
    CHECK_OK(rc_graph_build(n, &e, 0, &g1, NULL));
    const char *eng = "engagement: {distribution: beta, a: 2, b: 3}";
    char y0[160], y1[160];
    snprintf(y0, sizeof y0, "{name: independent_cascade, p: 0.5, %s}", eng);
    snprintf(y1, sizeof y1, "{name: independent_cascade, probability: weights, %s}", eng);
    rc_mc_results_t *a = NULL, *b = NULL;
    const rc_model_t *mod = NULL;
    void *pa = NULL, *pb = NULL;
    rc_seed_spec_t spec;
    CHECK_OK(fx_seeds("{strategy: random, count: 2}", &spec));
    fx_model(y0, &mod, &pa);
    CHECK_OK(rc_mc_run(g0, mod, pa, &spec, RUNS, 5, 0, NULL, &a));
    fx_model(y1, &mod, &pb);
    CHECK_OK(rc_mc_run(g1, mod, pb, &spec, RUNS, 6, 0, NULL, &b));
    const rc_metric_summary_t *sa = &a->summary[RC_METRIC_RETWEETS];
    const rc_metric_summary_t *sb = &b->summary[RC_METRIC_RETWEETS];
    CHECK(sa->mean > 0.3); /* the test means something: cascades do happen */
    CHECK_NEAR(sa->mean, sb->mean, 5 * sqrt(sa->se * sa->se + sb->se * sb->se));
    const rc_metric_summary_t *ra = &a->summary[RC_METRIC_REACH];
    const rc_metric_summary_t *rb = &b->summary[RC_METRIC_REACH];
    CHECK_NEAR(ra->mean, rb->mean, 5 * sqrt(ra->se * ra->se + rb->se * rb->se));
    rc_mc_results_free(a);
    rc_mc_results_free(b);
    rc_model_params_free(mod, pa);
    rc_model_params_free(mod, pb);
    rc_seeds_clear(&spec);
    rc_graph_free(g0);
    rc_graph_free(g1);
}

static void test_trivalency_and_cap(void)
{
    /* Complete graph on 8 nodes. */
    uint32_t edges[56][2];
    size_t k = 0;
    for (uint32_t u = 0; u < 8; u++)
        for (uint32_t v = 0; v < 8; v++)
            if (u != v) {
                edges[k][0] = u;
                edges[k][1] = v;
                k++;
            }
    rc_graph_t *g = fx_graph(8, k, (const uint32_t(*)[2])edges, NULL);
    rc_mc_results_t *res = run_list(g, "{name: independent_cascade, p: 1}", 2, 10, 5);
    for (uint64_t i = 0; i < res->runs; i++) {
        CHECK_EQ_U64(res->size[i], 5);
        CHECK(res->capped[i] == 1);
    }
    CHECK(res->p_capped == 1.0);
    rc_mc_results_free(res);
    /* Trivalency: probabilities are at most 0.1, so P(any reshare from 7 edges) <= 1-0.9^7. */
    res = run_list(g, "{name: independent_cascade, probability: trivalency}", 0, 20000, 0);
    double any = 0;
    for (uint64_t i = 0; i < res->runs; i++)
        any += res->size[i] > 1;
    any /= (double)res->runs;
    CHECK(any > 0.0 && any < 1 - pow(0.9, 7) + 0.02);
    rc_mc_results_free(res);
    rc_graph_free(g);
}

static void test_seeds(void)
{
    /* Out-degrees: node 0: 3, node 1: 3, node 2: 1, node 3: 2, node 4: 0, node 5: 0. */
    static const uint32_t e[][2] = {{0, 1}, {0, 2}, {0, 3}, {1, 0}, {1, 4}, {1, 5},
                                    {2, 5}, {3, 4}, {3, 5}};
    rc_graph_t *g = fx_graph(6, 9, e, NULL);
    rc_seed_spec_t spec;
    rc_seed_plan_t *plan = NULL;
    rc_workspace_t *ws = NULL;
    CHECK_OK(rc_workspace_alloc(g->n, 0, &ws));
    gsl_rng *r = rc_rng_alloc();
    uint32_t out[8];

    CHECK_OK(fx_seeds("{strategy: top_followers, count: 3}", &spec));
    CHECK_OK(rc_seeds_resolve(&spec, g, &plan));
    rc_seeds_draw(plan, r, ws, out);
    CHECK(out[0] == 0 && out[1] == 1 && out[2] == 3);
    rc_seed_plan_free(plan);
    rc_seeds_clear(&spec);

    CHECK_OK(fx_seeds("{strategy: list, nodes: [5, 2]}", &spec));
    CHECK_OK(rc_seeds_resolve(&spec, g, &plan));
    rc_seeds_draw(plan, r, ws, out);
    CHECK(plan->count == 2 && out[0] == 5 && out[1] == 2);
    rc_seed_plan_free(plan);
    rc_seeds_clear(&spec);
    CHECK_OK(fx_seeds("{strategy: list, nodes: [6]}", &spec));
    CHECK_FAILS(rc_seeds_resolve(&spec, g, &plan), RC_ERR_CONFIG, "node 6 does not exist");
    rc_seeds_clear(&spec);
    CHECK_OK(fx_seeds("{strategy: list, nodes: [1, 1]}", &spec));
    CHECK_FAILS(rc_seeds_resolve(&spec, g, &plan), RC_ERR_CONFIG, "listed twice");
    rc_seeds_clear(&spec);
    CHECK_FAILS(fx_seeds("{strategy: list, nodes: [1], count: 2}", &spec), RC_ERR_CONFIG,
                "count");
    CHECK_FAILS(fx_seeds("{strategy: random, nodes: [1]}", &spec), RC_ERR_CONFIG,
                "applies only with strategy: list");
    CHECK_FAILS(fx_seeds("{strategy: ramdom}", &spec), RC_ERR_CONFIG, "did you mean 'random'");
    CHECK_OK(fx_seeds("{count: 7}", &spec));
    CHECK_FAILS(rc_seeds_resolve(&spec, g, &plan), RC_ERR_CONFIG, "only 6 nodes");
    rc_seeds_clear(&spec);

    /* By original id. */
    g->orig_id = malloc(g->n * sizeof *g->orig_id);
    for (uint32_t v = 0; v < g->n; v++)
        g->orig_id[v] = 1000 + 10 * (uint64_t)v;
    CHECK_OK(fx_seeds("{strategy: list, nodes: [1030, 1000]}", &spec));
    CHECK_OK(rc_seeds_resolve(&spec, g, &plan));
    rc_seeds_draw(plan, r, ws, out);
    CHECK(out[0] == 3 && out[1] == 0);
    rc_seed_plan_free(plan);
    rc_seeds_clear(&spec);
    CHECK_OK(fx_seeds("{strategy: list, nodes: [3]}", &spec));
    CHECK_FAILS(rc_seeds_resolve(&spec, g, &plan), RC_ERR_CONFIG, "no account with id 3");
    rc_seeds_clear(&spec);

    /* Communities: {0, 2, 4} and {1, 3, 5}. */
    CHECK_OK(fx_seeds("{strategy: community, count: 2, community: 1}", &spec));
    CHECK_FAILS(rc_seeds_resolve(&spec, g, &plan), RC_ERR_CONFIG, "needs a network with communities");
    g->community = malloc(g->n * sizeof *g->community);
    for (uint32_t v = 0; v < g->n; v++)
        g->community[v] = v % 2;
    g->n_communities = 2;
    CHECK_OK(rc_seeds_resolve(&spec, g, &plan));
    for (int run = 0; run < 200; run++) {
        rc_rng_seed(r, 3, 0, (uint64_t)run);
        rc_seeds_draw(plan, r, ws, out);
        CHECK(out[0] != out[1] && out[0] % 2 == 1 && out[1] % 2 == 1);
    }
    rc_seed_plan_free(plan);
    rc_seeds_clear(&spec);
    CHECK_OK(fx_seeds("{strategy: community, count: 4, community: 1}", &spec));
    CHECK_FAILS(rc_seeds_resolve(&spec, g, &plan), RC_ERR_CONFIG, "has only 3 members");
    rc_seeds_clear(&spec);
    CHECK_OK(fx_seeds("{strategy: community, count: 1, community: 2}", &spec));
    CHECK_FAILS(rc_seeds_resolve(&spec, g, &plan), RC_ERR_CONFIG, "2 does not exist");
    rc_seeds_clear(&spec);

    /* Random: distinct, uniform inclusion (3 of 6: each node with probability 1/2), and the
     * same stream gives the same seeds. */
    enum { DRAWS = 40000 };
    CHECK_OK(fx_seeds("{strategy: random, count: 3}", &spec));
    CHECK_OK(rc_seeds_resolve(&spec, g, &plan));
    double inc[6] = {0};
    int distinct = 1;
    for (int run = 0; run < DRAWS; run++) {
        rc_rng_seed(r, 9, 0, (uint64_t)run);
        rc_seeds_draw(plan, r, ws, out);
        distinct &= out[0] != out[1] && out[1] != out[2] && out[0] != out[2];
        for (int i = 0; i < 3; i++)
            inc[out[i]]++;
    }
    CHECK(distinct);
    for (int v = 0; v < 6; v++)
        CHECK_NEAR(inc[v] / DRAWS, 0.5, 5 * sqrt(0.25 / DRAWS));
    uint32_t again[3];
    rc_rng_seed(r, 9, 0, 17);
    rc_seeds_draw(plan, r, ws, out);
    rc_rng_seed(r, 9, 0, 17);
    rc_seeds_draw(plan, r, ws, again);
    CHECK(memcmp(out, again, sizeof again) == 0);
    rc_seed_plan_free(plan);
    rc_seeds_clear(&spec);

    gsl_rng_free(r);
    rc_workspace_free(ws);
    rc_graph_free(g);
}

int main(void)
{
    test_registry();
    test_p0();
    test_p1();
    test_small_exact();
    test_thinning();
    test_trivalency_and_cap();
    test_seeds();
    return rc_test_report("test_ic_exact");
}
