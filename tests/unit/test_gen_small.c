/* Exact structure of the small builders (star, path, complete, ego) in both CSR directions and
 * undirected, tiny exact cases of the random generators (complete G(n,m), the k=0 ring), and the
 * parameter errors of every generator, each naming its parameter. */
#include "rc_test.h"
#include "rtcascade/graph.h"

#include <stdlib.h>

/* Both directions hold the same edge set, lists are strictly ascending (sorted, no duplicates),
 * no self-loops, and offsets end at m. */
static void check_csr(const rc_graph_t *g)
{
    CHECK_EQ_U64(g->out_off[g->n], g->m);
    CHECK_EQ_U64(g->in_off[g->n], g->m);
    uint64_t bad_order = 0, loops = 0, missing = 0;
    for (uint32_t u = 0; u < g->n; u++) {
        for (uint64_t e = g->out_off[u]; e < g->out_off[u + 1]; e++) {
            uint32_t v = g->out_nbr[e];
            if (e > g->out_off[u] && g->out_nbr[e - 1] >= v)
                bad_order++;
            if (v == u)
                loops++;
            int found = 0;
            for (uint64_t f = g->in_off[v]; f < g->in_off[v + 1]; f++)
                found |= g->in_nbr[f] == u;
            missing += !found;
        }
        for (uint64_t e = g->in_off[u] + 1; e < g->in_off[u + 1]; e++)
            bad_order += g->in_nbr[e - 1] >= g->in_nbr[e];
    }
    CHECK_EQ_U64(bad_order, 0);
    CHECK_EQ_U64(loops, 0);
    CHECK_EQ_U64(missing, 0);
}

/* The out-list of u is exactly want[0..len). */
static int out_is(const rc_graph_t *g, uint32_t u, const uint32_t *want, uint64_t len)
{
    if (rc_graph_out_degree(g, u) != len)
        return 0;
    for (uint64_t i = 0; i < len; i++) {
        if (g->out_nbr[g->out_off[u] + i] != want[i])
            return 0;
    }
    return 1;
}

static int in_is(const rc_graph_t *g, uint32_t v, const uint32_t *want, uint64_t len)
{
    if (rc_graph_in_degree(g, v) != len)
        return 0;
    for (uint64_t i = 0; i < len; i++) {
        if (g->in_nbr[g->in_off[v] + i] != want[i])
            return 0;
    }
    return 1;
}

static void test_star(void)
{
    rc_graph_t *g = NULL;
    CHECK_OK(rc_gen_star(5, 0, &g));
    if (g == NULL)
        return;
    const uint32_t leaves[] = {1, 2, 3, 4}, hub[] = {0};
    CHECK_EQ_U64(g->n, 5);
    CHECK_EQ_U64(g->m, 4);
    CHECK(out_is(g, 0, leaves, 4));
    CHECK(in_is(g, 0, NULL, 0));
    for (uint32_t i = 1; i < 5; i++) {
        CHECK(out_is(g, i, NULL, 0));
        CHECK(in_is(g, i, hub, 1));
    }
    CHECK(g->undirected == 0);
    CHECK(g->description != NULL && strstr(g->description, "star nodes=5") != NULL);
    check_csr(g);
    rc_graph_free(g);

    CHECK_OK(rc_gen_star(5, 1, &g));
    if (g == NULL)
        return;
    CHECK_EQ_U64(g->m, 8);
    CHECK(out_is(g, 0, leaves, 4));
    CHECK(in_is(g, 0, leaves, 4));
    for (uint32_t i = 1; i < 5; i++) {
        CHECK(out_is(g, i, hub, 1));
        CHECK(in_is(g, i, hub, 1));
    }
    CHECK(g->undirected == 1);
    check_csr(g);
    rc_graph_free(g);

    CHECK_OK(rc_gen_star(1, 0, &g));
    if (g != NULL) {
        CHECK_EQ_U64(g->n, 1);
        CHECK_EQ_U64(g->m, 0);
        rc_graph_free(g);
    }
}

