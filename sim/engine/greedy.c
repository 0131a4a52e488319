/* Influence-maximisation seeds: degree discount (Chen, Wang & Yang 2009) and the greedy
 * algorithm of Kempe, Kleinberg & Tardos (2003) with CELF lazy evaluation (Leskovec et al. 2007).
 * Greedy estimates spreads with common random numbers (run r of every estimate uses the same
 * stream) and integer sums, so its choices depend only on the seeds of the streams; sequences are
 * cached so that a sweep over the seed count extends one sequence instead of restarting. */
#include "rtcascade/greedy.h"
#include "rtcascade/rng.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------ heaps */

/* A max-heap entry: key (larger first), ties by lower node. `round` is CELF's: the seed count
 * at which the key was computed; degree discount does not use it. */
typedef struct heap_entry {
    double key;
    int64_t gain;
    uint32_t node;
    uint32_t round;
} heap_entry_t;

static int entry_before(const heap_entry_t *a, const heap_entry_t *b)
{
    if (a->key != b->key)
        return a->key > b->key;
    return a->node < b->node;
}

static void heap_sift_down(heap_entry_t *h, size_t len, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, best = i;
        if (l < len && entry_before(&h[l], &h[best]))
            best = l;
        if (r < len && entry_before(&h[r], &h[best]))
            best = r;
        if (best == i)
            return;
        heap_entry_t t = h[i];
        h[i] = h[best];
        h[best] = t;
        i = best;
    }
}

static void heap_push(heap_entry_t *h, size_t *len, heap_entry_t e)
{
    size_t i = (*len)++;
    h[i] = e;
    while (i > 0) {
        size_t up = (i - 1) / 2;
        if (!entry_before(&h[i], &h[up]))
            break;
        heap_entry_t t = h[i];
        h[i] = h[up];
        h[up] = t;
        i = up;
    }
}

static heap_entry_t heap_pop(heap_entry_t *h, size_t *len)
{
    heap_entry_t top = h[0];
    h[0] = h[--(*len)];
    heap_sift_down(h, *len, 0);
    return top;
}

/* ------------------------------------------------------------------------------ degree discount */

/* DegreeDiscountIC: dd_v = d_v - 2 t_v - (d_v - t_v) t_v p, d_v the out-degree (followers) and
 * t_v the chosen seeds that v follows (on undirected graphs: its seed neighbours, as in the
 * paper). A lazy heap holds every value a node had; stale ones are skipped on pop, so keys may
 * move either way. */
static rc_status_t degree_discount(const rc_graph_t *g, uint32_t k, double p, uint32_t *out)
{
    rc_status_t status = RC_OK;
    double *dd = malloc((size_t)g->n * sizeof *dd);
    uint32_t *t = calloc(g->n, sizeof *t);
    uint8_t *chosen = calloc(g->n, 1);
    size_t cap = (size_t)g->n + (size_t)g->m + 1, len = 0;
    heap_entry_t *h = malloc(cap * sizeof *h);
    RC_ALLOC_CHECK(dd, "degree discounts");
    RC_ALLOC_CHECK(t, "degree discounts");
    RC_ALLOC_CHECK(chosen, "degree discounts");
    RC_ALLOC_CHECK(h, "the degree-discount heap");
    for (uint32_t v = 0; v < g->n; v++) {
        dd[v] = (double)rc_graph_out_degree(g, v);
        heap_push(h, &len, (heap_entry_t){.key = dd[v], .node = v});
    }
    uint32_t got = 0;
    while (got < k && len > 0) {
        heap_entry_t e = heap_pop(h, &len);
        if (chosen[e.node] || e.key != dd[e.node])
            continue;
        chosen[e.node] = 1;
        out[got++] = e.node;
        for (uint64_t j = g->out_off[e.node]; j < g->out_off[e.node + 1]; j++) {
            uint32_t w = g->out_nbr[j];
            if (chosen[w])
                continue;
            t[w]++;
            double d = (double)rc_graph_out_degree(g, w), tw = (double)t[w];
            dd[w] = d - 2.0 * tw - (d - tw) * tw * p;
            heap_push(h, &len, (heap_entry_t){.key = dd[w], .node = w});
        }
    }
    if (got < k) /* cannot happen: every node enters the heap with its current value */
        RC_FAIL(RC_ERR_INTERNAL, "degree discount chose %u of %u seeds", got, k);
cleanup:
    free(dd);
    free(t);
    free(chosen);
    free(h);
    return status;
}

