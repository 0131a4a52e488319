/* The `network:` section of a config turned into a typed rc_network_spec_t: the generator and
 * the keys it accepts, each validated and named in errors (file:line:col), the seed resolved,
 * the memory estimate, and the signature by which points share a network and caches match. */
#include "rtcascade/specs.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
                                       "in_exponent", "min_degree", "max_degree", "size_exponent",
                                       "reciprocity", "closure", NULL};
static const char *const keys_small[] = {"generator", "seed", "undirected", "cache", "nodes", NULL};
static const char *const keys_complete[] = {"generator", "seed", "cache", "nodes", NULL};
static const char *const keys_ego[] = {"generator", "seed", "undirected", "cache",
                                       "followers", "followers_each", NULL};
static const char *const keys_file[] = {"generator", "seed", "undirected", "cache", "path",
                                        "direction", "format", "weighted", "nodes",
                                        "communities", NULL};

static const char *const *const gen_keys[] = {keys_er,    keys_cl,    keys_pa,       keys_ws,
                                              keys_sbm,   keys_small, keys_small,    keys_complete,
                                              keys_ego,   keys_file};

#define MAX_N ((uint64_t)RC_MAX_NODES)

/* The generator-specific keys (everything after nodes). */
static rc_status_t parse_generator(const rc_cfg_t *spec, uint64_t n, rc_network_spec_t *s)
{
    rc_status_t status = RC_OK;
    const int dir_factor = s->undirected ? 2 : 1;
    switch (s->generator) {
    case RC_GEN_ERDOS_RENYI: {
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
    case RC_GEN_CHUNG_LU:
        s->chung_lu.nodes = s->nodes;
        RC_TRY(rc_cfg_require(spec, "mean_degree"));
        RC_TRY(rc_cfg_double(spec, "mean_degree", 0, 0, (double)(n - 1), &s->chung_lu.mean_degree));
        RC_TRY(rc_cfg_double(spec, "out_exponent", 2.3, 0, 100, &s->chung_lu.out_exponent));
        RC_TRY(rc_cfg_double(spec, "in_exponent", 2.8, 0, 100, &s->chung_lu.in_exponent));
        RC_TRY(rc_cfg_double(spec, "min_degree", 0, 0, (double)n, &s->chung_lu.min_degree));
        RC_TRY(rc_cfg_double(spec, "max_degree", 0, 0, (double)n, &s->chung_lu.max_degree));
        RC_TRY(rc_cfg_bool(spec, "correlated", 0, &s->chung_lu.correlated));
        s->est_edges = (uint64_t)(s->chung_lu.mean_degree * n) * dir_factor;
        break;
    case RC_GEN_PREFERENTIAL:
        RC_TRY(rc_cfg_uint32(spec, "links", 3, 1, s->nodes > 1 ? s->nodes - 1 : 1, &s->links));
        RC_TRY(rc_cfg_double(spec, "attractiveness", 1.0, 0, DBL_MAX, &s->attractiveness));
        s->est_edges = n * s->links * dir_factor;
        break;
    case RC_GEN_WATTS_STROGATZ:
        RC_TRY(rc_cfg_uint32(spec, "neighbours", 2, 1, s->nodes > 2 ? (s->nodes - 1) / 2 : 1,
                             &s->neighbours));
        RC_TRY(rc_cfg_double(spec, "rewire", 0.1, 0, 1, &s->rewire));
        s->est_edges = 2 * n * s->neighbours;
        break;
    case RC_GEN_DCSBM:
        s->dcsbm.nodes = s->nodes;
        RC_TRY(rc_cfg_uint32(spec, "communities", 10, 1, s->nodes, &s->dcsbm.communities));
        RC_TRY(rc_cfg_require(spec, "mean_degree"));
        RC_TRY(rc_cfg_double(spec, "mean_degree", 0, 0, (double)(n - 1), &s->dcsbm.mean_degree));
        RC_TRY(rc_cfg_double(spec, "mixing", 0.2, 0, 1, &s->dcsbm.mixing));
        RC_TRY(rc_cfg_double(spec, "exponent", 2.3, 0, 100, &s->dcsbm.exponent));
        RC_TRY(rc_cfg_double(spec, "in_exponent", 0, 0, 100, &s->dcsbm.in_exponent));
        RC_TRY(rc_cfg_double(spec, "min_degree", 0, 0, (double)n, &s->dcsbm.min_degree));
        RC_TRY(rc_cfg_double(spec, "max_degree", 0, 0, (double)n, &s->dcsbm.max_degree));
        RC_TRY(rc_cfg_double(spec, "size_exponent", 0, 0, 100, &s->dcsbm.size_exponent));
        RC_TRY(rc_cfg_double(spec, "reciprocity", 0, 0, 1, &s->dcsbm.reciprocity));
        RC_TRY(rc_cfg_double(spec, "closure", 0, 0, 1, &s->dcsbm.closure));
        s->est_edges = (uint64_t)(s->dcsbm.mean_degree * n) * dir_factor;
        break;
    case RC_GEN_STAR:
    case RC_GEN_PATH:
        s->est_edges = (n - 1) * dir_factor;
        break;
    case RC_GEN_COMPLETE:
        if (n > 100000)
            RC_FAIL(RC_ERR_CONFIG, "%s: network.nodes: a complete graph of %llu nodes is too large "
                                   "(at most 100000)",
                    rc_cfg_where(rc_cfg_get(spec, "nodes")), (unsigned long long)n);
        s->est_edges = n * (n - 1);
        break;
    case RC_GEN_EGO:
    case RC_GEN_FILE:
        break; /* parsed by the caller: their sizes are not given by nodes: */
    }
cleanup:
    return status;
}

/* A name that says HDF5: .h5, .hdf5 or .hdf (any case). */
static int is_graph_file_name(const char *path)
{
    static const char *const ext[] = {".h5", ".hdf5", ".hdf", NULL};
    size_t len = strlen(path);
    for (size_t i = 0; ext[i] != NULL; i++) {
        size_t e = strlen(ext[i]);
        if (len > e && strcasecmp(path + len - e, ext[i]) == 0)
            return 1;
    }
    return 0;
}

/* A graph file (format: hdf5) has its direction, weights, accounts and communities. */
static rc_status_t refuse_for_graph_file(const rc_cfg_t *spec)
{
    static const char *const own[] = {"direction", "weighted", "undirected", "nodes",
                                      "communities", "cache", NULL};
    for (size_t i = 0; own[i] != NULL; i++) {
        const rc_cfg_t *v = rc_cfg_get(spec, own[i]);
        if (v != NULL)
            return rc_error(RC_ERR_CONFIG, "%s: %s.%s: an rtcascade graph file (format: hdf5) "
                            "has its own; remove the key", rc_cfg_where(v), rc_cfg_path(spec),
                            own[i]);
    }
    return RC_OK;
}

/* `nodes:` (a count of accounts 0 .. n-1, or a file of account ids) and `communities:` (a
 * file of "id community" lines) of a file network. */
static rc_status_t parse_accounts(const rc_cfg_t *spec, rc_network_spec_t *s)
{
    rc_status_t status = RC_OK;
    const rc_cfg_t *nodes = rc_cfg_get(spec, "nodes");
    const char *text = nodes ? rc_cfg_text(nodes) : NULL;
    if (nodes != NULL && rc_cfg_kind(nodes) == RC_CFG_SCALAR && text != NULL &&
        text[0] >= '0' && text[0] <= '9') {
        RC_TRY(rc_cfg_uint64(spec, "nodes", 0, 1, MAX_N, &s->load.nodes));
    } else if (nodes != NULL) {
        const char *path = NULL;
        RC_TRY(rc_cfg_string(spec, "nodes", NULL, &path));
        if (path[0] == '\0')
            RC_FAIL(RC_ERR_CONFIG, "%s: %s.nodes: expected a count of accounts or a file of "
                    "account ids", rc_cfg_where(nodes), rc_cfg_path(spec));
        s->nodes_path = strdup(path);
        RC_ALLOC_CHECK(s->nodes_path, "a file name");
    }
    const char *comm = NULL;
    RC_TRY(rc_cfg_string(spec, "communities", NULL, &comm));
    if (comm != NULL) {
        if (comm[0] == '\0')
            RC_FAIL(RC_ERR_CONFIG, "%s: %s.communities: expected a file of \"account community\" "
                    "lines", rc_cfg_where(rc_cfg_get(spec, "communities")), rc_cfg_path(spec));
        s->communities_path = strdup(comm);
        RC_ALLOC_CHECK(s->communities_path, "a file name");
    }
cleanup:
    return status;
}

/* ego (sizes from followers:) and file (path, direction, format, weights, accounts). */
static rc_status_t parse_ego_or_file(const rc_cfg_t *spec, uint64_t *n, rc_network_spec_t *s)
{
    rc_status_t status = RC_OK;
    const int dir_factor = s->undirected ? 2 : 1;
    if (s->generator == RC_GEN_EGO) {
        RC_TRY(rc_cfg_require(spec, "followers"));
        RC_TRY(rc_cfg_uint32(spec, "followers", 0, 1, 1u << 30, &s->followers));
        RC_TRY(rc_cfg_uint32(spec, "followers_each", 0, 0, 1u << 30, &s->followers_each));
        *n = 1 + (uint64_t)s->followers * (1 + (uint64_t)s->followers_each);
        if (*n > MAX_N)
            RC_FAIL(RC_ERR_CONFIG, "%s: network: an ego network of %llu nodes is too large",
                    rc_cfg_where(spec), (unsigned long long)*n);
        s->est_edges = (*n - 1) * dir_factor;
    } else {
        static const char *const dirs[] = {"flows", "follows", NULL};
        static const char *const formats[] = {"auto", "snap", "csv", "hdf5", NULL};
        int d = 0, f = 0;
        const char *path = NULL;
        RC_TRY(rc_cfg_require(spec, "path"));
        RC_TRY(rc_cfg_string(spec, "path", NULL, &path));
        s->path = strdup(path);
        RC_ALLOC_CHECK(s->path, "a file name");
        RC_TRY(rc_cfg_choice(spec, "format", formats, 0, &f));
        if (f == RC_FORMAT_AUTO && is_graph_file_name(path))
            f = RC_FORMAT_HDF5;
        s->load.format = (rc_edgelist_format_t)f;
        /* an edge list needs its direction; a graph file has its own, and everything else the
         * keys below would say */
        if (s->load.format == RC_FORMAT_HDF5)
            RC_TRY(refuse_for_graph_file(spec));
        else
            RC_TRY(rc_cfg_require(spec, "direction"));
        RC_TRY(rc_cfg_choice(spec, "direction", dirs, 0, &d));
        RC_TRY(rc_cfg_bool(spec, "weighted", 0, &s->load.weighted));
        s->load.direction = d == 0 ? RC_DIRECTION_FLOWS : RC_DIRECTION_FOLLOWS;
        RC_TRY(parse_accounts(spec, s));
        *n = s->load.nodes;
        s->load.undirected = s->undirected;
    }
cleanup:
    return status;
}

/* The text a cache is matched against and points share a network by: the canonical spec (its
 * resolved seed included, the cache path not), so a cache made under another seed or
 * parameters is never reused, whatever the order or format of the keys. */
static char *spec_signature(const rc_network_spec_t *spec)
{
    char *canon = rc_network_spec_canonical(spec);
    char *sig = NULL;
    if (canon != NULL) {
        size_t need = strlen(canon) + 32;
        sig = malloc(need);
        if (sig != NULL)
            snprintf(sig, need, "rtcascade-network 2\n%s", canon);
    }
    free(canon);
    return sig;
}

rc_status_t rc_network_spec_parse(const rc_cfg_t *spec, uint64_t default_seed,
                                  rc_network_spec_t *s)
{
    rc_status_t status = RC_OK;
    int kind = 0;
    uint64_t n = 0;
    const char *cache = NULL;
    memset(s, 0, sizeof *s);
    if (spec == NULL)
        RC_FAIL(RC_ERR_CONFIG, "missing required key 'network' (e.g. network: {generator: "
                               "chung_lu, nodes: 100000, mean_degree: 20})");
    if (rc_cfg_kind(spec) != RC_CFG_MAP)
        RC_FAIL(RC_ERR_CONFIG, "%s: %s: expected a map with a generator: key", rc_cfg_where(spec),
                rc_cfg_path(spec));
    RC_TRY(rc_cfg_require(spec, "generator"));
    RC_TRY(rc_cfg_choice(spec, "generator", rc_network_generators, 0, &kind));
    s->generator = (rc_generator_t)kind;
    RC_TRY(rc_cfg_check_keys(spec, gen_keys[kind]));
    RC_TRY(rc_cfg_uint64(spec, "seed", default_seed, 0, UINT64_MAX, &s->seed));
    RC_TRY(rc_cfg_bool(spec, "undirected", 0, &s->undirected));
    RC_TRY(rc_cfg_string(spec, "cache", NULL, &cache));
    if (cache != NULL && cache[0] != '\0') {
        s->cache = strdup(cache);
        RC_ALLOC_CHECK(s->cache, "a file name");
    }
    if (s->generator == RC_GEN_EGO || s->generator == RC_GEN_FILE) {
        RC_TRY(parse_ego_or_file(spec, &n, s));
    } else {
        RC_TRY(rc_cfg_require(spec, "nodes"));
        RC_TRY(rc_cfg_uint64(spec, "nodes", 0, 1, MAX_N, &n));
        s->nodes = (uint32_t)n;
        RC_TRY(parse_generator(spec, n, s));
    }
    s->est_nodes = n;
    s->signature = spec_signature(s);
    s->text = rc_cfg_to_yaml(spec);
    RC_ALLOC_CHECK(s->signature, "the network signature");
    RC_ALLOC_CHECK(s->text, "the network spec");
cleanup:
    if (status != RC_OK)
        rc_network_spec_clear(s);
    return status;
}

rc_status_t rc_network_estimate(const rc_cfg_t *map, uint64_t *bytes)
{
    rc_network_spec_t spec;
    rc_status_t status = rc_network_spec_parse(map, 0, &spec);
    if (status == RC_OK)
        *bytes = rc_network_estimate_bytes(&spec);
    rc_network_spec_clear(&spec);
    return status;
}
