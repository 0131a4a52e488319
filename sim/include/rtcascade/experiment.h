/* Experiment (io layer): a config (after --set) resolved once into typed point specs.
 *
 * Points are the product of the scenarios (named variants deep-merged over the base config) and
 * the sweep (grid product of the swept keys by default, or `mode: zip` to pair them). Each point
 * carries everything needed to run it, parsed and validated here: the model and its typed
 * parameters, seeds or an audience, engine options, and the id of its network among the
 * experiment's distinct network specs. Every config error is found before any work starts;
 * what needs a built network (seed ids, community numbers) is checked by the runner once the
 * network is built, before any of its points run. */
#ifndef RTCASCADE_EXPERIMENT_H
#define RTCASCADE_EXPERIMENT_H

#include "rtcascade/config.h"
#include "rtcascade/engine.h"
#include "rtcascade/error.h"
#include "rtcascade/model.h"
#include "rtcascade/network.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* One point of the experiment, ready to run. */
typedef struct rc_point {
    uint64_t index;              /* 0-based point number, the `point` of every run's stream key */
    const char *scenario;        /* scenario name ("base" without scenarios); points into
                                    rc_experiment_t.scenarios */
    char **values;               /* text of each swept key's value here (n_swept entries; "" when
                                    the key is not set at this point) */
    size_t network_id;           /* index into rc_experiment_t.networks (shared by equal specs) */
    const rc_model_t *model;
    void *params;                /* the model's typed parameters (owned) */
    char *model_key;             /* the model: section as YAML: points with equal keys share
                                    greedy seed sequences */
    int has_audience;            /* 1: an audience scenario (audience); 0: seeds */
    rc_seed_spec_t seeds;        /* who posts, when !has_audience (owned) */
    rc_audience_spec_t audience; /* the author's audience, when has_audience */
    double global_fraction;      /* a run is global when size >= ceil(global_fraction * n) */
    uint32_t max_size;           /* engine size cap (0 = none) */
    int kernel;                  /* engine.kernel (rc_kernel_t; default auto) */
    uint64_t events_max_rows;    /* `events:` -- > 0: the results file keeps every adoption of
                                    the point's runs in /events, at most this many (the size
                                    guard); 0: none (the default) */
} rc_point_t;

/* Rows an `events: true` point may write (its size guard). */
#define RC_EVENTS_DEFAULT_ROWS 1000000ULL

/* Estimated bytes one point costs while an experiment is held (its typed specs, swept values,
 * model key, and its share of the runner's and the results file's tables), checked before the
 * points are made: about 0.8 KiB is measured for simple points, up to 2.5 KiB for points with
 * audiences and long values. */
#define RC_POINT_BYTES 2560u

/* Longest `name:` (it names the results file, results/<name>.h5). */
#define RC_NAME_MAX 200

typedef struct rc_experiment {
    char *name;                  /* `name:` (default: the config file's base name) */
    uint64_t seed;               /* master seed */
    uint64_t runs;               /* Monte Carlo runs per point */
    char *output;                /* `output:` path (default results/<name>.h5) */
    size_t n_swept;              /* swept keys */
    char **swept_keys;           /* their dotted paths, in config order */
    int zip;                     /* 1: sweep lists are paired (`mode: zip`), 0: grid product */
    size_t n_scenarios;          /* scenarios (1 when the config has none: "base") */
    char **scenarios;            /* their names, in config order */
    size_t n_points;             /* n_scenarios x sweep combinations */
    rc_point_t *points;          /* in order: scenario-major, then sweep (last key fastest) */
    size_t n_networks;           /* distinct network specs among the points */
    rc_network_spec_t *networks; /* in order of first use */
    uint64_t peak_bytes;         /* estimated bytes of the largest network (0 = unknown) */
    uint64_t points_bytes;       /* estimated bytes of the points themselves (RC_POINT_BYTES
                                    each), held for the whole run */
    char *base_dir;              /* folder that relative paths in the config are against ("" =
                                    the current directory) */
    rc_cfg_t *resolved;          /* the config as given, with --set applied: the experiment's
                                    identity in a results file */
    char *config_text;           /* the config exactly as given (file or embedded default) */
    char *config_path;           /* the config file's path, or NULL for the embedded default */
    char **sweep_plans;          /* per scenario, how its points are made, e.g. "model.p (3) x
                                    zip(audience.size, audience.engagement) (4)" or "no sweep" */
    unsigned char *swept_in;     /* [s * n_swept + k]: key k is swept in scenario s */
} rc_experiment_t;

