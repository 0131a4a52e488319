/* Audience scenarios: the `audience:` map and its errors, every pick strategy against what it
 * claims (sizes, distinct members, top-k against a full sort, community restriction,
 * preferential inclusion against the exact successive-sampling probabilities, on all three
 * draw paths), metrics counted from the author, and the experiment-level rules (seeds xor
 * audience, scenarios, sweeps). The engine in audience mode is test_audience_runs.c. */
#include "engine_fixtures.h"
#include "rc_test.h"
#include "rtcascade/specs.h"
#include "rtcascade/experiment.h"

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

static int bit_of(const uint64_t *bits, uint32_t v)
{
    return (int)((bits[v >> 6] >> (v & 63)) & 1u);
}

/* Members distinct, in [0, n), exactly their bits set. Returns 1 when all holds. */
static int members_ok(const uint32_t *members, uint32_t k, const uint64_t *bits, uint32_t n)
{
    uint32_t set = 0;
    for (uint32_t w = 0; w < (n + 63) / 64; w++)
        set += (uint32_t)__builtin_popcountll(bits[w]);
    if (set != k)
        return 0;
    for (uint32_t i = 0; i < k; i++)
        if (members[i] >= n || !bit_of(bits, members[i]))
            return 0;
    return 1; /* k bits set and k members each on a set bit: the members are distinct */
}

typedef struct deg_idx {
    uint64_t d;
    uint32_t v;
} deg_idx_t;

static int deg_idx_cmp(const void *a, const void *b)
{
    const deg_idx_t *x = a, *y = b;
    if (x->d != y->d)
        return x->d > y->d ? -1 : 1;
    return x->v < y->v ? -1 : x->v > y->v;
}

/* Hubs 0..9 each followed by 20 leaves of their own: 210 nodes, 200 edges. */
static rc_graph_t *hubs_graph(void)
{
    uint32_t(*e)[2] = malloc(200 * sizeof *e);
    for (uint32_t h = 0; h < 10; h++)
        for (uint32_t j = 0; j < 20; j++) {
            e[h * 20 + j][0] = h;
            e[h * 20 + j][1] = 10 + h * 20 + j;
        }
    rc_graph_t *g = fx_graph(210, 200, (const uint32_t(*)[2])e, NULL);
    free(e);
    return g;
}

/* Successive sampling of k from 10 hubs of weight 21 and 200 leaves of weight 1: mean and
 * variance of the number of hubs chosen, exactly, by dynamic programming over draws. */
static void hubs_expected(uint32_t k, double *mean, double *var)
{
    double p[11] = {1.0};
    for (uint32_t j = 0; j < k; j++) {
        double q[11] = {0};
        for (uint32_t h = 0; h <= 10 && h <= j; h++) {
            if (p[h] == 0.0)
                continue;
            double wh = (10.0 - h) * 21.0, wl = (200.0 - (j - h)) * 1.0;
            if (h < 10)
                q[h + 1] += p[h] * wh / (wh + wl);
            q[h] += p[h] * wl / (wh + wl);
        }
        memcpy(p, q, sizeof p);
    }
    double m1 = 0, m2 = 0;
    for (uint32_t h = 0; h <= 10; h++) {
        m1 += h * p[h];
        m2 += (double)h * h * p[h];
    }
    *mean = m1;
    *var = m2 - m1 * m1;
}

static uint32_t count_hubs(const uint32_t *members, uint32_t k)
{
    uint32_t h = 0;
    for (uint32_t i = 0; i < k; i++)
        h += members[i] < 10;
    return h;
}

/* ---- parsing ---- */

