/* Graphs in HDF5 files (io layer): `rtcascade graph -o` files and the network cache, whose
 * layout is in docs/results-format.md, and the cache-aware way to get a spec's graph. */
#ifndef RTCASCADE_GRAPH_H5_H
#define RTCASCADE_GRAPH_H5_H

#include "rtcascade/config.h"
#include "rtcascade/error.h"
#include "rtcascade/graph.h"
#include "rtcascade/network.h"

/* Saves g (CSR, weights, communities, original ids, degree histograms, and its statistics:
 * g->stats, or computed now) under group /graph of a new HDF5 file; `spec` (may be NULL) is
 * stored as an attribute so a cache can be matched to the network spec that made it. Writes to
 * a temporary name and renames, so a failure leaves no half-written file. */
rc_status_t rc_graph_save_h5(const rc_graph_t *g, const char *path, const char *spec);

/* Loads a graph saved by rc_graph_save_h5, with its statistics in g->stats when the file has
 * them (files saved before they were kept have none). When `spec` is non-NULL and differs from
 * the stored one, returns RC_ERR_INPUT with a message saying so (callers rebuild). */
rc_status_t rc_graph_load_h5(const char *path, const char *spec, rc_graph_t **out);

/* The graph of spec: with spec->cache set, reloaded from the cache when it was saved from the
 * same spec (signature), else built (rc_network_generate) and saved there; without, built.
 * Relative paths (edge list, cache) are against base_dir (NULL = the current directory). A
 * cache that exists but cannot be read is an error, not overwritten. Not thread-safe with other
 * HDF5 use (the HDF5 library is not). */
rc_status_t rc_network_load(const rc_network_spec_t *spec, const char *base_dir,
                            rc_graph_t **out);

/* rc_network_spec_parse of the `network:` map, then rc_network_load: the network a config
 * section describes. default_seed is used unless the map has its own seed:. */
rc_status_t rc_network_build(const rc_cfg_t *map, uint64_t default_seed, const char *base_dir,
                             rc_graph_t **out);

#endif