rc_status_t rc_seeds_resolve_influence(const rc_seed_spec_t *spec, const rc_graph_t *g,
                                       uint32_t *fixed)
{
    rc_status_t status = RC_OK;
    if (spec->strategy == RC_SEEDS_DEGREE_DISCOUNT) {
        RC_TRY(degree_discount(g, spec->count, spec->p, fixed));
    } else if (spec->strategy == RC_SEEDS_GREEDY) {
        if (spec->greedy_candidates != 0 && spec->greedy_candidates < spec->count)
            RC_FAIL(RC_ERR_CONFIG, "%s.greedy_candidates: %u candidates cannot give %u seeds",
                    spec->where, spec->greedy_candidates, spec->count);
        for (uint32_t i = 0; i < spec->count; i++)
            fixed[i] = RC_NO_NODE;
    } else {
        RC_FAIL(RC_ERR_INTERNAL, "rc_seeds_resolve_influence: not an influence strategy");
    }
cleanup:
    return status;
}

/* ------------------------------------------------------------------------------ greedy */

/* One greedy sequence: its key, the seeds chosen so far and CELF's heap of upper bounds. */
typedef struct greedy_state {
    uint64_t graph_fp;
    const rc_model_t *model;
    char *model_key;
    uint64_t master;
    uint32_t runs, candidates, max_size;
    uint32_t *chosen;
    uint32_t n_chosen, cap_chosen;
    int64_t total;      /* sum over the runs of the spread of chosen (common streams) */
    heap_entry_t *heap; /* unchosen candidates; gain = marginal total at `round` */
    size_t heap_len;
    uint64_t stamp;     /* last use, for eviction */
} greedy_state_t;

#define GREEDY_CACHE_SLOTS 8

/* Greedy sequences kept between calls (greedy.h), least recently used out first. */
struct rc_greedy_cache {
    greedy_state_t *slot[GREEDY_CACHE_SLOTS];
    uint64_t clock;
    omp_lock_t lock; /* calls from several threads (points run at once) take turns here */
};

static void state_free(greedy_state_t *s)
{
    if (s == NULL)
        return;
    free(s->model_key);
    free(s->chosen);
    free(s->heap);
    free(s);
}

rc_greedy_cache_t *rc_greedy_cache_new(void)
{
    rc_greedy_cache_t *c = calloc(1, sizeof *c);
    if (c == NULL) {
        rc_error(RC_ERR_NOMEM, "out of memory for the greedy cache");
        return NULL;
    }
    omp_init_lock(&c->lock);
    return c;
}

void rc_greedy_cache_free(rc_greedy_cache_t *c)
{
    if (c == NULL)
        return;
    for (int i = 0; i < GREEDY_CACHE_SLOTS; i++)
        state_free(c->slot[i]);
    omp_destroy_lock(&c->lock);
    free(c);
}

static int state_matches(const greedy_state_t *s, const greedy_state_t *key)
{
    return s->graph_fp == key->graph_fp && s->model == key->model && s->master == key->master &&
           s->runs == key->runs && s->candidates == key->candidates &&
           s->max_size == key->max_size && strcmp(s->model_key, key->model_key) == 0;
}

/* Takes the matching state out of the cache (NULL when none). */
static greedy_state_t *cache_take(rc_greedy_cache_t *c, const greedy_state_t *key)
{
    greedy_state_t *found = NULL;
    omp_set_lock(&c->lock);
    for (int i = 0; i < GREEDY_CACHE_SLOTS && found == NULL; i++) {
        if (c->slot[i] != NULL && state_matches(c->slot[i], key)) {
            found = c->slot[i];
            c->slot[i] = NULL;
        }
    }
    omp_unset_lock(&c->lock);
    return found;
}

/* Puts s back (replacing a shorter copy of the same sequence, else an empty slot, else the
 * least recently used). */
