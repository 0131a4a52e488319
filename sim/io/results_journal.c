/* The results journal: append-only records, each "RCJ1 type key raw_len comp_len payload crc32",
 * written with one pwrite and fdatasync'd, so a record is either wholly there or detectably
 * torn. An flock on the open journal is the one-writer-per-results-file lock; it is tied to the
 * open file, so it holds until rc_journal_close and vanishes with the process. */
#define _DEFAULT_SOURCE /* flock */
#include "io/results_journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define RC_J_FILE_MAGIC "RCJRNL\001\n"
#define RC_J_FILE_MAGIC_LEN 8
#define RC_J_REC_MAGIC 0x314a4352u /* "RCJ1" */
#define RC_J_HEAD_LEN (4 + 4 + 8 + 8 + 8)
#define RC_J_MAX_RECORD ((uint64_t)1 << 40) /* a length above this is damage, not data */
/* Fuzzing builds take records whatever their CRC, so that mutated payloads reach the decoders
 * (results_codec.c, results_prep.c) instead of stopping at the checksum. */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define RC_J_UNCHECKED 1
#else
#define RC_J_UNCHECKED 0
#endif

/* Payloads kept as they are (compressed already): a point's /runs chunks. */
static int rc_j_stored(uint32_t type)
{
    return type == RC_JREC_RUNS;
}

struct rc_journal {
    int fd;
    char *path;
    char *what;   /* the results file, for messages */
    uint64_t end; /* offset just past the last good record */
};

static uint32_t rc_crc(uint32_t crc, const unsigned char *p, uint64_t n)
{
    while (n > 0) {
        uInt step = n > (1u << 30) ? (1u << 30) : (uInt)n;
        crc = (uint32_t)crc32(crc, p, step);
        p += step;
        n -= step;
    }
    return crc;
}

