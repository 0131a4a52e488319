/* Edge list -> CSR in both directions. Directed lists are sorted by source in place (nothing to
 * do when a generator made them in source order; otherwise an in-place bucket permutation), so
 * the edge list's target array becomes the out-lists and its source array the room of the
 * in-lists: peak memory is the edge list plus offsets, about 1.05x the final graph. Each list is
 * then sorted and its duplicates dropped, and the in-direction is a counting sort by target that
 * comes out sorted for free. Undirected lists (each edge placed both ways) and weighted lists not
 * in source order (whose first weight among duplicates must be the first in input order) are
 * scattered into new out-lists instead: the edge list plus the out-lists, 1.0x the final graph
 * undirected and about 1.25x weighted. */
#include "rtcascade/graph.h"
#include "rtcascade/memory.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

rc_status_t rc_edges_init(rc_edges_t *e, uint64_t cap, int weighted)
{
    rc_status_t status = RC_OK;
    memset(e, 0, sizeof *e);
    if (cap < 16)
        cap = 16;
    RC_TRY(rc_memory_check(cap * (weighted ? 12 : 8), "the edge list"));
    e->src = malloc(cap * sizeof *e->src);
    e->dst = malloc(cap * sizeof *e->dst);
    RC_ALLOC_CHECK(e->src, "the edge list");
    RC_ALLOC_CHECK(e->dst, "the edge list");
    rc_memory_advise_huge(e->src, cap * sizeof *e->src);
    rc_memory_advise_huge(e->dst, cap * sizeof *e->dst); /* may become the out-lists in place */
    if (weighted) {
        e->w = malloc(cap * sizeof *e->w);
        RC_ALLOC_CHECK(e->w, "the edge weights");
        rc_memory_advise_huge(e->w, cap * sizeof *e->w);
    }
    e->cap = cap;
cleanup:
    if (status != RC_OK)
        rc_edges_free(e);
    return status;
}

void rc_edges_free(rc_edges_t *e)
{
    if (e == NULL)
        return;
    free(e->src);
    free(e->dst);
    free(e->w);
    memset(e, 0, sizeof *e);
}

rc_status_t rc_edges_push(rc_edges_t *e, uint32_t u, uint32_t v, float w)
{
    if (e->len == e->cap) {
        uint64_t cap = e->cap + e->cap / 2 + 16;
        uint32_t *src = realloc(e->src, cap * sizeof *src);
        if (src == NULL)
            return rc_error(RC_ERR_NOMEM, "out of memory growing the edge list to %llu edges",
                            (unsigned long long)cap);
        e->src = src;
        uint32_t *dst = realloc(e->dst, cap * sizeof *dst);
        if (dst == NULL)
            return rc_error(RC_ERR_NOMEM, "out of memory growing the edge list to %llu edges",
                            (unsigned long long)cap);
        e->dst = dst;
        if (e->w != NULL) {
            float *nw = realloc(e->w, cap * sizeof *nw);
            if (nw == NULL)
                return rc_error(RC_ERR_NOMEM, "out of memory growing the edge weights");
            e->w = nw;
        }
        e->cap = cap;
    }
    e->src[e->len] = u;
    e->dst[e->len] = v;
    if (e->w != NULL)
        e->w[e->len] = w;
    e->len++;
    return RC_OK;
}

/* In-place sort of a[0..len) (uint32): insertion sort for short lists, else quicksort with
 * median-of-three; lists here are mostly short (degrees). */
static void sort_u32(uint32_t *a, uint64_t len)
{
    while (len > 24) {
        uint64_t mid = len / 2;
        uint32_t x = a[0], y = a[mid], z = a[len - 1];
        uint32_t pivot = (x < y) ? ((y < z) ? y : (x < z ? z : x)) : ((x < z) ? x : (y < z ? z : y));
        uint64_t i = 0, j = len - 1;
        for (;;) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i >= j)
                break;
            uint32_t t = a[i];
            a[i] = a[j];
            a[j] = t;
            i++;
            j--;
        }
        /* Recurse into the smaller half, loop on the larger: O(log len) stack. */
        uint64_t left = j + 1;
        if (left < len - left) {
            sort_u32(a, left);
            a += left;
            len -= left;
        } else {
            sort_u32(a + left, len - left);
            len = left;
        }
    }
    for (uint64_t i = 1; i < len; i++) {
        uint32_t v = a[i];
        uint64_t j = i;
        while (j > 0 && a[j - 1] > v) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = v;
    }
}

