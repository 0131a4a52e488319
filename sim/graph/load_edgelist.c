/* Edge-list loader: SNAP-style whitespace lists and CSV, plain or gzip (detected by content),
 * parsed by hand from large buffers so that 10^8-edge files load at disk speed. Arbitrary 64-bit
 * account ids are remapped to 0..n-1 in order of first appearance through an open-addressing
 * table of node indices (idmap.c); the ids themselves end up in g->orig_id. With the accounts
 * given (a count, or a file of ids: load_accounts.c), those are the nodes, isolated ones
 * included, and an edge naming another id is an error. */
#include "graph/accounts.h"
#include "graph/idmap.h"
#include "graph/text_lines.h"
#include "rtcascade/graph.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RC_MAX_FIELDS 4 /* fields remembered per line (more are only counted) */

/* ---- the loader's state ---- */

/* Parsed lines wait in a batch so that the id lookups, which miss the cache at scale, can be
 * prefetched several keys ahead (see rc_loader_flush). */
#define RC_BATCH 4096

typedef struct rc_loader {
    const char *path;
    int csv; /* 1: comma-separated, 0: whitespace-separated */
    int weighted;
    rc_direction_t direction;
    uint64_t nodes;            /* > 0: accounts are ids 0..nodes-1 (no map) */
    int closed;                /* the map holds every account (a nodes file): no new ids */
    const char *accounts_path; /* that file, for messages */
    uint64_t line; /* current line number, 1-based */
    int seen_data; /* a non-comment line was met (the CSV header chance is gone) */
    rc_idmap_t map;
    rc_edges_t edges;
    uint64_t edges_read;
    uint32_t pending;           /* lines in the batch */
    uint64_t key[2 * RC_BATCH]; /* source, target, source, target, ... as written */
    uint64_t hash[2 * RC_BATCH];
    uint32_t idx[2 * RC_BATCH];
    float w[RC_BATCH];
    uint64_t key_line[RC_BATCH]; /* line number of each pending edge, for messages */
} rc_loader_t;

/* The dense index of original id `id` (hash h), adding it when new. */
static inline rc_status_t rc_loader_node(rc_loader_t *L, uint64_t id, uint64_t h, uint64_t line,
                                         uint32_t *idx)
{
    rc_status_t status = RC_OK;
    rc_idmap_t *m = &L->map;
    const uint64_t s = rc_idmap_slot(m, id, h);
    if (m->slot[s] != RC_NO_NODE) {
        *idx = m->slot[s];
        return RC_OK;
    }
    if (L->closed)
        RC_FAIL(RC_ERR_INPUT, "%s:%llu: account %llu is not in the accounts file %s", L->path,
                (unsigned long long)line, (unsigned long long)id, L->accounts_path);
    if (m->n >= RC_MAX_NODES)
        RC_FAIL(RC_ERR_INPUT, "%s:%llu: more than %llu distinct node ids", L->path,
                (unsigned long long)line, (unsigned long long)RC_MAX_NODES);
    m->slot[s] = (uint32_t)m->n;
    m->ids[m->n] = id;
    *idx = (uint32_t)m->n++;
    if (2 * m->n >= m->mask + 1) /* also keeps ids[] (capacity/2) one entry ahead */
        RC_TRY(rc_idmap_grow(m));
cleanup:
    return status;
}

/* Resolves the batch's ids in text order (so numbering follows first appearance) and appends
 * its edges. Each lookup costs two dependent cache misses (slot, then the id it names) on large
 * graphs; prefetching the slot RC_PF keys ahead and the id RC_PF/2 ahead overlaps them. A
 * prefetch made stale by an insertion or a table growth only costs a miss, never a wrong
 * answer: every key is looked up in full. */