static void test_parse(void)
{
    rc_audience_spec_t s;
    CHECK_OK(parse_audience("{size: 250, pick: top_followers, engagement: 0.15}", &s));
    CHECK(s.size == 250 && s.pick == RC_AUDIENCE_TOP_FOLLOWERS && s.engagement == 0.15 &&
          s.redraw == 0 && s.community == 0);
    CHECK_OK(parse_audience("{size: 10, engagement: 0}", &s));
    CHECK(s.pick == RC_AUDIENCE_RANDOM);
    CHECK_OK(parse_audience("{size: 5, pick: community, community: 3, engagement: 1, redraw: true}",
                            &s));
    CHECK(s.pick == RC_AUDIENCE_COMMUNITY && s.community == 3 && s.redraw == 1);
    CHECK_OK(parse_audience("{size: 5, pick: preferential, engagement: 0.5}", &s));
    CHECK(s.pick == RC_AUDIENCE_PREFERENTIAL);

    CHECK_FAILS(parse_audience("{size: 5, pick: top_follower, engagement: 0.1}", &s), RC_ERR_CONFIG,
                "did you mean 'top_followers'");
    CHECK_FAILS(parse_audience("{size: 5, pick: celebrities, engagement: 0.1}", &s), RC_ERR_CONFIG,
                "preferential");
    CHECK_FAILS(parse_audience("{size: 5}", &s), RC_ERR_CONFIG, "engagement");
    CHECK_FAILS(parse_audience("{engagement: 0.1}", &s), RC_ERR_CONFIG, "size");
    CHECK_FAILS(parse_audience("{size: 0, engagement: 0.1}", &s), RC_ERR_CONFIG, "size");
    CHECK_FAILS(parse_audience("{size: 5, engagement: 1.5}", &s), RC_ERR_CONFIG, "engagement");
    CHECK_FAILS(parse_audience("{size: 5, engagement: 0.1, community: 2}", &s), RC_ERR_CONFIG,
                "community applies only with pick: community");
    CHECK_FAILS(parse_audience("{size: 5, engagement: 0.1, folowers: 2}", &s), RC_ERR_CONFIG,
                "unknown key");
    CHECK_FAILS(parse_audience("[1, 2]", &s), RC_ERR_CONFIG, "expected a map");
    CHECK_FAILS(rc_audience_parse(NULL, &s), RC_ERR_CONFIG, "expected a map");
}

/* ---- picks ---- */

static void test_check_errors(void)
{
    rc_graph_t *g = hubs_graph();
    rc_audience_t *a = NULL;
    rc_audience_spec_t s = spec_of("{size: 211, engagement: 0.1}");
    CHECK_FAILS(rc_audience_resolve(&s, g, 1, 0, &a), RC_ERR_CONFIG, "has only 210 nodes");
    CHECK(a == NULL);
    s = spec_of("{size: 2, pick: community, engagement: 0.1}");
    CHECK_FAILS(rc_audience_check(&s, g), RC_ERR_CONFIG, "needs a network with communities");
    s = spec_of("{size: 211, pick: top_followers, engagement: 0.1, redraw: true}");
    CHECK_FAILS(rc_audience_check(&s, g), RC_ERR_CONFIG, "210 nodes");

    g->community = malloc(g->n * sizeof *g->community);
    for (uint32_t v = 0; v < g->n; v++)
        g->community[v] = v % 3;
    g->n_communities = 3;
    s = spec_of("{size: 2, pick: top_followers_in_community, community: 3, engagement: 0.1}");
    CHECK_FAILS(rc_audience_check(&s, g), RC_ERR_CONFIG, "3 does not exist");
    s = spec_of("{size: 71, pick: community, community: 1, engagement: 0.1}");
    CHECK_FAILS(rc_audience_resolve(&s, g, 1, 0, &a), RC_ERR_CONFIG, "community 1 has only 70");
    s = spec_of("{size: 70, pick: community, community: 1, engagement: 0.1}");
    CHECK_OK(rc_audience_check(&s, g));
    rc_graph_free(g);
}

