/* The `network:` map of a config -> a graph: which generator or file, its validated parameters,
 * the memory estimate checked before building, and the optional HDF5 cache that makes a large
 * network reload in seconds. */
#include "rtcascade/network.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef enum gen_kind {
    GEN_ERDOS_RENYI, GEN_CHUNG_LU, GEN_PREFERENTIAL, GEN_WATTS_STROGATZ, GEN_DCSBM,
    GEN_STAR, GEN_PATH, GEN_COMPLETE, GEN_EGO, GEN_FILE
} gen_kind_t;

const char *const rc_network_generators[] = {
    "erdos_renyi", "chung_lu", "preferential", "watts_strogatz", "dcsbm",
    "star",        "path",     "complete",     "ego",            "file", NULL};

/* Keys each generator accepts besides the common ones (generator, seed, undirected, cache). */
static const char *const keys_er[] = {"generator", "seed", "undirected", "cache",
                                      "nodes", "edges", "mean_degree", NULL};
static const char *const keys_cl[] = {"generator", "seed", "undirected", "cache", "nodes",
                                      "mean_degree", "out_exponent", "in_exponent", "min_degree",
                                      "max_degree", "correlated", NULL};
static const char *const keys_pa[] = {"generator", "seed", "undirected", "cache",
                                      "nodes", "links", "attractiveness", NULL};
static const char *const keys_ws[] = {"generator", "seed", "undirected", "cache",
                                      "nodes", "neighbours", "rewire", NULL};
static const char *const keys_sbm[] = {"generator", "seed", "undirected", "cache", "nodes",
                                       "communities", "mean_degree", "mixing", "exponent",
                                       "in_exponent", "min_degree", "max_degree", "size_exponent", NULL};
static const char *const keys_small[] = {"generator", "seed", "undirected", "cache", "nodes", NULL};
static const char *const keys_complete[] = {"generator", "seed", "cache", "nodes", NULL};
static const char *const keys_ego[] = {"generator", "seed", "undirected", "cache",
                                       "followers", "followers_each", NULL};
static const char *const keys_file[] = {"generator", "seed", "undirected", "cache", "path",
                                        "direction", "format", "weighted", NULL};

static const char *const *const gen_keys[] = {keys_er,    keys_cl,    keys_pa,       keys_ws,
                                              keys_sbm,   keys_small, keys_small,    keys_complete,
                                              keys_ego,   keys_file};

/* Everything a network spec resolves to, before anything is built. */
typedef struct net_spec {
    gen_kind_t kind;
    uint64_t seed;
    int undirected;
    const char *cache;
    uint32_t nodes;
    uint64_t edges;             /* erdos_renyi: edges (pairs when undirected) */
    rc_chung_lu_params_t cl;
    rc_dcsbm_params_t sbm;
    uint32_t links;             /* preferential */
    double attractiveness;
    uint32_t neighbours;        /* watts_strogatz k */
    double rewire;
    uint32_t followers, followers_each; /* ego */
    const char *path;           /* file */
    rc_load_options_t load;
    uint64_t est_nodes, est_edges; /* directed edges expected in the final graph */
} net_spec_t;

#define MAX_N ((uint64_t)RC_MAX_NODES)

