/* Threshold models on tiny graphs: linear threshold spread probabilities against exact values
 * enumerated through the live-edge equivalence of Kempe et al. (each node keeps at most one
 * incoming edge, with probability its weight), Watts threshold outcomes that are deterministic
 * with a fixed phi, threshold distributions against their CDFs, and parameter errors. */
#include "model_fixture.h"

#include <gsl/gsl_cdf.h>

#define TOL_SE 5.0

/* ---- Linear threshold: exact spread probabilities by live-edge enumeration ---- */

typedef struct lt_enum {
    const rc_graph_t *g;
    const double *w;    /* weight of each in-edge (aligned with in_nbr) */
    const int *is_seed; /* n */
    int *choice;        /* n: chosen in-edge offset, -1 for none */
    double *p_active;   /* n: accumulated */
} lt_enum_t;

static void lt_enum_leaf(lt_enum_t *s, double prob)
{
    const rc_graph_t *g = s->g;
    for (uint32_t v = 0; v < g->n; v++) {
        uint32_t x = v;
        int active = 0;
        for (uint32_t step = 0; step <= g->n; step++) {
            if (s->is_seed[x]) {
                active = 1;
                break;
            }
            if (s->choice[x] < 0)
                break;
            x = g->in_nbr[g->in_off[x] + (uint64_t)s->choice[x]];
        }
        if (active)
            s->p_active[v] += prob;
    }
}

static void lt_enum_node(lt_enum_t *s, uint32_t v, double prob)
{
    const rc_graph_t *g = s->g;
    if (v == g->n) {
        lt_enum_leaf(s, prob);
        return;
    }
    s->choice[v] = -1;
    if (s->is_seed[v]) {
        lt_enum_node(s, v + 1, prob);
        return;
    }
    double rest = 1.0;
    for (uint64_t e = g->in_off[v]; e < g->in_off[v + 1]; e++) {
        s->choice[v] = (int)(e - g->in_off[v]);
        lt_enum_node(s, v + 1, prob * s->w[e]);
        rest -= s->w[e];
    }
    s->choice[v] = -1;
    if (rest > 1e-12)
        lt_enum_node(s, v + 1, prob * rest);
}

/* Exact P(v active) for every v, with in-edge weights w (NULL: 1/in-degree). */
static void lt_exact(const rc_graph_t *g, const float *w_in, const uint32_t *seeds, uint32_t ns,
                     double *p_active)
{
    double *w = calloc(g->m + 1, sizeof *w);
    int *is_seed = calloc(g->n, sizeof *is_seed);
    int *choice = calloc(g->n, sizeof *choice);
    for (uint32_t v = 0; v < g->n; v++)
        for (uint64_t e = g->in_off[v]; e < g->in_off[v + 1]; e++)
            w[e] = w_in ? (double)w_in[e] : 1.0 / (double)(g->in_off[v + 1] - g->in_off[v]);
    for (uint32_t i = 0; i < ns; i++)
        is_seed[seeds[i]] = 1;
    for (uint32_t v = 0; v < g->n; v++)
        p_active[v] = 0.0;
    lt_enum_t s = {g, w, is_seed, choice, p_active};
    lt_enum_node(&s, 0, 1.0);
    free(w);
    free(is_seed);
    free(choice);
}

/* Runs `runs` cascades and compares each node's activation frequency with the exact value. */
static void lt_compare(const rc_graph_t *g, const char *yaml, const float *w_in,
                       const uint32_t *seeds, uint32_t ns, uint64_t runs)
{
    fixture_t f;
    double exact[16], count[16] = {0};
    if (fx_open(&f, g, yaml, 0) != 0)
        return;
    lt_exact(g, w_in, seeds, ns, exact);
    double exact_size = 0.0;
    for (uint32_t v = 0; v < g->n; v++)
        exact_size += exact[v];
    double sizes = 0.0, sizes2 = 0.0;
    for (uint64_t run = 0; run < runs; run++) {
        rc_cascade_t c;
        CHECK_OK(fx_run(&f, run, seeds, ns, &c));
        if (run < 200)
            fx_check_tree(g, &c, 1);
        for (uint32_t i = 0; i < c.size; i++)
            count[c.node[i]] += 1.0;
        sizes += c.size;
        sizes2 += (double)c.size * c.size;
        CHECK(c.capped == 0);
    }
    for (uint32_t v = 0; v < g->n; v++) {
        double p = exact[v], freq = count[v] / (double)runs;
        double se = sqrt(p * (1.0 - p) / (double)runs);
        printf("  %s node %u: P(active) exact %.5f, simulated %.5f (5 SE = %.5f)\n", yaml, v, p,
               freq, TOL_SE * se);
        CHECK_NEAR(freq, p, TOL_SE * se + 1e-12);
    }
    double mean = sizes / (double)runs;
    double sd = sqrt(fmax(sizes2 / (double)runs - mean * mean, 0.0));
    CHECK_NEAR(mean, exact_size, TOL_SE * sd / sqrt((double)runs) + 1e-12);
    fx_close(&f);
}

