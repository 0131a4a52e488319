/* Sweeps: the values of each swept key (lists of any YAML values, linear and logarithmic
 * ranges rounded to 12 significant digits) and their combinations (grid product, last key
 * fastest, or zip), applied to a point's config so that a bad value is reported where the user
 * wrote it. */
#include "io/sweep.h"

#include "rtcascade/experiment.h" /* RC_POINT_BYTES */
#include "rtcascade/memory.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SWEEP_VALUES 1000000ULL

static void free_strings(char **s, size_t n)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        free(s[i]);
    free(s);
}

/* Shortest "%g" text that reads back as exactly v (so 0.1 stays "0.1"). */
static char *format_number(double v)
{
    char buf[64];
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return strdup(buf);
}

/* Values of a range map {from, to, step} or {from, to, num[, log]} as text; with out NULL, only
 * their number (checked, nothing allocated). */
static rc_status_t range_values(const rc_cfg_t *map, char ***out, size_t *len)
{
    static const char *const keys[] = {"from", "to", "step", "num", "log", NULL};
    rc_status_t status = RC_OK;
    double from, to, step = 0;
    uint64_t num = 0;
    int logscale = 0;
    char **vals = NULL;
    size_t n = 0;
    RC_TRY(rc_cfg_check_keys(map, keys));
    RC_TRY(rc_cfg_require(map, "from"));
    RC_TRY(rc_cfg_require(map, "to"));
    RC_TRY(rc_cfg_double(map, "from", 0, -HUGE_VAL, HUGE_VAL, &from));
    RC_TRY(rc_cfg_double(map, "to", 0, -HUGE_VAL, HUGE_VAL, &to));
    RC_TRY(rc_cfg_bool(map, "log", 0, &logscale));
    int has_step = rc_cfg_get(map, "step") != NULL, has_num = rc_cfg_get(map, "num") != NULL;
    if (has_step == has_num)
        RC_FAIL(RC_ERR_CONFIG, "%s: %s: a range needs either step: or num: (got %s)",
                rc_cfg_where(map), rc_cfg_path(map), has_step ? "both" : "neither");
    if (has_step) {
        if (logscale)
            RC_FAIL(RC_ERR_CONFIG, "%s: %s: a log range takes num:, not step:",
                    rc_cfg_where(rc_cfg_get(map, "step")), rc_cfg_path(map));
        RC_TRY(rc_cfg_double(map, "step", 0, -HUGE_VAL, HUGE_VAL, &step));
        if (step == 0 || (to - from) / step < 0)
            RC_FAIL(RC_ERR_CONFIG, "%s: %s.step: a step of %g never gets from %g to %g",
                    rc_cfg_where(rc_cfg_get(map, "step")), rc_cfg_path(map), step, from, to);
        double count = floor((to - from) / step + 1e-9) + 1;
        if (count > (double)MAX_SWEEP_VALUES)
            RC_FAIL(RC_ERR_CONFIG, "%s: %s: %.0f values is too many (at most %llu)",
                    rc_cfg_where(map), rc_cfg_path(map), count,
                    (unsigned long long)MAX_SWEEP_VALUES);
        num = (uint64_t)count;
    } else {
        RC_TRY(rc_cfg_uint64(map, "num", 0, 1, MAX_SWEEP_VALUES, &num));
        if (logscale && (from <= 0 || to <= 0))
            RC_FAIL(RC_ERR_CONFIG, "%s: %s: a log range needs from: and to: > 0 (got %g, %g)",
                    rc_cfg_where(map), rc_cfg_path(map), from, to);
    }
    if (out == NULL) {
        *len = num;
        goto cleanup;
    }
    vals = calloc(num, sizeof *vals);
    RC_ALLOC_CHECK(vals, "sweep values");
    for (n = 0; n < num; n++) {
        double v;
        if (has_step)
            v = from + (double)n * step;
        else if (num == 1)
            v = from;
        else if (logscale)
            v = exp(log(from) + (log(to) - log(from)) * (double)n / (double)(num - 1));
        else
            v = from + (to - from) * (double)n / (double)(num - 1);
        if (n == 0)
            v = from; /* start and end exactly on the bounds the user wrote */
        else if (n == num - 1 && !has_step)
            v = to;
        else {
            /* 12 significant digits: 0.1 + 7 * 0.01 is 0.17, not 0.16999999999999998, and a
             * log range over an integer key lands on integers (10, not 9.999999999999998). */
            char tmp[40];
            snprintf(tmp, sizeof tmp, "%.12g", v);
            v = strtod(tmp, NULL);
        }
        vals[n] = format_number(v);
        RC_ALLOC_CHECK(vals[n], "sweep values");
    }
    *out = vals;
    *len = num;
    vals = NULL;
cleanup:
    free_strings(vals, n);
    return status;
}