/* Stable sort of (nbr, w) pairs by nbr with insertion sort (short lists) or merge sort through
 * tmp, so that among duplicates the first weight in input order is kept. */
static void sort_pairs_stable(uint32_t *a, float *w, uint64_t len, uint32_t *ta, float *tw)
{
    if (len <= 32) {
        for (uint64_t i = 1; i < len; i++) {
            uint32_t v = a[i];
            float x = w[i];
            uint64_t j = i;
            while (j > 0 && a[j - 1] > v) {
                a[j] = a[j - 1];
                w[j] = w[j - 1];
                j--;
            }
            a[j] = v;
            w[j] = x;
        }
        return;
    }
    uint64_t h = len / 2;
    sort_pairs_stable(a, w, h, ta, tw);
    sort_pairs_stable(a + h, w + h, len - h, ta, tw);
    uint64_t i = 0, j = h, k = 0;
    while (i < h && j < len) {
        if (a[j] < a[i]) {
            ta[k] = a[j];
            tw[k++] = w[j++];
        } else {
            ta[k] = a[i];
            tw[k++] = w[i++];
        }
    }
    while (i < h) {
        ta[k] = a[i];
        tw[k++] = w[i++];
    }
    while (j < len) {
        ta[k] = a[j];
        tw[k++] = w[j++];
    }
    memcpy(a, ta, len * sizeof *a);
    memcpy(w, tw, len * sizeof *w);
}

/* Sorts each out-list, removes duplicates in place (keeping the list's first slots) and writes
 * the new length of list u into newdeg[u]. Returns the number of duplicates removed. */
static rc_status_t sort_and_dedup(uint32_t n, const uint64_t *off, uint32_t *nbr, float *w,
                                  uint64_t *newdeg, uint64_t *dups_out)
{
    uint64_t dups = 0, maxdeg = 0;
    int fail = 0;
    for (uint32_t u = 0; u < n; u++) {
        uint64_t d = off[u + 1] - off[u];
        if (d > maxdeg)
            maxdeg = d;
    }
#pragma omp parallel reduction(+ : dups) reduction(| : fail)
    {
        uint32_t *ta = NULL;
        float *tw = NULL;
        if (w != NULL) {
            ta = malloc((maxdeg + 1) * sizeof *ta);
            tw = malloc((maxdeg + 1) * sizeof *tw);
            if (ta == NULL || tw == NULL)
                fail = 1;
        }
#pragma omp for schedule(dynamic, 4096)
        for (uint32_t u = 0; u < n; u++) {
            uint64_t b = off[u], d = off[u + 1] - b;
            if (fail || d == 0) {
                newdeg[u] = 0;
                continue;
            }
            if (w != NULL)
                sort_pairs_stable(nbr + b, w + b, d, ta, tw);
            else
                sort_u32(nbr + b, d);
            uint64_t k = 1;
            for (uint64_t i = 1; i < d; i++) {
                if (nbr[b + i] != nbr[b + k - 1]) {
                    nbr[b + k] = nbr[b + i];
                    if (w != NULL)
                        w[b + k] = w[b + i];
                    k++;
                }
            }
            dups += d - k;
            newdeg[u] = k;
        }
        free(ta);
        free(tw);
    }
    *dups_out = dups;
    if (fail)
        return rc_error(RC_ERR_NOMEM, "out of memory sorting adjacency lists");
    return RC_OK;
}