static void test_path(void)
{
    rc_graph_t *g = NULL;
    CHECK_OK(rc_gen_path(4, 0, &g));
    if (g == NULL)
        return;
    CHECK_EQ_U64(g->n, 4);
    CHECK_EQ_U64(g->m, 3);
    for (uint32_t i = 0; i < 4; i++) {
        uint32_t next = i + 1, prev = i - 1;
        CHECK(out_is(g, i, &next, i < 3));
        CHECK(in_is(g, i, &prev, i > 0));
    }
    check_csr(g);
    rc_graph_free(g);

    CHECK_OK(rc_gen_path(4, 1, &g));
    if (g == NULL)
        return;
    CHECK_EQ_U64(g->m, 6);
    const uint32_t n0[] = {1}, n1[] = {0, 2}, n2[] = {1, 3}, n3[] = {2};
    CHECK(out_is(g, 0, n0, 1) && in_is(g, 0, n0, 1));
    CHECK(out_is(g, 1, n1, 2) && in_is(g, 1, n1, 2));
    CHECK(out_is(g, 2, n2, 2) && in_is(g, 2, n2, 2));
    CHECK(out_is(g, 3, n3, 1) && in_is(g, 3, n3, 1));
    check_csr(g);
    rc_graph_free(g);
}

static void test_complete(void)
{
    rc_graph_t *g = NULL;
    CHECK_OK(rc_gen_complete(4, &g));
    if (g == NULL)
        return;
    CHECK_EQ_U64(g->n, 4);
    CHECK_EQ_U64(g->m, 12);
    for (uint32_t u = 0; u < 4; u++) {
        uint32_t others[3], k = 0;
        for (uint32_t v = 0; v < 4; v++) {
            if (v != u)
                others[k++] = v;
        }
        CHECK(out_is(g, u, others, 3));
        CHECK(in_is(g, u, others, 3));
    }
    CHECK(g->undirected == 1);
    check_csr(g);
    rc_graph_free(g);

    CHECK_OK(rc_gen_complete(1, &g));
    if (g != NULL) {
        CHECK_EQ_U64(g->m, 0);
        rc_graph_free(g);
    }
}

static void test_ego(void)
{
    rc_graph_t *g = NULL;
    CHECK_OK(rc_gen_ego(2, 3, 0, &g));
    if (g == NULL)
        return;
    /* 0 -> {1, 2}; 1 -> {3, 4, 5}; 2 -> {6, 7, 8}. */
    const uint32_t l1[] = {1, 2}, c1[] = {3, 4, 5}, c2[] = {6, 7, 8}, zero[] = {0}, one[] = {1},
                   two[] = {2};
    CHECK_EQ_U64(g->n, 2 * (1 + 3) + 1);
    CHECK_EQ_U64(g->m, 8);
    CHECK(out_is(g, 0, l1, 2));
    CHECK(out_is(g, 1, c1, 3));
    CHECK(out_is(g, 2, c2, 3));
    CHECK(in_is(g, 1, zero, 1) && in_is(g, 2, zero, 1));
    for (uint32_t v = 3; v < 6; v++)
        CHECK(in_is(g, v, one, 1) && out_is(g, v, NULL, 0));
    for (uint32_t v = 6; v < 9; v++)
        CHECK(in_is(g, v, two, 1) && out_is(g, v, NULL, 0));
    check_csr(g);
    rc_graph_free(g);

    CHECK_OK(rc_gen_ego(2, 3, 1, &g));
    if (g == NULL)
        return;
    const uint32_t u1[] = {0, 3, 4, 5};
    CHECK_EQ_U64(g->m, 16);
    CHECK(out_is(g, 0, l1, 2) && in_is(g, 0, l1, 2));
    CHECK(out_is(g, 1, u1, 4) && in_is(g, 1, u1, 4));
    CHECK(out_is(g, 8, two, 1) && in_is(g, 8, two, 1));
    check_csr(g);
    rc_graph_free(g);

    CHECK_OK(rc_gen_ego(0, 7, 0, &g));
    if (g != NULL) {
        CHECK_EQ_U64(g->n, 1);
        CHECK_EQ_U64(g->m, 0);
        rc_graph_free(g);
    }
    CHECK_OK(rc_gen_ego(3, 0, 0, &g));
    if (g != NULL) {
        CHECK_EQ_U64(g->n, 4);
        CHECK_EQ_U64(g->m, 3);
        rc_graph_free(g);
    }
}