static void test_lt_exact(void)
{
    /* Weighted graph: node 1 follows 0, node 2 follows 0 and 1, node 3 follows 1 and 2, with
     * incoming weights summing below 1 so that every node can stay out. */
    const uint32_t src[] = {0, 0, 1, 1, 2};
    const uint32_t dst[] = {1, 2, 2, 3, 3};
    const float w[] = {0.5f, 0.3f, 0.4f, 0.6f, 0.2f};
    rc_graph_t *g = fx_graph(4, src, dst, w, 5, 0);
    CHECK(g != NULL);
    if (g == NULL)
        return;
    const uint32_t seed0[] = {0};
    lt_compare(g, "model: {name: linear_threshold, weights: graph}", g->in_w, seed0, 1, 200000);
    /* Hand check of the enumeration: P(1) = .5, P(2) = .3 + .4 * .5, P(3) = .6 * .5 + .2 * .5. */
    double exact[4];
    lt_exact(g, g->in_w, seed0, 1, exact);
    CHECK_NEAR(exact[1], 0.5, 1e-6);
    CHECK_NEAR(exact[2], 0.5, 1e-6);
    CHECK_NEAR(exact[3], 0.4, 1e-6);
    rc_graph_free(g);

    /* 1/in-degree weights with a cycle 1 <-> 2: when 1 and 2 keep each other's edge, neither is
     * reached from the seed, so P(1) = P(2) = P(3) = 3/4. */
    const uint32_t src2[] = {0, 0, 1, 2, 1, 2};
    const uint32_t dst2[] = {1, 2, 2, 1, 3, 3};
    g = fx_graph(4, src2, dst2, NULL, 6, 0);
    CHECK(g != NULL);
    if (g == NULL)
        return;
    lt_exact(g, NULL, seed0, 1, exact);
    CHECK_NEAR(exact[1], 0.75, 1e-12);
    CHECK_NEAR(exact[3], 0.75, 1e-12);
    lt_compare(g, "model: {name: linear_threshold}", NULL, seed0, 1, 200000);
    /* Two seeds: everything is reached for sure once 1 is a seed. */
    const uint32_t seeds01[] = {0, 1};
    lt_compare(g, "model: {name: linear_threshold, weights: in_degree}", NULL, seeds01, 2, 20000);
    rc_graph_free(g);
}

/* A path with 1/in-degree weights (= 1): every node adopts, in generation order. */
static void test_lt_path_and_cap(void)
{
    const uint32_t src[] = {0, 1, 2, 3};
    const uint32_t dst[] = {1, 2, 3, 4};
    rc_graph_t *g = fx_graph(5, src, dst, NULL, 4, 0);
    fixture_t f;
    if (g == NULL || fx_open(&f, g, "model: {name: linear_threshold}", 0) != 0)
        return;
    const uint32_t seed0[] = {0};
    rc_cascade_t c;
    for (uint64_t run = 0; run < 10; run++) {
        CHECK_OK(fx_run(&f, run, seed0, 1, &c));
        CHECK_EQ_U64(c.size, 5);
        CHECK_EQ_U64(c.reach, 5);
        for (uint32_t i = 0; i < c.size; i++) {
            CHECK_EQ_U64(c.node[i], i);
            CHECK_EQ_U64(c.generation[i], i);
        }
        CHECK(c.time == NULL);
        fx_check_tree(g, &c, 1);
    }
    /* A repeated seed adopts once. */
    const uint32_t dup[] = {2, 2};
    CHECK_OK(fx_run(&f, 0, dup, 2, &c));
    CHECK_EQ_U64(c.n_seeds, 1);
    CHECK_EQ_U64(c.size, 3);
    /* The cap stops adoptions and raises the flag; reach still counts everyone shown. */
    f.ctx.max_size = 3;
    CHECK_OK(fx_run(&f, 0, seed0, 1, &c));
    CHECK_EQ_U64(c.size, 3);
    CHECK(c.capped == 1);
    CHECK_EQ_U64(c.reach, 4);
    f.ctx.max_size = 5;
    CHECK_OK(fx_run(&f, 0, seed0, 1, &c));
    CHECK_EQ_U64(c.size, 5);
    CHECK(c.capped == 0);
    fx_close(&f);
    rc_graph_free(g);
}

