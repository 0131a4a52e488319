/* Parameters declared as data (core): a model (or any component with settings) describes each
 * of its parameters once, in a table of rc_param_t: name, type, where it lives in the component's
 * typed struct, default, allowed range, unit and a one-line doc, with nested specs (a delay
 * kernel, a distribution) as variants that have keys of their own. From that one table the io
 * layer checks a config section and fills the struct (io/params_cfg.c), programs fill it without
 * any config (rc_params_defaults), and `rtcascade models` / docs/models.md are written
 * (rc_params_describe). Nothing here knows YAML or files: a parameter that holds data (a column
 * of numbers) receives an array that the io layer filled, from the config or from a file. */
#ifndef RTCASCADE_PARAMS_H
#define RTCASCADE_PARAMS_H

#include "rtcascade/error.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum rc_param_type {
    RC_PARAM_REAL = 0, /* double */
    RC_PARAM_UINT32,   /* uint32_t */
    RC_PARAM_UINT64,   /* uint64_t */
    RC_PARAM_BOOL,     /* int, 0 or 1 */
    RC_PARAM_CHOICE,   /* int: the index of the value in `choices` */
    RC_PARAM_VARIANT,  /* a nested struct holding one of several kinds, each with its own keys */
    RC_PARAM_COLUMN    /* rc_param_column_t: numbers given as a list in the config, or read by
                          the io layer from a column of a data file; each value in [lo, hi] */
} rc_param_type_t;

/* The value of a COLUMN parameter: an array owned by the struct that holds it, released by
 * rc_params_release (rc_model_params_free does it for a model's parameters). */
typedef struct rc_param_column {
    double *values; /* n numbers, each within the parameter's range */
    size_t n;       /* >= 1 once filled; 0 and NULL values when not given */
} rc_param_column_t;

/* Flags of a parameter. */
#define RC_PARAM_REQUIRED 1u /* no default: the key must be given */
#define RC_PARAM_ABOVE 2u    /* the lower bound is excluded: value > lo */
#define RC_PARAM_BELOW 4u    /* the upper bound is excluded: value < hi */

typedef struct rc_param rc_param_t;

/* One kind of a nested spec, e.g. the log-normal delay {distribution: lognormal, mu, sigma}. */
typedef struct rc_param_variant {
    const char *name;         /* value of the tag key ("lognormal") */
    int kind;                 /* written into the nested struct's kind field */
    const rc_param_t *params; /* its keys, {NULL}-terminated; offsets are in the nested struct */
    const char *doc;          /* what this kind means, one line; may be NULL */
} rc_param_variant_t;

/* How a VARIANT parameter reads: a map {tag: name, key: value, ...}, or a scalar shorthand. */
typedef struct rc_param_nested {
    const char *tag;                    /* key that names the kind ("distribution", "type") */
    const rc_param_variant_t *variants; /* {NULL}-terminated */
    size_t kind_offset;                 /* offset of the int kind field in the nested struct */
    size_t size;                        /* sizeof the nested struct */
    const void *absent;                 /* its value when the key is not given (size bytes) */
    int tag_default;                    /* variant used when a map has no tag; -1: tag required */
    int scalar_number;                  /* variant that a plain number selects, the number going
                                           to its first key; -1: none. A scalar that names a
                                           variant without keys selects it too. */
    /* Derived values and checks across the nested keys, after they are filled; on failure sets
       the message (without location) and *key to the nested key it concerns (or NULL). */
    rc_status_t (*finish)(void *nested, const char **key);
    const char *example;                /* shown in messages: "{distribution: exponential, ...}" */
} rc_param_nested_t;

struct rc_param {
    const char *name;                 /* config key; NULL ends a table */
    rc_param_type_t type;
    size_t offset;                    /* offsetof the field in the struct being filled */
    unsigned flags;                   /* RC_PARAM_REQUIRED | RC_PARAM_ABOVE | RC_PARAM_BELOW */
    double def;                       /* default: REAL, UINT*, BOOL (0/1), CHOICE (index) */
    double lo, hi;                    /* allowed range of REAL and UINT* (inclusive unless flagged;
                                         +-INFINITY for none) */
    const char *const *choices;       /* CHOICE: the names, NULL-terminated */
    const rc_param_nested_t *nested;  /* VARIANT */
    const char *unit;                 /* "s", "1/s", ... or NULL */
    const char *doc;                  /* one line: what it means */
    const char *def_text;             /* the default in words when the value does not say it
                                         ("none (no horizon)"); NULL: written from def */
};

/* Number of parameters of a {NULL}-terminated table. Cannot fail. */
size_t rc_params_count(const rc_param_t *table);

/* The parameter called name (NULL when there is none). Cannot fail. */
const rc_param_t *rc_params_find(const rc_param_t *table, const char *name);

/* Writes every default of the table into the struct at out (VARIANT: its `absent` value, or
 * zeros; COLUMN: empty). Required parameters are left at zero. Cannot fail. */
void rc_params_defaults(const rc_param_t *table, void *out);

/* Frees the arrays of the COLUMN parameters of the struct at p (in nested variants too, found
 * by their kind) and leaves them empty; the struct itself stays the caller's. NULL p is
 * harmless. Cannot fail. */
void rc_params_release(const rc_param_t *table, void *p);

/* The range of p in words ("in [0, 1]", "> 0", "an integer >= 1"), "" when unrestricted; into
 * buf. Cannot fail. */
const char *rc_param_range_text(const rc_param_t *p, char *buf, size_t len);

/* The default of p in words ("0.1", "constant", "{distribution: exponential, rate: 0.000277778}",
 * "required"), into buf. Cannot fail. */
const char *rc_param_default_text(const rc_param_t *p, char *buf, size_t len);

/* Writes the reference of a table as `rtcascade models` shows it: per parameter a line
 * "KEY = DEFAULT" then its doc, range and unit wrapped to `width` columns, indented by `indent`;
 * for variants, one line per kind with its keys. RC_ERR_IO when f cannot be written. */
rc_status_t rc_params_describe(const rc_param_t *table, FILE *f, int indent, int width);

/* Writes text to f word-wrapped at `width` columns, every line indented by `indent` spaces
 * (a word longer than a line stays whole). Returns 0, or -1 when f cannot be written. */
int rc_text_wrap(FILE *f, const char *text, int indent, int width);

#endif