/* Exact limiting cases of the random generators. */
static void test_random_exact(void)
{
    rc_graph_t *g = NULL;
    /* G(n, n(n-1)) is the complete graph whatever the seed. */
    CHECK_OK(rc_gen_erdos_renyi(6, 30, 0, 9, &g));
    if (g != NULL) {
        CHECK_EQ_U64(g->m, 30);
        for (uint32_t u = 0; u < 6; u++)
            CHECK_EQ_U64(rc_graph_out_degree(g, u), 5);
        check_csr(g);
        rc_graph_free(g);
    }
    CHECK_OK(rc_gen_erdos_renyi(6, 15, 1, 9, &g));
    if (g != NULL) {
        CHECK_EQ_U64(g->m, 30);
        rc_graph_free(g);
    }
    CHECK_OK(rc_gen_erdos_renyi(7, 0, 0, 9, &g));
    if (g != NULL) {
        CHECK_EQ_U64(g->m, 0);
        rc_graph_free(g);
    }
    CHECK_OK(rc_gen_erdos_renyi(1, 0, 0, 9, &g));
    if (g != NULL) {
        CHECK_EQ_U64(g->m, 0);
        rc_graph_free(g);
    }
    /* Watts-Strogatz with k = 0 has no edges; with 2k = n-1 it is complete and nothing can be
     * rewired. */
    CHECK_OK(rc_gen_watts_strogatz(5, 0, 0.5, 0, 1, &g));
    if (g != NULL) {
        CHECK_EQ_U64(g->m, 0);
        rc_graph_free(g);
    }
    CHECK_OK(rc_gen_watts_strogatz(5, 2, 1.0, 0, 1, &g));
    if (g != NULL) {
        CHECK_EQ_U64(g->m, 20);
        check_csr(g);
        rc_graph_free(g);
    }
    CHECK_OK(rc_gen_watts_strogatz(5, 2, 1.0, 1, 1, &g));
    if (g != NULL) {
        CHECK_EQ_U64(g->m, 20);
        rc_graph_free(g);
    }
    /* Price with links >= n: every node follows every earlier one. */
    CHECK_OK(rc_gen_price(5, 10, 1.0, 0, 3, &g));
    if (g != NULL) {
        CHECK_EQ_U64(g->m, 10);
        for (uint32_t t = 0; t < 5; t++)
            CHECK_EQ_U64(rc_graph_in_degree(g, t), t);
        rc_graph_free(g);
    }
    /* Mean degree 0 gives an empty graph. */
    rc_chung_lu_params_t cl = {
        .nodes = 10, .mean_degree = 0, .out_exponent = 2.5, .in_exponent = 2.5};
    CHECK_OK(rc_gen_chung_lu(&cl, 0, 1, &g));
    if (g != NULL) {
        CHECK_EQ_U64(g->m, 0);
        rc_graph_free(g);
    }
    rc_dcsbm_params_t sb = {
        .nodes = 10, .communities = 2, .mean_degree = 0, .mixing = 0.5, .exponent = 2.5};
    CHECK_OK(rc_gen_dcsbm(&sb, 0, 1, &g));
    if (g != NULL) {
        CHECK_EQ_U64(g->m, 0);
        CHECK(g->community != NULL && g->n_communities == 2);
        rc_graph_free(g);
    }
}