#define RC_PF 16
#if defined(__GNUC__)
#define RC_PREFETCH(addr) __builtin_prefetch(addr)
#else
#define RC_PREFETCH(addr) ((void)0)
#endif
static rc_status_t rc_loader_flush(rc_loader_t *L)
{
    rc_status_t status = RC_OK;
    rc_idmap_t *m = &L->map;
    const uint32_t nkeys = 2 * L->pending;
    if (L->nodes > 0) { /* the ids are the indices */
        for (uint32_t i = 0; i < nkeys; i++) {
            if (L->key[i] >= L->nodes)
                RC_FAIL(RC_ERR_INPUT, "%s:%llu: account %llu is not below nodes: %llu (with a "
                        "count of accounts, ids are 0 .. nodes-1)", L->path,
                        (unsigned long long)L->key_line[i / 2], (unsigned long long)L->key[i],
                        (unsigned long long)L->nodes);
            L->idx[i] = (uint32_t)L->key[i];
        }
        goto push;
    }
    for (uint32_t i = 0; i < nkeys; i++)
        L->hash[i] = rc_idmap_hash(L->key[i]);
    for (uint32_t i = 0; i < nkeys; i++) {
        if (i + RC_PF < nkeys)
            RC_PREFETCH(&m->slot[L->hash[i + RC_PF] & m->mask]);
        if (i + RC_PF / 2 < nkeys) {
            uint32_t k = m->slot[L->hash[i + RC_PF / 2] & m->mask];
            if (k != RC_NO_NODE)
                RC_PREFETCH(&m->ids[k]);
        }
        /* sorted files repeat the previous line's source (or target): skip the lookup */
        if (i >= 2 && L->key[i] == L->key[i - 2])
            L->idx[i] = L->idx[i - 2];
        else
            RC_TRY(rc_loader_node(L, L->key[i], L->hash[i], L->key_line[i / 2], &L->idx[i]));
    }
push:
    for (uint32_t j = 0; j < L->pending; j++) {
        uint32_t ia = L->idx[2 * j], ib = L->idx[2 * j + 1];
        if (L->direction == RC_DIRECTION_FOLLOWS)
            RC_TRY(rc_edges_push(&L->edges, ib, ia, L->w[j]));
        else
            RC_TRY(rc_edges_push(&L->edges, ia, ib, L->w[j]));
    }
    L->edges_read += L->pending;
cleanup:
    L->pending = 0;
    return status;
}

static rc_status_t rc_loader_id(rc_loader_t *L, const char *p, const char *e, uint64_t *id)
{
    char shown[RC_TEXT_SHOWN];
    int r = rc_text_u64(p, e, id);
    if (r != 0) {
        rc_status_t s = rc_loader_flush(L); /* an earlier line's error comes first */
        if (s != RC_OK)
            return s;
    }
    if (r == 1)
        return rc_error(RC_ERR_INPUT, "%s:%llu: expected an unsigned integer node id, got '%s'",
                        L->path, (unsigned long long)L->line,
                        rc_text_show(p, e, shown, sizeof shown));
    if (r == 2)
        return rc_error(RC_ERR_INPUT, "%s:%llu: id %s overflows 64 bits", L->path,
                        (unsigned long long)L->line, rc_text_show(p, e, shown, sizeof shown));
    return RC_OK;
}

static rc_status_t rc_loader_weight(rc_loader_t *L, const char *p, const char *e, float *w)
{
    char shown[RC_TEXT_SHOWN];
    double v = 0;
    int finite = rc_text_double(p, e, &v) && isfinite(v) && isfinite((float)v);
    if (finite && v >= 0) {
        *w = (float)v + 0.0f; /* -0 becomes 0 */
        return RC_OK;
    }
    rc_status_t s = rc_loader_flush(L); /* an earlier line's error comes first */
    if (s != RC_OK)
        return s;
    if (!finite)
        return rc_error(RC_ERR_INPUT, "%s:%llu: expected a finite number as weight, got '%s'",
                        L->path, (unsigned long long)L->line,
                        rc_text_show(p, e, shown, sizeof shown));
    return rc_error(RC_ERR_INPUT, "%s:%llu: expected a non-negative weight, got '%s'", L->path,
                    (unsigned long long)L->line, rc_text_show(p, e, shown, sizeof shown));
}

/* A CSV line is a header when none of its fields reads as a number ("source,target,weight"). */
static int rc_is_header(const char *const *fb, const char *const *fe, int nf)
{
    for (int i = 0; i < nf && i < RC_MAX_FIELDS; i++) {
        double v;
        if (rc_text_double(fb[i], fe[i], &v))
            return 0;
    }
    return 1;
}