static void cache_put(rc_greedy_cache_t *c, greedy_state_t *s)
{
    greedy_state_t *drop = NULL;
    omp_set_lock(&c->lock);
    int slot = -1;
    s->stamp = ++c->clock;
    for (int i = 0; i < GREEDY_CACHE_SLOTS && slot < 0; i++)
        if (c->slot[i] != NULL && state_matches(c->slot[i], s))
            slot = i;
    if (slot >= 0 && c->slot[slot]->n_chosen > s->n_chosen) {
        drop = s; /* another call went further meanwhile */
    } else {
        for (int i = 0; i < GREEDY_CACHE_SLOTS && slot < 0; i++)
            if (c->slot[i] == NULL)
                slot = i;
        if (slot < 0) {
            slot = 0;
            for (int i = 1; i < GREEDY_CACHE_SLOTS; i++)
                if (c->slot[i]->stamp < c->slot[slot]->stamp)
                    slot = i;
        }
        drop = c->slot[slot];
        c->slot[slot] = s;
    }
    omp_unset_lock(&c->lock);
    state_free(drop);
}

/* A hash of the graph's out-edges (and weights): the cache must not confuse two graphs that
 * happen to live at the same address. O(n + m). */
static uint64_t graph_fingerprint(const rc_graph_t *g)
{
    uint64_t h = rc_mix64(g->n ^ (g->m << 32));
    for (uint32_t v = 0; v <= g->n; v++)
        h = rc_mix64(h ^ g->out_off[v]);
    for (uint64_t j = 0; j < g->m; j++) {
        uint64_t w = 0;
        if (g->out_w != NULL)
            memcpy(&w, &g->out_w[j], sizeof g->out_w[j]);
        h = rc_mix64(h ^ g->out_nbr[j] ^ (w << 32));
    }
    return h;
}

/* Per-thread scratch for the estimates. */
typedef struct greedy_eval {
    const rc_model_t *model;
    rc_run_ctx_t ctx;
    uint64_t master;
    uint32_t runs;
    int threads;
    rc_workspace_t **ws;
    gsl_rng **rng;
    uint32_t **buf; /* seeds: the chosen ones, then the candidate */
    rc_status_t status;
    int64_t fail_run;
    char message[512];
} greedy_eval_t;

static void eval_fail(greedy_eval_t *ev, int64_t run, rc_status_t st)
{
#pragma omp critical(rc_greedy_fail)
    {
        if (ev->status == RC_OK || run < ev->fail_run) {
            ev->status = st;
            ev->fail_run = run;
            snprintf(ev->message, sizeof ev->message, "%s", rc_error_message());
        }
    }
}

/* Spread of one run r from seeds[0..n) on thread tid's scratch (0 after a failure). */
static uint32_t one_run(greedy_eval_t *ev, int tid, uint32_t r, const uint32_t *seeds, uint32_t n)
{
    rc_cascade_t c;
    rc_rng_seed(ev->rng[tid], ev->master, RC_GREEDY_STREAM, r);
    rc_workspace_next_run(ev->ws[tid]);
    rc_status_t st = ev->model->run(&ev->ctx, seeds, n, ev->rng[tid], ev->ws[tid], &c);
    if (st != RC_OK) {
        eval_fail(ev, r, st);
        return 0;
    }
    return c.size;
}

/* Sum over the runs of the spread of chosen[0..k) plus v, runs split between threads. */
static int64_t eval_set(greedy_eval_t *ev, const uint32_t *chosen, uint32_t k, uint32_t v)
{
    int64_t total = 0;
#pragma omp parallel num_threads(ev->threads) reduction(+ : total)
    {
        int tid = omp_get_thread_num();
        uint32_t *s = ev->buf[tid];
        memcpy(s, chosen, (size_t)k * sizeof *s);
        s[k] = v;
#pragma omp for schedule(static)
        for (int64_t r = 0; r < (int64_t)ev->runs; r++)
            total += one_run(ev, tid, (uint32_t)r, s, k + 1);
    }
    return total;
}

static int degree_then_index_desc(const void *a, const void *b, const rc_graph_t *g)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    uint64_t dx = rc_graph_out_degree(g, x), dy = rc_graph_out_degree(g, y);
    if (dx != dy)
        return dx > dy ? -1 : 1;
    return x < y ? -1 : x > y;
}

static const rc_graph_t *sort_graph; /* qsort has no context argument; set under a lock */

static int cand_cmp(const void *a, const void *b)
{
    return degree_then_index_desc(a, b, sort_graph);
}