static rc_status_t rc_j_pwrite(rc_journal_t *j, const void *data, size_t len, uint64_t off)
{
    const unsigned char *p = data;
    while (len > 0) {
        ssize_t w = pwrite(j->fd, p, len, (off_t)off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return rc_error(RC_ERR_IO, "%s: cannot write the journal %s: %s", j->what, j->path,
                            w < 0 ? strerror(errno) : "short write");
        p += w;
        len -= (size_t)w;
        off += (uint64_t)w;
    }
    return RC_OK;
}

/* Reads exactly len bytes at off; *got < len at the end of the file. */
static rc_status_t rc_j_pread(rc_journal_t *j, void *data, size_t len, uint64_t off, size_t *got)
{
    unsigned char *p = data;
    *got = 0;
    while (*got < len) {
        ssize_t r = pread(j->fd, p + *got, len - *got, (off_t)(off + *got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return rc_error(RC_ERR_IO, "%s: cannot read the journal %s: %s", j->what, j->path,
                            strerror(errno));
        if (r == 0)
            break;
        *got += (size_t)r;
    }
    return RC_OK;
}

static rc_status_t rc_j_sync(rc_journal_t *j)
{
    if (fdatasync(j->fd) != 0 && errno != EINVAL && errno != EROFS)
        return rc_error(RC_ERR_IO, "%s: cannot sync the journal %s: %s", j->what, j->path,
                        strerror(errno));
    return RC_OK;
}

rc_status_t rc_journal_open(const char *path, const char *what, int create, rc_journal_t **out)
{
    rc_status_t status = RC_OK;
    rc_journal_t *j = NULL;
    *out = NULL;
    j = calloc(1, sizeof *j);
    RC_ALLOC_CHECK(j, "a journal");
    j->fd = -1;
    j->path = strdup(path);
    j->what = strdup(what);
    RC_ALLOC_CHECK(j->path, "a journal");
    RC_ALLOC_CHECK(j->what, "a journal");
    /* O_NONBLOCK: a FIFO put in its place must not hang the open (it is refused below) */
    j->fd = open(path, O_RDWR | O_NONBLOCK | (create ? O_CREAT : 0), 0666);
    if (j->fd < 0) {
        if (!create && errno == ENOENT)
            goto cleanup; /* no journal: *out stays NULL */
        RC_FAIL(RC_ERR_IO, "%s: cannot open the journal %s: %s", what, path, strerror(errno));
    }
    struct stat sb;
    if (fstat(j->fd, &sb) != 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot read the journal %s: %s", what, path, strerror(errno));
    if (!S_ISREG(sb.st_mode))
        RC_FAIL(RC_ERR_IO, "%s: the journal %s is not a regular file", what, path);
    if (fcntl(j->fd, F_SETFL, fcntl(j->fd, F_GETFL) & ~O_NONBLOCK) != 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot open the journal %s: %s", what, path, strerror(errno));
    if (flock(j->fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK)
            RC_FAIL(RC_ERR_IO, "%s: is being written by another rtcascade process (%s is locked)",
                    what, path);
        RC_FAIL(RC_ERR_IO, "%s: cannot lock the journal %s: %s", what, path, strerror(errno));
    }
    j->end = (uint64_t)sb.st_size;
    *out = j;
    j = NULL;
cleanup:
    if (j != NULL) {
        if (j->fd >= 0)
            close(j->fd);
        free(j->path);
        free(j->what);
        free(j);
    }
    return status;
}

rc_status_t rc_journal_reset(rc_journal_t *j)
{
    rc_status_t status = RC_OK;
    if (ftruncate(j->fd, 0) != 0)
        return rc_error(RC_ERR_IO, "%s: cannot reset the journal %s: %s", j->what, j->path,
                        strerror(errno));
    j->end = 0;
    RC_TRY(rc_j_pwrite(j, RC_J_FILE_MAGIC, RC_J_FILE_MAGIC_LEN, 0));
    j->end = RC_J_FILE_MAGIC_LEN;
    RC_TRY(rc_j_sync(j));
cleanup:
    return status;
}

rc_status_t rc_journal_record(rc_jrec_type_t type, uint64_t key, const void *payload, size_t len,
                              unsigned char **out, size_t *out_len)
{
    rc_status_t status = RC_OK;
    unsigned char *rec = NULL;
    const int stored = rc_j_stored((uint32_t)type);
    uLongf comp = stored ? (uLongf)len : compressBound((uLong)len);
    size_t cap = RC_J_HEAD_LEN + (size_t)comp + 4;
    *out = NULL;
    *out_len = 0;
    rec = malloc(cap);
    RC_ALLOC_CHECK(rec, "a journal record");
    if (stored) {
        if (len > 0)
            memcpy(rec + RC_J_HEAD_LEN, payload, len);
    } else if (compress2(rec + RC_J_HEAD_LEN, &comp, payload ? payload : (const void *)"",
                         (uLong)len, 1) != Z_OK) {
        RC_FAIL(RC_ERR_NOMEM, "cannot compress a journal record of %zu bytes", len);
    }
    uint32_t magic = RC_J_REC_MAGIC, t = (uint32_t)type;
    uint64_t raw_len = len, comp_len = comp;
    memcpy(rec, &magic, 4);
    memcpy(rec + 4, &t, 4);
    memcpy(rec + 8, &key, 8);
    memcpy(rec + 16, &raw_len, 8);
    memcpy(rec + 24, &comp_len, 8);
    uint32_t crc = rc_crc((uint32_t)crc32(0, Z_NULL, 0), rec + 4, RC_J_HEAD_LEN - 4 + comp_len);
    memcpy(rec + RC_J_HEAD_LEN + comp_len, &crc, 4);
    *out = rec;
    *out_len = RC_J_HEAD_LEN + (size_t)comp_len + 4;
    rec = NULL;
cleanup:
    free(rec);
    return status;
}

rc_status_t rc_journal_append_record(rc_journal_t *j, const unsigned char *rec, size_t len)
{
    rc_status_t status = rc_j_pwrite(j, rec, len, j->end);
    if (status != RC_OK) {
        /* leave no torn record behind (a later scan would cut it anyway) */
        if (ftruncate(j->fd, (off_t)j->end) != 0) {
            /* nothing more to do: the scan cuts the tail */
        }
        return status;
    }
    RC_TRY(rc_j_sync(j));
    j->end += len;
cleanup:
    return status;
}

rc_status_t rc_journal_append(rc_journal_t *j, rc_jrec_type_t type, uint64_t key,
                              const void *payload, size_t len)
{
    unsigned char *rec = NULL;
    size_t rec_len = 0;
    rc_status_t status = rc_journal_record(type, key, payload, len, &rec, &rec_len);
    if (status == RC_OK)
        status = rc_journal_append_record(j, rec, rec_len);
    free(rec);
    return status;
}

rc_status_t rc_journal_scan(rc_journal_t *j, rc_jrec_t **recs, size_t *n)
{
    rc_status_t status = RC_OK;
    rc_jrec_t *list = NULL;
    size_t len = 0, cap = 0, got = 0;
    unsigned char *buf = NULL;
    const size_t bufsize = (size_t)1 << 20;
    unsigned char magic[RC_J_FILE_MAGIC_LEN];
    struct stat sb;
    *recs = NULL;
    *n = 0;
    if (fstat(j->fd, &sb) != 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot read the journal %s: %s", j->what, j->path, strerror(errno));
    const uint64_t size = (uint64_t)sb.st_size;
    RC_TRY(rc_j_pread(j, magic, sizeof magic, 0, &got));
    if (got < sizeof magic) {
        /* empty or torn while being created: holds nothing */
        RC_TRY(rc_journal_reset(j));
        goto cleanup;
    }
    if (memcmp(magic, RC_J_FILE_MAGIC, sizeof magic) != 0)
        RC_FAIL(RC_ERR_INPUT, "%s: %s is not an rtcascade journal", j->what, j->path);
    buf = malloc(bufsize);
    RC_ALLOC_CHECK(buf, "a journal buffer");
    uint64_t off = RC_J_FILE_MAGIC_LEN;
    for (;;) {
        unsigned char head[RC_J_HEAD_LEN];
        uint32_t rmagic, type, crc_stored;
        uint64_t key, raw_len, comp_len;
        if (size - off < RC_J_HEAD_LEN + 4)
            break;
        RC_TRY(rc_j_pread(j, head, sizeof head, off, &got));
        if (got < sizeof head)
            break;
        memcpy(&rmagic, head, 4);
        memcpy(&type, head + 4, 4);
        memcpy(&key, head + 8, 8);
        memcpy(&raw_len, head + 16, 8);
        memcpy(&comp_len, head + 24, 8);
        /* deflate expands at most 1032:1, and a stored payload not at all: a larger raw_len
         * is damage, refused before anything is allocated for it */
        if (rmagic != RC_J_REC_MAGIC || comp_len > RC_J_MAX_RECORD || raw_len > RC_J_MAX_RECORD ||
            comp_len + RC_J_HEAD_LEN + 4 > size - off ||
            raw_len > (rc_j_stored(type) ? comp_len : comp_len * 1032 + 64))
            break;
        uint32_t crc = rc_crc((uint32_t)crc32(0, Z_NULL, 0), head + 4, RC_J_HEAD_LEN - 4);
        uint64_t pos = off + RC_J_HEAD_LEN, left = comp_len;
        while (left > 0) {
            size_t step = left > bufsize ? bufsize : (size_t)left;
            RC_TRY(rc_j_pread(j, buf, step, pos, &got));
            if (got < step)
                break;
            crc = rc_crc(crc, buf, step);
            pos += step;
            left -= step;
        }
        if (left > 0)
            break;
        RC_TRY(rc_j_pread(j, &crc_stored, 4, pos, &got));
        if (got < 4 || (crc_stored != crc && !RC_J_UNCHECKED))
            break;
        if (len == cap) {
            size_t ncap = cap ? 2 * cap : 64;
            rc_jrec_t *grown = realloc(list, ncap * sizeof *grown);
            RC_ALLOC_CHECK(grown, "the journal index");
            list = grown;
            cap = ncap;
        }
        list[len].type = type;
        list[len].key = key;
        list[len].offset = off + RC_J_HEAD_LEN;
        list[len].comp_len = comp_len;
        list[len].raw_len = raw_len;
        len++;
        off = pos + 4;
    }
    if (off < size && ftruncate(j->fd, (off_t)off) != 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot cut the torn end of the journal %s: %s", j->what, j->path,
                strerror(errno));
    j->end = off;
    *recs = list;
    *n = len;
    list = NULL;
cleanup:
    free(buf);
    free(list);
    return status;
}

rc_status_t rc_journal_load(rc_journal_t *j, const rc_jrec_t *rec, void **data)
{
    rc_status_t status = RC_OK;
    unsigned char *comp = NULL, *raw = NULL;
    size_t got = 0;
    *data = NULL;
    comp = malloc(rec->comp_len ? (size_t)rec->comp_len : 1);
    RC_ALLOC_CHECK(comp, "a journal record");
    if (rc_j_stored(rec->type) && rec->comp_len != rec->raw_len)
        RC_FAIL(RC_ERR_INPUT, "%s: a record of the journal %s is malformed", j->what, j->path);
    RC_TRY(rc_j_pread(j, comp, (size_t)rec->comp_len, rec->offset, &got));
    if (got < rec->comp_len)
        RC_FAIL(RC_ERR_INPUT, "%s: the journal %s ends inside a record", j->what, j->path);
    if (rc_j_stored(rec->type)) {
        *data = comp;
        comp = NULL;
        goto cleanup;
    }
    raw = malloc(rec->raw_len ? (size_t)rec->raw_len : 1);
    RC_ALLOC_CHECK(raw, "a journal record");
    uLongf out_len = (uLongf)rec->raw_len;
    if (uncompress(raw, &out_len, comp, (uLong)rec->comp_len) != Z_OK || out_len != rec->raw_len)
        RC_FAIL(RC_ERR_INPUT, "%s: a record of the journal %s does not inflate", j->what, j->path);
    *data = raw;
    raw = NULL;
cleanup:
    free(comp);
    free(raw);
    return status;
}

rc_status_t rc_journal_close(rc_journal_t *j, int remove)
{
    rc_status_t status = RC_OK;
    if (j == NULL)
        return RC_OK;
    /* unlink before closing: the lock is held until the name is gone, so no other writer can
     * open the old journal in between */
    if (remove && unlink(j->path) != 0 && errno != ENOENT)
        status = rc_error(RC_ERR_IO, "%s: cannot remove the journal %s: %s", j->what, j->path,
                          strerror(errno));
    /* every record was synced when appended, so a failing close loses nothing; it is still
     * reported when the journal is kept, as a sign of a failing disk */
    if (close(j->fd) != 0 && !remove && status == RC_OK)
        status = rc_error(RC_ERR_IO, "%s: cannot close the journal %s: %s", j->what, j->path,
                          strerror(errno));
    free(j->path);
    free(j->what);
    free(j);
    return status;
}
