/* Config tree: a YAML document parsed into maps, sequences and scalars that remember where they
 * came from (file:line:column) and their dotted key path, so every error can name both.
 *
 * Typed getters validate as they read ("network.nodes: expected an integer >= 1, got 'abc'"),
 * rc_cfg_check_keys refuses unknown keys and suggests the nearest valid one, and rc_cfg_set
 * applies a command-line `--set key.path=value` override. */
#ifndef RTCASCADE_CONFIG_H
#define RTCASCADE_CONFIG_H

#include "rtcascade/error.h"

#include <stddef.h>
#include <stdint.h>

typedef enum rc_cfg_kind { RC_CFG_SCALAR, RC_CFG_MAP, RC_CFG_SEQ } rc_cfg_kind_t;

/* Limits on any YAML text read as a config (a file or a --set value), checked as it is read and
 * before what they bound is allocated, so that no config can exhaust the stack or memory;
 * exceeding one is RC_ERR_CONFIG naming file:line:col and the limit. */
#define RC_CFG_MAX_BYTES ((size_t)16 << 20)  /* bytes of one file or --set value */
#define RC_CFG_MAX_DEPTH 64                   /* maps and lists nested in each other */
#define RC_CFG_MAX_KEYS 100000                /* keys of one map */
#define RC_CFG_MAX_ITEMS 1000000              /* items of one list (a sweep's values) */
#define RC_CFG_MAX_NODES 2000000              /* values, maps and lists in one text */
#define RC_CFG_MAX_KEY_LEN 255                /* bytes of one key */
#define RC_CFG_MAX_SCALAR ((size_t)1 << 20)   /* bytes of one value */
#define RC_CFG_MAX_PATHS ((size_t)256 << 20)  /* bytes of the dotted key paths of one text */

typedef struct rc_cfg rc_cfg_t;

/* Parses a YAML file (one document). On error *root is NULL and the message names file:line:col.
 * Duplicate keys are found in time linear in the keys of a map; the RC_CFG_MAX_* limits apply. */
rc_status_t rc_cfg_parse_file(const char *path, rc_cfg_t **root);

/* Parses YAML text; `name` stands for the file name in messages (e.g. "<default study>"). */
rc_status_t rc_cfg_parse_string(const char *text, const char *name, rc_cfg_t **root);

/* Frees a tree (NULL is harmless). */
void rc_cfg_free(rc_cfg_t *root);

/* A deep copy of node (NULL when out of memory, with the message set). */
rc_cfg_t *rc_cfg_copy(const rc_cfg_t *node);

/* Deep-merges `over` into `base` (maps merge key by key; anything else replaces). */
rc_status_t rc_cfg_merge(rc_cfg_t *base, const rc_cfg_t *over);

/* Sets the value at a dotted path ("model.p", "network.nodes"), creating maps on the way. The
 * value is parsed as YAML flow text, so "0.1", "[1, 2]" and "{a: 1}" all work. */
rc_status_t rc_cfg_set(rc_cfg_t *root, const char *dotted_path, const char *value);

/* rc_cfg_set, but the new nodes carry origin's file:line:col (e.g. the sweep entry a value came
 * from), so that a bad value is reported where the user wrote it. */
rc_status_t rc_cfg_set_from(rc_cfg_t *root, const char *dotted_path, const char *value,
                            const rc_cfg_t *origin);

/* Removes `key` from map (with everything below it); returns 1 when it was there. */
int rc_cfg_remove(rc_cfg_t *map, const char *key);

/* Applies "key.path=value" (as given on the command line). */
rc_status_t rc_cfg_set_assignment(rc_cfg_t *root, const char *assignment);

/* Creates an empty map root named `name` (for configs built only from --set). */
rc_cfg_t *rc_cfg_new_map(const char *name);

rc_cfg_kind_t rc_cfg_kind(const rc_cfg_t *node);
/* Scalar text; NULL for maps and sequences. */
const char *rc_cfg_text(const rc_cfg_t *node);
/* "file:line:col" of the node (static per-thread buffer, valid until the next call). */
const char *rc_cfg_where(const rc_cfg_t *node);
/* Dotted key path of the node from the root ("scenarios.handpicked.audience.size"). */
const char *rc_cfg_path(const rc_cfg_t *node);

/* 1 when node is a plain YAML null ("", "~", "null"): a key given without a value, which the
 * getters treat as absent. Quoted text is never null. */
int rc_cfg_is_null(const rc_cfg_t *node);

/* Number of entries of a map or sequence (0 for a scalar). */
size_t rc_cfg_size(const rc_cfg_t *node);
/* i-th entry of a map or sequence; for a map, *key (if non-NULL) receives its key. */
const rc_cfg_t *rc_cfg_at(const rc_cfg_t *node, size_t i, const char **key);
/* Child of a map by key; NULL when absent or node is not a map. */
const rc_cfg_t *rc_cfg_get(const rc_cfg_t *map, const char *key);
/* Node at a dotted path below root; NULL when absent. */
const rc_cfg_t *rc_cfg_lookup(const rc_cfg_t *root, const char *dotted_path);

/* Fails with "<where>: unknown key 'x' in <path> (did you mean 'y'?)" when map has a key not in
 * the NULL-terminated list `allowed`. Fails too when map is not a map. */
rc_status_t rc_cfg_check_keys(const rc_cfg_t *map, const char *const *allowed);

/* Typed getters. `key` is a direct child of map; when absent, *out = def and RC_OK. A present
 * value of the wrong type or outside [lo, hi] is an RC_ERR_CONFIG naming file:line:col, the key,
 * what was expected and what was found. */
rc_status_t rc_cfg_double(const rc_cfg_t *map, const char *key, double def, double lo, double hi,
                          double *out);
rc_status_t rc_cfg_uint64(const rc_cfg_t *map, const char *key, uint64_t def, uint64_t lo,
                          uint64_t hi, uint64_t *out);
rc_status_t rc_cfg_uint32(const rc_cfg_t *map, const char *key, uint32_t def, uint32_t lo,
                          uint32_t hi, uint32_t *out);
rc_status_t rc_cfg_bool(const rc_cfg_t *map, const char *key, int def, int *out);
/* String value (pointer into the tree); def may be NULL. */
rc_status_t rc_cfg_string(const rc_cfg_t *map, const char *key, const char *def, const char **out);
/* One of the NULL-terminated `choices`; *out is its index, def_index when absent. */
rc_status_t rc_cfg_choice(const rc_cfg_t *map, const char *key, const char *const *choices,
                          int def_index, int *out);
/* Fails "<where>: missing required key '<path>.<key>'" when absent. */
rc_status_t rc_cfg_require(const rc_cfg_t *map, const char *key);

/* Parses a scalar as a number/integer with the same messages (for sequence items). */
rc_status_t rc_cfg_as_double(const rc_cfg_t *node, double lo, double hi, double *out);
rc_status_t rc_cfg_as_uint64(const rc_cfg_t *node, uint64_t lo, uint64_t hi, uint64_t *out);

/* Emits node as YAML text (block style); caller frees. NULL when out of memory. */
char *rc_cfg_to_yaml(const rc_cfg_t *node);

/* Levenshtein distance, used for "did you mean" suggestions (exposed for other registries). */
size_t rc_edit_distance(const char *a, const char *b);

#endif
