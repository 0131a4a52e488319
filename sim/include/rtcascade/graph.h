/* Follower graph: CSR in both directions, 32-bit node ids, 64-bit offsets.
 *
 * Edges point the way information flows: u -> v means v follows u, so v sees what u posts.
 * Followers of u are its out-neighbours, followees of v its in-neighbours. Adjacency lists are
 * sorted ascending and hold no self-loops and no duplicates. Without weights a graph costs
 * 8 bytes per edge (both directions) plus 16 bytes per node (+8 with original ids, +4 with
 * communities). */
#ifndef RTCASCADE_GRAPH_H
#define RTCASCADE_GRAPH_H

#include "rtcascade/error.h"
#include "rtcascade/memory.h"

#include <stdint.h>
#include <stdio.h>

#define RC_MAX_NODES 0xfffffffeU /* UINT32_MAX is kept free as "no node" */
#define RC_NO_NODE 0xffffffffU

typedef struct rc_graph {
    uint32_t n;              /* number of accounts (nodes) */
    uint64_t m;              /* number of directed edges */
    uint64_t *out_off;       /* n+1 offsets into out_nbr */
    uint32_t *out_nbr;       /* followers of u: out_nbr[out_off[u] .. out_off[u+1]) */
    uint64_t *in_off;        /* n+1 offsets into in_nbr */
    uint32_t *in_nbr;        /* followees of v: in_nbr[in_off[v] .. in_off[v+1]) */
    float *out_w;            /* per-edge weight aligned with out_nbr, or NULL */
    float *in_w;             /* the same weights aligned with in_nbr, or NULL */
    uint32_t *community;     /* community (circle) of each node, or NULL */
    uint32_t n_communities;  /* number of communities; 0 without */
    uint64_t *orig_id;       /* original id of each node (loaded graphs), or NULL */
    int undirected;          /* 1 when built so that every edge exists both ways */
    char *description;      /* how it was made, e.g. "chung_lu nodes=1000 ... seed=1"; may be NULL */
    void (*release)(void *ctx); /* NULL: the graph owns the arrays above (malloc'd). Otherwise
                               they live in memory it does not own (e.g. MPI shared windows, one
                               copy per node): rc_graph_free calls release(release_ctx) instead of
                               freeing them, and the arrays must be treated as read-only */
    void *release_ctx;
    struct rc_graph_stats *stats; /* its statistics when already known (read with it from a
                               graph file, or attached by rc_graph_attach_stats), else NULL;
                               owned by the graph, and what rc_graph_compute_stats returns */
} rc_graph_t;

static inline uint64_t rc_graph_out_degree(const rc_graph_t *g, uint32_t u)
{
    return g->out_off[u + 1] - g->out_off[u];
}

/* Requests u's follower list from memory by its first and last cache lines: a list of a few
 * dozen bytes straddles a line boundary more often than not. For kernels' look-ahead: u's
 * offsets are read now. */
static inline void rc_graph_prefetch_followers(const rc_graph_t *g, uint32_t u)
{
    const uint64_t b = g->out_off[u], e = g->out_off[u + 1];
    __builtin_prefetch(&g->out_nbr[b]);
    __builtin_prefetch(&g->out_nbr[e - (e > b)]);
}

static inline uint64_t rc_graph_in_degree(const rc_graph_t *g, uint32_t v)
{
    return g->in_off[v + 1] - g->in_off[v];
}

/* Frees everything the graph owns, and the graph (NULL is harmless); arrays it does not own go
 * back through its release hook. */
void rc_graph_free(rc_graph_t *g);

/* Bytes a graph of n nodes and m directed edges will occupy. */
uint64_t rc_graph_memory_bytes(uint32_t n, uint64_t m, int weighted, int orig_ids, int communities);

/* ---- Building from an edge list (build.c) ---- */

/* A growable list of directed edges u -> v, the input to rc_graph_build. */
typedef struct rc_edges {
    uint32_t *src;  /* source of each edge (the author side) */
    uint32_t *dst;  /* target of each edge (the follower) */
    float *w;       /* weight of each edge, or NULL when unweighted */
    uint64_t len;   /* edges held */
    uint64_t cap;   /* edges allocated */
} rc_edges_t;

