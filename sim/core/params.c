/* Parameter tables (params.h): defaults, and the reference text that `rtcascade models` and
 * docs/models.md show, written from the same table that the config layer fills structs from,
 * so that what is documented is what is checked. */
#include "rtcascade/params.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t rc_params_count(const rc_param_t *table)
{
    size_t n = 0;
    while (table != NULL && table[n].name != NULL)
        n++;
    return n;
}

const rc_param_t *rc_params_find(const rc_param_t *table, const char *name)
{
    for (size_t i = 0; table != NULL && table[i].name != NULL; i++)
        if (strcmp(table[i].name, name) == 0)
            return &table[i];
    return NULL;
}

void rc_params_defaults(const rc_param_t *table, void *out)
{
    for (size_t i = 0; table != NULL && table[i].name != NULL; i++) {
        const rc_param_t *p = &table[i];
        char *field = (char *)out + p->offset;
        if (p->flags & RC_PARAM_REQUIRED) {
            if (p->type == RC_PARAM_VARIANT)
                memset(field, 0, p->nested->size);
            continue;
        }
        switch (p->type) {
        case RC_PARAM_REAL: *(double *)field = p->def; break;
        case RC_PARAM_UINT32: *(uint32_t *)field = (uint32_t)p->def; break;
        case RC_PARAM_UINT64: *(uint64_t *)field = (uint64_t)p->def; break;
        case RC_PARAM_BOOL:
        case RC_PARAM_CHOICE: *(int *)field = (int)p->def; break;
        case RC_PARAM_VARIANT:
            if (p->nested->absent != NULL)
                memcpy(field, p->nested->absent, p->nested->size);
            else
                memset(field, 0, p->nested->size);
            break;
        case RC_PARAM_COLUMN: memset(field, 0, sizeof(rc_param_column_t)); break;
        }
    }
}

/* The variant whose kind is stored in the nested struct at base (NULL when none matches). */
static const rc_param_variant_t *variant_of(const rc_param_nested_t *n, const void *base)
{
    int kind = *(const int *)((const char *)base + n->kind_offset);
    for (size_t i = 0; n->variants[i].name != NULL; i++)
        if (n->variants[i].kind == kind)
            return &n->variants[i];
    return NULL;
}

void rc_params_release(const rc_param_t *table, void *p)
{
    for (size_t i = 0; p != NULL && table != NULL && table[i].name != NULL; i++) {
        char *field = (char *)p + table[i].offset;
        if (table[i].type == RC_PARAM_COLUMN) {
            rc_param_column_t *col = (rc_param_column_t *)field;
            free(col->values);
            col->values = NULL;
            col->n = 0;
        } else if (table[i].type == RC_PARAM_VARIANT) {
            const rc_param_variant_t *v = variant_of(table[i].nested, field);
            if (v != NULL)
                rc_params_release(v->params, field);
        }
    }
}

/* "%g" of v, with the infinities in words. */
static void number_text(double v, char *buf, size_t len)
{
    if (isinf(v))
        snprintf(buf, len, "%s", v > 0 ? "infinity" : "-infinity");
    else
        snprintf(buf, len, "%g", v);
}

const char *rc_param_range_text(const rc_param_t *p, char *buf, size_t len)
{
    char lo[32], hi[32];
    buf[0] = '\0';
    if (p->type == RC_PARAM_CHOICE) {
        size_t k = 0;
        for (size_t i = 0; p->choices[i] && k + 1 < len; i++)
            k += (size_t)snprintf(buf + k, len - k, "%s%s", i ? "|" : "", p->choices[i]);
        return buf;
    }
    if (p->type == RC_PARAM_BOOL) {
        snprintf(buf, len, "true|false");
        return buf;
    }
    if (p->type == RC_PARAM_COLUMN) {
        char one[96];
        rc_param_t q = *p;
        q.type = RC_PARAM_REAL;
        rc_param_range_text(&q, one, sizeof one);
        snprintf(buf, len, "a list of numbers%s%s, or {path, column, group, rows} to read them "
                 "from a CSV file", one[0] ? " " : "", one);
        return buf;
    }
    if (p->type != RC_PARAM_REAL && p->type != RC_PARAM_UINT32 && p->type != RC_PARAM_UINT64)
        return buf;
    const int integer = p->type != RC_PARAM_REAL;
    const double max = p->type == RC_PARAM_UINT32 ? (double)UINT32_MAX : 18446744073709551615.0;
    const int has_lo = integer ? p->lo > 0 : p->lo > -INFINITY;
    const int has_hi = integer ? p->hi < max : p->hi < INFINITY;
    const char *what = integer ? "an integer " : "";
    number_text(p->lo, lo, sizeof lo);
    number_text(p->hi, hi, sizeof hi);
    if (has_lo && has_hi)
        snprintf(buf, len, "%sin %c%s, %s%c", what, (p->flags & RC_PARAM_ABOVE) ? '(' : '[', lo,
                 hi, (p->flags & RC_PARAM_BELOW) ? ')' : ']');
    else if (has_lo)
        snprintf(buf, len, "%s%s %s", what, (p->flags & RC_PARAM_ABOVE) ? ">" : ">=", lo);
    else if (has_hi)
        snprintf(buf, len, "%s%s %s", what, (p->flags & RC_PARAM_BELOW) ? "<" : "<=", hi);
    return buf;
}

