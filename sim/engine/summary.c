/* Per-point statistics of the per-run metrics (rc_mc_summarize): mean, sd, se and the quantiles
 * of every metric. The quantiles need only a dozen order statistics (min, max, and the two
 * neighbours of each interpolated quantile), so they are found by selection -- a three-way
 * quickselect that follows only the parts holding a wanted rank, O(runs) -- instead of a full
 * sort; every order statistic is the very element a sort would put at that rank, and the
 * interpolation is GSL's (gsl_stats_quantile_from_sorted_data, type 7) operation for operation,
 * so the numbers are the same bits as with a sort. Arrays holding a NaN or a negative zero,
 * which a sort orders arbitrarily, are still sorted, as before, so nothing changes for them. */
#include "rtcascade/engine.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int double_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The quantile levels of rc_metric_summary_t, in field order. */
static const double levels[5] = {0.05, 0.25, 0.5, 0.75, 0.95};

/* GSL's quantile from the two order statistics it reads: x[lhs] (lo) and x[lhs + 1] (hi). */
static double interpolate(double f, uint64_t n, double lo, double hi)
{
    const double index = f * (double)(n - 1);
    const size_t lhs = (size_t)(int)index;
    const double delta = index - (double)lhs;
    if (lhs == n - 1)
        return lo;
    return (1 - delta) * lo + delta * hi;
}

static uint64_t level_rank(double f, uint64_t n)
{
    return (uint64_t)(int)(f * (double)(n - 1));
}

static void swap(double *a, size_t i, size_t j)
{
    double t = a[i];
    a[i] = a[j];
    a[j] = t;
}

static double median3(double a, double b, double c)
{
    if (a < b)
        return b < c ? b : (a < c ? c : a);
    return a < c ? a : (b < c ? c : b);
}

/* Puts at a[r], for each rank r of ranks[0..nr) (ascending, all within [lo, hi)), the element a
 * full sort of a[lo..hi) would put there. Three-way partitions (so runs of equal values cost one
 * pass); after `depth` levels the part left is sorted outright, bounding the worst case. */
static void select_ranks(double *a, size_t lo, size_t hi, const uint64_t *ranks, size_t nr,
                         int depth)
{
    while (nr > 0) {
        if (hi - lo <= 24 || depth-- == 0) {
            qsort(a + lo, hi - lo, sizeof *a, double_cmp);
            return;
        }
        const double p = median3(a[lo], a[lo + (hi - lo) / 2], a[hi - 1]);
        size_t lt = lo, i = lo, gt = hi; /* [lo,lt) < p, [lt,i) == p, [gt,hi) > p */
        while (i < gt) {
            if (a[i] < p)
                swap(a, lt++, i++);
            else if (a[i] > p)
                swap(a, i, --gt);
            else
                i++;
        }
        size_t below = 0, inside = 0;
        while (below < nr && ranks[below] < lt)
            below++;
        while (below + inside < nr && ranks[below + inside] < gt)
            inside++;
        if (below > 0)
            select_ranks(a, lo, lt, ranks, below, depth);
        ranks += below + inside;
        nr -= below + inside;
        lo = gt;
    }
}

/* The ranks a summary reads (min, max, both neighbours of each quantile), ascending and
 * distinct, into ranks[]; returns how many. */
static size_t wanted_ranks(uint64_t n, uint64_t ranks[12])
{
    size_t nr = 0;
    ranks[nr++] = 0;
    for (int k = 0; k < 5; k++) {
        uint64_t r = level_rank(levels[k], n);
        ranks[nr++] = r;
        ranks[nr++] = r + 1 < n ? r + 1 : r;
    }
    ranks[nr++] = n - 1;
    for (size_t i = 1; i < nr; i++) /* a quantile's upper neighbour may pass the next one's */
        for (size_t j = i; j > 0 && ranks[j - 1] > ranks[j]; j--) {
            uint64_t t = ranks[j];
            ranks[j] = ranks[j - 1];
            ranks[j - 1] = t;
        }
    size_t d = 0;
    for (size_t i = 0; i < nr; i++)
        if (d == 0 || ranks[i] != ranks[d - 1])
            ranks[d++] = ranks[i];
    return d;
}

/* min, max and quantiles from the order statistics at[r] of each rank r (at = a sorted array, or
 * one where selection put every wanted rank in place). */
static void fill_quantiles(const double *at, uint64_t n, rc_metric_summary_t *s)
{
    double *q[5] = {&s->q05, &s->q25, &s->median, &s->q75, &s->q95};
    s->min = at[0];
    s->max = at[n - 1];
    for (int k = 0; k < 5; k++) {
        uint64_t r = level_rank(levels[k], n);
        *q[k] = interpolate(levels[k], n, at[r], r + 1 < n ? at[r + 1] : at[r]);
    }
}