/* Steps 1-2: out-degrees, then targets scattered into the out-lists in input order (so "first
 * weight wins" is well defined). Each thread owns a contiguous range of source nodes and scans
 * the whole edge list for its own sources: T sequential passes instead of random writes from
 * every thread, deterministic and without atomics. Self-loops are dropped here and never
 * placed. pos (n + 1) ends at each list's end; returns the edges placed. */
static rc_status_t scatter_out(rc_graph_t *g, const rc_edges_t *edges, int undirected,
                               uint64_t *pos, uint64_t *loops_out, uint64_t *placed_out)
{
    rc_status_t status = RC_OK;
    const uint32_t n = g->n;
    const uint64_t len = edges->len;
    const int weighted = edges->w != NULL;
    const int nthreads = omp_get_max_threads();
    uint64_t loops = 0;
#pragma omp parallel num_threads(nthreads) reduction(+ : loops)
    {
        const int t = omp_get_thread_num(), nt = omp_get_num_threads();
        const uint32_t lo = (uint32_t)((uint64_t)n * t / nt);
        const uint32_t hi = (uint32_t)((uint64_t)n * (t + 1) / nt);
        uint64_t *deg = g->out_off + 1;
        for (uint64_t i = 0; i < len; i++) {
            uint32_t u = edges->src[i], v = edges->dst[i];
            if (u == v) {
                if (t == 0)
                    loops++;
                continue;
            }
            if (u >= lo && u < hi)
                deg[u]++;
            if (undirected && v >= lo && v < hi)
                deg[v]++;
        }
    }
    for (uint32_t u = 0; u < n; u++)
        g->out_off[u + 1] += g->out_off[u];
    const uint64_t placed = g->out_off[n];
    g->out_nbr = malloc((placed ? placed : 1) * sizeof *g->out_nbr);
    RC_ALLOC_CHECK(g->out_nbr, "the out-adjacency lists");
    rc_memory_advise_huge(g->out_nbr, placed * sizeof *g->out_nbr);
    if (weighted) {
        g->out_w = malloc((placed ? placed : 1) * sizeof *g->out_w);
        RC_ALLOC_CHECK(g->out_w, "the edge weights");
        rc_memory_advise_huge(g->out_w, placed * sizeof *g->out_w);
    }
    memcpy(pos, g->out_off, ((size_t)n + 1) * sizeof *pos);
#pragma omp parallel num_threads(nthreads)
    {
        const int t = omp_get_thread_num(), nt = omp_get_num_threads();
        const uint32_t lo = (uint32_t)((uint64_t)n * t / nt);
        const uint32_t hi = (uint32_t)((uint64_t)n * (t + 1) / nt);
        for (uint64_t i = 0; i < len; i++) {
            uint32_t u = edges->src[i], v = edges->dst[i];
            if (u == v)
                continue;
            if (u >= lo && u < hi) {
                uint64_t p = pos[u]++;
                g->out_nbr[p] = v;
                if (weighted)
                    g->out_w[p] = edges->w[i];
            }
            if (undirected && v >= lo && v < hi) {
                uint64_t p = pos[v]++;
                g->out_nbr[p] = u;
                if (weighted)
                    g->out_w[p] = edges->w[i];
            }
        }
    }
    *loops_out = loops;
    *placed_out = placed;
cleanup:
    return status;
}

/* Step 3 after sort_and_dedup: moves each out-list (pos[u] entries from out_off[u]) left onto
 * the end of the previous one, sets the offsets and m, and gives back the room of dropped
 * duplicates. */
static void compact_out(rc_graph_t *g, const uint64_t *pos, uint64_t placed)
{
    const int weighted = g->out_w != NULL;
    uint64_t write = 0;
    for (uint32_t u = 0; u < g->n; u++) {
        uint64_t b = g->out_off[u], k = pos[u];
        g->out_off[u] = write;
        if (write != b) {
            memmove(g->out_nbr + write, g->out_nbr + b, k * sizeof *g->out_nbr);
            if (weighted)
                memmove(g->out_w + write, g->out_w + b, k * sizeof *g->out_w);
        }
        write += k;
    }
    g->out_off[g->n] = write;
    g->m = write;
    if (write < placed && write > 0) {
        uint32_t *shrunk = realloc(g->out_nbr, write * sizeof *shrunk);
        if (shrunk != NULL)
            g->out_nbr = shrunk;
        if (weighted) {
            float *ws = realloc(g->out_w, write * sizeof *ws);
            if (ws != NULL)
                g->out_w = ws;
        }
    }
}