/* The value of a scalar parameter p read from the struct at base, as text. */
static void value_text(const rc_param_t *p, const void *base, char *buf, size_t len)
{
    const char *field = (const char *)base + p->offset;
    switch (p->type) {
    case RC_PARAM_REAL: number_text(*(const double *)field, buf, len); break;
    case RC_PARAM_UINT32: snprintf(buf, len, "%u", *(const uint32_t *)field); break;
    case RC_PARAM_UINT64:
        snprintf(buf, len, "%llu", (unsigned long long)*(const uint64_t *)field);
        break;
    case RC_PARAM_BOOL: snprintf(buf, len, "%s", *(const int *)field ? "true" : "false"); break;
    case RC_PARAM_CHOICE: snprintf(buf, len, "%s", p->choices[*(const int *)field]); break;
    case RC_PARAM_VARIANT: snprintf(buf, len, "{...}"); break;
    case RC_PARAM_COLUMN: snprintf(buf, len, "[...]"); break;
    }
}

const char *rc_param_default_text(const rc_param_t *p, char *buf, size_t len)
{
    if (p->def_text != NULL) {
        snprintf(buf, len, "%s", p->def_text);
    } else if (p->flags & RC_PARAM_REQUIRED) {
        snprintf(buf, len, "required");
    } else if (p->type == RC_PARAM_VARIANT) {
        const rc_param_nested_t *n = p->nested;
        const rc_param_variant_t *v = n->absent ? variant_of(n, n->absent) : NULL;
        if (v == NULL) {
            snprintf(buf, len, "none");
            return buf;
        }
        size_t k = (size_t)snprintf(buf, len, "{%s: %s", n->tag, v->name);
        for (size_t i = 0; v->params[i].name != NULL && k < len; i++) {
            char val[64];
            value_text(&v->params[i], n->absent, val, sizeof val);
            k += (size_t)snprintf(buf + k, len - k, ", %s: %s", v->params[i].name, val);
        }
        if (k < len)
            snprintf(buf + k, len - k, "}");
    } else {
        /* A scalar default: build a struct-less view of it. */
        rc_param_t q = *p;
        union {
            double d;
            uint32_t u32;
            uint64_t u64;
            int i;
        } tmp;
        q.offset = 0;
        switch (p->type) {
        case RC_PARAM_REAL: tmp.d = p->def; break;
        case RC_PARAM_UINT32: tmp.u32 = (uint32_t)p->def; break;
        case RC_PARAM_UINT64: tmp.u64 = (uint64_t)p->def; break;
        default: tmp.i = (int)p->def; break;
        }
        value_text(&q, &tmp, buf, len);
    }
    return buf;
}

/* rc_text_wrap with the lines after the first indented by `hang` instead. */
static int wrap_hanging(FILE *f, const char *text, int indent, int hang, int width)
{
    int col = 0, line = 0;
    const char *s = text;
    while (*s) {
        while (*s == ' ')
            s++;
        size_t w = strcspn(s, " ");
        if (w == 0)
            break;
        if (col > 0 && col + 1 + (int)w > width) {
            fputc('\n', f);
            col = 0;
            line++;
        }
        if (col == 0)
            col = fprintf(f, "%*s", line == 0 ? indent : hang, "");
        else
            col += fprintf(f, " ");
        col += fprintf(f, "%.*s", (int)w, s);
        s += w;
    }
    if (col > 0)
        fputc('\n', f);
    return ferror(f) ? -1 : 0;
}

int rc_text_wrap(FILE *f, const char *text, int indent, int width)
{
    return wrap_hanging(f, text, indent, indent, width);
}

/* "key: RANGE [= DEFAULT]" of every key of variant v, after "{tag: name". */
static void variant_text(const rc_param_nested_t *n, const rc_param_variant_t *v, char *buf,
                         size_t len)
{
    size_t k = (size_t)snprintf(buf, len, "{%s: %s", n->tag, v->name);
    for (size_t i = 0; v->params[i].name != NULL && k < len; i++) {
        const rc_param_t *q = &v->params[i];
        char range[96], def[96];
        rc_param_range_text(q, range, sizeof range);
        k += (size_t)snprintf(buf + k, len - k, ", %s: %s", q->name,
                              range[0] ? range : "a number");
        if (q->unit != NULL && k < len)
            k += (size_t)snprintf(buf + k, len - k, " (%s)", q->unit);
        if (!(q->flags & RC_PARAM_REQUIRED) && k < len)
            k += (size_t)snprintf(buf + k, len - k, " = %s",
                                  rc_param_default_text(q, def, sizeof def));
    }
    if (k < len)
        k += (size_t)snprintf(buf + k, len - k, "}");
    if (v->doc != NULL && k < len)
        snprintf(buf + k, len - k, ": %s", v->doc);
}

rc_status_t rc_params_describe(const rc_param_t *table, FILE *f, int indent, int width)
{
    char def[256], range[128], line[1024];
    for (size_t i = 0; table != NULL && table[i].name != NULL; i++) {
        const rc_param_t *p = &table[i];
        fprintf(f, "%*s%s = %s\n", indent, "", p->name, rc_param_default_text(p, def, sizeof def));
        rc_param_range_text(p, range, sizeof range);
        snprintf(line, sizeof line, "%s%s%s%s%s%s", p->doc, range[0] ? "; " : "", range,
                 p->unit ? " (" : "", p->unit ? p->unit : "", p->unit ? ")" : "");
        if (p->type == RC_PARAM_VARIANT) {
            size_t k = strlen(line);
            snprintf(line + k, sizeof line - k, "; one of:");
        }
        if (rc_text_wrap(f, line, indent + 4, width) != 0)
            return rc_error(RC_ERR_IO, "cannot write the parameter reference");
        if (p->type != RC_PARAM_VARIANT)
            continue;
        const rc_param_nested_t *n = p->nested;
        for (size_t v = 0; n->variants[v].name != NULL; v++) {
            variant_text(n, &n->variants[v], line, sizeof line);
            if (wrap_hanging(f, line, indent + 6, indent + 8, width) != 0)
                return rc_error(RC_ERR_IO, "cannot write the parameter reference");
        }
    }
    return RC_OK;
}
