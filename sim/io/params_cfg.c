/* Config section -> typed struct, from a parameter table (rtcascade/params.h): unknown keys are
 * refused with a suggestion, each value is checked against its type and range with errors naming
 * file:line:col and the key path, nested specs (variants) are read with their own keys, and the
 * component's cross-parameter checks are reported at the key they concern. Data columns are
 * read here (from the list in the config, or from a CSV file relative to the config's folder),
 * so that the struct holds only numbers. */
#include "io/data_column.h"
#include "rtcascade/network.h"
#include "rtcascade/specs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KEYS 64

/* The table's names (and extras, e.g. "name" for a model) as a NULL-terminated list. */
static rc_status_t key_list(const rc_param_t *table, const char *const *extra, const char *tag,
                            const char **out)
{
    size_t k = 0;
    for (size_t i = 0; extra != NULL && extra[i] != NULL && k < MAX_KEYS; i++)
        out[k++] = extra[i];
    if (tag != NULL && k < MAX_KEYS)
        out[k++] = tag;
    for (size_t i = 0; table[i].name != NULL && k < MAX_KEYS; i++)
        out[k++] = table[i].name;
    if (k >= MAX_KEYS)
        return rc_error(RC_ERR_INTERNAL, "a parameter table has more than %d keys", MAX_KEYS - 1);
    out[k] = NULL;
    return RC_OK;
}

static rc_status_t range_error(const rc_cfg_t *node, const rc_param_t *p)
{
    char range[96];
    rc_param_range_text(p, range, sizeof range);
    return rc_error(RC_ERR_CONFIG, "%s: %s: expected %s%s, got '%s'", rc_cfg_where(node),
                    rc_cfg_path(node), p->type == RC_PARAM_REAL ? "a number " : "", range,
                    rc_cfg_text(node));
}

static rc_status_t fill_real(const rc_cfg_t *node, const rc_param_t *p, double *out)
{
    double v;
    rc_status_t status = rc_cfg_as_double(node, -INFINITY, INFINITY, &v);
    if (status != RC_OK)
        return status;
    const int low = (p->flags & RC_PARAM_ABOVE) ? !(v > p->lo) : v < p->lo;
    const int high = (p->flags & RC_PARAM_BELOW) ? !(v < p->hi) : v > p->hi;
    if (low || high)
        return range_error(node, p);
    *out = v;
    return RC_OK;
}

static rc_status_t fill_uint(const rc_cfg_t *node, const rc_param_t *p, uint64_t max,
                             uint64_t *out)
{
    uint64_t v;
    rc_status_t status = rc_cfg_as_uint64(node, 0, UINT64_MAX, &v);
    if (status != RC_OK)
        return status;
    const uint64_t lo = (uint64_t)p->lo;
    const uint64_t hi = p->hi >= (double)max ? max : (uint64_t)p->hi;
    if (v < lo || v > hi)
        return range_error(node, p);
    *out = v;
    return RC_OK;
}

rc_status_t rc_params_located_error(const rc_cfg_t *map, const char *key, rc_status_t status)
{
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", rc_error_message());
    const rc_cfg_t *node = key != NULL ? rc_cfg_lookup(map, key) : NULL;
    const char *path = rc_cfg_path(map);
    if (key == NULL)
        return rc_error(status, "%s: %s: %s", rc_cfg_where(map), path, msg);
    return rc_error(status, "%s: %s%s%s: %s", rc_cfg_where(node != NULL ? node : map), path,
                    *path ? "." : "", key, msg);
}

/* Which variant of n a node selects (a map with the tag, a number, or a keyless variant's
 * name), into *v. */
