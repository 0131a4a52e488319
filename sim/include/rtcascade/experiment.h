/* Experiment spec: a config (after --set) turned into the list of points to run.
 *
 * Points are the product of the scenarios (named variants deep-merged over the base config) and
 * the sweep (grid product of the swept keys by default, or `mode: zip` to pair them). Each point
 * carries its fully resolved config; nothing is built or run here, so every config error is
 * found before any work starts. */
#ifndef RTCASCADE_EXPERIMENT_H
#define RTCASCADE_EXPERIMENT_H

#include "rtcascade/config.h"
#include "rtcascade/error.h"

#include <stddef.h>
#include <stdint.h>

typedef struct rc_point {
    uint64_t index;       /* 0-based point number, the `point` of every run's stream key */
    const char *scenario; /* scenario name, or "base" when the config has no scenarios */
    rc_cfg_t *config;     /* the resolved config of this point (no scenarios:/sweep: keys) */
    char **values;        /* text of each swept key's value here (n_swept entries) */
    size_t network_id;    /* points with equal network specs share an id (build once, reuse) */
} rc_point_t;

typedef struct rc_experiment {
    char *name;             /* `name:` (default: the config file's base name) */
    uint64_t seed;          /* master seed */
    uint64_t runs;          /* Monte Carlo runs per point */
    char *output;           /* `output:` path (default results/<name>.h5) */
    size_t n_swept;         /* swept keys */
    char **swept_keys;      /* their dotted paths, in config order */
    int zip;                /* 1: sweep lists are paired (`mode: zip`), 0: grid product */
    size_t n_scenarios;     /* scenarios (1 when the config has none: "base") */
    char **scenarios;       /* their names, in config order */
    size_t n_points;        /* n_scenarios x sweep combinations */
    rc_point_t *points;     /* in order: scenario-major, then sweep (last key fastest) */
    size_t n_networks;      /* distinct network specs among the points */
    rc_cfg_t *resolved;     /* the config as given, with --set applied (for provenance) */
} rc_experiment_t;

/* Keys allowed at the top level of a config (NULL-terminated). */
extern const char *const rc_experiment_keys[];

/* Builds the experiment from a parsed config. `default_name` names it when the config has no
 * `name:` (e.g. the file's base name). Validates the top-level keys, runs, sweep ranges and
 * scenario names, and resolves every point; model/network/seeds maps are validated later by
 * their own parsers (rc_experiment_check does that for every point without building anything).
 * Free with rc_experiment_free. */
rc_status_t rc_experiment_create(const rc_cfg_t *config, const char *default_name,
                                 rc_experiment_t **out);

/* Parses every point's model, seeds or audience (never both) and network spec (with memory
 * estimates) so that a bad value at any point is reported before the first run. */
rc_status_t rc_experiment_check(const rc_experiment_t *ex);

void rc_experiment_free(rc_experiment_t *ex);

#endif
