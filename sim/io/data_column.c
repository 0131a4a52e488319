/* A column of numbers from a CSV file (plain or gzip through zlib, which reads both), for
 * parameters that hold data: a model's empirical follower counts come from here, so that models
 * never open files. Errors name the file and line. */
#include "io/data_column.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define MAX_FIELDS 256

typedef struct col_reader {
    gzFile gz;
    const char *path;
    char *line; /* the current line, '\0'-terminated, fields cut in place */
    size_t cap;
    unsigned long long lineno;
    char *field[MAX_FIELDS];
    int n_fields;
} col_reader_t;

/* Reads the next line into r->line (without its end of line); 0 at the end of the file. */
static rc_status_t next_line(col_reader_t *r, int *got)
{
    size_t len = 0;
    *got = 0;
    for (;;) {
        if (r->cap - len < 2) {
            size_t cap = r->cap ? 2 * r->cap : 4096;
            char *nl = realloc(r->line, cap);
            if (nl == NULL)
                return rc_error(RC_ERR_NOMEM, "%s: out of memory reading a line", r->path);
            r->line = nl;
            r->cap = cap;
        }
        if (gzgets(r->gz, r->line + len, (int)(r->cap - len)) == NULL) {
            int err = 0;
            const char *msg = gzerror(r->gz, &err);
            if (err != Z_OK && err != Z_STREAM_END)
                return rc_error(RC_ERR_INPUT, "%s:%llu: cannot read: %s", r->path, r->lineno + 1,
                                err == Z_ERRNO ? strerror(errno) : msg);
            if (len == 0)
                return RC_OK;
            break;
        }
        len += strlen(r->line + len);
        if (len > 0 && r->line[len - 1] == '\n')
            break;
    }
    while (len > 0 && (r->line[len - 1] == '\n' || r->line[len - 1] == '\r'))
        r->line[--len] = '\0';
    r->lineno++;
    *got = 1;
    return RC_OK;
}

/* Cuts r->line into fields at commas; a field in double quotes may hold commas and "" for a
 * quote. */
static rc_status_t split(col_reader_t *r)
{
    char *s = r->line;
    r->n_fields = 0;
    for (;;) {
        if (r->n_fields == MAX_FIELDS)
            return rc_error(RC_ERR_INPUT, "%s:%llu: expected at most %d columns", r->path,
                            r->lineno, MAX_FIELDS);
        while (*s == ' ' || *s == '\t')
            s++;
        char *out = s, *start = s;
        if (*s == '"') {
            s++;
            for (;;) {
                if (*s == '\0')
                    return rc_error(RC_ERR_INPUT, "%s:%llu: expected a closing quote", r->path,
                                    r->lineno);
                if (*s == '"' && s[1] == '"') {
                    *out++ = '"';
                    s += 2;
                } else if (*s == '"') {
                    s++;
                    break;
                } else {
                    *out++ = *s++;
                }
            }
            while (*s == ' ' || *s == '\t')
                s++;
            if (*s != ',' && *s != '\0')
                return rc_error(RC_ERR_INPUT, "%s:%llu: expected a comma after a quoted field",
                                r->path, r->lineno);
        } else {
            while (*s != ',' && *s != '\0')
                *out++ = *s++;
            while (out > start && (out[-1] == ' ' || out[-1] == '\t'))
                out--;
        }
        int last = *s == '\0';
        *out = '\0';
        r->field[r->n_fields++] = start;
        if (last)
            return RC_OK;
        s++;
    }
}

/* Index of the header field called name, or -1. */
static int find_column(const col_reader_t *r, const char *name)
{
    for (int i = 0; i < r->n_fields; i++)
        if (strcmp(r->field[i], name) == 0)
            return i;
    return -1;
}

/* The number in text, checked against p's range. */
static rc_status_t parse_value(const col_reader_t *r, const char *text, const char *column,
                               const rc_param_t *p, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    int ok = end != text && *end == '\0' && errno != ERANGE && !isnan(v);
    if (ok) {
        int low = (p->flags & RC_PARAM_ABOVE) ? !(v > p->lo) : v < p->lo;
        int high = (p->flags & RC_PARAM_BELOW) ? !(v < p->hi) : v > p->hi;
        ok = !low && !high;
    }
    if (!ok) {
        char range[96];
        rc_param_range_text(p, range, sizeof range);
        return rc_error(RC_ERR_INPUT, "%s:%llu: expected a number%s%s in column '%s', got '%s'",
                        r->path, r->lineno, range[0] ? " " : "", range, column, text);
    }
    *out = v;
    return RC_OK;
}

rc_status_t rc_data_column_read(const char *path, const char *column, const char *group, int rows,
                                const rc_param_t *p, double **values, size_t *n)
{
    rc_status_t status = RC_OK;
    col_reader_t r = {.path = path};
    double *v = NULL;
    char *prev = NULL, *header = NULL;
    size_t len = 0, cap = 0;
    int got = 0, ci, gi = -1, width;
    *values = NULL;
    *n = 0;
    FILE *probe = fopen(path, "rb"); /* gzopen's own failure says nothing about why */
    if (probe == NULL)
        RC_FAIL(RC_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    fclose(probe);
    r.gz = gzopen(path, "rb");
    if (r.gz == NULL)
        RC_FAIL(RC_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    RC_TRY(next_line(&r, &got));
    if (!got)
        RC_FAIL(RC_ERR_INPUT,
                "%s:1: expected a header line naming the columns, got an empty "
                "file",
                path);
    header = strdup(r.line);
    RC_ALLOC_CHECK(header, "a header");
    RC_TRY(split(&r));
    width = r.n_fields;
    ci = find_column(&r, column);
    if (group != NULL)
        gi = find_column(&r, group);
    if (ci < 0 || (group != NULL && gi < 0))
        RC_FAIL(RC_ERR_INPUT, "%s:1: expected a column named '%s' in the header, got '%s'", path,
                ci < 0 ? column : group, header);
    for (;;) {
        RC_TRY(next_line(&r, &got));
        if (!got)
            break;
        if (r.line[0] == '\0')
            continue;
        RC_TRY(split(&r));
        if (r.n_fields != width)
            RC_FAIL(RC_ERR_INPUT, "%s:%llu: expected %d columns as in the header, got %d", path,
                    r.lineno, width, r.n_fields);
        int first = 1;
        if (gi >= 0) {
            first = prev == NULL || strcmp(prev, r.field[gi]) != 0;
            if (first) {
                free(prev);
                prev = strdup(r.field[gi]);
                RC_ALLOC_CHECK(prev, "a group name");
            }
        }
        if ((rows == RC_COLUMN_FIRST && !first) || (rows == RC_COLUMN_REST && first))
            continue;
        if (len == cap) {
            cap = cap ? 2 * cap : 1024;
            double *nv = realloc(v, cap * sizeof *v);
            RC_ALLOC_CHECK(nv, "a data column");
            v = nv;
        }
        RC_TRY(parse_value(&r, r.field[ci], column, p, &v[len]));
        len++;
    }
    if (len == 0)
        RC_FAIL(RC_ERR_INPUT, "%s:%llu: expected at least one value in column '%s'%s, got none",
                path, r.lineno, column,
                rows == RC_COLUMN_FIRST  ? " (first row of each group)"
                : rows == RC_COLUMN_REST ? " (rows after the first of each group)"
                                         : "");
    *values = v;
    *n = len;
    v = NULL;
cleanup:
    if (r.gz != NULL)
        gzclose(r.gz);
    free(r.line);
    free(prev);
    free(header);
    free(v);
    return status;
}
