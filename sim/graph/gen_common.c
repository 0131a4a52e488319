/* Helpers shared by the random graph generators: allocation-free block streams, Vose alias
 * tables, power-law weights scaled to a requested mean, exact multinomial splits of an edge
 * budget, parameter checks common to Chung-Lu and DCSBM, and the description string. */
#include "graph/gen_common.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void rc_gen_stream_open(rc_gen_stream_t *s, uint64_t master, uint64_t a, uint64_t b)
{
    s->r.type = rc_rng_xoshiro256pp;
    s->r.state = &s->st;
    rc_rng_seed(&s->r, master, a, b);
}

static uint32_t prob_to_u32(double p)
{
    if (!(p < 1.0))
        return UINT32_MAX;
    if (!(p > 0.0))
        return 0;
    return (uint32_t)(p * 4294967296.0);
}

rc_status_t rc_alias_build(double *w, uint32_t len, rc_alias_slot_t *table, uint32_t *scratch)
{
    long double total = 0.0L;
    for (uint32_t i = 0; i < len; i++) {
        if (!(w[i] >= 0.0) || !isfinite(w[i]))
            return rc_error(RC_ERR_INTERNAL, "alias table: weight %u is %g", i, w[i]);
        total += w[i];
    }
    if (len == 0 || !(total > 0.0L) || !isfinite((double)total))
        return rc_error(RC_ERR_INTERNAL, "alias table: the %u weights do not have a positive sum",
                        len);
    const double scale = (double)((long double)len / total);
    /* Small slots stack up from the front of scratch, large ones from the back; an index is in
     * at most one of them, so the two never collide. */
    uint32_t ns = 0, nl = len;
    for (uint32_t i = 0; i < len; i++) {
        w[i] *= scale;
        if (w[i] < 1.0)
            scratch[ns++] = i;
        else
            scratch[--nl] = i;
    }
    while (ns > 0 && nl < len) {
        uint32_t s = scratch[--ns];
        uint32_t l = scratch[nl];
        table[s].prob = prob_to_u32(w[s]);
        table[s].alias = l;
        w[l] -= 1.0 - w[s];
        if (w[l] < 1.0) {
            nl++;
            scratch[ns++] = l;
        }
    }
    /* Whatever remains is full up to rounding. */
    while (ns > 0) {
        uint32_t s = scratch[--ns];
        table[s].prob = UINT32_MAX;
        table[s].alias = s;
    }
    while (nl < len) {
        uint32_t l = scratch[nl++];
        table[l].prob = UINT32_MAX;
        table[l].alias = l;
    }
    return RC_OK;
}

void rc_gen_powerlaw_quantiles(double *x, uint32_t n, double gamma)
{
    const double a = gamma == 0.0 ? 0.0 : 1.0 / (gamma - 1.0);
    const double inv_n = 1.0 / (double)n;
#pragma omp parallel for schedule(static) if (n > 65536)
    for (uint32_t i = 0; i < n; i++)
        x[i] = a == 0.0 ? 1.0 : pow(((double)i + 0.5) * inv_n, -a);
}

/* Sum of clamp(s x_i, lo, hi) and the derivative in s (sum of the unclamped x_i). */
static void clamped_sum(const double *x, uint32_t n, double s, double lo, double hi,
                        long double *sum, long double *slope)
{
    long double f = 0.0L, d = 0.0L;
    for (uint32_t i = 0; i < n; i++) {
        double v = s * x[i];
        if (v >= hi) {
            f += hi;
        } else if (v <= lo) {
            f += lo;
        } else {
            f += v;
            d += x[i];
        }
    }
    *sum = f;
    *slope = d;
}

