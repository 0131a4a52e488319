/* CSV reader for observed cascades (rc_cascades_read): plain or gzip through zlib, which tells
 * them apart by content; a header naming the columns; one row per event, the rows of a cascade
 * contiguous and sorted by time. Every rule broken is reported as "path:line: expected ...",
 * in the style of the edge-list loader (sim/graph/load_edgelist.c). */
#include "cascades_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define RD_CHUNK (1u << 20)    /* bytes asked of gzread at a time */
#define RD_MAX_LINE (1u << 20) /* a longer line is surely not a cascade row */
#define RD_MAX_FIELDS 64       /* columns a header may have */
#define RD_MAX_ID 256          /* bytes of a cascade id */
#define RD_SHOWN 40            /* characters of a bad token quoted in a message */

typedef struct rd_field {
    const char *p, *e;
} rd_field_t;

/* A growable array of doubles or of size_t (elem bytes each). */
typedef struct rd_vec {
    void *a;
    size_t len, cap, elem;
} rd_vec_t;

static rc_status_t rd_push(rd_vec_t *v, const void *x, const char *what)
{
    rc_status_t status = RC_OK;
    if (v->len == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 1024;
        void *a = realloc(v->a, cap * v->elem);
        RC_ALLOC_CHECK(a, what);
        v->a = a;
        v->cap = cap;
    }
    memcpy((char *)v->a + v->len * v->elem, x, v->elem);
    v->len++;
cleanup:
    return status;
}

typedef struct rd_state {
    const char *path;
    unsigned long long line; /* current line, 1-based */
    rc_cascades_read_options_t opt;
    int ncol;                         /* columns in the header; 0 before it */
    int icas, itime, imark, iobs;     /* column indices, -1 when absent */
    rd_vec_t time, mark, offset, obs; /* events kept; cascade starts; T_c */
    rd_vec_t ids;                     /* id text, '\0'-terminated, in cascade order */
    rd_vec_t id_at;                   /* offset of each cascade's id in ids */
    uint32_t *table;                  /* open addressing: cascade index + 1, 0 = empty */
    size_t table_mask;
    int in_cascade;          /* a cascade is open */
    double last_time, cur_T; /* the open cascade's last time and T_c (NAN: default) */
    size_t cur_rows, cur_kept;
    int cur_capped; /* the open cascade lost rows to max_events */
    size_t n_dropped;
} rd_state_t;

static const char *rd_show(const char *p, const char *e, char *buf, size_t len)
{
    size_t k = 0, limit = len - 4 < RD_SHOWN ? len - 4 : RD_SHOWN;
    for (; p < e && k < limit; p++)
        buf[k++] = (unsigned char)*p < 0x20 || (unsigned char)*p == 0x7f ? '?' : *p;
    if (p < e) {
        memcpy(buf + k, "...", 3);
        k += 3;
    }
    buf[k] = '\0';
    return buf;
}

static int rd_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Splits [p, e) at commas into trimmed, unquoted fields; returns how many (only the first
 * RD_MAX_FIELDS are stored). */
static int rd_split(const char *p, const char *e, rd_field_t *f)
{
    int nf = 0;
    for (;;) {
        const char *t = p;
        while (p < e && *p != ',')
            p++;
        const char *te = p;
        while (t < te && rd_is_space(*t))
            t++;
        while (te > t && rd_is_space(te[-1]))
            te--;
        if (te - t >= 2 && *t == '"' && te[-1] == '"') {
            t++;
            te--;
        }
        if (nf < RD_MAX_FIELDS)
            f[nf] = (rd_field_t){t, te};
        nf++;
        if (p == e)
            return nf;
        p++;
    }
}

/* strtod over the whole token: 1 when it is a number (inf and nan parse as numbers). */
static int rd_number(rd_field_t f, double *out)
{
    char buf[128];
    size_t len = (size_t)(f.e - f.p);
    if (len == 0 || len >= sizeof buf)
        return 0;
    memcpy(buf, f.p, len);
    buf[len] = '\0';
    char *end = NULL;
    *out = strtod(buf, &end);
    return end == buf + len;
}

static uint64_t rd_hash(const char *p, size_t len)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    return h;
}

