/* Blocks of runs (what MPI ranks compute): a point run as uneven blocks (rc_mc_options_t
 * first_run), each packed to bytes and back and put together in a scrambled order, equals the
 * one-call run bit for bit, per-run arrays, gen_total, summary and every other value, for an
 * untimed and a timed model, with seeds and with an audience scenario. So does a point run in
 * blocks through rc_mc_point_run (what the runner's pool does): blocks in a scrambled order on
 * two workers, each worker's scratch moving between two points. Damaged buffers and blocks that
 * do not fit are refused. */
#include "engine_fixtures.h"
#include "rc_test.h"
#include "rtcascade/curves.h"
#include "rtcascade/specs.h"
#include "rtcascade/mc_blocks.h"
#include "rtcascade/mc_point.h"

#include <stdlib.h>
#include <string.h>

#define SAME_ARRAY(a, b, field)                                                                    \
    CHECK(((a)->field == NULL && (b)->field == NULL) ||                                            \
          ((a)->field != NULL && (b)->field != NULL &&                                             \
           memcmp((a)->field, (b)->field, (a)->runs * sizeof *(a)->field) == 0))

/* Everything of two results equal: the arrays, and the struct itself with its pointers and the
 * timing blanked (so a scalar added to rc_mc_results_t later is compared too). */
static void check_same(const rc_mc_results_t *a, const rc_mc_results_t *b, const char *what)
{
    int before = rc_test_failures;
    CHECK(a->runs == b->runs);
    SAME_ARRAY(a, b, size);
    SAME_ARRAY(a, b, retweets);
    SAME_ARRAY(a, b, reach);
    SAME_ARRAY(a, b, depth);
    SAME_ARRAY(a, b, max_breadth);
    SAME_ARRAY(a, b, virality);
    SAME_ARRAY(a, b, final_time);
    SAME_ARRAY(a, b, t50);
    SAME_ARRAY(a, b, t90);
    SAME_ARRAY(a, b, edges);
    SAME_ARRAY(a, b, global);
    SAME_ARRAY(a, b, capped);
    CHECK(a->gen_len == b->gen_len &&
          memcmp(a->gen_total, b->gen_total, a->gen_len * sizeof *a->gen_total) == 0);
    /* growth sums: integer sums of the blocks, so equal to the one-call run's */
    CHECK((a->growth == NULL) == (b->growth == NULL));
    CHECK(a->growth == NULL || b->growth == NULL ||
          memcmp(a->growth, b->growth, 3 * RC_GROWTH_TIMES * sizeof *a->growth) == 0);
    CHECK(a->events == NULL && b->events == NULL);
    rc_mc_results_t x, y;
    memcpy(&x, a, sizeof x);
    memcpy(&y, b, sizeof y);
    rc_mc_results_t *both[2] = {&x, &y};
    for (int i = 0; i < 2; i++) {
        rc_mc_results_t *r = both[i];
        r->size = r->retweets = r->depth = r->max_breadth = NULL;
        r->reach = r->edges = r->gen_total = NULL;
        r->virality = r->final_time = r->t50 = r->t90 = NULL;
        r->global = r->capped = NULL;
        r->growth = NULL;
        r->seconds = 0.0;
    }
    CHECK(memcmp(&x, &y, sizeof x) == 0);
    if (rc_test_failures != before)
        fprintf(stderr, "%s: blocks differ from the one-call run\n", what);
}

/* Runs the point as blocks [cuts[i], cuts[i+1]) through pack/unpack, puts them in the order
 * 2, 0, 3, 1, ... (odd ones last) and summarizes. */
static rc_mc_results_t *run_blocks(const rc_graph_t *g, const rc_model_t *m, const void *params,
                                   const rc_seed_spec_t *seeds, const rc_audience_spec_t *aud,
                                   const uint64_t *cuts, size_t n_blocks, uint64_t point)
{
    rc_mc_results_t *dst = NULL;
    CHECK_OK(rc_mc_results_alloc(cuts[n_blocks], m->timed, &dst));
    for (size_t j = 0; j < n_blocks && dst != NULL; j++) {
        size_t i = j < (n_blocks + 1) / 2 ? 2 * j : 2 * (j - (n_blocks + 1) / 2) + 1;
        rc_mc_options_t opt = rc_mc_default_options();
        opt.first_run = cuts[i];
        opt.audience = aud;
        opt.threads = 2;
        rc_mc_results_t *b = NULL, *back = NULL;
        void *buf = NULL;
        size_t len = 0;
        CHECK_OK(rc_mc_run(g, m, params, seeds, cuts[i + 1] - cuts[i], 77, point, &opt, &b));
        CHECK_OK(rc_mc_results_pack(b, &buf, &len));
        CHECK_OK(rc_mc_results_unpack(buf, len, &back));
        if (back != NULL)
            CHECK_OK(rc_mc_results_put_block(dst, cuts[i], back));
        free(buf);
        rc_mc_results_free(b);
        rc_mc_results_free(back);
    }
    CHECK_OK(rc_mc_summarize(dst));
    return dst;
}