static rc_status_t parse_spec(const rc_cfg_t *spec, uint64_t default_seed, net_spec_t *s)
{
    rc_status_t status = RC_OK;
    int kind = 0;
    uint64_t n = 0;
    memset(s, 0, sizeof *s);
    if (spec == NULL)
        RC_FAIL(RC_ERR_CONFIG, "missing required key 'network' (e.g. network: {generator: "
                               "chung_lu, nodes: 100000, mean_degree: 20})");
    if (rc_cfg_kind(spec) != RC_CFG_MAP)
        RC_FAIL(RC_ERR_CONFIG, "%s: %s: expected a map with a generator: key", rc_cfg_where(spec),
                rc_cfg_path(spec));
    RC_TRY(rc_cfg_require(spec, "generator"));
    RC_TRY(rc_cfg_choice(spec, "generator", rc_network_generators, 0, &kind));
    s->kind = (gen_kind_t)kind;
    RC_TRY(rc_cfg_check_keys(spec, gen_keys[kind]));
    RC_TRY(rc_cfg_uint64(spec, "seed", default_seed, 0, UINT64_MAX, &s->seed));
    RC_TRY(rc_cfg_bool(spec, "undirected", 0, &s->undirected));
    RC_TRY(rc_cfg_string(spec, "cache", NULL, &s->cache));
    if (s->kind != GEN_EGO && s->kind != GEN_FILE) {
        RC_TRY(rc_cfg_require(spec, "nodes"));
        RC_TRY(rc_cfg_uint64(spec, "nodes", 0, 1, MAX_N, &n));
        s->nodes = (uint32_t)n;
    }
    const int dir_factor = s->undirected ? 2 : 1;
    switch (s->kind) {
    case GEN_ERDOS_RENYI: {
        double z = 0;
        const uint64_t max_pairs = s->undirected ? n * (n - 1) / 2 : n * (n - 1);
        if (rc_cfg_get(spec, "edges") != NULL && rc_cfg_get(spec, "mean_degree") != NULL)
            RC_FAIL(RC_ERR_CONFIG, "%s: give either network.edges or network.mean_degree, not both",
                    rc_cfg_where(rc_cfg_get(spec, "mean_degree")));
        if (rc_cfg_get(spec, "edges") != NULL) {
            RC_TRY(rc_cfg_uint64(spec, "edges", 0, 0, max_pairs, &s->edges));
        } else {
            RC_TRY(rc_cfg_require(spec, "mean_degree"));
            RC_TRY(rc_cfg_double(spec, "mean_degree", 0, 0, (double)(n - 1), &z));
            /* mean_degree is the mean out-degree of the final graph (= neighbours when undirected) */
            s->edges = (uint64_t)llround(z * (double)n / dir_factor);
        }
        s->est_edges = s->edges * dir_factor;
        break;
    }
    case GEN_CHUNG_LU:
        s->cl.nodes = s->nodes;
        RC_TRY(rc_cfg_require(spec, "mean_degree"));
        RC_TRY(rc_cfg_double(spec, "mean_degree", 0, 0, (double)(n - 1), &s->cl.mean_degree));
        RC_TRY(rc_cfg_double(spec, "out_exponent", 2.3, 0, 100, &s->cl.out_exponent));
        RC_TRY(rc_cfg_double(spec, "in_exponent", 2.8, 0, 100, &s->cl.in_exponent));
        RC_TRY(rc_cfg_double(spec, "min_degree", 0, 0, (double)n, &s->cl.min_degree));
        RC_TRY(rc_cfg_double(spec, "max_degree", 0, 0, (double)n, &s->cl.max_degree));
        RC_TRY(rc_cfg_bool(spec, "correlated", 0, &s->cl.correlated));
        s->est_edges = (uint64_t)(s->cl.mean_degree * n) * dir_factor;
        break;
    case GEN_PREFERENTIAL:
        RC_TRY(rc_cfg_uint32(spec, "links", 3, 1, s->nodes > 1 ? s->nodes - 1 : 1, &s->links));
        RC_TRY(rc_cfg_double(spec, "attractiveness", 1.0, 0, DBL_MAX, &s->attractiveness));
        s->est_edges = n * s->links * dir_factor;
        break;
    case GEN_WATTS_STROGATZ:
        RC_TRY(rc_cfg_uint32(spec, "neighbours", 2, 1, s->nodes > 2 ? (s->nodes - 1) / 2 : 1,
                             &s->neighbours));
        RC_TRY(rc_cfg_double(spec, "rewire", 0.1, 0, 1, &s->rewire));
        s->est_edges = 2 * n * s->neighbours;
        break;
    case GEN_DCSBM:
        s->sbm.nodes = s->nodes;
        RC_TRY(rc_cfg_uint32(spec, "communities", 10, 1, s->nodes, &s->sbm.communities));
        RC_TRY(rc_cfg_require(spec, "mean_degree"));
        RC_TRY(rc_cfg_double(spec, "mean_degree", 0, 0, (double)(n - 1), &s->sbm.mean_degree));
        RC_TRY(rc_cfg_double(spec, "mixing", 0.2, 0, 1, &s->sbm.mixing));
        RC_TRY(rc_cfg_double(spec, "exponent", 2.3, 0, 100, &s->sbm.exponent));
        RC_TRY(rc_cfg_double(spec, "in_exponent", 0, 0, 100, &s->sbm.in_exponent));
        RC_TRY(rc_cfg_double(spec, "min_degree", 0, 0, (double)n, &s->sbm.min_degree));
        RC_TRY(rc_cfg_double(spec, "max_degree", 0, 0, (double)n, &s->sbm.max_degree));
        RC_TRY(rc_cfg_double(spec, "size_exponent", 0, 0, 100, &s->sbm.size_exponent));
        s->est_edges = (uint64_t)(s->sbm.mean_degree * n) * dir_factor;
        break;
    case GEN_STAR:
    case GEN_PATH:
        s->est_edges = (n - 1) * dir_factor;
        break;
    case GEN_COMPLETE:
        if (n > 100000)
            RC_FAIL(RC_ERR_CONFIG, "%s: network.nodes: a complete graph of %llu nodes is too large "
                                   "(at most 100000)",
                    rc_cfg_where(rc_cfg_get(spec, "nodes")), (unsigned long long)n);
        s->est_edges = n * (n - 1);
        break;
    case GEN_EGO:
        RC_TRY(rc_cfg_require(spec, "followers"));
        RC_TRY(rc_cfg_uint32(spec, "followers", 0, 1, 1u << 30, &s->followers));
        RC_TRY(rc_cfg_uint32(spec, "followers_each", 0, 0, 1u << 30, &s->followers_each));
        n = 1 + (uint64_t)s->followers * (1 + (uint64_t)s->followers_each);
        if (n > MAX_N)
            RC_FAIL(RC_ERR_CONFIG, "%s: network: an ego network of %llu nodes is too large",
                    rc_cfg_where(spec), (unsigned long long)n);
        s->est_edges = (n - 1) * dir_factor;
        break;
    case GEN_FILE: {
        static const char *const dirs[] = {"flows", "follows", NULL};
        static const char *const formats[] = {"auto", "snap", "csv", NULL};
        int d = 0, f = 0;
        RC_TRY(rc_cfg_require(spec, "path"));
        RC_TRY(rc_cfg_string(spec, "path", NULL, &s->path));
        RC_TRY(rc_cfg_require(spec, "direction"));
        RC_TRY(rc_cfg_choice(spec, "direction", dirs, 0, &d));
        RC_TRY(rc_cfg_choice(spec, "format", formats, 0, &f));
        RC_TRY(rc_cfg_bool(spec, "weighted", 0, &s->load.weighted));
        s->load.direction = d == 0 ? RC_DIRECTION_FLOWS : RC_DIRECTION_FOLLOWS;
        s->load.format = (rc_edgelist_format_t)f;
        s->load.undirected = s->undirected;
        break;
    }
    }
    s->est_nodes = n;
cleanup:
    return status;
}

