/* The objectives of a simulation-based calibration (calibrate.h): observed cascades summarised
 * once (sorted sizes, size bins, mean growth curve on the engine's grid), and the binned
 * log-likelihood and the distances that compare them with a simulated point. */
#include "rtcascade/calibrate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const objective_names[RC_CALIB_N_OBJECTIVES] = {"size_loglik", "ks_size",
                                                                   "ks_growth", "l2_log_growth"};

const char *rc_calib_objective_name(int objective)
{
    return objective >= 0 && objective < RC_CALIB_N_OBJECTIVES ? objective_names[objective] : NULL;
}

int rc_calib_objective_timed(int objective)
{
    return objective == RC_CALIB_KS_GROWTH || objective == RC_CALIB_L2_LOG_GROWTH;
}

rc_calib_objective_options_t rc_calib_objective_defaults(void)
{
    rc_calib_objective_options_t o = {.objective = RC_CALIB_SIZE_LOGLIK,
                                      .exact_sizes = 10,
                                      .bins_per_decade = 5,
                                      .smoothing = 0.5};
    return o;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The bins of d for sizes up to max: 1..exact one each, then 10^(k/per_decade) rounded (distinct,
 * above exact) until past max, then the open bin. */
static rc_status_t make_bins(rc_calib_data_t *d, uint64_t max,
                             const rc_calib_objective_options_t *o)
{
    rc_status_t status = RC_OK;
    size_t cap = (size_t)o->exact_sizes + 64 + (size_t)o->bins_per_decade * 21;
    d->edge = malloc((cap + 2) * sizeof *d->edge);
    RC_ALLOC_CHECK(d->edge, "the size bins");
    size_t n = 0;
    for (uint64_t s = 1; s <= o->exact_sizes && s <= max + 1; s++)
        d->edge[n++] = s;
    uint64_t last = d->edge[n - 1];
    for (int k = 1; last <= max && n < cap; k++) {
        uint64_t e = (uint64_t)llround(pow(10.0, (double)k / o->bins_per_decade));
        if (e > last) {
            d->edge[n++] = e;
            last = e;
        }
    }
    d->n_bins = n;
    d->edge[n] = UINT64_MAX;
    d->count = calloc(n, sizeof *d->count);
    RC_ALLOC_CHECK(d->count, "the size bins");
cleanup:
    return status;
}

/* The bin of size s (s >= 1). */
static size_t bin_of(const rc_calib_data_t *d, uint64_t s)
{
    size_t lo = 0, hi = d->n_bins - 1;
    while (lo < hi) { /* the last b with edge[b] <= s */
        size_t mid = (lo + hi + 1) / 2;
        if (d->edge[mid] <= s)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/* The observed growth curve: mean over the cascades of N(t_k), and the grid times compared. */
static void observed_growth(const rc_cascades_t *cs, const size_t *idx, size_t k,
                            rc_calib_data_t *d)
{
    double last = 0.0, tmin = INFINITY;
    memset(d->growth, 0, sizeof d->growth);
    for (size_t j = 0; j < k; j++) {
        size_t c = idx ? idx[j] : j;
        for (size_t e = cs->offset[c]; e < cs->offset[c + 1]; e++) {
            size_t b = rc_growth_bin(cs->time[e]);
            for (size_t g = b; g < RC_GROWTH_TIMES; g++)
                d->growth[g] += 1.0;
            last = cs->time[e] > last ? cs->time[e] : last;
        }
        tmin = cs->obs_time[c] < tmin ? cs->obs_time[c] : tmin;
    }
    for (size_t g = 0; g < RC_GROWTH_TIMES; g++)
        d->growth[g] /= (double)k;
    size_t end = rc_growth_bin(last); /* the first grid time by which every event happened */
    if (isfinite(tmin)) {             /* ... but none past a cascade's observation window */
        size_t b = rc_growth_bin(tmin);
        size_t within = b >= RC_GROWTH_TIMES                  ? RC_GROWTH_TIMES - 1
                        : rc_growth_time(b) == tmin || b == 0 ? b
                                                              : b - 1;
        end = within < end ? within : end;
    }
    d->growth_last = end >= RC_GROWTH_TIMES ? RC_GROWTH_TIMES - 1 : end;
}

rc_status_t rc_calib_data_make(const rc_cascades_t *cs, const size_t *idx, size_t k,
                               const rc_calib_objective_options_t *opt, rc_calib_data_t *out)
{
    rc_status_t status = RC_OK;
    memset(out, 0, sizeof *out);
    if (idx == NULL)
        k = cs->n;
    if (k == 0)
        RC_FAIL(RC_ERR_INPUT, "calibrate: no observed cascade");
    out->n = k;
    out->size = malloc(k * sizeof *out->size);
    RC_ALLOC_CHECK(out->size, "the observed sizes");
    for (size_t j = 0; j < k; j++)
        out->size[j] = rc_cascades_size(cs, idx ? idx[j] : j);
    qsort(out->size, k, sizeof *out->size, cmp_u64);
    RC_TRY(make_bins(out, out->size[k - 1], opt));
    for (size_t j = 0; j < k; j++)
        out->count[bin_of(out, out->size[j])]++;
    observed_growth(cs, idx, k, out);
cleanup:
    if (status != RC_OK)
        rc_calib_data_clear(out);
    return status;
}

void rc_calib_data_clear(rc_calib_data_t *d)
{
    if (d == NULL)
        return;
    free(d->size);
    free(d->edge);
    free(d->count);
    memset(d, 0, sizeof *d);
}

double rc_calib_size_loglik(const rc_calib_data_t *d, double smoothing, const uint64_t *sim,
                            size_t n_sim)
{
    const double denom = (double)n_sim + smoothing * (double)d->n_bins;
    double ll = 0.0;
    size_t j = 0; /* sim is sorted: walk it bin by bin */
    for (size_t b = 0; b < d->n_bins; b++) {
        size_t c = 0;
        while (j < n_sim && sim[j] < d->edge[b])
            j++; /* sizes below the first bin (0: none) */
        while (j < n_sim && sim[j] < d->edge[b + 1]) {
            c++;
            j++;
        }
        if (d->count[b] == 0)
            continue;
        double width =
            b + 1 < d->n_bins ? (double)(d->edge[b + 1] - d->edge[b]) : (double)d->edge[b];
        ll += (double)d->count[b] * log(((double)c + smoothing) / (denom * width));
    }
    return ll;
}

/* sup over sizes of |F_obs - F_sim|, both step functions: checked at every size of either. */
static double ks_sizes(const rc_calib_data_t *d, const uint64_t *sim, size_t n_sim)
{
    size_t i = 0, j = 0;
    double best = 0.0;
    while (i < d->n || j < n_sim) {
        uint64_t s = i < d->n && (j >= n_sim || d->size[i] <= sim[j]) ? d->size[i] : sim[j];
        while (i < d->n && d->size[i] == s)
            i++;
        while (j < n_sim && sim[j] == s)
            j++;
        double gap = fabs((double)i / (double)d->n - (double)j / (double)n_sim);
        best = gap > best ? gap : best;
    }
    return best;
}

static double growth_distance(const rc_calib_data_t *d, int objective, const double *sim)
{
    const size_t K = d->growth_last;
    if (K < 1)
        return 0.0;
    if (objective == RC_CALIB_L2_LOG_GROWTH) {
        double s = 0.0;
        for (size_t k = 1; k <= K; k++) {
            double g = log(d->growth[k]) - log(sim[k] > 0.0 ? sim[k] : 1e-300);
            s += g * g;
        }
        return s / (double)K;
    }
    const double obs_span = d->growth[K] - d->growth[0], sim_span = sim[K] - sim[0];
    double best = 0.0;
    for (size_t k = 1; k <= K; k++) {
        double fo = obs_span > 0 ? (d->growth[k] - d->growth[0]) / obs_span : 1.0;
        double fs = sim_span > 0 ? (sim[k] - sim[0]) / sim_span : 0.0;
        best = fabs(fo - fs) > best ? fabs(fo - fs) : best;
    }
    return best;
}

double rc_calib_objective(const rc_calib_data_t *d, const rc_calib_objective_options_t *opt,
                          const uint64_t *sim, size_t n_sim, const double *sim_growth)
{
    if (n_sim == 0)
        return INFINITY;
    switch (opt->objective) {
    case RC_CALIB_SIZE_LOGLIK:
        return -rc_calib_size_loglik(d, opt->smoothing, sim, n_sim);
    case RC_CALIB_KS_SIZE:
        return ks_sizes(d, sim, n_sim);
    default:
        return sim_growth != NULL ? growth_distance(d, opt->objective, sim_growth) : INFINITY;
    }
}

void rc_calib_result_free(rc_calib_result_t *r)
{
    if (r == NULL)
        return;
    free(r->evals);
    free(r->sim_size);
    free(r->sim_final_time);
    free(r->growth_t);
    free(r->growth_obs);
    free(r->growth_sim);
    free(r->growth_low);
    free(r->growth_high);
    free(r->network);
    free(r);
}
