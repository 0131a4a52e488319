/* Swept values that are maps (a whole `delay:` kernel, an `audience:`), flattened into one
 * column per leaf beside their text in /points and /summary, so that a reader groups and
 * filters on `model.delay.mu` without parsing YAML (docs/results-format.md). */
#include "io/results_flat.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether s reads whole as a finite number. */
static int flat_is_number(const char *s)
{
    char *end = NULL;
    if (s == NULL || *s == '\0')
        return 0;
    errno = 0;
    double v = strtod(s, &end);
    return end != s && *end == '\0' && isfinite(v);
}

void rc_flat_free(rc_flat_cols_t *f)
{
    for (size_t j = 0; j < f->n; j++)
        free(f->name[j]);
    if (f->vals != NULL)
        for (uint64_t i = 0; i < f->n_points * f->cap_cols; i++)
            free(f->vals[i]);
    free(f->name);
    free(f->key);
    free(f->numeric);
    free(f->width);
    free(f->vals);
    memset(f, 0, sizeof *f);
}

/* Index of column `name`, added (for swept key k) when new; (size_t)-1 when out of memory. */
static size_t flat_column(rc_flat_cols_t *f, const char *name, size_t k)
{
    for (size_t j = 0; j < f->n; j++)
        if (strcmp(f->name[j], name) == 0)
            return j;
    size_t n = f->n + 1;
    char **nm = realloc(f->name, n * sizeof *nm);
    if (nm != NULL)
        f->name = nm;
    size_t *key = realloc(f->key, n * sizeof *key);
    if (key != NULL)
        f->key = key;
    char *copy = strdup(name);
    if (nm == NULL || key == NULL || copy == NULL) {
        free(copy);
        return (size_t)-1;
    }
    f->name[f->n] = copy;
    f->key[f->n] = k;
    return f->n++;
}

/* One leaf of a point's value: its column, and its text kept for the point. */
typedef struct flat_leaf {
    char *name;
    char *text;
} flat_leaf_t;

/* Collects the leaves of map node under prefix ("model.delay") into leaves (grown). */
static rc_status_t flat_leaves(const rc_cfg_t *node, const char *prefix, flat_leaf_t **leaves,
                               size_t *n, size_t *cap)
{
    rc_status_t status = RC_OK;
    for (size_t i = 0; i < rc_cfg_size(node); i++) {
        const char *key = NULL;
        const rc_cfg_t *v = rc_cfg_at(node, i, &key);
        size_t len = strlen(prefix) + strlen(key) + 2;
        char *name = malloc(len);
        RC_ALLOC_CHECK(name, "the flattened columns");
        snprintf(name, len, "%s.%s", prefix, key);
        if (rc_cfg_kind(v) == RC_CFG_MAP) {
            status = flat_leaves(v, name, leaves, n, cap);
            free(name);
            RC_TRY(status);
            continue;
        }
        if (*n == *cap) {
            size_t nc = *cap ? 2 * *cap : 8;
            flat_leaf_t *grown = realloc(*leaves, nc * sizeof *grown);
            if (grown == NULL)
                free(name);
            RC_ALLOC_CHECK(grown, "the flattened columns");
            *leaves = grown;
            *cap = nc;
        }
        /* a list inside the map stays YAML text; a scalar is its text */
        char *text = rc_cfg_kind(v) == RC_CFG_SEQ ? rc_cfg_to_yaml(v)
                                                   : strdup(rc_cfg_text(v) ? rc_cfg_text(v) : "");
        if (text == NULL)
            free(name);
        RC_ALLOC_CHECK(text, "the flattened columns");
        (*leaves)[*n].name = name;
        (*leaves)[*n].text = text;
        (*n)++;
    }
cleanup:
    return status;
}

