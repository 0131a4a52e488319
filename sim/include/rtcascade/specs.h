/* Config sections -> typed specs (io layer): the one place where the `network:`, `model:`,
 * `seeds:` and `audience:` maps of a config are read. Every value is validated here, once, with
 * errors naming file:line:col, the key path and what was expected; the layers below receive
 * only the typed structs. */
#ifndef RTCASCADE_SPECS_H
#define RTCASCADE_SPECS_H

#include "rtcascade/config.h"
#include "rtcascade/engine.h"
#include "rtcascade/error.h"
#include "rtcascade/model.h"
#include "rtcascade/network.h"
#include "rtcascade/params.h"

/* Parses a `network:` map (at least `generator:`) into *spec: the generator's keys, each
 * checked, the seed (default_seed unless the map has its own), the estimated size, the text and
 * the signature. Free with rc_network_spec_clear; on error *spec is cleared. */
rc_status_t rc_network_spec_parse(const rc_cfg_t *map, uint64_t default_seed,
                                  rc_network_spec_t *spec);

/* Fills the struct at out from `map` by the parameter table: unknown keys (other than those in
 * the NULL-terminated extra_keys, e.g. "name") are refused with the nearest valid one, required
 * keys must be there, every value is checked against its type and range, variants are read with
 * their own keys. Absent keys take the table's defaults. *given (may be NULL) gets bit i set for
 * each table[i] present. Errors name file:line:col and the key path. */
rc_status_t rc_params_fill(const rc_param_t *table, const rc_cfg_t *map,
                           const char *const *extra_keys, void *out, uint64_t *given);

/* rc_params_fill with data files (COLUMN parameters given as {path, column, ...}) found
 * relative to base_dir (NULL or "": the current directory), as the config's own folder. On
 * failure every column already read is released. */
rc_status_t rc_params_fill_at(const rc_param_t *table, const rc_cfg_t *map,
                              const char *const *extra_keys, const char *base_dir, void *out,
                              uint64_t *given);

/* Turns the message of a failed check about `key` below map (a dotted path, NULL = the map
 * itself) into "file:line:col: path.key: message" and returns status. */
rc_status_t rc_params_located_error(const rc_cfg_t *map, const char *key, rc_status_t status);

/* Parses a `model:` map: looks the name up (an unknown name lists every valid one), fills the
 * model's parameter struct (rc_params_fill) and runs its checks. Free *params with
 * rc_model_params_free(*model, *params). */
rc_status_t rc_model_parse(const rc_cfg_t *map, const rc_model_t **model, void **params);

/* rc_model_parse with data files relative to base_dir (rc_params_fill_at). */
rc_status_t rc_model_parse_at(const rc_cfg_t *map, const char *base_dir, const rc_model_t **model,
                              void **params);

/* Parses `seeds: {strategy: random|list|top_followers|community|top_fraction|degree_discount|
 * greedy|high_degree, count: k, nodes: [...], community: c, fraction: f, p: 0.01,
 * greedy_runs: R, greedy_candidates: N}`. map may be NULL (one random seed). Free with
 * rc_seeds_clear; on error the spec is cleared. */
rc_status_t rc_seeds_parse(const rc_cfg_t *map, rc_seed_spec_t *spec);

/* Parses `audience: {size: N, pick: random|top_followers|top_followers_in_community|community|
 * preferential, engagement: e, community: c, redraw: false}` (size and engagement required;
 * community only with the community picks). Nothing to free. */
rc_status_t rc_audience_parse(const rc_cfg_t *map, rc_audience_spec_t *spec);

/* Estimated bytes of the graph a `network:` map describes (0 for a file). */
rc_status_t rc_network_estimate(const rc_cfg_t *map, uint64_t *bytes);

#endif