/* Points 3 and 4 in blocks [cuts[i], cuts[i+1]) through rc_mc_point_run, in the order of
 * run_blocks, alternating between the points and between two workers (so each worker's scratch
 * moves from point to point); both summarized by rc_mc_point_finish. */
static void run_point_blocks(const rc_graph_t *g, const rc_model_t *m, const void *params,
                             const rc_seed_spec_t *seeds, const rc_audience_spec_t *aud,
                             const uint64_t *cuts, size_t n_blocks, rc_mc_results_t **out)
{
    rc_mc_options_t opt = rc_mc_default_options();
    opt.audience = aud;
    rc_mc_point_t *pts[2] = {NULL, NULL};
    rc_mc_worker_t *w[2] = {rc_mc_worker_new(), rc_mc_worker_new()};
    CHECK(w[0] != NULL && w[1] != NULL);
    for (int k = 0; k < 2; k++)
        CHECK_OK(rc_mc_point_begin(g, m, params, seeds, cuts[n_blocks], 77, 3 + (uint64_t)k,
                                   &opt, &pts[k]));
    for (size_t j = 0; j < 2 * n_blocks && pts[0] != NULL && pts[1] != NULL; j++) {
        size_t b = j / 2, i = b < (n_blocks + 1) / 2 ? 2 * b : 2 * (b - (n_blocks + 1) / 2) + 1;
        CHECK_OK(rc_mc_point_run(pts[j % 2], w[(j / 2) % 2], cuts[i], cuts[i + 1] - cuts[i]));
    }
    CHECK_FAILS(rc_mc_point_run(pts[0], w[0], cuts[n_blocks], 1), RC_ERR_INTERNAL, "past its");
    for (int k = 0; k < 2; k++)
        CHECK_OK(rc_mc_point_finish(pts[k], &out[k]));
    rc_mc_worker_free(w[0]);
    rc_mc_worker_free(w[1]);
}

static void one_model(const rc_graph_t *g, const char *model_yaml, const char *aud_yaml)
{
    static const uint64_t cuts[] = {0, 1, 8, 300, 301, 700};
    const size_t n_blocks = sizeof cuts / sizeof cuts[0] - 1;
    const rc_model_t *m = NULL;
    void *params = NULL;
    fx_model(model_yaml, &m, &params);
    rc_seed_spec_t seeds;
    rc_audience_spec_t aud;
    CHECK_OK(fx_seeds("{strategy: random, count: 2}", &seeds));
    if (aud_yaml != NULL) {
        rc_cfg_t *root = NULL;
        CHECK_OK(rc_cfg_parse_string(aud_yaml, "<test>", &root));
        CHECK_OK(rc_audience_parse(root, &aud));
        rc_cfg_free(root);
    }
    const rc_audience_spec_t *a = aud_yaml != NULL ? &aud : NULL;
    rc_mc_options_t opt = rc_mc_default_options();
    opt.audience = a;
    rc_mc_results_t *whole = NULL;
    CHECK_OK(rc_mc_run(g, m, params, &seeds, cuts[n_blocks], 77, 3, &opt, &whole));
    rc_mc_results_t *joined = run_blocks(g, m, params, &seeds, a, cuts, n_blocks, 3);
    if (whole != NULL && joined != NULL) {
        CHECK(whole->timed == m->timed);
        check_same(whole, joined, model_yaml);
    }
    rc_mc_results_t *blocks[2] = {NULL, NULL}, *whole4 = NULL;
    run_point_blocks(g, m, params, &seeds, a, cuts, n_blocks, blocks);
    CHECK_OK(rc_mc_run(g, m, params, &seeds, cuts[n_blocks], 77, 4, &opt, &whole4));
    if (whole != NULL && blocks[0] != NULL)
        check_same(whole, blocks[0], model_yaml);
    if (whole4 != NULL && blocks[1] != NULL)
        check_same(whole4, blocks[1], model_yaml);
    rc_mc_results_free(blocks[0]);
    rc_mc_results_free(blocks[1]);
    rc_mc_results_free(whole4);
    rc_mc_results_free(whole);
    rc_mc_results_free(joined);
    rc_seeds_clear(&seeds);
    rc_model_params_free(m, params);
}