/* The leaves of swept key k at point p into f (columns added as met). */
static rc_status_t flat_point(rc_flat_cols_t *f, const rc_experiment_t *ex, size_t k, uint64_t p,
                              flat_leaf_t **leaves, size_t *cap)
{
    rc_status_t status = RC_OK;
    rc_cfg_t *cfg = NULL;
    size_t n = 0;
    const char *v = ex->points[p].values ? ex->points[p].values[k] : NULL;
    if (v == NULL || strchr(v, ':') == NULL) /* no map without a key */
        return RC_OK;
    if (rc_cfg_parse_string(v, "a swept value", &cfg) != RC_OK ||
        rc_cfg_kind(cfg) != RC_CFG_MAP) {
        rc_error_clear(); /* not a map after all: the text column says it all */
        goto cleanup;
    }
    RC_TRY(flat_leaves(cfg, ex->swept_keys[k], leaves, &n, cap));
    for (size_t i = 0; i < n; i++) {
        size_t j = flat_column(f, (*leaves)[i].name, k);
        if (j == (size_t)-1)
            RC_FAIL(RC_ERR_NOMEM, "out of memory for the flattened columns");
        if (f->n > f->cap_cols) {
            /* a new column: widen every point's row of values */
            size_t nc = f->cap_cols ? 2 * f->cap_cols : 8;
            char **vals = calloc(f->n_points * nc + 1, sizeof *vals);
            RC_ALLOC_CHECK(vals, "the flattened columns");
            for (uint64_t q = 0; f->vals != NULL && q < f->n_points; q++)
                memcpy(vals + q * nc, f->vals + q * f->cap_cols, f->cap_cols * sizeof *vals);
            free(f->vals);
            f->vals = vals;
            f->cap_cols = nc;
        }
        char **slot = &f->vals[p * f->cap_cols + j];
        if (*slot == NULL) {
            *slot = (*leaves)[i].text;
            (*leaves)[i].text = NULL;
        }
    }
cleanup:
    for (size_t i = 0; i < n; i++) {
        free((*leaves)[i].name);
        free((*leaves)[i].text);
    }
    rc_cfg_free(cfg);
    return status;
}

rc_status_t rc_flat_build(const rc_experiment_t *ex, const int *numeric, rc_flat_cols_t *f)
{
    rc_status_t status = RC_OK;
    flat_leaf_t *leaves = NULL;
    size_t cap = 0;
    memset(f, 0, sizeof *f);
    f->n_points = ex->n_points;
    for (size_t k = 0; k < ex->n_swept; k++) {
        if (numeric[k])
            continue;
        for (uint64_t p = 0; p < ex->n_points; p++)
            RC_TRY(flat_point(f, ex, k, p, &leaves, &cap));
    }
    /* pack the rows to n columns, then type each column */
    if (f->n > 0 && f->cap_cols != f->n) {
        for (uint64_t p = 0; p < f->n_points; p++)
            memmove(f->vals + p * f->n, f->vals + p * f->cap_cols, f->n * sizeof *f->vals);
        for (uint64_t i = f->n_points * f->n; i < f->n_points * f->cap_cols; i++)
            f->vals[i] = NULL; /* moved, not owned */
    }
    f->cap_cols = f->n;
    f->numeric = calloc(f->n + 1, sizeof *f->numeric);
    f->width = calloc(f->n + 1, sizeof *f->width);
    RC_ALLOC_CHECK(f->numeric, "the flattened columns");
    RC_ALLOC_CHECK(f->width, "the flattened columns");
    for (size_t j = 0; j < f->n; j++) {
        int num = 1, any = 0;
        size_t w = 1;
        for (uint64_t p = 0; p < f->n_points; p++) {
            const char *v = f->vals[p * f->n + j];
            if (v == NULL)
                continue;
            any = 1;
            num = num && flat_is_number(v);
            if (strlen(v) > w)
                w = strlen(v);
        }
        f->numeric[j] = num && any;
        f->width[j] = w;
    }
cleanup:
    free(leaves);
    if (status != RC_OK)
        rc_flat_free(f);
    return status;
}

void rc_flat_add_columns(const rc_flat_cols_t *f, size_t k, rc_table_t *t)
{
    for (size_t j = 0; j < f->n; j++)
        if (f->key[j] == k)
            rc_table_add(t, f->name[j], f->numeric[j] ? RC_COL_F64 : RC_COL_STR, f->width[j]);
}

size_t rc_flat_write(const rc_flat_cols_t *f, size_t k, const rc_table_t *t, void *row,
                     uint64_t p, size_t col)
{
    for (size_t j = 0; j < f->n; j++) {
        if (f->key[j] != k)
            continue;
        const char *v = f->vals[p * f->n + j];
        if (f->numeric[j])
            rc_row_f64(t, row, col, v ? strtod(v, NULL) : NAN);
        else
            rc_row_str(t, row, col, v ? v : "");
        col++;
    }
    return col;
}
