/* Swept values that are maps, flattened into a column per leaf (results_flat.c). Private to
 * sim/io/results_*.c. */
#ifndef RC_IO_RESULTS_FLAT_H
#define RC_IO_RESULTS_FLAT_H

#include "io/results_internal.h"
#include "rtcascade/experiment.h"

#include <stddef.h>
#include <stdint.h>

/* The flattened columns of an experiment: for every swept key whose values include maps, one
 * column per leaf path met ("model.delay.mu"), in order of first appearance, each a float64
 * column when every value it has is a number, else a string column (a list stays YAML text). */
typedef struct rc_flat_cols {
    size_t n;          /* columns */
    char **name;       /* their names: the swept key, a dot, the leaf's path */
    size_t *key;       /* the swept key each belongs to (index into ex->swept_keys) */
    int *numeric;      /* float64 (1) or string (0) */
    size_t *width;     /* bytes of a string column */
    char **vals;       /* [p * cap_cols + j]: the leaf's text at point p, NULL where missing */
    size_t cap_cols;   /* row stride of vals (n once built) */
    uint64_t n_points;
} rc_flat_cols_t;

/* Finds the flattened columns of ex's swept keys that are not numeric (numeric[k]). A value
 * that is not a map adds none. RC_ERR_NOMEM; *f is then freed. */
rc_status_t rc_flat_build(const rc_experiment_t *ex, const int *numeric, rc_flat_cols_t *f);
void rc_flat_free(rc_flat_cols_t *f);

/* Adds swept key k's flattened columns to t. */
void rc_flat_add_columns(const rc_flat_cols_t *f, size_t k, rc_table_t *t);

/* Writes point p's values of swept key k's flattened columns into row from column col (NaN or
 * "" where the leaf is missing); returns the next column. */
size_t rc_flat_write(const rc_flat_cols_t *f, size_t k, const rc_table_t *t, void *row,
                     uint64_t p, size_t col);

#endif