/* Quantiles of x[0..n) into s (buf: room for n doubles): selection, or a sort when x holds a NaN
 * or a -0.0 (whose order a sort leaves arbitrary; kept as it always was). */
static void quantiles(const double *x, uint64_t n, double *buf, rc_metric_summary_t *s)
{
    memcpy(buf, x, n * sizeof *buf);
    int plain = 1;
    for (uint64_t i = 0; i < n && plain; i++)
        plain = !isnan(buf[i]) && !(buf[i] == 0.0 && signbit(buf[i]));
    if (!plain) {
        double *q[5] = {&s->q05, &s->q25, &s->median, &s->q75, &s->q95};
        qsort(buf, n, sizeof *buf, double_cmp);
        s->min = buf[0];
        s->max = buf[n - 1];
        for (int k = 0; k < 5; k++)
            *q[k] = gsl_stats_quantile_from_sorted_data(buf, 1, n, levels[k]);
        return;
    }
    uint64_t ranks[12];
    size_t nr = wanted_ranks(n, ranks);
    int depth = 2;
    for (uint64_t m = n; m > 1; m >>= 1)
        depth += 2;
    select_ranks(buf, 0, n, ranks, nr, depth);
    fill_quantiles(buf, n, s);
}

/* Quantiles of integer values (as doubles, exact) by counting when their range is at most
 * about the number of runs: the order statistics are min + the bin where the running count
 * passes each rank. Returns 0 (nothing done) when the range is too wide. */
static int quantiles_counted(const double *x, uint64_t n, rc_metric_summary_t *s)
{
    double lo = x[0], hi = x[0];
    for (uint64_t i = 1; i < n; i++) {
        lo = x[i] < lo ? x[i] : lo;
        hi = x[i] > hi ? x[i] : hi;
    }
    if (!(hi - lo <= (double)n + 1024.0))
        return 0;
    const size_t bins = (size_t)(hi - lo) + 1;
    uint64_t *count = calloc(bins, sizeof *count);
    if (count == NULL)
        return 0; /* selection needs no more memory than it has */
    for (uint64_t i = 0; i < n; i++)
        count[(size_t)(x[i] - lo)]++;
    uint64_t ranks[12];
    double at_rank[12];
    size_t nr = wanted_ranks(n, ranks), k = 0;
    uint64_t seen = 0; /* values in bins below b */
    for (size_t b = 0; b < bins && k < nr; b++) {
        seen += count[b];
        while (k < nr && ranks[k] < seen)
            at_rank[k++] = lo + (double)b;
    }
    free(count);
    double *q[5] = {&s->q05, &s->q25, &s->median, &s->q75, &s->q95};
    s->min = at_rank[0];
    s->max = at_rank[nr - 1];
    for (int j = 0; j < 5; j++) {
        uint64_t r = level_rank(levels[j], n), r1 = r + 1 < n ? r + 1 : r;
        double a = 0, b = 0;
        for (size_t i = 0; i < nr; i++) {
            if (ranks[i] == r)
                a = at_rank[i];
            if (ranks[i] == r1)
                b = at_rank[i];
        }
        *q[j] = interpolate(levels[j], n, a, b);
    }
    return 1;
}

/* Metric m of run i as a double; m = RC_N_METRICS stands for reach per audience member. */
static double metric_value(const rc_mc_results_t *res, int m, uint64_t i)
{
    switch ((rc_metric_t)m) {
    case RC_METRIC_RETWEETS: return res->retweets[i];
    case RC_METRIC_REACH: return (double)res->reach[i];
    case RC_METRIC_DEPTH: return res->depth[i];
    case RC_METRIC_MAX_BREADTH: return res->max_breadth[i];
    case RC_METRIC_VIRALITY: return res->virality[i];
    case RC_METRIC_FINAL_TIME: return res->final_time[i];
    case RC_METRIC_T50: return res->t50[i];
    case RC_METRIC_T90: return res->t90[i];
    case RC_N_METRICS: break;
    }
    return (double)res->reach[i] / (double)res->audience;
}

/* Column m (metric_value) of runs [i0, i0 + len) into out: one loop per column type, so that
 * the column is chosen once rather than per run. */
static void fill_column(const rc_mc_results_t *res, int m, uint64_t i0, size_t len, double *out)
{
    const uint32_t *u32 = NULL;
    const double *f64 = NULL;
    switch ((rc_metric_t)m) {
    case RC_METRIC_RETWEETS: u32 = res->retweets; break;
    case RC_METRIC_DEPTH: u32 = res->depth; break;
    case RC_METRIC_MAX_BREADTH: u32 = res->max_breadth; break;
    case RC_METRIC_VIRALITY: f64 = res->virality; break;
    case RC_METRIC_FINAL_TIME: f64 = res->final_time; break;
    case RC_METRIC_T50: f64 = res->t50; break;
    case RC_METRIC_T90: f64 = res->t90; break;
    case RC_METRIC_REACH:
    case RC_N_METRICS: break;
    }
    if (u32 != NULL) {
        for (size_t i = 0; i < len; i++)
            out[i] = u32[i0 + i];
    } else if (f64 != NULL) {
        memcpy(out, f64 + i0, len * sizeof *out);
    } else {
        for (size_t i = 0; i < len; i++)
            out[i] = metric_value(res, m, i0 + i);
    }
}