/* Handles one line [p, e) without its '\n'. */
static rc_status_t rc_loader_line(rc_loader_t *L, const char *p, const char *e)
{
    rc_status_t status = RC_OK;
    const char *fb[RC_MAX_FIELDS], *fe[RC_MAX_FIELDS];
    int nf = rc_text_fields(p, e, L->csv, fb, fe, RC_MAX_FIELDS);
    if (nf == 0)
        return RC_OK;
    if (L->csv && !L->seen_data) {
        L->seen_data = 1;
        if (rc_is_header(fb, fe, nf))
            return RC_OK;
    }
    L->seen_data = 1;

    int want = L->weighted ? 3 : 2;
    if (nf != want) {
        const char *cols = L->csv ? (L->weighted ? "source,target,weight" : "source,target")
                                  : (L->weighted ? "source target weight" : "source target");
        RC_TRY(rc_loader_flush(L)); /* an earlier line's error comes first */
        RC_FAIL(RC_ERR_INPUT, "%s:%llu: expected %d columns (%s), got %d", L->path,
                (unsigned long long)L->line, want, cols, nf);
    }

    uint32_t j = L->pending;
    float w = 1.0f;
    RC_TRY(rc_loader_id(L, fb[0], fe[0], &L->key[2 * j]));
    RC_TRY(rc_loader_id(L, fb[1], fe[1], &L->key[2 * j + 1]));
    if (L->weighted)
        RC_TRY(rc_loader_weight(L, fb[2], fe[2], &w));
    L->w[j] = w;
    L->key_line[j] = L->line;
    if (++L->pending == RC_BATCH)
        RC_TRY(rc_loader_flush(L));
cleanup:
    return status;
}

static int rc_ends_with_ci(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    if (lx > ls)
        return 0;
    for (size_t i = 0; i < lx; i++) {
        char c = s[ls - lx + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != suffix[i])
            return 0;
    }
    return 1;
}

/* rc_text_read_lines callbacks: sizes the edge list and the id table from the file's size. */
static rc_status_t rc_loader_begin(void *ctx, const rc_text_info_t *info)
{
    rc_status_t status = RC_OK;
    rc_loader_t *L = ctx;
    /* Lines of large graphs take ~16-26 bytes ("12345678 87654321"); guessing low is cheap
     * (the list grows by realloc) while guessing high could fail the memory check of a file
     * that fits. For gzip we cannot tell, so start small. */
    uint64_t guess = info->gz ? 0 : info->bytes / 20;
    if (guess > (1ULL << 32))
        guess = 1ULL << 32;
    if (guess < 1024)
        guess = 1024;
    RC_TRY(rc_edges_init(&L->edges, guess, L->weighted));
    if (L->nodes == 0 && !L->closed)
        RC_TRY(rc_idmap_init(&L->map, guess / 8));
cleanup:
    return status;
}

static rc_status_t rc_loader_text_line(void *ctx, const char *p, const char *e, uint64_t line)
{
    rc_loader_t *L = ctx;
    L->line = line;
    return rc_loader_line(L, p, e);
}

/* The graph's description: where it came from and how it was read. */
static rc_status_t rc_loader_describe(const rc_loader_t *L, const rc_load_options_t *opt,
                                      rc_graph_t *g)
{
    rc_status_t status = RC_OK;
    const char *dir = opt->direction == RC_DIRECTION_FOLLOWS ? "follows" : "flows";
    const char *np = opt->nodes_path, *cp = opt->communities_path;
    size_t dl = strlen(L->path) + (np ? strlen(np) : 0) + (cp ? strlen(cp) : 0) + 192;
    free(g->description);
    g->description = malloc(dl);
    RC_ALLOC_CHECK(g->description, "the graph description");
    int k = snprintf(g->description, dl, "file path=%s direction=%s format=%s%s%s", L->path,
                     dir, L->csv ? "csv" : "snap", opt->weighted ? " weighted=true" : "",
                     opt->undirected ? " undirected=true" : "");
    if (opt->nodes > 0)
        k += snprintf(g->description + k, dl - (size_t)k, " nodes=%llu",
                      (unsigned long long)opt->nodes);
    if (np != NULL)
        k += snprintf(g->description + k, dl - (size_t)k, " nodes=%s", np);
    if (cp != NULL)
        snprintf(g->description + k, dl - (size_t)k, " communities=%s", cp);
cleanup:
    return status;
}

