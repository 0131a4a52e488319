/* YAML config files as a tree of maps, sequences and scalars (libyaml's event parser), with each
 * node's file:line:column and dotted key path kept for error messages; typed getters that
 * validate as they read; --set overrides; deep merge for scenarios; and a YAML emitter for the
 * resolved config written into results files. */
#include "rtcascade/config.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

struct rc_cfg {
    rc_cfg_kind_t kind; /* scalar, map or sequence */
    char *text;         /* scalar text (NULL otherwise) */
    int quoted;         /* scalar was quoted: always a string, never null */
    char *key;          /* key in the parent map; NULL for the root and sequence items */
    char *path;         /* dotted path from the root, "" for the root */
    char *file;         /* file (or pseudo-file such as "--set model.p") it came from */
    unsigned line, col; /* 1-based position in file */
    unsigned kline, kcol; /* position of its key in the parent map (0 when none) */
    size_t len, cap;    /* children of a map or sequence */
    rc_cfg_t **items;
};

/* ---- construction ---- */

static rc_cfg_t *node_new(rc_cfg_kind_t kind, const char *file, unsigned line, unsigned col)
{
    rc_cfg_t *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->kind = kind;
    c->file = strdup(file ? file : "");
    c->path = strdup("");
    c->line = line;
    c->col = col;
    if (c->file == NULL || c->path == NULL) {
        rc_cfg_free(c);
        return NULL;
    }
    return c;
}

void rc_cfg_free(rc_cfg_t *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->len; i++)
        rc_cfg_free(c->items[i]);
    free(c->items);
    free(c->text);
    free(c->key);
    free(c->path);
    free(c->file);
    free(c);
}

static rc_status_t node_append(rc_cfg_t *parent, rc_cfg_t *child)
{
    if (parent->len == parent->cap) {
        size_t cap = parent->cap ? 2 * parent->cap : 8;
        rc_cfg_t **items = realloc(parent->items, cap * sizeof *items);
        if (items == NULL)
            return rc_error(RC_ERR_NOMEM, "out of memory reading a config");
        parent->items = items;
        parent->cap = cap;
    }
    parent->items[parent->len++] = child;
    return RC_OK;
}

/* Sets the key path of c and of everything below it ("model.delay.rate", "sweep.p[2]"). With a
 * budget (a freshly parsed tree), refuses paths that would need more than `*budget` bytes in
 * all (deep trees of long keys make long paths at every node); NULL: no bound. */
static rc_status_t set_paths_budget(rc_cfg_t *c, const char *path, size_t *budget)
{
    size_t n = strlen(path) + 1;
    if (budget != NULL && n > *budget)
        return rc_error(RC_ERR_CONFIG, "%s:%u:%u: the key paths of this config need more than "
                        "%zu MiB (too many keys, too deep)",
                        c->file, c->line, c->col, RC_CFG_MAX_PATHS >> 20);
    if (budget != NULL)
        *budget -= n;
    char *p = strdup(path);
    if (p == NULL)
        return rc_error(RC_ERR_NOMEM, "out of memory reading a config");
    free(c->path);
    c->path = p;
    for (size_t i = 0; i < c->len; i++) {
        rc_cfg_t *ch = c->items[i];
        size_t need = strlen(path) + (ch->key ? strlen(ch->key) : 24) + 4;
        char *cp = malloc(need);
        if (cp == NULL)
            return rc_error(RC_ERR_NOMEM, "out of memory reading a config");
        if (c->kind == RC_CFG_MAP)
            snprintf(cp, need, "%s%s%s", path, *path ? "." : "", ch->key);
        else
            snprintf(cp, need, "%s[%zu]", path, i);
        rc_status_t s = set_paths_budget(ch, cp, budget);
        free(cp);
        if (s != RC_OK)
            return s;
    }
    return RC_OK;
}

/* Recomputes the dotted paths of c and everything below it from `path`. */
static rc_status_t set_paths(rc_cfg_t *c, const char *path)
{
    return set_paths_budget(c, path, NULL);
}

/* ---- parsing ---- */

typedef struct parser {
    yaml_parser_t yp;
    const char *file;
    const char *text; /* the input, to place encoding errors (libyaml gives a byte offset) */
    size_t len;
    unsigned depth;    /* maps and lists open around the node being parsed */
    size_t nodes;      /* nodes made so far */
} parser_t;

/* line:col of byte `offset` of the input (1-based; columns in bytes). */
static void text_position(const parser_t *p, size_t offset, size_t *line, size_t *col)
{
    size_t ln = 1, start = 0;
    if (offset > p->len)
        offset = p->len;
    for (size_t i = 0; i < offset; i++)
        if (p->text[i] == '\n') {
            ln++;
            start = i + 1;
        }
    *line = ln;
    *col = offset - start + 1;
}

static rc_status_t yaml_fail(parser_t *p)
{
    const yaml_mark_t *mk = &p->yp.problem_mark;
    const char *problem = p->yp.problem ? p->yp.problem : "malformed YAML";
    if (p->yp.error == YAML_MEMORY_ERROR)
        return rc_error(RC_ERR_NOMEM, "%s: out of memory reading the YAML", p->file);
    if (p->yp.error == YAML_READER_ERROR) {
        /* an encoding error: libyaml gives a byte offset, not a line */
        size_t line = 1, col = 1;
        text_position(p, p->yp.problem_offset, &line, &col);
        if (p->yp.problem_value >= 0)
            return rc_error(RC_ERR_CONFIG, "%s:%zu:%zu: YAML syntax error: %s (byte 0x%02x)",
                            p->file, line, col, problem, (unsigned)p->yp.problem_value & 0xffu);
        return rc_error(RC_ERR_CONFIG, "%s:%zu:%zu: YAML syntax error: %s", p->file, line, col,
                        problem);
    }
    if (p->yp.context != NULL)
        return rc_error(RC_ERR_CONFIG, "%s:%zu:%zu: YAML syntax error: %s %s", p->file,
                        mk->line + 1, mk->column + 1, problem, p->yp.context);
    return rc_error(RC_ERR_CONFIG, "%s:%zu:%zu: YAML syntax error: %s", p->file, mk->line + 1,
                    mk->column + 1, problem);
}

