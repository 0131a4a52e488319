/* The fused kernel against the per-run kernel: the same distributions of size, reach, depth and
 * structural virality for every probability kind of the independent cascade (constant,
 * weights, weighted cascade, trivalency, engagement factors), with an audience, with a size cap,
 * sub- and supercritical, and for the linear threshold model. Each case runs >= 10^4 runs of
 * each kernel and applies a two-sample Kolmogorov-Smirnov test at alpha = 1e-4 (critical
 * D = sqrt(-ln(alpha/2)/2) sqrt((n1+n2)/(n1 n2)); conservative on discrete data) and a test of
 * the means within 5 standard errors of their difference, so a correct kernel fails with
 * probability below about 1e-3 over all the checks, and the seeds are fixed: nothing flakes.
 * Then fused results are the same bits on 1 and 2 threads and when the runs are split between
 * calls at a place that is not a multiple of 64. */
#include "rc_test.h"
#include "rtcascade/config.h"
#include "rtcascade/engine.h"
#include "rtcascade/graph.h"
#include "rtcascade/model.h"
#include "rtcascade/rng.h"
#include "rtcascade/specs.h"

#include <stdlib.h>
#include <string.h>

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Two-sample KS statistic (ties handled: both samples pass a value together). */
static double ks(double *a, size_t na, double *b, size_t nb)
{
    qsort(a, na, sizeof *a, cmp_d);
    qsort(b, nb, sizeof *b, cmp_d);
    size_t i = 0, j = 0;
    double d = 0;
    while (i < na && j < nb) {
        double x = a[i] < b[j] ? a[i] : b[j];
        while (i < na && a[i] <= x)
            i++;
        while (j < nb && b[j] <= x)
            j++;
        double diff = fabs((double)i / (double)na - (double)j / (double)nb);
        d = diff > d ? diff : d;
    }
    return d;
}

static double metric(const rc_mc_results_t *r, int k, uint64_t i)
{
    switch (k) {
    case 0: return r->size[i];
    case 1: return (double)r->reach[i];
    case 2: return r->depth[i];
    default: return r->virality[i];
    }
}

/* Compares the distributions of res a (per_run) and b (fused). */
static void compare(const char *what, const rc_mc_results_t *a, const rc_mc_results_t *b)
{
    static const char *const names[] = {"size", "reach", "depth", "virality"};
    const size_t na = a->runs, nb = b->runs;
    double *xa = malloc(na * sizeof *xa), *xb = malloc(nb * sizeof *xb);
    const double crit = sqrt(-log(1e-4 / 2) / 2) * sqrt((double)(na + nb) / (double)(na * nb));
    for (int k = 0; k < 4; k++) {
        double ma = 0, mb = 0, va = 0, vb = 0;
        for (size_t i = 0; i < na; i++)
            ma += (xa[i] = metric(a, k, i)) / (double)na;
        for (size_t i = 0; i < nb; i++)
            mb += (xb[i] = metric(b, k, i)) / (double)nb;
        for (size_t i = 0; i < na; i++)
            va += (xa[i] - ma) * (xa[i] - ma) / (double)(na - 1);
        for (size_t i = 0; i < nb; i++)
            vb += (xb[i] - mb) * (xb[i] - mb) / (double)(nb - 1);
        const double se = sqrt(va / (double)na + vb / (double)nb);
        const double d = ks(xa, na, xb, nb);
        printf("  %-34s %-9s per_run %10.4f fused %10.4f (%+5.2f se)  KS D %.4f (crit %.4f)\n",
               what, names[k], ma, mb, se > 0 ? (mb - ma) / se : 0.0, d, crit);
        CHECK(d <= crit);
        CHECK(fabs(ma - mb) <= 5 * se + 1e-12);
    }
    free(xa);
    free(xb);
}