static const char *rd_id(const rd_state_t *S, size_t c)
{
    return (const char *)S->ids.a + ((const size_t *)S->id_at.a)[c];
}

/* The cascade index whose id is [p, p+len), or SIZE_MAX. */
static size_t rd_find(const rd_state_t *S, const char *p, size_t len)
{
    if (S->table == NULL)
        return SIZE_MAX;
    for (size_t s = rd_hash(p, len) & S->table_mask;; s = (s + 1) & S->table_mask) {
        uint32_t k = S->table[s];
        if (k == 0)
            return SIZE_MAX;
        const char *id = rd_id(S, k - 1);
        if (strlen(id) == len && memcmp(id, p, len) == 0)
            return k - 1;
    }
}

/* Adds cascade c (its id already stored) to the table, doubling it when half full. */
static rc_status_t rd_remember(rd_state_t *S, size_t c)
{
    rc_status_t status = RC_OK;
    if (2 * (c + 1) > S->table_mask) {
        size_t cap = S->table ? 2 * (S->table_mask + 1) : 1024;
        uint32_t *t = calloc(cap, sizeof *t);
        RC_ALLOC_CHECK(t, "the cascade id table");
        free(S->table);
        S->table = t;
        S->table_mask = cap - 1;
        for (size_t k = 0; k < c; k++) {
            const char *id = rd_id(S, k);
            size_t s = rd_hash(id, strlen(id)) & S->table_mask;
            while (S->table[s])
                s = (s + 1) & S->table_mask;
            S->table[s] = (uint32_t)(k + 1);
        }
    }
    const char *id = rd_id(S, c);
    size_t s = rd_hash(id, strlen(id)) & S->table_mask;
    while (S->table[s])
        s = (s + 1) & S->table_mask;
    S->table[s] = (uint32_t)(c + 1);
cleanup:
    return status;
}

/* Closes the open cascade: its T_c, and the check that it kept an event. */
static rc_status_t rd_finish(rd_state_t *S)
{
    rc_status_t status = RC_OK;
    if (!S->in_cascade)
        return RC_OK;
    size_t c = S->obs.len;
    if (S->cur_kept == 0) /* cannot happen (the post at 0 is kept), but say so if it does */
        RC_FAIL(RC_ERR_INPUT,
                "%s:%llu: expected cascade '%s' to have an event at or before its "
                "observation time, got none",
                S->path, S->line, rd_id(S, c));
    const double *t = S->time.a;
    double last = t[S->time.len - 1], T = S->cur_T;
    if (isnan(T) || S->cur_capped)
        T = last;
    RC_TRY(rd_push(&S->obs, &T, "the observation times"));
    RC_TRY(rd_push(&S->offset, &S->time.len, "the cascade offsets"));
    S->in_cascade = 0;
cleanup:
    return status;
}

/* Opens cascade `id` at the current line (its first row). */
static rc_status_t rd_open(rd_state_t *S, rd_field_t id)
{
    rc_status_t status = RC_OK;
    char shown[RD_SHOWN + 8];
    size_t len = (size_t)(id.e - id.p), c = S->obs.len;
    if (len >= RD_MAX_ID)
        RC_FAIL(RC_ERR_INPUT, "%s:%llu: expected a cascade id shorter than %d bytes, got '%s'",
                S->path, S->line, RD_MAX_ID, rd_show(id.p, id.e, shown, sizeof shown));
    size_t prev = rd_find(S, id.p, len);
    if (prev != SIZE_MAX)
        RC_FAIL(RC_ERR_INPUT,
                "%s:%llu: expected the rows of cascade '%s' to be contiguous, but it "
                "reappears after cascade '%s' (sort the rows by cascade)",
                S->path, S->line, rd_id(S, prev), rd_id(S, c - 1));
    RC_TRY(rd_push(&S->id_at, &S->ids.len, "the cascade ids"));
    for (size_t k = 0; k < len; k++)
        RC_TRY(rd_push(&S->ids, id.p + k, "the cascade ids"));
    RC_TRY(rd_push(&S->ids, "", "the cascade ids"));
    RC_TRY(rd_remember(S, c));
    S->in_cascade = 1;
    S->cur_rows = S->cur_kept = 0;
    S->cur_capped = 0;
    S->cur_T = S->opt.obs_time > 0 ? S->opt.obs_time : NAN;
cleanup:
    return status;
}