static rc_status_t next_event(parser_t *p, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&p->yp, ev))
        return yaml_fail(p);
    return RC_OK;
}

/* ---- the keys of one map, for finding a duplicate in linear time ---- */

typedef struct keyset {
    size_t *slot; /* index + 1 of an item of the map; 0 = empty */
    size_t cap;   /* a power of two, at least twice the keys */
} keyset_t;

static size_t key_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (size_t)(h ^ (h >> 32));
}

/* The item of map whose key is `key`, or NULL. */
static const rc_cfg_t *keyset_find(const keyset_t *ks, const rc_cfg_t *map, const char *key)
{
    if (ks->cap == 0)
        return NULL;
    for (size_t i = key_hash(key) & (ks->cap - 1);; i = (i + 1) & (ks->cap - 1)) {
        if (ks->slot[i] == 0)
            return NULL;
        if (strcmp(map->items[ks->slot[i] - 1]->key, key) == 0)
            return map->items[ks->slot[i] - 1];
    }
}

/* Adds item `idx` of map (its last one); keeps the table at most half full. */
static rc_status_t keyset_add(keyset_t *ks, const rc_cfg_t *map, size_t idx)
{
    if (2 * (idx + 1) >= ks->cap) {
        size_t cap = ks->cap ? 2 * ks->cap : 16;
        while (2 * (idx + 1) >= cap)
            cap *= 2;
        size_t *slot = calloc(cap, sizeof *slot);
        if (slot == NULL)
            return rc_error(RC_ERR_NOMEM, "out of memory reading a config");
        free(ks->slot);
        ks->slot = slot;
        ks->cap = cap;
        for (size_t k = 0; k < idx; k++) {
            size_t i = key_hash(map->items[k]->key) & (cap - 1);
            while (slot[i] != 0)
                i = (i + 1) & (cap - 1);
            slot[i] = k + 1;
        }
    }
    size_t i = key_hash(map->items[idx]->key) & (ks->cap - 1);
    while (ks->slot[i] != 0)
        i = (i + 1) & (ks->cap - 1);
    ks->slot[i] = idx + 1;
    return RC_OK;
}

/* A value as messages quote it: at most 60 bytes, control bytes as \xNN, "..." when cut. */
static const char *shown(const char *s, char *buf, size_t len)
{
    size_t k = 0, i = 0;
    for (; s[i] && i < 60 && k + 8 < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            k += (size_t)snprintf(buf + k, len - k, "\\x%02x", c);
        else
            buf[k++] = (char)c;
    }
    if (s[i] && k + 4 < len) {
        memcpy(buf + k, "...", 3);
        k += 3;
    }
    buf[k] = '\0';
    return buf;
}

static rc_status_t parse_node(parser_t *p, yaml_event_t *ev, rc_cfg_t **out);

/* Parses the children of a map or sequence whose start event was just consumed. */
static rc_status_t parse_children(parser_t *p, rc_cfg_t *c)
{
    rc_status_t status = RC_OK;
    yaml_event_t ev;
    keyset_t keys = {NULL, 0};
    char b1[128];
    for (;;) {
        rc_cfg_t *child = NULL, *keynode = NULL;
        RC_TRY(next_event(p, &ev));
        if (ev.type == YAML_MAPPING_END_EVENT || ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            goto cleanup;
        }
        if (c->len >= (c->kind == RC_CFG_MAP ? (size_t)RC_CFG_MAX_KEYS : (size_t)RC_CFG_MAX_ITEMS)) {
            yaml_event_delete(&ev);
            RC_FAIL(RC_ERR_CONFIG, "%s:%u:%u: %s with more than %d %s (the limit)", p->file,
                    c->line, c->col, c->kind == RC_CFG_MAP ? "a map" : "a list",
                    c->kind == RC_CFG_MAP ? RC_CFG_MAX_KEYS : RC_CFG_MAX_ITEMS,
                    c->kind == RC_CFG_MAP ? "keys" : "items");
        }
        if (c->kind == RC_CFG_MAP) {
            RC_TRY(parse_node(p, &ev, &keynode)); /* consumes ev */
            if (keynode->kind != RC_CFG_SCALAR) {
                status = rc_error(RC_ERR_CONFIG, "%s:%u:%u: a key must be a plain name", p->file,
                                  keynode->line, keynode->col);
                rc_cfg_free(keynode);
                goto cleanup;
            }
            if (strlen(keynode->text) > RC_CFG_MAX_KEY_LEN) {
                status = rc_error(RC_ERR_CONFIG,
                                  "%s:%u:%u: a key of %zu bytes ('%s') is longer than the limit "
                                  "of %d bytes",
                                  p->file, keynode->line, keynode->col, strlen(keynode->text),
                                  shown(keynode->text, b1, sizeof b1), RC_CFG_MAX_KEY_LEN);
                rc_cfg_free(keynode);
                goto cleanup;
            }
            const rc_cfg_t *first = keyset_find(&keys, c, keynode->text);
            if (first != NULL) {
                status = rc_error(RC_ERR_CONFIG, "%s:%u:%u: duplicate key '%s' (first at line %u)",
                                  p->file, keynode->line, keynode->col,
                                  shown(keynode->text, b1, sizeof b1),
                                  first->kline ? first->kline : first->line);
                rc_cfg_free(keynode);
                goto cleanup;
            }
            status = next_event(p, &ev);
            if (status == RC_OK)
                status = parse_node(p, &ev, &child);
            if (status != RC_OK) {
                rc_cfg_free(keynode);
                goto cleanup;
            }
            child->key = keynode->text;
            child->kline = keynode->line;
            child->kcol = keynode->col;
            keynode->text = NULL;
            rc_cfg_free(keynode);
        } else {
            RC_TRY(parse_node(p, &ev, &child));
        }
        status = node_append(c, child);
        if (status != RC_OK) {
            rc_cfg_free(child);
            goto cleanup;
        }
        if (c->kind == RC_CFG_MAP)
            RC_TRY(keyset_add(&keys, c, c->len - 1));
    }
cleanup:
    free(keys.slot);
    return status;
}