/* base_dir/path unless path is absolute or base_dir empty; caller frees. */
static char *resolve_path(const char *base_dir, const char *path)
{
    if (path[0] == '/' || base_dir == NULL || base_dir[0] == '\0')
        return strdup(path);
    size_t need = strlen(base_dir) + strlen(path) + 2;
    char *full = malloc(need);
    if (full != NULL)
        snprintf(full, need, "%s/%s", base_dir, path);
    return full;
}

rc_status_t rc_network_estimate(const rc_cfg_t *spec, uint64_t *bytes)
{
    net_spec_t s;
    rc_status_t status = parse_spec(spec, 0, &s);
    if (status != RC_OK)
        return status;
    *bytes = s.kind == GEN_FILE ? 0
                                : rc_graph_memory_bytes((uint32_t)s.est_nodes, s.est_edges, 0, 0,
                                                        s.kind == GEN_DCSBM);
    return RC_OK;
}

/* The text a cache is matched against: the spec as YAML with the cache path blanked and the
 * resolved seed added, so a cache made under another seed or parameters is never reused. */
static char *spec_signature(const rc_cfg_t *spec, uint64_t seed)
{
    rc_cfg_t *copy = rc_cfg_copy(spec);
    char *yaml = NULL, *sig = NULL;
    char seedtxt[32];
    if (copy == NULL)
        return NULL;
    snprintf(seedtxt, sizeof seedtxt, "%llu", (unsigned long long)seed);
    if (rc_cfg_set(copy, "cache", "") == RC_OK && rc_cfg_set(copy, "seed", seedtxt) == RC_OK)
        yaml = rc_cfg_to_yaml(copy);
    rc_cfg_free(copy);
    if (yaml != NULL) {
        size_t need = strlen(yaml) + 64;
        sig = malloc(need);
        if (sig != NULL)
            snprintf(sig, need, "rtcascade-graph-format 1\n%s", yaml);
    }
    free(yaml);
    return sig;
}