/* The candidates: every node, or the `limit` with most followers (ties: lower index). */
static rc_status_t candidate_list(const rc_graph_t *g, uint32_t limit, uint32_t **out,
                                  uint32_t *len)
{
    rc_status_t status = RC_OK;
    uint32_t *c = malloc((size_t)g->n * sizeof *c);
    RC_ALLOC_CHECK(c, "the greedy candidates");
    for (uint32_t v = 0; v < g->n; v++)
        c[v] = v;
    *len = g->n;
    if (limit != 0 && limit < g->n) {
#pragma omp critical(rc_greedy_sort)
        {
            sort_graph = g;
            qsort(c, g->n, sizeof *c, cand_cmp);
        }
        *len = limit;
    }
    *out = c;
cleanup:
    return status;
}

/* CELF's first round: the spread of every candidate alone, candidates split between threads
 * (each runs all of its estimate's runs), then the heap of gains. */
static rc_status_t first_round(greedy_eval_t *ev, const rc_graph_t *g, greedy_state_t *s,
                               const rc_mc_options_t *opt)
{
    rc_status_t status = RC_OK;
    uint32_t *cand = NULL, nc = 0;
    int64_t *tot = NULL;
    int stop = 0;
    RC_TRY(candidate_list(g, s->candidates, &cand, &nc));
    tot = calloc(nc, sizeof *tot);
    s->heap = malloc(((size_t)nc + 1) * sizeof *s->heap);
    RC_ALLOC_CHECK(tot, "greedy estimates");
    RC_ALLOC_CHECK(s->heap, "the CELF heap");
#pragma omp parallel num_threads(ev->threads)
    {
        int tid = omp_get_thread_num();
#pragma omp for schedule(dynamic, 16)
        for (int64_t i = 0; i < (int64_t)nc; i++) {
            int halt;
#pragma omp atomic read
            halt = stop;
            if (halt)
                continue;
            if (opt->cancel != NULL && opt->cancel(opt->cancel_ctx)) {
#pragma omp atomic write
                stop = 1;
                continue;
            }
            int64_t t = 0;
            for (uint32_t r = 0; r < ev->runs; r++)
                t += one_run(ev, tid, r, &cand[i], 1);
            tot[i] = t;
        }
    }
    if (stop)
        RC_FAIL(RC_ERR_INTERRUPTED, "greedy seeds: stopped during the first round");
    if (ev->status != RC_OK)
        RC_FAIL(ev->status, "greedy seeds, estimate run %lld: %s", (long long)ev->fail_run,
                ev->message);
    s->heap_len = 0;
    for (uint32_t i = 0; i < nc; i++)
        heap_push(s->heap, &s->heap_len,
                  (heap_entry_t){.key = (double)tot[i], .gain = tot[i], .node = cand[i],
                                 .round = 0});
    s->total = 0;
    s->n_chosen = 0;
cleanup:
    free(cand);
    free(tot);
    return status;
}

/* CELF: the top of the heap is chosen when its gain is fresh (computed at the current seed
 * count), else re-estimated and pushed back; stale gains are upper bounds when the spread is
 * submodular (exactly so for the expected spread; for the common-random-number estimate it
 * holds only approximately, so CELF may then differ from plain greedy on near-ties). */
static rc_status_t extend(greedy_eval_t *ev, greedy_state_t *s, uint32_t k,
                          const rc_mc_options_t *opt)
{
    rc_status_t status = RC_OK;
    if (k > s->cap_chosen) {
        uint32_t *c = realloc(s->chosen, (size_t)k * sizeof *c);
        RC_ALLOC_CHECK(c, "the greedy seeds");
        s->chosen = c;
        s->cap_chosen = k;
    }
    while (s->n_chosen < k) {
        if (s->heap_len == 0)
            RC_FAIL(RC_ERR_INTERNAL, "greedy seeds: no candidate left for seed %u",
                    s->n_chosen + 1);
        if (opt->cancel != NULL && opt->cancel(opt->cancel_ctx))
            RC_FAIL(RC_ERR_INTERRUPTED, "greedy seeds: stopped at seed %u", s->n_chosen + 1);
        heap_entry_t *top = &s->heap[0];
        if (top->round == s->n_chosen) {
            heap_entry_t e = heap_pop(s->heap, &s->heap_len);
            s->chosen[s->n_chosen++] = e.node;
            s->total += e.gain;
            continue;
        }
        int64_t t = eval_set(ev, s->chosen, s->n_chosen, top->node);
        if (ev->status != RC_OK)
            RC_FAIL(ev->status, "greedy seeds, estimate run %lld: %s", (long long)ev->fail_run,
                    ev->message);
        top->gain = t - s->total;
        top->key = (double)top->gain;
        top->round = s->n_chosen;
        heap_sift_down(s->heap, s->heap_len, 0);
    }
cleanup:
    return status;
}