/* Builds a node from event ev (which it deletes) and, for collections, its children. */
static rc_status_t parse_node(parser_t *p, yaml_event_t *ev, rc_cfg_t **out)
{
    rc_status_t status = RC_OK;
    rc_cfg_t *c = NULL;
    unsigned line = (unsigned)ev->start_mark.line + 1, col = (unsigned)ev->start_mark.column + 1;
    *out = NULL;
    if (++p->nodes > RC_CFG_MAX_NODES)
        RC_FAIL(RC_ERR_CONFIG, "%s:%u:%u: more than %d values, maps and lists (the limit)",
                p->file, line, col, RC_CFG_MAX_NODES);
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        if (ev->data.scalar.length > RC_CFG_MAX_SCALAR)
            RC_FAIL(RC_ERR_CONFIG, "%s:%u:%u: a value of %zu bytes is longer than the limit of %zu",
                    p->file, line, col, ev->data.scalar.length, RC_CFG_MAX_SCALAR);
        c = node_new(RC_CFG_SCALAR, p->file, line, col);
        RC_ALLOC_CHECK(c, "a config node");
        c->text = strndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
        RC_ALLOC_CHECK(c->text, "a config value");
        c->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
        break;
    case YAML_MAPPING_START_EVENT:
    case YAML_SEQUENCE_START_EVENT:
        /* the limit keeps the recursion (and the key paths, which grow with the depth) small */
        if (p->depth >= RC_CFG_MAX_DEPTH)
            RC_FAIL(RC_ERR_CONFIG, "%s:%u:%u: maps and lists nested deeper than %d levels",
                    p->file, line, col, RC_CFG_MAX_DEPTH);
        c = node_new(ev->type == YAML_MAPPING_START_EVENT ? RC_CFG_MAP : RC_CFG_SEQ, p->file, line,
                     col);
        RC_ALLOC_CHECK(c, "a config node");
        p->depth++;
        status = parse_children(p, c);
        p->depth--;
        RC_TRY(status);
        break;
    case YAML_ALIAS_EVENT:
        RC_FAIL(RC_ERR_CONFIG, "%s:%u:%u: YAML aliases (*name) are not supported; write the value out",
                p->file, line, col);
    default:
        RC_FAIL(RC_ERR_CONFIG, "%s:%u:%u: unexpected YAML structure", p->file, line, col);
    }
    *out = c;
    c = NULL;
cleanup:
    yaml_event_delete(ev);
    rc_cfg_free(c);
    return status;
}


static rc_status_t parse_input(parser_t *p, rc_cfg_t **root)
{
    rc_status_t status = RC_OK;
    yaml_event_t ev;
    rc_cfg_t *doc = NULL;
    int depth_done = 0;
    size_t budget = RC_CFG_MAX_PATHS;
    *root = NULL;
    while (!depth_done) {
        RC_TRY(next_event(p, &ev));
        switch (ev.type) {
        case YAML_STREAM_START_EVENT:
        case YAML_DOCUMENT_START_EVENT:
            yaml_event_delete(&ev);
            break;
        case YAML_STREAM_END_EVENT:
            yaml_event_delete(&ev);
            depth_done = 1;
            break;
        case YAML_DOCUMENT_END_EVENT:
            yaml_event_delete(&ev);
            break;
        default:
            if (doc != NULL) {
                unsigned line = (unsigned)ev.start_mark.line + 1;
                yaml_event_delete(&ev);
                RC_FAIL(RC_ERR_CONFIG, "%s:%u: only one YAML document is allowed", p->file, line);
            }
            RC_TRY(parse_node(p, &ev, &doc));
        }
    }
    if (doc == NULL) {
        doc = node_new(RC_CFG_MAP, p->file, 1, 1); /* an empty file is an empty map */
        RC_ALLOC_CHECK(doc, "a config node");
    }
    RC_TRY(set_paths_budget(doc, "", &budget));
    *root = doc;
    doc = NULL;
cleanup:
    rc_cfg_free(doc);
    return status;
}

/* Parses text[0..len) (the whole input, checked against RC_CFG_MAX_BYTES by the callers). */
static rc_status_t parse_text(const char *text, size_t len, const char *name, rc_cfg_t **root)
{
    parser_t p = {.file = name, .text = text, .len = len};
    *root = NULL;
    if (!yaml_parser_initialize(&p.yp))
        return rc_error(RC_ERR_NOMEM, "out of memory starting the YAML parser");
    yaml_parser_set_input_string(&p.yp, (const unsigned char *)text, len);
    rc_status_t s = parse_input(&p, root);
    yaml_parser_delete(&p.yp);
    return s;
}

rc_status_t rc_cfg_parse_string(const char *text, const char *name, rc_cfg_t **root)
{
    size_t len = strlen(text);
    *root = NULL;
    if (len > RC_CFG_MAX_BYTES)
        return rc_error(RC_ERR_CONFIG, "%s: %zu bytes of YAML is more than the limit of %zu MiB",
                        name, len, RC_CFG_MAX_BYTES >> 20);
    return parse_text(text, len, name, root);
}