/* Step 4, the in-direction: a counting sort by target. Each thread owns a range of targets and
 * fills their in-lists in increasing source order, so every in-list comes out sorted without a
 * further sort. pos is n + 1 scratch; spare (may be NULL) is an array of at least m entries to
 * hold the in-lists (taken in every case). */
static rc_status_t build_in(rc_graph_t *g, uint64_t *pos, uint32_t *spare)
{
    rc_status_t status = RC_OK;
    const uint32_t n = g->n;
    const int weighted = g->out_w != NULL;
    const int nthreads = omp_get_max_threads();
    g->in_off = calloc((size_t)n + 1, sizeof *g->in_off);
    if (spare != NULL) {
        uint32_t *fit = realloc(spare, (g->m ? g->m : 1) * sizeof *fit);
        g->in_nbr = fit != NULL ? fit : spare;
    } else {
        g->in_nbr = malloc((g->m ? g->m : 1) * sizeof *g->in_nbr);
    }
    RC_ALLOC_CHECK(g->in_off, "graph offsets");
    RC_ALLOC_CHECK(g->in_nbr, "the in-adjacency lists");
    rc_memory_advise_huge(g->in_off, ((size_t)n + 1) * sizeof *g->in_off);
    if (spare == NULL)
        rc_memory_advise_huge(g->in_nbr, g->m * sizeof *g->in_nbr);
    if (weighted) {
        g->in_w = malloc((g->m ? g->m : 1) * sizeof *g->in_w);
        RC_ALLOC_CHECK(g->in_w, "the edge weights");
        rc_memory_advise_huge(g->in_w, g->m * sizeof *g->in_w);
    }
#pragma omp parallel num_threads(nthreads)
    {
        const int t = omp_get_thread_num(), nt = omp_get_num_threads();
        const uint32_t lo = (uint32_t)((uint64_t)n * t / nt);
        const uint32_t hi = (uint32_t)((uint64_t)n * (t + 1) / nt);
        for (uint64_t e = 0; e < g->m; e++) {
            uint32_t v = g->out_nbr[e];
            if (v >= lo && v < hi)
                g->in_off[v + 1]++;
        }
    }
    for (uint32_t v = 0; v < n; v++)
        g->in_off[v + 1] += g->in_off[v];
    memcpy(pos, g->in_off, ((size_t)n + 1) * sizeof *pos);
#pragma omp parallel num_threads(nthreads)
    {
        const int t = omp_get_thread_num(), nt = omp_get_num_threads();
        const uint32_t lo = (uint32_t)((uint64_t)n * t / nt);
        const uint32_t hi = (uint32_t)((uint64_t)n * (t + 1) / nt);
        for (uint32_t u = 0; u < n; u++) {
            for (uint64_t e = g->out_off[u]; e < g->out_off[u + 1]; e++) {
                uint32_t v = g->out_nbr[e];
                if (v < lo || v >= hi)
                    continue;
                uint64_t p = pos[v]++;
                g->in_nbr[p] = u;
                if (weighted)
                    g->in_w[p] = g->out_w[e];
            }
        }
    }
cleanup:
    return status;
}

/* ---- In place: the edge list becomes the graph ---- */

/* 1 when the sources of e never decrease (a generator's order). */
static int sorted_by_source(const rc_edges_t *e)
{
    int sorted = 1;
#pragma omp parallel for schedule(static) reduction(& : sorted)
    for (uint64_t i = 1; i < e->len; i++)
        sorted &= e->src[i - 1] <= e->src[i];
    return sorted;
}