/* Allocates room for `cap` edges (weights too when weighted); checks memory first. */
rc_status_t rc_edges_init(rc_edges_t *e, uint64_t cap, int weighted);
/* Appends one edge, growing by 1.5x when full. */
rc_status_t rc_edges_push(rc_edges_t *e, uint32_t u, uint32_t v, float w);
/* Frees the arrays (the struct itself is the caller's). Safe on a zeroed struct. */
void rc_edges_free(rc_edges_t *e);

typedef struct rc_build_report {
    uint64_t input_edges;  /* edges given */
    uint64_t self_loops;   /* dropped u -> u */
    uint64_t duplicates;   /* dropped repeats of an edge already present (first weight kept) */
} rc_build_report_t;

/* Turns an edge list over nodes [0, n) into a graph, consuming (freeing) the edge arrays.
 * With `undirected`, each edge is also added reversed. Self-loops and duplicates are dropped and
 * counted in *report (may be NULL). Peak memory is about 1.5x the final graph. */
rc_status_t rc_graph_build(uint32_t n, rc_edges_t *edges, int undirected, rc_graph_t **out,
                           rc_build_report_t *report);

/* ---- A graph from a program's own arrays (from_arrays.c) ---- */

/* What a program holds: edges as two id arrays over nodes [0, n), and optional per-edge and
 * per-node arrays. Nothing is taken: rc_graph_from_arrays copies what it keeps. */
typedef struct rc_graph_arrays {
    uint32_t n;                 /* nodes, isolated ones included (>= 1) */
    uint64_t m;                 /* edges given */
    const uint32_t *src;        /* edge i is src[i] -> dst[i] (dst follows src) */
    const uint32_t *dst;
    const float *weight;        /* m edge weights (finite, >= 0), or NULL */
    const uint32_t *community;  /* n community ids, or NULL; the graph has max + 1 communities */
    const uint64_t *orig_id;    /* n distinct original ids (seed lists name nodes by them), or
                                   NULL */
    int undirected;             /* add every edge in both directions */
    const char *description;    /* how the graph was made, or NULL ("arrays nodes=... edges=...") */
} rc_graph_arrays_t;

/* A graph from arrays: the edges go through rc_graph_build (self-loops and repeats dropped and
 * counted in *report, which may be NULL; a repeat keeps its first weight), the node count
 * stays a->n whatever the edges touch, and the original ids and communities are copied.
 * RC_ERR_ARGUMENT names the first bad entry (a node outside [0, n), a negative or non-finite
 * weight, an original id given twice, a community of UINT32_MAX) or a bad n; RC_ERR_NOMEM. The
 * memory is checked first; the edges are copied once (about 1.5x the final graph at the peak
 * beyond the caller's arrays). O(m + n log n). */
rc_status_t rc_graph_from_arrays(const rc_graph_arrays_t *a, rc_graph_t **out,
                                 rc_build_report_t *report);

/* ---- Generators (gen_*.c): deterministic for a given seed ---- */

/* Common to the random generators: the graph depends only on the parameters and the seed, never
 * on the thread count (work is cut into fixed blocks, each with its own stream). With
 * `undirected`, every edge is stored in both directions and g->undirected is set; "mean degree"
 * then counts neighbours, so g->m / n is the mean degree in both modes. Samplers that draw edges
 * independently (Chung-Lu, DCSBM) drop the self-loops and repeats they draw, so g->m falls
 * somewhat short of n * mean_degree; the shortfall grows with the heaviness of the tail (about
 * 1-5% for exponents 2.3-2.8 at n = 1e5, mean 10). Bad parameters give RC_ERR_CONFIG with a
 * message naming the parameter; sizes that will not fit in memory give RC_ERR_NOMEM before any
 * large allocation. g->description tells how the graph was made. */

/* Directed G(n, m): exactly m distinct edges u -> v, u != v, uniformly among all such sets.
 * With undirected, m distinct unordered pairs, each present in both directions (2m directed
 * edges). Requires m <= n(n-1) (n(n-1)/2 undirected). */
rc_status_t rc_gen_erdos_renyi(uint32_t n, uint64_t m, int undirected, uint64_t seed,
                               rc_graph_t **out);

