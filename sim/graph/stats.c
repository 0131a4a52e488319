/* Graph statistics for `rtcascade graph` and the results file: degree moments and maxima,
 * reciprocity, degree histograms and a discrete power-law fit of the follower-count tail
 * (Clauset, Shalizi & Newman 2009), the share of edges inside communities, and the
 * clustering (clustering.c). */
#include "rtcascade/graph.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_sf_zeta.h>

#include <math.h>
#include <stdlib.h>

rc_status_t rc_graph_degree_histogram(const rc_graph_t *g, int out, uint64_t **counts,
                                      uint64_t *len)
{
    const uint64_t *off = out ? g->out_off : g->in_off;
    uint64_t maxd = 0;
    for (uint32_t u = 0; u < g->n; u++) {
        uint64_t d = off[u + 1] - off[u];
        if (d > maxd)
            maxd = d;
    }
    uint64_t *h = calloc(maxd + 1, sizeof *h);
    if (h == NULL)
        return rc_error(RC_ERR_NOMEM, "out of memory for a degree histogram");
    for (uint32_t u = 0; u < g->n; u++)
        h[off[u + 1] - off[u]]++;
    *counts = h;
    *len = maxd + 1;
    return RC_OK;
}

/* |a ∩ b| of two sorted lists by merging: u -> v is reciprocated exactly when v is both a
 * follower (out) and a followee (in) of u, so one streaming pass per node counts them. */
static uint64_t intersect_count(const uint32_t *a, uint64_t la, const uint32_t *b, uint64_t lb)
{
    uint64_t i = 0, j = 0, c = 0;
    while (i < la && j < lb) {
        if (a[i] < b[j]) {
            i++;
        } else if (a[i] > b[j]) {
            j++;
        } else {
            c++;
            i++;
            j++;
        }
    }
    return c;
}

/* The tail x >= xmin of a degree histogram: its points, and the sum of their log degrees. */
typedef struct pl_tail {
    const uint64_t *hist;
    uint64_t len, xmin, n;
    double sum_log;
} pl_tail_t;

/* Minus the log-likelihood per point of the discrete power law P(x) = x^-a / zeta(a, xmin). */
static double pl_nll(double a, void *ctx)
{
    const pl_tail_t *t = ctx;
    gsl_sf_result z;
    if (gsl_sf_hzeta_e(a, (double)t->xmin, &z) != GSL_SUCCESS || !(z.val > 0))
        return INFINITY;
    return log(z.val) + a * t->sum_log / (double)t->n;
}

/* The exact discrete maximum-likelihood exponent of the tail (Clauset, Shalizi & Newman 2009,
 * eq. 3.5): Brent's method on (1, 30], started from the approximation of their eq. 3.7. */
static double pl_mle(const pl_tail_t *t)
{
    double s = 0.0, lx0 = log((double)t->xmin - 0.5);
    for (uint64_t x = t->xmin; x < t->len; x++)
        if (t->hist[x])
            s += (double)t->hist[x] * (log((double)x) - lx0);
    const double lo = 1.0 + 1e-6, hi = 30.0;
    double guess = s > 0 ? 1.0 + (double)t->n / s : 2.5;
    if (!(guess > lo + 1e-4 && guess < hi - 1e-4))
        guess = 2.5;
    gsl_function f = {pl_nll, (void *)t};
    if (!(pl_nll(guess, (void *)t) < pl_nll(lo, (void *)t) &&
          pl_nll(guess, (void *)t) < pl_nll(hi, (void *)t)))
        return NAN; /* no interior minimum (e.g. every point at xmin) */
    gsl_min_fminimizer *m = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
    if (m == NULL)
        return NAN;
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    double a = NAN;
    if (gsl_min_fminimizer_set(m, &f, guess, lo, hi) == GSL_SUCCESS) {
        for (int it = 0; it < 100; it++) {
            if (gsl_min_fminimizer_iterate(m) != GSL_SUCCESS)
                break;
            a = gsl_min_fminimizer_x_minimum(m);
            if (gsl_min_test_interval(gsl_min_fminimizer_x_lower(m),
                                      gsl_min_fminimizer_x_upper(m), 1e-10, 0.0) == GSL_SUCCESS)
                break;
        }
    }
    gsl_set_error_handler(old);
    gsl_min_fminimizer_free(m);
    return a;
}

/* zeta(a, q) = sum over k >= 0 of (k + q)^-a, 0 where it underflows (GSL's error handler never
 * called). For q >= 10 and a <= 6 the Euler-Maclaurin expansion with three correction terms
 * (the next one is below 1e-9 of the sum there) costs one pow instead of GSL's series. */
static double hzeta(double a, double q)
{
    if (q >= 10.0 && a <= 6.0) {
        const double p = pow(q, -a), r = 1.0 / q;
        return p * (q / (a - 1.0) + 0.5 + a * r / 12.0 -
                    a * (a + 1.0) * (a + 2.0) * r * r * r / 720.0 +
                    a * (a + 1.0) * (a + 2.0) * (a + 3.0) * (a + 4.0) * r * r * r * r * r /
                        30240.0);
    }
    gsl_sf_result z;
    return gsl_sf_hzeta_e(a, q, &z) == GSL_SUCCESS ? z.val : 0.0;
}