static void test_random_and_community(void)
{
    rc_graph_t *g = fx_random(3000, 12000, 17);
    g->community = malloc(g->n * sizeof *g->community);
    for (uint32_t v = 0; v < g->n; v++)
        g->community[v] = (v * 7) % 5; /* scattered, not contiguous */
    g->n_communities = 5;

    /* Random: distinct; the same author (same size, pick, community) for every point, so an
     * engagement sweep compares one audience; another master seed gives another set; uniform
     * (mean index over many seeds). */
    rc_audience_spec_t s = spec_of("{size: 400, pick: random, engagement: 0.1}");
    rc_audience_t *a = NULL, *b = NULL;
    CHECK_OK(rc_audience_resolve(&s, g, 5, 0, &a));
    CHECK_OK(rc_audience_resolve(&s, g, 5, 0, &b));
    CHECK(a->size == 400 && a->redraw == 0 && members_ok(a->members, 400, a->bits, g->n));
    CHECK(memcmp(a->members, b->members, 400 * sizeof *a->members) == 0);
    rc_audience_free(b);
    CHECK_OK(rc_audience_resolve(&s, g, 5, 1, &b));
    CHECK(memcmp(a->members, b->members, 400 * sizeof *a->members) == 0);
    rc_audience_free(b);
    rc_audience_spec_t s2 = spec_of("{size: 401, pick: random, engagement: 0.1}");
    CHECK_OK(rc_audience_resolve(&s2, g, 5, 0, &b));
    CHECK(memcmp(a->members, b->members, 400 * sizeof *a->members) != 0); /* another author */
    rc_audience_free(b);
    CHECK_OK(rc_audience_resolve(&s, g, 6, 0, &b));
    CHECK(memcmp(a->members, b->members, 400 * sizeof *a->members) != 0);
    rc_audience_free(a);
    rc_audience_free(b);
    double sum = 0;
    const uint32_t points = 200;
    int ok = 1;
    for (uint32_t p = 0; p < points; p++) {
        CHECK_OK(rc_audience_resolve(&s, g, 9 + p, 0, &a));
        ok &= members_ok(a->members, 400, a->bits, g->n);
        for (uint32_t i = 0; i < 400; i++)
            sum += a->members[i];
        rc_audience_free(a);
    }
    CHECK(ok);
    /* Index of a uniform node: mean (n-1)/2, variance (n^2-1)/12; draws within a point are
     * without replacement, which only lowers the variance. */
    double cnt = points * 400.0, sd = sqrt((3000.0 * 3000.0 - 1) / 12.0);
    CHECK_NEAR(sum / cnt, 1499.5, 5 * sd / sqrt(cnt));

    /* The whole network as audience. */
    s = spec_of("{size: 3000, engagement: 0.1}");
    CHECK_OK(rc_audience_resolve(&s, g, 5, 3, &a));
    CHECK(members_ok(a->members, 3000, a->bits, g->n));
    rc_audience_free(a);

    /* Community: only members of community 2, distinct, all of them when size = its size. */
    s = spec_of("{size: 150, pick: community, community: 2, engagement: 0.1}");
    ok = 1;
    for (uint32_t p = 0; p < 20; p++) {
        CHECK_OK(rc_audience_resolve(&s, g, 5 + p, 0, &a));
        ok &= members_ok(a->members, 150, a->bits, g->n);
        for (uint32_t i = 0; i < 150; i++)
            ok &= g->community[a->members[i]] == 2;
        rc_audience_free(a);
    }
    CHECK(ok);
    s = spec_of("{size: 600, pick: community, community: 2, engagement: 0.1}");
    CHECK_OK(rc_audience_resolve(&s, g, 5, 0, &a));
    ok = members_ok(a->members, 600, a->bits, g->n);
    for (uint32_t v = 0; v < g->n; v++)
        ok &= bit_of(a->bits, v) == (g->community[v] == 2);
    CHECK(ok);
    rc_audience_free(a);

    /* Redrawn community audiences: every draw valid, bits of the previous draw cleared. */
    s = spec_of("{size: 100, pick: community, community: 4, engagement: 0.1, redraw: true}");
    CHECK_OK(rc_audience_resolve(&s, g, 5, 0, &a));
    CHECK(a->redraw == 1 && a->members == NULL && a->bits == NULL);
    rc_audience_buf_t *buf = NULL;
    CHECK_OK(rc_audience_buf_alloc(a, &buf));
    gsl_rng *r = rc_rng_alloc();
    ok = 1;
    for (uint64_t run = 0; run < 50; run++) {
        rc_rng_seed(r, 5, 0, run);
        rc_audience_draw(a, r, buf);
        ok &= members_ok(buf->members, 100, buf->bits, g->n);
        for (uint32_t i = 0; i < 100; i++)
            ok &= g->community[buf->members[i]] == 4;
    }
    CHECK(ok);
    gsl_rng_free(r);
    rc_audience_buf_free(buf);
    rc_audience_free(a);
    rc_graph_free(g);
}

