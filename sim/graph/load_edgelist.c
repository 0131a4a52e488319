/* Edge-list loader: SNAP-style whitespace lists and CSV, plain or gzip (zlib detects which),
 * parsed by hand from large buffers so that 10^8-edge files load at disk speed. Arbitrary 64-bit
 * account ids are remapped to 0..n-1 in order of first appearance through an open-addressing
 * table of node indices; the ids themselves end up in g->orig_id. */
#include "rtcascade/graph.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define RC_READ_CHUNK (8u << 20) /* bytes asked of the reader at a time */
#define RC_RAW_CHUNK (1u << 20)  /* bytes of the file read at a time */
#define RC_MAX_LINE (16u << 20)  /* a longer line is surely not an edge list */
#define RC_MAX_FIELDS 4          /* fields remembered per line (more are only counted) */
#define RC_TOKEN_SHOWN 40        /* characters of a bad token quoted in a message */

/* ---- id map: 64-bit original id -> dense uint32 index ---- */

/* The table holds node indices only; the key of slot s is ids[slot[s]]. This costs 4 bytes per
 * slot on top of the orig_id array the graph keeps anyway, instead of 12+ for key/value pairs,
 * which matters at 10^8 nodes. */
typedef struct rc_idmap {
    uint32_t *slot; /* RC_NO_NODE = empty */
    uint64_t mask;  /* capacity - 1 (capacity a power of two) */
    uint64_t *ids;  /* ids[i] = original id of node i */
    uint64_t n;     /* nodes so far */
    uint64_t ids_cap;
} rc_idmap_t;

static inline uint64_t rc_idmap_hash(uint64_t x)
{
    /* splitmix64 finaliser: sequential ids (the common case) spread over the whole table */
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static rc_status_t rc_idmap_init(rc_idmap_t *m, uint64_t expected_nodes)
{
    rc_status_t status = RC_OK;
    uint64_t cap = 1024;
    while (cap < 2 * expected_nodes && cap < (1ULL << 33))
        cap <<= 1;
    m->slot = malloc(cap * sizeof *m->slot);
    RC_ALLOC_CHECK(m->slot, "the node id table");
    memset(m->slot, 0xff, cap * sizeof *m->slot);
    m->mask = cap - 1;
    m->ids_cap = cap / 2;
    m->ids = malloc(m->ids_cap * sizeof *m->ids);
    RC_ALLOC_CHECK(m->ids, "the original node ids");
    m->n = 0;
cleanup:
    return status;
}

static void rc_idmap_free(rc_idmap_t *m)
{
    free(m->slot);
    free(m->ids);
    memset(m, 0, sizeof *m);
}

/* Doubles the table (kept at most half full so probes stay short) and rehashes. */
static rc_status_t rc_idmap_grow(rc_idmap_t *m)
{
    rc_status_t status = RC_OK;
    uint64_t cap = 2 * (m->mask + 1);
    uint32_t *slot = NULL;
    uint64_t *ids = NULL;
    RC_TRY(rc_memory_check(cap * sizeof *slot + cap / 2 * sizeof *ids, "the node id table"));
    slot = malloc(cap * sizeof *slot);
    RC_ALLOC_CHECK(slot, "the node id table");
    memset(slot, 0xff, cap * sizeof *slot);
    for (uint64_t i = 0; i < m->n; i++) {
        uint64_t s = rc_idmap_hash(m->ids[i]) & (cap - 1);
        while (slot[s] != RC_NO_NODE)
            s = (s + 1) & (cap - 1);
        slot[s] = (uint32_t)i;
    }
    ids = realloc(m->ids, cap / 2 * sizeof *ids);
    RC_ALLOC_CHECK(ids, "the original node ids");
    m->ids = ids;
    m->ids_cap = cap / 2;
    free(m->slot);
    m->slot = slot;
    slot = NULL;
    m->mask = cap - 1;
cleanup:
    free(slot);
    return status;
}

/* ---- the loader's state ---- */

/* Parsed lines wait in a batch so that the id lookups, which miss the cache at scale, can be
 * prefetched several keys ahead (see rc_loader_flush). */
#define RC_BATCH 4096

typedef struct rc_loader {
    const char *path;
    int csv; /* 1: comma-separated, 0: whitespace-separated */
    int weighted;
    rc_direction_t direction;
    uint64_t line; /* current line number, 1-based */
    int seen_data; /* a non-comment line was met (the CSV header chance is gone) */
    rc_idmap_t map;
    rc_edges_t edges;
    uint64_t edges_read;
    uint32_t pending;           /* lines in the batch */
    uint64_t key[2 * RC_BATCH]; /* source, target, source, target, ... as written */
    uint64_t hash[2 * RC_BATCH];
    uint32_t idx[2 * RC_BATCH];
    float w[RC_BATCH];
    uint64_t key_line[RC_BATCH]; /* line number of each pending edge, for messages */
} rc_loader_t;

static inline int rc_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Copies a token into buf (at least 4 * RC_TOKEN_SHOWN + 8 bytes) for a message, shortened,
 * with control bytes and bytes beyond ASCII shown as \xNN: an id spoiled by an invisible
 * character (a no-break space, a byte-order mark) is then visibly so. */
static const char *rc_show_token(const char *p, const char *e, char *buf, size_t len)
{
    size_t k = 0, shown = 0;
    for (; p < e && shown < RC_TOKEN_SHOWN && k + 8 < len; p++, shown++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c >= 0x7f)
            k += (size_t)snprintf(buf + k, len - k, "\\x%02x", c);
        else
            buf[k++] = (char)c;
    }
    if (p < e) {
        memcpy(buf + k, "...", 3);
        k += 3;
    }
    buf[k] = '\0';
    return buf;
}