/* The number in column i of the row, or an error naming the column. */
static rc_status_t rd_column(const rd_state_t *S, const rd_field_t *f, int i, const char *name,
                             double *v)
{
    char shown[RD_SHOWN + 8];
    if (!rd_number(f[i], v) || isnan(*v))
        return rc_error(RC_ERR_INPUT, "%s:%llu: expected a number in column '%s', got '%s'",
                        S->path, S->line, name, rd_show(f[i].p, f[i].e, shown, sizeof shown));
    return RC_OK;
}

/* Handles one data row (fields already split, count checked). */
static rc_status_t rd_row(rd_state_t *S, const rd_field_t *f)
{
    rc_status_t status = RC_OK;
    char shown[RD_SHOWN + 8];
    const rc_cascades_read_options_t *o = &S->opt;
    double t = 0, m = 1.0, T = NAN;

    if (S->icas >= 0) {
        rd_field_t id = f[S->icas];
        if (!S->in_cascade || strlen(rd_id(S, S->obs.len)) != (size_t)(id.e - id.p) ||
            memcmp(rd_id(S, S->obs.len), id.p, (size_t)(id.e - id.p)) != 0) {
            RC_TRY(rd_finish(S));
            RC_TRY(rd_open(S, id));
        }
    } else if (!S->in_cascade) {
        static const char one_id[] = "0"; /* the one cascade of a file without a cascade column */
        RC_TRY(rd_open(S, (rd_field_t){one_id, one_id + 1}));
    }
    const char *cid = rd_id(S, S->obs.len);

    RC_TRY(rd_column(S, f, S->itime, o->time_column, &t));
    if (!isfinite(t))
        RC_FAIL(RC_ERR_INPUT, "%s:%llu: expected a finite time in column '%s', got '%s'", S->path,
                S->line, o->time_column,
                rd_show(f[S->itime].p, f[S->itime].e, shown, sizeof shown));
    if (S->cur_rows == 0 && t != 0.0)
        RC_FAIL(RC_ERR_INPUT,
                "%s:%llu: expected the first row of cascade '%s' (the original post) "
                "at time 0, got %g (shift the cascade's times so that the post is at 0, or add the "
                "post's row)",
                S->path, S->line, cid, t);
    if (S->cur_rows > 0 && t < S->last_time)
        RC_FAIL(RC_ERR_INPUT,
                "%s:%llu: expected the rows of cascade '%s' sorted by time, got %g "
                "after %g (sort each cascade's rows by time)",
                S->path, S->line, cid, t, S->last_time);
    if (S->imark >= 0) {
        RC_TRY(rd_column(S, f, S->imark, o->mark_column, &m));
        if (!(isfinite(m) && m >= 0.0))
            RC_FAIL(RC_ERR_INPUT, "%s:%llu: expected a finite number >= 0 in column '%s', got '%s'",
                    S->path, S->line, o->mark_column,
                    rd_show(f[S->imark].p, f[S->imark].e, shown, sizeof shown));
    }
    if (S->iobs >= 0) {
        RC_TRY(rd_column(S, f, S->iobs, o->obs_time_column, &T));
        if (!(T >= 0.0))
            RC_FAIL(RC_ERR_INPUT,
                    "%s:%llu: expected an observation time >= 0 in column '%s', got "
                    "%g",
                    S->path, S->line, o->obs_time_column, T);
        if (S->cur_rows == 0)
            S->cur_T = T;
        else if (T != S->cur_T)
            RC_FAIL(RC_ERR_INPUT,
                    "%s:%llu: expected the same observation time on every row of "
                    "cascade '%s', got %g after %g",
                    S->path, S->line, cid, T, S->cur_T);
    }
    S->last_time = t;
    S->cur_rows++;
    if (!isnan(S->cur_T) && t > S->cur_T) {
        S->n_dropped++; /* after the observation window */
    } else if (o->max_events && S->cur_kept == o->max_events) {
        S->n_dropped++;
        S->cur_capped = 1;
    } else {
        RC_TRY(rd_push(&S->time, &t, "the event times"));
        RC_TRY(rd_push(&S->mark, &m, "the event marks"));
        S->cur_kept++;
    }
cleanup:
    return status;
}