rc_status_t rc_cfg_parse_file(const char *path, rc_cfg_t **root)
{
    rc_status_t status = RC_OK;
    char *text = NULL;
    size_t len = 0;
    struct stat sb;
    *root = NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return rc_error(RC_ERR_IO, "%s: cannot open config: %s", path, strerror(errno));
    if (fstat(fileno(f), &sb) != 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot read config: %s", path, strerror(errno));
    if (S_ISDIR(sb.st_mode))
        RC_FAIL(RC_ERR_IO, "%s: cannot read config: %s", path, strerror(EISDIR));
    /* read whole, up to one byte past the limit (a pipe has no size): libyaml reports encoding
     * errors as byte offsets, placed in the text */
    size_t cap = S_ISREG(sb.st_mode) && (uint64_t)sb.st_size <= RC_CFG_MAX_BYTES
                     ? (size_t)sb.st_size + 1
                     : RC_CFG_MAX_BYTES + 1;
    text = malloc(cap + 1);
    RC_ALLOC_CHECK(text, "a config");
    for (size_t got; len < cap && (got = fread(text + len, 1, cap - len, f)) > 0;)
        len += got;
    if (ferror(f))
        RC_FAIL(RC_ERR_IO, "%s: cannot read config: %s", path, strerror(errno));
    if (len > RC_CFG_MAX_BYTES)
        RC_FAIL(RC_ERR_CONFIG, "%s: a config of more than %zu MiB (the limit)", path,
                RC_CFG_MAX_BYTES >> 20);
    text[len] = '\0';
    RC_TRY(parse_text(text, len, path, root));
    if (rc_cfg_kind(*root) != RC_CFG_MAP) {
        rc_cfg_free(*root);
        *root = NULL;
        RC_FAIL(RC_ERR_CONFIG, "%s:1:1: a config must be a map of keys (name:, seed:, ...)",
                path);
    }
cleanup:
    free(text);
    fclose(f);
    return status;
}

/* ---- access ---- */

rc_cfg_kind_t rc_cfg_kind(const rc_cfg_t *c)
{
    return c->kind;
}

const char *rc_cfg_text(const rc_cfg_t *c)
{
    return c != NULL && c->kind == RC_CFG_SCALAR ? c->text : NULL;
}

const char *rc_cfg_path(const rc_cfg_t *c)
{
    return c->path;
}

const char *rc_cfg_where(const rc_cfg_t *c)
{
    static _Thread_local char buf[512];
    snprintf(buf, sizeof buf, "%s:%u:%u", c->file, c->line, c->col);
    return buf;
}

size_t rc_cfg_size(const rc_cfg_t *c)
{
    return c->kind == RC_CFG_SCALAR ? 0 : c->len;
}

const rc_cfg_t *rc_cfg_at(const rc_cfg_t *c, size_t i, const char **key)
{
    if (c->kind == RC_CFG_SCALAR || i >= c->len)
        return NULL;
    if (key != NULL)
        *key = c->items[i]->key;
    return c->items[i];
}

const rc_cfg_t *rc_cfg_get(const rc_cfg_t *map, const char *key)
{
    if (map == NULL || map->kind != RC_CFG_MAP)
        return NULL;
    for (size_t i = 0; i < map->len; i++) {
        if (strcmp(map->items[i]->key, key) == 0)
            return map->items[i];
    }
    return NULL;
}

const rc_cfg_t *rc_cfg_lookup(const rc_cfg_t *root, const char *dotted)
{
    const rc_cfg_t *c = root;
    char part[256];
    while (c != NULL && *dotted) {
        const char *dot = strchr(dotted, '.');
        size_t n = dot ? (size_t)(dot - dotted) : strlen(dotted);
        if (n >= sizeof part)
            return NULL;
        memcpy(part, dotted, n);
        part[n] = '\0';
        c = rc_cfg_get(c, part);
        dotted += n + (dot ? 1 : 0);
    }
    return c;
}

int rc_cfg_is_null(const rc_cfg_t *c)
{
    if (c->kind != RC_CFG_SCALAR || c->quoted)
        return 0;
    return c->text[0] == '\0' || strcmp(c->text, "~") == 0 || strcmp(c->text, "null") == 0 ||
           strcmp(c->text, "Null") == 0 || strcmp(c->text, "NULL") == 0;
}

/* "what it is" for messages: the scalar's text (shortened, quoted), or "a map"/"a list". */
static const char *describe(const rc_cfg_t *c, char *buf, size_t len)
{
    if (c->kind == RC_CFG_MAP)
        return "a map";
    if (c->kind == RC_CFG_SEQ)
        return "a list";
    char text[128];
    snprintf(buf, len, "'%s'", shown(c->text, text, sizeof text));
    return buf;
}

static rc_status_t type_error(const rc_cfg_t *c, const char *expected)
{
    char what[160];
    return rc_error(RC_ERR_CONFIG, "%s: %s: expected %s, got %s", rc_cfg_where(c), c->path,
                    expected, describe(c, what, sizeof what));
}

/* Copies s without '_' digit separators (YAML 1.1 allows 1_000_000). */
static int strip_underscores(const char *s, char *buf, size_t len)
{
    size_t k = 0;
    for (; *s; s++) {
        if (*s == '_')
            continue;
        if (k + 1 >= len)
            return 0;
        buf[k++] = *s;
    }
    buf[k] = '\0';
    return 1;
}

/* Whether s is a decimal number as a config writes one: [+-]digits[.digits][e[+-]digits] or
 * [+-].digits[...]. Not hexadecimal (YAML 1.1's 0x10, C's 0x1p3), not inf or nan. */
static int decimal_syntax(const char *s)
{
    int digits = 0;
    if (*s == '+' || *s == '-')
        s++;
    for (; isdigit((unsigned char)*s); s++)
        digits++;
    if (*s == '.')
        for (s++; isdigit((unsigned char)*s); s++)
            digits++;
    if (digits == 0)
        return 0;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (!isdigit((unsigned char)*s))
            return 0;
        while (isdigit((unsigned char)*s))
            s++;
    }
    return *s == '\0';
}

/* Parses a whole string as a finite double: 1, or 0 when it is not a decimal number, or -1 when
 * it is one too large for a double. A number too small for one (1e-320, 1e-400) is the nearest
 * double (subnormal, or 0), as in any language. */
