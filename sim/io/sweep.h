/* Sweeps of a config (private to sim/io): the values of each swept key as YAML text and their
 * combinations; experiment.c turns them into points. */
#ifndef RC_IO_SWEEP_H
#define RC_IO_SWEEP_H

#include "rtcascade/config.h"
#include "rtcascade/error.h"

#include <stddef.h>
#include <stdint.h>

/* Most points an experiment may have. */
#define RC_MAX_POINTS 10000000ULL

/* Keys allowed at the top level of a config (NULL-terminated; experiment.c). */
extern const char *const rc_experiment_keys[];

/* One swept key and its values as YAML text. */
typedef struct rc_sweep_axis {
    const char *key; /* the dotted path (points into the config) */
    char **values;
    size_t len;
} rc_sweep_axis_t;

/* The axes of one sweep: map (top level or a scenario's), its mode and its combinations. */
typedef struct rc_sweep {
    rc_sweep_axis_t *axes;
    size_t n;
    int zip;         /* 1: values paired, 0: grid product */
    uint64_t combos; /* combinations (1 without axes) */
} rc_sweep_t;

/* Parses a sweep map (NULL: no axes, one combination): keys must name a sweepable top-level
 * section, values are lists or ranges. On error *set is partly filled: free it anyway. */
rc_status_t rc_sweep_parse(const rc_cfg_t *sweep, rc_sweep_t *set);

/* Applies combination c of set to cfg (last key fastest in a grid); new nodes carry the
 * location of the sweep entry they came from. */
rc_status_t rc_sweep_apply(const rc_sweep_t *set, const rc_cfg_t *sweep, uint64_t c,
                           rc_cfg_t *cfg);

void rc_sweep_free(rc_sweep_t *set);

#endif