static void test_lt_errors(void)
{
    const uint32_t src[] = {0, 2};
    const uint32_t dst[] = {1, 1};
    const float w[] = {0.7f, 0.6f};
    rc_graph_t *wg = fx_graph(3, src, dst, w, 2, 0);
    rc_graph_t *ug = fx_graph(3, src, dst, NULL, 2, 0);
    rc_cfg_t *cfg = NULL;
    const rc_model_t *m = NULL;
    void *params = NULL, *shared = NULL;
    if (wg == NULL || ug == NULL)
        return;
    CHECK_OK(rc_cfg_parse_string("model: {name: linear_threshold, weights: graph}", "<t>", &cfg));
    CHECK_OK(rc_model_parse(rc_cfg_get(cfg, "model"), &m, &params));
    CHECK_FAILS(m->prepare(params, wg, &shared), RC_ERR_CONFIG, "sum to 1.3");
    CHECK_FAILS(m->prepare(params, ug, &shared), RC_ERR_CONFIG, "edge weights");
    rc_model_params_free(m, params);
    rc_cfg_free(cfg);

    CHECK_OK(rc_cfg_parse_string("model: {name: linear_threshold, weight: graph}", "<t>", &cfg));
    CHECK_FAILS(rc_model_parse(rc_cfg_get(cfg, "model"), &m, &params), RC_ERR_CONFIG,
                "unknown key 'weight'");
    rc_cfg_free(cfg);
    CHECK_OK(rc_cfg_parse_string("model: {name: linear_threshold, weights: edges}", "<t>", &cfg));
    CHECK_FAILS(rc_model_parse(rc_cfg_get(cfg, "model"), &m, &params), RC_ERR_CONFIG,
                "model.weights");
    rc_cfg_free(cfg);
    rc_graph_free(wg);
    rc_graph_free(ug);
}

/* ---- Watts threshold: deterministic cases with fixed phi ---- */

static uint32_t wt_size(const rc_graph_t *g, const char *yaml, const uint32_t *seeds, uint32_t ns)
{
    fixture_t f;
    rc_cascade_t c = {0};
    if (fx_open(&f, g, yaml, 0) != 0)
        return UINT32_MAX;
    CHECK_OK(fx_run(&f, 7, seeds, ns, &c));
    fx_check_tree(g, &c, 1);
    uint32_t size = c.size;
    /* Fixed phi: nothing random, so another stream gives the same cascade. */
    CHECK_OK(fx_run(&f, 8, seeds, ns, &c));
    CHECK_EQ_U64(c.size, size);
    fx_close(&f);
    return size;
}