rc_status_t rc_seeds_greedy(const rc_seed_spec_t *spec, const rc_graph_t *g,
                            const rc_model_t *model, const void *params, const void *shared,
                            uint64_t master_seed, const rc_mc_options_t *opt, uint32_t *out)
{
    rc_status_t status = RC_OK;
    greedy_state_t *s = NULL;
    greedy_eval_t ev;
    memset(&ev, 0, sizeof ev);
    rc_mc_options_t o = opt != NULL ? *opt : rc_mc_default_options();
    const uint32_t k = spec->count;
    const uint32_t cands = spec->greedy_candidates != 0 && spec->greedy_candidates < g->n
                               ? spec->greedy_candidates : 0;
    if (k > (cands ? cands : g->n))
        RC_FAIL(RC_ERR_CONFIG, "%s.count: %u greedy seeds but only %u candidates", spec->where,
                k, cands ? cands : g->n);

    const int cached = o.greedy_cache != NULL && o.model_key != NULL;
    greedy_state_t key = {.graph_fp = cached ? graph_fingerprint(g) : 0,
                          .model = model,
                          .model_key = (char *)(o.model_key != NULL ? o.model_key : ""),
                          .master = master_seed,
                          .runs = spec->greedy_runs,
                          .candidates = cands,
                          .max_size = o.max_size};
    if (cached)
        s = cache_take(o.greedy_cache, &key);
    if (s == NULL || s->n_chosen < k) {
        ev.model = model;
        ev.ctx = (rc_run_ctx_t){.graph = g, .params = params, .shared = shared,
                                .max_size = o.max_size};
        ev.master = master_seed;
        ev.runs = spec->greedy_runs;
        ev.threads = o.threads > 0 ? o.threads : omp_get_max_threads();
        ev.fail_run = INT64_MAX;
        ev.ws = calloc((size_t)ev.threads, sizeof *ev.ws);
        ev.rng = calloc((size_t)ev.threads, sizeof *ev.rng);
        ev.buf = calloc((size_t)ev.threads, sizeof *ev.buf);
        RC_ALLOC_CHECK(ev.ws, "greedy scratch");
        RC_ALLOC_CHECK(ev.rng, "greedy scratch");
        RC_ALLOC_CHECK(ev.buf, "greedy scratch");
        for (int t = 0; t < ev.threads; t++) {
            RC_TRY(rc_model_workspace(model, params, g, &ev.ws[t]));
            ev.rng[t] = rc_rng_alloc();
            ev.buf[t] = malloc(((size_t)k + 1) * sizeof *ev.buf[t]);
            RC_ALLOC_CHECK(ev.rng[t], "a greedy generator");
            RC_ALLOC_CHECK(ev.buf[t], "greedy scratch");
        }
        if (s == NULL) {
            s = calloc(1, sizeof *s);
            RC_ALLOC_CHECK(s, "a greedy sequence");
            *s = key;
            s->model_key = NULL;
            s->chosen = NULL;
            s->heap = NULL;
            s->model_key = strdup(key.model_key);
            RC_ALLOC_CHECK(s->model_key, "a greedy cache key");
            RC_TRY(first_round(&ev, g, s, &o));
        }
        RC_TRY(extend(&ev, s, k, &o));
    }
    memcpy(out, s->chosen, (size_t)k * sizeof *out);
    if (cached) {
        cache_put(o.greedy_cache, s);
        s = NULL;
    }
cleanup:
    state_free(s);
    for (int t = 0; ev.ws != NULL && t < ev.threads; t++) {
        rc_workspace_free(ev.ws[t]);
        if (ev.rng[t] != NULL)
            gsl_rng_free(ev.rng[t]);
        free(ev.buf[t]);
    }
    free(ev.ws);
    free(ev.rng);
    free(ev.buf);
    return status;
}