/* Chung-Lu weights: w_i = clamp(s * ((i + 1/2) / n)^(-1/(exponent-1)), min_degree, max_degree),
 * the quantiles of a Pareto law, with s set so that the weights average mean_degree. Node i
 * carries the i-th largest out-weight (node 0 is the biggest account). */
typedef struct rc_chung_lu_params {
    uint32_t nodes;        /* n */
    double mean_degree;    /* expected out- (= in-) degree before self-loops and repeats are dropped */
    double out_exponent;   /* power-law exponent (> 2) of the expected out-degree (followers); 0 = constant */
    double in_exponent;    /* power-law exponent (> 2) of the expected in-degree (followees); 0 = constant */
    double min_degree;     /* floor on the expected degree (0 = none: the scale s alone sets the smallest) */
    double max_degree;     /* cap on the expected degree, in [mean_degree, n-1] (0 = n-1) */
    int correlated;        /* 1: a node's in-weight rank equals its out-weight rank; 0: independent (random) */
} rc_chung_lu_params_t;

/* Directed Chung-Lu graph: round(n * mean_degree) edges drawn independently with source ~
 * out-weight and target ~ in-weight, so a node's expected out-degree is its out-weight (in-degree
 * likewise) up to the dropped self-loops and repeats. Undirected: n * mean_degree / 2 pairs with
 * both ends ~ out-weight (in_exponent and correlated are ignored). O(m + n). */
rc_status_t rc_gen_chung_lu(const rc_chung_lu_params_t *p, int undirected, uint64_t seed,
                            rc_graph_t **out);

/* Price's preferential attachment: node t = 1, 2, ... follows min(t, links) distinct earlier
 * nodes, each chosen with probability proportional to (its followers + attractiveness), giving
 * edges target -> t. Follower counts (out-degrees) get a power-law tail of exponent
 * 2 + attractiveness / links; every node t >= links follows exactly `links` (in-degree).
 * Requires links >= 1 and attractiveness > 0. Sequential, O(m). */
rc_status_t rc_gen_price(uint32_t n, uint32_t links, double attractiveness, int undirected,
                         uint64_t seed, rc_graph_t **out);

/* Watts-Strogatz ring of n nodes, each linked to its k nearest neighbours on each side
 * (requires k < n/2), each link rewired with probability beta in [0, 1] to a uniformly random
 * node, never creating a self-loop or a repeat (a node already linked to all others keeps its
 * links). Undirected: the original model, n*k links; the far end of each link {i, i+j} is
 * rewired, so the number of links never changes. Directed: each node i has the 2k followers
 * i±1..i±k, and each follower link is rewired independently to a new follower of i, so every
 * node keeps exactly 2k followers. beta = 0 gives the exact ring. */
rc_status_t rc_gen_watts_strogatz(uint32_t n, uint32_t k, double beta, int undirected,
                                  uint64_t seed, rc_graph_t **out);

/* DCSBM: community c holds a contiguous range of node ids, community 0 first. Propensities
 * theta are iid power-law draws clamped to [min_degree, max_degree] and scaled to average
 * mean_degree; a node's expected in- and out-degree are both about its theta. */
typedef struct rc_dcsbm_params {
    uint32_t nodes;          /* n */
    uint32_t communities;    /* number of circles, in [1, n] */
    double mean_degree;      /* expected degree before self-loops and repeats are dropped */
    double mixing;           /* fraction of edges drawn between communities, in [0,1]; 0 when communities = 1 */
    double exponent;         /* power-law exponent (> 2) of the degree propensities; 0 = all equal */
    double in_exponent;      /* exponent (> 2) of separate, independent followee (in-degree)
                                propensities; 0 = the same propensity for both directions */
    double min_degree;       /* floor on the propensity (0 = none: set by the scale alone) */
    double max_degree;       /* cap on the propensity, in [mean_degree, n-1] (0 = n-1) */
    double size_exponent;    /* power-law exponent (> 1) of community sizes, largest first; 0 = equal sizes */
    double reciprocity;      /* target share of edges whose reverse exists, in [0, 1]; 0 = none
                                added (the block model's own, ~0) */
    double closure;          /* share of the one-way edges that close a path a -> b -> w inside
                                a community (triadic closure), in [0, 1); 0 = none */
} rc_dcsbm_params_t;

