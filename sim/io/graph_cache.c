/* The network cache: a spec's graph reloaded from an HDF5 file saved from the same spec (matched
 * by its signature), or built and saved there, so that a large network is built once and reloads
 * in seconds. */
#include "rtcascade/graph_h5.h"
#include "rtcascade/specs.h"

#include <stdlib.h>
#include <unistd.h>

rc_status_t rc_network_load(const rc_network_spec_t *s, const char *base_dir, rc_graph_t **out)
{
    rc_status_t status = RC_OK;
    char *cache = NULL;
    rc_graph_t *g = NULL;
    *out = NULL;
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
    if (cache != NULL)
        RC_TRY(rc_graph_save_h5(g, cache, s->signature));
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