static int text_to_double(const char *s, double *out)
{
    char buf[128], *end = NULL;
    if (!strip_underscores(s, buf, sizeof buf) || !decimal_syntax(buf))
        return 0;
    errno = 0;
    double v = strtod(buf, &end);
    if (*end != '\0')
        return 0;
    if (!isfinite(v) || (errno == ERANGE && fabs(v) > 1.0))
        return -1;
    *out = v;
    return 1;
}

/* Parses a whole string as an unsigned integer; accepts 1e6-style integral values too. */
static int text_to_uint64(const char *s, uint64_t *out)
{
    char buf[128], *end = NULL;
    if (!strip_underscores(s, buf, sizeof buf) || buf[0] == '\0' || buf[0] == '-' ||
        isspace((unsigned char)buf[0]))
        return 0;
    errno = 0;
    unsigned long long v = strtoull(buf, &end, 10);
    if (*end == '\0' && errno == 0) {
        *out = v;
        return 1;
    }
    double d;
    if (text_to_double(buf, &d) == 1 && d >= 0 && d <= 9007199254740992.0 && d == floor(d)) {
        *out = (uint64_t)d;
        return 1;
    }
    return 0;
}

rc_status_t rc_cfg_as_double(const rc_cfg_t *c, double lo, double hi, double *out)
{
    double v;
    int parsed = c->kind == RC_CFG_SCALAR && !c->quoted ? text_to_double(c->text, &v) : 0;
    if (parsed < 0)
        return type_error(c, "a number within +-1.8e308");
    if (parsed == 0)
        return type_error(c, "a number");
    if (v < lo || v > hi) {
        char range[96];
        if (hi == DBL_MAX || hi == INFINITY)
            snprintf(range, sizeof range, "a number >= %g", lo);
        else if (lo == -DBL_MAX || lo == -INFINITY)
            snprintf(range, sizeof range, "a number <= %g", hi);
        else
            snprintf(range, sizeof range, "a number in [%g, %g]", lo, hi);
        return type_error(c, range);
    }
    *out = v;
    return RC_OK;
}

rc_status_t rc_cfg_as_uint64(const rc_cfg_t *c, uint64_t lo, uint64_t hi, uint64_t *out)
{
    uint64_t v;
    if (c->kind != RC_CFG_SCALAR || c->quoted || !text_to_uint64(c->text, &v))
        return type_error(c, "a non-negative integer");
    if (v < lo || v > hi) {
        char range[96];
        if (hi == UINT64_MAX)
            snprintf(range, sizeof range, "an integer >= %llu", (unsigned long long)lo);
        else
            snprintf(range, sizeof range, "an integer in [%llu, %llu]", (unsigned long long)lo,
                     (unsigned long long)hi);
        return type_error(c, range);
    }
    *out = v;
    return RC_OK;
}

rc_status_t rc_cfg_double(const rc_cfg_t *map, const char *key, double def, double lo, double hi,
                          double *out)
{
    const rc_cfg_t *c = rc_cfg_get(map, key);
    if (c == NULL || rc_cfg_is_null(c)) {
        *out = def;
        return RC_OK;
    }
    return rc_cfg_as_double(c, lo, hi, out);
}

rc_status_t rc_cfg_uint64(const rc_cfg_t *map, const char *key, uint64_t def, uint64_t lo,
                          uint64_t hi, uint64_t *out)
{
    const rc_cfg_t *c = rc_cfg_get(map, key);
    if (c == NULL || rc_cfg_is_null(c)) {
        *out = def;
        return RC_OK;
    }
    return rc_cfg_as_uint64(c, lo, hi, out);
}

rc_status_t rc_cfg_uint32(const rc_cfg_t *map, const char *key, uint32_t def, uint32_t lo,
                          uint32_t hi, uint32_t *out)
{
    uint64_t v;
    rc_status_t s = rc_cfg_uint64(map, key, def, lo, hi, &v);
    if (s == RC_OK)
        *out = (uint32_t)v;
    return s;
}

rc_status_t rc_cfg_bool(const rc_cfg_t *map, const char *key, int def, int *out)
{
    static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "on", "On", NULL};
    static const char *const no[] = {"false", "False", "FALSE", "no", "No", "off", "Off", NULL};
    const rc_cfg_t *c = rc_cfg_get(map, key);
    if (c == NULL || rc_cfg_is_null(c)) {
        *out = def;
        return RC_OK;
    }
    if (c->kind == RC_CFG_SCALAR && !c->quoted) {
        for (int i = 0; yes[i]; i++) {
            if (strcmp(c->text, yes[i]) == 0) {
                *out = 1;
                return RC_OK;
            }
            if (strcmp(c->text, no[i]) == 0) {
                *out = 0;
                return RC_OK;
            }
        }
    }
    return type_error(c, "true or false");
}

rc_status_t rc_cfg_string(const rc_cfg_t *map, const char *key, const char *def, const char **out)
{
    const rc_cfg_t *c = rc_cfg_get(map, key);
    if (c == NULL || rc_cfg_is_null(c)) {
        *out = def;
        return RC_OK;
    }
    if (c->kind != RC_CFG_SCALAR)
        return type_error(c, "a text value");
    *out = c->text;
    return RC_OK;
}

/* Closest of `choices` to `word` within a small edit distance, or NULL. */
static const char *nearest(const char *word, const char *const *choices)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; choices[i]; i++) {
        size_t d = rc_edit_distance(word, choices[i]);
        if (d < best_d) {
            best_d = d;
            best = choices[i];
        }
    }
    size_t limit = strlen(word) / 3 + 2;
    return best_d <= limit ? best : NULL;
}

/* "a, b, c" of choices into buf. */
static const char *join(const char *const *choices, char *buf, size_t len)
{
    size_t k = 0;
    buf[0] = '\0';
    for (size_t i = 0; choices[i] && k + 1 < len; i++)
        k += (size_t)snprintf(buf + k, len - k, "%s%s", i ? ", " : "", choices[i]);
    return buf;
}

