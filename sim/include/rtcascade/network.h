/* Network spec: the `network:` map of a config turned into a graph (generated, loaded from a
 * file, or reloaded from an HDF5 cache), with every key validated and named in errors. */
#ifndef RTCASCADE_NETWORK_H
#define RTCASCADE_NETWORK_H

#include "rtcascade/config.h"
#include "rtcascade/graph.h"

/* Builds or loads the network described by `spec` (a map with at least `generator:`).
 * `default_seed` is used unless the map has its own `seed:`. Relative file paths are resolved
 * against `base_dir` (the config file's folder; NULL = current directory). With `cache: PATH`
 * the graph is reloaded from PATH when it was saved from the same spec, else built and saved
 * there. The estimated memory is checked before anything is allocated. */
rc_status_t rc_network_build(const rc_cfg_t *spec, uint64_t default_seed, const char *base_dir,
                             rc_graph_t **out);

/* Estimated bytes the network will need once built (for --dry-run and memory checks). */
rc_status_t rc_network_estimate(const rc_cfg_t *spec, uint64_t *bytes);

/* Names of all generators, NULL-terminated (for messages and docs). */
extern const char *const rc_network_generators[];

#endif