typedef struct fcase {
    const char *what;
    const char *model;   /* YAML of the model */
    uint32_t n;
    double degree;
    int weighted;        /* edge weights uniform on [0, 0.25] */
    uint32_t seeds;      /* random seeds per run (0: audience) */
    uint32_t audience;   /* a fixed random audience of this size, engagement 0.05 */
    uint32_t max_size;
    uint64_t runs;
} fcase_t;

static rc_graph_t *make_graph(const fcase_t *c, uint64_t seed)
{
    rc_graph_t *er = NULL, *g = NULL;
    if (rc_gen_erdos_renyi(c->n, (uint64_t)(c->degree * c->n), 0, seed, &er) != RC_OK)
        return NULL;
    if (!c->weighted)
        return er;
    uint32_t *src = malloc(er->m * sizeof *src), *dst = malloc(er->m * sizeof *dst);
    float *w = malloc(er->m * sizeof *w);
    gsl_rng *r = rc_rng_alloc();
    rc_rng_seed(r, seed, 99, 0);
    for (uint32_t u = 0; u < er->n; u++)
        for (uint64_t e = er->out_off[u]; e < er->out_off[u + 1]; e++) {
            src[e] = u;
            dst[e] = er->out_nbr[e];
            w[e] = (float)(0.25 * rc_rng_uniform(r));
        }
    rc_graph_arrays_t a = {.n = er->n, .m = er->m, .src = src, .dst = dst, .weight = w};
    if (rc_graph_from_arrays(&a, &g, NULL) != RC_OK)
        g = NULL;
    gsl_rng_free(r);
    free(src);
    free(dst);
    free(w);
    rc_graph_free(er);
    return g;
}

static rc_status_t run_kernel(const fcase_t *c, const rc_graph_t *g, const rc_model_t *m,
                              const void *params, rc_kernel_t kernel, int threads,
                              uint64_t first, uint64_t runs, rc_mc_results_t **out)
{
    rc_seed_spec_t spec = {.strategy = RC_SEEDS_RANDOM, .count = c->seeds};
    rc_audience_spec_t aud = {.pick = RC_AUDIENCE_RANDOM, .size = c->audience,
                              .engagement = 0.05};
    snprintf(aud.where, sizeof aud.where, "audience");
    snprintf(spec.where, sizeof spec.where, "seeds");
    rc_mc_options_t o = rc_mc_default_options();
    o.kernel = kernel;
    o.threads = threads;
    o.max_size = c->max_size;
    o.first_run = first;
    o.audience = c->audience ? &aud : NULL;
    return rc_mc_run(g, m, params, c->audience ? NULL : &spec, runs, 2024, 3, &o, out);
}

static const rc_model_t *parse_model(const char *yaml, void **params)
{
    rc_cfg_t *root = NULL;
    const rc_model_t *m = NULL;
    if (rc_cfg_parse_string(yaml, "<test>", &root) != RC_OK ||
        rc_model_parse(root, &m, params) != RC_OK)
        fprintf(stderr, "%s\n", rc_error_message());
    rc_cfg_free(root);
    return m;
}

static void run_case(const fcase_t *c)
{
    rc_graph_t *g = make_graph(c, 11);
    void *params = NULL;
    const rc_model_t *m = parse_model(c->model, &params);
    CHECK(g != NULL && m != NULL);
    if (g == NULL || m == NULL)
        return;
    rc_mc_results_t *a = NULL, *b = NULL;
    CHECK_OK(run_kernel(c, g, m, params, RC_KERNEL_PER_RUN, 0, 0, c->runs, &a));
    CHECK_OK(run_kernel(c, g, m, params, RC_KERNEL_FUSED, 0, 0, c->runs, &b));
    if (a != NULL && b != NULL) {
        CHECK(a->kernel == RC_KERNEL_PER_RUN && b->kernel == RC_KERNEL_FUSED);
        compare(c->what, a, b);
        if (c->max_size > 0) { /* the cap is met the same way */
            CHECK_NEAR(a->p_capped, b->p_capped,
                       5 * sqrt(a->p_capped * (1 - a->p_capped) * 2 / (double)c->runs) + 1e-12);
        }
    }
    rc_mc_results_free(a);
    rc_mc_results_free(b);
    rc_model_params_free(m, params);
    rc_graph_free(g);
}