rc_status_t rc_cfg_choice(const rc_cfg_t *map, const char *key, const char *const *choices,
                          int def_index, int *out)
{
    const rc_cfg_t *c = rc_cfg_get(map, key);
    if (c == NULL || rc_cfg_is_null(c)) {
        *out = def_index;
        return RC_OK;
    }
    char list[1024], text[128];
    if (c->kind != RC_CFG_SCALAR)
        return type_error(c, "one of the names listed in the docs");
    for (int i = 0; choices[i]; i++) {
        if (strcmp(c->text, choices[i]) == 0) {
            *out = i;
            return RC_OK;
        }
    }
    const char *guess = nearest(c->text, choices);
    if (guess != NULL)
        return rc_error(RC_ERR_CONFIG, "%s: %s: unknown value '%s' (did you mean '%s'? valid: %s)",
                        rc_cfg_where(c), c->path, shown(c->text, text, sizeof text), guess,
                        join(choices, list, sizeof list));
    return rc_error(RC_ERR_CONFIG, "%s: %s: unknown value '%s' (valid: %s)", rc_cfg_where(c),
                    c->path, shown(c->text, text, sizeof text), join(choices, list, sizeof list));
}

rc_status_t rc_cfg_require(const rc_cfg_t *map, const char *key)
{
    const rc_cfg_t *c = rc_cfg_get(map, key);
    if (c != NULL && !rc_cfg_is_null(c))
        return RC_OK;
    return rc_error(RC_ERR_CONFIG, "%s: missing required key '%s%s%s'", rc_cfg_where(map),
                    map->path, *map->path ? "." : "", key);
}

rc_status_t rc_cfg_check_keys(const rc_cfg_t *map, const char *const *allowed)
{
    if (map->kind != RC_CFG_MAP)
        return type_error(map, "a map of keys");
    char list[1024], text[128];
    for (size_t i = 0; i < map->len; i++) {
        const rc_cfg_t *c = map->items[i];
        int ok = 0;
        for (size_t j = 0; allowed[j] && !ok; j++)
            ok = strcmp(c->key, allowed[j]) == 0;
        if (ok)
            continue;
        const char *guess = nearest(c->key, allowed);
        const char *where = *map->path ? map->path : "the config";
        char pos[512];
        snprintf(pos, sizeof pos, "%s:%u:%u", c->file, c->kline ? c->kline : c->line,
                 c->kline ? c->kcol : c->col);
        if (guess != NULL)
            return rc_error(RC_ERR_CONFIG, "%s: unknown key '%s' in %s (did you mean '%s'?)", pos,
                            shown(c->key, text, sizeof text), where, guess);
        return rc_error(RC_ERR_CONFIG, "%s: unknown key '%s' in %s (valid keys: %s)", pos,
                        shown(c->key, text, sizeof text), where, join(allowed, list, sizeof list));
    }
    return RC_OK;
}

size_t rc_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return la > lb ? la : lb;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = diag + cost;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* ---- modification ---- */

rc_cfg_t *rc_cfg_new_map(const char *name)
{
    rc_cfg_t *c = node_new(RC_CFG_MAP, name, 1, 1);
    if (c == NULL)
        rc_error(RC_ERR_NOMEM, "out of memory creating a config");
    return c;
}

rc_cfg_t *rc_cfg_copy(const rc_cfg_t *src)
{
    rc_cfg_t *c = node_new(src->kind, src->file, src->line, src->col);
    if (c == NULL)
        goto fail;
    c->quoted = src->quoted;
    c->kline = src->kline;
    c->kcol = src->kcol;
    if ((src->text && (c->text = strdup(src->text)) == NULL) ||
        (src->key && (c->key = strdup(src->key)) == NULL))
        goto fail;
    free(c->path);
    if ((c->path = strdup(src->path)) == NULL)
        goto fail;
    for (size_t i = 0; i < src->len; i++) {
        rc_cfg_t *ch = rc_cfg_copy(src->items[i]);
        if (ch == NULL || node_append(c, ch) != RC_OK) {
            rc_cfg_free(ch);
            goto fail;
        }
    }
    return c;
fail:
    rc_cfg_free(c);
    rc_error(RC_ERR_NOMEM, "out of memory copying a config");
    return NULL;
}

/* Puts `value` (owned from now on) under `key` of map, replacing any previous entry. */
static rc_status_t map_put(rc_cfg_t *map, const char *key, rc_cfg_t *value)
{
    free(value->key);
    value->key = strdup(key);
    if (value->key == NULL) {
        rc_cfg_free(value);
        return rc_error(RC_ERR_NOMEM, "out of memory changing a config");
    }
    size_t need = strlen(map->path) + strlen(key) + 2;
    char *path = malloc(need);
    if (path == NULL) {
        rc_cfg_free(value);
        return rc_error(RC_ERR_NOMEM, "out of memory changing a config");
    }
    snprintf(path, need, "%s%s%s", map->path, *map->path ? "." : "", key);
    rc_status_t s = set_paths(value, path);
    free(path);
    if (s != RC_OK) {
        rc_cfg_free(value);
        return s;
    }
    for (size_t i = 0; i < map->len; i++) {
        if (strcmp(map->items[i]->key, key) == 0) {
            rc_cfg_free(map->items[i]);
            map->items[i] = value;
            return RC_OK;
        }
    }
    s = node_append(map, value);
    if (s != RC_OK)
        rc_cfg_free(value);
    return s;
}

rc_status_t rc_cfg_merge(rc_cfg_t *base, const rc_cfg_t *over)
{
    if (base->kind != RC_CFG_MAP || over->kind != RC_CFG_MAP)
        return rc_error(RC_ERR_INTERNAL, "rc_cfg_merge needs two maps");
    for (size_t i = 0; i < over->len; i++) {
        const rc_cfg_t *o = over->items[i];
        rc_cfg_t *b = (rc_cfg_t *)rc_cfg_get(base, o->key);
        rc_status_t s;
        if (b != NULL && b->kind == RC_CFG_MAP && o->kind == RC_CFG_MAP) {
            s = rc_cfg_merge(b, o);
        } else {
            rc_cfg_t *copy = rc_cfg_copy(o);
            if (copy == NULL)
                return RC_ERR_NOMEM;
            s = map_put(base, o->key, copy);
        }
        if (s != RC_OK)
            return s;
    }
    return RC_OK;
}