/* Kolmogorov-Smirnov distance between the tail's empirical P(X >= x) and the fitted one,
 * zeta(a, x) / zeta(a, xmin), at the tail's degrees. */
static double pl_ks(const pl_tail_t *t, double a)
{
    const double z0 = hzeta(a, (double)t->xmin);
    double ks = 0.0;
    uint64_t above = t->n; /* points with degree >= x */
    for (uint64_t x = t->xmin; x < t->len; x++) {
        if (!t->hist[x])
            continue;
        double fit = x == t->xmin ? 1.0 : hzeta(a, (double)x) / z0;
        double d = fabs((double)above / (double)t->n - fit);
        if (d > ks)
            ks = d;
        above -= t->hist[x];
    }
    return ks;
}

#define PL_MIN_TAIL 50       /* fewest points a tail may be fitted on */
#define PL_DENSE_CANDIDATES 100 /* the first x_min candidates, every degree present */
#define PL_SPARSE_CANDIDATES 100 /* then this many more, log-spaced among the rest */

/* The x_min candidates into cand (room for len): every degree >= 1 present in the data with at
 * least PL_MIN_TAIL points at or above it, the first PL_DENSE_CANDIDATES of them all, the rest
 * thinned to PL_SPARSE_CANDIDATES log-spaced ones (so a tail with tens of thousands of distinct
 * degrees costs a few hundred fits, not one per degree). Returns how many. */
static size_t candidates(const uint64_t *hist, uint64_t len, uint64_t *cand)
{
    uint64_t tail = 0;
    size_t n = 0;
    for (uint64_t x = 1; x < len; x++)
        tail += hist[x];
    for (uint64_t x = 1; x < len && tail >= PL_MIN_TAIL; x++) {
        if (hist[x] == 0)
            continue;
        cand[n++] = x;
        tail -= hist[x];
    }
    if (n <= PL_DENSE_CANDIDATES + PL_SPARSE_CANDIDATES)
        return n;
    const double lo = log((double)cand[PL_DENSE_CANDIDATES]), hi = log((double)cand[n - 1]);
    size_t kept = PL_DENSE_CANDIDATES, j = PL_DENSE_CANDIDATES;
    for (size_t k = 0; k < PL_SPARSE_CANDIDATES; k++) {
        double target = exp(lo + (hi - lo) * (double)k / (PL_SPARSE_CANDIDATES - 1));
        while (j < n && (double)cand[j] < target)
            j++;
        if (j < n && cand[j] > cand[kept - 1])
            cand[kept++] = cand[j];
    }
    return kept;
}

double rc_powerlaw_fit(const uint64_t *hist, uint64_t len, uint64_t *xmin_out)
{
    /* For each candidate x_min the exact discrete MLE of the exponent and the KS distance of
     * the tail; the x_min with the smallest distance wins (Clauset et al. 2009, section 3.3). */
    double best_alpha = NAN, best_ks = INFINITY;
    uint64_t best_xmin = 0;
    pl_tail_t t = {hist, len, 0, 0, 0.0};
    uint64_t *cand = malloc((len ? len : 1) * sizeof *cand);
    if (cand == NULL)
        return NAN;
    const size_t nc = candidates(hist, len, cand);
    for (uint64_t x = 1; x < len; x++) {
        t.n += hist[x];
        t.sum_log += (double)hist[x] * log((double)x);
    }
    uint64_t below = 1; /* the tail holds degrees >= below */
    for (size_t c = 0; c < nc; c++) {
        for (; below < cand[c]; below++) {
            t.n -= hist[below];
            t.sum_log -= (double)hist[below] * log((double)below);
        }
        t.xmin = cand[c];
        double alpha = pl_mle(&t);
        if (isfinite(alpha)) {
            double ks = pl_ks(&t, alpha);
            if (ks < best_ks) {
                best_ks = ks;
                best_alpha = alpha;
                best_xmin = cand[c];
            }
        }
    }
    free(cand);
    if (xmin_out != NULL)
        *xmin_out = best_xmin;
    return best_alpha;
}

