/* Network specs turned into graphs: the generator named by the spec, called with its typed
 * parameters, or the edge-list loader; the estimated memory is checked before anything is
 * built. Parsing a `network:` map lives in the io layer (io/specs.c), the HDF5 cache too. */
#include "rtcascade/network.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const rc_network_generators[] = {
    "erdos_renyi", "chung_lu", "preferential", "watts_strogatz", "dcsbm",
    "star",        "path",     "complete",     "ego",            "file", NULL};

void rc_network_spec_clear(rc_network_spec_t *spec)
{
    if (spec == NULL)
        return;
    free(spec->path);
    free(spec->nodes_path);
    free(spec->communities_path);
    free(spec->cache);
    free(spec->signature);
    free(spec->text);
    memset(spec, 0, sizeof *spec);
}

static rc_status_t dup_field(char **dst, const char *src)
{
    *dst = NULL;
    if (src == NULL)
        return RC_OK;
    *dst = strdup(src);
    return *dst != NULL ? RC_OK : rc_error(RC_ERR_NOMEM, "out of memory copying a network spec");
}

rc_status_t rc_network_spec_copy(rc_network_spec_t *dst, const rc_network_spec_t *src)
{
    rc_status_t status = RC_OK;
    *dst = *src;
    dst->path = dst->cache = dst->signature = dst->text = NULL;
    dst->nodes_path = dst->communities_path = NULL;
    RC_TRY(dup_field(&dst->path, src->path));
    RC_TRY(dup_field(&dst->nodes_path, src->nodes_path));
    RC_TRY(dup_field(&dst->communities_path, src->communities_path));
    RC_TRY(dup_field(&dst->cache, src->cache));
    RC_TRY(dup_field(&dst->signature, src->signature));
    RC_TRY(dup_field(&dst->text, src->text));
cleanup:
    if (status != RC_OK)
        rc_network_spec_clear(dst);
    return status;
}