/* Parses [p, e) as an unsigned decimal: 0 = ok, 1 = not a number, 2 = overflows 64 bits. */
static inline int rc_parse_u64(const char *p, const char *e, uint64_t *out)
{
    uint64_t v = 0;
    if (p == e)
        return 1;
    for (; p < e; p++) {
        unsigned d = (unsigned char)*p - '0';
        if (d > 9)
            return 1;
        if (v > (UINT64_MAX - d) / 10) {
            /* keep scanning: "123456789012345678901x" is a bad token, not an overflow */
            for (p++; p < e; p++)
                if ((unsigned)((unsigned char)*p - '0') > 9)
                    return 1;
            return 2;
        }
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

/* strtod on a token (it needs a terminated copy); 1 when the whole token is a number. */
static int rc_parse_double(const char *p, const char *e, double *out)
{
    char buf[128];
    size_t len = (size_t)(e - p);
    if (len == 0 || len >= sizeof buf)
        return 0;
    memcpy(buf, p, len);
    buf[len] = '\0';
    char *end = NULL;
    errno = 0;
    double v = strtod(buf, &end);
    if (end != buf + len)
        return 0;
    *out = v;
    return 1;
}

/* The dense index of original id `id` (hash h), adding it when new. */
static inline rc_status_t rc_loader_node(rc_loader_t *L, uint64_t id, uint64_t h, uint64_t line,
                                         uint32_t *idx)
{
    rc_status_t status = RC_OK;
    rc_idmap_t *m = &L->map;
    uint64_t s = h & m->mask;
    for (;;) {
        uint32_t k = m->slot[s];
        if (k == RC_NO_NODE)
            break;
        if (m->ids[k] == id) {
            *idx = k;
            return RC_OK;
        }
        s = (s + 1) & m->mask;
    }
    if (m->n >= RC_MAX_NODES)
        RC_FAIL(RC_ERR_INPUT, "%s:%llu: more than %llu distinct node ids", L->path,
                (unsigned long long)line, (unsigned long long)RC_MAX_NODES);
    m->slot[s] = (uint32_t)m->n;
    m->ids[m->n] = id;
    *idx = (uint32_t)m->n++;
    if (2 * m->n >= m->mask + 1) /* also keeps ids[] (capacity/2) one entry ahead */
        RC_TRY(rc_idmap_grow(m));
cleanup:
    return status;
}

/* Resolves the batch's ids in text order (so numbering follows first appearance) and appends
 * its edges. Each lookup costs two dependent cache misses (slot, then the id it names) on large
 * graphs; prefetching the slot RC_PF keys ahead and the id RC_PF/2 ahead overlaps them. A
 * prefetch made stale by an insertion or a table growth only costs a miss, never a wrong
 * answer: every key is looked up in full. */
#define RC_PF 16
#if defined(__GNUC__)
#define RC_PREFETCH(addr) __builtin_prefetch(addr)
#else
#define RC_PREFETCH(addr) ((void)0)
#endif
static rc_status_t rc_loader_flush(rc_loader_t *L)
{
    rc_status_t status = RC_OK;
    rc_idmap_t *m = &L->map;
    const uint32_t nkeys = 2 * L->pending;
    for (uint32_t i = 0; i < nkeys; i++)
        L->hash[i] = rc_idmap_hash(L->key[i]);
    for (uint32_t i = 0; i < nkeys; i++) {
        if (i + RC_PF < nkeys)
            RC_PREFETCH(&m->slot[L->hash[i + RC_PF] & m->mask]);
        if (i + RC_PF / 2 < nkeys) {
            uint32_t k = m->slot[L->hash[i + RC_PF / 2] & m->mask];
            if (k != RC_NO_NODE)
                RC_PREFETCH(&m->ids[k]);
        }
        /* sorted files repeat the previous line's source (or target): skip the lookup */
        if (i >= 2 && L->key[i] == L->key[i - 2])
            L->idx[i] = L->idx[i - 2];
        else
            RC_TRY(rc_loader_node(L, L->key[i], L->hash[i], L->key_line[i / 2], &L->idx[i]));
    }
    for (uint32_t j = 0; j < L->pending; j++) {
        uint32_t ia = L->idx[2 * j], ib = L->idx[2 * j + 1];
        if (L->direction == RC_DIRECTION_FOLLOWS)
            RC_TRY(rc_edges_push(&L->edges, ib, ia, L->w[j]));
        else
            RC_TRY(rc_edges_push(&L->edges, ia, ib, L->w[j]));
    }
    L->edges_read += L->pending;
cleanup:
    L->pending = 0;
    return status;
}

static rc_status_t rc_loader_id(rc_loader_t *L, const char *p, const char *e, uint64_t *id)
{
    char shown[4 * RC_TOKEN_SHOWN + 16];
    int r = rc_parse_u64(p, e, id);
    if (r != 0) {
        rc_status_t s = rc_loader_flush(L); /* an earlier line's error comes first */
        if (s != RC_OK)
            return s;
    }
    if (r == 1)
        return rc_error(RC_ERR_INPUT, "%s:%llu: expected an unsigned integer node id, got '%s'",
                        L->path, (unsigned long long)L->line,
                        rc_show_token(p, e, shown, sizeof shown));
    if (r == 2)
        return rc_error(RC_ERR_INPUT, "%s:%llu: id %s overflows 64 bits", L->path,
                        (unsigned long long)L->line, rc_show_token(p, e, shown, sizeof shown));
    return RC_OK;
}

static rc_status_t rc_loader_weight(rc_loader_t *L, const char *p, const char *e, float *w)
{
    char shown[4 * RC_TOKEN_SHOWN + 16];
    double v = 0;
    int finite = rc_parse_double(p, e, &v) && isfinite(v) && isfinite((float)v);
    if (finite && v >= 0) {
        *w = (float)v + 0.0f; /* -0 becomes 0 */
        return RC_OK;
    }
    rc_status_t s = rc_loader_flush(L); /* an earlier line's error comes first */
    if (s != RC_OK)
        return s;
    if (!finite)
        return rc_error(RC_ERR_INPUT, "%s:%llu: expected a finite number as weight, got '%s'",
                        L->path, (unsigned long long)L->line,
                        rc_show_token(p, e, shown, sizeof shown));
    return rc_error(RC_ERR_INPUT, "%s:%llu: expected a non-negative weight, got '%s'", L->path,
                    (unsigned long long)L->line, rc_show_token(p, e, shown, sizeof shown));
}

/* A CSV line is a header when none of its fields reads as a number ("source,target,weight"). */
static int rc_is_header(const char *const *fb, const char *const *fe, int nf)
{
    for (int i = 0; i < nf && i < RC_MAX_FIELDS; i++) {
        double v;
        if (rc_parse_double(fb[i], fe[i], &v))
            return 0;
    }
    return 1;
}

/* Handles one line [p, e) without its '\n'. */
static rc_status_t rc_loader_line(rc_loader_t *L, const char *p, const char *e)
{
    rc_status_t status = RC_OK;
    const char *fb[RC_MAX_FIELDS], *fe[RC_MAX_FIELDS];
    int nf = 0;

    while (p < e && rc_is_space(*p))
        p++;
    while (e > p && rc_is_space(e[-1]))
        e--;
    if (p == e || *p == '#' || *p == '%')
        return RC_OK;

    if (!L->csv) {
        while (p < e) {
            const char *t = p;
            while (p < e && !rc_is_space(*p))
                p++;
            if (nf < RC_MAX_FIELDS) {
                fb[nf] = t;
                fe[nf] = p;
            }
            nf++;
            while (p < e && rc_is_space(*p))
                p++;
        }
    } else {
        for (;;) {
            const char *t = p;
            while (p < e && *p != ',')
                p++;
            const char *te = p;
            while (t < te && rc_is_space(*t))
                t++;
            while (te > t && rc_is_space(te[-1]))
                te--;
            if (te - t >= 2 && *t == '"' && te[-1] == '"') {
                t++;
                te--;
            }
            if (nf < RC_MAX_FIELDS) {
                fb[nf] = t;
                fe[nf] = te;
            }
            nf++;
            if (p == e)
                break;
            p++; /* the comma */
        }
        if (!L->seen_data) {
            L->seen_data = 1;
            if (rc_is_header(fb, fe, nf))
                return RC_OK;
        }
    }
    L->seen_data = 1;

    int want = L->weighted ? 3 : 2;
    if (nf != want) {
        const char *cols = L->csv ? (L->weighted ? "source,target,weight" : "source,target")
                                  : (L->weighted ? "source target weight" : "source target");
        RC_TRY(rc_loader_flush(L)); /* an earlier line's error comes first */
        RC_FAIL(RC_ERR_INPUT, "%s:%llu: expected %d columns (%s), got %d", L->path,
                (unsigned long long)L->line, want, cols, nf);
    }

    uint32_t j = L->pending;
    float w = 1.0f;
    RC_TRY(rc_loader_id(L, fb[0], fe[0], &L->key[2 * j]));
    RC_TRY(rc_loader_id(L, fb[1], fe[1], &L->key[2 * j + 1]));
    if (L->weighted)
        RC_TRY(rc_loader_weight(L, fb[2], fe[2], &w));
    L->w[j] = w;
    L->key_line[j] = L->line;
    if (++L->pending == RC_BATCH)
        RC_TRY(rc_loader_flush(L));
cleanup:
    return status;
}

/* ---- the file: plain, or gzip (one or more members, nothing after them) ---- */

#define RC_SRC_TRY(call)                                                                           \
    do {                                                                                           \
        rc_status_t rc_s_ = (call);                                                                \
        if (rc_s_ != RC_OK)                                                                        \
            return rc_s_;                                                                          \
    } while (0)

typedef struct rc_src {
    const char *path;
    int fd;
    int gz;               /* 1: gzip */
    int z_open;           /* z is initialised */
    int at_end;           /* the file is read to its end */
    size_t in_cap;        /* bytes of `in` */
    z_stream z;
    unsigned char *in;    /* raw bytes read, not yet used: in[0..n_in) from in_at */
    size_t in_at, n_in;
    uint64_t raw_offset;  /* bytes of the file read into `in` before in[0] */
} rc_src_t;

/* Reads more of the file into src->in (keeping what is unused). */
static rc_status_t rc_src_fill(rc_src_t *src)
{
    if (src->in_at > 0) {
        memmove(src->in, src->in + src->in_at, src->n_in - src->in_at);
        src->raw_offset += src->in_at;
        src->n_in -= src->in_at;
        src->in_at = 0;
    }
    while (src->n_in < src->in_cap && !src->at_end) {
        ssize_t r = read(src->fd, src->in + src->n_in, src->in_cap - src->n_in);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return rc_error(RC_ERR_IO, "%s: read error: %s", src->path, strerror(errno));
        if (r == 0)
            src->at_end = 1;
        src->n_in += (size_t)r;
        if (r > 0)
            break;
    }
    return RC_OK;
}

/* Starts reading (`size`: the file's size, 0 when unknown): looks at the first bytes for
 * gzip's magic. */
static rc_status_t rc_src_open(rc_src_t *src, int fd, const char *path, uint64_t size)
{
    rc_status_t status = RC_OK;
    memset(src, 0, sizeof *src);
    src->fd = fd;
    src->path = path;
    /* small files get small buffers (a large one costs its pages, and a sanitizer its shadow) */
    src->in_cap = size > 0 && size < RC_RAW_CHUNK ? (size_t)size + 2 : RC_RAW_CHUNK;
    if (src->in_cap < 64)
        src->in_cap = 64;
    src->in = malloc(src->in_cap);
    RC_ALLOC_CHECK(src->in, "the read buffer");
    while (src->n_in < 2 && !src->at_end)
        RC_TRY(rc_src_fill(src));
    src->gz = src->n_in >= 2 && src->in[0] == 0x1f && src->in[1] == 0x8b;
    if (src->gz) {
        if (inflateInit2(&src->z, 15 + 16) != Z_OK)
            RC_FAIL(RC_ERR_NOMEM, "%s: out of memory decompressing", path);
        src->z_open = 1;
    }
cleanup:
    return status;
}

static void rc_src_close(rc_src_t *src)
{
    if (src->z_open)
        inflateEnd(&src->z);
    free(src->in);
    src->in = NULL;
    src->z_open = 0;
}

/* Up to cap bytes of the (decompressed) text into buf; *got = 0 only at its end. A damaged or
 * truncated gzip stream is RC_ERR_INPUT, and so is anything after the last gzip member but
 * another member (gzip itself only warns, and zlib's gzread drops it without a word). */
static rc_status_t rc_src_read(rc_src_t *src, char *buf, size_t cap, size_t *got)
{
    *got = 0;
    if (!src->gz) {
        if (src->in_at == src->n_in)
            RC_SRC_TRY(rc_src_fill(src));
        size_t n = src->n_in - src->in_at < cap ? src->n_in - src->in_at : cap;
        memcpy(buf, src->in + src->in_at, n);
        src->in_at += n;
        *got = n;
        return RC_OK;
    }
    while (*got == 0) {
        if (src->in_at == src->n_in) {
            RC_SRC_TRY(rc_src_fill(src));
            if (src->n_in == 0) {
                if (src->z.total_in > 0 || src->z.total_out > 0)
                    return rc_error(RC_ERR_INPUT, "%s: corrupt or truncated gzip data (the file "
                                    "ends inside the compressed stream)", src->path);
                return RC_OK; /* at the end, between members */
            }
        }
        src->z.next_in = src->in + src->in_at;
        src->z.avail_in = (uInt)(src->n_in - src->in_at);
        src->z.next_out = (unsigned char *)buf;
        src->z.avail_out = (uInt)(cap > (1u << 30) ? (1u << 30) : cap);
        int zr = inflate(&src->z, Z_NO_FLUSH);
        src->in_at = src->n_in - src->z.avail_in;
        *got = (size_t)((char *)src->z.next_out - buf);
        if (zr == Z_MEM_ERROR)
            return rc_error(RC_ERR_NOMEM, "%s: out of memory decompressing", src->path);
        if (zr == Z_DATA_ERROR || zr == Z_NEED_DICT || zr == Z_STREAM_ERROR)
            return rc_error(RC_ERR_INPUT, "%s: corrupt or truncated gzip data (%s)", src->path,
                            src->z.msg ? src->z.msg : "zlib error");
        if (zr == Z_STREAM_END) {
            /* a member ended: another may follow, nothing else */
            while (src->n_in - src->in_at < 2 && !src->at_end)
                RC_SRC_TRY(rc_src_fill(src));
            size_t left = src->n_in - src->in_at;
            if (left == 0) {
                inflateEnd(&src->z);
                src->z_open = 0;
                src->gz = 0; /* the plain reader then finds the end */
                return RC_OK;
            }
            const unsigned char *next = src->in + src->in_at;
            if (left < 2 || next[0] != 0x1f || next[1] != 0x8b)
                return rc_error(RC_ERR_INPUT,
                                "%s: %llu bytes of something else after the gzip stream (at byte "
                                "%llu); a damaged or appended-to file?",
                                src->path,
                                (unsigned long long)(left + (src->at_end ? 0 : 1)),
                                (unsigned long long)(src->raw_offset + src->in_at));
            inflateReset(&src->z);
        }
    }
    return RC_OK;
}

static int rc_ends_with_ci(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    if (lx > ls)
        return 0;
    for (size_t i = 0; i < lx; i++) {
        char c = s[ls - lx + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != suffix[i])
            return 0;
    }
    return 1;
}

rc_status_t rc_graph_load_edgelist(const char *path, const rc_load_options_t *opt, rc_graph_t **out,
                                   rc_load_report_t *report)
{
    rc_status_t status = RC_OK;
    static const rc_load_options_t defaults = {RC_DIRECTION_FLOWS, RC_FORMAT_AUTO, 0, 0};
    rc_loader_t *L = NULL;
    rc_graph_t *g = NULL;
    rc_build_report_t br = {0, 0, 0};
    rc_src_t src;
    int fd = -1;
    char *buf = NULL;
    size_t cap = RC_READ_CHUNK, len = 0;
    struct stat sb;

    *out = NULL;
    memset(&src, 0, sizeof src);
    if (report)
        memset(report, 0, sizeof *report);
    if (!opt)
        opt = &defaults;
    L = calloc(1, sizeof *L);
    RC_ALLOC_CHECK(L, "the loader");
    L->path = path;
    L->weighted = opt->weighted;
    L->direction = opt->direction;
    L->csv = opt->format == RC_FORMAT_CSV ||
             (opt->format == RC_FORMAT_AUTO &&
              (rc_ends_with_ci(path, ".csv") || rc_ends_with_ci(path, ".csv.gz")));

    /* open() first so the message carries the real reason (gzopen's errno is not reliable) */
    fd = open(path, O_RDONLY);
    if (fd < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    if (fstat(fd, &sb) != 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    if (S_ISDIR(sb.st_mode))
        RC_FAIL(RC_ERR_IO, "%s: cannot open: %s", path, strerror(EISDIR));
    RC_TRY(rc_src_open(&src, fd, path, S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size : 0));

    /* Lines of large graphs take ~16-26 bytes ("12345678 87654321"); guessing low is cheap
     * (the list grows by realloc) while guessing high could fail the memory check of a file
     * that fits. For gzip we cannot tell, so start small. */
    uint64_t guess = S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size / 20 : 0;
    if (guess > (1ULL << 32))
        guess = 1ULL << 32;
    if (guess < 1024)
        guess = 1024;
    RC_TRY(rc_edges_init(&L->edges, guess, opt->weighted));
    RC_TRY(rc_idmap_init(&L->map, guess / 8));

    /* text of a small plain file fits a small buffer; a line longer grows it (below) */
    if (!src.gz && S_ISREG(sb.st_mode) && (uint64_t)sb.st_size < cap)
        cap = (size_t)sb.st_size + 1 > 4096 ? (size_t)sb.st_size + 1 : 4096;
    buf = malloc(cap);
    RC_ALLOC_CHECK(buf, "the read buffer");
    int eof = 0;
    while (!eof) {
        size_t r = 0;
        RC_TRY(rc_src_read(&src, buf + len, cap - len, &r));
        eof = r == 0;
        len += r;
        char *p = buf, *end = buf + len, *nl;
        if (L->line == 0 && len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
            p += 3; /* a UTF-8 byte-order mark, as editors and spreadsheets write */
        }
        while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
            L->line++;
            RC_TRY(rc_loader_line(L, p, nl));
            p = nl + 1;
        }
        if (eof) {
            if (p < end) { /* last line without a newline */
                L->line++;
                RC_TRY(rc_loader_line(L, p, end));
            }
            RC_TRY(rc_loader_flush(L));
            break;
        }
        len = (size_t)(end - p);
        memmove(buf, p, len);
        if (len == cap) { /* one line fills the buffer */
            if (cap >= RC_MAX_LINE)
                RC_FAIL(RC_ERR_INPUT, "%s:%llu: line longer than %u bytes", path,
                        (unsigned long long)L->line + 1, RC_MAX_LINE);
            char *nb = realloc(buf, 2 * cap);
            RC_ALLOC_CHECK(nb, "the read buffer");
            buf = nb;
            cap *= 2;
        }
    }
    free(buf);
    buf = NULL;
    rc_src_close(&src);
    if (close(fd) != 0)
        RC_FAIL(RC_ERR_IO, "%s: error closing the file: %s", path, strerror(errno));
    fd = -1;

    if (L->edges_read == 0)
        RC_FAIL(RC_ERR_INPUT, "%s: no edges found", path);

    /* The table is no longer needed: free it before the build's peak. */
    free(L->map.slot);
    L->map.slot = NULL;
    uint64_t n = L->map.n;
    RC_TRY(rc_graph_build((uint32_t)n, &L->edges, opt->undirected, &g, &br));
    {
        uint64_t *ids = realloc(L->map.ids, (n ? n : 1) * sizeof *ids);
        if (ids) /* shrinking cannot really fail; keep the larger block if it does */
            L->map.ids = ids;
        g->orig_id = L->map.ids;
        L->map.ids = NULL;
    }
    {
        const char *dir = opt->direction == RC_DIRECTION_FOLLOWS ? "follows" : "flows";
        size_t dl = strlen(path) + 128;
        free(g->description);
        g->description = malloc(dl);
        RC_ALLOC_CHECK(g->description, "the graph description");
        snprintf(g->description, dl, "file path=%s direction=%s format=%s%s%s", path, dir,
                 L->csv ? "csv" : "snap", opt->weighted ? " weighted=true" : "",
                 opt->undirected ? " undirected=true" : "");
    }
    if (report) {
        report->lines = L->line;
        report->edges_read = L->edges_read;
        report->self_loops = br.self_loops;
        report->duplicates = br.duplicates;
    }
    *out = g;
    g = NULL;

cleanup:
    rc_src_close(&src);
    if (fd >= 0)
        close(fd);
    free(buf);
    if (L) {
        rc_idmap_free(&L->map);
        rc_edges_free(&L->edges);
        free(L);
    }
    rc_graph_free(g);
    return status;
}