double rc_gen_scale_to_mean(double *x, uint32_t n, double mean, double lo, double hi)
{
    double s = 0.0;
    if (mean <= lo || mean >= hi) {
        const double v = mean <= lo ? lo : hi;
        for (uint32_t i = 0; i < n; i++)
            x[i] = v;
        return mean <= lo ? 0.0 : INFINITY;
    }
    const long double target = (long double)mean * n;
    double xmin = INFINITY;
    long double xsum = 0.0L;
    for (uint32_t i = 0; i < n; i++) {
        if (x[i] < xmin)
            xmin = x[i];
        xsum += x[i];
    }
    /* F(0) = n lo < target <= n hi = F(hi / xmin): the root is bracketed. */
    double sl = 0.0, sh = hi / xmin;
    s = (double)(target / xsum);
    if (!(s > sl && s < sh))
        s = 0.5 * (sl + sh);
    for (int iter = 0; iter < 200; iter++) {
        long double f, d;
        clamped_sum(x, n, s, lo, hi, &f, &d);
        if (fabsl(f - target) <= 1e-12L * target)
            break;
        if (f < target)
            sl = s;
        else
            sh = s;
        double next = d > 0.0L ? (double)(s + (target - f) / d) : 0.5 * (sl + sh);
        if (!(next > sl && next < sh))
            next = 0.5 * (sl + sh);
        if (next == s)
            break;
        s = next;
    }
    for (uint32_t i = 0; i < n; i++) {
        double v = s * x[i];
        x[i] = v >= hi ? hi : (v <= lo ? lo : v);
    }
    return s;
}

uint64_t rc_gen_binomial(gsl_rng *r, double p, uint64_t trials)
{
    if (!(p > 0.0))
        return 0;
    if (p >= 1.0)
        return trials;
    uint64_t k = 0;
    while (trials > 0) {
        unsigned int t = trials > 0x7fffffffULL ? 0x7fffffffU : (unsigned int)trials;
        k += gsl_ran_binomial(r, p, t);
        trials -= t;
    }
    return k;
}

void rc_gen_multinomial(gsl_rng *r, uint64_t total, const double *w, size_t k, uint64_t *counts)
{
    long double rest = 0.0L;
    size_t last = 0;
    for (size_t i = 0; i < k; i++) {
        rest += w[i];
        if (w[i] > 0.0)
            last = i;
    }
    uint64_t left = total;
    for (size_t i = 0; i < k; i++) {
        uint64_t c = 0;
        if (left > 0 && w[i] > 0.0) {
            if (i == last || !(rest > 0.0L))
                c = left;
            else
                c = rc_gen_binomial(r, (double)(w[i] / rest), left);
        }
        counts[i] = c;
        left -= c;
        rest -= w[i];
    }
}

rc_status_t rc_gen_describe(rc_graph_t *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0)
        return rc_error(RC_ERR_INTERNAL, "cannot format a graph description");
    char *s = malloc((size_t)len + 1);
    if (s == NULL)
        return rc_error(RC_ERR_NOMEM, "out of memory allocating a graph description");
    va_start(ap, fmt);
    vsnprintf(s, (size_t)len + 1, fmt, ap);
    va_end(ap);
    free(g->description);
    g->description = s;
    return RC_OK;
}

rc_status_t rc_gen_check_degrees(const char *who, uint32_t n, double mean, double min_degree,
                                 double max_degree, double *lo, double *hi)
{
    const double top = (double)n - 1.0;
    if (!isfinite(mean) || mean < 0.0)
        return rc_error(RC_ERR_CONFIG, "%s: mean_degree must be >= 0 (got %g)", who, mean);
    if (mean > top)
        return rc_error(RC_ERR_CONFIG, "%s: mean_degree must be <= nodes-1 = %.0f (got %g)", who,
                        top, mean);
    if (!isfinite(min_degree) || min_degree < 0.0 || min_degree > mean)
        return rc_error(RC_ERR_CONFIG,
                        "%s: min_degree must be between 0 and mean_degree = %g (got %g)", who, mean,
                        min_degree);
    if (!isfinite(max_degree) || max_degree < 0.0 || max_degree > top ||
        (max_degree > 0.0 && max_degree < mean))
        return rc_error(RC_ERR_CONFIG,
                        "%s: max_degree must be 0 (= nodes-1) or between mean_degree = %g and "
                        "nodes-1 = %.0f (got %g)",
                        who, mean, top, max_degree);
    *lo = min_degree;
    *hi = max_degree > 0.0 ? max_degree : top;
    return RC_OK;
}

rc_status_t rc_gen_check_exponent(const char *who, const char *name, double value)
{
    if (value == 0.0 || (isfinite(value) && value > 2.0))
        return RC_OK;
    return rc_error(RC_ERR_CONFIG, "%s: %s must be > 2, or 0 for no power law (got %g)", who, name,
                    value);
}

rc_status_t rc_gen_edges_alloc(rc_edges_t *e, uint64_t m)
{
    rc_status_t st = rc_edges_init(e, m, 0);
    if (st == RC_OK)
        e->len = m;
    return st;
}