/* Finds the named columns in the header line. */
static rc_status_t rd_header(rd_state_t *S, const rd_field_t *f, int nf, const char *p,
                             const char *e)
{
    rc_status_t status = RC_OK;
    char shown[RD_SHOWN + 8];
    const char *names[4] = {S->opt.cascade_column, S->opt.time_column, S->opt.mark_column,
                            S->opt.obs_time_column};
    int *where[4] = {&S->icas, &S->itime, &S->imark, &S->iobs};
    if (nf > RD_MAX_FIELDS)
        RC_FAIL(RC_ERR_INPUT, "%s:%llu: expected at most %d columns in the header, got %d", S->path,
                S->line, RD_MAX_FIELDS, nf);
    for (int k = 0; k < 4; k++) {
        *where[k] = -1;
        if (names[k] == NULL)
            continue;
        for (int i = 0; i < nf && *where[k] < 0; i++)
            if ((size_t)(f[i].e - f[i].p) == strlen(names[k]) &&
                memcmp(f[i].p, names[k], strlen(names[k])) == 0)
                *where[k] = i;
        if (*where[k] < 0)
            RC_FAIL(RC_ERR_INPUT, "%s:%llu: expected a column named '%s' in the header, got '%s'",
                    S->path, S->line, names[k], rd_show(p, e, shown, sizeof shown));
    }
    S->ncol = nf;
cleanup:
    return status;
}

/* Handles one line [p, e) without its '\n'. */
static rc_status_t rd_line(rd_state_t *S, const char *p, const char *e)
{
    rc_status_t status = RC_OK;
    rd_field_t f[RD_MAX_FIELDS];
    if (S->line == 1 && e - p >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
        p += 3; /* UTF-8 byte order mark */
    while (p < e && rd_is_space(*p))
        p++;
    while (e > p && rd_is_space(e[-1]))
        e--;
    if (p == e)
        return RC_OK;
    int nf = rd_split(p, e, f);
    if (S->ncol == 0)
        return rd_header(S, f, nf, p, e);
    if (nf != S->ncol)
        RC_FAIL(RC_ERR_INPUT, "%s:%llu: expected %d columns as in the header, got %d", S->path,
                S->line, S->ncol, nf);
    RC_TRY(rd_row(S, f));
cleanup:
    return status;
}

static rc_status_t rd_gz_failure(gzFile gz, const char *path)
{
    int errnum = Z_OK;
    const char *msg = gzerror(gz, &errnum);
    if (errnum == Z_ERRNO)
        return rc_error(RC_ERR_IO, "%s: read error: %s", path, strerror(errno));
    if (errnum == Z_MEM_ERROR)
        return rc_error(RC_ERR_NOMEM, "%s: out of memory decompressing", path);
    return rc_error(RC_ERR_INPUT, "%s: corrupt or truncated gzip data (%s)", path,
                    msg && *msg ? msg : "zlib error");
}

/* Feeds every line of the file to rd_line. */
static rc_status_t rd_lines(rd_state_t *S, gzFile gz)
{
    rc_status_t status = RC_OK;
    size_t cap = RD_CHUNK, len = 0;
    char *buf = malloc(cap);
    RC_ALLOC_CHECK(buf, "the read buffer");
    for (int eof = 0; !eof;) {
        int r = gzread(gz, buf + len, (unsigned)(cap - len));
        if (r < 0)
            RC_TRY(rd_gz_failure(gz, S->path));
        if (r == 0) {
            int errnum = Z_OK;
            gzerror(gz, &errnum);
            if (errnum != Z_OK)
                RC_TRY(rd_gz_failure(gz, S->path));
            eof = 1;
        }
        len += (size_t)r;
        char *p = buf, *end = buf + len, *nl;
        while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
            S->line++;
            RC_TRY(rd_line(S, p, nl));
            p = nl + 1;
        }
        if (eof && p < end) { /* last line without a newline */
            S->line++;
            RC_TRY(rd_line(S, p, end));
            p = end;
        }
        len = (size_t)(end - p);
        memmove(buf, p, len);
        if (len == cap) {
            if (cap >= RD_MAX_LINE)
                RC_FAIL(RC_ERR_INPUT, "%s:%llu: expected lines shorter than %u bytes", S->path,
                        S->line + 1, RD_MAX_LINE);
            char *nb = realloc(buf, 2 * cap);
            RC_ALLOC_CHECK(nb, "the read buffer");
            buf = nb;
            cap *= 2;
        }
    }
cleanup:
    free(buf);
    return status;
}