/* Gives node and everything below it origin's file and position. */
static rc_status_t relocate(rc_cfg_t *c, const rc_cfg_t *origin)
{
    char *f = strdup(origin->file);
    if (f == NULL)
        return rc_error(RC_ERR_NOMEM, "out of memory changing a config");
    free(c->file);
    c->file = f;
    c->line = origin->line;
    c->col = origin->col;
    c->kline = c->kcol = 0;
    for (size_t i = 0; i < c->len; i++) {
        rc_status_t s = relocate(c->items[i], origin);
        if (s != RC_OK)
            return s;
    }
    return RC_OK;
}

static rc_status_t set_value(rc_cfg_t *root, const char *dotted, const char *value,
                             const rc_cfg_t *origin);

rc_status_t rc_cfg_set(rc_cfg_t *root, const char *dotted, const char *value)
{
    return set_value(root, dotted, value, NULL);
}

rc_status_t rc_cfg_set_from(rc_cfg_t *root, const char *dotted, const char *value,
                            const rc_cfg_t *origin)
{
    return set_value(root, dotted, value, origin);
}

static rc_status_t set_value(rc_cfg_t *root, const char *dotted, const char *value,
                             const rc_cfg_t *from)
{
    rc_status_t status = RC_OK;
    rc_cfg_t *val = NULL;
    char *origin = NULL;
    size_t need = strlen(dotted) + 8;
    origin = malloc(need);
    RC_ALLOC_CHECK(origin, "a config override");
    snprintf(origin, need, "--set %s", dotted);
    if (*dotted == '\0' || dotted[0] == '.' || dotted[strlen(dotted) - 1] == '.' ||
        strstr(dotted, "..") != NULL)
        RC_FAIL(RC_ERR_ARGUMENT, "--set: '%s' is not a dotted key path such as model.p", dotted);
    RC_TRY(rc_cfg_parse_string(value, origin, &val));
    if (val->kind == RC_CFG_MAP && val->len == 0 && strchr(value, '{') == NULL) {
        /* An empty value parses as an empty document: keep it as an empty scalar. */
        rc_cfg_t *empty = node_new(RC_CFG_SCALAR, origin, 1, 1);
        RC_ALLOC_CHECK(empty, "a config value");
        empty->text = strdup("");
        RC_ALLOC_CHECK(empty->text, "a config value");
        rc_cfg_free(val);
        val = empty;
    }
    if (from != NULL)
        RC_TRY(relocate(val, from));
    rc_cfg_t *map = root;
    const char *p = dotted;
    for (;;) {
        const char *dot = strchr(p, '.');
        if (dot == NULL)
            break;
        char part[256];
        size_t n = (size_t)(dot - p);
        if (n >= sizeof part)
            RC_FAIL(RC_ERR_ARGUMENT, "--set: key path '%s' is too long", dotted);
        memcpy(part, p, n);
        part[n] = '\0';
        rc_cfg_t *next = (rc_cfg_t *)rc_cfg_get(map, part);
        if (next == NULL) {
            next = node_new(RC_CFG_MAP, origin, 1, 1);
            RC_ALLOC_CHECK(next, "a config node");
            RC_TRY(map_put(map, part, next));
        } else if (next->kind != RC_CFG_MAP) {
            RC_FAIL(RC_ERR_ARGUMENT, "--set %s: '%s' is %s, not a map of keys", dotted, next->path,
                    next->kind == RC_CFG_SEQ ? "a list" : "a single value");
        }
        map = next;
        p = dot + 1;
    }
    status = map_put(map, p, val);
    val = NULL;
cleanup:
    rc_cfg_free(val);
    free(origin);
    return status;
}

int rc_cfg_remove(rc_cfg_t *map, const char *key)
{
    if (map->kind != RC_CFG_MAP)
        return 0;
    for (size_t i = 0; i < map->len; i++) {
        if (strcmp(map->items[i]->key, key) == 0) {
            rc_cfg_free(map->items[i]);
            memmove(map->items + i, map->items + i + 1, (map->len - i - 1) * sizeof *map->items);
            map->len--;
            return 1;
        }
    }
    return 0;
}

rc_status_t rc_cfg_set_assignment(rc_cfg_t *root, const char *assignment)
{
    const char *eq = strchr(assignment, '=');
    if (eq == NULL || eq == assignment)
        return rc_error(RC_ERR_ARGUMENT, "--set: expected key.path=value, got '%s'", assignment);
    char key[512];
    size_t n = (size_t)(eq - assignment);
    if (n >= sizeof key)
        return rc_error(RC_ERR_ARGUMENT, "--set: key path too long in '%s'", assignment);
    memcpy(key, assignment, n);
    key[n] = '\0';
    return rc_cfg_set(root, key, eq + 1);
}

/* ---- emitting ---- */

typedef struct sbuf {
    char *s;
    size_t len, cap;
    int fail;
} sbuf_t;