static void test_bad_parameters(void)
{
    rc_graph_t *g = NULL;
    CHECK_FAILS(rc_gen_star(0, 0, &g), RC_ERR_CONFIG, "star: nodes");
    CHECK_FAILS(rc_gen_path(0, 0, &g), RC_ERR_CONFIG, "path: nodes");
    CHECK_FAILS(rc_gen_complete(0, &g), RC_ERR_CONFIG, "complete: nodes");
    CHECK_FAILS(rc_gen_ego(65536, 65536, 0, &g), RC_ERR_CONFIG, "ego:");

    CHECK_FAILS(rc_gen_erdos_renyi(0, 0, 0, 1, &g), RC_ERR_CONFIG, "erdos_renyi: nodes");
    CHECK_FAILS(rc_gen_erdos_renyi(10, 91, 0, 1, &g), RC_ERR_CONFIG, "erdos_renyi: edges");
    CHECK_FAILS(rc_gen_erdos_renyi(10, 46, 1, 1, &g), RC_ERR_CONFIG, "erdos_renyi: edges");

    rc_chung_lu_params_t ok = {
        .nodes = 100, .mean_degree = 5, .out_exponent = 2.5, .in_exponent = 3.0};
    rc_chung_lu_params_t p = ok;
    p.out_exponent = 1.5;
    CHECK_FAILS(rc_gen_chung_lu(&p, 0, 1, &g), RC_ERR_CONFIG,
                "chung_lu: out_exponent must be > 2, or 0 for no power law (got 1.5)");
    p = ok;
    p.in_exponent = 2.0;
    CHECK_FAILS(rc_gen_chung_lu(&p, 0, 1, &g), RC_ERR_CONFIG, "chung_lu: in_exponent");
    p = ok;
    p.nodes = 0;
    CHECK_FAILS(rc_gen_chung_lu(&p, 0, 1, &g), RC_ERR_CONFIG, "chung_lu: nodes");
    p = ok;
    p.mean_degree = 100;
    CHECK_FAILS(rc_gen_chung_lu(&p, 0, 1, &g), RC_ERR_CONFIG, "chung_lu: mean_degree");
    p = ok;
    p.mean_degree = -1;
    CHECK_FAILS(rc_gen_chung_lu(&p, 0, 1, &g), RC_ERR_CONFIG, "chung_lu: mean_degree");
    p = ok;
    p.min_degree = 6;
    CHECK_FAILS(rc_gen_chung_lu(&p, 0, 1, &g), RC_ERR_CONFIG, "chung_lu: min_degree");
    p = ok;
    p.max_degree = 4;
    CHECK_FAILS(rc_gen_chung_lu(&p, 0, 1, &g), RC_ERR_CONFIG, "chung_lu: max_degree");
    p = ok;
    p.max_degree = 100;
    CHECK_FAILS(rc_gen_chung_lu(&p, 0, 1, &g), RC_ERR_CONFIG, "chung_lu: max_degree");
    p = ok;
    p.in_exponent = 1.0; /* ignored when undirected: one weight sequence serves both ends */
    CHECK_OK(rc_gen_chung_lu(&p, 1, 1, &g));
    rc_graph_free(g);
    g = NULL;

    CHECK_FAILS(rc_gen_price(0, 2, 1.0, 0, 1, &g), RC_ERR_CONFIG, "preferential: nodes");
    CHECK_FAILS(rc_gen_price(10, 0, 1.0, 0, 1, &g), RC_ERR_CONFIG, "preferential: links");
    CHECK_FAILS(rc_gen_price(10, 2, 0.0, 0, 1, &g), RC_ERR_CONFIG, "preferential: attractiveness");
    CHECK_FAILS(rc_gen_price(10, 2, NAN, 0, 1, &g), RC_ERR_CONFIG, "preferential: attractiveness");

    CHECK_FAILS(rc_gen_watts_strogatz(0, 0, 0.1, 0, 1, &g), RC_ERR_CONFIG, "watts_strogatz: nodes");
    CHECK_FAILS(rc_gen_watts_strogatz(10, 5, 0.1, 0, 1, &g), RC_ERR_CONFIG, "watts_strogatz: k");
    CHECK_FAILS(rc_gen_watts_strogatz(10, 2, 1.5, 0, 1, &g), RC_ERR_CONFIG, "watts_strogatz: beta");
    CHECK_FAILS(rc_gen_watts_strogatz(10, 2, -0.1, 0, 1, &g), RC_ERR_CONFIG,
                "watts_strogatz: beta");
    CHECK_FAILS(rc_gen_watts_strogatz(10, 2, NAN, 0, 1, &g), RC_ERR_CONFIG, "watts_strogatz: beta");

    rc_dcsbm_params_t sok = {
        .nodes = 100, .communities = 4, .mean_degree = 5, .mixing = 0.2, .exponent = 2.5};
    rc_dcsbm_params_t s = sok;
    s.communities = 0;
    CHECK_FAILS(rc_gen_dcsbm(&s, 0, 1, &g), RC_ERR_CONFIG, "dcsbm: communities");
    s = sok;
    s.communities = 101;
    CHECK_FAILS(rc_gen_dcsbm(&s, 0, 1, &g), RC_ERR_CONFIG, "dcsbm: communities");
    s = sok;
    s.mixing = 1.5;
    CHECK_FAILS(rc_gen_dcsbm(&s, 0, 1, &g), RC_ERR_CONFIG, "dcsbm: mixing");
    s = sok;
    s.communities = 1;
    CHECK_FAILS(rc_gen_dcsbm(&s, 0, 1, &g), RC_ERR_CONFIG, "dcsbm: mixing must be 0");
    s = sok;
    s.exponent = 2.0;
    CHECK_FAILS(rc_gen_dcsbm(&s, 0, 1, &g), RC_ERR_CONFIG, "dcsbm: exponent");
    s = sok;
    s.size_exponent = 0.5;
    CHECK_FAILS(rc_gen_dcsbm(&s, 0, 1, &g), RC_ERR_CONFIG, "dcsbm: size_exponent");
    s = sok;
    s.min_degree = 10;
    CHECK_FAILS(rc_gen_dcsbm(&s, 0, 1, &g), RC_ERR_CONFIG, "dcsbm: min_degree");
    s = sok;
    s.nodes = 0;
    CHECK_FAILS(rc_gen_dcsbm(&s, 0, 1, &g), RC_ERR_CONFIG, "dcsbm: nodes");
    CHECK(g == NULL);
}

int main(void)
{
    test_star();
    test_path();
    test_complete();
    test_ego();
    test_random_exact();
    test_bad_parameters();
    return rc_test_report("test_gen_small");
}