static rc_status_t pick_variant(const rc_cfg_t *node, const rc_param_nested_t *n,
                                const rc_param_variant_t **v)
{
    rc_status_t status = RC_OK;
    const char *names[MAX_KEYS];
    size_t nv = 0;
    for (; n->variants[nv].name != NULL && nv + 1 < MAX_KEYS; nv++)
        names[nv] = n->variants[nv].name;
    names[nv] = NULL;
    if (rc_cfg_kind(node) == RC_CFG_SCALAR) {
        const char *text = rc_cfg_text(node);
        for (size_t i = 0; i < nv; i++)
            if (n->variants[i].params[0].name == NULL && strcmp(text, names[i]) == 0) {
                *v = &n->variants[i];
                return RC_OK;
            }
        double x;
        if (n->scalar_number >= 0 && rc_cfg_as_double(node, -INFINITY, INFINITY, &x) == RC_OK) {
            *v = &n->variants[n->scalar_number];
            return RC_OK;
        }
    }
    if (rc_cfg_kind(node) != RC_CFG_MAP) {
        const char *text = rc_cfg_text(node);
        RC_FAIL(RC_ERR_CONFIG, "%s: %s: expected %s, got %s%s%s", rc_cfg_where(node),
                rc_cfg_path(node), n->example, text ? "'" : "",
                text ? text : (rc_cfg_kind(node) == RC_CFG_SEQ ? "a list" : "a map"),
                text ? "'" : "");
    }
    int idx = n->tag_default;
    if (idx < 0)
        RC_TRY(rc_cfg_require(node, n->tag));
    RC_TRY(rc_cfg_choice(node, n->tag, names, idx < 0 ? 0 : idx, &idx));
    *v = &n->variants[idx];
cleanup:
    return status;
}

static rc_status_t fill_table(const rc_param_t *table, const rc_cfg_t *map,
                              const char *const *extra_keys, const char *base_dir, void *out,
                              uint64_t *given);

static rc_status_t fill_variant(const rc_cfg_t *node, const rc_param_t *p, const char *base_dir,
                                void *field)
{
    rc_status_t status = RC_OK;
    const rc_param_nested_t *n = p->nested;
    const rc_param_variant_t *v = NULL;
    const char *key = NULL;
    RC_TRY(pick_variant(node, n, &v));
    memset(field, 0, n->size);
    /* the kind first, so that what a failed fill read is found and released */
    *(int *)((char *)field + n->kind_offset) = v->kind;
    if (rc_cfg_kind(node) == RC_CFG_MAP) {
        const char *tag[] = {n->tag, NULL};
        RC_TRY(fill_table(v->params, node, tag, base_dir, field, NULL));
    } else {
        rc_params_defaults(v->params, field);
        if (v->params[0].name != NULL) /* a number for the first key */
            RC_TRY(fill_real(node, &v->params[0], (double *)((char *)field + v->params[0].offset)));
    }
    *(int *)((char *)field + n->kind_offset) = v->kind;
    if (n->finish != NULL && (status = n->finish(field, &key)) != RC_OK)
        status = rc_params_located_error(node, key, status);
cleanup:
    return status;
}

/* A COLUMN: a list of numbers in the config, or {path, column, group, rows} read from a file
 * (path relative to base_dir). */
static rc_status_t fill_column(const rc_cfg_t *node, const rc_param_t *p, const char *base_dir,
                               rc_param_column_t *out)
{
    rc_status_t status = RC_OK;
    static const char *const keys[] = {"path", "column", "group", "rows", NULL};
    static const char *const rows_names[] = {"all", "first", "rest", NULL};
    const char *path = NULL, *column = NULL, *group = NULL;
    char *full = NULL, range[96];
    int rows = 0;
    double *v = NULL;
    size_t n = 0;
    rc_param_t q = *p;
    q.type = RC_PARAM_REAL;
    rc_param_range_text(&q, range, sizeof range);
    if (rc_cfg_kind(node) == RC_CFG_SEQ) {
        n = rc_cfg_size(node);
        if (n == 0)
            RC_FAIL(RC_ERR_CONFIG, "%s: %s: expected at least one number, got an empty list",
                    rc_cfg_where(node), rc_cfg_path(node));
        v = malloc(n * sizeof *v);
        RC_ALLOC_CHECK(v, "a list of numbers");
        for (size_t i = 0; i < n; i++)
            RC_TRY(fill_real(rc_cfg_at(node, i, NULL), &q, &v[i]));
    } else if (rc_cfg_kind(node) == RC_CFG_MAP) {
        RC_TRY(rc_cfg_check_keys(node, keys));
        RC_TRY(rc_cfg_require(node, "path"));
        RC_TRY(rc_cfg_require(node, "column"));
        RC_TRY(rc_cfg_string(node, "path", NULL, &path));
        RC_TRY(rc_cfg_string(node, "column", NULL, &column));
        RC_TRY(rc_cfg_string(node, "group", NULL, &group));
        RC_TRY(rc_cfg_choice(node, "rows", rows_names, 0, &rows));
        if (rows != RC_COLUMN_ALL && group == NULL)
            RC_FAIL(RC_ERR_CONFIG, "%s: %s.rows: '%s' needs group: (the column that names each "
                    "row's group, e.g. cascade)", rc_cfg_where(rc_cfg_get(node, "rows")),
                    rc_cfg_path(node), rows_names[rows]);
        full = rc_path_join(base_dir, path);
        RC_ALLOC_CHECK(full, "a file name");
        rc_status_t st = rc_data_column_read(full, column, group, rows, &q, &v, &n);
        if (st != RC_OK) {
            char msg[1024];
            snprintf(msg, sizeof msg, "%s", rc_error_message());
            RC_FAIL(st, "%s: %s: %s", rc_cfg_where(rc_cfg_get(node, "path")), rc_cfg_path(node),
                    msg);
        }
    } else {
        RC_FAIL(RC_ERR_CONFIG, "%s: %s: expected a list of numbers%s%s or a map {path: FILE, "
                "column: NAME, group: NAME, rows: all|first|rest}, got '%s'", rc_cfg_where(node),
                rc_cfg_path(node), range[0] ? " " : "", range, rc_cfg_text(node));
    }
    out->values = v;
    out->n = n;
    v = NULL;
cleanup:
    free(v);
    free(full);
    return status;
}