static rc_status_t generate(const net_spec_t *s, const char *base_dir, rc_graph_t **out)
{
    rc_status_t status = RC_OK;
    char *path = NULL;
    switch (s->kind) {
    case GEN_ERDOS_RENYI:
        return rc_gen_erdos_renyi(s->nodes, s->edges, s->undirected, s->seed, out);
    case GEN_CHUNG_LU:
        return rc_gen_chung_lu(&s->cl, s->undirected, s->seed, out);
    case GEN_PREFERENTIAL:
        return rc_gen_price(s->nodes, s->links, s->attractiveness, s->undirected, s->seed, out);
    case GEN_WATTS_STROGATZ:
        return rc_gen_watts_strogatz(s->nodes, s->neighbours, s->rewire, s->undirected, s->seed,
                                     out);
    case GEN_DCSBM:
        return rc_gen_dcsbm(&s->sbm, s->undirected, s->seed, out);
    case GEN_STAR:
        return rc_gen_star(s->nodes, s->undirected, out);
    case GEN_PATH:
        return rc_gen_path(s->nodes, s->undirected, out);
    case GEN_COMPLETE:
        return rc_gen_complete(s->nodes, out);
    case GEN_EGO:
        return rc_gen_ego(s->followers, s->followers_each, s->undirected, out);
    case GEN_FILE:
        path = resolve_path(base_dir, s->path);
        RC_ALLOC_CHECK(path, "a file name");
    {
        rc_load_report_t rep;
        RC_TRY(rc_graph_load_edgelist(path, &s->load, out, &rep));
        /* Say what was dropped: counts that differ from a data set's documentation should be
         * explainable from the output alone. */
        const char *d = (*out)->description ? (*out)->description : "file";
        size_t need = strlen(d) + 160;
        char *desc = malloc(need);
        RC_ALLOC_CHECK(desc, "a description");
        snprintf(desc, need, "%s (%llu edge lines; dropped %llu self-loops, %llu duplicates)", d,
                 (unsigned long long)rep.edges_read, (unsigned long long)rep.self_loops,
                 (unsigned long long)rep.duplicates);
        free((*out)->description);
        (*out)->description = desc;
        break;
    }
    }
cleanup:
    free(path);
    return status;
}

rc_status_t rc_network_build(const rc_cfg_t *spec, uint64_t default_seed, const char *base_dir,
                             rc_graph_t **out)
{
    rc_status_t status = RC_OK;
    net_spec_t s;
    char *sig = NULL, *cache = NULL;
    rc_graph_t *g = NULL;
    *out = NULL;
    RC_TRY(parse_spec(spec, default_seed, &s));
    if (s.kind != GEN_FILE) {
        char what[160];
        snprintf(what, sizeof what, "building the network (%llu nodes, ~%llu edges)",
                 (unsigned long long)s.est_nodes, (unsigned long long)s.est_edges);
        /* Building peaks at about 1.5x the final graph (edge list + one CSR direction). */
        RC_TRY(rc_memory_check(rc_graph_memory_bytes((uint32_t)s.est_nodes, s.est_edges, 0, 0,
                                                     s.kind == GEN_DCSBM) * 3 / 2,
                               what));
    }
    if (s.cache != NULL && s.cache[0] != '\0') {
        sig = spec_signature(spec, s.seed);
        cache = resolve_path(base_dir, s.cache);
        RC_ALLOC_CHECK(sig, "the network signature");
        RC_ALLOC_CHECK(cache, "a file name");
        if (access(cache, F_OK) == 0) {
            status = rc_graph_load_h5(cache, sig, &g);
            if (status == RC_OK) {
                *out = g;
                g = NULL;
                goto cleanup;
            }
            if (status != RC_ERR_INPUT)
                goto cleanup; /* unreadable or too big: say so rather than overwrite it */
            status = RC_OK;   /* built from another spec: rebuild and replace */
        }
    }
    RC_TRY(generate(&s, base_dir, &g));
    if (cache != NULL)
        RC_TRY(rc_graph_save_h5(g, cache, sig));
    *out = g;
    g = NULL;
cleanup:
    rc_graph_free(g);
    free(sig);
    free(cache);
    return status;
}