/* Every per-run array of b equals a's from index `shift` on. */
static int same_runs(const rc_mc_results_t *a, uint64_t shift, const rc_mc_results_t *b)
{
    for (uint64_t i = 0; i < b->runs; i++) {
        const uint64_t j = i + shift;
        if (a->size[j] != b->size[i] || a->reach[j] != b->reach[i] ||
            a->depth[j] != b->depth[i] || a->max_breadth[j] != b->max_breadth[i] ||
            memcmp(&a->virality[j], &b->virality[i], sizeof(double)) != 0 ||
            a->edges[j] != b->edges[i] || a->capped[j] != b->capped[i])
            return 0;
    }
    return 1;
}

/* Fused results: the same bits on 1 and 2 threads, and for a call split at run 300. */
static void test_invariance(const fcase_t *c)
{
    rc_graph_t *g = make_graph(c, 11);
    void *params = NULL;
    const rc_model_t *m = parse_model(c->model, &params);
    rc_mc_results_t *one = NULL, *two = NULL, *tail = NULL;
    CHECK_OK(run_kernel(c, g, m, params, RC_KERNEL_FUSED, 1, 0, 1000, &one));
    CHECK_OK(run_kernel(c, g, m, params, RC_KERNEL_FUSED, 2, 0, 1000, &two));
    CHECK_OK(run_kernel(c, g, m, params, RC_KERNEL_FUSED, 2, 300, 700, &tail));
    if (one != NULL && two != NULL && tail != NULL) {
        CHECK(same_runs(one, 0, two));
        CHECK(memcmp(one->summary, two->summary, sizeof one->summary) == 0);
        CHECK(one->gen_len == two->gen_len &&
              memcmp(one->gen_total, two->gen_total, one->gen_len * sizeof(uint64_t)) == 0);
        CHECK(same_runs(one, 300, tail));
    }
    printf("  %s: 1 and 2 threads, and runs 300.. alone, give the same bits\n", c->what);
    rc_mc_results_free(one);
    rc_mc_results_free(two);
    rc_mc_results_free(tail);
    rc_model_params_free(m, params);
    rc_graph_free(g);
}

/* Every adopter of every run as (group, generation, node), for counting visits. */
typedef struct visit_keys {
    uint64_t *key;
    uint64_t len, cap;
    int failed;
} visit_keys_t;

static rc_status_t record_visits(void *ctx, uint64_t run, const rc_cascade_t *c)
{
    visit_keys_t *v = ctx;
    rc_status_t st = RC_OK;
#pragma omp critical(test_fused_visits)
    for (uint32_t i = 0; i < c->size; i++) {
        if (v->len == v->cap) {
            v->cap = v->cap ? 2 * v->cap : 4096;
            uint64_t *k = realloc(v->key, v->cap * sizeof *k);
            if (k == NULL) {
                v->failed = 1;
                st = RC_ERR_NOMEM;
                break;
            }
            v->key = k;
        }
        v->key[v->len++] = (run / RC_LANES) << 44 | (uint64_t)c->generation[i] << 24 | c->node[i];
    }
    return st;
}