rc_cascades_read_options_t rc_cascades_read_defaults(void)
{
    rc_cascades_read_options_t o = {"cascade", "time_s", "followers", 0.0, NULL, 0};
    return o;
}

static rc_status_t rd_check_options(const rc_cascades_read_options_t *o)
{
    rc_status_t status = RC_OK;
    if (o->time_column == NULL)
        RC_FAIL(RC_ERR_CONFIG, "cascades: time_column: expected a column name, got none");
    if (!(o->obs_time >= 0.0))
        RC_FAIL(RC_ERR_CONFIG,
                "cascades: obs_time: expected a time > 0 in seconds (or 0 for "
                "none), got %g",
                o->obs_time);
    if (o->obs_time > 0.0 && o->obs_time_column != NULL)
        RC_FAIL(RC_ERR_CONFIG, "cascades: expected obs_time or obs_time_column, not both");
cleanup:
    return status;
}

/* Moves the state's arrays into a new rc_cascades_t. */
static rc_status_t rd_build(rd_state_t *S, rc_cascades_t **out)
{
    rc_status_t status = RC_OK;
    rc_cascades_t *cs = NULL;
    size_t n = S->obs.len;
    RC_TRY(rc_cascades_alloc(n, S->time.len, S->ids.len, &cs));
    memcpy(cs->time, S->time.a, S->time.len * sizeof(double));
    memcpy(cs->mark, S->mark.a, S->mark.len * sizeof(double));
    memcpy(cs->obs_time, S->obs.a, n * sizeof(double));
    memcpy(cs->offset + 1, S->offset.a, n * sizeof(size_t));
    memcpy(cs->id_pool, S->ids.a, S->ids.len);
    rc_cascades_index_ids(cs);
    cs->n_dropped = S->n_dropped;
    *out = cs;
cleanup:
    return status;
}

rc_status_t rc_cascades_read(const char *path, const rc_cascades_read_options_t *opt,
                             rc_cascades_t **out)
{
    rc_status_t status = RC_OK;
    rd_state_t S;
    gzFile gz = NULL;
    int fd = -1;
    struct stat sb;

    *out = NULL;
    memset(&S, 0, sizeof S);
    S.path = path;
    S.opt = opt ? *opt : rc_cascades_read_defaults();
    S.time.elem = S.mark.elem = S.obs.elem = sizeof(double);
    S.offset.elem = S.id_at.elem = sizeof(size_t);
    S.ids.elem = 1;
    RC_TRY(rd_check_options(&S.opt));

    fd = open(path, O_RDONLY);
    if (fd < 0 || fstat(fd, &sb) != 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    if (S_ISDIR(sb.st_mode))
        RC_FAIL(RC_ERR_IO, "%s: cannot open: %s", path, strerror(EISDIR));
    gz = gzdopen(fd, "rb");
    if (!gz)
        RC_FAIL(RC_ERR_NOMEM, "%s: out of memory opening", path);
    fd = -1; /* gz owns it now */
    RC_TRY(rd_lines(&S, gz));
    if (S.ncol == 0)
        RC_FAIL(RC_ERR_INPUT,
                "%s:1: expected a header line naming the columns, got an empty "
                "file",
                path);
    RC_TRY(rd_finish(&S));
    if (S.obs.len == 0)
        RC_FAIL(RC_ERR_INPUT, "%s:%llu: expected data rows after the header, got none", path,
                S.line + 1);
    RC_TRY(rd_build(&S, out));

cleanup:
    if (gz)
        gzclose_r(gz);
    if (fd >= 0)
        close(fd);
    free(S.time.a);
    free(S.mark.a);
    free(S.offset.a);
    free(S.obs.a);
    free(S.ids.a);
    free(S.id_at.a);
    free(S.table);
    return status;
}