/* Number of values of one swept key (a list or a range), checked; nothing is allocated. */
static rc_status_t axis_count(const rc_cfg_t *node, size_t *len)
{
    if (rc_cfg_kind(node) == RC_CFG_MAP)
        return range_values(node, NULL, len);
    if (rc_cfg_kind(node) != RC_CFG_SEQ || rc_cfg_size(node) == 0)
        return rc_error(RC_ERR_CONFIG,
                        "%s: %s: expected a non-empty list of values or a range "
                        "{from:, to:, step:|num:, log:}",
                        rc_cfg_where(node), rc_cfg_path(node));
    *len = rc_cfg_size(node);
    return RC_OK;
}

/* Values of one swept key: a list (any YAML values) or a range map. */
static rc_status_t axis_values(const rc_cfg_t *node, rc_sweep_axis_t *axis)
{
    rc_status_t status = RC_OK;
    if (rc_cfg_kind(node) == RC_CFG_MAP)
        return range_values(node, &axis->values, &axis->len);
    RC_TRY(axis_count(node, &axis->len));
    size_t n = rc_cfg_size(node);
    axis->values = calloc(n, sizeof *axis->values);
    RC_ALLOC_CHECK(axis->values, "sweep values");
    axis->len = n;
    for (size_t i = 0; i < n; i++) {
        axis->values[i] = rc_cfg_to_yaml(rc_cfg_at(node, i, NULL));
        RC_ALLOC_CHECK(axis->values[i], "sweep values");
        size_t l = strlen(axis->values[i]); /* scalars come back as "text\n" */
        if (l > 0 && axis->values[i][l - 1] == '\n' && rc_cfg_kind(rc_cfg_at(node, i, NULL)) == RC_CFG_SCALAR)
            axis->values[i][l - 1] = '\0';
    }
cleanup:
    return status;
}

/* Checks that the first component of a swept key is a top-level key. */
static rc_status_t check_swept_key(const rc_cfg_t *sweep, size_t i, const char *key)
{
    char head[128];
    size_t n = strcspn(key, ".");
    if (n == 0 || n >= sizeof head || key[strlen(key) - 1] == '.')
        goto bad;
    memcpy(head, key, n);
    head[n] = '\0';
    for (size_t k = 0; rc_experiment_keys[k]; k++) {
        if (strcmp(head, rc_experiment_keys[k]) == 0) {
            if (strcmp(head, "sweep") == 0 || strcmp(head, "scenarios") == 0 ||
                strcmp(head, "runs") == 0 || strcmp(head, "seed") == 0 || strcmp(head, "name") == 0 ||
                strcmp(head, "output") == 0)
                return rc_error(RC_ERR_CONFIG, "%s: sweep: '%s' cannot be swept",
                                rc_cfg_where(rc_cfg_at(sweep, i, NULL)), key);
            return RC_OK;
        }
    }
bad:;
    const rc_cfg_t *node = rc_cfg_at(sweep, i, NULL);
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t k = 0; rc_experiment_keys[k]; k++) {
        size_t d = rc_edit_distance(head, rc_experiment_keys[k]);
        if (d < best_d) {
            best_d = d;
            best = rc_experiment_keys[k];
        }
    }
    if (best_d <= 2)
        return rc_error(RC_ERR_CONFIG, "%s: sweep: '%s' does not name a config key (did you mean '%s.%s'?)",
                        rc_cfg_where(node), key, best, key + (n < strlen(key) ? n + 1 : n));
    return rc_error(RC_ERR_CONFIG,
                    "%s: sweep: '%s' does not name a config key (expected a dotted path such as "
                    "model.p or network.mean_degree)",
                    rc_cfg_where(node), key);
}