/* Drops the self-loops of e in place, keeping the order; returns how many. */
static uint64_t drop_loops(rc_edges_t *e)
{
    uint64_t k = 0;
    for (uint64_t i = 0; i < e->len; i++) {
        if (e->src[i] == e->dst[i])
            continue;
        e->src[k] = e->src[i];
        e->dst[k] = e->dst[i];
        if (e->w != NULL)
            e->w[k] = e->w[i];
        k++;
    }
    uint64_t loops = e->len - k;
    e->len = k;
    return loops;
}

/* Swaps edges i and j of e. */
static inline void swap_edges(rc_edges_t *e, uint64_t i, uint64_t j)
{
    uint32_t t = e->src[i];
    e->src[i] = e->src[j];
    e->src[j] = t;
    t = e->dst[i];
    e->dst[i] = e->dst[j];
    e->dst[j] = t;
    if (e->w != NULL) {
        float x = e->w[i];
        e->w[i] = e->w[j];
        e->w[j] = x;
    }
}

/* Permutes the edges [start[b], start[b+1]) of e so that every edge sits in the range of bucket
 * key(src) >> shift (relative to base), by cycles of swaps (American flag sort); head is scratch
 * of nb entries. */
static void flag_sort(rc_edges_t *e, const uint64_t *start, uint64_t *head, size_t nb,
                      uint32_t base, int shift)
{
    memcpy(head, start, nb * sizeof *head);
    for (size_t b = 0; b < nb; b++) {
        while (head[b] < start[b + 1]) {
            size_t c = (size_t)((e->src[head[b]] - base) >> shift);
            if (c == b) {
                head[b]++;
                continue;
            }
            /* bucket c still holds an edge of another bucket, since this one is not there */
            while ((size_t)((e->src[head[c]] - base) >> shift) == c)
                head[c]++;
            swap_edges(e, head[b], head[c]++);
        }
    }
}

/* Puts the edges of e (no self-loops) in source order in place, given the out-offsets: first
 * into 256 ranges of sources, then each range (in parallel) node by node. pos is n + 1
 * scratch. Edges of one source end up in no particular order. */
static void permute_by_source(rc_edges_t *e, const uint64_t *off, uint32_t n, uint64_t *pos)
{
    int shift = 0;
    while (((uint64_t)(n - 1) >> shift) >= 256)
        shift++;
    const size_t nb = (size_t)(((uint64_t)(n - 1) >> shift) + 1);
    uint64_t start[257], head[256];
    for (size_t b = 0; b < nb; b++)
        start[b] = off[(uint64_t)b << shift];
    start[nb] = off[n];
    flag_sort(e, start, head, nb, 0, shift);
    const long long nbl = (long long)nb;
#pragma omp parallel for schedule(dynamic, 1)
    for (long long b = 0; b < nbl; b++) {
        const uint32_t lo = (uint32_t)((uint64_t)b << shift);
        const uint32_t hi = (uint64_t)(b + 1) << shift < n ? (uint32_t)((uint64_t)(b + 1) << shift) : n;
        flag_sort(e, off + lo, pos + lo, hi - lo, lo, 0);
    }
}

/* Out-degrees of e (no self-loops) into g->out_off as offsets: each thread owns a range of
 * sources and scans the list for them, so no two threads write one counter. */
static void count_out(rc_graph_t *g, const rc_edges_t *e)
{
    const uint32_t n = g->n;
    uint64_t *deg = g->out_off + 1;
#pragma omp parallel
    {
        const int t = omp_get_thread_num(), nt = omp_get_num_threads();
        const uint32_t lo = (uint32_t)((uint64_t)n * t / nt);
        const uint32_t hi = (uint32_t)((uint64_t)n * (t + 1) / nt);
        for (uint64_t i = 0; i < e->len; i++) {
            uint32_t u = e->src[i];
            if (u >= lo && u < hi)
                deg[u]++;
        }
    }
    for (uint32_t u = 0; u < n; u++)
        g->out_off[u + 1] += g->out_off[u];
}

