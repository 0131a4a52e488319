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

/* A swept value's text on one line, for tables and lists: a map's YAML lines become
 * "{a: 1, b: 2}" (indentation dropped); cut with "..." to fit len bytes. Returns buf. */
#define RC_VALUE_SHOWN 120 /* bytes of a value shown in a table (buffer size) */
const char *rc_value_one_line(const char *v, char *buf, size_t len);

/* The plan of one scenario's points in words: the top-level sweep's axes, then the scenario's
 * own, each a key and its number of values, joined by " x " (every combination) -- the axes of
 * a zip sweep grouped as "zip(a, b) (n)" -- or "no sweep". E.g. "model.p (3) x zip(audience.size,
 * audience.engagement) (4)". malloc'ed; NULL when out of memory. */
char *rc_sweep_plan(const rc_sweep_t *global, const rc_sweep_t *local);

#endif