/* What a damaged message or a misplaced block gets. */
static void refusals(const rc_graph_t *g)
{
    const rc_model_t *m = NULL;
    void *params = NULL;
    fx_model("{name: independent_cascade, p: 0.2}", &m, &params);
    rc_seed_spec_t seeds;
    CHECK_OK(fx_seeds("{strategy: random, count: 1}", &seeds));
    rc_mc_results_t *b = NULL, *back = NULL, *dst = NULL, *other = NULL;
    void *buf = NULL;
    size_t len = 0;
    CHECK_OK(rc_mc_run(g, m, params, &seeds, 50, 77, 1, NULL, &b));
    CHECK_OK(rc_mc_results_pack(b, &buf, &len));
    CHECK_FAILS(rc_mc_results_unpack(buf, len - 1, &back), RC_ERR_INTERNAL,
                "not a packed block");
    CHECK(back == NULL);
    CHECK_FAILS(rc_mc_results_unpack(buf, 16, &back), RC_ERR_INTERNAL, "shorter");
    ((unsigned char *)buf)[0] ^= 1;
    CHECK_FAILS(rc_mc_results_unpack(buf, len, &back), RC_ERR_INTERNAL, "not a packed");

    CHECK_OK(rc_mc_results_alloc(100, 0, &dst));
    CHECK_FAILS(rc_mc_results_put_block(dst, 51, b), RC_ERR_INTERNAL, "past its"); /* 51 + 50 > 100 */
    CHECK_OK(rc_mc_results_put_block(dst, 50, b));
    CHECK_OK(rc_mc_run(g, m, params, &seeds, 50, 77, 2, NULL, &other));
    CHECK_FAILS(rc_mc_results_put_block(dst, 0, other), RC_ERR_INTERNAL,
                "do not belong"); /* another point */
    rc_mc_results_t *timed = NULL;
    CHECK_OK(rc_mc_results_alloc(100, 1, &timed));
    CHECK_FAILS(rc_mc_results_put_block(timed, 0, b), RC_ERR_INTERNAL, "mixed");

    /* A block's runs carry their own run numbers: blocks 50.. of a call differ from 0... */
    rc_mc_options_t opt = rc_mc_default_options();
    opt.first_run = 50;
    rc_mc_results_t *later = NULL;
    CHECK_OK(rc_mc_run(g, m, params, &seeds, 50, 77, 1, &opt, &later));
    CHECK(memcmp(later->reach, b->reach, 50 * sizeof *b->reach) != 0);
    opt.first_run = (uint64_t)INT64_MAX;
    rc_mc_results_t *none = NULL;
    CHECK_FAILS(rc_mc_run(g, m, params, &seeds, 50, 77, 1, &opt, &none), RC_ERR_ARGUMENT,
                "past the last run index");
    rc_mc_results_free(later);
    rc_mc_results_free(timed);
    rc_mc_results_free(other);
    rc_mc_results_free(dst);
    rc_mc_results_free(back);
    rc_mc_results_free(b);
    free(buf);
    rc_seeds_clear(&seeds);
    rc_model_params_free(m, params);
}

/* A fused block's visits travel with it and add up in the point. */
static void fused_visits(const rc_graph_t *g)
{
    const rc_model_t *m = NULL;
    void *params = NULL;
    fx_model("{name: independent_cascade, p: 0.25}", &m, &params);
    rc_seed_spec_t seeds;
    CHECK_OK(fx_seeds("{strategy: random, count: 1}", &seeds));
    rc_mc_results_t *dst = NULL;
    CHECK_OK(rc_mc_results_alloc(200, 0, &dst));
    uint64_t sum = 0;
    for (uint64_t first = 0; first < 200 && dst != NULL; first += 100) {
        rc_mc_options_t opt = rc_mc_default_options();
        opt.kernel = RC_KERNEL_FUSED;
        opt.first_run = first;
        rc_mc_results_t *b = NULL, *back = NULL;
        void *buf = NULL;
        size_t len = 0;
        CHECK_OK(rc_mc_run(g, m, params, &seeds, 100, 77, 1, &opt, &b));
        CHECK(b != NULL && b->fused_visits > 0);
        CHECK_OK(rc_mc_results_pack(b, &buf, &len));
        CHECK_OK(rc_mc_results_unpack(buf, len, &back));
        CHECK(back != NULL && b != NULL && back->fused_visits == b->fused_visits);
        if (back != NULL)
            CHECK_OK(rc_mc_results_put_block(dst, first, back));
        sum += b != NULL ? b->fused_visits : 0;
        free(buf);
        rc_mc_results_free(b);
        rc_mc_results_free(back);
    }
    CHECK(dst != NULL && dst->fused_visits == sum);
    rc_mc_results_free(dst);
    rc_seeds_clear(&seeds);
    rc_model_params_free(m, params);
}

int main(void)
{
    /* Mean degree 5 with p = 0.25: runs from a single node to thousands, so blocks really
     * differ in their generations and global runs. */
    rc_graph_t *g = fx_random(5000, 25000, 11);
    one_model(g, "{name: independent_cascade, p: 0.25}", NULL);
    one_model(g, "{name: continuous_cascade, p: 0.22}", NULL);
    one_model(g, "{name: independent_cascade, p: 0.2}",
              "{size: 40, pick: random, engagement: 0.3, redraw: true}");
    one_model(g, "{name: independent_cascade, p: 0.2}",
              "{size: 60, pick: top_followers, engagement: 0.1}");
    refusals(g);
    fused_visits(g);
    rc_graph_free(g);
    return rc_test_report("test_mc_blocks");
}
