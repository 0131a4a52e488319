/* The network cache: a spec's graph reloaded from an HDF5 file saved from the same spec (matched
 * by its signature), or built and saved there, so that a large network is built once and reloads
 * in seconds, with its statistics. */
#include "rtcascade/graph_h5.h"
#include "rtcascade/specs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Whether the file at path starts with HDF5's signature (-1 when it cannot be read: the loader
 * then says why). */
static int starts_as_hdf5(const char *path)
{
    static const unsigned char magic[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    unsigned char head[8];
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    size_t got = fread(head, 1, sizeof head, f);
    fclose(f);
    return got == sizeof head && memcmp(head, magic, sizeof magic) == 0;
}

/* A file network that is an rtcascade graph file (format: hdf5, or a .h5 name): read whole.
 * An edge list named otherwise that turns out to be one is refused with what to write. */
static rc_status_t load_graph_file(const rc_network_spec_t *s, const char *base_dir,
                                   rc_graph_t **out, int *done)
{
    rc_status_t status = RC_OK;
    rc_graph_t *g = NULL;
    char *path = rc_path_join(base_dir, s->path);
    *done = 0;
    RC_ALLOC_CHECK(path, "a file name");
    int hdf5 = starts_as_hdf5(path);
    if (s->load.format != RC_FORMAT_HDF5) {
        if (hdf5 == 1)
            RC_FAIL(RC_ERR_CONFIG, "%s: is an HDF5 file, not an edge list: for an rtcascade "
                    "graph file write network.format: hdf5 (without direction, weighted, "
                    "undirected, nodes, communities)", path);
        goto cleanup;
    }
    if (hdf5 == 0)
        RC_FAIL(RC_ERR_INPUT, "%s: not an HDF5 file (network.format: hdf5 reads the graph "
                "files of `rtcascade graph -o`; an edge list needs format: auto, snap or csv)",
                path);
    RC_TRY(rc_graph_load_h5(path, NULL, &g));
    /* which file, then what it holds */
    const char *held = g->description ? g->description : "";
    size_t need = strlen(s->path) + strlen(held) + 32;
    char *desc = malloc(need);
    RC_ALLOC_CHECK(desc, "a description");
    snprintf(desc, need, "graph file path=%s: %s", s->path, held);
    free(g->description);
    g->description = desc;
    *out = g;
    g = NULL;
    *done = 1;
cleanup:
    rc_graph_free(g);
    free(path);
    return status;
}

rc_status_t rc_network_load(const rc_network_spec_t *s, const char *base_dir, rc_graph_t **out)
{
    rc_status_t status = RC_OK;
    char *cache = NULL;
    rc_graph_t *g = NULL;
    *out = NULL;
    if (s->generator == RC_GEN_FILE) {
        int done = 0;
        RC_TRY(load_graph_file(s, base_dir, out, &done));
        if (done)
            goto cleanup;
    }
    if (s->cache != NULL && s->cache[0] != '\0') {
        cache = rc_path_join(base_dir, s->cache);
        RC_ALLOC_CHECK(cache, "a file name");
        if (access(cache, F_OK) == 0) {
            status = rc_graph_load_h5(cache, s->signature, &g);
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
    RC_TRY(rc_network_generate(s, base_dir, &g));
    if (cache != NULL) {
        /* saved with its statistics, kept on g too: this run's results use the same ones */
        rc_graph_stats_t st;
        RC_TRY(rc_graph_compute_stats(g, &st));
        RC_TRY(rc_graph_attach_stats(g, &st));
        RC_TRY(rc_graph_save_h5(g, cache, s->signature));
    }
    *out = g;
    g = NULL;
cleanup:
    rc_graph_free(g);
    free(cache);
    return status;
}

rc_status_t rc_network_build(const rc_cfg_t *map, uint64_t default_seed, const char *base_dir,
                             rc_graph_t **out)
{
    rc_network_spec_t spec;
    *out = NULL;
    rc_status_t status = rc_network_spec_parse(map, default_seed, &spec);
    if (status == RC_OK)
        status = rc_network_load(&spec, base_dir, out);
    rc_network_spec_clear(&spec);
    return status;
}