static void test_top(void)
{
    rc_graph_t *g = fx_random(2000, 9000, 23); /* Poisson(4.5) follower counts: many ties */
    g->community = malloc(g->n * sizeof *g->community);
    for (uint32_t v = 0; v < g->n; v++)
        g->community[v] = v % 3;
    g->n_communities = 3;
    deg_idx_t *all = malloc(g->n * sizeof *all);
    const uint32_t ks[] = {1, 37, 250, 2000};
    for (size_t t = 0; t < sizeof ks / sizeof ks[0]; t++) {
        uint32_t k = ks[t];
        for (uint32_t v = 0; v < g->n; v++) {
            all[v].d = rc_graph_out_degree(g, v);
            all[v].v = v;
        }
        qsort(all, g->n, sizeof *all, deg_idx_cmp);
        char yaml[128];
        snprintf(yaml, sizeof yaml,
                 "{size: %u, pick: top_followers, engagement: 0.5, "
                 "redraw: true}",
                 k);
        rc_audience_spec_t s = spec_of(yaml);
        rc_audience_t *a = NULL;
        CHECK_OK(rc_audience_resolve(&s, g, 1, 0, &a));
        CHECK(a->redraw == 0); /* the top is the top: nothing to redraw */
        int ok = members_ok(a->members, k, a->bits, g->n);
        for (uint32_t i = 0; i < k; i++)
            ok &= a->members[i] == all[i].v;
        CHECK(ok);
        rc_audience_free(a);

        /* Within community 1 (a third of the nodes). */
        uint32_t kc = k > 600 ? 600 : k, len = 0;
        for (uint32_t v = 0; v < g->n; v++)
            if (g->community[v] == 1) {
                all[len].d = rc_graph_out_degree(g, v);
                all[len].v = v;
                len++;
            }
        qsort(all, len, sizeof *all, deg_idx_cmp);
        snprintf(yaml, sizeof yaml,
                 "{size: %u, pick: top_followers_in_community, community: 1, "
                 "engagement: 0.5}",
                 kc);
        s = spec_of(yaml);
        CHECK_OK(rc_audience_resolve(&s, g, 1, 0, &a));
        ok = members_ok(a->members, kc, a->bits, g->n);
        for (uint32_t i = 0; i < kc; i++)
            ok &= a->members[i] == all[i].v && g->community[a->members[i]] == 1;
        CHECK(ok);
        rc_audience_free(a);
    }
    free(all);
    rc_graph_free(g);
}

/* Preferential picks on 10 hubs (weight 21) and 200 leaves (weight 1), on the three paths: the
 * once-per-point Efraimidis-Spirakis draw, redraws by alias rejection (k = 3: the top 3 hold
 * 63 of 410) and redraws by keys (k = 10: the top 10 hold 210 > 205). The mean number of hubs
 * chosen must match the exact successive-sampling value within 5 standard errors. */