static int cmp_u64(const void *a, const void *b)
{
    const uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The fused kernel's visits are the distinct (group, generation, node) of its runs' adopters
 * (one read of a node's followers serves every run of the group in which it adopted in that
 * generation), the same on 1 and 2 threads; the per-run kernel has none. */
static void test_visits(const fcase_t *c)
{
    rc_graph_t *g = make_graph(c, 11);
    void *params = NULL;
    const rc_model_t *m = parse_model(c->model, &params);
    CHECK(g != NULL && m != NULL && g->n < (1u << 24));
    rc_seed_spec_t spec = {.strategy = RC_SEEDS_RANDOM, .count = c->seeds};
    snprintf(spec.where, sizeof spec.where, "seeds");
    for (int threads = 1; threads <= 2 && g != NULL && m != NULL; threads++) {
        visit_keys_t v = {0};
        rc_mc_recorder_t rec = {.record = record_visits, .ctx = &v};
        rc_mc_options_t o = rc_mc_default_options();
        o.kernel = RC_KERNEL_FUSED;
        o.threads = threads;
        o.recorder = &rec;
        rc_mc_results_t *res = NULL;
        CHECK_OK(rc_mc_run(g, m, params, &spec, 640, 2024, 3, &o, &res));
        CHECK(!v.failed && res != NULL);
        if (res != NULL && !v.failed) {
            qsort(v.key, v.len, sizeof *v.key, cmp_u64);
            uint64_t distinct = 0;
            for (uint64_t i = 0; i < v.len; i++)
                distinct += i == 0 || v.key[i] != v.key[i - 1];
            CHECK_EQ_U64(v.len, res->total_adoptions);
            CHECK_EQ_U64(res->fused_visits, distinct);
            printf("  %s, %d thread(s): %llu visits for %llu adoptions (%.2f runs a read)\n",
                   c->what, threads, (unsigned long long)res->fused_visits,
                   (unsigned long long)res->total_adoptions,
                   (double)res->total_adoptions / (double)res->fused_visits);
        }
        rc_mc_results_free(res);
        free(v.key);
    }
    rc_mc_results_t *pr = NULL;
    CHECK_OK(run_kernel(c, g, m, params, RC_KERNEL_PER_RUN, 0, 0, 100, &pr));
    CHECK(pr != NULL && pr->fused_visits == 0);
    rc_mc_results_free(pr);
    rc_model_params_free(m, params);
    rc_graph_free(g);
}

static int always(void *ctx)
{
    (void)ctx;
    return 1;
}

/* Counts the runs a recorder is told, and each run's size. */
typedef struct told {
    uint64_t calls;
    uint32_t size[1024];
} told_t;

static rc_status_t tell(void *ctx, uint64_t run, const rc_cascade_t *c)
{
    told_t *t = ctx;
#pragma omp critical(test_fused_told)
    {
        t->calls++;
        if (run < 1024)
            t->size[run] = c->size;
    }
    return RC_OK;
}

/* Where auto stays per_run, the pilot's runs 0 .. 63 are kept (not run again): the point, a
 * block of it from run 0 and one from run 600 are per_run's bits, adoptions per generation and
 * summary included; with a recorder (told every run once) the pilot keeps nothing. */
static void test_auto_kept(const fcase_t *c, const rc_graph_t *g, const rc_model_t *m,
                           const void *params, const rc_mc_results_t *whole)
{
    rc_mc_results_t *pr = NULL, *b = NULL;
    CHECK_OK(run_kernel(c, g, m, params, RC_KERNEL_PER_RUN, 2, 0, 1024, &pr));
    if (pr == NULL || whole == NULL)
        return;
    CHECK(same_runs(pr, 0, whole) && pr->gen_len == whole->gen_len &&
          memcmp(pr->gen_total, whole->gen_total, pr->gen_len * sizeof(uint64_t)) == 0 &&
          memcmp(pr->summary, whole->summary, sizeof pr->summary) == 0);
    rc_seed_spec_t spec = {.strategy = RC_SEEDS_RANDOM, .count = c->seeds};
    snprintf(spec.where, sizeof spec.where, "seeds");
    const uint64_t firsts[] = {0, 600};
    for (int k = 0; k < 2; k++) {
        rc_mc_options_t o = rc_mc_default_options();
        o.first_run = firsts[k];
        o.point_runs = 1024;
        o.threads = 2;
        CHECK_OK(rc_mc_run(g, m, params, &spec, 424, 2024, 3, &o, &b));
        CHECK(b != NULL && b->kernel == RC_KERNEL_PER_RUN && same_runs(pr, firsts[k], b));
        rc_mc_results_free(b);
        b = NULL;
    }
    told_t *t = calloc(1, sizeof *t);
    rc_mc_recorder_t rec = {.record = tell, .ctx = t};
    rc_mc_options_t o = rc_mc_default_options();
    o.recorder = &rec;
    o.threads = 2;
    CHECK(t != NULL);
    if (t != NULL)
        CHECK_OK(rc_mc_run(g, m, params, &spec, 1024, 2024, 3, &o, &b));
    CHECK(b != NULL && same_runs(pr, 0, b) && t->calls == 1024);
    for (uint64_t i = 0; b != NULL && i < 1024; i++)
        CHECK(t->size[i] == b->size[i]);
    printf("  auto kept per_run: the pilot's runs kept give per_run's bits (point, blocks from "
           "runs 0 and 600); with a recorder, %llu runs told\n",
           (unsigned long long)(t != NULL ? t->calls : 0));
    free(t);
    rc_mc_results_free(b);
    rc_mc_results_free(pr);
}

/* auto: fused where its pilot's runs share a read 6 or more times (p = 0.4 on G(3000, 30000):
 * about 10), per_run where they do not (p = 0.12: about 1.5), below 1,024 runs and for the
 * linear threshold; the same bits as the kernel it picked, for the whole point and for a
 * block of it (first_run, point_runs); a kernel kept in kernel_memo is taken as it is. */
static void test_auto(void)
{
    const fcase_t c = {"auto", "{name: independent_cascade, p: 0.4}", 3000, 10, 0, 1, 0, 0, 0};
    rc_graph_t *g = make_graph(&c, 11);
    void *hi = NULL, *lo = NULL, *lt = NULL;
    const rc_model_t *m = parse_model(c.model, &hi);
    const rc_model_t *m2 = parse_model("{name: independent_cascade, p: 0.12}", &lo);
    const rc_model_t *m3 = parse_model("{name: linear_threshold}", &lt);
    CHECK(g != NULL && m != NULL && m2 != NULL && m3 != NULL);
    if (g == NULL || m == NULL || m2 == NULL || m3 == NULL)
        return;
    rc_mc_results_t *a = NULL, *f = NULL, *b = NULL, *x = NULL;
    CHECK_OK(run_kernel(&c, g, m, hi, RC_KERNEL_AUTO, 2, 0, 1024, &a));
    CHECK_OK(run_kernel(&c, g, m, hi, RC_KERNEL_FUSED, 2, 0, 1024, &f));
    CHECK(a != NULL && a->kernel == RC_KERNEL_FUSED && f != NULL && same_runs(f, 0, a));
    /* a block of the point: its pilot is the point's runs 0 .. 63 all the same */
    rc_seed_spec_t spec = {.strategy = RC_SEEDS_RANDOM, .count = 1};
    snprintf(spec.where, sizeof spec.where, "seeds");
    rc_mc_options_t o = rc_mc_default_options();
    o.first_run = 600;
    o.point_runs = 1024;
    rc_kernel_t memo = RC_KERNEL_AUTO;
    o.kernel_memo = &memo;
    CHECK_OK(rc_mc_run(g, m, hi, &spec, 424, 2024, 3, &o, &b));
    CHECK(b != NULL && b->kernel == RC_KERNEL_FUSED && memo == RC_KERNEL_FUSED &&
          f != NULL && same_runs(f, 600, b));
    rc_mc_results_free(b);
    b = NULL;
    /* Ctrl-C stops the pilot as it stops runs */
    memo = RC_KERNEL_AUTO;
    o.cancel = always;
    rc_mc_results_t *none = NULL;
    CHECK_FAILS(rc_mc_run(g, m, hi, &spec, 424, 2024, 3, &o, &none), RC_ERR_INTERRUPTED,
                "pilot");
    CHECK(none == NULL && memo == RC_KERNEL_AUTO);
    o.cancel = NULL;
    memo = RC_KERNEL_PER_RUN; /* kept: no pilot, per_run */
    CHECK_OK(rc_mc_run(g, m, hi, &spec, 424, 2024, 3, &o, &b));
    CHECK(b != NULL && b->kernel == RC_KERNEL_PER_RUN);
    rc_mc_results_free(b);
    b = NULL;
    CHECK_OK(run_kernel(&c, g, m, hi, RC_KERNEL_AUTO, 2, 0, 1023, &b));
    CHECK(b != NULL && b->kernel == RC_KERNEL_PER_RUN); /* too few runs for a pilot */
    CHECK_OK(run_kernel(&c, g, m2, lo, RC_KERNEL_AUTO, 2, 0, 1024, &x));
    CHECK(x != NULL && x->kernel == RC_KERNEL_PER_RUN); /* near the threshold: little shared */
    test_auto_kept(&c, g, m2, lo, x);
    rc_mc_results_free(x);
    x = NULL;
    const fcase_t l = {"auto LT", "", 3000, 5, 0, 5, 0, 0, 0};
    CHECK_OK(run_kernel(&l, g, m3, lt, RC_KERNEL_AUTO, 2, 0, 1024, &x));
    CHECK(x != NULL && x->kernel == RC_KERNEL_PER_RUN); /* its fused kernel never pays */
    printf("  auto: fused at p = 0.4 (%.2f runs a read), per_run at p = 0.12, below 1,024 runs "
           "and for LT\n", a != NULL && a->fused_visits ? (double)a->total_adoptions /
                                                         (double)a->fused_visits : 0.0);
    rc_mc_results_free(a);
    rc_mc_results_free(f);
    rc_mc_results_free(b);
    rc_mc_results_free(x);
    rc_model_params_free(m, hi);
    rc_model_params_free(m2, lo);
    rc_model_params_free(m3, lt);
    rc_graph_free(g);
}

int main(void)
{
    const fcase_t cases[] = {
        {"IC p=0.05 (subcritical)", "{name: independent_cascade, p: 0.05}", 20000, 10, 0, 1,
         0, 0, 20000},
        {"IC p=0.15 (supercritical)", "{name: independent_cascade, p: 0.15}", 3000, 10, 0, 1,
         0, 0, 10000},
        {"IC p=0.15, max_size 300", "{name: independent_cascade, p: 0.15}", 3000, 10, 0, 1, 0,
         300, 10000},
        {"IC weights", "{name: independent_cascade, probability: weights}", 3000, 10, 1, 1, 0,
         0, 10000},
        {"IC weighted_cascade, 3 seeds",
         "{name: independent_cascade, probability: weighted_cascade}", 3000, 6, 0, 3, 0, 0,
         10000},
        {"IC trivalency", "{name: independent_cascade, probability: trivalency}", 3000, 20, 0,
         1, 0, 0, 10000},
        {"IC p=0.3, engagement beta(2,5)",
         "{name: independent_cascade, p: 0.3, engagement: {distribution: beta, a: 2, b: 5}}",
         3000, 10, 0, 1, 0, 0, 10000},
        {"IC p=0.1, audience 200", "{name: independent_cascade, p: 0.1}", 3000, 10, 0, 0, 200,
         0, 10000},
        {"LT in_degree, 5 seeds", "{name: linear_threshold}", 3000, 5, 0, 5, 0, 0, 10000},
        {"LT in_degree, 5 seeds, max_size 100", "{name: linear_threshold}", 3000, 5, 0, 5, 0,
         100, 10000},
        {"LT in_degree, audience 200", "{name: linear_threshold}", 3000, 5, 0, 0, 200, 0,
         10000},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        run_case(&cases[i]);
    test_invariance(&cases[2]);
    test_invariance(&cases[9]);
    test_visits(&cases[1]);
    test_visits(&cases[8]);
    test_auto();
    return rc_test_report("test_fused");
}