/* Appends "key: value\n" to the growing text (NULL-safe: stays NULL when out of memory). */
static char *put(char *buf, size_t *len, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static char *put(char *buf, size_t *len, const char *key, const char *fmt, ...)
{
    if (buf == NULL)
        return NULL;
    char value[4200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(value, sizeof value, fmt, ap);
    va_end(ap);
    size_t add = strlen(key) + strlen(value) + 3;
    char *nb = realloc(buf, *len + add + 1);
    if (nb == NULL) {
        free(buf);
        return NULL;
    }
    *len += (size_t)snprintf(nb + *len, add + 1, "%s: %s\n", key, value);
    return nb;
}

char *rc_network_spec_canonical(const rc_network_spec_t *s)
{
    size_t len = 0;
    char *b = calloc(1, 1);
    b = put(b, &len, "generator", "%s", rc_network_generators[s->generator]);
    b = put(b, &len, "seed", "%llu", (unsigned long long)s->seed);
    b = put(b, &len, "undirected", "%d", s->undirected);
    switch (s->generator) {
    case RC_GEN_ERDOS_RENYI:
        b = put(b, &len, "nodes", "%u", s->nodes);
        b = put(b, &len, "edges", "%llu", (unsigned long long)s->edges);
        break;
    case RC_GEN_CHUNG_LU: {
        const rc_chung_lu_params_t *c = &s->chung_lu;
        b = put(b, &len, "nodes", "%u", c->nodes);
        b = put(b, &len, "degrees", "%.17g %.17g %.17g %.17g %.17g %d", c->mean_degree,
                c->out_exponent, c->in_exponent, c->min_degree, c->max_degree, c->correlated);
        break;
    }
    case RC_GEN_PREFERENTIAL:
        b = put(b, &len, "nodes", "%u", s->nodes);
        b = put(b, &len, "links", "%u %.17g", s->links, s->attractiveness);
        break;
    case RC_GEN_WATTS_STROGATZ:
        b = put(b, &len, "nodes", "%u", s->nodes);
        b = put(b, &len, "ring", "%u %.17g", s->neighbours, s->rewire);
        break;
    case RC_GEN_DCSBM: {
        const rc_dcsbm_params_t *d = &s->dcsbm;
        b = put(b, &len, "nodes", "%u", d->nodes);
        b = put(b, &len, "blocks", "%u %.17g %.17g %.17g %.17g %.17g %.17g %.17g",
                d->communities, d->mean_degree, d->mixing, d->exponent, d->in_exponent,
                d->min_degree, d->max_degree, d->size_exponent);
        if (d->reciprocity > 0.0 || d->closure > 0.0) /* absent before: old signatures hold */
            b = put(b, &len, "structure", "%.17g %.17g", d->reciprocity, d->closure);
        break;
    }
    case RC_GEN_STAR:
    case RC_GEN_PATH:
    case RC_GEN_COMPLETE:
        b = put(b, &len, "nodes", "%u", s->nodes);
        break;
    case RC_GEN_EGO:
        b = put(b, &len, "followers", "%u %u", s->followers, s->followers_each);
        break;
    case RC_GEN_FILE:
        b = put(b, &len, "path", "%.4000s", s->path ? s->path : "");
        b = put(b, &len, "load", "%d %d %d", (int)s->load.direction, (int)s->load.format,
                s->load.weighted);
        if (s->load.nodes > 0)
            b = put(b, &len, "nodes", "%llu", (unsigned long long)s->load.nodes);
        if (s->nodes_path != NULL)
            b = put(b, &len, "nodes_file", "%.4000s", s->nodes_path);
        if (s->communities_path != NULL)
            b = put(b, &len, "communities_file", "%.4000s", s->communities_path);
        break;
    }
    return b;
}

uint64_t rc_network_estimate_bytes(const rc_network_spec_t *spec)
{
    if (spec->generator == RC_GEN_FILE)
        return 0;
    return rc_graph_memory_bytes((uint32_t)spec->est_nodes, spec->est_edges, 0, 0,
                                 spec->generator == RC_GEN_DCSBM);
}

char *rc_path_join(const char *base_dir, const char *path)
{
    if (path[0] == '/' || base_dir == NULL || base_dir[0] == '\0')
        return strdup(path);
    size_t need = strlen(base_dir) + strlen(path) + 2;
    char *full = malloc(need);
    if (full != NULL)
        snprintf(full, need, "%s/%s", base_dir, path);
    return full;
}

/* Loads the spec's edge list and says in the description what the loader dropped, so that
 * counts that differ from a data set's documentation can be explained from the output alone. */
static rc_status_t load_file(const rc_network_spec_t *s, const char *base_dir, rc_graph_t **out)
{
    rc_status_t status = RC_OK;
    rc_load_report_t rep;
    rc_load_options_t opt = s->load;
    char *desc = NULL, *nodes = NULL, *comms = NULL;
    char *path = rc_path_join(base_dir, s->path);
    RC_ALLOC_CHECK(path, "a file name");
    if (s->load.format == RC_FORMAT_HDF5)
        RC_FAIL(RC_ERR_INPUT, "%s: an rtcascade graph file is read by rc_network_load", path);
    if (s->nodes_path != NULL) {
        nodes = rc_path_join(base_dir, s->nodes_path);
        RC_ALLOC_CHECK(nodes, "a file name");
    }
    if (s->communities_path != NULL) {
        comms = rc_path_join(base_dir, s->communities_path);
        RC_ALLOC_CHECK(comms, "a file name");
    }
    opt.nodes_path = nodes;
    opt.communities_path = comms;
    RC_TRY(rc_graph_load_edgelist(path, &opt, out, &rep));
    const char *d = (*out)->description ? (*out)->description : "file";
    size_t need = strlen(d) + 160;
    desc = malloc(need);
    RC_ALLOC_CHECK(desc, "a description");
    snprintf(desc, need, "%s (%llu edge lines; dropped %llu self-loops, %llu duplicates)", d,
             (unsigned long long)rep.edges_read, (unsigned long long)rep.self_loops,
             (unsigned long long)rep.duplicates);
    free((*out)->description);
    (*out)->description = desc;
    desc = NULL;
cleanup:
    free(desc);
    free(path);
    free(nodes);
    free(comms);
    return status;
}

rc_status_t rc_network_generate(const rc_network_spec_t *s, const char *base_dir,
                                rc_graph_t **out)
{
    *out = NULL;
    if (s->generator != RC_GEN_FILE) {
        char what[160];
        snprintf(what, sizeof what, "building the network (%llu nodes, ~%llu edges)",
                 (unsigned long long)s->est_nodes, (unsigned long long)s->est_edges);
        /* Building peaks at about 1.5x the final graph (edge list + one CSR direction); a
         * DCSBM with reciprocity builds twice and holds the first graph with the final edge
         * list, about 2x. */
        const int twice = s->generator == RC_GEN_DCSBM && s->dcsbm.reciprocity > 0.0;
        rc_status_t st = rc_memory_check(rc_network_estimate_bytes(s) * (twice ? 4 : 3) / 2, what);
        if (st != RC_OK)
            return st;
    }
    switch (s->generator) {
    case RC_GEN_ERDOS_RENYI:
        return rc_gen_erdos_renyi(s->nodes, s->edges, s->undirected, s->seed, out);
    case RC_GEN_CHUNG_LU:
        return rc_gen_chung_lu(&s->chung_lu, s->undirected, s->seed, out);
    case RC_GEN_PREFERENTIAL:
        return rc_gen_price(s->nodes, s->links, s->attractiveness, s->undirected, s->seed, out);
    case RC_GEN_WATTS_STROGATZ:
        return rc_gen_watts_strogatz(s->nodes, s->neighbours, s->rewire, s->undirected, s->seed,
                                     out);
    case RC_GEN_DCSBM:
        return rc_gen_dcsbm(&s->dcsbm, s->undirected, s->seed, out);
    case RC_GEN_STAR:
        return rc_gen_star(s->nodes, s->undirected, out);
    case RC_GEN_PATH:
        return rc_gen_path(s->nodes, s->undirected, out);
    case RC_GEN_COMPLETE:
        return rc_gen_complete(s->nodes, out);
    case RC_GEN_EGO:
        return rc_gen_ego(s->followers, s->followers_each, s->undirected, out);
    case RC_GEN_FILE:
        return load_file(s, base_dir, out);
    }
    return rc_error(RC_ERR_INTERNAL, "unknown generator %d", (int)s->generator);
}
