/* Network spec (graph layer): what a `network:` section describes, as a typed struct, and the
 * graph it builds (generated, or loaded from an edge-list file). Knows no config tree and no
 * HDF5: the io layer parses YAML into an rc_network_spec_t (io/specs.h) and adds the optional
 * HDF5 cache (rc_network_load in rtcascade/graph_h5.h). */
#ifndef RTCASCADE_NETWORK_H
#define RTCASCADE_NETWORK_H

#include "rtcascade/error.h"
#include "rtcascade/graph.h"

#include <stdint.h>

typedef enum rc_generator {
    RC_GEN_ERDOS_RENYI = 0,
    RC_GEN_CHUNG_LU,
    RC_GEN_PREFERENTIAL,
    RC_GEN_WATTS_STROGATZ,
    RC_GEN_DCSBM,
    RC_GEN_STAR,
    RC_GEN_PATH,
    RC_GEN_COMPLETE,
    RC_GEN_EGO,
    RC_GEN_FILE
} rc_generator_t;

/* Names of the generators in enum order, NULL-terminated (for messages and docs). */
extern const char *const rc_network_generators[];

/* A network, fully described. Strings are owned (rc_network_spec_clear frees them). */
typedef struct rc_network_spec {
    rc_generator_t generator;
    uint64_t seed;              /* the generator's seed (the experiment's unless the spec has one) */
    int undirected;             /* every edge in both directions */
    uint32_t nodes;             /* every generator but ego and file */
    uint64_t edges;             /* erdos_renyi: edges (pairs when undirected) */
    rc_chung_lu_params_t chung_lu;
    rc_dcsbm_params_t dcsbm;
    uint32_t links;             /* preferential: links per new node */
    double attractiveness;      /* preferential */
    uint32_t neighbours;        /* watts_strogatz: k per side */
    double rewire;              /* watts_strogatz: beta */
    uint32_t followers;         /* ego */
    uint32_t followers_each;    /* ego */
    char *path;                 /* file: the edge list (or rtcascade graph file) as given
                                   (relative to base_dir) */
    rc_load_options_t load;     /* file: direction, format (RC_FORMAT_HDF5: an rtcascade graph
                                   file, also for format: auto and a .h5 or .hdf5 name),
                                   weights, accounts count (nodes);
                                   its path fields stay NULL (the two below are joined to
                                   base_dir when the file is read) */
    char *nodes_path;           /* file: `nodes:` as a file of account ids, or NULL */
    char *communities_path;     /* file: `communities:` file of "id community" lines, or NULL */
    char *cache;                /* HDF5 cache file as given, or NULL (used by the io layer) */
    char *text;                 /* the section as written (YAML), for records; may be NULL */
    char *signature;            /* text identifying the graph this spec builds (the spec with its
                                   resolved seed and without the cache path): equal signatures
                                   mean the same graph, so points share it and caches match */
    uint64_t est_nodes;         /* nodes expected (0 when known only once a file is read) */
    uint64_t est_edges;         /* directed edges expected in the final graph */
} rc_network_spec_t;

/* Frees the spec's strings and zeroes it; safe on a zeroed spec. */
void rc_network_spec_clear(rc_network_spec_t *spec);

/* Deep copy of src into *dst (which is overwritten). RC_ERR_NOMEM. */
rc_status_t rc_network_spec_copy(rc_network_spec_t *dst, const rc_network_spec_t *src);

/* The spec in a canonical text: every value that decides the graph (generator, parameters at
 * full precision, resolved seed, file path and reading options), one per line in a fixed order,
 * so equal texts mean the same graph whatever order or number format the config used. NULL
 * when out of memory; caller frees. */
char *rc_network_spec_canonical(const rc_network_spec_t *spec);

/* Estimated bytes of the final graph (0 for a file, known only once read). Cannot fail. */
uint64_t rc_network_estimate_bytes(const rc_network_spec_t *spec);

/* Generates the graph or loads the edge list (relative paths against base_dir, NULL or "" =
 * the current directory), after checking the estimated peak memory (1.5x the graph). Uses the
 * calling thread's OpenMP thread count; the graph does not depend on it. A file graph's
 * description says what the loader dropped. An rtcascade graph file (HDF5) is read by the io
 * layer's rc_network_load, not here (RC_ERR_INPUT). */
rc_status_t rc_network_generate(const rc_network_spec_t *spec, const char *base_dir,
                                rc_graph_t **out);

/* base_dir/path unless path is absolute or base_dir is NULL or empty; NULL when out of memory.
 * Caller frees. */
char *rc_path_join(const char *base_dir, const char *path);

#endif