/* Degree-corrected stochastic block model (Karrer & Newman 2011) with communities: round(n *
 * mean_degree) edges, each with its source ~ theta; with probability 1 - mixing the target is
 * drawn ~ theta inside the source's community, otherwise ~ theta in another community. Sets
 * g->community and g->n_communities. A hub whose theta approaches its community's total theta
 * (or size) loses a large share of its intra-community draws to self-loops and repeats, so with
 * small communities and heavy tails the realised degrees of the biggest hubs fall well below
 * theta and g->m below n * mean_degree (the default study, 2e6 nodes in 200 circles with
 * exponent 2.3, keeps about 87% of its drawn edges). With closure c, round(c m1) of the m1
 * one-way edges close a path a -> b -> w through the others (a random edge a -> b and one of
 * b's) when w is in a's community, and the others are drawn with mixing / (1 - c) between
 * communities (requires mixing <= 1 - c), so the graph keeps `mixing`. With reciprocity rho,
 * m1 = round(m / (1 + r)), r = rho / (2 - rho); the one-way graph is built (repeats dropped) and
 * each of its edges without a reverse gets one with the probability that makes the expected
 * share of mutual edges rho exactly (from node-block streams), then the graph is built again.
 * Directed graphs only. O(m + n) (two builds with reciprocity). */
rc_status_t rc_gen_dcsbm(const rc_dcsbm_params_t *p, int undirected, uint64_t seed,
                         rc_graph_t **out);

/* Small exact builders for tests and examples (n >= 1). */
/* Star: node 0 is followed by nodes 1..n-1 (edges 0 -> i). */
rc_status_t rc_gen_star(uint32_t n, int undirected, rc_graph_t **out);
/* Path 0 -> 1 -> ... -> n-1. */
rc_status_t rc_gen_path(uint32_t n, int undirected, rc_graph_t **out);
/* Complete directed graph: every u -> v, u != v (so g->undirected is set). */
rc_status_t rc_gen_complete(uint32_t n, rc_graph_t **out);
/* Ego network: node 0 is followed by nodes 1..k, and node i in 1..k by its own `sub` nodes
 * k+1+(i-1)*sub .. k+i*sub (k * (1 + sub) + 1 nodes, a two-level tree). */
rc_status_t rc_gen_ego(uint32_t k, uint32_t sub, int undirected, rc_graph_t **out);

/* ---- Loaders (load_edgelist.c) ---- */

typedef enum rc_direction {
    RC_DIRECTION_FLOWS = 0,  /* a line "a b" means information flows a -> b (b follows a) */
    RC_DIRECTION_FOLLOWS = 1 /* a line "a b" means a follows b (information flows b -> a) */
} rc_direction_t;

typedef enum rc_edgelist_format {
    RC_FORMAT_AUTO = 0, /* .csv (optionally .csv.gz) is CSV, anything else whitespace */
    RC_FORMAT_SNAP = 1, /* whitespace-separated, '#' comments */
    RC_FORMAT_CSV = 2,  /* comma-separated: source,target[,weight]; optional header line */
    RC_FORMAT_HDF5 = 3  /* an rtcascade graph file: not an edge list (rc_graph_load_h5) */
} rc_edgelist_format_t;

typedef struct rc_load_options {
    rc_direction_t direction;   /* what a line means */
    rc_edgelist_format_t format;
    int weighted;               /* read a third column as the edge weight */
    int undirected;             /* add every edge in both directions */
    uint64_t nodes;             /* > 0: the accounts are the ids 0 .. nodes-1, in that order,
                                   isolated ones kept (g->orig_id stays NULL: ids are indices);
                                   an id >= nodes is an error. 0: the ids the edges name */
    const char *nodes_path;     /* a file of account ids, one per line (first column; '#'
                                   comments): the accounts, in that order, isolated ones kept;
                                   an edge naming another id is an error. NULL: none */
    const char *communities_path; /* a file of lines "id community" (whitespace or commas;
                                   community an integer >= 0): every account's community, into
                                   g->community. NULL: none */
} rc_load_options_t;

typedef struct rc_load_report {
    uint64_t lines;        /* lines read */
    uint64_t edges_read;   /* edge lines accepted before dropping */
    uint64_t self_loops;   /* dropped */
    uint64_t duplicates;   /* dropped */
} rc_load_report_t;