static void test_watts_fixed(void)
{
    const uint32_t seed0[] = {0}, seed1[] = {1};
    /* Directed star 0 -> 1..6: each leaf follows only the seed, so any phi <= 1 tips it. */
    const uint32_t ssrc[] = {0, 0, 0, 0, 0, 0}, sdst[] = {1, 2, 3, 4, 5, 6};
    rc_graph_t *star = fx_graph(7, ssrc, sdst, NULL, 6, 0);
    rc_graph_t *ustar = fx_graph(7, ssrc, sdst, NULL, 6, 1);
    rc_graph_t *ustar5 = fx_graph(5, ssrc, sdst, NULL, 4, 1);
    if (star == NULL || ustar == NULL || ustar5 == NULL)
        return;
    CHECK_EQ_U64(wt_size(star, "model: {name: watts_threshold, phi: 1}", seed0, 1), 7);
    CHECK_EQ_U64(wt_size(star, "model: {name: watts_threshold, phi: 0.5}", seed1, 1), 1);
    /* Undirected star seeded at a leaf: the hub sees 1 of its k leaves. k = 4: 1/4 >= 0.18, the
     * hub tips and then every leaf (fraction 1); k = 6: 1/6 < 0.18, nothing happens. */
    CHECK_EQ_U64(wt_size(ustar5, "model: {name: watts_threshold, phi: 0.18}", seed1, 1), 5);
    CHECK_EQ_U64(wt_size(ustar, "model: {name: watts_threshold, phi: 0.18}", seed1, 1), 1);
    CHECK_EQ_U64(wt_size(ustar, "model: {name: watts_threshold}", seed1, 1), 1);
    CHECK_EQ_U64(wt_size(ustar, "model: {name: watts_threshold, phi: 0.1666}", seed1, 1), 7);

    /* Undirected path 0 - 1 - ... - 5 from an end: inner nodes see 1 of 2 neighbours. */
    const uint32_t psrc[] = {0, 1, 2, 3, 4}, pdst[] = {1, 2, 3, 4, 5};
    rc_graph_t *path = fx_graph(6, psrc, pdst, NULL, 5, 1);
    if (path == NULL)
        return;
    CHECK_EQ_U64(wt_size(path, "model: {name: watts_threshold, phi: 0.5}", seed0, 1), 6);
    CHECK_EQ_U64(wt_size(path, "model: {name: watts_threshold, phi: 0.51}", seed0, 1), 1);

    /* Complete graph on 11 nodes: k seeds show everyone else the fraction k/10, which reaches
     * phi = 0.3 at exactly k = 3 (the boundary counts: fraction >= phi). */
    enum { K = 11 };
    uint32_t csrc[K * (K - 1)], cdst[K * (K - 1)];
    size_t m = 0;
    for (uint32_t u = 0; u < K; u++)
        for (uint32_t v = 0; v < K; v++)
            if (u != v) {
                csrc[m] = u;
                cdst[m] = v;
                m++;
            }
    rc_graph_t *complete = fx_graph(K, csrc, cdst, NULL, m, 0);
    if (complete == NULL)
        return;
    const uint32_t seeds3[] = {4, 7, 9};
    CHECK_EQ_U64(wt_size(complete, "model: {name: watts_threshold, phi: 0.3}", seeds3, 3), K);
    CHECK_EQ_U64(wt_size(complete, "model: {name: watts_threshold, phi: 0.3}", seeds3, 2), 2);
    /* phi = 0: a node tips as soon as it is shown the post, so the cascade is the reachable set
     * (from leaf 1 of the directed star, which nobody follows, that is the seed alone). */
    CHECK_EQ_U64(wt_size(star, "model: {name: watts_threshold, phi: 0}", seed1, 1), 1);
    CHECK_EQ_U64(wt_size(complete, "model: {name: watts_threshold, phi: 0}", seed0, 1), K);

    /* Generations and parents on the path: node k adopts in generation k through node k-1. */
    fixture_t f;
    rc_cascade_t c;
    if (fx_open(&f, path, "model: {name: watts_threshold, phi: 0.5}", 0) == 0) {
        CHECK_OK(fx_run(&f, 0, seed0, 1, &c));
        for (uint32_t i = 1; i < c.size; i++) {
            CHECK_EQ_U64(c.node[i], i);
            CHECK_EQ_U64(c.parent[i], i - 1);
            CHECK_EQ_U64(c.generation[i], i);
        }
        CHECK_EQ_U64(c.reach, 6);
        f.ctx.max_size = 2;
        CHECK_OK(fx_run(&f, 0, seed0, 1, &c));
        CHECK_EQ_U64(c.size, 2);
        CHECK(c.capped == 1);
        fx_close(&f);
    }
    rc_graph_free(star);
    rc_graph_free(ustar);
    rc_graph_free(ustar5);
    rc_graph_free(path);
    rc_graph_free(complete);
}

/* Threshold distributions: node 0 (seed) and node 1 (never adopts: it follows nobody and is no
 * seed) are the followees of T targets, each of which then sees the fraction 1/2 and tips with
 * probability P(phi <= 1/2), independently. */