/* The accounts before the edges: a nodes file fills (and closes) the id map. */
static rc_status_t rc_loader_accounts(rc_loader_t *L, const rc_load_options_t *opt)
{
    rc_status_t status = RC_OK;
    if (opt->nodes > 0 && opt->nodes_path != NULL)
        RC_FAIL(RC_ERR_INTERNAL, "%s: the accounts are a count or a file, not both", L->path);
    if (opt->nodes > RC_MAX_NODES)
        RC_FAIL(RC_ERR_INPUT, "%s: %llu accounts is more than %llu", L->path,
                (unsigned long long)opt->nodes, (unsigned long long)RC_MAX_NODES);
    L->nodes = opt->nodes;
    if (opt->nodes_path != NULL) {
        RC_TRY(rc_idmap_init(&L->map, 1024));
        RC_TRY(rc_accounts_read(opt->nodes_path, &L->map));
        L->closed = 1;
        L->accounts_path = opt->nodes_path;
    }
cleanup:
    return status;
}

rc_status_t rc_graph_load_edgelist(const char *path, const rc_load_options_t *opt, rc_graph_t **out,
                                   rc_load_report_t *report)
{
    rc_status_t status = RC_OK;
    static const rc_load_options_t defaults = {RC_DIRECTION_FLOWS, RC_FORMAT_AUTO, 0, 0, 0,
                                               NULL, NULL};
    rc_loader_t *L = NULL;
    rc_graph_t *g = NULL;
    rc_build_report_t br = {0, 0, 0};
    uint32_t *community = NULL, n_comm = 0;

    *out = NULL;
    if (report)
        memset(report, 0, sizeof *report);
    if (!opt)
        opt = &defaults;
    if (opt->format == RC_FORMAT_HDF5)
        RC_FAIL(RC_ERR_INPUT, "%s: an rtcascade graph file, not an edge list (rc_graph_load_h5 "
                "reads it)", path);
    L = calloc(1, sizeof *L);
    RC_ALLOC_CHECK(L, "the loader");
    L->path = path;
    L->weighted = opt->weighted;
    L->direction = opt->direction;
    L->csv = opt->format == RC_FORMAT_CSV ||
             (opt->format == RC_FORMAT_AUTO &&
              (rc_ends_with_ci(path, ".csv") || rc_ends_with_ci(path, ".csv.gz")));
    RC_TRY(rc_loader_accounts(L, opt));
    RC_TRY(rc_text_read_lines(path, rc_loader_begin, rc_loader_text_line, L, &L->line));
    RC_TRY(rc_loader_flush(L));
    if (L->edges_read == 0)
        RC_FAIL(RC_ERR_INPUT, "%s: no edges found", path);

    const uint64_t n = L->nodes > 0 ? L->nodes : L->map.n;
    if (opt->communities_path != NULL)
        RC_TRY(rc_communities_read(opt->communities_path, L->nodes > 0 ? NULL : &L->map, n,
                                   &community, &n_comm));
    /* The table is no longer needed: free it before the build's peak. */
    free(L->map.slot);
    L->map.slot = NULL;
    RC_TRY(rc_graph_build((uint32_t)n, &L->edges, opt->undirected, &g, &br));
    if (L->nodes == 0) {
        uint64_t *ids = realloc(L->map.ids, (n ? n : 1) * sizeof *ids);
        if (ids) /* shrinking cannot really fail; keep the larger block if it does */
            L->map.ids = ids;
        g->orig_id = L->map.ids;
        L->map.ids = NULL;
    }
    if (community != NULL) {
        free(g->community);
        g->community = community;
        g->n_communities = n_comm;
        community = NULL;
    }
    RC_TRY(rc_loader_describe(L, opt, g));
    if (report) {
        report->lines = L->line;
        report->edges_read = L->edges_read;
        report->self_loops = br.self_loops;
        report->duplicates = br.duplicates;
    }
    *out = g;
    g = NULL;

cleanup:
    if (L) {
        rc_idmap_free(&L->map);
        rc_edges_free(&L->edges);
        free(L);
    }
    free(community);
    rc_graph_free(g);
    return status;
}