static rc_status_t fill_one(const rc_cfg_t *node, const rc_param_t *p, const char *base_dir,
                            void *field)
{
    rc_status_t status = RC_OK;
    uint64_t u = 0;
    switch (p->type) {
    case RC_PARAM_REAL:
        return fill_real(node, p, field);
    case RC_PARAM_UINT32:
        RC_TRY(fill_uint(node, p, UINT32_MAX, &u));
        *(uint32_t *)field = (uint32_t)u;
        break;
    case RC_PARAM_UINT64:
        return fill_uint(node, p, UINT64_MAX, field);
    case RC_PARAM_BOOL:
    case RC_PARAM_CHOICE:
        return RC_ERR_INTERNAL; /* read by name from the map (rc_params_fill) */
    case RC_PARAM_VARIANT:
        return fill_variant(node, p, base_dir, field);
    case RC_PARAM_COLUMN:
        return fill_column(node, p, base_dir, field);
    }
cleanup:
    return status;
}

static rc_status_t fill_table(const rc_param_t *table, const rc_cfg_t *map,
                              const char *const *extra_keys, const char *base_dir, void *out,
                              uint64_t *given)
{
    rc_status_t status = RC_OK;
    const char *keys[MAX_KEYS + 1];
    if (given != NULL)
        *given = 0;
    RC_TRY(key_list(table, extra_keys, NULL, keys));
    RC_TRY(rc_cfg_check_keys(map, keys));
    rc_params_defaults(table, out);
    for (size_t i = 0; table[i].name != NULL; i++) {
        const rc_param_t *p = &table[i];
        char *field = (char *)out + p->offset;
        if (p->flags & RC_PARAM_REQUIRED)
            RC_TRY(rc_cfg_require(map, p->name));
        const rc_cfg_t *node = rc_cfg_get(map, p->name);
        int present = node != NULL && !(rc_cfg_kind(node) == RC_CFG_SCALAR &&
                                         rc_cfg_is_null(node));
        if (!present)
            continue;
        if (given != NULL && i < 64)
            *given |= (uint64_t)1 << i;
        if (p->type == RC_PARAM_BOOL)
            RC_TRY(rc_cfg_bool(map, p->name, (int)p->def, (int *)field));
        else if (p->type == RC_PARAM_CHOICE)
            RC_TRY(rc_cfg_choice(map, p->name, p->choices, (int)p->def, (int *)field));
        else
            RC_TRY(fill_one(node, p, base_dir, field));
    }
cleanup:
    return status;
}

rc_status_t rc_params_fill_at(const rc_param_t *table, const rc_cfg_t *map,
                              const char *const *extra_keys, const char *base_dir, void *out,
                              uint64_t *given)
{
    rc_status_t status = fill_table(table, map, extra_keys, base_dir, out, given);
    if (status != RC_OK)
        rc_params_release(table, out); /* what was read before the error */
    return status;
}

rc_status_t rc_params_fill(const rc_param_t *table, const rc_cfg_t *map,
                           const char *const *extra_keys, void *out, uint64_t *given)
{
    return rc_params_fill_at(table, map, extra_keys, NULL, out, given);
}