static void test_preferential(void)
{
    rc_graph_t *g = hubs_graph();
    double mean, var;
    gsl_rng *r = rc_rng_alloc();

    hubs_expected(3, &mean, &var);
    rc_audience_spec_t s = spec_of("{size: 3, pick: preferential, engagement: 0.5}");
    const uint32_t points = 3000;
    double hubs = 0;
    int ok = 1;
    for (uint32_t p = 0; p < points; p++) {
        rc_audience_t *a = NULL;
        CHECK_OK(rc_audience_resolve(&s, g, 77 + p, 0, &a));
        ok &= members_ok(a->members, 3, a->bits, g->n);
        hubs += count_hubs(a->members, 3);
        rc_audience_free(a);
    }
    CHECK(ok);
    CHECK_NEAR(hubs / points, mean, 5 * sqrt(var / points));
    /* Proportional to followers + 1, not to followers: a uniform pick would give 3 * 10/210. */
    CHECK(mean > 1.0 && mean < 3.0);

    for (int path = 0; path < 2; path++) {
        uint32_t k = path == 0 ? 3 : 10;
        hubs_expected(k, &mean, &var);
        char yaml[128];
        snprintf(yaml, sizeof yaml,
                 "{size: %u, pick: preferential, engagement: 0.5, redraw: "
                 "true}",
                 k);
        s = spec_of(yaml);
        rc_audience_t *a = NULL;
        rc_audience_buf_t *buf = NULL;
        CHECK_OK(rc_audience_resolve(&s, g, 77, 0, &a));
        CHECK(a->redraw == 1);
        CHECK((a->alias != NULL) == (path == 0));
        CHECK_OK(rc_audience_buf_alloc(a, &buf));
        const uint32_t runs = 20000;
        hubs = 0;
        ok = 1;
        for (uint32_t run = 0; run < runs; run++) {
            rc_rng_seed(r, 77, 0, run);
            rc_audience_draw(a, r, buf);
            ok &= members_ok(buf->members, k, buf->bits, g->n);
            hubs += count_hubs(buf->members, k);
        }
        CHECK(ok);
        CHECK_NEAR(hubs / runs, mean, 5 * sqrt(var / runs));
        rc_audience_buf_free(buf);
        rc_audience_free(a);
    }
    gsl_rng_free(r);
    rc_graph_free(g);
}

/* ---- metrics from the author ---- */