/* Builds the experiment from a parsed config. `default_name` names it when the config has no
 * `name:` (e.g. the file's base name). Validates the top-level keys, runs, sweeps and scenarios,
 * then parses every point's model, seeds or audience and network spec, so that a bad value at
 * any point is reported (file:line:col) before anything is built. Free with
 * rc_experiment_free. */
rc_status_t rc_experiment_create(const rc_cfg_t *config, const char *default_name,
                                 rc_experiment_t **out);

/* Loads and builds an experiment: the config file at `path` (or the embedded default study when
 * path is NULL), then each "key.path=value" of `sets` in order, then rc_experiment_create with
 * the file's base name as default name. Keeps the config's text, path and folder.
 *
 * A --set wins everywhere: its key is no longer swept (it is taken out of the top-level sweep
 * and every scenario's), and a scenario that sets the key gets the --set value too, so that
 * `--set model.p=0.05` runs p = 0.05 at every point. A --set below a swept key (network.nodes
 * when network: is swept whole) is refused (RC_ERR_ARGUMENT). */
rc_status_t rc_experiment_load(const char *path, char *const *sets, size_t n_sets,
                               rc_experiment_t **out);

/* The same from YAML (or JSON) text; `name` stands for the file in messages and is the default
 * experiment name; relative paths are against base_dir (NULL = the current directory). */
rc_status_t rc_experiment_load_string(const char *text, const char *name, const char *base_dir,
                                      char *const *sets, size_t n_sets, rc_experiment_t **out);

/* Loads a config tree: the file at `path`, or the embedded default study when path is NULL,
 * then each "key.path=value" of `sets` in order. *base_dir receives the config's folder (for
 * relative paths inside it; "" for the current directory; caller frees). Free *root with
 * rc_cfg_free. */
rc_status_t rc_config_load(const char *path, char *const *sets, size_t n_sets, rc_cfg_t **root,
                          char **base_dir);

/* Replaces the output path (e.g. from -o). RC_ERR_NOMEM. */
rc_status_t rc_experiment_set_output(rc_experiment_t *ex, const char *path);

/* Checks that the points and the largest network (1.5x its estimate while it is built) fit in
 * memory. */
rc_status_t rc_experiment_check(const rc_experiment_t *ex);

/* The points of network `id`, in index order: their count, and the first (NULL when none). */
size_t rc_experiment_network_points(const rc_experiment_t *ex, size_t id,
                                    const rc_point_t **first);

/* Writes what the experiment will do, for `rtcascade run --dry-run`: scenarios, swept keys and
 * values, points per scenario, networks with their estimated memory and points, total runs,
 * output, and a table of the points when there are at most 60. RC_ERR_IO. */
rc_status_t rc_experiment_describe(const rc_experiment_t *ex, FILE *f);

/* Writes a table of the points: index, scenario and swept values, then `header` over the
 * column(s) that cell() writes for each point (starting with its own separator). Shows every
 * point when there are at most max_rows, else the first max_rows - 10 and a line saying how
 * many more (and `rtcascade info OUTPUT`). RC_ERR_IO, RC_ERR_NOMEM. */
rc_status_t rc_experiment_print_points(const rc_experiment_t *ex, FILE *f, size_t max_rows,
                                       const char *header,
                                       void (*cell)(void *ctx, const rc_point_t *pt, FILE *f),
                                       void *ctx);

void rc_experiment_free(rc_experiment_t *ex);

/* One point without an experiment, for programs that bring their own graph (the Python API's
 * simulate): a map with `model:` (required), `seeds:` or `audience:`, `global_fraction:`,
 * `max_size:` and `engine:` -- the keys of a config that say what a point runs -- checked by the same code,
 * with the same messages, as a config's points (unknown keys refused). `index` is the point's
 * number, the `point` of its runs' stream keys; its scenario is "base" and it has no swept
 * values and no network (network_id 0). Free with rc_point_free. */
rc_status_t rc_point_parse(const rc_cfg_t *map, uint64_t index, rc_point_t **out);

/* rc_point_parse with the model's data files (empirical follower counts) relative to base_dir
 * (NULL = the current directory), as in a config file in that folder. */
rc_status_t rc_point_parse_at(const rc_cfg_t *map, uint64_t index, const char *base_dir,
                              rc_point_t **out);

/* Frees a point made by rc_point_parse (NULL is harmless). */
void rc_point_free(rc_point_t *pt);

#endif
