/* Curves of a sweep point (curves.h) from its per-run arrays: adoptions per generation, the CCDF
 * of sizes and the CDFs of the time metrics; and the growth curve N(t), whose per-run sums the
 * engine adds up here as each run ends. The arithmetic is that of the results file's /curves
 * since format version 1 (growth: 2), operation for operation, so files stay identical bit for
 * bit; change it only with the format. */
#include "rtcascade/curves.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int rc_f64_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Entries of sorted[0..n) that are <= x. */
static uint64_t rc_count_le(const double *sorted, uint64_t n, double x)
{
    uint64_t lo = 0, hi = n;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (sorted[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Finite values of x[0..n) sorted into out; returns how many. */
static uint64_t rc_sorted_finite(const double *x, uint64_t n, double *out)
{
    uint64_t k = 0;
    for (uint64_t i = 0; i < n; i++)
        if (isfinite(x[i]))
            out[k++] = x[i];
    qsort(out, k, sizeof *out, rc_f64_cmp);
    return k;
}

static rc_status_t rc_curves_generations(const rc_mc_results_t *res, rc_point_curves_t *c)
{
    rc_status_t status = RC_OK;
    const uint64_t runs = res->runs;
    if (res->gen_len == 0)
        return RC_OK;
    c->generations = malloc((size_t)res->gen_len * sizeof *c->generations);
    RC_ALLOC_CHECK(c->generations, "the generation curve");
    for (uint32_t g = 0; g < res->gen_len; g++)
        c->generations[g] = runs ? (double)res->gen_total[g] / (double)runs : NAN;
    c->gen_len = res->gen_len;
cleanup:
    return status;
}

/* The sizes of the CCDF for a largest size `max` (see rc_size_ccdf_t), written to s unless it
 * is NULL; returns how many. max = 0 (nobody adopted in any run) gives the single size 1. */
static size_t rc_ccdf_sizes(uint64_t max, uint64_t *s)
{
    uint64_t prev = 0;
    size_t n = 0;
    for (int k = 0;; k++) {
        uint64_t v = (uint64_t)llround(pow(10.0, k / 8.0));
        if (v <= prev)
            continue;
        int last = v >= max;
        if (last)
            v = max > prev ? max : prev + 1;
        if (s != NULL)
            s[n] = v;
        n++;
        prev = v;
        if (last)
            return n;
    }
}

/* Runs with size < s for each CCDF size s: each run is counted in the bin of the first CCDF
 * size above it (a binary search among some 8 log10(max) sizes), then the bins are summed; the
 * same integers a sorted pass counts, without sorting the runs. */
static rc_status_t rc_curves_ccdf(const rc_mc_results_t *res, rc_size_ccdf_t *c)
{
    rc_status_t status = RC_OK;
    const uint64_t runs = res->runs;
    uint64_t *bins = NULL;
    if (runs == 0)
        return RC_OK;
    uint64_t max = 0;
    for (uint64_t i = 0; i < runs; i++)
        if (res->size[i] > max)
            max = res->size[i];
    const size_t n = rc_ccdf_sizes(max, NULL);
    c->size = malloc(n * sizeof *c->size);
    c->ccdf = malloc(n * sizeof *c->ccdf);
    bins = calloc(n + 1, sizeof *bins);
    RC_ALLOC_CHECK(c->size, "the size distribution");
    RC_ALLOC_CHECK(c->ccdf, "the size distribution");
    RC_ALLOC_CHECK(bins, "the size distribution");
    rc_ccdf_sizes(max, c->size);
    /* bins[k]: runs whose size is in [size[k-1], size[k]) (bins[0]: below size[0]). */
    for (uint64_t i = 0; i < runs; i++) {
        const uint64_t s = res->size[i];
        size_t lo = 0, hi = n; /* first k with size[k] > s */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (c->size[mid] <= s)
                lo = mid + 1;
            else
                hi = mid;
        }
        bins[lo]++;
    }
    uint64_t below = 0; /* runs with size < c->size[i] */
    for (size_t i = 0; i < n; i++) {
        below += bins[i];
        c->ccdf[i] = (double)(runs - below) / (double)runs;
    }
    c->len = n;
cleanup:
    free(bins);
    return status;
}

/* The times of the curves (rc_time_cdfs_t) into t[0..RC_CURVES_TIME_BINS]. */
static void rc_time_points(double tmin, double tmax, double *t)
{
    int logscale = tmax / tmin >= 20.0;
    for (int b = 0; b <= RC_CURVES_TIME_BINS; b++) {
        double tb;
        if (b == 0)
            tb = 0.0;
        else if (logscale)
            tb = tmin * pow(tmax / tmin, (double)(b - 1) / (RC_CURVES_TIME_BINS - 1));
        else
            tb = tmax * b / RC_CURVES_TIME_BINS;
        if (b == RC_CURVES_TIME_BINS)
            tb = tmax;
        t[b] = tb;
    }
}

static rc_status_t rc_curves_time(const rc_mc_results_t *res, rc_time_cdfs_t *c)
{
    rc_status_t status = RC_OK;
    const uint64_t runs = res->runs;
    const size_t len = RC_CURVES_TIME_BINS + 1;
    double *s50 = NULL, *s90 = NULL, *sfin = NULL;
    if (!res->timed || runs == 0 || !res->t50 || !res->t90 || !res->final_time)
        return RC_OK;
    s50 = malloc(runs * sizeof *s50);
    s90 = malloc(runs * sizeof *s90);
    sfin = malloc(runs * sizeof *sfin);
    RC_ALLOC_CHECK(s50, "the time curves");
    RC_ALLOC_CHECK(s90, "the time curves");
    RC_ALLOC_CHECK(sfin, "the time curves");
    uint64_t n50 = rc_sorted_finite(res->t50, runs, s50);
    uint64_t n90 = rc_sorted_finite(res->t90, runs, s90);
    uint64_t nfin = rc_sorted_finite(res->final_time, runs, sfin);
    double tmax = nfin ? sfin[nfin - 1] : 0.0, tmin = 0.0;
    for (uint64_t i = 0; i < n50 && tmin == 0.0; i++)
        if (s50[i] > 0)
            tmin = s50[i];
    if (!(tmax > 0))
        goto cleanup; /* nothing ever spread in time: no curve */
    if (!(tmin > 0) || tmin > tmax)
        tmin = tmax;
    c->t = malloc(len * sizeof *c->t);
    c->cdf_t50 = malloc(len * sizeof *c->cdf_t50);
    c->cdf_t90 = malloc(len * sizeof *c->cdf_t90);
    c->cdf_final = malloc(len * sizeof *c->cdf_final);
    RC_ALLOC_CHECK(c->t, "the time curves");
    RC_ALLOC_CHECK(c->cdf_t50, "the time curves");
    RC_ALLOC_CHECK(c->cdf_t90, "the time curves");
    RC_ALLOC_CHECK(c->cdf_final, "the time curves");
    rc_time_points(tmin, tmax, c->t);
    for (size_t b = 0; b < len; b++) {
        c->cdf_t50[b] = (double)rc_count_le(s50, n50, c->t[b]) / (double)runs;
        c->cdf_t90[b] = (double)rc_count_le(s90, n90, c->t[b]) / (double)runs;
        c->cdf_final[b] = (double)rc_count_le(sfin, nfin, c->t[b]) / (double)runs;
    }
    c->len = len;
cleanup:
    free(s50);
    free(s90);
    free(sfin);
    return status;
}

/* ---- growth N(t) ---- */

double rc_growth_time(size_t k)
{
    return k == 0 ? 0.0 : pow(10.0, -3.0 + (double)(k - 1) / 8.0);
}

size_t rc_growth_bin(double t)
{
    if (t <= 0.0)
        return 0;
    if (!(t <= rc_growth_time(RC_GROWTH_TIMES - 1)))
        return RC_GROWTH_TIMES; /* past the grid, or NaN */
    double x = ceil((log10(t) + 3.0) * 8.0) + 1.0;
    size_t k = x < 1.0 ? 1 : x > RC_GROWTH_TIMES - 1 ? RC_GROWTH_TIMES - 1 : (size_t)x;
    /* log10 may round across a grid time: settle on t_(k-1) < t <= t_k exactly */
    while (k > 1 && t <= rc_growth_time(k - 1))
        k--;
    while (k < RC_GROWTH_TIMES - 1 && t > rc_growth_time(k))
        k++;
    return k;
}

/* acc's 128-bit sum of squares at k (low word at G + k, high at 2G + k) += v. */
static void rc_growth_add_sq(uint64_t *acc, size_t k, uint64_t v)
{
    uint64_t *lo = &acc[RC_GROWTH_TIMES + k];
    *lo += v;
    acc[2 * RC_GROWTH_TIMES + k] += *lo < v;
}

void rc_growth_add_run(uint64_t *acc, uint32_t *hist, const double *time, uint32_t size)
{
    size_t bmin = RC_GROWTH_TIMES, bmax = 0;
    for (uint32_t i = 0; i < size; i++) {
        size_t b = rc_growth_bin(time[i]);
        hist[b]++;
        bmin = b < bmin ? b : bmin;
        bmax = b > bmax ? b : bmax;
    }
    uint64_t n = 0; /* N(t_k): zero below the earliest bin, the run's grid total above bmax */
    for (size_t k = bmin; k < RC_GROWTH_TIMES; k++) {
        n += hist[k];
        acc[k] += n;
        rc_growth_add_sq(acc, k, n * n);
    }
    for (size_t k = bmin; k <= bmax && size > 0; k++)
        hist[k] = 0;
}

void rc_growth_merge(uint64_t *dst, const uint64_t *src)
{
    for (size_t k = 0; k < RC_GROWTH_TIMES; k++) {
        dst[k] += src[k];
        rc_growth_add_sq(dst, k, src[RC_GROWTH_TIMES + k]);
        dst[2 * RC_GROWTH_TIMES + k] += src[2 * RC_GROWTH_TIMES + k];
    }
}

static rc_status_t rc_curves_growth(const rc_mc_results_t *res, rc_growth_curve_t *c)
{
    rc_status_t status = RC_OK;
    const uint64_t *s = res->growth, runs = res->runs;
    const size_t G = RC_GROWTH_TIMES;
    if (!res->timed || s == NULL || runs == 0)
        return RC_OK;
    /* from the grid time before the first change (t_0 always), to the first time by which
     * every adoption on the grid is in */
    size_t first = 1, last = G - 1;
    while (first < G && s[first] == s[0])
        first++;
    while (last > first && s[last - 1] == s[G - 1])
        last--;
    if (first >= G) /* nothing after t = 0 */
        first = last = G;
    size_t from = first > 1 ? first - 1 : 1;
    size_t len = 1 + (first >= G ? 0 : last - from + 1);
    c->t = malloc(len * sizeof *c->t);
    c->mean = malloc(len * sizeof *c->mean);
    c->sd = malloc(len * sizeof *c->sd);
    c->low = malloc(len * sizeof *c->low);
    c->high = malloc(len * sizeof *c->high);
    RC_ALLOC_CHECK(c->t, "the growth curve");
    RC_ALLOC_CHECK(c->mean, "the growth curve");
    RC_ALLOC_CHECK(c->sd, "the growth curve");
    RC_ALLOC_CHECK(c->low, "the growth curve");
    RC_ALLOC_CHECK(c->high, "the growth curve");
    for (size_t i = 0; i < len; i++) {
        size_t k = i == 0 ? 0 : from + i - 1;
        long double sum = (long double)s[k];
        long double sq = (long double)s[G + k] + ldexpl((long double)s[2 * G + k], 64);
        long double var =
            runs > 1 ? (sq - sum * sum / (long double)runs) / (long double)(runs - 1) : 0.0L;
        double mean = (double)(sum / (long double)runs);
        double sd = var > 0.0L ? (double)sqrtl(var) : 0.0;
        double half = 1.959963984540054 * sd / sqrt((double)runs);
        c->t[i] = rc_growth_time(k);
        c->mean[i] = mean;
        c->sd[i] = sd;
        c->low[i] = mean - half;
        c->high[i] = mean + half;
    }
    c->len = len;
cleanup:
    return status;
}

rc_status_t rc_curves_compute(const rc_mc_results_t *res, rc_point_curves_t *out)
{
    rc_status_t status = RC_OK;
    memset(out, 0, sizeof *out);
    out->point = res->point;
    RC_TRY(rc_curves_generations(res, out));
    RC_TRY(rc_curves_ccdf(res, &out->size_ccdf));
    RC_TRY(rc_curves_time(res, &out->time));
    RC_TRY(rc_curves_growth(res, &out->growth));
cleanup:
    if (status != RC_OK)
        rc_curves_free(out);
    return status;
}

void rc_curves_free(rc_point_curves_t *c)
{
    if (c == NULL)
        return;
    free(c->generations);
    free(c->size_ccdf.size);
    free(c->size_ccdf.ccdf);
    free(c->time.t);
    free(c->time.cdf_t50);
    free(c->time.cdf_t90);
    free(c->time.cdf_final);
    free(c->growth.t);
    free(c->growth.mean);
    free(c->growth.sd);
    free(c->growth.low);
    free(c->growth.high);
    memset(c, 0, sizeof *c);
}