static void test_metrics_rooted(void)
{
    /* Author -> {0, 1}; 0 -> 2 -> 3. Stored as the models store it: seeds at generation 0. */
    static const uint32_t parent[] = {RC_NO_PARENT, RC_NO_PARENT, 0, 2};
    static const uint32_t gen[] = {0, 0, 1, 2};
    static const uint32_t node[] = {10, 11, 12, 13};
    uint32_t sub[8], gc[8];
    rc_cascade_t c = {.size = 4,
                      .n_seeds = 2,
                      .node = node,
                      .parent = parent,
                      .generation = gen,
                      .time = NULL,
                      .reach = 50,
                      .capped = 0,
                      .rooted = 1};
    rc_run_metrics_t m;
    CHECK_OK(rc_metrics_compute(&c, NULL, 4, sub, gc, NULL, &m));
    CHECK_EQ_U64(m.size, 4);
    CHECK_EQ_U64(m.retweets, 4);
    CHECK_EQ_U64(m.depth, 3);
    CHECK_EQ_U64(m.max_breadth, 2);
    CHECK(gc[0] == 0 && gc[1] == 2 && gc[2] == 1 && gc[3] == 1);
    CHECK(m.global == 1);
    /* Tree, 0-2, 2-3 on 5 nodes; subtrees below the edges into 0, 1, 2, 3 hold 3, 1,
     * 2, 1 nodes: sum s(5 - s) = 6 + 4 + 6 + 4 = 20 over C(5, 2) = 10 pairs (the distances
     * A0 1, A1 1, A2 2, A3 3, 01 2, 02 1, 03 2, 12 3, 13 4, 23 1 sum to 20 too). */
    CHECK_NEAR(m.virality, 2.0, 1e-12);

    /* One resharer: the author and it, at distance 1 (unrooted, a lone seed has 0). */
    c.size = 1;
    c.n_seeds = 1;
    CHECK_OK(rc_metrics_compute(&c, NULL, 4, sub, gc, NULL, &m));
    CHECK(m.retweets == 1 && m.depth == 1 && m.max_breadth == 1 && m.virality == 1.0);
    CHECK(gc[0] == 0 && gc[1] == 1 && m.global == 0);
    /* A chain A -> 0 -> 1 (parent indices as above, only seed 0): distances 1, 2, 1. */
    static const uint32_t chain_parent[] = {RC_NO_PARENT, 0};
    static const uint32_t chain_gen[] = {0, 1};
    rc_cascade_t ch = {.size = 2,
                       .n_seeds = 1,
                       .node = node,
                       .parent = chain_parent,
                       .generation = chain_gen,
                       .rooted = 1};
    CHECK_OK(rc_metrics_compute(&ch, NULL, 0, sub, gc, NULL, &m));
    CHECK(m.retweets == 2 && m.depth == 2 && m.max_breadth == 1);
    CHECK_NEAR(m.virality, 4.0 / 3.0, 1e-12);
    /* Nobody reshared. */
    c.size = 0;
    c.n_seeds = 0;
    CHECK_OK(rc_metrics_compute(&c, NULL, 1, sub, gc, NULL, &m));
    CHECK(m.size == 0 && m.retweets == 0 && m.depth == 0 && m.max_breadth == 0 &&
          m.virality == 0.0 && m.global == 0 && gc[0] == 0 && m.reach == 50);
}

/* ---- experiments ---- */

static rc_status_t check_config(const char *yaml, size_t *points)
{
    rc_cfg_t *root = NULL;
    rc_experiment_t *ex = NULL;
    rc_status_t s = rc_cfg_parse_string(yaml, "<test>", &root);
    if (s == RC_OK)
        s = rc_experiment_create(root, "t", &ex);
    if (s == RC_OK)
        s = rc_experiment_check(ex);
    if (points != NULL)
        *points = ex ? ex->n_points : 0;
    rc_experiment_free(ex);
    rc_cfg_free(root);
    return s;
}

static void test_experiment(void)
{
    size_t points = 0;
    CHECK_OK(check_config("network: {generator: erdos_renyi, nodes: 100, mean_degree: 2}\n"
                          "model: {name: independent_cascade, p: 0.1}\n"
                          "audience: {size: 20, pick: top_followers, engagement: 0.2}\n",
                          &points));
    CHECK(points == 1);
    CHECK_OK(
        check_config("network: {generator: erdos_renyi, nodes: 100, mean_degree: 2}\n"
                     "model: {name: independent_cascade, p: 0.1}\n"
                     "scenarios:\n"
                     "  handpicked: {audience: {size: 25, pick: top_followers, engagement: 0.15}}\n"
                     "  broadcast: {audience: {size: 80, pick: random, engagement: 0.01}}\n"
                     "sweep: {audience.engagement: [0.01, 0.1, 0.2]}\n",
                     &points));
    CHECK(points == 6);
    CHECK_FAILS(check_config("network: {generator: erdos_renyi, nodes: 100, mean_degree: 2}\n"
                             "model: {name: independent_cascade}\n"
                             "seeds: {strategy: random, count: 2}\n"
                             "audience: {size: 20, engagement: 0.2}\n",
                             NULL),
                RC_ERR_CONFIG, "has both seeds: (<test>:3");
    CHECK_FAILS(check_config("network: {generator: erdos_renyi, nodes: 100, mean_degree: 2}\n"
                             "model: {name: independent_cascade}\n"
                             "seeds: {strategy: random, count: 2}\n"
                             "scenarios:\n"
                             "  a: {}\n"
                             "  b: {audience: {size: 20, engagement: 0.2}}\n",
                             NULL),
                RC_ERR_CONFIG, "scenario b has both seeds:");
    CHECK_FAILS(check_config("network: {generator: erdos_renyi, nodes: 100, mean_degree: 2}\n"
                             "model: {name: independent_cascade}\n"
                             "sweep: {audience.engagement: [0.1, 2]}\n"
                             "audience: {size: 20, engagement: 0.2}\n",
                             NULL),
                RC_ERR_CONFIG, "engagement");
    CHECK_FAILS(check_config("network: {generator: erdos_renyi, nodes: 100, mean_degree: 2}\n"
                             "model: {name: independent_cascade}\n"
                             "audiense: {size: 20, engagement: 0.2}\n",
                             NULL),
                RC_ERR_CONFIG, "did you mean 'audience'");
}