rc_status_t rc_graph_compute_stats(const rc_graph_t *g, rc_graph_stats_t *st)
{
    rc_status_t status = RC_OK;
    uint64_t *hout = NULL, *hin = NULL, lout = 0, lin = 0;
    if (g->stats != NULL) {
        *st = *g->stats;
        return RC_OK;
    }
    st->nodes = g->n;
    st->edges = g->m;
    st->mean_degree = g->n ? (double)g->m / g->n : 0.0;
    RC_TRY(rc_graph_degree_histogram(g, 1, &hout, &lout));
    RC_TRY(rc_graph_degree_histogram(g, 0, &hin, &lin));
    st->max_out_degree = lout - 1;
    st->max_in_degree = lin - 1;
    st->out_tail_exponent = rc_powerlaw_fit(hout, lout, &st->out_tail_xmin);
    st->in_tail_exponent = rc_powerlaw_fit(hin, lin, &st->in_tail_xmin);

    uint32_t isolated = 0;
    uint64_t mutual = 0, intra = 0;
#pragma omp parallel for schedule(dynamic, 1024) reduction(+ : isolated, mutual, intra)
    for (uint32_t u = 0; u < g->n; u++) {
        uint64_t b = g->out_off[u], e = g->out_off[u + 1];
        if (b == e && g->in_off[u] == g->in_off[u + 1])
            isolated++;
        mutual += intersect_count(g->out_nbr + b, e - b, g->in_nbr + g->in_off[u],
                                  g->in_off[u + 1] - g->in_off[u]);
        if (g->community != NULL) {
            for (uint64_t k = b; k < e; k++)
                intra += g->community[u] == g->community[g->out_nbr[k]];
        }
    }
    st->isolated = isolated;
    st->reciprocity = g->m ? (double)mutual / (double)g->m : 0.0;
    st->communities = g->n_communities;
    st->intra_fraction = (g->community != NULL && g->m) ? (double)intra / (double)g->m : NAN;
    rc_clustering_t cl;
    RC_TRY(rc_graph_clustering(g, &cl));
    st->transitivity = cl.transitivity;
    st->transitivity_se = cl.transitivity_se;
    st->clustering = cl.local;
    st->clustering_se = cl.local_se;
    st->clustering_samples = cl.samples;
cleanup:
    free(hout);
    free(hin);
    return status;
}

rc_status_t rc_graph_attach_stats(rc_graph_t *g, const rc_graph_stats_t *st)
{
    if (g->stats == NULL) {
        g->stats = malloc(sizeof *g->stats);
        if (g->stats == NULL)
            return rc_error(RC_ERR_NOMEM, "out of memory for a network's statistics");
    }
    *g->stats = *st;
    return RC_OK;
}

void rc_graph_print_stats(FILE *f, const rc_graph_t *g, const rc_graph_stats_t *st)
{
    char mem[32];
    if (g->description != NULL)
        fprintf(f, "network:           %s\n", g->description);
    fprintf(f, "nodes:             %u\n", st->nodes);
    fprintf(f, "edges:             %llu\n", (unsigned long long)st->edges);
    fprintf(f, "undirected:        %s\n", g->undirected ? "yes (each edge both ways)" : "no");
    fprintf(f, "mean degree:       %.4f (in = out)\n", st->mean_degree);
    fprintf(f, "max out-degree:    %llu (most followers)\n",
            (unsigned long long)st->max_out_degree);
    fprintf(f, "max in-degree:     %llu (most followees)\n", (unsigned long long)st->max_in_degree);
    fprintf(f, "isolated nodes:    %u\n", st->isolated);
    fprintf(f, "reciprocity:       %.4f\n", st->reciprocity);
    if (isnan(st->transitivity)) {
        fprintf(f, "clustering:        undefined (no two-step path)\n");
    } else if (st->clustering_samples == 0) {
        fprintf(f, "transitivity:      %.4f (3 x triangles / two-step paths, undirected view)\n",
                st->transitivity);
        fprintf(f, "clustering:        %.4f (mean local coefficient, nodes with >= 2 "
                "neighbours)\n", st->clustering);
    } else {
        fprintf(f, "transitivity:      %.4f +- %.4f (3 x triangles / two-step paths, "
                "undirected view; %llu sampled)\n", st->transitivity, st->transitivity_se,
                (unsigned long long)st->clustering_samples);
        fprintf(f, "clustering:        %.4f +- %.4f (mean local coefficient, nodes with >= 2 "
                "neighbours; %llu sampled)\n", st->clustering, st->clustering_se,
                (unsigned long long)st->clustering_samples);
    }
    if (isnan(st->out_tail_exponent))
        fprintf(f, "out-degree tail:   too few points to fit\n");
    else
        fprintf(f, "out-degree tail:   exponent %.3f for degree >= %llu (power-law MLE)\n",
                st->out_tail_exponent, (unsigned long long)st->out_tail_xmin);
    if (isnan(st->in_tail_exponent))
        fprintf(f, "in-degree tail:    too few points to fit\n");
    else
        fprintf(f, "in-degree tail:    exponent %.3f for degree >= %llu (power-law MLE)\n",
                st->in_tail_exponent, (unsigned long long)st->in_tail_xmin);
    if (st->communities)
        fprintf(f, "communities:       %u (%.1f%% of edges inside one)\n", st->communities,
                100.0 * st->intra_fraction);
    else
        fprintf(f, "communities:       none\n");
    fprintf(f, "weights:           %s\n", g->out_w ? "per edge" : "none");
    fprintf(f, "memory:            %s\n",
            rc_format_bytes(rc_graph_memory_bytes(g->n, g->m, g->out_w != NULL,
                                                  g->orig_id != NULL, g->community != NULL),
                            mem, sizeof mem));
}
