/* Graph statistics for `rtcascade graph` and the results file: degree moments and maxima,
 * reciprocity, degree histograms and a discrete power-law fit of the follower-count tail
 * (Clauset, Shalizi & Newman 2009), and the share of edges inside communities. */
#include "rtcascade/graph.h"

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

double rc_powerlaw_fit(const uint64_t *hist, uint64_t len, uint64_t *xmin_out)
{
    /* Candidates x_min: every degree >= 1 present in the data with at least 50 points at or
     * above it. For each, the MLE alpha = 1 + k / sum ln(x / (x_min - 1/2)) (the discrete
     * approximation of Clauset et al., eq. 3.7) and the KS distance between the empirical tail
     * and the fitted P(X >= x) = ((x - 1/2)/(x_min - 1/2))^(1 - alpha); keep the smallest. */
    const uint64_t min_tail = 50;
    double best_alpha = NAN, best_ks = INFINITY;
    uint64_t best_xmin = 0;
    uint64_t tail = 0;
    for (uint64_t x = 1; x < len; x++)
        tail += hist[x];
    for (uint64_t xmin = 1; xmin < len && tail >= min_tail; xmin++) {
        if (hist[xmin] == 0)
            continue;
        double s = 0.0, lx0 = log((double)xmin - 0.5);
        for (uint64_t x = xmin; x < len; x++)
            if (hist[x])
                s += (double)hist[x] * (log((double)x) - lx0);
        if (s > 0) {
            double alpha = 1.0 + (double)tail / s;
            double ks = 0.0;
            uint64_t above = tail; /* points with degree >= x */
            for (uint64_t x = xmin; x < len; x++) {
                if (!hist[x])
                    continue;
                double emp = (double)above / (double)tail;
                double fit = pow(((double)x - 0.5) / ((double)xmin - 0.5), 1.0 - alpha);
                double dd = fabs(emp - fit);
                if (dd > ks)
                    ks = dd;
                above -= hist[x];
            }
            if (ks < best_ks) {
                best_ks = ks;
                best_alpha = alpha;
                best_xmin = xmin;
            }
        }
        tail -= hist[xmin];
    }
    if (xmin_out != NULL)
        *xmin_out = best_xmin;
    return best_alpha;
}

rc_status_t rc_graph_compute_stats(const rc_graph_t *g, rc_graph_stats_t *st)
{
    rc_status_t status = RC_OK;
    uint64_t *hout = NULL, *hin = NULL, lout = 0, lin = 0;
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
cleanup:
    free(hout);
    free(hin);
    return status;
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
