/* Per-point statistics by selection (engine summary.c) and the size CCDF by counting
 * (curves.c) give the very bits of the sort-based computation they replaced: on arrays of many
 * lengths and kinds (distinct reals, heavy ties, constant, sorted, reversed, a NaN, -0.0), every
 * summary field is compared with qsort + gsl_stats_quantile_from_sorted_data, and every CCDF
 * value with a count over sorted sizes. */
#include "rc_test.h"
#include "rtcascade/curves.h"
#include "rtcascade/engine.h"
#include "rtcascade/mc_blocks.h"
#include "rtcascade/rng.h"

#include <gsl/gsl_statistics_double.h>
#include <stdlib.h>
#include <string.h>

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* The summary the sort-based code gave (engine.c before selection). */
static void reference(const double *x, uint64_t n, rc_metric_summary_t *s)
{
    double *buf = malloc(n * sizeof *buf);
    memcpy(buf, x, n * sizeof *buf);
    s->mean = gsl_stats_mean(x, 1, n);
    s->sd = n > 1 ? gsl_stats_sd_m(x, 1, n, s->mean) : 0.0;
    s->se = s->sd / sqrt((double)n);
    qsort(buf, n, sizeof *buf, cmp_d);
    s->min = buf[0];
    s->max = buf[n - 1];
    s->q05 = gsl_stats_quantile_from_sorted_data(buf, 1, n, 0.05);
    s->q25 = gsl_stats_quantile_from_sorted_data(buf, 1, n, 0.25);
    s->median = gsl_stats_quantile_from_sorted_data(buf, 1, n, 0.5);
    s->q75 = gsl_stats_quantile_from_sorted_data(buf, 1, n, 0.75);
    s->q95 = gsl_stats_quantile_from_sorted_data(buf, 1, n, 0.95);
    free(buf);
}

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0 || (isnan(a) && isnan(b));
}

/* Fills virality with pattern `kind` and compares its summary with the reference. */
static void check_pattern(int kind, uint64_t n, gsl_rng *r)
{
    rc_mc_results_t *res = NULL;
    CHECK_OK(rc_mc_results_alloc(n, 0, &res));
    if (res == NULL)
        return;
    for (uint64_t i = 0; i < n; i++) {
        double v;
        switch (kind) {
        case 0: v = rc_rng_uniform(r) * 10; break;             /* distinct reals */
        case 1: v = (double)rc_rng_below(r, 4); break;         /* heavy ties */
        case 2: v = 1.5; break;                                /* constant */
        case 3: v = (double)i; break;                          /* sorted */
        case 4: v = (double)(n - i); break;                    /* reversed */
        case 5: v = i == n / 2 ? NAN : rc_rng_uniform(r); break; /* a NaN: sorted as before */
        default: v = i % 3 == 0 ? -0.0 : (double)rc_rng_below(r, 3); break; /* -0.0 and 0.0 */
        }
        res->virality[i] = v;
        res->size[i] = 1 + rc_rng_below(r, kind == 1 ? 3 : 5000);
        res->retweets[i] = res->size[i] - 1;
        res->reach[i] = (uint64_t)res->size[i] * 7;
    }
    CHECK_OK(rc_mc_summarize(res));
    rc_metric_summary_t ref;
    reference(res->virality, n, &ref);
    const rc_metric_summary_t *s = &res->summary[RC_METRIC_VIRALITY];
    const double got[] = {s->mean, s->sd, s->min, s->q05, s->q25, s->median, s->q75, s->q95,
                          s->max};
    const double want[] = {ref.mean, ref.sd, ref.min, ref.q05, ref.q25, ref.median, ref.q75,
                           ref.q95, ref.max};
    for (size_t k = 0; k < sizeof got / sizeof got[0]; k++)
        if (kind != 5 || k >= 2) /* mean and sd of an array with a NaN are NaN either way */
            CHECK(same_bits(got[k], want[k]));
    double *sizes = malloc(n * sizeof *sizes);
    for (uint64_t i = 0; i < n; i++)
        sizes[i] = res->retweets[i];
    reference(sizes, n, &ref);
    CHECK(same_bits(res->summary[RC_METRIC_RETWEETS].q05, ref.q05));
    CHECK(same_bits(res->summary[RC_METRIC_RETWEETS].median, ref.median));
    CHECK(same_bits(res->summary[RC_METRIC_RETWEETS].q95, ref.q95));
    free(sizes);

    /* The CCDF against a count over sorted sizes. */
    rc_point_curves_t c;
    CHECK_OK(rc_curves_compute(res, &c));
    uint32_t *sorted = malloc(n * sizeof *sorted);
    memcpy(sorted, res->size, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp_u32);
    CHECK(c.size_ccdf.len > 0 && c.size_ccdf.size[c.size_ccdf.len - 1] == sorted[n - 1]);
    for (size_t i = 0; i < c.size_ccdf.len; i++) {
        uint64_t below = 0;
        while (below < n && sorted[below] < c.size_ccdf.size[i])
            below++;
        CHECK(same_bits(c.size_ccdf.ccdf[i], (double)(n - below) / (double)n));
    }
    free(sorted);
    rc_curves_free(&c);
    rc_mc_results_free(res);
}

int main(void)
{
    gsl_rng *r = rc_rng_alloc();
    const uint64_t lengths[] = {1, 2, 3, 5, 19, 20, 21, 24, 25, 100, 101, 1000, 4097, 20000};
    for (int kind = 0; kind < 7; kind++)
        for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
            rc_rng_seed(r, 5, (uint64_t)kind, lengths[i]);
            check_pattern(kind, lengths[i], r);
        }
    gsl_rng_free(r);
    return rc_test_report("test_summary");
}