enum { MAX_COLUMNS = RC_N_METRICS + 1, BLOCK = 256 };

/* GSL's running mean (gsl_stats_mean) and variance (as in gsl_stats_sd_m) of columns cols[0..k)
 * over all runs, operation for operation, so each is the very bits GSL gives; the columns'
 * long double recurrences are interleaved so that their divisions overlap, and the runs are
 * converted to doubles a block at a time. */
static void moments(const rc_mc_results_t *res, const int *cols, int k, double *mean, double *sd)
{
    const uint64_t n = res->runs;
    long double m[MAX_COLUMNS] = {0}, v[MAX_COLUMNS] = {0};
    double blk[MAX_COLUMNS][BLOCK];
    for (int pass = 0; pass < 2; pass++) {
        for (uint64_t i0 = 0; i0 < n; i0 += BLOCK) {
            const size_t len = n - i0 < BLOCK ? (size_t)(n - i0) : BLOCK;
            for (int c = 0; c < k; c++)
                fill_column(res, cols[c], i0, len, blk[c]);
            for (size_t j = 0; j < len; j++) {
                const size_t i = (size_t)i0 + j;
                for (int c = 0; c < k; c++) {
                    if (pass == 0) {
                        m[c] += (blk[c][j] - m[c]) / (i + 1);
                    } else {
                        const long double delta = (blk[c][j] - mean[c]);
                        v[c] += (delta * delta - v[c]) / (i + 1);
                    }
                }
            }
        }
        for (int c = 0; c < k && pass == 0; c++)
            mean[c] = (double)m[c];
    }
    for (int c = 0; c < k; c++) {
        const double variance = (double)v[c];
        sd[c] = n > 1 ? sqrt(variance * ((double)n / (double)(n - 1))) : 0.0;
    }
}

static void summary_empty(rc_metric_summary_t *s)
{
    s->count = 0;
    s->mean = s->sd = s->se = s->min = s->q05 = s->q25 = NAN;
    s->median = s->q75 = s->q95 = s->max = NAN;
}

/* Summary of column m (metric_value's numbering). */
static rc_metric_summary_t *summary_of(rc_mc_results_t *res, int m)
{
    return m < RC_N_METRICS ? &res->summary[m] : &res->reach_per_member;
}

rc_status_t rc_mc_summarize(rc_mc_results_t *res)
{
    rc_status_t status = RC_OK;
    const uint64_t n = res->runs;
    double *x = NULL, *buf = NULL;
    int cols[MAX_COLUMNS], k = 0;
    for (int m = 0; m <= RC_N_METRICS; m++) {
        const int present = m < RC_METRIC_FINAL_TIME || (m < RC_N_METRICS && res->timed) ||
                            (m == RC_N_METRICS && res->audience > 0);
        if (present && n > 0)
            cols[k++] = m;
        else
            summary_empty(summary_of(res, m));
    }
    if (k > 0) {
        x = malloc(n * sizeof *x);
        buf = malloc(n * sizeof *buf);
        RC_ALLOC_CHECK(x, "summary scratch");
        RC_ALLOC_CHECK(buf, "summary scratch");
        double mean[MAX_COLUMNS], sd[MAX_COLUMNS];
        moments(res, cols, k, mean, sd);
        for (int c = 0; c < k; c++) {
            rc_metric_summary_t *s = summary_of(res, cols[c]);
            s->count = n;
            s->mean = mean[c];
            s->sd = sd[c];
            s->se = sd[c] / sqrt((double)n);
            fill_column(res, cols[c], 0, (size_t)n, x);
            /* retweets, reach, depth and max_breadth are integers: counted when they can be */
            if (cols[c] >= RC_METRIC_VIRALITY || !quantiles_counted(x, n, s))
                quantiles(x, n, buf, s);
        }
    }
    uint64_t global = 0, capped = 0, size_global = 0;
    res->total_edges = res->total_adoptions = 0;
    for (uint64_t i = 0; i < n; i++) {
        global += res->global[i];
        capped += res->capped[i];
        if (res->global[i])
            size_global += res->size[i];
        res->total_edges += res->edges[i];
        res->total_adoptions += res->size[i];
    }
    res->p_global = n ? (double)global / (double)n : NAN;
    res->p_global_se = n ? sqrt(res->p_global * (1.0 - res->p_global) / (double)n) : NAN;
    res->p_capped = n ? (double)capped / (double)n : NAN;
    res->mean_size_global = global ? (double)size_global / (double)global : NAN;
cleanup:
    free(x);
    free(buf);
    return status;
}