/* The base config: the given one without scenarios: and sweep:. */
void rc_sweep_free(rc_sweep_t *set)
{
    for (size_t a = 0; a < set->n; a++)
        free_strings(set->axes[a].values, set->axes[a].len);
    free(set->axes);
    memset(set, 0, sizeof *set);
}

/* Parses a sweep map (NULL: no axes, one combination). */
rc_status_t rc_sweep_parse(const rc_cfg_t *sweep, rc_sweep_t *set)
{
    rc_status_t status = RC_OK;
    memset(set, 0, sizeof *set);
    set->combos = 1;
    if (sweep == NULL)
        return RC_OK;
    if (rc_cfg_kind(sweep) != RC_CFG_MAP)
        RC_FAIL(RC_ERR_CONFIG, "%s: %s: expected a map of key.path: [values]", rc_cfg_where(sweep),
                rc_cfg_path(sweep));
    set->axes = calloc(rc_cfg_size(sweep) + 1, sizeof *set->axes);
    RC_ALLOC_CHECK(set->axes, "the sweep");
    /* first the sizes: the points are counted (and their memory checked) before any value of
     * a range of a million is written out */
    uint64_t combos = 1, first = 0;
    int zip = 0;
    for (size_t i = 0; i < rc_cfg_size(sweep); i++) {
        const char *key = NULL;
        const rc_cfg_t *v = rc_cfg_at(sweep, i, &key);
        if (strcmp(key, "mode") == 0) {
            static const char *const modes[] = {"grid", "zip", NULL};
            RC_TRY(rc_cfg_choice(sweep, "mode", modes, 0, &zip));
            continue;
        }
        size_t len = 0;
        RC_TRY(check_swept_key(sweep, i, key));
        RC_TRY(axis_count(v, &len));
        first = first ? first : len;
        if (combos <= RC_MAX_POINTS)
            combos *= len;
    }
    if (zip ? first > RC_MAX_POINTS : combos > RC_MAX_POINTS)
        RC_FAIL(RC_ERR_CONFIG, "%s: %s: more than %llu points", rc_cfg_where(sweep),
                rc_cfg_path(sweep), (unsigned long long)RC_MAX_POINTS);
    {
        char what[96];
        uint64_t points = zip ? first : combos;
        snprintf(what, sizeof what, "a sweep of %llu points", (unsigned long long)points);
        RC_TRY(rc_memory_check(points * (uint64_t)RC_POINT_BYTES, what));
    }
    for (size_t i = 0; i < rc_cfg_size(sweep); i++) {
        const char *key = NULL;
        const rc_cfg_t *v = rc_cfg_at(sweep, i, &key);
        if (strcmp(key, "mode") == 0) {
            set->zip = zip;
            continue;
        }
        set->axes[set->n].key = key;
        RC_TRY(axis_values(v, &set->axes[set->n]));
        set->n++;
    }
    if (set->zip && set->n > 0) {
        set->combos = set->axes[0].len;
        for (size_t a = 1; a < set->n; a++) {
            if (set->axes[a].len != set->combos)
                RC_FAIL(RC_ERR_CONFIG,
                        "%s: %s: mode zip pairs values, but %s has %zu values and %s has %zu",
                        rc_cfg_where(sweep), rc_cfg_path(sweep), set->axes[0].key,
                        set->axes[0].len, set->axes[a].key, set->axes[a].len);
        }
    } else {
        for (size_t a = 0; a < set->n; a++) {
            set->combos *= set->axes[a].len;
            if (set->combos > RC_MAX_POINTS)
                RC_FAIL(RC_ERR_CONFIG, "%s: %s: more than %llu points", rc_cfg_where(sweep),
                        rc_cfg_path(sweep), (unsigned long long)RC_MAX_POINTS);
        }
    }
cleanup:
    return status;
}