static void sb_put(sbuf_t *b, const char *s, size_t n)
{
    if (b->fail)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->cap + n + 1) * 2;
        char *ns = realloc(b->s, cap);
        if (ns == NULL) {
            b->fail = 1;
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void sb_str(sbuf_t *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

static void sb_indent(sbuf_t *b, int n)
{
    for (int i = 0; i < n; i++)
        sb_put(b, " ", 1);
}

/* Length of the UTF-8 character at t that a YAML reader does not accept raw (C0 and C1
 * controls, DEL, U+FFFE/U+FFFF) or reads as a line break (NEL, U+2028, U+2029); 0 when t starts
 * with an ordinary character. */
static size_t special_char(const unsigned char *t)
{
    if (t[0] < 0x20 || t[0] == 0x7f)
        return 1;
    if (t[0] == 0xc2 && t[1] >= 0x80 && t[1] <= 0x9f)
        return 2;
    if (t[0] == 0xe2 && t[1] == 0x80 && (t[2] == 0xa8 || t[2] == 0xa9))
        return 3;
    if (t[0] == 0xef && t[1] == 0xbf && (t[2] == 0xbe || t[2] == 0xbf))
        return 3;
    return 0;
}

/* Whether text (a key, or an unquoted value) must be double-quoted to read back as itself: it
 * is empty, starts or ends with a space, starts with an indicator or a document marker, holds a
 * character plain YAML gives a meaning to, or a special character. A negative number stays
 * plain. */
static int needs_quotes(const char *t)
{
    size_t n = strlen(t);
    if (n == 0 || isspace((unsigned char)t[0]) || isspace((unsigned char)t[n - 1]))
        return 1;
    if (strpbrk(t, ":#{}[],&*!|>'\"%@`\\") != NULL || t[0] == '?')
        return 1;
    /* "---" and "..." open or end a YAML document wherever a line starts with them (a lone
     * scalar is written at a line's start: fuzz_config found "..." read back as nothing) */
    if (n >= 3 && (strncmp(t, "---", 3) == 0 || strncmp(t, "...", 3) == 0))
        return 1;
    double d;
    if (t[0] == '-' && text_to_double(t, &d) != 1)
        return 1;
    for (const unsigned char *u = (const unsigned char *)t; *u; u++)
        if (special_char(u))
            return 1;
    return 0;
}

/* Writes t double-quoted, with YAML escapes for quotes, backslashes and special characters. */
static void emit_quoted(sbuf_t *b, const char *text)
{
    const unsigned char *t = (const unsigned char *)text;
    sb_put(b, "\"", 1);
    while (*t) {
        char esc[16];
        size_t n = special_char(t);
        if (*t == '"' || *t == '\\') {
            esc[0] = '\\', esc[1] = (char)*t, esc[2] = '\0';
            sb_str(b, esc);
        } else if (n == 1 && *t == '\n') {
            sb_str(b, "\\n");
        } else if (n == 1 && *t == '\t') {
            sb_str(b, "\\t");
        } else if (n == 1 && *t == '\r') {
            sb_str(b, "\\r");
        } else if (n == 1) {
            snprintf(esc, sizeof esc, "\\x%02x", *t);
            sb_str(b, esc);
        } else if (n == 2) {
            snprintf(esc, sizeof esc, "\\x%02x", t[1]); /* U+0080..U+009F */
            sb_str(b, esc);
        } else if (n == 3) {
            unsigned cp = ((unsigned)(t[0] & 0x0f) << 12) | ((unsigned)(t[1] & 0x3f) << 6) |
                          (unsigned)(t[2] & 0x3f);
            snprintf(esc, sizeof esc, "\\u%04x", cp);
            sb_str(b, esc);
        } else {
            sb_put(b, (const char *)t, 1);
            n = 1;
        }
        t += n ? n : 1;
    }
    sb_put(b, "\"", 1);
}

/* Writes a scalar, double-quoted when it was quoted or plain YAML would misread it. */
static void emit_scalar(sbuf_t *b, const rc_cfg_t *c)
{
    if (!c->quoted && c->text[0] == '\0')
        sb_str(b, "null"); /* a key given without a value */
    else if (c->quoted || needs_quotes(c->text))
        emit_quoted(b, c->text);
    else
        sb_str(b, c->text);
}

/* Writes a key, double-quoted when plain YAML would misread it ("#x", "k: v", "- a"). */
static void emit_key(sbuf_t *b, const char *key)
{
    if (needs_quotes(key))
        emit_quoted(b, key);
    else
        sb_str(b, key);
}

/* Flow style for a list of scalars ([1, 2, 3]), block style otherwise. */
static int all_scalars(const rc_cfg_t *c)
{
    for (size_t i = 0; i < c->len; i++)
        if (c->items[i]->kind != RC_CFG_SCALAR)
            return 0;
    return 1;
}

static void emit(sbuf_t *b, const rc_cfg_t *c, int indent)
{
    for (size_t i = 0; i < c->len; i++) {
        const rc_cfg_t *ch = c->items[i];
        sb_indent(b, indent);
        if (c->kind == RC_CFG_MAP) {
            emit_key(b, ch->key);
            sb_str(b, ":");
        } else {
            sb_str(b, "-");
        }
        if (ch->kind == RC_CFG_SCALAR) {
            sb_str(b, " ");
            emit_scalar(b, ch);
            sb_str(b, "\n");
        } else if (ch->len == 0) {
            sb_str(b, ch->kind == RC_CFG_MAP ? " {}\n" : " []\n");
        } else if (ch->kind == RC_CFG_SEQ && all_scalars(ch)) {
            sb_str(b, " [");
            for (size_t j = 0; j < ch->len; j++) {
                if (j)
                    sb_str(b, ", ");
                emit_scalar(b, ch->items[j]);
            }
            sb_str(b, "]\n");
        } else {
            sb_str(b, "\n");
            emit(b, ch, indent + 2);
        }
    }
}

char *rc_cfg_to_yaml(const rc_cfg_t *c)
{
    sbuf_t b = {0};
    sb_str(&b, "");
    if (c->kind == RC_CFG_SCALAR) {
        emit_scalar(&b, c);
        sb_str(&b, "\n");
    } else if (c->len == 0) {
        sb_str(&b, c->kind == RC_CFG_MAP ? "{}\n" : "[]\n");
    } else {
        emit(&b, c, 0);
    }
    if (b.fail) {
        free(b.s);
        rc_error(RC_ERR_NOMEM, "out of memory writing a config");
        return NULL;
    }
    return b.s;
}