/* Steps 1-2 in place: self-loops dropped, the edges put in source order, and the target array
 * (with the weights) taken as the out-lists; *spare gets the source array, for the in-lists. pos
 * is scratch. */
static void place_in_place(rc_graph_t *g, rc_edges_t *edges, int sorted, uint64_t *pos,
                           uint64_t *loops_out, uint64_t *placed_out, uint32_t **spare)
{
    *loops_out = drop_loops(edges);
    count_out(g, edges);
    if (!sorted)
        permute_by_source(edges, g->out_off, g->n, pos);
    *placed_out = edges->len;
    g->out_nbr = edges->dst;
    g->out_w = edges->w;
    *spare = edges->src;
    edges->src = edges->dst = NULL;
    edges->w = NULL;
    rc_edges_free(edges);
}

rc_status_t rc_graph_build(uint32_t n, rc_edges_t *edges, int undirected, rc_graph_t **out,
                           rc_build_report_t *report)
{
    rc_status_t status = RC_OK;
    rc_graph_t *g = NULL;
    uint64_t *pos = NULL;
    uint32_t *spare = NULL; /* in place: the source array, to become the in-lists */
    const uint64_t len = edges->len;
    const int weighted = edges->w != NULL;
    uint64_t loops = 0, placed = 0, dups = 0;
    *out = NULL;

    if (n == 0 || n > RC_MAX_NODES)
        RC_FAIL(RC_ERR_CONFIG, "a graph needs between 1 and %u nodes (got %u)", RC_MAX_NODES, n);
    for (uint64_t i = 0; i < len; i++) {
        if (edges->src[i] >= n || edges->dst[i] >= n)
            RC_FAIL(RC_ERR_INTERNAL, "edge %llu (%u -> %u) names a node outside [0, %u)",
                    (unsigned long long)i, edges->src[i], edges->dst[i], n);
    }
    const uint64_t slots = undirected ? 2 * len : len; /* upper bound on directed edges */
    /* In place unless undirected, or weighted and out of source order (see the top). */
    const int sorted = sorted_by_source(edges);
    const int in_place = !undirected && (!weighted || sorted);
    /* What is allocated beyond the edge list: offsets and scratch, and in place the in-weights;
     * otherwise the out-lists (and, after the list is freed, the in-lists). */
    uint64_t extra = 3 * ((uint64_t)n + 1) * sizeof(uint64_t);
    if (in_place)
        extra += weighted ? len * sizeof(float) : 0;
    else
        extra += slots * (weighted ? 8 : 4); /* the in-lists come after the list is freed */
    RC_TRY(rc_memory_check(extra, "the graph's adjacency lists"));

    g = calloc(1, sizeof *g);
    RC_ALLOC_CHECK(g, "a graph");
    g->n = n;
    g->undirected = undirected;
    g->out_off = calloc((size_t)n + 1, sizeof *g->out_off);
    pos = malloc(((size_t)n + 1) * sizeof *pos);
    RC_ALLOC_CHECK(g->out_off, "graph offsets");
    RC_ALLOC_CHECK(pos, "graph offsets");
    rc_memory_advise_huge(g->out_off, ((size_t)n + 1) * sizeof *g->out_off);
    if (in_place) {
        place_in_place(g, edges, sorted, pos, &loops, &placed, &spare);
    } else {
        RC_TRY(scatter_out(g, edges, undirected, pos, &loops, &placed));
        rc_edges_free(edges); /* the list is consumed: free it before the second direction */
    }
    /* 3. Sort each list and drop duplicates, then compact the lists leftwards. */
    RC_TRY(sort_and_dedup(n, g->out_off, g->out_nbr, g->out_w, pos, &dups));
    compact_out(g, pos, placed);
    RC_TRY(build_in(g, pos, spare));
    spare = NULL;
    if (report != NULL) {
        report->input_edges = len;
        report->self_loops = loops;
        report->duplicates = dups;
    }
    *out = g;
    g = NULL;
cleanup:
    rc_edges_free(edges);
    free(spare);
    free(pos);
    rc_graph_free(g);
    return status;
}