/* Loads an edge list (plain or gzip, detected by content). Original 64-bit ids are remapped to
 * 0..n-1 in order of first appearance and kept in g->orig_id, unless opt gives the accounts
 * (nodes, nodes_path). A malformed line fails with "path:line: expected ...". */
rc_status_t rc_graph_load_edgelist(const char *path, const rc_load_options_t *opt,
                                   rc_graph_t **out, rc_load_report_t *report);

/* ---- Statistics (stats.c) ---- */

typedef struct rc_graph_stats {
    uint32_t nodes;
    uint64_t edges;
    double mean_degree;          /* m / n (same for in and out) */
    uint64_t max_out_degree;     /* most followers */
    uint64_t max_in_degree;      /* most followees */
    uint32_t isolated;           /* nodes with no edge at all */
    double reciprocity;          /* fraction of edges u->v whose v->u also exists */
    double out_tail_exponent;    /* discrete power-law MLE of the follower-count tail (Clauset et al. 2009); NAN if undefined */
    uint64_t out_tail_xmin;      /* the x_min chosen for it */
    double in_tail_exponent;     /* the same for followee counts */
    uint64_t in_tail_xmin;
    uint32_t communities;        /* number of communities (0 without) */
    double intra_fraction;       /* fraction of edges inside a community (NAN without) */
    double transitivity;         /* global clustering of the undirected view: 3 x triangles /
                                    connected triples (NAN without a triple) */
    double transitivity_se;      /* its standard error when sampled, 0 when exact */
    double clustering;           /* mean local clustering coefficient of the undirected view over
                                    the nodes with >= 2 neighbours (NAN without one) */
    double clustering_se;        /* its standard error when sampled, 0 when exact */
    uint64_t clustering_samples; /* paths sampled for each, 0 when counted exactly */
} rc_graph_stats_t;

/* g's statistics into *st: g->stats when known, else computed (the clustering's exact count or
 * its fixed-stream samples: the same numbers on any thread count). */
rc_status_t rc_graph_compute_stats(const rc_graph_t *g, rc_graph_stats_t *st);

/* Keeps a copy of st (g's statistics, as rc_graph_compute_stats gives them) in g->stats, so
 * that later calls and saved graph files reuse them. RC_ERR_NOMEM. */
rc_status_t rc_graph_attach_stats(rc_graph_t *g, const rc_graph_stats_t *st);

/* Clustering of g's undirected view (u, v neighbours when either follows the other). */
typedef struct rc_clustering {
    double transitivity;    /* 3 x triangles / connected triples */
    double transitivity_se; /* 0 when exact */
    double local;           /* mean local clustering coefficient over nodes with >= 2 neighbours */
    double local_se;        /* 0 when exact */
    uint64_t samples;       /* paths sampled for each measure, 0 when exact */
} rc_clustering_t;

/* Exact (triangles counted) up to 2^22 undirected pairs; above, each measure estimated from 2^20
 * sampled paths (uniform ones for the transitivity; a uniform node with >= 2 neighbours, then a
 * uniform path through it, for the mean local coefficient) drawn from fixed streams (the same
 * on any thread count), with binomial standard errors. NAN when no node has two neighbours.
 * RC_ERR_NOMEM only. (clustering.c) */
rc_status_t rc_graph_clustering(const rc_graph_t *g, rc_clustering_t *c);

/* Histogram of out- (followers, out=1) or in-degrees: (*counts)[d] = nodes with degree d, for
 * d in [0, *len). Caller frees *counts. */
rc_status_t rc_graph_degree_histogram(const rc_graph_t *g, int out, uint64_t **counts,
                                      uint64_t *len);

/* Discrete power-law fit of the tail of a degree histogram: picks x_min by the smallest
 * Kolmogorov-Smirnov distance and returns the MLE exponent (NAN when fewer than 50 tail points). */
double rc_powerlaw_fit(const uint64_t *hist, uint64_t len, uint64_t *xmin_out);

/* Prints the statistics as "key: value" lines, one per line, to f. */
void rc_graph_print_stats(FILE *f, const rc_graph_t *g, const rc_graph_stats_t *st);

#endif