/* size: all and fractions of the accounts (of the community for the community picks). */
static void test_size_fractions(void)
{
    rc_graph_t *g = fx_random(1000, 4000, 8);
    rc_audience_spec_t spec;
    uint32_t size = 0;
    CHECK_OK(parse_audience("{size: all, engagement: 0.1}", &spec));
    CHECK(spec.fraction == 1.0);
    CHECK_OK(rc_audience_size(&spec, g, &size));
    CHECK_EQ_U64(size, 1000);
    rc_audience_t *a = NULL;
    CHECK_OK(rc_audience_resolve(&spec, g, 5, 0, &a));
    CHECK(a != NULL && a->size == 1000 && a->spec.size == 1000);
    rc_audience_free(a);
    spec = spec_of("{size: 0.1234, pick: top_followers, engagement: 0.1}");
    CHECK_OK(rc_audience_size(&spec, g, &size));
    CHECK_EQ_U64(size, 124); /* ceil(123.4) */
    spec = spec_of("{size: 1.0, engagement: 0.1}");
    CHECK_OK(rc_audience_size(&spec, g, &size));
    CHECK_EQ_U64(size, 1000);
    spec = spec_of("{size: 1, engagement: 0.1}"); /* an integer is a count */
    CHECK_OK(rc_audience_size(&spec, g, &size));
    CHECK_EQ_U64(size, 1);
    CHECK_FAILS(parse_audience("{size: 1.5, engagement: 0.1}", &spec), RC_ERR_CONFIG,
                "expected a number of accounts (an integer >= 1), a fraction of them in (0, 1]");
    CHECK_FAILS(parse_audience("{size: 0.0, engagement: 0.1}", &spec), RC_ERR_CONFIG,
                "or all, got '0.0'");
    CHECK_FAILS(parse_audience("{size: most, engagement: 0.1}", &spec), RC_ERR_CONFIG,
                "size: expected a non-negative integer, got 'most'");
    rc_graph_free(g);
    /* A community pick takes its fraction of the community. */
    rc_graph_t *sbm = NULL;
    rc_dcsbm_params_t p = {.nodes = 900, .communities = 3, .mean_degree = 5, .mixing = 0.1};
    CHECK_OK(rc_gen_dcsbm(&p, 0, 3, &sbm));
    spec = spec_of("{size: all, pick: community, community: 1, engagement: 0.2}");
    CHECK_OK(rc_audience_size(&spec, sbm, &size));
    CHECK_EQ_U64(size, 300);
    spec = spec_of("{size: 0.5, pick: top_followers_in_community, community: 2, engagement: 0.2}");
    CHECK_OK(rc_audience_size(&spec, sbm, &size));
    CHECK_EQ_U64(size, 150);
    rc_graph_free(sbm);
}

int main(void)
{
    test_size_fractions();
    test_parse();
    test_check_errors();
    test_random_and_community();
    test_top();
    test_preferential();
    test_metrics_rooted();
    test_experiment();
    return rc_test_report("test_audience");
}