static void wt_distribution_case(const char *yaml, double expected)
{
    enum { T = 50 };
    uint32_t src[2 * T], dst[2 * T];
    for (uint32_t j = 0; j < T; j++) {
        src[2 * j] = 0;
        dst[2 * j] = 2 + j;
        src[2 * j + 1] = 1;
        dst[2 * j + 1] = 2 + j;
    }
    rc_graph_t *g = fx_graph(2 + T, src, dst, NULL, 2 * T, 0);
    fixture_t f;
    if (g == NULL || fx_open(&f, g, yaml, 0) != 0)
        return;
    const uint64_t runs = 4000;
    const uint32_t seed0[] = {0};
    double tipped = 0.0;
    for (uint64_t run = 0; run < runs; run++) {
        rc_cascade_t c;
        CHECK_OK(fx_run(&f, run, seed0, 1, &c));
        tipped += c.size - 1;
    }
    const double trials = (double)runs * T;
    double freq = tipped / trials;
    double tol = TOL_SE * sqrt(expected * (1.0 - expected) / trials) + 1e-12;
    printf("  %s: P(phi <= 1/2) expected %.5f, simulated %.5f (5 SE = %.5f)\n", yaml, expected,
           freq, tol);
    CHECK_NEAR(freq, expected, tol);
    fx_close(&f);
    rc_graph_free(g);
}

static void test_watts_distributions(void)
{
    /* Normal(0.4, 0.3) truncated to [0, 1] by redrawing: P(phi <= .5) = (F(.5) - F(0)) /
     * (F(1) - F(0)); by clipping: F(.5) (draws below 0 become 0 <= .5). */
    double f0 = gsl_cdf_gaussian_P(-0.4, 0.3), f5 = gsl_cdf_gaussian_P(0.1, 0.3),
           f1 = gsl_cdf_gaussian_P(0.6, 0.3);
    wt_distribution_case("model: {name: watts_threshold, phi_distribution: {type: normal, mean: "
                         "0.4, sd: 0.3}}",
                         (f5 - f0) / (f1 - f0));
    wt_distribution_case("model: {name: watts_threshold, phi_distribution: {type: normal, mean: "
                         "0.4, sd: 0.3, truncation: clip}}",
                         f5);
    wt_distribution_case("model: {name: watts_threshold, phi_distribution: {type: uniform, low: "
                         "0.2, high: 0.9}}",
                         0.3 / 0.7);
    /* Clipping a normal far above 1 gives phi = 1, which fraction 1/2 never reaches. */
    wt_distribution_case("model: {name: watts_threshold, phi_distribution: {type: normal, mean: "
                         "5, sd: 0.1, truncation: clip}}",
                         0.0);
}

static void wt_parse_fails(const char *yaml, const char *text)
{
    rc_cfg_t *cfg = NULL;
    const rc_model_t *m = NULL;
    void *params = NULL;
    CHECK_OK(rc_cfg_parse_string(yaml, "<t>", &cfg));
    CHECK_FAILS(rc_model_parse(rc_cfg_get(cfg, "model"), &m, &params), RC_ERR_CONFIG, text);
    rc_cfg_free(cfg);
}

static void test_watts_errors(void)
{
    wt_parse_fails("model: {name: watts_threshold, phi: 1.5}", "model.phi");
    wt_parse_fails("model: {name: watts_threshold, phy: 0.2}", "did you mean 'phi'");
    wt_parse_fails("model: {name: watts_threshold, phi: 0.2, phi_distribution: {type: uniform, "
                   "low: 0, high: 1}}",
                   "not both");
    wt_parse_fails("model: {name: watts_threshold, phi_distribution: {type: normal, mean: 0.2, "
                   "sd: 0}}",
                   "model.phi_distribution.sd");
    wt_parse_fails("model: {name: watts_threshold, phi_distribution: {type: normal, mean: 0.2}}",
                   "missing required key 'model.phi_distribution.sd'");
    wt_parse_fails("model: {name: watts_threshold, phi_distribution: {type: normal, mean: 9, sd: "
                   "0.1}}",
                   "truncation: clip");
    wt_parse_fails("model: {name: watts_threshold, phi_distribution: {type: uniform, low: 0.6, "
                   "high: 0.5}}",
                   "must not exceed");
    wt_parse_fails("model: {name: watts_threshold, phi_distribution: {type: beta, a: 1}}",
                   "model.phi_distribution.type");
    wt_parse_fails("model: {name: watts_threshold, phi_distribution: {type: uniform, low: 0, "
                   "high: 1, sd: 2}}",
                   "unknown key 'sd'");
}

int main(void)
{
    test_lt_exact();
    test_lt_path_and_cap();
    test_lt_errors();
    test_watts_fixed();
    test_watts_distributions();
    test_watts_errors();
    return rc_test_report("test_models_threshold");
}