const char *rc_value_one_line(const char *v, char *buf, size_t len)
{
    size_t o = 0;
    int multi = v != NULL && strchr(v, '\n') != NULL;
    if (len == 0)
        return buf;
    if (v == NULL)
        v = "";
    if (multi && o + 1 < len)
        buf[o++] = '{';
    for (const char *p = v; *p != '\0' && o + 1 < len; p++) {
        if (*p != '\n') {
            buf[o++] = *p;
            continue;
        }
        while (p[1] == ' ')
            p++;
        if (p[1] != '\0' && o + 2 < len) {
            buf[o++] = ',';
            buf[o++] = ' ';
        }
    }
    if (multi && o + 1 < len)
        buf[o++] = '}';
    buf[o] = '\0';
    if (o + 1 >= len && len > 4 && strlen(v) + (multi ? 2 : 0) > o)
        memcpy(buf + len - 4, "...", 4);
    return buf;
}

/* Appends the words of one sweep's axes to buf (at *len), " x " between axes. */
static void plan_append(char *buf, size_t cap, size_t *len, const rc_sweep_t *set)
{
    if (set->n == 0)
        return;
#define PLAN_PUT(...)                                                                             \
    do {                                                                                           \
        if (*len < cap)                                                                            \
            *len += (size_t)snprintf(buf + *len, cap - *len, __VA_ARGS__);                          \
    } while (0)
    if (*len > 0)
        PLAN_PUT(" x ");
    if (set->zip && set->n > 1) {
        PLAN_PUT("zip(");
        for (size_t a = 0; a < set->n; a++)
            PLAN_PUT("%s%s", a ? ", " : "", set->axes[a].key);
        PLAN_PUT(") (%llu)", (unsigned long long)set->combos);
    } else {
        for (size_t a = 0; a < set->n; a++)
            PLAN_PUT("%s%s (%zu)", a ? " x " : "", set->axes[a].key, set->axes[a].len);
    }
#undef PLAN_PUT
}

char *rc_sweep_plan(const rc_sweep_t *global, const rc_sweep_t *local)
{
    size_t cap = 64;
    for (size_t a = 0; a < global->n; a++)
        cap += strlen(global->axes[a].key) + 32;
    for (size_t a = 0; a < local->n; a++)
        cap += strlen(local->axes[a].key) + 32;
    char *buf = malloc(cap);
    if (buf == NULL)
        return NULL;
    size_t len = 0;
    buf[0] = '\0';
    plan_append(buf, cap, &len, global);
    plan_append(buf, cap, &len, local);
    if (len == 0)
        snprintf(buf, cap, "no sweep");
    return buf;
}

/* Applies combination c of set to cfg (last key fastest in a grid). */
rc_status_t rc_sweep_apply(const rc_sweep_t *set, const rc_cfg_t *sweep, uint64_t c,
                            rc_cfg_t *cfg)
{
    uint64_t rest = c;
    for (size_t a = set->n; a-- > 0;) {
        size_t idx = set->zip ? (size_t)c : (size_t)(rest % set->axes[a].len);
        rest /= set->zip ? 1 : set->axes[a].len;
        const rc_cfg_t *origin = rc_cfg_get(sweep, set->axes[a].key);
        rc_status_t s = rc_cfg_set_from(cfg, set->axes[a].key, set->axes[a].values[idx], origin);
        if (s != RC_OK)
            return s;
    }
    return RC_OK;
}

/* Adds key to the experiment's list of swept keys unless it is there. */
