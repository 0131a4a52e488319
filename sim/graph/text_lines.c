/* Text files read line by line (text_lines.h): plain, or gzip inflated here member by member,
 * so that anything after the last member is an error rather than silently dropped (zlib's
 * gzread drops it), and damaged data is named by its path. */
#include "graph/text_lines.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define RC_READ_CHUNK (8u << 20) /* bytes asked of the reader at a time */
#define RC_RAW_CHUNK (1u << 20)  /* bytes of the file read at a time */
#define RC_MAX_LINE (16u << 20)  /* a longer line is surely not an edge list */

const char *rc_text_show(const char *p, const char *e, char *buf, size_t len)
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

/* strtod on a token (it needs a terminated copy); 1 when the whole token is a number. */
int rc_text_double(const char *p, const char *e, double *out)
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


int rc_text_fields(const char *p, const char *e, int csv, const char **fb, const char **fe,
                   int max)
{
    int nf = 0;
    while (p < e && rc_text_space(*p))
        p++;
    while (e > p && rc_text_space(e[-1]))
        e--;
    if (p == e || *p == '#' || *p == '%')
        return 0;
    if (!csv) {
        while (p < e) {
            const char *t = p;
            while (p < e && !rc_text_space(*p))
                p++;
            if (nf < max) {
                fb[nf] = t;
                fe[nf] = p;
            }
            nf++;
            while (p < e && rc_text_space(*p))
                p++;
        }
        return nf;
    }
    for (;;) {
        const char *t = p;
        while (p < e && *p != ',')
            p++;
        const char *te = p;
        while (t < te && rc_text_space(*t))
            t++;
        while (te > t && rc_text_space(te[-1]))
            te--;
        if (te - t >= 2 && *t == '"' && te[-1] == '"') {
            t++;
            te--;
        }
        if (nf < max) {
            fb[nf] = t;
            fe[nf] = te;
        }
        nf++;
        if (p == e)
            return nf;
        p++; /* the comma */
    }
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


/* The line loop over an open source: buf grows when one line fills it. */
static rc_status_t rc_text_loop(rc_src_t *src, size_t cap, rc_text_line_fn line, void *ctx,
                                uint64_t *lines)
{
    rc_status_t status = RC_OK;
    uint64_t n = 0;
    size_t len = 0;
    char *buf = malloc(cap);
    RC_ALLOC_CHECK(buf, "the read buffer");
    for (;;) {
        size_t r = 0;
        RC_TRY(rc_src_read(src, buf + len, cap - len, &r));
        int eof = r == 0;
        len += r;
        char *p = buf, *end = buf + len, *nl;
        if (n == 0 && len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
            p += 3; /* a UTF-8 byte-order mark, as editors and spreadsheets write */
        while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
            RC_TRY(line(ctx, p, nl, ++n));
            p = nl + 1;
        }
        if (eof) {
            if (p < end) /* last line without a newline */
                RC_TRY(line(ctx, p, end, ++n));
            break;
        }
        len = (size_t)(end - p);
        memmove(buf, p, len);
        if (len == cap) { /* one line fills the buffer */
            if (cap >= RC_MAX_LINE)
                RC_FAIL(RC_ERR_INPUT, "%s:%llu: line longer than %u bytes", src->path,
                        (unsigned long long)n + 1, RC_MAX_LINE);
            char *nb = realloc(buf, 2 * cap);
            RC_ALLOC_CHECK(nb, "the read buffer");
            buf = nb;
            cap *= 2;
        }
    }
cleanup:
    free(buf);
    if (lines != NULL)
        *lines = n;
    return status;
}

rc_status_t rc_text_read_lines(const char *path, rc_text_begin_fn begin, rc_text_line_fn line,
                               void *ctx, uint64_t *lines)
{
    rc_status_t status = RC_OK;
    rc_src_t src;
    struct stat sb;
    memset(&src, 0, sizeof src);
    if (lines != NULL)
        *lines = 0;
    /* open() first so the message carries the real reason */
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    if (fstat(fd, &sb) != 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    if (S_ISDIR(sb.st_mode))
        RC_FAIL(RC_ERR_IO, "%s: cannot open: %s", path, strerror(EISDIR));
    const uint64_t bytes = S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size : 0;
    RC_TRY(rc_src_open(&src, fd, path, bytes));
    if (begin != NULL) {
        rc_text_info_t info = {bytes, src.gz};
        RC_TRY(begin(ctx, &info));
    }
    /* text of a small plain file fits a small buffer; a longer line grows it */
    size_t cap = RC_READ_CHUNK;
    if (!src.gz && bytes > 0 && bytes < cap)
        cap = (size_t)bytes + 1 > 4096 ? (size_t)bytes + 1 : 4096;
    RC_TRY(rc_text_loop(&src, cap, line, ctx, lines));
    rc_src_close(&src);
    int closed = close(fd);
    fd = -1;
    if (closed != 0)
        RC_FAIL(RC_ERR_IO, "%s: error closing the file: %s", path, strerror(errno));
cleanup:
    rc_src_close(&src);
    if (fd >= 0)
        close(fd);
    return status;
}
