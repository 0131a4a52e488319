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

/* Parses a `network:` map (at least `generator:`) into *spec: the generator's keys, each
 * checked, the seed (default_seed unless the map has its own), the estimated size, the text and
 * the signature. Free with rc_network_spec_clear; on error *spec is cleared. */
rc_status_t rc_network_spec_parse(const rc_cfg_t *map, uint64_t default_seed,
                                  rc_network_spec_t *spec);

/* Estimated bytes of the graph a `network:` map describes (0 for a file). */
rc_status_t rc_network_estimate(const rc_cfg_t *map, uint64_t *bytes);

#endif
